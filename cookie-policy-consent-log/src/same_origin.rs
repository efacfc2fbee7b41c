//! Same-origin only: the rule that keeps other sites from posting
//! decisions in a visitor's name (cross-site request forgery).
//!
//! Any page on the web can make a visitor's browser post a plain HTML form
//! to `/consent`, and the browser sends the visitor's cookies with it. A
//! consent recorded that way proves nothing, so a decision is taken only
//! from a page of the site itself. The rule follows Go's
//! `net/http.CrossOriginProtection` (Go 1.25, `src/net/http/csrf.go`), with
//! two changes the consent log needs:
//!
//! 1. `Sec-Fetch-Site: same-origin` passes. Every other value
//!    (`cross-site`, `same-site`, `none`, or one this rule does not know)
//!    is refused: a sibling subdomain is not the site, and a decision is
//!    never a navigation the visitor typed.
//! 2. Without `Sec-Fetch-Site` (browsers before 2023, some privacy modes),
//!    `Origin` must be the site's configured public origin: scheme, host and
//!    port. It is not compared with `Host`, which a proxy may rewrite.
//! 3. With neither header, the request is not from a browser's page:
//!    refused unless [`SameOrigin::allow_headerless`] says otherwise (a
//!    server that records decisions for its own non-browser clients).
//!
//! ```
//! use cookie_policy_consent_log::same_origin::SameOrigin;
//! use http::HeaderMap;
//!
//! let rule = SameOrigin::site("https://shop.example").unwrap();
//! let mut headers = HeaderMap::new();
//! headers.insert("sec-fetch-site", "cross-site".parse().unwrap());
//! let refused = rule.check(&headers).unwrap_err();
//! assert!(refused.to_string().starts_with("a page of another site sent this request"));
//!
//! let mut headers = HeaderMap::new();
//! headers.insert("origin", "https://shop.example".parse().unwrap());
//! assert!(rule.check(&headers).is_ok());
//! ```

use core::fmt;

use http::HeaderMap;
use http::header::ORIGIN;

/// The rule, with the site's public origin.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SameOrigin {
    /// `scheme://host:port`, lowercase, the port always written.
    site: Option<String>,
    allow_headerless: bool,
}

/// Why a request was refused; its `Display` says what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossOrigin(String);

impl fmt::Display for CrossOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CrossOrigin {}

/// A public origin that is not `scheme://host[:port]`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a site's origin: write its scheme, host and port only, such as `https://shop.example` or `http://127.0.0.1:3000`"
)]
pub struct InvalidOrigin(String);

impl SameOrigin {
    /// The rule without a configured origin: only `Sec-Fetch-Site:
    /// same-origin` passes.
    pub fn new() -> SameOrigin {
        SameOrigin::default()
    }

    /// The rule for the site whose pages are served at `origin`
    /// (`https://shop.example`, `http://127.0.0.1:3000`): requests from a
    /// browser that sends no `Sec-Fetch-Site` pass when their `Origin` is
    /// this one.
    pub fn site(origin: &str) -> Result<SameOrigin, InvalidOrigin> {
        let site = normalized(origin).ok_or_else(|| InvalidOrigin(origin.to_owned()))?;
        Ok(SameOrigin {
            site: Some(site),
            allow_headerless: false,
        })
    }

    /// Whether a request with neither `Sec-Fetch-Site` nor `Origin` passes
    /// (default: no). Browsers send one or the other on every `POST`; only
    /// a client that is not a browser sends neither. Turn it on for a
    /// server whose own back end records decisions over HTTP, and only
    /// behind something that keeps the public from reaching the endpoint
    /// that way.
    #[must_use]
    pub fn allow_headerless(mut self, allow: bool) -> SameOrigin {
        self.allow_headerless = allow;
        self
    }

    /// Checks a request's headers.
    pub fn check(&self, headers: &HeaderMap) -> Result<(), CrossOrigin> {
        if let Some(site) = headers.get("sec-fetch-site") {
            return match site.as_bytes() {
                b"same-origin" => Ok(()),
                b"same-site" => Err(CrossOrigin(
                    "another site under the same domain sent this request (Sec-Fetch-Site: same-site); a decision is taken only from this site's own pages".to_owned(),
                )),
                b"cross-site" => Err(CrossOrigin(
                    "a page of another site sent this request (Sec-Fetch-Site: cross-site); a decision is taken only from this site's own pages".to_owned(),
                )),
                _ => Err(CrossOrigin(
                    "this request was not sent by a page of this site (Sec-Fetch-Site is not same-origin); post the decision from the site's own banner".to_owned(),
                )),
            };
        }
        match headers.get(ORIGIN) {
            Some(origin) => {
                let origin = origin.to_str().ok().and_then(normalized);
                match (&self.site, origin) {
                    (Some(site), Some(origin)) if *site == origin => Ok(()),
                    (None, _) => Err(CrossOrigin(
                        "the browser sent no Sec-Fetch-Site, and this endpoint does not know the site's public origin to compare Origin with: configure it with SameOrigin::site".to_owned(),
                    )),
                    _ => Err(CrossOrigin(
                        "a page of another origin sent this request (Origin differs from the site's); a decision is taken only from this site's own pages".to_owned(),
                    )),
                }
            }
            None if self.allow_headerless => Ok(()),
            None => Err(CrossOrigin(
                "the request has neither Sec-Fetch-Site nor Origin, so it did not come from a page of this site; post the decision from the site's banner, or allow headerless requests for a trusted client".to_owned(),
            )),
        }
    }
}

