//! The banner, the server and the browser's cookie jar agree, in a real
//! browser: Debian's headless Chromium, driven over the DevTools protocol
//! (chromiumoxide), against the axum example served on 127.0.0.1 under test
//! host names (`--host-resolver-rules` maps `*.shop.test` to 127.0.0.1).
//!
//! What is judged is the browser's own cookie jar, read over CDP, never the
//! headers the server meant to send.
//!
//! Needs `chromium` (`.ci/run` installs it): the tests are ignored by
//! default and run with `--include-ignored`, where a missing Chromium fails
//! them.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use chromiumoxide::cdp::browser_protocol::emulation::SetDeviceMetricsOverrideParams;
use chromiumoxide::cdp::browser_protocol::network::Cookie;
use chromiumoxide::cdp::browser_protocol::page::CaptureScreenshotFormat;
use chromiumoxide::page::{Page, ScreenshotParams};
use cookie_policy::{BannerText, Category, CookiePolicy};
use cookie_policy_chromium::chromiumoxide;
use cookie_policy_consent_log::same_origin::SameOrigin;
use cookie_policy_consent_log::{ConsentLog, ConsentRecord, ConsentStore, Origin};
use cookie_policy_consent_log_sqlite::SqliteStore;
use cookie_policy_tests::browser::{click, eval, fresh_page, wait_for};
use cookie_policy_tests::{SET_COOKIE_CASES, Stored, chromium};

use crate::local_server::serve_on_port;

/// The example's policy with its Matomo visitor cookie on `shop.test`.
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/banner-site.toml")]
struct BannerSite;

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
struct Shop;

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/hostile.toml")]
struct Hostile;

/// Serves `router` on 127.0.0.1; returns its port.
async fn serve(router: axum::Router) -> u16 {
    serve_on_port(|_| router).await
}

/// Headless Chromium (`cookie-policy-chromium`: its common flags, the
/// sandbox where the host allows it, a private profile), with `*.shop.test`
/// mapped to 127.0.0.1. Its flags turn AutomationControlled off: a browser
/// driven over CDP says `navigator.webdriver`, and the banner hides from
/// bots (`hideFromBots`, on by default), so the configuration stays
/// unedited.
pub(crate) async fn launch() -> cookie_policy_chromium::Browser {
    let options = cookie_policy_chromium::Options::new()
        .window_size(1200, 900)
        .host_resolver_rules("MAP *.shop.test 127.0.0.1, MAP *.evil.test 127.0.0.1");
    chromium()
        .launch(&options)
        .await
        .unwrap_or_else(|error| panic!("{error}"))
}

/// The browser's cookie jar for the page's URL.
pub(crate) async fn jar(page: &Page) -> Vec<Cookie> {
    let mut cookies = page.get_cookies().await.unwrap();
    cookies.sort_by(|a, b| a.name.cmp(&b.name));
    cookies
}

pub(crate) fn names(cookies: &[Cookie]) -> Vec<&str> {
    cookies.iter().map(|cookie| cookie.name.as_str()).collect()
}

/// Takes a screenshot of `page`, once the banner's animations (a few
/// hundred milliseconds) are over, and with `UPDATE_SCREENSHOTS=1` (only
/// then) saves it in `docs/images/`.
async fn screenshot(page: &Page, name: &str) {
    tokio::time::sleep(Duration::from_millis(800)).await;
    let png = page
        .screenshot(
            ScreenshotParams::builder()
                .format(CaptureScreenshotFormat::Png)
                .build(),
        )
        .await
        .unwrap();
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name} is not a PNG");
    // The tracked images change only when asked: a test run leaves the
    // checkout as it found it.
    if std::env::var_os("UPDATE_SCREENSHOTS").is_some_and(|value| value == "1") {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../docs/images")
            .join(name);
        std::fs::write(path, png).unwrap();
    }
}

