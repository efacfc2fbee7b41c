//! `cookie-policy audit` against fixture sites on 127.0.0.1, in Debian's
//! headless Chromium: the shop at `www.shop.test` and an advertiser at
//! `ads.tracker.test`, both mapped to loopback by Chromium's
//! `--host-resolver-rules`.
//!
//! The misbehaving shop, on purpose:
//! - a script sets Matomo's cookie before any consent;
//! - its `/about` page sets `_ga`, which the policy does not declare;
//! - `csrftoken` is kept two years (capped by the browser at 400 days),
//!   declared for one;
//! - an iframe from the advertiser sets its third-party cookie whatever
//!   the visitor chose.
//!
//! The audit must report exactly those; on the well-behaved shop, nothing.
//!
//! Needs `chromium` (`.ci/run` installs it): the tests are ignored by
//! default and run with `--include-ignored`, where a missing Chromium fails
//! them.

#![allow(clippy::panic, reason = "a failed test panics")]

use std::path::Path;
use std::process::{Command, Output};

use axum::Router;
use axum::http::header::{HeaderMap, SET_COOKIE};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use cookie_policy::enforce::consent_from_request;
use cookie_policy::{Category, CookiePolicy};
use cookie_policy_tests::chromium;

#[derive(CookiePolicy)]
#[cookie_policy(path = "tests/fixtures/audit-shop.toml")]
struct AuditShop;

const RULES: &str = "MAP *.shop.test 127.0.0.1, MAP *.tracker.test 127.0.0.1";

/// Serves `router` on 127.0.0.1; returns its port.
async fn serve(router: Router) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|error| panic!("bind: {error}"));
    let port = listener
        .local_addr()
        .unwrap_or_else(|error| panic!("{error}"))
        .port();
    tokio::spawn(async move { axum::serve(listener, router).await });
    port
}

/// The shop; `behaves` says whether it keeps to its policy.
fn shop(behaves: bool, tracker: u16) -> Router {
    let home = move |request: HeaderMap| async move {
        let consent = consent_from_request::<AuditShop>(&request).0;
        let mut headers = HeaderMap::new();
        let csrf_age = if behaves { 31_536_000 } else { 63_072_000 };
        for cookie in [
            "sessionid=s3ss10n; Path=/; HttpOnly; SameSite=Lax".to_owned(),
            format!("csrftoken=t0k3n; Path=/; Max-Age={csrf_age}; SameSite=Lax"),
        ] {
            headers.append(SET_COOKIE, cookie.parse().unwrap_or_else(|e| panic!("{e}")));
        }
        let matomo = if !behaves || consent.allows(Category::Statistical) {
            "<script src=\"/matomo.js\"></script>"
        } else {
            ""
        };
        let ads = if !behaves || consent.allows(Category::Advertising) {
            format!("<iframe src=\"http://ads.tracker.test:{tracker}/frame\"></iframe>")
        } else {
            String::new()
        };
        let body = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Shop</title>{matomo}</head><body><h1>Shop</h1><a href=\"/about\">About</a>{ads}</body></html>"
        );
        (headers, Html(body))
    };
    let about = move || async move {
        let mut headers = HeaderMap::new();
        if !behaves {
            headers.append(
                SET_COOKIE,
                "_ga=GA1.1.123.456; Path=/; Max-Age=63072000"
                    .parse()
                    .unwrap_or_else(|e| panic!("{e}")),
            );
        }
        (
            headers,
            Html("<!DOCTYPE html><html lang=\"en\"><body><a href=\"/\">Home</a></body></html>"),
        )
    };
    let matomo = || async {
        (
            [("content-type", "text/javascript")],
            "document.cookie = \"_pk_id.1.f00d=visitor.1700000000; max-age=34186698; path=/\"; localStorage.setItem(\"_pk_visits\", \"1\"); sessionStorage.setItem(\"_pk_tab\", \"x\");",
        )
            .into_response()
    };
    Router::new()
        .route("/", get(home))
        .route("/about", get(about))
        .route("/matomo.js", get(matomo))
}

/// The advertiser: its frame sets its cookie on `tracker.test`.
fn tracker() -> Router {
    Router::new().route(
        "/frame",
        get(|| async {
            (
                [(
                    SET_COOKIE,
                    "ad_id=a1b2c3; Domain=tracker.test; Path=/; Max-Age=31536000",
                )],
                Html("<!DOCTYPE html><html><body>ad</body></html>"),
            )
        }),
    )
}

fn audit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookie-policy"))
        .arg("audit")
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .output()
        .unwrap_or_else(|error| panic!("cannot run cookie-policy: {error}"))
}

/// (kind, name, passes) of each finding of a JSON report.
fn findings(report: &serde_json::Value) -> Vec<(String, String, Vec<String>)> {
    let text = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array in {report}"))
        .iter()
        .map(|finding| {
            let passes = finding["passes"]
                .as_array()
                .map(|passes| passes.iter().map(text).collect())
                .unwrap_or_default();
            (text(&finding["kind"]), text(&finding["name"]), passes)
        })
        .collect()
}