/// `scheme://host:port` in lowercase with the port always written, or
/// `None` when `origin` is not a tuple origin (`null`, a path, a user).
fn normalized(origin: &str) -> Option<String> {
    let (scheme, rest) = origin.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => 80,
        "https" => 443,
        _ => return None,
    };
    let authority: http::uri::Authority = rest.parse().ok()?;
    if authority.as_str().contains('@') || authority.host().is_empty() {
        return None;
    }
    let port = match authority.port_u16() {
        Some(port) => port,
        None if authority.as_str().ends_with(':') => return None,
        None => default_port,
    };
    Some(format!(
        "{scheme}://{}:{port}",
        authority.host().to_ascii_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every combination the rule decides on, as Go's `csrf_test.go` lays
    /// them out: (Sec-Fetch-Site, Origin, passes with a configured site,
    /// passes without one).
    #[test]
    fn each_header_combination() {
        let cases: &[(Option<&str>, Option<&str>, bool, bool)] = &[
            (Some("same-origin"), None, true, true),
            (
                Some("same-origin"),
                Some("https://evil.example"),
                true,
                true,
            ),
            (Some("same-site"), None, false, false),
            (
                Some("same-site"),
                Some("https://shop.example"),
                false,
                false,
            ),
            (Some("cross-site"), None, false, false),
            (
                Some("cross-site"),
                Some("https://shop.example"),
                false,
                false,
            ),
            (Some("none"), None, false, false),
            (Some("SAME-ORIGIN"), None, false, false),
            (Some("bogus"), None, false, false),
            (None, Some("https://shop.example"), true, false),
            (None, Some("https://SHOP.example:443"), true, false),
            (None, Some("HTTPS://shop.example"), true, false),
            (None, Some("https://shop.example:8443"), false, false),
            (None, Some("http://shop.example"), false, false),
            (
                None,
                Some("https://shop.example.evil.example"),
                false,
                false,
            ),
            (None, Some("https://evil.example"), false, false),
            (None, Some("null"), false, false),
            (None, Some("https://shop.example/path"), false, false),
            (None, Some("https://user@shop.example"), false, false),
            (None, None, false, false),
        ];
        let site = SameOrigin::site("https://shop.example").unwrap();
        let unknown = SameOrigin::new();
        for &(fetch_site, origin, with_site, without) in cases {
            let mut headers = HeaderMap::new();
            if let Some(value) = fetch_site {
                headers.insert("sec-fetch-site", value.parse().unwrap());
            }
            if let Some(value) = origin {
                headers.insert(ORIGIN, value.parse().unwrap());
            }
            assert_eq!(
                site.check(&headers).is_ok(),
                with_site,
                "{fetch_site:?} {origin:?}"
            );
            assert_eq!(
                unknown.check(&headers).is_ok(),
                without,
                "{fetch_site:?} {origin:?}"
            );
        }
    }

    #[test]
    fn headerless_requests_pass_only_when_allowed() {
        let headers = HeaderMap::new();
        let rule = SameOrigin::site("http://127.0.0.1:3000").unwrap();
        let refused = rule.check(&headers).unwrap_err().to_string();
        assert!(
            refused.contains("neither Sec-Fetch-Site nor Origin"),
            "{refused}"
        );
        assert!(rule.allow_headerless(true).check(&headers).is_ok());
    }

    #[test]
    fn a_configured_origin_is_checked_where_it_enters() {
        for bad in [
            "shop.example",
            "ftp://shop.example",
            "https://shop.example/",
            "https://",
            "https://a@b",
        ] {
            let error = SameOrigin::site(bad).unwrap_err().to_string();
            assert!(error.contains("is not a site's origin"), "{bad}: {error}");
        }
        assert_eq!(
            SameOrigin::site("http://127.0.0.1:3000")
                .unwrap()
                .site
                .as_deref(),
            Some("http://127.0.0.1:3000")
        );
    }
}
