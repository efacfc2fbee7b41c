//! What the browser tests do to a page, written once: a page in a fresh
//! browser context, a JavaScript expression's value, waiting for a
//! condition. Each panics with what the page showed, since a browser test
//! that cannot drive the page must fail, never pass.

use std::time::{Duration, Instant};

use cookie_policy_chromium::chromiumoxide::browser::Browser;
use cookie_policy_chromium::chromiumoxide::cdp::browser_protocol::browser::BrowserContextId;
use cookie_policy_chromium::chromiumoxide::cdp::browser_protocol::target::{
    CreateBrowserContextParams, CreateTargetParams,
};
use cookie_policy_chromium::chromiumoxide::page::Page;

/// A blank page in a fresh browser context (no cookies, no storage), to
/// prepare (headers, scripts, cookies over CDP) before it goes anywhere
/// with [`goto`]; the context, to read its cookie jar.
pub async fn blank_page(browser: &Browser) -> (BrowserContextId, Page) {
    let context = browser
        .create_browser_context(CreateBrowserContextParams::default())
        .await
        .unwrap_or_else(|error| panic!("a browser context: {error}"));
    let target = CreateTargetParams::builder()
        .url("about:blank")
        .browser_context_id(context.clone())
        .build()
        .unwrap_or_else(|error| panic!("a target: {error}"));
    let page = browser
        .new_page(target)
        .await
        .unwrap_or_else(|error| panic!("a blank page: {error}"));
    (context, page)
}

/// Loads `url` in `page`, and waits until it has loaded.
pub async fn goto(page: &Page, url: &str) {
    page.goto(url)
        .await
        .unwrap_or_else(|error| panic!("going to {url}: {error}"));
    page.wait_for_navigation()
        .await
        .unwrap_or_else(|error| panic!("loading {url}: {error}"));
}

/// A page on `url` in a fresh browser context (no cookies, no storage),
/// once `url` has loaded; the context, to read its cookie jar.
pub async fn fresh_page(browser: &Browser, url: &str) -> (BrowserContextId, Page) {
    let (context, page) = blank_page(browser).await;
    goto(&page, url).await;
    (context, page)
}

/// The value of the JavaScript `expression` on `page`; panics when the page
/// does not answer within 10 s (a script may have opened a dialog) or the
/// expression throws.
pub async fn eval<T: serde::de::DeserializeOwned>(page: &Page, expression: &str) -> T {
    tokio::time::timeout(Duration::from_secs(10), page.evaluate(expression))
        .await
        .unwrap_or_else(|_| {
            panic!("{expression}: the page does not answer; did a script open a dialog?")
        })
        .unwrap_or_else(|error| panic!("{expression}: {error}"))
        .into_value()
        .unwrap_or_else(|error| panic!("{expression}: {error}"))
}

/// Waits up to 15 s until the JavaScript `condition` holds on `page`;
/// panics with the page's address and the start of its banner (or of the
/// document) when it never does.
pub async fn wait_for(page: &Page, condition: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let holds: bool = eval(page, &format!("Boolean({condition})")).await;
        if holds {
            return;
        }
        if Instant::now() >= deadline {
            let state = page
                .evaluate("location.href + '\\n' + (document.getElementById('cc-main') || document.documentElement).outerHTML.slice(0, 3000)")
                .await
                .ok()
                .and_then(|result| result.into_value::<String>().ok());
            panic!("timed out waiting for `{condition}`; the page: {state:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Clicks the element `selector` matches, as a visitor would: the mouse
/// pressed and released at its centre, once it is there, stands still
/// (the banner's modals slide in) and is what the pointer would hit there.
pub async fn click(page: &Page, selector: &str) {
    wait_for(page, &format!("document.querySelector({selector:?})")).await;
    let settled: bool = eval(
        page,
        &format!(
            "(async () => {{ const e = document.querySelector({selector:?}); let last = ''; \
             for (let i = 0; i < 100; i++) {{ const r = e.getBoundingClientRect(); \
             const at = [r.x, r.y, r.width, r.height].join(); \
             const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2); \
             if (at === last && r.width > 0 && hit && (hit === e || e.contains(hit))) return true; \
             last = at; await new Promise(done => setTimeout(done, 100)); }} return false; }})()"
        ),
    )
    .await;
    assert!(
        settled,
        "{selector} does not settle where it can be clicked"
    );
    page.find_element(selector)
        .await
        .unwrap_or_else(|error| panic!("finding {selector}: {error}"))
        .click()
        .await
        .unwrap_or_else(|error| panic!("clicking {selector}: {error}"));
}
