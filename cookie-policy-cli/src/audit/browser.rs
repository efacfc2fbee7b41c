//! The crawl: Debian's headless `chromium`, found and launched by
//! `cookie-policy-chromium` (as the browser tests launch it: in Chromium's
//! sandbox where the host allows it, in a private profile) and driven over
//! the DevTools protocol, once per audit, with one fresh browser context per
//! pass. The report says which Chromium ran and whether sandboxed.
//!
//! What is recorded, per pass and page:
//! - every `Set-Cookie` of every response, in every frame (the network
//!   domain's `responseReceivedExtraInfo`, which carries the raw headers,
//!   including those of cookies the browser then blocks);
//! - every `document.cookie` write, through a setter installed before the
//!   page's own scripts in every frame, which reports the write and the URL
//!   of the script on the stack;
//! - the browser context's cookie jar at the end of the pass;
//! - the localStorage and sessionStorage keys of every frame's origin.
//!
//! Site isolation is turned off so that a cross-site iframe runs in the
//! page's renderer and its network events reach the page's session.

use std::collections::{HashMap, VecDeque};
use std::io::IsTerminal as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use chromiumoxide::browser::Browser;
use chromiumoxide::cdp::browser_protocol::dom_storage::{
    EnableParams as DomStorageEnable, GetDomStorageItemsParams, StorageId,
};
use chromiumoxide::cdp::browser_protocol::network::{
    CookieParam, EnableParams as NetworkEnable, EventRequestWillBeSent,
    EventResponseReceivedExtraInfo, Headers, SetExtraHttpHeadersParams, TimeSinceEpoch,
};
use chromiumoxide::cdp::browser_protocol::page::{
    AddScriptToEvaluateOnNewDocumentParams, FrameTree, GetFrameTreeParams,
};
use chromiumoxide::cdp::browser_protocol::storage::{GetCookiesParams, SetCookiesParams};
use chromiumoxide::cdp::browser_protocol::target::{
    CreateBrowserContextParams, CreateTargetParams,
};
use chromiumoxide::cdp::js_protocol::runtime::{AddBindingParams, EventBindingCalled};
use chromiumoxide::page::Page;
use cookie_policy::{Consent, PolicyData};
use cookie_policy_chromium::{Chromium, Options, chromiumoxide};
use futures_util::StreamExt;
use url::Url;

use super::observe::{BrowserUsed, LeftOrigin, Observations, Seen, Source, Storage};
use super::tags::{DataLayer, Entry};
use super::{Pass, Request, passes};

/// The binding the cookie hook reports through.
const BINDING: &str = "__cookiePolicyAudit";

/// Installed in every frame before its scripts: reports each
/// `document.cookie` write, with the first script URL on the stack.
const HOOK: &str = r#"(() => {
  const cookie = Object.getOwnPropertyDescriptor(Document.prototype, "cookie");
  const report = globalThis.__cookiePolicyAudit;
  if (!cookie || !cookie.set || typeof report !== "function") return;
  Object.defineProperty(Document.prototype, "cookie", {
    configurable: true,
    enumerable: cookie.enumerable,
    get() { return cookie.get.call(this); },
    set(value) {
      try {
        const stack = String(new Error().stack || "");
        const script = stack.match(/(https?:\/\/[^\s()]+?):\d+:\d+/);
        report(JSON.stringify({ value: String(value), script: script ? script[1] : null, frame: String(location.href) }));
      } catch (_) {}
      return cookie.set.call(this, value);
    },
  });
})();"#;

/// Installed in every frame of the `gpc` pass before its scripts:
/// `navigator.globalPrivacyControl` is `true`, as the GPC specification
/// defines it (a getter on `Navigator.prototype`), whether or not this
/// Chromium implements it.
const GPC: &str = r#"(() => {
  try {
    Object.defineProperty(Navigator.prototype, "globalPrivacyControl", {
      configurable: true, enumerable: true, get() { return true; },
    });
  } catch (_) {}
})();"#;

/// Reads `window.dataLayer` as JSON, each entry tagged: a `gtag()` call
/// (an `Arguments` object) with its items, or what else was pushed; values
/// JSON cannot hold become `null`; at most 1,000 entries. `null` when the
/// page has no `dataLayer` array.
const READ_DATA_LAYER: &str = r#"(() => {
  const layer = window.dataLayer;
  if (!Array.isArray(layer)) return null;
  const plain = (value) => {
    try { const text = JSON.stringify(value); return text === undefined ? null : JSON.parse(text); }
    catch (_) { return null; }
  };
  return JSON.stringify(layer.slice(0, 1000).map((entry) =>
    Object.prototype.toString.call(entry) === "[object Arguments]"
      ? { type: "gtag", args: Array.from(entry, plain) }
      : { type: "push", value: plain(entry) }));
})()"#;

