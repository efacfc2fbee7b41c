//! Google Consent Mode v2 in a real browser: a page served on 127.0.0.1
//! (reached as `www.shop.test`) runs the policy's `default` snippet first,
//! then a `gtag('config', ...)` and a Tag Manager `gtm.js` push, then
//! vanilla-cookieconsent's published build with the exported
//! configuration. A visitor clicks the banner in headless Chromium, and
//! `window.dataLayer` is read over CDP.
//!
//! The oracle is the issue's table, written out below independently of the
//! library's mapping: statistical → `analytics_storage`; advertising →
//! `ad_storage`, `ad_user_data`, `ad_personalization`; functional →
//! `functionality_storage`, `personalization_storage`; `security_storage`
//! always granted; everything else denied.
//!
//! Needs `chromium`: ignored by default, run with `--include-ignored`,
//! where a missing Chromium fails it. One browser for the file.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use chromiumoxide::browser::Browser;
use chromiumoxide::cdp::browser_protocol::network::{CookieParam, SetCookiesParams};
use chromiumoxide::cdp::browser_protocol::page::AddScriptToEvaluateOnNewDocumentParams;
use chromiumoxide::page::Page;
use cookie_policy::{CookiePolicy, PolicyData};
use cookie_policy_chromium::chromiumoxide;
use cookie_policy_tests::browser::{blank_page, click, eval, goto};
use cookie_policy_tests::chromium;
use serde_json::Value;

/// Every category, 25 cookies.
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
struct Shop;

/// Necessary and statistical cookies only: no advertising category in its
/// banner.
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/banner-site.toml")]
struct BannerSite;

/// Its own Consent Mode table, regions and `wait_for_update`.
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/consent-mode.toml")]
struct ConsentModeShop;

const BANNER_SCRIPT: &str =
    include_str!("../../examples/axum-consent/assets/vanilla-cookieconsent/cookieconsent.umd.js");
const BANNER_STYLE: &str =
    include_str!("../../examples/axum-consent/assets/vanilla-cookieconsent/cookieconsent.css");

/// A site as the test sees it: its policy's Consent Mode table written
/// out by hand (each key and the category that grants it: `necessary`
/// always, `None` never), the categories its banner offers, and its
/// `[consent_mode]` settings.
struct Site {
    table: [(&'static str, Option<&'static str>); 7],
    offers: &'static [&'static str],
    wait_for_update: u64,
    regions: &'static [&'static str],
}

/// The issue's table: statistical → `analytics_storage`; advertising →
/// `ad_storage`, `ad_user_data`, `ad_personalization`; functional →
/// `functionality_storage`, `personalization_storage`; `security_storage`
/// granted.
const ISSUE_TABLE: [(&str, Option<&str>); 7] = [
    ("ad_storage", Some("advertising")),
    ("ad_user_data", Some("advertising")),
    ("ad_personalization", Some("advertising")),
    ("analytics_storage", Some("statistical")),
    ("functionality_storage", Some("functional")),
    ("personalization_storage", Some("functional")),
    ("security_storage", Some("necessary")),
];

/// `fixtures/shop.toml`: every category, the issue's table.
const SHOP: Site = Site {
    table: ISSUE_TABLE,
    offers: &["necessary", "functional", "statistical", "advertising"],
    wait_for_update: 500,
    regions: &[],
};

/// `fixtures/banner-site.toml`: no functional or advertising cookie, so
/// its banner offers neither.
const BANNER_SITE: Site = Site {
    table: ISSUE_TABLE,
    offers: &["necessary", "statistical"],
    wait_for_update: 500,
    regions: &[],
};

/// `fixtures/consent-mode.toml`, as its tables say.
const CONSENT_MODE_SHOP: Site = Site {
    table: [
        ("ad_storage", Some("advertising")),
        ("ad_user_data", Some("advertising")),
        ("ad_personalization", Some("advertising")),
        ("analytics_storage", Some("statistical")),
        ("functionality_storage", Some("functional")),
        ("personalization_storage", Some("advertising")),
        ("security_storage", None),
    ],
    offers: &["necessary", "functional", "statistical", "advertising"],
    wait_for_update: 800,
    regions: &["FR", "US-CA"],
};

