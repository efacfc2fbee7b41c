//! What the files of this test executable share: the workspace, the
//! command run as a user runs it, its output read back, and the policies
//! of the compile-fail tests with what rustc printed for each.

#![allow(clippy::panic, reason = "a failed test panics")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The audited shop's policy, from the workspace.
pub(crate) const SHOP_POLICY: &str = "cookie-policy-cli/tests/fixtures/audit-shop.toml";

/// A recording of the shop in a browser, from the workspace.
pub(crate) const SHOP_HAR: &str = "cookie-policy-cli/tests/fixtures/shop.har";

/// The workspace's root.
pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `cookie-policy` with `args` in `dir`.
pub(crate) fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookie-policy"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|error| panic!("cannot run cookie-policy: {error}"))
}

/// The shop's recording ([`SHOP_HAR`]) as `edit` changes it, written to a
/// file of this process in the temporary directory, named after `tag`:
/// its path. The caller removes it.
pub(crate) fn edited_shop_har(tag: &str, edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let recording = std::fs::read_to_string(workspace().join(SHOP_HAR))
        .unwrap_or_else(|error| panic!("{SHOP_HAR}: {error}"));
    let mut har: serde_json::Value =
        serde_json::from_str(&recording).unwrap_or_else(|error| panic!("{SHOP_HAR}: {error}"));
    edit(&mut har);
    let path = std::env::temp_dir().join(format!("cookie-policy-{tag}-{}.har", std::process::id()));
    std::fs::write(&path, har.to_string()).unwrap_or_else(|error| panic!("{error}"));
    path
}

/// `cookie-policy audit` of the shop's policy on the recording `har`, its
/// report in `format`, run in the workspace.
pub(crate) fn audit_shop(har: &Path, format: &str) -> Output {
    let har = har
        .to_str()
        .unwrap_or_else(|| panic!("{} is not UTF-8", har.display()));
    run(
        &workspace(),
        &[
            "audit",
            "--policy",
            SHOP_POLICY,
            "--har",
            har,
            "--format",
            format,
        ],
    )
}

/// `bytes` as text, what is not UTF-8 replaced.
pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The JSON document the command printed; panics with all it printed
/// when that is not JSON.
pub(crate) fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "not JSON ({error}):\n{}\nstderr:\n{}",
            text(&output.stdout),
            text(&output.stderr)
        )
    })
}

/// A policy of the compile-fail tests (`ui-tests/ui/<stem>.toml`) and what
/// rustc printed for its test (`<stem>.stderr`, recorded by trybuild).
pub(crate) struct UiCase {
    /// The test's name.
    pub(crate) stem: String,
    /// The policy's path from [`ui_tests`], as rustc printed it.
    pub(crate) policy: String,
    /// What rustc printed.
    pub(crate) recorded: String,
}

impl UiCase {
    /// Whether rustc pointed into the policy, not only into the Rust code.
    pub(crate) fn mistake_in_policy(&self) -> bool {
        self.recorded.contains(&format!("--> {}", self.policy))
    }
}

/// The compile-fail tests' crate, where their policies are checked from.
pub(crate) fn ui_tests() -> PathBuf {
    workspace().join("ui-tests")
}

/// Every policy of the compile-fail tests that has a recorded `.stderr`.
pub(crate) fn ui_cases() -> Vec<UiCase> {
    let mut cases = Vec::new();
    for entry in std::fs::read_dir(ui_tests().join("ui")).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let Ok(recorded) = std::fs::read_to_string(path.with_extension("stderr")) else {
            continue;
        };
        let policy = format!("ui/{stem}.toml");
        cases.push(UiCase {
            stem,
            policy,
            recorded,
        });
    }
    cases
}
