//! What an audit saw: each cookie a site stored or tried to store, and
//! where it came from; the storage keys of each origin.

use core::time::Duration;
use std::time::SystemTime;

use cookie_policy::enforce::{Expiry, SetCookie};

use super::Pass;

/// Where a cookie came from.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(
    not(feature = "browser"),
    allow(dead_code, reason = "a recording has headers only")
)]
pub(crate) enum Source {
    /// A `Set-Cookie` header of the response for this URL.
    Header(String),
    /// A `document.cookie` write by the script at this URL (`None`: an
    /// inline script or one the stack did not name), in the frame at
    /// `frame`.
    Script {
        script: Option<String>,
        frame: String,
    },
    /// The browser's cookie jar at the end of the pass.
    Jar,
}

impl core::fmt::Display for Source {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Source::Header(url) => write!(f, "Set-Cookie from {url}"),
            Source::Script {
                script: Some(script),
                ..
            } => write!(f, "document.cookie by {script}"),
            Source::Script {
                script: None,
                frame,
            } => write!(f, "document.cookie by an inline script of {frame}"),
            Source::Jar => f.write_str("the cookie jar"),
        }
    }
}

/// One cookie seen in one pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Seen {
    /// Index of the pass in [`Observations::passes`].
    pub pass: usize,
    /// The page being visited.
    pub page: String,
    pub name: String,
    /// The `Domain` attribute (without a leading dot, lower case), or
    /// `None` for a host-only cookie.
    pub domain: Option<String>,
    /// The host of what set it: the response's or the frame's.
    pub host: String,
    /// The `Path` attribute, or the jar's path; `None` when not given.
    pub path: Option<String>,
    /// How long the browser keeps it from when it was set: `None` for a
    /// session cookie.
    pub lifetime: Option<Duration>,
    pub source: Source,
}

impl Seen {
    /// The domain the cookie belongs to: its `Domain`, else its host.
    pub fn cookie_domain(&self) -> &str {
        self.domain.as_deref().unwrap_or(&self.host)
    }

    /// A cookie from a `Set-Cookie` header (or a `document.cookie` write,
    /// which has the same syntax) received at `now` from `host`, read as a
    /// browser reads it; `None` for a header a browser ignores, and for a
    /// deletion, which stores nothing.
    pub fn from_set_cookie(
        header: &str,
        host: &str,
        now: SystemTime,
        pass: usize,
        page: &str,
        source: Source,
    ) -> Option<Seen> {
        let cookie = SetCookie::parse(header, now)?;
        if cookie.is_deletion() || cookie.name().is_empty() {
            return None;
        }
        let lifetime = match cookie.expiry() {
            Expiry::Session => None,
            Expiry::Persistent(until) => Some(until.duration_since(now).unwrap_or_default()),
            Expiry::Deletion => return None,
        };
        Some(Seen {
            pass,
            page: page.to_owned(),
            name: cookie.name().to_owned(),
            domain: cookie.domain().map(str::to_ascii_lowercase),
            host: host.to_ascii_lowercase(),
            path: cookie.path().map(str::to_owned),
            lifetime,
            source,
        })
    }
}

/// The localStorage and sessionStorage keys of one origin in one pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Storage {
    pub pass: usize,
    pub origin: String,
    pub local: Vec<String>,
    pub session: Vec<String>,
}

/// Everything an audit saw.
#[derive(Clone, Debug, Default)]
pub(crate) struct Observations {
    pub passes: Vec<Pass>,
    /// The host of the site audited: what "first party" is judged against.
    pub site: String,
    /// The pages visited in each pass.
    pub pages: Vec<Vec<String>>,
    pub cookies: Vec<Seen>,
    pub storage: Vec<Storage>,
    /// The browser that visited the site; `None` for a recording.
    pub browser: Option<BrowserUsed>,
    /// The pages whose navigation ended on another origin (an HTTP
    /// redirect, a `<meta>` refresh, a script): not crawled further.
    pub left_origin: Vec<LeftOrigin>,
    /// Each page's `window.dataLayer`, where it had one.
    pub data_layers: Vec<super::tags::DataLayer>,
}

/// A page that led the browser off the audited origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LeftOrigin {
    pub pass: usize,
    /// The page asked for.
    pub page: String,
    /// Where the browser ended up.
    pub landed: String,
}

/// The browser an audit ran in, and whether in Chromium's sandbox.
#[derive(Clone, Debug, serde::Serialize)]
pub(crate) struct BrowserUsed {
    /// Its executable.
    pub executable: String,
    /// Whether Chromium's sandbox was on.
    pub sandboxed: bool,
    /// The same in words, with the reason when it was off.
    pub sandbox: String,
}