/// How long a page is left to run its scripts after its load event.
const SETTLE: Duration = Duration::from_millis(400);

/// The longest a page may take to load.
const LOAD_TIMEOUT: Duration = Duration::from_secs(20);

pub(crate) fn crawl(request: &Request, policy: &PolicyData) -> Result<Observations, String> {
    // Everything that needs no browser is checked before one is looked for.
    let mut starts = Vec::new();
    for url in &request.urls {
        match Url::parse(url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => starts.push(parsed),
            Ok(_) | Err(_) => {
                return Err(format!(
                    "error: `{url}` is not an http or https URL\n  = help: give the full address of a page, such as `https://example.com/`\n"
                ));
            }
        }
    }
    let chromium = Chromium::find(request.chromium.as_deref()).map_err(|error| {
        format!("error: {error}\n  = help: or audit a recording with `--har FILE`\n")
    })?;
    // The sandbox probe (a short blocking launch, on first use) runs here,
    // outside the async runtime.
    chromium.sandbox();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|error| format!("error: cannot start the async runtime: {error}\n"))?;
    runtime.block_on(run(
        &chromium,
        request.host_resolver_rules.clone(),
        starts,
        request.pages.max(1),
        policy,
    ))
}

async fn run(
    chromium: &Chromium,
    host_resolver_rules: Option<String>,
    starts: Vec<Url>,
    pages: usize,
    policy: &PolicyData,
) -> Result<Observations, String> {
    let mut options = Options::new()
        // Cross-site iframes in the page's renderer, so their network
        // events reach the page's session.
        .arg("disable-site-isolation-trials")
        .arg("disable-features=IsolateOrigins,site-per-process");
    if let Some(rules) = host_resolver_rules {
        options = options.host_resolver_rules(rules);
    }
    let browser = chromium.launch(&options).await.map_err(|error| {
        format!("error: {error}\n  = help: give the path of a Chromium with `--chromium PATH`\n")
    })?;
    let passes = passes(policy);
    // The withdraw pass loads its pages twice.
    let progress = Progress::new((passes.len() + 1) * starts.len() * pages);
    let mut observed = Observations {
        site: starts
            .first()
            .and_then(Url::host_str)
            .unwrap_or_default()
            .to_owned(),
        browser: Some(BrowserUsed {
            executable: chromium.executable().display().to_string(),
            sandboxed: browser.sandbox().is_on(),
            sandbox: browser.sandbox().to_string(),
        }),
        ..Observations::default()
    };
    let mut result = Ok(());
    for (index, pass) in passes.iter().enumerate() {
        result = audit_pass(
            &browser,
            index,
            pass,
            &starts,
            pages,
            policy,
            &mut observed,
            &progress,
        )
        .await;
        if result.is_err() {
            break;
        }
    }
    observed.passes = passes;
    progress.finish();
    browser.close().await;
    result.map(|()| observed)
}

/// What the listeners of one pass collect.
#[derive(Default)]
struct Collected {
    /// The page being visited now.
    page: String,
    /// Request id to URL.
    urls: HashMap<String, String>,
    /// (request id, Set-Cookie header, page).
    set_cookies: Vec<(String, String, String)>,
    /// (payload of the hook, page).
    writes: Vec<(String, String)>,
}

type Shared = Arc<Mutex<Collected>>;

fn lock(shared: &Shared) -> std::sync::MutexGuard<'_, Collected> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