/// Serves a shop and the tracker, audits the shop, returns the exit code and
/// the JSON report.
fn audit_shop(chromium: &Path, behaves: bool) -> (Option<i32>, serde_json::Value) {
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|error| panic!("{error}"));
    let port = runtime.block_on(async {
        let tracker = serve(tracker()).await;
        serve(shop(behaves, tracker)).await
    });
    let url = format!("http://www.shop.test:{port}/");
    let chromium = chromium
        .to_str()
        .unwrap_or_else(|| panic!("path not UTF-8"));
    let output = audit(&[
        "--policy",
        "tests/fixtures/audit-shop.toml",
        "--format",
        "json",
        "--pages",
        "5",
        "--chromium",
        chromium,
        "--host-resolver-rules",
        RULES,
        &url,
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = serde_json::from_str(&stdout).unwrap_or_else(|error| {
        panic!(
            "not a JSON report ({error}):\n{stdout}\nstderr:\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    drop(runtime);
    (output.status.code(), report)
}

#[test]
#[ignore = "needs chromium (apt-get install -y chromium)"]
fn the_misbehaving_shop_is_caught_exactly() {
    let chromium = chromium().executable();
    let (code, report) = audit_shop(chromium, false);
    let passes = |names: &[&str]| {
        names
            .iter()
            .map(|name| (*name).to_owned())
            .collect::<Vec<_>>()
    };
    let all = passes(&["none", "necessary", "statistical", "advertising", "all"]);
    assert_eq!(report["format"], 1);
    assert_eq!(
        findings(&report),
        [
            ("undeclared".to_owned(), "_ga".to_owned(), all.clone()),
            (
                "without_consent".to_owned(),
                "_pk_id.1.f00d".to_owned(),
                passes(&["none", "necessary", "advertising"])
            ),
            (
                "without_consent".to_owned(),
                "ad_id".to_owned(),
                passes(&["none", "necessary", "statistical"])
            ),
            ("lifetime_exceeded".to_owned(), "csrftoken".to_owned(), all),
        ],
        "{report:#}"
    );
    assert_eq!(code, Some(1));
    // Where each came from.
    let finding = |name: &str| {
        report["findings"]
            .as_array()
            .and_then(|findings| findings.iter().find(|f| f["name"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("no finding for {name}"))
    };
    let ga = finding("_ga");
    assert!(
        ga["page"]
            .as_str()
            .is_some_and(|page| page.ends_with("/about")),
        "{ga}"
    );
    assert!(
        ga["declaration"]
            .as_str()
            .is_some_and(|d| d.contains("provider = \"google\"")),
        "{ga}"
    );
    let matomo = finding("_pk_id.1.f00d");
    assert!(
        matomo["source"].as_str().is_some_and(|s| s
            .starts_with("document.cookie by http://www.shop.test:")
            && s.ends_with("/matomo.js")),
        "{matomo}"
    );
    // Web storage, per pass and origin: Matomo's script ran in every pass.
    let storage = report["storage"].as_array().cloned().unwrap_or_default();
    assert_eq!(storage.len(), 5, "{storage:?}");
    for entry in &storage {
        assert_eq!(
            entry["local_storage"],
            serde_json::json!(["_pk_visits"]),
            "{entry}"
        );
        assert_eq!(
            entry["session_storage"],
            serde_json::json!(["_pk_tab"]),
            "{entry}"
        );
        assert!(
            entry["origin"]
                .as_str()
                .is_some_and(|o| o.starts_with("http://www.shop.test:"))
        );
    }
    let ad = finding("ad_id");
    assert!(
        ad["source"]
            .as_str()
            .is_some_and(|s| s.contains("ads.tracker.test")),
        "{ad}"
    );
}

#[test]
#[ignore = "needs chromium (apt-get install -y chromium)"]
fn the_well_behaved_shop_has_no_findings() {
    let chromium = chromium().executable();
    let (code, report) = audit_shop(chromium, true);
    assert_eq!(findings(&report), [], "{report:#}");
    assert_eq!(code, Some(0));
    // Each pass visited both pages.
    for pass in report["passes"].as_array().into_iter().flatten() {
        assert_eq!(pass["pages"].as_array().map(Vec::len), Some(2), "{pass}");
    }
}

#[test]
#[ignore = "needs chromium (apt-get install -y chromium)"]
fn an_unreachable_site_exits_2() {
    let chromium = chromium().executable();
    // A port nothing listens on: bound, then released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|error| panic!("{error}"));
    let url = format!("http://127.0.0.1:{port}/");
    let output = audit(&[
        "--policy",
        "tests/fixtures/audit-shop.toml",
        "--chromium",
        chromium.to_str().unwrap_or_default(),
        &url,
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: cannot load {url}")),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: check that the site is up"),
        "{stderr}"
    );
}
