//! `cookie-policy serve` in front of a real Django app (Django from PyPI,
//! pinned in `fixtures/django-site/requirements.txt`, which `.ci/run`
//! installs), judged in Debian's headless Chromium by the browser's own
//! cookie jar, read over the DevTools protocol.
//!
//! The site (`fixtures/django-site/djsite.py`) knows nothing of consent: its
//! home page always sets an undeclared `_ga` and `theme`, a functional
//! cookie that needs consent; `csrftoken` comes with its forms, `sessionid`
//! with a login, `django_language` with Django's `set_language`. Its CSRF
//! check is on and configured for the proxy as a deployment would be
//! (`ALLOWED_HOSTS`, `CSRF_TRUSTED_ORIGINS`, `SECURE_PROXY_SSL_HEADER`,
//! `USE_X_FORWARDED_HOST`).
//!
//! Chromium reaches the proxy as `www.django.test` (mapped to 127.0.0.1 by
//! `--host-resolver-rules`), never as an IP address: Django allows that
//! host only.
//!
//! Also here: docs/serve.md's "In front of Django", whose commands are run
//! as written, from `django-admin startproject` to the banner in Chromium.
//!
//! Needs Chromium and Django: the tests are ignored by default and run with
//! `--include-ignored`, where a missing Python, Django or Chromium fails
//! them, saying what to install.

#![allow(clippy::panic, reason = "a failed test panics")]

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cookie_policy::Category;
use cookie_policy_chromium::chromiumoxide::browser::Browser;
use cookie_policy_chromium::chromiumoxide::cdp::browser_protocol::browser::BrowserContextId;
use cookie_policy_chromium::chromiumoxide::cdp::browser_protocol::network::Cookie;
use cookie_policy_chromium::chromiumoxide::cdp::browser_protocol::storage::GetCookiesParams;
use cookie_policy_chromium::chromiumoxide::page::Page;
use cookie_policy_consent_log::{ConsentRecord, ConsentStore, Origin};
use cookie_policy_consent_log_sqlite::SqliteStore;
use cookie_policy_tests::browser::{click, eval, fresh_page, goto, wait_for};
use cookie_policy_tests::chromium;

use crate::common::json;

const RULES: &str = "MAP *.django.test 127.0.0.1";

/// The fixture site's one password (`PASSWORD` in djsite.py).
const PASSWORD: &str = "correct horse battery staple";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/django-site")
}

/// The Django version the tests need: the pin `.ci/run` installs.
fn django_pin() -> String {
    let requirements = std::fs::read_to_string(fixture().join("requirements.txt"))
        .unwrap_or_else(|error| panic!("requirements.txt: {error}"));
    requirements
        .lines()
        .find_map(|line| line.trim().strip_prefix("django=="))
        .unwrap_or_else(|| panic!("no django== pin in requirements.txt"))
        .to_owned()
}

/// Fails, saying what to install, unless `python3 -m django` is the pinned
/// Django.
fn needs_django() {
    let install = "pip install -r cookie-policy-cli/tests/fixtures/django-site/requirements.txt";
    let output = Command::new("python3")
        .args(["-m", "django", "--version"])
        .output()
        .unwrap_or_else(|error| {
            panic!("needs python3 and Django (apt-get install -y python3 python3-pip; {install}): {error}")
        });
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(
        output.status.success(),
        "needs Django ({install}): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        version,
        django_pin(),
        "needs Django {} ({install})",
        django_pin()
    );
}

/// A port free on 127.0.0.1 now: bound, then released.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|error| panic!("{error}"))
}

/// A process the test started, stopped (with what it printed kept for the
/// failure message) when dropped.
struct Server {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

impl Server {
    fn start(name: &'static str, command: &mut Command, log: PathBuf) -> Server {
        let out = std::fs::File::create(&log).unwrap_or_else(|error| panic!("{error}"));
        let err = out.try_clone().unwrap_or_else(|error| panic!("{error}"));
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .unwrap_or_else(|error| panic!("cannot start {name}: {error}"));
        Server { name, child, log }
    }