#[allow(clippy::too_many_arguments)]
async fn audit_pass(
    browser: &Browser,
    index: usize,
    pass: &Pass,
    starts: &[Url],
    pages: usize,
    policy: &PolicyData,
    observed: &mut Observations,
    progress: &Progress,
) -> Result<(), String> {
    let cdp = |error: chromiumoxide::error::CdpError| format!("error: Chromium: {error}\n");
    let context = browser
        .create_browser_context(CreateBrowserContextParams::default())
        .await
        .map_err(cdp)?;
    if let Some(consent) = pass.preset {
        write_consent(browser, &context, policy, starts, consent)
            .await
            .map_err(cdp)?;
    }
    let target = CreateTargetParams::builder()
        .url("about:blank")
        .browser_context_id(context.clone())
        .build()
        .map_err(|error| format!("error: Chromium: {error}\n"))?;
    let page = browser.new_page(target).await.map_err(cdp)?;
    let shared: Shared = Arc::default();
    let listeners = listen(&page, &shared).await.map_err(cdp)?;
    page.execute(NetworkEnable::default()).await.map_err(cdp)?;
    page.execute(DomStorageEnable::default())
        .await
        .map_err(cdp)?;
    page.execute(AddBindingParams::new(BINDING))
        .await
        .map_err(cdp)?;
    let mut hook = AddScriptToEvaluateOnNewDocumentParams::new(HOOK);
    hook.run_immediately = Some(true);
    page.execute(hook).await.map_err(cdp)?;
    if pass.gpc {
        // Every request of the page and its frames, and every frame's
        // `navigator`.
        let header = Headers::new(serde_json::json!({ "Sec-GPC": "1" }));
        page.execute(SetExtraHttpHeadersParams::new(header))
            .await
            .map_err(cdp)?;
        let mut signal = AddScriptToEvaluateOnNewDocumentParams::new(GPC);
        signal.run_immediately = Some(true);
        page.execute(signal).await.map_err(cdp)?;
    }

    let mut visited_all = Vec::new();
    // (origin, localStorage keys, sessionStorage keys), read on each page
    // while its frames are there.
    let mut storage: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    let mut outcome = Ok(());
    for start in starts {
        let mut queue = VecDeque::from([start.clone()]);
        let mut visited: Vec<Url> = Vec::new();
        while let Some(url) = queue.pop_front() {
            if visited.len() >= pages {
                break;
            }
            visited.push(url.clone());
            lock(&shared).page = url.to_string();
            progress.step(&pass.name, url.as_str());
            let loaded = tokio::time::timeout(LOAD_TIMEOUT, page.goto(url.as_str())).await;
            match loaded {
                Ok(Ok(_)) => {}
                Ok(Err(error)) if visited.len() == 1 => {
                    outcome = Err(format!(
                        "error: cannot load {url}: {error}\n  = help: check that the site is up and the URL is right\n"
                    ));
                    break;
                }
                Err(_) if visited.len() == 1 => {
                    outcome = Err(format!(
                        "error: {url} did not load within {} seconds\n  = help: check that the site is up and the URL is right\n",
                        LOAD_TIMEOUT.as_secs()
                    ));
                    break;
                }
                // A later page that fails is skipped: the crawl goes on.
                _ => continue,
            }
            tokio::time::sleep(SETTLE).await;
            // A redirect (HTTP, `<meta>`, script) to another origin: noted,
            // and nothing found there is crawled.
            if let Some(landed) = elsewhere(&page, start).await {
                observed.left_origin.push(LeftOrigin {
                    pass: index,
                    page: url.to_string(),
                    landed,
                });
                continue;
            }
            if let Some(read) = data_layer(&page, index, url.as_str(), pass.preset).await {
                observed.data_layers.push(read);
            }
            for link in links(&page).await {
                let Ok(mut link) = Url::parse(&link) else {
                    continue;
                };
                link.set_fragment(None);
                if link.origin() == start.origin()
                    && !visited.contains(&link)
                    && !queue.contains(&link)
                {
                    queue.push_back(link);
                }
            }
            if let Ok(tree) = page.execute(GetFrameTreeParams::default()).await {
                let mut origins = Vec::new();
                frame_origins(&tree.result.frame_tree, &mut origins);
                for origin in origins {
                    let (local, session) = (
                        storage_keys(&page, &origin, true).await,
                        storage_keys(&page, &origin, false).await,
                    );
                    match storage.iter_mut().find(|(known, ..)| *known == origin) {
                        Some((_, known_local, known_session)) => {
                            union(known_local, local);
                            union(known_session, session);
                        }
                        None => storage.push((origin, local, session)),
                    }
                }
            }
        }
        visited_all.extend(visited.into_iter().map(String::from));
        if outcome.is_err() {
            break;
        }
    }
    // The withdrawal: everything refused, as the banner writes it, then
    // every page loaded again, so that the server sees the new choice.
    if pass.withdraw && outcome.is_ok() {
        write_consent(browser, &context, policy, starts, Consent::necessary_only())
            .await
            .map_err(cdp)?;
        for url in &visited_all {
            lock(&shared).page = url.clone();
            progress.step(&pass.name, url);
            if let Ok(Ok(_)) = tokio::time::timeout(LOAD_TIMEOUT, page.goto(url.as_str())).await {
                tokio::time::sleep(SETTLE).await;
                let withdrawn = Some(Consent::necessary_only());
                if let Some(read) = data_layer(&page, index, url, withdrawn).await {
                    observed.data_layers.push(read);
                }
            }
        }
    }
    // What the listeners heard, as observations.
    let now = SystemTime::now();
    {
        let collected = lock(&shared);
        for (request, header, page_url) in &collected.set_cookies {
            let url = collected.urls.get(request).cloned().unwrap_or_default();
            let host = Url::parse(&url)
                .ok()
                .and_then(|url| url.host_str().map(str::to_owned))
                .unwrap_or_default();
            let source = Source::Header(url);
            if let Some(seen) = Seen::from_set_cookie(header, &host, now, index, page_url, source) {
                observed.cookies.push(seen);
            }
        }
        for (payload, page_url) in &collected.writes {
            let Ok(write) = serde_json::from_str::<Write>(payload) else {
                continue;
            };
            let host = Url::parse(&write.frame)
                .ok()
                .and_then(|url| url.host_str().map(str::to_owned))
                .unwrap_or_default();
            let source = Source::Script {
                script: write.script,
                frame: write.frame,
            };
            if let Some(seen) =
                Seen::from_set_cookie(&write.value, &host, now, index, page_url, source)
            {
                observed.cookies.push(seen);
            }
        }
    }
    let last_page = visited_all.last().cloned().unwrap_or_default();
    let jar = GetCookiesParams {
        browser_context_id: Some(context.clone()),
    };
    if let Ok(jar) = browser.execute(jar).await {
        let now_seconds = now
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64();
        for cookie in &jar.result.cookies {
            let domain = cookie.domain.to_ascii_lowercase();
            let (domain, host) = match domain.strip_prefix('.') {
                Some(domain) => (Some(domain.to_owned()), domain.to_owned()),
                None => (None, domain),
            };
            observed.cookies.push(Seen {
                pass: index,
                page: last_page.clone(),
                name: cookie.name.clone(),
                domain,
                host,
                path: Some(cookie.path.clone()),
                lifetime: (!cookie.session)
                    .then(|| Duration::from_secs_f64((cookie.expires - now_seconds).max(0.0))),
                source: Source::Jar,
            });
        }
    }
    observed.storage.extend(
        storage
            .into_iter()
            .filter(|(_, local, session)| !local.is_empty() || !session.is_empty())
            .map(|(origin, local, session)| Storage {
                pass: index,
                origin,
                local,
                session,
            }),
    );
    for listener in listeners {
        listener.abort();
    }
    let _ = page.close().await;
    let _ = browser.dispose_browser_context(context).await;
    observed.pages.push(visited_all);
    outcome
}

