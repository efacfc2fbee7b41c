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
//!   the visitor chose, Global Privacy Control (`Sec-GPC: 1`) included;
//! - Matomo's cookie stays after the visitor withdraws consent;
//! - `/leave` redirects to the advertiser, another origin;
//! - `/late` runs a Google tag (`gtag('config', ...)`) before Consent
//!   Mode's `default`, pushes entries JSON cannot write (a cycle, a
//!   `toJSON` that throws), then 1,500 more and, past the 1,000 entries
//!   the audit reads, an `update` that grants advertising (not reported);
//! - `/contradict` sends a Consent Mode `update` that grants advertising
//!   whatever the choice, while `_ga` (from `/about`) is in the jar and
//!   `analytics_storage` denied.
//!
//! The audit must report exactly those; on the well-behaved shop, which
//! expires Matomo's cookie when consent is withdrawn, refuses advertising
//! under GPC and sends Consent Mode's default first and an update that
//! follows the choice, nothing. Both shops report what their pages saw of
//! GPC to `/gpc`: the header and `navigator.globalPrivacyControl` reach
//! the site in the `gpc` pass only.
//!
//! The withdrawal fixture sets an HttpOnly advertising cookie on `/shop`,
//! and keeps it, or expires it, when consent is withdrawn.
//!
//! Needs `chromium` (`.ci/run` installs it): the tests are ignored by
//! default and run with `--include-ignored`, where a missing Chromium fails
//! them.

#![allow(clippy::panic, reason = "a failed test panics")]

use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::header::{HeaderMap, SET_COOKIE};
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use cookie_policy::enforce::{consent_from_request, deletions};
use cookie_policy::{Category, Consent, CookiePolicy};
use cookie_policy_tests::chromium;

use crate::common::{json, run};

#[derive(CookiePolicy)]
#[cookie_policy(path = "tests/fixtures/audit-shop.toml")]
struct AuditShop;

#[derive(CookiePolicy)]
#[cookie_policy(path = "tests/fixtures/audit-withdraw.toml")]
struct AuditWithdraw;

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

/// What the shop's `/gpc` heard: (the request's `Sec-GPC`, the page's
/// `navigator.globalPrivacyControl` as the script saw it).
type Heard = Vec<(Option<String>, String)>;
type Signals = Arc<Mutex<Heard>>;

/// The Consent Mode snippet Google documents, in a page's `<head>`: the
/// `default` (everything that needs consent denied) first, then an
/// `update` from the consent the request carries (none without a choice),
/// then the tag.
fn consent_mode(consent: Option<Consent>) -> String {
    let state = |granted: bool| if granted { "granted" } else { "denied" };
    let update = consent.map_or_else(String::new, |consent| {
        let ads = state(consent.allows(Category::Advertising));
        format!(
            "gtag('consent', 'update', {{analytics_storage: '{}', ad_storage: '{ads}', ad_user_data: '{ads}', ad_personalization: '{ads}'}});",
            state(consent.allows(Category::Statistical))
        )
    });
    format!(
        "<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}} gtag('consent', 'default', {{ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied', wait_for_update: 500}}); {update} gtag('js', new Date()); gtag('config', 'G-SHOP');</script>"
    )
}