/// `%XX` escapes decoded, as `decodeURIComponent` does (the banner's
/// cookie is URL-encoded JSON).
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        match (bytes[index], bytes.get(index + 1..index + 3)) {
            (b'%', Some(hex)) => {
                let hex = std::str::from_utf8(hex).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                index += 3;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(out).unwrap()
}

/// The decisions the consent log holds, once there are at least `count`
/// (the banner posts them in the background).
pub(crate) async fn decisions(store: &SqliteStore, count: usize) -> Vec<ConsentRecord> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let records = store.since(0).await.unwrap();
        if records.len() >= count || Instant::now() >= deadline {
            return records;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium (apt-get install -y chromium)"]
async fn the_banner_the_server_and_the_cookie_jar_agree() {
    let dir = cookie_policy_tests::scratch_dir("banner-log");
    let log = ConsentLog::new::<BannerSite>(SqliteStore::open(dir.join("log.sqlite")).unwrap());
    let store = SqliteStore::open(dir.join("log.sqlite")).unwrap();
    // http://www.shop.test is not a secure context: Chromium sends no
    // Sec-Fetch-Site there, and the endpoint judges the page's Origin.
    let port = serve_on_port(|port| {
        let mut decisions = axum_consent::app::Decisions::from_env(Some(log));
        decisions.same_origin = SameOrigin::site(&format!("http://www.shop.test:{port}")).unwrap();
        axum_consent::app::app_with::<BannerSite>(|_| {}, decisions)
    })
    .await;
    let browser = launch().await;
    let home = format!("http://www.shop.test:{port}/");

    // Before any choice: only necessary cookies, whatever the page sets.
    let (_, page) = fresh_page(&browser, &home).await;
    wait_for(&page, "document.querySelector('#cc-main .cm')").await;
    let before = jar(&page).await;
    assert_eq!(names(&before), ["csrftoken", "sessionid"], "{before:#?}");
    let title: String = eval(
        &page,
        "document.querySelector('#cc-main .cm__title').textContent",
    )
    .await;
    assert_eq!(
        title,
        BannerSite::SITE
            .banner_text(BannerText::Title, "en")
            .unwrap()
    );
    screenshot(&page, "banner.png").await;

    // A real click on "accept all", then a reload: the banner's cookie
    // carries the consent to the server, which lets the statistical cookie
    // through; the banner runs the statistics script, which sets its own.
    click(&page, "#cc-main .cm [data-role=all]").await;
    wait_for(&page, "document.cookie.includes('cookies_preferences=')").await;
    page.reload().await.unwrap();
    page.wait_for_navigation().await.unwrap();
    wait_for(&page, "document.cookie.includes('_pk_ses.1.f00d=')").await;
    let accepted = jar(&page).await;
    // The consent log's visitor cookie arrives with the answer to the
    // banner's post, which may still be on its way: checked below.
    let without_visitor: Vec<&str> = names(&accepted)
        .into_iter()
        .filter(|name| *name != "cp_visitor")
        .collect();
    assert_eq!(
        without_visitor,
        [
            "_pk_id.1.f00d",
            "_pk_ses.1.f00d",
            "cookies_preferences",
            "csrftoken",
            "sessionid"
        ],
        "{accepted:#?}"
    );
    let visitor = accepted.iter().find(|c| c.name == "_pk_id.1.f00d").unwrap();
    assert_eq!(
        (visitor.domain.as_str(), visitor.path.as_str()),
        (".shop.test", "/")
    );
    assert!(visitor.http_only, "only the server can delete it");
    // The banner wrote the revision the server expects.
    let preferences = accepted
        .iter()
        .find(|c| c.name == "cookies_preferences")
        .unwrap();
    let consent =
        cookie_policy::Consent::read_cookie_value::<BannerSite>(&preferences.value).unwrap();
    assert!(consent.allows(cookie_policy::Category::Statistical));
    // The click is one decision in the consent log, reloads or not, with
    // the categories and revision the banner wrote in its cookie.
    let logged = decisions(&store, 2).await;
    let [decision] = logged.as_slice() else {
        panic!("one click, one record: {logged:#?}")
    };
    assert_eq!(
        decision.accepted,
        [Category::Necessary, Category::Statistical]
    );
    assert!(decision.rejected.is_empty());
    assert_eq!(decision.revision, BannerSite::REVISION);
    assert_eq!(decision.origin, Origin::Banner);
    assert_eq!(decision.page, home);
    let banner_cookie: serde_json::Value =
        serde_json::from_str(&percent_decode(&preferences.value)).unwrap();
    // The banner's id is a field; the history is the server's visitor id,
    // in a cookie no script can read.
    assert_eq!(
        decision.banner_consent_id.as_deref(),
        banner_cookie["consentId"].as_str()
    );
    let jar_now = jar(&page).await;
    let visitor_cookie = jar_now.iter().find(|c| c.name == "cp_visitor").unwrap();
    assert!(visitor_cookie.http_only, "{visitor_cookie:?}");
    assert!(
        visitor_cookie.value.starts_with(&decision.consent_id),
        "{visitor_cookie:?} {decision:?}"
    );

    // Preferences: statistics off, saved. The banner's autoClear removes the
    // cookie the script set; the HttpOnly one, which no script can touch,
    // is deleted by the server, with its declared path and domain, in its
    // answer to the banner's post of the change to the consent log (the
    // first request that carries the new choice).
    click(&page, "button[data-cc=show-preferencesModal]").await;
    wait_for(&page, "document.querySelector('#cc-main .pm--box, #cc-main .pm') && document.documentElement.classList.contains('show--preferences')").await;
    screenshot(&page, "banner-preferences.png").await;
    let statistics = "#cc-main input.section__toggle[value=statistical]";
    wait_for(
        &page,
        &format!("document.querySelector('{statistics}').checked"),
    )
    .await;
    click(&page, statistics).await;
    wait_for(
        &page,
        &format!("!document.querySelector('{statistics}').checked"),
    )
    .await;
    click(&page, "#cc-main .pm [data-role=save]").await;
    wait_for(&page, "!document.cookie.includes('_pk_ses.1.f00d=')").await;
    let logged = decisions(&store, 2).await;
    assert_eq!(logged.len(), 2, "{logged:#?}");
    // The answer follows the record: give the browser a moment to read it.
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut saved = jar(&page).await;
    while names(&saved).contains(&"_pk_id.1.f00d") && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
        saved = jar(&page).await;
    }
    assert!(!names(&saved).contains(&"_pk_id.1.f00d"), "{saved:#?}");
    assert!(!names(&saved).contains(&"_pk_ses.1.f00d"), "{saved:#?}");
    page.reload().await.unwrap();
    page.wait_for_navigation().await.unwrap();
    let withdrawn = jar(&page).await;
    assert_eq!(
        names(&withdrawn),
        [
            "cookies_preferences",
            "cp_visitor",
            "csrftoken",
            "sessionid"
        ],
        "{withdrawn:#?}"
    );
    // The change is the visitor's second decision, and the reload adds none.
    let logged = decisions(&store, 3).await;
    assert_eq!(logged.len(), 2, "{logged:#?}");
    assert_eq!(logged[1].consent_id, logged[0].consent_id);
    assert_eq!(logged[1].accepted, [Category::Necessary]);
    assert_eq!(logged[1].rejected, [Category::Statistical]);

    // The French page's banner speaks French.
    let (_, page) = fresh_page(&browser, &format!("http://www.shop.test:{port}/fr/")).await;
    wait_for(&page, "document.querySelector('#cc-main .cm__title')").await;
    let title: String = eval(
        &page,
        "document.querySelector('#cc-main .cm__title').textContent",
    )
    .await;
    assert_eq!(title, "Nous utilisons des cookies");
    let accept: String = eval(
        &page,
        "document.querySelector('#cc-main .cm [data-role=all]').textContent",
    )
    .await;
    assert_eq!(accept, "Tout accepter");
    screenshot(&page, "banner-fr.png").await;
}

/// The configuration the platform's, the 25-cookie shop's (every category)
/// and the hostile policy export runs in the banner's published build
/// without an edit: the banner shows, its preferences hold a section per
/// category the policy uses, with the page's columns, and hostile text
/// stays text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium (apt-get install -y chromium)"]
async fn every_exported_configuration_runs_unedited_and_pages_fit_a_phone() {
    let platform = serve(axum_consent::app::routes::<cookie_policy::Platform>()).await;
    let shop = serve(axum_consent::app::routes::<Shop>()).await;
    let hostile = serve(axum_consent::app::routes::<Hostile>()).await;
    let browser = launch().await;
    for (port, sections) in [(platform, 2), (shop, 5), (hostile, 4)] {
        let (_, page) = fresh_page(&browser, &format!("http://www.shop.test:{port}/")).await;
        wait_for(&page, "document.querySelector('#cc-main .cm')").await;
        page.evaluate("CookieConsent.showPreferences()")
            .await
            .unwrap();
        // One section of text, then one per category the policy uses.
        let all =
            "document.querySelectorAll('#cc-main .pm__section, #cc-main .pm__section--toggle')";
        wait_for(&page, &format!("{all}.length > 1")).await;
        let titles: Vec<String> = eval(
            &page,
            &format!("[...{all}].map(s => (s.querySelector('.pm__section-title') || {{}}).textContent || '')"),
        )
        .await;
        assert_eq!(titles.len(), sections, "port {port}: {titles:?}");
        let headers: Vec<String> = eval(
            &page,
            "[...document.querySelectorAll('#cc-main table.pm__section-table')[0].querySelectorAll('th')].map(th => th.textContent)",
        )
        .await;
        assert_eq!(headers, ["Cookie", "Domain", "Lifetime", "Purpose"]);
        let pwned: bool = eval(
            &page,
            "document.title === 'PWNED' || document.documentElement.hasAttribute('data-pwned')",
        )
        .await;
        assert!(!pwned);
    }

    // The policy page at 390 px: nothing scrolls the page sideways.
    let (_, page) = fresh_page(&browser, "about:blank").await;
    page.execute(SetDeviceMetricsOverrideParams::new(390, 844, 2.0, true))
        .await
        .unwrap();
    page.goto(format!("http://www.shop.test:{shop}/fr/cookies"))
        .await
        .unwrap();
    let (page_width, view_width): (i64, i64) = eval(
        &page,
        "[document.documentElement.scrollWidth, window.innerWidth]",
    )
    .await;
    assert!(page_width <= view_width, "{page_width} > {view_width}");
    screenshot(&page, "cookies-phone.png").await;
}

/// Chromium stores each `Set-Cookie` of the RFC table as the table says.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium (apt-get install -y chromium)"]
async fn chromium_stores_set_cookie_as_the_rfc_table_says() {
    use axum::extract::Query;
    use axum::http::header::SET_COOKIE;
    #[derive(serde::Deserialize)]
    struct Case {
        i: usize,
        prime: Option<bool>,
    }
    let router = axum::Router::new()
        .route("/", axum::routing::get(|| async { "cases" }))
        .route(
            "/case",
            axum::routing::get(|Query(case): Query<Case>| async move {
                let header = if case.prime.unwrap_or(false) {
                    format!("c{}=old; Max-Age=100000; Path=/", case.i)
                } else {
                    let header = SET_COOKIE_CASES[case.i].header;
                    header.replacen("c=", &format!("c{}=", case.i), 1)
                };
                ([(SET_COOKIE, header)], "")
            }),
        );
    let port = serve(router).await;
    let browser = launch().await;
    let (_, page) = fresh_page(&browser, &format!("http://www.shop.test:{port}/")).await;
    let started = SystemTime::now();
    let count = SET_COOKIE_CASES.len();
    let failed: Vec<usize> = eval(
        &page,
        &format!(
            "(async () => {{ const failed = []; for (let i = 0; i < {count}; i++) {{ try {{ await fetch(`/case?i=${{i}}&prime=true`); await fetch(`/case?i=${{i}}`); }} catch (e) {{ failed.push(i); }} }} return failed; }})()"
        ),
    )
    .await;
    assert!(
        failed.is_empty(),
        "fetches failed: {:?}",
        failed
            .iter()
            .map(|&i| SET_COOKIE_CASES[i].header)
            .collect::<Vec<_>>()
    );
    let cookies = jar(&page).await;
    let now = started
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    for (i, case) in SET_COOKIE_CASES.iter().enumerate() {
        let (header, step) = (case.header, case.step);
        let expected = case.chromium.unwrap_or(case.rfc);
        let stored = cookies.iter().find(|cookie| cookie.name == format!("c{i}"));
        let seen = match stored {
            None => Stored::Deletion,
            Some(cookie) if cookie.session => Stored::Session,
            Some(cookie) => Stored::Seconds((cookie.expires - now).round().max(0.0) as u64),
        };
        let agrees = match (seen, expected) {
            // The clock moved between the request and `now`: a few seconds.
            (Stored::Seconds(seen), Stored::Seconds(expected)) => seen.abs_diff(expected) <= 30,
            (seen, expected) => seen == expected,
        };
        assert!(
            agrees,
            "{header}: Chromium stored {seen:?}, the table says {expected:?} ({step})"
        );
    }
}

/// A page of another site posts a form to the shop's `/consent` in the
/// visitor's browser, the cross-site forgery the endpoint must refuse: in
/// Chromium, nothing is recorded and no consent cookie is set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium (apt-get install -y chromium)"]
async fn a_cross_site_form_records_nothing() {
    let dir = cookie_policy_tests::scratch_dir("forgery");
    let log = ConsentLog::new::<BannerSite>(SqliteStore::open(dir.join("log.sqlite")).unwrap());
    let store = SqliteStore::open(dir.join("log.sqlite")).unwrap();
    let shop = serve_on_port(|port| {
        let mut decisions = axum_consent::app::Decisions::from_env(Some(log));
        decisions.same_origin = SameOrigin::site(&format!("http://www.shop.test:{port}")).unwrap();
        axum_consent::app::app_with::<BannerSite>(|_| {}, decisions)
    })
    .await;
    // The attacker's page: a form that posts itself on load, both flows.
    let forms = format!(
        "<!doctype html><title>win a prize</title>\
         <form id=native method=post action='http://www.shop.test:{shop}/consent?accept=statistical'>\
         <input name=accept value=statistical></form>\
         <script>\
         fetch('http://www.shop.test:{shop}/consent', {{method: 'POST', mode: 'no-cors', credentials: 'include',\
           headers: {{'Content-Type': 'text/plain'}},\
           body: JSON.stringify({{cookie: {{categories: ['necessary', 'statistical'], revision: {revision}}}}})}})\
           .finally(() => document.getElementById('native').submit());\
         </script>",
        revision = cookie_policy::Consent::banner_revision::<BannerSite>(),
    );
    let evil = serve(axum::Router::new().route(
        "/",
        axum::routing::get(move || async move { axum::response::Html(forms) }),
    ))
    .await;
    let browser = launch().await;
    let (_, page) = fresh_page(&browser, &format!("http://www.evil.test:{evil}/")).await;
    // The form's post navigates to the shop's answer.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let url = page.url().await.ok().flatten().unwrap_or_default();
        if url.starts_with("http://www.shop.test") || Instant::now() >= deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    page.wait_for_navigation().await.unwrap();
    let answer: String = eval(&page, "document.body.innerText").await;
    assert!(answer.contains("another origin"), "{answer}");
    let jar = jar(&page).await;
    assert!(
        !names(&jar).contains(&"cookies_preferences"),
        "a consent cookie was set: {jar:#?}"
    );
    // Give a late write every chance to land.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let recorded = store.since(0).await.unwrap();
    assert!(recorded.is_empty(), "{recorded:#?}");
    let _ = std::fs::remove_dir_all(&dir);
}