    /// What it printed so far.
    fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until it accepts connections on `port`.
    fn wait_for_port(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(30);
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        while TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_err() {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited ({status}):\n{}", self.name, self.output());
            }
            assert!(
                Instant::now() < deadline,
                "{} does not listen on {port}:\n{}",
                self.name,
                self.output()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fixture site on 127.0.0.1:`port`, for visitors at `public_origin`.
fn django(port: u16, public_origin: &str, dir: &Path) -> Server {
    needs_django();
    let mut server = Server::start(
        "Django",
        Command::new("python3")
            .args(["-m", "django", "runserver", "--noreload"])
            .arg(format!("127.0.0.1:{port}"))
            .current_dir(fixture())
            .env("DJANGO_SETTINGS_MODULE", "djsite")
            .env("PYTHONPATH", fixture())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("DJANGO_PUBLIC_ORIGIN", public_origin),
        dir.join("django.log"),
    );
    server.wait_for_port(port);
    server
}

/// `cookie-policy serve` on 127.0.0.1:`port` in front of `upstream`, with
/// the banner injected and the consent log in `dir`, for visitors at
/// `public_origin` over plain HTTP. Django gets the upstream's own `Host`
/// (`--upstream-host`): it allows the public host only, so every request
/// it answers proves that it read `X-Forwarded-Host`.
fn serve(port: u16, upstream: u16, public_origin: &str, dir: &Path) -> Server {
    let mut server = Server::start(
        "cookie-policy serve",
        Command::new(env!("CARGO_BIN_EXE_cookie-policy"))
            .arg("serve")
            .arg("--policy")
            .arg(fixture().join("policy.toml"))
            .arg("--upstream")
            .arg(format!("http://127.0.0.1:{upstream}"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .args(["--inject-banner", "--upstream-host", "--plain-http"])
            .args(["--origin", public_origin])
            .arg("--log")
            .arg(dir.join("consent.sqlite")),
        dir.join("serve.log"),
    );
    server.wait_for_port(port);
    server
}

async fn launch() -> cookie_policy_chromium::Browser {
    let options = cookie_policy_chromium::Options::new()
        .window_size(1200, 900)
        .host_resolver_rules(RULES);
    chromium()
        .launch(&options)
        .await
        .unwrap_or_else(|error| panic!("{error}"))
}

/// Runs `action` (a script that navigates) and waits until the next page
/// has loaded: a document without the mark left on this one.
async fn navigating(page: &Page, action: &str) {
    let _: bool = eval(page, &format!("window.__before = true, {action}, true")).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        // While the page changes, the evaluation may fail: ask again.
        let loaded = page
            .evaluate("!window.__before && document.readyState === 'complete'")
            .await
            .ok()
            .and_then(|result| result.into_value::<bool>().ok());
        if loaded == Some(true) {
            return;
        }
        assert!(Instant::now() < deadline, "no new page after `{action}`");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The whole cookie jar of a browser context, HttpOnly cookies included
/// (`Storage.getCookies`), sorted by name.
async fn jar(browser: &Browser, context: &BrowserContextId) -> Vec<Cookie> {
    let params = GetCookiesParams {
        browser_context_id: Some(context.clone()),
    };
    let mut cookies = browser
        .execute(params)
        .await
        .unwrap_or_else(|error| panic!("Storage.getCookies: {error}"))
        .result
        .cookies;
    cookies.sort_by(|a, b| a.name.cmp(&b.name));
    cookies
}

fn names(cookies: &[Cookie]) -> Vec<&str> {
    cookies.iter().map(|cookie| cookie.name.as_str()).collect()
}

/// The jar, once `done` holds of its names (the browser stores a
/// response's cookies as it reads them).
async fn jar_when(
    browser: &Browser,
    context: &BrowserContextId,
    done: impl Fn(&[&str]) -> bool,
) -> Vec<Cookie> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let cookies = jar(browser, context).await;
        if done(&names(&cookies)) || Instant::now() >= deadline {
            return cookies;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The consent log's decisions, once there are `count` (the banner posts
/// them in the background).
async fn decisions(log: &Path, count: usize) -> Vec<ConsentRecord> {
    let store = SqliteStore::open(log).unwrap_or_else(|error| panic!("{error}"));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let records = store.since(0).await.unwrap_or_default();
        if records.len() >= count || Instant::now() >= deadline {
            return records;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `cookie-policy audit` of `url` against the site's policy, in its own
/// Chromium: the exit code and the JSON report.
fn audit(url: &str) -> (Option<i32>, serde_json::Value) {
    let chromium = chromium().executable();
    let output = Command::new(env!("CARGO_BIN_EXE_cookie-policy"))
        .arg("audit")
        .arg("--policy")
        .arg(fixture().join("policy.toml"))
        .args(["--format", "json", "--pages", "3", "--chromium"])
        .arg(chromium)
        .args(["--host-resolver-rules", RULES, url])
        .output()
        .unwrap_or_else(|error| panic!("cannot run cookie-policy: {error}"));
    (output.status.code(), json(&output))
}

/// (kind, name) of each finding of a JSON report.
fn findings(report: &serde_json::Value) -> Vec<(String, String)> {
    let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array in {report}"))
        .iter()
        .map(|finding| (text(&finding["kind"]), text(&finding["name"])))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and Django (apt-get install -y chromium python3-pip; pip install -r cookie-policy-cli/tests/fixtures/django-site/requirements.txt)"]
async fn django_behind_serve_keeps_to_its_policy_in_chromium() {
    let dir = cookie_policy_tests::scratch_dir("django");
    let (django_port, proxy_port) = (free_port(), free_port());
    let site = format!("http://www.django.test:{proxy_port}");
    let django = django(django_port, &site, &dir);
    let proxy = serve(proxy_port, django_port, &site, &dir);
    let browser = launch().await;

    // Before any choice, only necessary cookies are in the jar: the home
    // page's `_ga` and `theme` were stopped on their way.
    let (context, page) = fresh_page(&browser, &format!("{site}/")).await;
    wait_for(&page, "document.querySelector('#cc-main .cm')").await;
    let before = jar(&browser, &context).await;
    assert_eq!(names(&before), ["csrftoken"], "{before:#?}");

    // Django sees the visitor's scheme, host and address through the
    // proxy's X-Forwarded-* headers, whatever the visitor sent in them.
    let seen: serde_json::Value = eval(
        &page,
        "fetch('/whoami/', {headers: {'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.test', 'X-Forwarded-For': '6.6.6.6'}}).then(r => r.json())",
    )
    .await;
    assert_eq!(seen["scheme"], "http", "{seen}");
    assert_eq!(seen["secure"], false, "{seen}");
    assert_eq!(seen["forwarded_for"], "127.0.0.1", "{seen}");
    assert_eq!(
        seen["host"],
        format!("www.django.test:{proxy_port}"),
        "{seen}"
    );

    // Django's CSRF check is on: a post without the form's token is refused.
    let status: u16 = eval(
        &page,
        &format!("fetch('/login/', {{method: 'POST', body: new URLSearchParams({{username: 'alice', password: {PASSWORD:?}}})}}).then(r => r.status)"),
    )
    .await;
    assert_eq!(status, 403, "{}", django.output());

    // The login form, with its token, passes it.
    goto(&page, &format!("{site}/login/")).await;
    navigating(
        &page,
        &format!("document.querySelector('#login [name=password]').value = {PASSWORD:?}, document.querySelector('#login').requestSubmit()"),
    )
    .await;
    let user: String = eval(&page, "document.querySelector('#user').textContent").await;
    assert_eq!(user, "Signed in as alice", "{}", django.output());
    let signed_in = jar(&browser, &context).await;
    assert_eq!(
        names(&signed_in),
        ["csrftoken", "sessionid"],
        "{signed_in:#?}"
    );

    // Django's set_language view: `django_language`.
    navigating(
        &page,
        "document.querySelector('#language-form select').value = 'fr', document.querySelector('#language-form').requestSubmit()",
    )
    .await;
    let language: String = eval(&page, "document.querySelector('#language').textContent").await;
    assert_eq!(language, "fr", "{}", django.output());
    let switched = jar(&browser, &context).await;
    assert_eq!(
        names(&switched),
        ["csrftoken", "django_language", "sessionid"],
        "{switched:#?}"
    );

    // The injected banner: "accept all", a real click. The decision is in
    // the consent log, and the next page's `theme` is let through.
    click(&page, "#cc-main .cm [data-role=all]").await;
    wait_for(&page, "document.cookie.includes('cookies_preferences=')").await;
    let log = dir.join("consent.sqlite");
    let logged = decisions(&log, 1).await;
    let [decision] = logged.as_slice() else {
        panic!("one click, one record: {logged:#?}\n{}", proxy.output())
    };
    assert_eq!(
        decision.accepted,
        [Category::Necessary, Category::Functional]
    );
    assert_eq!(decision.origin, Origin::Banner);
    page.reload()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    page.wait_for_navigation()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let accepted = jar_when(&browser, &context, |names| names.contains(&"theme")).await;
    let accepted_names = names(&accepted);
    assert!(accepted_names.contains(&"theme"), "{accepted:#?}");
    assert!(!accepted_names.contains(&"_ga"), "{accepted:#?}");

    // Withdrawal, in the banner's preferences: functional off, saved. The
    // next response expires `theme`, which no script can delete.
    let _: bool = eval(&page, "CookieConsent.showPreferences(), true").await;
    let functional = "#cc-main input.section__toggle[value=functional]";
    wait_for(
        &page,
        &format!("document.querySelector('{functional}').checked"),
    )
    .await;
    click(&page, functional).await;
    wait_for(
        &page,
        &format!("!document.querySelector('{functional}').checked"),
    )
    .await;
    click(&page, "#cc-main .pm [data-role=save]").await;
    let logged = decisions(&log, 2).await;
    assert_eq!(logged.len(), 2, "{logged:#?}");
    assert_eq!(logged[1].rejected, [Category::Functional]);
    page.reload()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    page.wait_for_navigation()
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let withdrawn = jar_when(&browser, &context, |names| !names.contains(&"theme")).await;
    let withdrawn_names = names(&withdrawn);
    assert!(!withdrawn_names.contains(&"theme"), "{withdrawn:#?}");
    assert!(!withdrawn_names.contains(&"_ga"), "{withdrawn:#?}");
    assert!(withdrawn_names.contains(&"sessionid"), "{withdrawn:#?}");
    browser.close().await;

    // The audit: through the proxy, nothing to report; the bare Django
    // sets `_ga`, and `theme` whatever the visitor chose.
    let (code, report) = tokio::task::spawn_blocking(move || audit(&format!("{site}/")))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    // What only a login and a language switch set, which a crawl does not
    // do, is never seen: for information, not a failure.
    let finding = |kind: &str, name: &str| (kind.to_owned(), name.to_owned());
    let never_seen = [
        finding("never_seen", "django_language"),
        finding("never_seen", "sessionid"),
    ];
    assert_eq!(findings(&report), never_seen, "{report:#}");
    assert_eq!(code, Some(0));
    let bare = format!("http://www.django.test:{django_port}/");
    let (code, report) = tokio::task::spawn_blocking(move || audit(&bare))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    let found: Vec<_> = findings(&report)
        .into_iter()
        .filter(|(kind, _)| kind != "never_seen")
        .collect();
    assert_eq!(
        found,
        [
            finding("undeclared", "_ga"),
            finding("without_consent", "theme"),
            finding("kept_after_withdrawal", "theme"),
        ],
        "{report:#}"
    );
    assert_eq!(code, Some(1));
    drop((proxy, django));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The `sh` blocks of docs/serve.md's "In front of Django", in order.
fn django_walkthrough() -> Vec<String> {
    let doc = include_str!("../../docs/serve.md");
    cookie_policy_tests::doc_blocks(doc, "## In front of Django", "sh")
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// Kills a process group the test started, when dropped.
struct ProcessGroup(u32);

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("--")
            .arg(format!("-{}", self.0))
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and Django (apt-get install -y chromium python3-pip; pip install -r cookie-policy-cli/tests/fixtures/django-site/requirements.txt)"]
async fn docs_serve_in_front_of_django_runs_as_written() {
    use std::os::unix::process::CommandExt;

    needs_django();
    let blocks = django_walkthrough();
    assert!(blocks.len() >= 4, "{blocks:#?}");
    // The installs: CI's Django, this repository's command; not run here.
    let first: Vec<&str> = blocks[0].lines().collect();
    assert_eq!(
        first,
        [
            format!("pip install \"django=={}\"", django_pin()).as_str(),
            "cargo install --path cookie-policy-cli"
        ]
    );
    let (django_port, proxy_port) = (free_port(), free_port());
    let script = blocks[1..]
        .concat()
        .replace("8000", &django_port.to_string())
        .replace("8080", &proxy_port.to_string());
    let dir = cookie_policy_tests::scratch_dir("django-walkthrough");
    let binary = Path::new(env!("CARGO_BIN_EXE_cookie-policy"));
    let path = std::env::join_paths(binary.parent().into_iter().map(Path::to_path_buf).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap_or_else(|error| panic!("{error}"));
    // Files, not pipes: the servers it starts in the background keep
    // their output open.
    let log = dir.join("walkthrough.log");
    let out = std::fs::File::create(&log).unwrap_or_else(|error| panic!("{error}"));
    let err = out.try_clone().unwrap_or_else(|error| panic!("{error}"));
    let mut bash = Command::new("bash")
        .arg("-c")
        .arg(format!("set -euo pipefail\n{script}"))
        .current_dir(&dir)
        .env("PATH", path)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .process_group(0)
        .spawn()
        .unwrap_or_else(|error| panic!("bash: {error}"));
    let _group = ProcessGroup(bash.id());
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = bash.try_wait().unwrap_or_else(|error| panic!("{error}")) {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the walkthrough did not finish:\n{}",
            std::fs::read_to_string(&log).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let output = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(status.success(), "{script}\n{output}");
    assert!(output.contains("<script"), "{output}");

    // The visitor's first banner.
    let browser = launch().await;
    let (_, page) = fresh_page(&browser, &format!("http://127.0.0.1:{proxy_port}/")).await;
    wait_for(&page, "document.querySelector('#cc-main .cm')").await;
    let title: String = eval(&page, "document.title").await;
    assert_eq!(title, "The install worked successfully! Congratulations!");
    browser.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
