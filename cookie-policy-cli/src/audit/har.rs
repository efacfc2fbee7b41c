//! Observations from a recorded HAR (HTTP Archive) instead of a browser:
//! every `Set-Cookie` header of every response, as one pass. No browser is
//! needed, which suits a CI without one.

use std::path::Path;
use std::time::SystemTime;

use cookie_policy::PolicyData;
use serde::Deserialize;

use super::Pass;
use super::observe::{Observations, Seen, Source};

/// Reads the HAR at `path`. The recording is one pass, named `har`; its
/// consent is what the first request carrying the policy's consent cookie
/// says (none when no request carries it).
pub(crate) fn observe(path: &Path, policy: &PolicyData) -> Result<Observations, String> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        format!(
            "error: cannot read the HAR file `{}`: {error}\n  = help: record one in the browser's developer tools (Network, \"Export HAR\")\n",
            path.display()
        )
    })?;
    let har: Har = serde_json::from_str(&text).map_err(|error| malformed(path, &error))?;
    let pages: Vec<(String, String)> = har
        .log
        .pages
        .into_iter()
        .map(|page| (page.id, page.title))
        .collect();
    let entries: Vec<Entry> = har.log.entries.into_iter().map(Entry::from).collect();
    let site = entries
        .first()
        .and_then(|entry| host(&entry.url))
        .unwrap_or_default();
    let consent_name = policy.consent_cookie().map(cookie_policy::Cookie::name);
    let preset = entries.iter().find_map(|entry| {
        let value = entry
            .request_cookies
            .iter()
            .find(|(name, _)| Some(name.as_str()) == consent_name)?
            .1
            .as_str();
        Some(policy.read_consent_value(value).unwrap_or_default())
    });
    let mut observed = Observations {
        passes: vec![Pass {
            name: "har".to_owned(),
            preset,
            withdraw: false,
            gpc: false,
        }],
        site,
        ..Observations::default()
    };
    // The page of an entry: its `pageref`'s title (browsers write the
    // page's URL there), else the last HTML document before it.
    let mut visited: Vec<String> = Vec::new();
    let mut document = None;
    // The recording's own clock is not needed: lifetimes are relative.
    let now = SystemTime::now();
    for entry in &entries {
        let Some(host) = host(&entry.url) else {
            continue;
        };
        if entry.is_document && document.is_none() {
            document = Some(entry.url.clone());
        }
        let titled = entry
            .pageref
            .as_ref()
            .and_then(|id| pages.iter().find(|(page, _)| page == id))
            .map(|(_, title)| title.clone());
        let Some(page) = titled.or_else(|| document.clone()) else {
            continue;
        };
        if entry.is_document && entry.pageref.is_none() {
            document = Some(entry.url.clone());
        }
        if !visited.contains(&page) {
            visited.push(page.clone());
        }
        for header in &entry.set_cookies {
            let source = Source::Header(entry.url.clone());
            if let Some(seen) = Seen::from_set_cookie(header, &host, now, 0, &page, source) {
                observed.cookies.push(seen);
            }
        }
    }
    observed.pages = vec![visited];
    Ok(observed)
}

/// A HAR file (HTTP Archive 1.2, W3C Web Performance WG draft; 1.3 adds
/// nothing the audit reads): only what the audit reads. Unknown fields are
/// ignored; fields HAR makes optional default to empty.
#[derive(Deserialize)]
struct Har {
    log: Log,
}

#[derive(Deserialize)]
struct Log {
    #[serde(default)]
    pages: Vec<Page>,
    entries: Vec<HarEntry>,
}

#[derive(Deserialize)]
struct Page {
    id: String,
    title: String,
}

#[derive(Deserialize)]
struct HarEntry {
    #[serde(default)]
    pageref: Option<String>,
    request: Request,
    response: Response,
}

#[derive(Deserialize)]
struct Request {
    url: String,
    cookies: Vec<NameValue>,
}

#[derive(Deserialize)]
struct Response {
    headers: Vec<NameValue>,
}

/// A header or a cookie: HAR writes both as a name and a value.
#[derive(Deserialize)]
struct NameValue {
    name: String,
    value: String,
}

/// What an entry gives the audit.
struct Entry {
    url: String,
    pageref: Option<String>,
    is_document: bool,
    request_cookies: Vec<(String, String)>,
    set_cookies: Vec<String>,
}

impl From<HarEntry> for Entry {
    fn from(entry: HarEntry) -> Entry {
        let is_document =
            entry.response.headers.iter().any(|h| {
                h.name.eq_ignore_ascii_case("content-type") && h.value.contains("text/html")
            });
        Entry {
            url: entry.request.url,
            pageref: entry.pageref,
            is_document,
            request_cookies: entry
                .request
                .cookies
                .into_iter()
                .map(|cookie| (cookie.name, cookie.value))
                .collect(),
            // Headers, which the recorder keeps as the server sent them
            // (several `Set-Cookie`s may be joined by new lines).
            set_cookies: entry
                .response
                .headers
                .into_iter()
                .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
                .flat_map(|h| h.value.lines().map(str::to_owned).collect::<Vec<_>>())
                .collect(),
        }
    }
}

/// A file that is not a HAR: serde_json's reason, where (`path:line:column`,
/// as rustc points), and what to do.
fn malformed(path: &Path, error: &serde_json::Error) -> String {
    let reason = error.to_string();
    // serde_json ends its message with the place, written below instead.
    let reason = reason
        .rsplit_once(" at line ")
        .map_or(reason.as_str(), |(reason, _)| reason);
    let help = match error.classify() {
        serde_json::error::Category::Data => {
            "a HAR is a `log` with `entries`, each a `request` (`url`, `cookies`) and a `response` (`headers`); export it again from the browser's developer tools (Network, \"Export HAR\")"
        }
        _ => {
            "the file is not JSON, or was cut short; export it again from the browser's developer tools (Network, \"Export HAR\")"
        }
    };
    format!(
        "error: `{}` is not a HAR 1.2 or 1.3 file: {}\n  --> {}:{}:{}\n  = help: {help}\n",
        path.display(),
        crate::escape::terminal(reason),
        path.display(),
        error.line(),
        error.column(),
    )
}

/// The host of a URL, lower case (the `url` crate lower-cases it).
fn host(url: &str) -> Option<String> {
    url::Url::parse(url).ok()?.host_str().map(str::to_owned)
}