impl Site {
    /// Each key's state once the visitor accepted `accepted` (`&[]`: the
    /// default). A category the banner does not offer is never accepted.
    fn expected(&self, accepted: &[&str]) -> BTreeMap<String, String> {
        self.table
            .iter()
            .map(|&(key, category)| {
                let granted = match category {
                    Some("necessary") => true,
                    Some(category) => {
                        accepted.contains(&category) && self.offers.contains(&category)
                    }
                    None => false,
                };
                let state = if granted { "granted" } else { "denied" };
                (key.to_owned(), state.to_owned())
            })
            .collect()
    }
}

/// What runs before the banner: `head` is the page's first scripts.
fn page(head: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Consent Mode</title>
{head}
<link rel="stylesheet" href="/assets/cookieconsent.css">
<script src="/assets/cookieconsent.umd.js"></script>
<script type="module">
  import config from "/cookieconsent-config.js";
  CookieConsent.run(config);
</script>
</head>
<body>
<h1>Consent Mode</h1>
<p><button type="button" data-cc="show-preferencesModal">Manage cookies</button></p>
</body>
</html>
"#
    )
}

/// A Google tag and a Tag Manager container's first push, as their
/// snippets write them.
const TAGS: &str = "<script>gtag('js', new Date()); gtag('config', 'G-TEST0000');</script>\n\
<script>window.dataLayer.push({'gtm.start': new Date().getTime(), event: 'gtm.js'});</script>";

/// Console errors, kept where the test can read them.
const CONSOLE_SPY: &str = "<script>window.consoleErrors = []; console.error = (...args) => consoleErrors.push(args.join(' '));</script>";