/// Writes the policy's consent cookie for `consent` into the browser
/// context, as the banner writes it (`banner_consent_value`), on each start
/// URL's origin, kept as long as the policy declares.
async fn write_consent(
    browser: &Browser,
    context: &chromiumoxide::cdp::browser_protocol::browser::BrowserContextId,
    policy: &PolicyData,
    starts: &[Url],
    consent: Consent,
) -> chromiumoxide::Result<()> {
    let Some(cookie) = policy.consent_cookie() else {
        return Ok(());
    };
    let lifetime = cookie
        .lifetime()
        .and_then(|lifetime| lifetime.duration())
        .unwrap_or(Duration::from_secs(182 * 86_400));
    let now = SystemTime::now();
    let value = policy.banner_consent_value(consent, now, lifetime);
    // Kept as long as the policy declares, as the banner would keep it.
    let expires = (now + lifetime)
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    let cookies = starts
        .iter()
        .map(|start| CookieParam {
            url: Some(start.origin().ascii_serialization()),
            path: Some(cookie.path().unwrap_or("/").to_owned()),
            domain: cookie.domain().map(str::to_owned),
            expires: Some(TimeSinceEpoch::new(expires)),
            ..CookieParam::new(cookie.name(), value.clone())
        })
        .collect();
    let mut preset = SetCookiesParams::new(cookies);
    preset.browser_context_id = Some(context.clone());
    browser.execute(preset).await.map(|_| ())
}

/// The page's URL now, if it is on another origin than `start`'s.
async fn elsewhere(page: &Page, start: &Url) -> Option<String> {
    let now = page.url().await.ok().flatten()?;
    let parsed = Url::parse(&now).ok()?;
    (parsed.origin() != start.origin()).then_some(now)
}

/// A `document.cookie` write, as the hook reports it.
#[derive(serde::Deserialize)]
struct Write {
    value: String,
    script: Option<String>,
    frame: String,
}