/// The shop; `behaves` says whether it keeps to its policy. Every page
/// tells `/gpc` what `navigator.globalPrivacyControl` is.
fn shop(behaves: bool, tracker: u16, signals: Signals) -> Router {
    let home = move |request: HeaderMap| async move {
        let consent = consent_from_request::<AuditShop>(&request).0;
        // Whether the visitor chose: the request carries the consent cookie.
        let chosen = request
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .any(|pair| pair.trim_start().starts_with("consent="))
            .then_some(consent);
        // Global Privacy Control: the well-behaved shop refuses
        // advertising when the request sends it, as the policy says.
        let gpc = request
            .get("sec-gpc")
            .is_some_and(|value| value.as_bytes() == b"1");
        let mut headers = HeaderMap::new();
        let csrf_age = if behaves { 31_536_000 } else { 63_072_000 };
        for cookie in [
            "sessionid=s3ss10n; Path=/; HttpOnly; SameSite=Lax".to_owned(),
            format!("csrftoken=t0k3n; Path=/; Max-Age={csrf_age}; SameSite=Lax"),
        ] {
            headers.append(SET_COOKIE, cookie.parse().unwrap_or_else(|e| panic!("{e}")));
        }
        // Consent withdrawn: the well-behaved shop expires what the visitor
        // no longer accepts, as the library's layer does.
        if behaves {
            for deletion in deletions::<AuditShop>(&request, consent) {
                headers.append(SET_COOKIE, deletion);
            }
        }
        let matomo = if !behaves || consent.allows(Category::Statistical) {
            "<script src=\"/matomo.js\"></script>"
        } else {
            ""
        };
        let ads = if !behaves || (consent.allows(Category::Advertising) && !gpc) {
            format!("<iframe src=\"http://ads.tracker.test:{tracker}/frame\"></iframe>")
        } else {
            String::new()
        };
        // Consent Mode: right on the well-behaved shop's home; the other
        // shop has a page that runs a tag before the default, and one whose
        // update grants advertising whatever the choice.
        let (tags, links) = if behaves {
            (consent_mode(chosen), "")
        } else {
            (
                String::new(),
                "<a href=\"/late\">Late</a><a href=\"/contradict\">Contradict</a>",
            )
        };
        let body = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Shop</title>{tags}{matomo}{SIGNAL}</head><body><h1>Shop</h1><a href=\"/about\">About</a>{links}{ads}</body></html>"
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
        let leave = if behaves {
            ""
        } else {
            "<a href=\"/leave\">Partners</a>"
        };
        (
            headers,
            Html(format!(
                "<!DOCTYPE html><html lang=\"en\"><body><a href=\"/\">Home</a>{leave}</body></html>"
            )),
        )
    };
    // Off to the advertiser: another origin, which the crawl must not enter.
    let leave = move || async move {
        (
            axum::http::StatusCode::FOUND,
            [(
                axum::http::header::LOCATION,
                format!("http://ads.tracker.test:{tracker}/"),
            )],
        )
    };
    let matomo = || async {
        (
            [("content-type", "text/javascript")],
            "document.cookie = \"_pk_id.1.f00d=visitor.1700000000; max-age=34186698; path=/\"; localStorage.setItem(\"_pk_visits\", \"1\"); sessionStorage.setItem(\"_pk_tab\", \"x\");",
        )
            .into_response()
    };
    // A tag before the default, entries JSON cannot write, and past the
    // 1,000 entries the audit reads, an update that grants advertising: a
    // `consent_update_contradicts` on this page if the bound did not hold.
    let late = || async {
        Html(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Late</title><script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('js', new Date()); gtag('config', 'G-SHOP'); gtag('consent', 'default', {ad_storage: 'denied', analytics_storage: 'denied'}); var loop = {}; loop.self = loop; dataLayer.push(loop); dataLayer.push({toJSON() { throw new Error('no'); }}); for (var i = 0; i < 1500; i++) dataLayer.push({filler: i}); gtag('consent', 'update', {ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted'});</script></head><body><a href=\"/\">Home</a></body></html>",
        )
    };
    let contradict = || async {
        Html(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Contradict</title><script>window.dataLayer = window.dataLayer || []; function gtag(){dataLayer.push(arguments);} gtag('consent', 'default', {ad_storage: 'denied', ad_user_data: 'denied', ad_personalization: 'denied', analytics_storage: 'denied'}); gtag('consent', 'update', {ad_storage: 'granted', ad_user_data: 'granted', ad_personalization: 'granted'}); gtag('config', 'G-SHOP');</script></head><body><a href=\"/\">Home</a></body></html>",
        )
    };
    let gpc = move |request: HeaderMap, query: axum::extract::RawQuery| async move {
        let header = request
            .get("sec-gpc")
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
        let navigator = query.0.unwrap_or_default();
        signals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((header, navigator));
    };
    Router::new()
        .route("/", get(home))
        .route("/about", get(about))
        .route("/late", get(late))
        .route("/contradict", get(contradict))
        .route("/gpc", get(gpc))
        .route("/matomo.js", get(matomo))
        .route("/leave", get(leave))
}

/// Tells the shop's `/gpc` what the page's `navigator` says.
const SIGNAL: &str = "<script>fetch('/gpc?' + String(navigator.globalPrivacyControl));</script>";

/// The advertiser: its frame sets its cookie on `tracker.test`.
fn tracker() -> Router {
    Router::new()
        .route(
            "/",
            get(|| async {
                Html("<!DOCTYPE html><html><body><a href=\"/more\">More</a></body></html>")
            }),
        )
        .route(
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

/// `cookie-policy audit` with `args`, run in this crate's directory.
fn audit(args: &[&str]) -> Output {
    run(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[&["audit"], args].concat(),
    )
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

/// Audits `url` against `policy` in `chromium`; returns the exit code and
/// the JSON report.
fn audit_json(chromium: &Path, policy: &str, url: &str) -> (Option<i32>, serde_json::Value) {
    audit_as(chromium, policy, url, "json")
}

/// Audits `url` against `policy` in `chromium`; returns the exit code and
/// the report in `format`, a JSON document (`json`, `sarif`).
fn audit_as(
    chromium: &Path,
    policy: &str,
    url: &str,
    format: &str,
) -> (Option<i32>, serde_json::Value) {
    let chromium = chromium
        .to_str()
        .unwrap_or_else(|| panic!("path not UTF-8"));
    let output = audit(&[
        "--policy",
        policy,
        "--format",
        format,
        "--pages",
        "5",
        "--chromium",
        chromium,
        "--host-resolver-rules",
        RULES,
        url,
    ]);
    (output.status.code(), json(&output))
}

/// Serves a shop and the tracker, audits the shop, returns the exit code,
/// the JSON report, and what the shop's `/gpc` heard.
fn audit_shop(chromium: &Path, behaves: bool) -> (Option<i32>, serde_json::Value, Heard) {
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|error| panic!("{error}"));
    let signals = Signals::default();
    let port = runtime.block_on(async {
        let tracker = serve(tracker()).await;
        serve(shop(behaves, tracker, signals.clone())).await
    });
    let url = format!("http://www.shop.test:{port}/");
    let (code, report) = audit_json(chromium, "tests/fixtures/audit-shop.toml", &url);
    drop(runtime);
    let heard = signals
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    (code, report, heard)
}

/// The GPC signal reached the site in the `gpc` pass, and only there: one
/// home page visit per pass (two in `withdraw`), the header and the
/// navigator property together.
fn assert_gpc_was_signalled(report: &serde_json::Value, heard: &[(Option<String>, String)]) {
    let with: Vec<_> = heard
        .iter()
        .filter(|(header, _)| header.as_deref() == Some("1"))
        .collect();
    assert!(!with.is_empty(), "no request sent Sec-GPC: 1: {heard:?}");
    for (header, navigator) in heard {
        assert_eq!(
            header.as_deref() == Some("1"),
            navigator == "true",
            "{heard:?}"
        );
    }
    let passes = report["passes"].as_array().cloned().unwrap_or_default();
    let gpc = passes
        .iter()
        .find(|pass| pass["name"] == "gpc")
        .unwrap_or_else(|| panic!("no gpc pass: {report:#}"));
    assert_eq!(gpc["consent"], serde_json::Value::Null, "{gpc}");
    assert_eq!(gpc["gpc"], true, "{gpc}");
    // Each of the gpc pass's home page visits, and no other.
    let homes = |pass: &serde_json::Value| {
        pass["pages"]
            .as_array()
            .into_iter()
            .flatten()
            // `http://www.shop.test:PORT/`
            .filter(|page| {
                page.as_str()
                    .is_some_and(|page| page.ends_with('/') && page.matches('/').count() == 3)
            })
            .count()
    };
    assert_eq!(with.len(), homes(gpc), "{heard:?}");
    let all_homes: usize = passes.iter().map(homes).sum::<usize>() + 1; // withdraw reloads
    assert_eq!(heard.len(), all_homes, "{heard:?}");
}

/// The withdrawal fixture: the home page links to `/shop/`, which sets an
/// HttpOnly advertising cookie on `/shop` when advertising is accepted;
/// when the request's consent refuses advertising, the shop that `expires`
/// sends the deletion, with that path, and the other keeps the cookie.
fn withdrawal_shop(expires: bool) -> Router {
    let home = || async {
        Html(
            "<!DOCTYPE html><html lang=\"en\"><head><title>Home</title></head><body><a href=\"/shop/\">Shop</a></body></html>",
        )
    };
    let shop = move |request: HeaderMap| async move {
        let consent = consent_from_request::<AuditWithdraw>(&request).0;
        let mut headers = HeaderMap::new();
        let cookie = if consent.allows(Category::Advertising) {
            Some("ad_id=1; Path=/shop; Max-Age=31536000; HttpOnly; SameSite=Lax")
        } else if expires {
            Some("ad_id=; Max-Age=0; Path=/shop")
        } else {
            None
        };
        if let Some(cookie) = cookie {
            headers.append(SET_COOKIE, cookie.parse().unwrap_or_else(|e| panic!("{e}")));
        }
        (
            headers,
            Html(
                "<!DOCTYPE html><html lang=\"en\"><head><title>Shop</title></head><body><a href=\"/\">Home</a></body></html>",
            ),
        )
    };
    Router::new()
        .route("/", get(home))
        .route("/shop/", get(shop))
}

fn audit_withdrawal(chromium: &Path, expires: bool) -> (Option<i32>, serde_json::Value) {
    audit_withdrawal_as(chromium, expires, "json")
}

fn audit_withdrawal_as(
    chromium: &Path,
    expires: bool,
    format: &str,
) -> (Option<i32>, serde_json::Value) {
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|error| panic!("{error}"));
    let port = runtime.block_on(serve(withdrawal_shop(expires)));
    let url = format!("http://www.shop.test:{port}/");
    let result = audit_as(chromium, "tests/fixtures/audit-withdraw.toml", &url, format);
    drop(runtime);
    result
}

#[test]
#[ignore = "needs chromium (apt-get install -y chromium)"]
fn an_advertising_cookie_kept_after_withdrawal_is_caught() {
    let chromium = chromium().executable();
    let (code, report) = audit_withdrawal(chromium, false);
    assert_eq!(
        findings(&report),
        [(
            "kept_after_withdrawal".to_owned(),
            "ad_id".to_owned(),
            vec!["withdraw".to_owned()]
        )],
        "{report:#}"
    );
    assert_eq!(code, Some(1));
    let finding = &report["findings"][0];
    let message = finding["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`Set-Cookie: ad_id=; Max-Age=0; Path=/shop`"),
        "{finding}"
    );
    assert_eq!(finding["source"], "the cookie jar", "{finding}");
    // The withdraw pass visited both pages, with all accepted first.
    let passes = report["passes"].as_array().cloned().unwrap_or_default();
    let withdraw = passes
        .iter()
        .find(|pass| pass["name"] == "withdraw")
        .unwrap_or_else(|| panic!("no withdraw pass: {report:#}"));
    assert_eq!(withdraw["withdraw"], true);
    assert_eq!(
        withdraw["consent"],
        serde_json::json!(["necessary", "advertising"])
    );
    assert_eq!(
        withdraw["pages"].as_array().map(Vec::len),
        Some(2),
        "{withdraw}"
    );
    // The jar's HttpOnly cookie, on its path.
    let cookies = report["cookies"].as_array().cloned().unwrap_or_default();
    assert!(
        cookies.iter().any(|cookie| cookie["name"] == "ad_id"
            && cookie["pass"] == "withdraw"
            && cookie["source"] == "the cookie jar"
            && cookie["path"] == "/shop"),
        "{cookies:#?}"
    );
}

#[test]
#[ignore = "needs chromium (apt-get install -y chromium)"]
fn an_advertising_cookie_expired_on_withdrawal_is_not_a_finding() {
    let chromium = chromium().executable();
    let (code, report) = audit_withdrawal(chromium, true);
    assert_eq!(findings(&report), [], "{report:#}");
    assert_eq!(code, Some(0));
}

/// The report says which Chromium ran and whether in its sandbox; here in
/// SARIF, which this audit in Chromium writes valid, with the kept cookie
/// at its declaration's line, in the `withdraw` pass, on its page.
#[test]
#[ignore = "needs chromium (apt-get install -y chromium)"]
fn the_report_says_whether_chromium_was_sandboxed() {
    let chromium = chromium().executable();
    let (code, sarif) = audit_withdrawal_as(chromium, false, "sarif");
    assert_eq!(code, Some(1));
    crate::sarif::assert_valid(&sarif);
    let results = sarif["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(results.len(), 1, "{sarif:#}");
    let result = results
        .first()
        .unwrap_or_else(|| panic!("no result: {sarif:#}"));
    assert_eq!(result["ruleId"], "kept_after_withdrawal");
    assert_eq!(result["properties"]["cookie"], "ad_id");
    assert_eq!(result["properties"]["pass"], "withdraw");
    assert!(
        result["properties"]["page"]
            .as_str()
            .is_some_and(|page| page.ends_with("/shop/")),
        "{result:#}"
    );
    let policy = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit-withdraw.toml"),
    )
    .unwrap_or_else(|error| panic!("{error}"));
    let line = policy
        .lines()
        .position(|line| line.trim() == "name = \"ad_id\"")
        .map(|index| index + 1);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        serde_json::json!(line),
        "{result:#}"
    );
    let report = &sarif["runs"][0]["properties"];
    let browser = &report["browser"];
    let sandboxed = browser["sandboxed"]
        .as_bool()
        .unwrap_or_else(|| panic!("no browser.sandboxed: {report:#}"));
    let sandbox = browser["sandbox"].as_str().unwrap_or_default();
    if sandboxed {
        assert_eq!(sandbox, "Chromium's sandbox on");
    } else {
        assert!(
            sandbox.starts_with("Chromium's sandbox off (--no-sandbox): "),
            "{sandbox}"
        );
    }
}

#[test]
#[ignore = "needs chromium (apt-get install -y chromium)"]
fn the_misbehaving_shop_is_caught_exactly() {
    let chromium = chromium().executable();
    let (code, report, heard) = audit_shop(chromium, false);
    assert_gpc_was_signalled(&report, &heard);
    // Where `/leave` redirects.
    let tracker_home = report["findings"]
        .as_array()
        .and_then(|findings| findings.iter().find(|f| f["kind"] == "left_origin"))
        .and_then(|finding| finding["name"].as_str())
        .unwrap_or_default()
        .to_owned();
    assert!(
        tracker_home.starts_with("http://ads.tracker.test:") && tracker_home.ends_with('/'),
        "{report:#}"
    );
    // The first finding of a name.
    let finding = |name: &str| {
        report["findings"]
            .as_array()
            .and_then(|findings| findings.iter().find(|f| f["name"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("no finding for {name}"))
    };
    let passes = |names: &[&str]| {
        names
            .iter()
            .map(|name| (*name).to_owned())
            .collect::<Vec<_>>()
    };
    let all = passes(&[
        "none",
        "gpc",
        "necessary",
        "statistical",
        "advertising",
        "all",
        "withdraw",
    ]);
    // The home page, `http://www.shop.test:PORT/`.
    let home = report["passes"][0]["pages"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(report["format"], 1);
    assert_eq!(
        findings(&report),
        [
            ("undeclared".to_owned(), "_ga".to_owned(), all.clone()),
            (
                "without_consent".to_owned(),
                "_pk_id.1.f00d".to_owned(),
                passes(&["none", "gpc", "necessary", "advertising"])
            ),
            (
                "without_consent".to_owned(),
                "ad_id".to_owned(),
                passes(&["none", "gpc", "necessary", "statistical"])
            ),
            (
                "kept_after_withdrawal".to_owned(),
                "_pk_id.1.f00d".to_owned(),
                passes(&["withdraw"])
            ),
            (
                "lifetime_exceeded".to_owned(),
                "csrftoken".to_owned(),
                all.clone()
            ),
            // The shop ignores GPC: its advertiser's frame is there.
            (
                "set_despite_gpc".to_owned(),
                "ad_id".to_owned(),
                passes(&["gpc"])
            ),
            // A tag before the default, on every pass (and no update
            // read past the 1,000th entry).
            (
                "consent_default_late".to_owned(),
                format!("{home}late"),
                all.clone()
            ),
            // Advertising granted by the update whatever the choice: wrong
            // wherever the choice refuses it (after the withdrawal too).
            (
                "consent_update_contradicts".to_owned(),
                format!("{home}contradict"),
                passes(&["none", "gpc", "necessary", "statistical", "withdraw"])
            ),
            // `_ga`, set by /about, on pages that deny analytics_storage.
            (
                "analytics_cookie_while_denied".to_owned(),
                "_ga".to_owned(),
                all.clone()
            ),
            ("left_origin".to_owned(), tracker_home.clone(), all),
        ],
        "{report:#}"
    );
    let late = finding(&format!("{home}late"));
    assert!(
        late["message"]
            .as_str()
            .is_some_and(|m| m.contains("`gtag('config', 'G-SHOP')` (dataLayer entry 2) comes before the Consent Mode default (entry 3)")),
        "{late}"
    );
    assert_eq!(code, Some(1));
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
    // The redirect was noted on the page that made it, and nothing on the
    // other origin was crawled.
    let left = finding(&tracker_home);
    assert!(
        left["page"]
            .as_str()
            .is_some_and(|page| page.ends_with("/leave")),
        "{left}"
    );
    for pass in report["passes"].as_array().into_iter().flatten() {
        for page in pass["pages"].as_array().into_iter().flatten() {
            assert!(
                page.as_str()
                    .is_some_and(|page| page.starts_with("http://www.shop.test:")),
                "{pass}"
            );
        }
    }
    // Web storage, per pass and origin: Matomo's script ran in every pass.
    let storage = report["storage"].as_array().cloned().unwrap_or_default();
    assert_eq!(storage.len(), 7, "{storage:?}");
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
    let (code, report, heard) = audit_shop(chromium, true);
    assert_eq!(findings(&report), [], "{report:#}");
    // It heard GPC, and its Consent Mode (default first, updates that
    // follow the choice) was read and found right.
    assert_gpc_was_signalled(&report, &heard);
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
