//! The machine's Chromium, found and launched headless: what
//! `cookie-policy audit` and cookie-policy's browser tests share.
//!
//! - [`Chromium::find`]: a path given (`--chromium PATH`), else `CHROME`,
//!   else `chromium` or `chromium-browser` on the `PATH`. Nothing is
//!   downloaded; when there is none, the error says how to get one.
//! - [`Chromium::sandbox`]: Chromium's sandbox is used wherever the host
//!   allows it; `--no-sandbox` only as root (where Chromium refuses its
//!   sandbox) or when a quick launch with the sandbox fails. Which one was
//!   used is [`Sandbox`], for the caller to report.
//! - [`Chromium::launch`]: headless over the DevTools protocol
//!   ([`chromiumoxide`], re-exported), with the flags a faithful, quiet
//!   visit needs ([`COMMON_ARGS`]), in a [`Profile`]: a directory with an
//!   unpredictable name, readable by its owner only (mode 0700), removed
//!   when the [`Browser`] is closed or dropped.
//! - [`Chromium::command`]: the same browser and flags as a plain command,
//!   for one-shot runs (`--dump-dom`, `--screenshot`).

use std::fmt;
use std::io;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

pub use chromiumoxide;

use chromiumoxide::browser::BrowserConfig;
use futures_util::StreamExt as _;

/// The flags every run gets (without their leading `--`): no GPU, no QUIC,
/// no updates, background traffic or sync, no first-run dialogs, and
/// `navigator.webdriver` off, since consent banners hide from bots and a
/// browser driven over CDP says it is one.
pub const COMMON_ARGS: &[&str] = &[
    "disable-gpu",
    "disable-quic",
    "disable-component-update",
    "disable-background-networking",
    "no-first-run",
    "disable-sync",
    "disable-blink-features=AutomationControlled",
];

/// How long the sandbox probe may take before it counts as a failure.
const PROBE_TIMEOUT: Duration = Duration::from_secs(30);

/// Why there is no Chromium, or why it did not start.
#[derive(Debug)]
pub enum Error {
    /// None given, no `CHROME`, and neither `chromium` nor
    /// `chromium-browser` on the `PATH`.
    NotFound,
    /// The path given, or `CHROME`'s, is not a file.
    Missing {
        /// The path.
        path: PathBuf,
        /// Where it came from: `--chromium` or `CHROME`.
        from: &'static str,
    },
    /// The profile directory could not be created.
    Profile(io::Error),
    /// Chromium did not start, or its DevTools connection did not open.
    Launch {
        /// The executable.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound => f.write_str(
                "no Chromium found: install Debian's (`apt-get install -y chromium`), or give its path with `--chromium PATH` or the CHROME environment variable",
            ),
            Error::Missing { path, from } => write!(
                f,
                "no Chromium at `{}` ({from}): install Debian's (`apt-get install -y chromium`), or give the path of one with `--chromium PATH` or CHROME",
                path.display()
            ),
            Error::Profile(error) => {
                write!(f, "cannot create a profile directory for Chromium: {error}")
            }
            Error::Launch { path, message } => {
                write!(f, "cannot start `{}`: {message}", path.display())
            }
        }
    }
}

impl std::error::Error for Error {}

/// Whether Chromium runs in its own sandbox.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sandbox {
    /// Chromium's sandbox is on.
    On,
    /// `--no-sandbox`: the process runs as root, where Chromium refuses
    /// its sandbox.
    OffAsRoot,
    /// `--no-sandbox`: a launch with the sandbox failed on this host (no
    /// user namespaces, no setuid helper).
    OffUnavailable,
}

impl Sandbox {
    /// Whether the sandbox is on.
    pub const fn is_on(self) -> bool {
        matches!(self, Sandbox::On)
    }
}

impl fmt::Display for Sandbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Sandbox::On => "Chromium's sandbox on",
            Sandbox::OffAsRoot => "Chromium's sandbox off (--no-sandbox): running as root",
            Sandbox::OffUnavailable => {
                "Chromium's sandbox off (--no-sandbox): this host does not allow it"
            }
        })
    }
}

/// A Chromium executable, and whether it can run sandboxed here.
#[derive(Debug)]
pub struct Chromium {
    executable: PathBuf,
    sandbox: OnceLock<Sandbox>,
}