/// Starts the listeners of a pass: request URLs, `Set-Cookie` headers and
/// the hook's reports, each tagged with the page being visited.
async fn listen(
    page: &Page,
    shared: &Shared,
) -> chromiumoxide::Result<Vec<tokio::task::JoinHandle<()>>> {
    let mut requests = page.event_listener::<EventRequestWillBeSent>().await?;
    let mut responses = page
        .event_listener::<EventResponseReceivedExtraInfo>()
        .await?;
    let mut bindings = page.event_listener::<EventBindingCalled>().await?;
    let (a, b, c) = (shared.clone(), shared.clone(), shared.clone());
    Ok(vec![
        tokio::spawn(async move {
            while let Some(event) = requests.next().await {
                let id: &str = event.request_id.as_ref();
                lock(&a)
                    .urls
                    .insert(id.to_owned(), event.request.url.clone());
            }
        }),
        tokio::spawn(async move {
            while let Some(event) = responses.next().await {
                let Some(headers) = event.headers.inner().as_object() else {
                    continue;
                };
                let mut collected = lock(&b);
                let page = collected.page.clone();
                let id: &str = event.request_id.as_ref();
                for (name, value) in headers {
                    if !name.eq_ignore_ascii_case("set-cookie") {
                        continue;
                    }
                    // Several `Set-Cookie`s arrive joined by new lines.
                    for header in value.as_str().unwrap_or_default().lines() {
                        collected.set_cookies.push((
                            id.to_owned(),
                            header.to_owned(),
                            page.clone(),
                        ));
                    }
                }
            }
        }),
        tokio::spawn(async move {
            while let Some(event) = bindings.next().await {
                if event.name == BINDING {
                    let mut collected = lock(&c);
                    let page = collected.page.clone();
                    collected.writes.push((event.payload.clone(), page));
                }
            }
        }),
    ])
}

/// The page's `window.dataLayer`, read now (after the load event and
/// [`SETTLE`]), with the names of the cookies the page has (the jar's, for
/// its URL, HttpOnly ones too); `None` when it has no `dataLayer`.
async fn data_layer(
    page: &Page,
    pass: usize,
    url: &str,
    consent: Option<Consent>,
) -> Option<DataLayer> {
    let json: String = page
        .evaluate(READ_DATA_LAYER)
        .await
        .ok()?
        .into_value::<Option<String>>()
        .ok()??;
    let entries: Vec<Entry> = serde_json::from_str(&json).ok()?;
    let cookies = page
        .get_cookies()
        .await
        .map(|cookies| cookies.into_iter().map(|cookie| cookie.name).collect())
        .unwrap_or_default();
    Some(DataLayer {
        pass,
        page: url.to_owned(),
        consent,
        entries,
        cookies,
    })
}

/// The `href` of every link of the page.
async fn links(page: &Page) -> Vec<String> {
    page.evaluate("Array.from(document.querySelectorAll('a[href]'), a => a.href)")
        .await
        .ok()
        .and_then(|result| result.into_value::<Vec<String>>().ok())
        .unwrap_or_default()
}

/// The localStorage (`local`) or sessionStorage keys of `origin`, as the
/// page sees them now.
async fn storage_keys(page: &Page, origin: &str, local: bool) -> Vec<String> {
    let mut id = StorageId::new(local);
    id.security_origin = Some(origin.to_owned());
    page.execute(GetDomStorageItemsParams::new(id))
        .await
        .map(|items| {
            items
                .result
                .entries
                .iter()
                .filter_map(|item| item.inner().first().cloned())
                .collect()
        })
        .unwrap_or_default()
}

/// Adds to `known` the keys of `more` it lacks, in order.
fn union(known: &mut Vec<String>, more: Vec<String>) {
    for key in more {
        if !known.contains(&key) {
            known.push(key);
        }
    }
}

/// The origin of every frame of the tree, each once.
fn frame_origins(tree: &FrameTree, origins: &mut Vec<String>) {
    let origin = &tree.frame.security_origin;
    if origin.starts_with("http") && !origins.contains(origin) {
        origins.push(origin.clone());
    }
    for child in tree.child_frames.iter().flatten() {
        frame_origins(child, origins);
    }
}

/// A progress bar on a terminal; nothing when standard error is not one.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new(total: usize) -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} pages  {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Progress(bar)
    }

    fn step(&self, pass: &str, url: &str) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
            bar.set_message(format!("{pass}: {url}"));
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