/// Serves the pages of `policy` on 127.0.0.1: `/` with the default snippet
/// first, `/late` with a tag before it, `/no-gtag` where the page has no
/// global `gtag` (a site whose tags only read `dataLayer`).
async fn serve(policy: PolicyData) -> u16 {
    use axum::http::header::CONTENT_TYPE;
    use axum::response::Html;
    use axum::routing::get;
    let snippet = format!("<script>\n{}</script>", policy.consent_mode_default());
    let first = page(&format!("{CONSOLE_SPY}\n{snippet}\n{TAGS}"));
    let late = page(&format!(
        "{CONSOLE_SPY}\n<script>window.dataLayer = [];\nfunction gtag(){{dataLayer.push(arguments);}}\ngtag('config', 'G-TEST0000');</script>\n{snippet}\n{TAGS}"
    ));
    let no_gtag = page(&format!(
        "{CONSOLE_SPY}\n{snippet}\n<script>window.gtag = undefined;</script>\n<script>window.dataLayer.push({{event: 'gtm.js'}});</script>"
    ));
    let config = policy.cookieconsent_config().unwrap();
    let router = axum::Router::new()
        .route("/", get(move || async move { Html(first) }))
        .route("/late", get(move || async move { Html(late) }))
        .route("/no-gtag", get(move || async move { Html(no_gtag) }))
        .route(
            "/cookieconsent-config.js",
            get(move || async move { ([(CONTENT_TYPE, "text/javascript")], config) }),
        )
        .route(
            "/assets/cookieconsent.umd.js",
            get(|| async { ([(CONTENT_TYPE, "text/javascript")], BANNER_SCRIPT) }),
        )
        .route(
            "/assets/cookieconsent.css",
            get(|| async { ([(CONTENT_TYPE, "text/css")], BANNER_STYLE) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    port
}

/// A page in a fresh browser context (no cookies, no storage), with
/// `cookies` set in it first.
async fn fresh_page(browser: &Browser, url: &str, cookies: Vec<CookieParam>) -> Page {
    let (_, page) = blank_page(browser).await;
    if !cookies.is_empty() {
        // Over CDP directly: chromiumoxide's `set_cookies` refuses a blank
        // page, though each cookie names its URL.
        page.execute(SetCookiesParams::new(cookies)).await.unwrap();
    }
    goto(&page, url).await;
    page
}

/// Waits until `condition` holds on `page`; on a timeout, shows its
/// `dataLayer`.
async fn wait_for(page: &Page, condition: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let holds: bool = eval(page, &format!("Boolean({condition})")).await;
        if holds {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for `{condition}`; dataLayer: {:?}",
            data_layer(page).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `window.dataLayer`, each entry either `{"args": [...]}` (an `arguments`
/// object, what `gtag` pushes) or `{"push": {...}}` (an object pushed).
async fn data_layer(page: &Page) -> Vec<Value> {
    eval(
        page,
        "(window.dataLayer || []).map(e => Object.prototype.toString.call(e) === '[object Arguments]' \
         ? {args: Array.from(e, a => a instanceof Date ? a.toISOString() : a)} : {push: e})",
    )
    .await
}

fn command<'a>(entry: &'a Value, name: &str) -> Option<&'a Value> {
    let args = entry["args"].as_array()?;
    (args.first()?.as_str() == Some("consent") && args.get(1)?.as_str() == Some(name))
        .then(|| &args[2])
}

/// The checks of the issue: a `default` comes before the first `config`,
/// `event` or `gtm.js` entry, and denies every key that needs consent; the
/// last `update` (if `accepted` is a choice) grants exactly what the table
/// says, else there is none. An error says which failed.
fn judge(entries: &[Value], accepted: Option<&[&str]>, site: &Site) -> Result<(), String> {
    let default = entries
        .iter()
        .position(|entry| command(entry, "default").is_some())
        .ok_or("no consent default")?;
    let tag = entries
        .iter()
        .position(|entry| {
            let first = entry["args"][0].as_str();
            matches!(first, Some("config" | "event")) || entry["push"]["event"] == "gtm.js"
        })
        .ok_or("no tag ran")?;
    if tag < default {
        return Err(format!(
            "entry {tag} (a tag) comes before the consent default (entry {default})"
        ));
    }
    let mut default = command(&entries[default], "default")
        .cloned()
        .unwrap_or_default();
    let fields = default
        .as_object_mut()
        .ok_or("the default is not an object")?;
    let wait = fields.remove("wait_for_update");
    if wait.as_ref().and_then(Value::as_u64) != Some(site.wait_for_update) {
        return Err(format!(
            "the default's wait_for_update is {wait:?}, not {}",
            site.wait_for_update
        ));
    }
    let region = fields.remove("region");
    let regions: Vec<&str> = region
        .as_ref()
        .and_then(Value::as_array)
        .map(|regions| regions.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if regions != site.regions || (site.regions.is_empty() && region.is_some()) {
        return Err(format!("the default's region is {region:?}"));
    }
    let defaults: BTreeMap<String, String> =
        serde_json::from_value(default).map_err(|error| error.to_string())?;
    if defaults != site.expected(&[]) {
        return Err(format!("the default is {defaults:?}"));
    }
    let updates: Vec<&Value> = entries
        .iter()
        .filter_map(|entry| command(entry, "update"))
        .collect();
    match (accepted, updates.last()) {
        (None, None) => Ok(()),
        (None, Some(update)) => Err(format!("an update before any choice: {update}")),
        (Some(_), None) => Err("no update".to_owned()),
        (Some(accepted), Some(update)) => {
            let update: BTreeMap<String, String> =
                serde_json::from_value((*update).clone()).map_err(|error| error.to_string())?;
            let expected = site.expected(accepted);
            if update == expected {
                Ok(())
            } else {
                Err(format!(
                    "the last update is {update:?}, the choice {accepted:?} means {expected:?}"
                ))
            }
        }
    }
}

async fn updates(page: &Page) -> usize {
    eval(
        page,
        "(window.dataLayer || []).filter(e => e[0] === 'consent' && e[1] === 'update').length",
    )
    .await
}

/// Waits for the banner to push more than `before` updates.
async fn wait_for_update(page: &Page, before: usize) {
    wait_for(
        page,
        &format!(
            "(window.dataLayer || []).filter(e => e[0] === 'consent' && e[1] === 'update').length > {before}"
        ),
    )
    .await;
}

async fn check(page: &Page, accepted: Option<&[&str]>, site: &Site, what: &str) {
    let entries = data_layer(page).await;
    if let Err(error) = judge(&entries, accepted, site) {
        panic!("{what}: {error}\n{entries:#?}");
    }
    let errors: Vec<String> = eval(page, "window.consoleErrors || []").await;
    assert!(errors.is_empty(), "{what}: {errors:?}");
}

/// How the visitor chooses, by clicks.
#[derive(Clone, Copy, Debug)]
enum Choice {
    /// "Reject all" in the banner.
    None,
    /// The preferences, saved as they open: necessary only.
    Necessary,
    /// "Accept all".
    All,
    /// The preferences, one category switched on, saved.
    One(&'static str),
}

async fn choose(page: &Page, choice: Choice) {
    wait_for(page, "document.querySelector('#cc-main .cm')").await;
    match choice {
        Choice::None => click(page, "#cc-main .cm [data-role=necessary]").await,
        Choice::All => click(page, "#cc-main .cm [data-role=all]").await,
        Choice::Necessary | Choice::One(_) => {
            click(page, "#cc-main .cm [data-role=show]").await;
            wait_for(
                page,
                "document.documentElement.classList.contains('show--preferences')",
            )
            .await;
            if let Choice::One(category) = choice {
                toggle(page, category, true).await;
            }
            click(page, "#cc-main .pm [data-role=save]").await;
        }
    }
}

/// Switches `category` in the open preferences to `on`.
async fn toggle(page: &Page, category: &str, on: bool) {
    let input = format!("#cc-main input.section__toggle[value={category}]");
    let checked = format!("document.querySelector('{input}').checked");
    wait_for(page, &format!("document.querySelector('{input}')")).await;
    let now: bool = eval(page, &checked).await;
    if now != on {
        // The input is hidden under its styled switch: click the switch.
        click(
            page,
            &format!("#cc-main .section__toggle-wrapper:has(input[value={category}])"),
        )
        .await;
        let want = if on { "" } else { "!" };
        wait_for(page, &format!("{want}{checked}")).await;
    }
}

async fn reload(page: &Page) {
    page.reload().await.unwrap();
    page.wait_for_navigation().await.unwrap();
}

/// A first visit to `url`, where the visitor makes `choice`, which accepts
/// `accepted`; then the same visitor returns (a reload). Checked at each
/// step; the page is left open.
async fn visit(
    browser: &Browser,
    url: &str,
    site: &Site,
    choice: Choice,
    accepted: &[&str],
) -> Page {
    let what = format!("{url} {choice:?}");
    let page = fresh_page(browser, url, Vec::new()).await;
    wait_for(&page, "document.querySelector('#cc-main .cm')").await;
    // Before any choice: the default alone.
    check(&page, None, site, &format!("{what}, before")).await;
    choose(&page, choice).await;
    wait_for_update(&page, 0).await;
    check(&page, Some(accepted), site, &what).await;
    // A returning visitor: the stored choice, sent on load.
    reload(&page).await;
    wait_for_update(&page, 0).await;
    check(&page, Some(accepted), site, &format!("{what}, reloaded")).await;
    page
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium (apt-get install -y chromium)"]
async fn the_default_comes_first_and_the_last_update_is_the_choice() {
    let shop = serve(PolicyData::of::<Shop>()).await;
    let banner_site = serve(PolicyData::of::<BannerSite>()).await;
    let consent_mode_shop = serve(PolicyData::of::<ConsentModeShop>()).await;
    let options = cookie_policy_chromium::Options::new()
        .window_size(1200, 900)
        .host_resolver_rules("MAP *.shop.test 127.0.0.1");
    let browser = chromium()
        .launch(&options)
        .await
        .unwrap_or_else(|error| panic!("{error}"));

    // The issue's four choices, on a policy with every category.
    let home = format!("http://www.shop.test:{shop}/");
    for (choice, accepted) in [
        (Choice::None, &["necessary"][..]),
        (Choice::Necessary, &["necessary"]),
        (Choice::All, SHOP.offers),
        (Choice::One("advertising"), &["necessary", "advertising"]),
    ] {
        let page = visit(&browser, &home, &SHOP, choice, accepted).await;
        if let Choice::All = choice {
            // A change: advertising withdrawn in the preferences.
            let before = updates(&page).await;
            click(&page, "button[data-cc=show-preferencesModal]").await;
            toggle(&page, "advertising", false).await;
            click(&page, "#cc-main .pm [data-role=save]").await;
            wait_for_update(&page, before).await;
            let left = ["necessary", "functional", "statistical"];
            check(&page, Some(&left), &SHOP, "withdrawn").await;
            reload(&page).await;
            wait_for_update(&page, 0).await;
            check(&page, Some(&left), &SHOP, "withdrawn, reloaded").await;
        }
        page.close().await.unwrap();
    }

    // A policy's own mapping, regions and wait_for_update.
    let home = format!("http://www.shop.test:{consent_mode_shop}/");
    for (choice, accepted) in [
        (Choice::One("functional"), &["necessary", "functional"][..]),
        (Choice::All, CONSENT_MODE_SHOP.offers),
    ] {
        let page = visit(&browser, &home, &CONSENT_MODE_SHOP, choice, accepted).await;
        page.close().await.unwrap();
    }

    // A page whose own tags read `dataLayer` and define no `gtag`: the
    // banner pushes its updates as `gtag` would, an `arguments` object.
    let url = format!("http://www.shop.test:{banner_site}/no-gtag");
    let page = visit(
        &browser,
        &url,
        &BANNER_SITE,
        Choice::All,
        BANNER_SITE.offers,
    )
    .await;
    page.close().await.unwrap();

    threats(&browser, shop, banner_site).await;
}

/// A consent cookie for `site`'s banner, as the banner writes it (its
/// URL-encoded JSON), with `categories` (JSON) and `revision`.
fn forged(site: &str, categories: &str, revision: u32) -> CookieParam {
    let json = format!(
        "{{\"categories\":{categories},\"revision\":{revision},\"data\":null,\"consentTimestamp\":\"2026-01-01T00:00:00.000Z\",\"consentId\":\"3b8f0c1e-5a2d-4f6b-9c7e-1d2a3b4c5d6e\",\"services\":{{}},\"languageCode\":\"en\",\"lastConsentTimestamp\":\"2026-01-01T00:00:00.000Z\",\"expirationTime\":{}}}",
        // A year from now, in milliseconds.
        (std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs()
            + 365 * 86_400)
            * 1000
    );
    let mut value = String::new();
    for byte in json.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            value.push(char::from(byte));
        } else {
            value.push_str(&format!("%{byte:02X}"));
        }
    }
    CookieParam::builder()
        .name("cookies_preferences")
        .value(value)
        .url(site)
        .build()
        .unwrap()
}

/// The threats of docs/publishing.md, "Google Consent Mode v2".
async fn threats(browser: &Browser, shop: u16, banner_site: u16) {
    // A tag before the default: the order check fails (it can), and the
    // snippet says so in the console.
    let page = fresh_page(
        browser,
        &format!("http://www.shop.test:{shop}/late"),
        Vec::new(),
    )
    .await;
    wait_for(&page, "document.querySelector('#cc-main .cm')").await;
    let entries = data_layer(&page).await;
    let verdict = judge(&entries, None, &SHOP);
    assert!(
        verdict
            .as_ref()
            .is_err_and(|error| error.contains("comes before the consent default")),
        "{verdict:?} {entries:#?}"
    );
    let errors: Vec<String> = eval(&page, "window.consoleErrors").await;
    assert_eq!(
        errors,
        [
            "cookie-policy: a tag ran before the Consent Mode default; put this script above every tag"
        ]
    );
    page.close().await.unwrap();

    // A stale choice under Global Privacy Control: advertising accepted,
    // then the visitor's browser sends the signal. The banner's GPC code
    // replaces the stored choice on load; no update of that page may grant
    // advertising's keys, even for a moment, and the last one denies them.
    let page = visit(
        browser,
        &format!("http://www.shop.test:{shop}/"),
        &SHOP,
        Choice::All,
        SHOP.offers,
    )
    .await;
    page.execute(AddScriptToEvaluateOnNewDocumentParams::new(
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });",
    ))
    .await
    .unwrap();
    reload(&page).await;
    wait_for(
        &page,
        "(() => { const u = dataLayer.filter(e => e[0] === 'consent' && e[1] === 'update'); return u.length > 0 && u[u.length - 1][2].ad_storage === 'denied'; })()",
    )
    .await;
    let entries = data_layer(&page).await;
    for update in entries.iter().filter_map(|entry| command(entry, "update")) {
        assert_eq!(update["ad_storage"], "denied", "{entries:#?}");
    }
    check(
        &page,
        Some(&["necessary", "functional", "statistical"]),
        &SHOP,
        "a stale choice under GPC",
    )
    .await;
    page.close().await.unwrap();

    let site = format!("http://www.shop.test:{banner_site}");
    let revision = PolicyData::of::<BannerSite>().banner_revision();
    // A forged cookie that names a category the banner does not offer:
    // advertising stays denied; statistical, which it offers, is granted
    // (on the client, a cookie the banner accepts is the visitor's choice).
    let cookie = forged(
        &site,
        r#"["necessary","statistical","advertising"]"#,
        revision,
    );
    let page = fresh_page(browser, &format!("{site}/"), vec![cookie]).await;
    wait_for_update(&page, 0).await;
    check(
        &page,
        Some(&["necessary", "statistical", "advertising"]),
        &BANNER_SITE,
        "forged: an unoffered category",
    )
    .await;
    page.close().await.unwrap();

    // Categories that are not an array (a string that contains
    // "statistical"): the banner refuses the cookie and asks again, and no
    // update is sent; an event that carries such a cookie anyway grants
    // nothing.
    let cookie = forged(&site, r#""necessary statistical""#, revision);
    let page = fresh_page(browser, &format!("{site}/"), vec![cookie]).await;
    wait_for(&page, "document.querySelector('#cc-main .cm')").await;
    check(&page, None, &BANNER_SITE, "forged: a string of categories").await;
    page.evaluate("window.dispatchEvent(new CustomEvent('cc:onConsent', {detail: {cookie: {categories: 'necessary statistical'}}}))")
        .await
        .unwrap();
    wait_for_update(&page, 0).await;
    check(
        &page,
        Some(&["necessary"]),
        &BANNER_SITE,
        "an event with a string of categories",
    )
    .await;
    page.close().await.unwrap();

    // A stale consent, given to an older revision of the policy: the banner
    // asks again, and no update grants anything.
    let cookie = forged(&site, r#"["necessary","statistical"]"#, revision ^ 1);
    let page = fresh_page(browser, &format!("{site}/"), vec![cookie]).await;
    wait_for(&page, "document.querySelector('#cc-main .cm')").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    check(&page, None, &BANNER_SITE, "an older revision").await;
    page.close().await.unwrap();
}