impl Chromium {
    /// `given` (`--chromium PATH`), else `CHROME`, else `chromium` or
    /// `chromium-browser` on the `PATH`. A path given or in `CHROME` is
    /// taken as is: when it is not a file, that is the error, rather than
    /// another Chromium found on the `PATH`.
    pub fn find(given: Option<&Path>) -> Result<Chromium, Error> {
        let chosen = match given {
            Some(path) => Some((path.to_owned(), "--chromium")),
            None => std::env::var_os("CHROME")
                .filter(|value| !value.is_empty())
                .map(|path| (PathBuf::from(path), "CHROME")),
        };
        if let Some((path, from)) = chosen {
            return if path.is_file() {
                Ok(Chromium::at(path))
            } else {
                Err(Error::Missing { path, from })
            };
        }
        let paths = std::env::var_os("PATH").unwrap_or_default();
        std::env::split_paths(&paths)
            .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
            .find(|candidate| candidate.is_file())
            .map(Chromium::at)
            .ok_or(Error::NotFound)
    }

    /// The Chromium at `executable`, unchecked.
    pub fn at(executable: impl Into<PathBuf>) -> Chromium {
        Chromium {
            executable: executable.into(),
            sandbox: OnceLock::new(),
        }
    }

    /// The executable.
    pub fn executable(&self) -> &Path {
        &self.executable
    }

    /// Whether Chromium runs sandboxed: yes, unless this process runs as
    /// root or a quick headless launch with the sandbox fails. Decided
    /// once, on first use, which blocks for that launch (up to 30 seconds):
    /// call it before entering async code where that matters;
    /// [`Chromium::launch`] and [`Chromium::command`] call it.
    pub fn sandbox(&self) -> Sandbox {
        *self.sandbox.get_or_init(|| {
            if running_as_root() {
                Sandbox::OffAsRoot
            } else if self.probe_sandbox() {
                Sandbox::On
            } else {
                Sandbox::OffUnavailable
            }
        })
    }

    /// A headless run with the sandbox: does it load a blank page?
    fn probe_sandbox(&self) -> bool {
        let Ok(profile) = Profile::new() else {
            return false;
        };
        let mut command = Command::new(&self.executable);
        command
            .arg("--headless")
            .args(COMMON_ARGS.iter().map(|arg| format!("--{arg}")))
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--dump-dom", "about:blank"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let Ok(mut child) = command.spawn() else {
            return false;
        };
        let deadline = Instant::now() + PROBE_TIMEOUT;
        loop {
            match child.try_wait() {
                Ok(Some(status)) => return status.success(),
                Ok(None) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok(None) | Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return false;
                }
            }
        }
    }

    /// The arguments, without their leading `--`, every run gets: the
    /// [`COMMON_ARGS`] and, when the sandbox cannot be used, `no-sandbox`.
    fn base_args(&self) -> Vec<String> {
        let mut args: Vec<String> = COMMON_ARGS.iter().map(|&arg| arg.to_owned()).collect();
        if !self.sandbox().is_on() {
            args.push("no-sandbox".to_owned());
        }
        args
    }

    /// A one-shot headless run in `profile`, with the [`COMMON_ARGS`] and
    /// the sandbox decision: add the page and what to do with it
    /// (`--dump-dom`, `--screenshot=FILE`...).
    pub fn command(&self, profile: &Profile) -> Command {
        let mut command = Command::new(&self.executable);
        command
            .arg("--headless")
            .args(self.base_args().iter().map(|arg| format!("--{arg}")))
            .arg(format!("--user-data-dir={}", profile.path().display()));
        command
    }

    /// Launches Chromium headless (its new headless mode) in a fresh
    /// [`Profile`], with the [`COMMON_ARGS`], the sandbox decision and
    /// `options`; its DevTools connection is driven on the current tokio
    /// runtime until the browser is dropped.
    pub async fn launch(&self, options: &Options) -> Result<Browser, Error> {
        let launch_error = |message: String| Error::Launch {
            path: self.executable.clone(),
            message,
        };
        let profile = Profile::new().map_err(Error::Profile)?;
        let sandbox = self.sandbox();
        let mut args = self.base_args();
        args.retain(|arg| arg != "no-sandbox");
        if let Some(rules) = &options.host_resolver_rules {
            args.push(format!("host-resolver-rules={rules}"));
        }
        args.extend(options.args.iter().cloned());
        let mut config = BrowserConfig::builder()
            .chrome_executable(&self.executable)
            .new_headless_mode()
            .user_data_dir(profile.path())
            .args(args);
        if !sandbox.is_on() {
            config = config.no_sandbox();
        }
        if let Some((width, height)) = options.window_size {
            config = config.window_size(width, height).viewport(None);
        }
        let config = config.build().map_err(launch_error)?;
        let (inner, mut handler) = chromiumoxide::Browser::launch(config)
            .await
            .map_err(|error| launch_error(error.to_string()))?;
        let driver = tokio::spawn(async move { while handler.next().await.is_some() {} });
        Ok(Browser {
            inner,
            driver,
            sandbox,
            profile,
        })
    }
}

/// What a launch adds to the [`COMMON_ARGS`].
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--host-resolver-rules`, such as `MAP *.shop.test 127.0.0.1`.
    pub host_resolver_rules: Option<String>,
    /// More flags, without their leading `--`.
    pub args: Vec<String>,
    /// The window's size in pixels; the page's viewport follows it.
    pub window_size: Option<(u32, u32)>,
}

impl Options {
    /// No more than the [`COMMON_ARGS`].
    pub fn new() -> Options {
        Options::default()
    }

    /// Sets `--host-resolver-rules`.
    pub fn host_resolver_rules(mut self, rules: impl Into<String>) -> Options {
        self.host_resolver_rules = Some(rules.into());
        self
    }

    /// Adds a flag, without its leading `--`.
    pub fn arg(mut self, arg: impl Into<String>) -> Options {
        self.args.push(arg.into());
        self
    }

    /// Sets the window's size.
    pub fn window_size(mut self, width: u32, height: u32) -> Options {
        self.window_size = Some((width, height));
        self
    }
}

/// A profile directory: an unpredictable name in the temporary directory,
/// created with mode 0700 (nobody else can read or plant anything in it),
/// removed when dropped.
#[derive(Debug)]
pub struct Profile(tempfile::TempDir);

impl Profile {
    /// A fresh, empty profile directory.
    pub fn new() -> io::Result<Profile> {
        use std::os::unix::fs::PermissionsExt as _;
        // tempfile's default is 0777 less the umask: ask for 0700.
        tempfile::Builder::new()
            .prefix("cookie-policy-chromium-")
            .permissions(std::fs::Permissions::from_mode(0o700))
            .tempdir()
            .map(Profile)
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.0.path()
    }
}

/// A running headless Chromium, its DevTools connection driven in the
/// background: a [`chromiumoxide::Browser`] (through `Deref`). Dropped, it
/// is killed and its profile removed; [`Browser::close`] closes it first.
#[derive(Debug)]
pub struct Browser {
    inner: chromiumoxide::Browser,
    driver: tokio::task::JoinHandle<()>,
    sandbox: Sandbox,
    // Dropped after `inner`: the directory outlives the browser.
    profile: Profile,
}

impl Browser {
    /// Whether it runs in Chromium's sandbox.
    pub fn sandbox(&self) -> Sandbox {
        self.sandbox
    }

    /// Its profile directory (removed when the browser is dropped).
    pub fn profile(&self) -> &Path {
        self.profile.path()
    }

    /// Closes the browser, waits for it to exit, and removes its profile.
    pub async fn close(mut self) {
        let _ = self.inner.close().await;
        let _ = self.inner.wait().await;
    }
}

impl Deref for Browser {
    type Target = chromiumoxide::Browser;

    fn deref(&self) -> &chromiumoxide::Browser {
        &self.inner
    }
}

impl DerefMut for Browser {
    fn deref_mut(&mut self) -> &mut chromiumoxide::Browser {
        &mut self.inner
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.driver.abort();
        // Killed now rather than whenever the runtime reaps it, so that
        // the profile is no longer written to when it is removed.
        if let Some(child) = self.inner.get_mut_child() {
            let child = child.as_mut_inner();
            if matches!(child.try_wait(), Ok(None)) {
                let _ = child.start_kill();
                let deadline = Instant::now() + Duration::from_secs(5);
                while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    }
}

/// Whether this process runs as root: the owner of `/proc/self` is its
/// effective user.
fn running_as_root() -> bool {
    use std::os::unix::fs::MetadataExt as _;
    std::fs::metadata("/proc/self").is_ok_and(|metadata| metadata.uid() == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chrome_that_is_not_there_is_the_error_and_says_what_to_do() {
        let error = Chromium::find(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("/nonexistent/chromium"), "{message}");
        assert!(message.contains("apt-get install -y chromium"), "{message}");
        assert!(message.contains("--chromium PATH"), "{message}");
    }

    #[test]
    fn a_profile_is_private_and_removed() {
        use std::os::unix::fs::PermissionsExt as _;
        let profile = Profile::new().unwrap();
        let path = profile.path().to_owned();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
        assert!(
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("cookie-policy-chromium-")
        );
        let other = Profile::new().unwrap();
        assert_ne!(other.path(), path);
        drop(profile);
        assert!(!path.exists());
    }
}
