//! Enforcing a policy on HTTP headers (feature `http`): undeclared or
//! unconsented cookies never reach the browser, and cookies whose consent was
//! withdrawn are deleted.
//!
//! ```
//! use cookie_policy::enforce::{RemovalReason, filter_set_cookies};
//! use cookie_policy::{Consent, Platform};
//! use http::header::{HeaderMap, HeaderValue, SET_COOKIE};
//!
//! let mut headers = HeaderMap::new();
//! headers.append(SET_COOKIE, HeaderValue::from_static("sessionid=abc; Path=/; HttpOnly"));
//! headers.append(SET_COOKIE, HeaderValue::from_static("_ga=GA1.2.3; Path=/"));
//!
//! let report = filter_set_cookies::<Platform>(&mut headers, Consent::necessary_only());
//!
//! assert_eq!(headers.get_all(SET_COOKIE).iter().count(), 1); // only sessionid is left
//! assert_eq!(report.removed()[0].name(), Some("_ga"));
//! assert_eq!(report.removed()[0].reason(), RemovalReason::Undeclared);
//! ```

use core::fmt;

use ::cookie::time::OffsetDateTime;
use http::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};

use crate::{Category, Consent, ConsentError, Cookie, CookiePolicy, Verdict};

/// What [`filter_set_cookies`] removed from a response, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    removed: Vec<Removal>,
}

impl Report {
    /// Every `Set-Cookie` removed, in header order.
    pub fn removed(&self) -> &[Removal] {
        &self.removed
    }

    /// Whether nothing was removed.
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty()
    }

    /// The removals of cookies the policy does not declare: each one means
    /// the policy is out of date with the code, or something sets cookies it
    /// should not.
    pub fn undeclared(&self) -> impl Iterator<Item = &Removal> {
        self.removed
            .iter()
            .filter(|removal| removal.reason == RemovalReason::Undeclared)
    }
}

/// One removed `Set-Cookie` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    name: Option<String>,
    reason: RemovalReason,
}

impl Removal {
    /// The cookie's name, when the header could be parsed.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Why it was removed.
    pub fn reason(&self) -> RemovalReason {
        self.reason
    }
}

impl fmt::Display for Removal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name.as_deref().unwrap_or("?");
        match self.reason {
            RemovalReason::Undeclared => write!(
                f,
                "cookie `{name}` is not declared in the cookie policy; declare it in policy.toml or stop setting it"
            ),
            RemovalReason::NotConsented(category) => write!(
                f,
                "cookie `{name}` is {category} and the visitor has not consented to {category} cookies"
            ),
            RemovalReason::Unparsable => {
                f.write_str("a Set-Cookie header could not be parsed, so it was removed")
            }
        }
    }
}

/// Why a `Set-Cookie` was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RemovalReason {
    /// The policy does not declare the cookie.
    Undeclared,
    /// The visitor has not consented to the cookie's category.
    NotConsented(Category),
    /// The header is not UTF-8 or not a cookie: removed, since what it would
    /// set cannot be checked.
    Unparsable,
}

/// Removes from `headers` every `Set-Cookie` that policy `P` does not let
/// through under `consent`, and reports each one.
///
/// A `Set-Cookie` stays when its cookie is declared and either needs no
/// consent or its category is consented to, and when it deletes a cookie
/// (`Max-Age` zero or negative, or `Expires` in the past): deleting is always
/// allowed. Everything else goes, including headers that cannot be parsed:
/// the filter fails closed. Other headers and the order of the kept
/// `Set-Cookie`s are untouched.
pub fn filter_set_cookies<P: CookiePolicy + ?Sized>(
    headers: &mut HeaderMap,
    consent: Consent,
) -> Report {
    let mut report = Report::default();
    if !headers.contains_key(SET_COOKIE) {
        return report;
    }
    let mut kept = Vec::new();
    // `remove` takes the first value only; draining the entry takes them all.
    if let http::header::Entry::Occupied(entry) = headers.entry(SET_COOKIE) {
        for value in entry.remove_entry_mult().1 {
            match judge::<P>(&value, consent) {
                Ok(()) => kept.push(value),
                Err(removal) => report.removed.push(removal),
            }
        }
    }
    for value in kept {
        headers.append(SET_COOKIE, value);
    }
    report
}

fn judge<P: CookiePolicy + ?Sized>(value: &HeaderValue, consent: Consent) -> Result<(), Removal> {
    let unparsable = || Removal {
        name: None,
        reason: RemovalReason::Unparsable,
    };
    let text = value.to_str().map_err(|_| unparsable())?;
    let cookie = ::cookie::Cookie::parse(text).map_err(|_| unparsable())?;
    if is_deletion(&cookie) {
        return Ok(());
    }
    let reason = match P::permits(cookie.name(), consent) {
        Verdict::Allowed(_) => return Ok(()),
        Verdict::Refused { missing, .. } => RemovalReason::NotConsented(missing),
        Verdict::Undeclared => RemovalReason::Undeclared,
    };
    Err(Removal {
        name: Some(cookie.name().to_owned()),
        reason,
    })
}

fn is_deletion(cookie: &::cookie::Cookie<'_>) -> bool {
    let expired_by_age = cookie
        .max_age()
        .is_some_and(|age| age.is_zero() || age.is_negative());
    // The clock is read only for cookies that carry a date.
    expired_by_age
        || cookie
            .expires_datetime()
            .is_some_and(|date| date <= OffsetDateTime::now_utc())
}

/// The most deletion headers [`deletions`] returns for one request: a bound
/// on what a crafted `Cookie` header can make a response carry.
pub const MAX_DELETIONS: usize = 128;

/// The `Set-Cookie` headers that delete the cookies a request carries but
/// that policy `P` no longer lets the visitor keep under `consent`: declared
/// cookies whose category is not consented to (after a withdrawal, a stale
/// consent, or a script that set them too early).
///
/// Each deletion repeats the cookie's declared `Domain` and `Path` (`/` when
/// the policy gives none), which is what makes a browser really delete it;
/// `__Host-` and `__Secure-` cookies are deleted with `Secure`. Undeclared
/// cookies are left alone: without a declaration there is no domain or path
/// to delete them with, and they may belong to another application on the
/// same host. At most [`MAX_DELETIONS`] headers, each name once.
///
/// ```
/// use cookie_policy::enforce::deletions;
/// use cookie_policy::{Consent, Platform};
/// use http::header::{COOKIE, HeaderMap, HeaderValue};
///
/// let mut request = HeaderMap::new();
/// request.insert(COOKIE, HeaderValue::from_static("sessionid=abc; theme=dark"));
/// // Necessary cookies are never deleted, undeclared ones are left alone.
/// assert!(deletions::<Platform>(&request, Consent::necessary_only()).is_empty());
/// ```
pub fn deletions<P: CookiePolicy + ?Sized>(
    request: &HeaderMap,
    consent: Consent,
) -> Vec<HeaderValue> {
    deletions_for::<P>(request.get_all(COOKIE), consent)
}

/// [`deletions`], from the values of the request's `Cookie` headers.
pub(crate) fn deletions_for<'v, P: CookiePolicy + ?Sized>(
    cookie_headers: impl IntoIterator<Item = &'v HeaderValue>,
    consent: Consent,
) -> Vec<HeaderValue> {
    let mut seen: Vec<&str> = Vec::new();
    let mut headers = Vec::new();
    for (name, _) in request_cookies(cookie_headers) {
        if headers.len() == MAX_DELETIONS {
            break;
        }
        if seen.contains(&name) {
            continue;
        }
        seen.push(name);
        if let Verdict::Refused { cookie, .. } = P::permits(name, consent)
            && let Some(header) = deletion(name, cookie)
        {
            headers.push(header);
        }
    }
    headers
}

/// The (name, value) pairs of a request's `Cookie` headers, parsed by the
/// `cookie` crate. A pair it cannot parse (no `=`, an empty name) names no
/// cookie, as browsers read it, and is skipped, as are non-UTF-8 headers.
fn request_cookies<'v>(
    cookie_headers: impl IntoIterator<Item = &'v HeaderValue>,
) -> impl Iterator<Item = (&'v str, &'v str)> {
    cookie_headers
        .into_iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(::cookie::Cookie::split_parse)
        .filter_map(|cookie| {
            let cookie = cookie.ok()?;
            Some((cookie.name_raw()?, cookie.value_raw()?))
        })
}

/// `name=; Max-Age=0; Expires=<epoch>; Path=..; Domain=..`.
fn deletion(name: &str, declared: &Cookie) -> Option<HeaderValue> {
    let mut header = format!(
        "{name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path={}",
        declared.path().unwrap_or("/")
    );
    // A `__Host-` cookie has no Domain by definition.
    if let Some(domain) = declared.domain().filter(|_| !name.starts_with("__Host-")) {
        header.push_str("; Domain=");
        header.push_str(domain);
    }
    if name.starts_with("__Host-") || name.starts_with("__Secure-") {
        header.push_str("; Secure");
    }
    HeaderValue::from_str(&header).ok()
}

/// The consent a request carries in the cookie `consent_cookie`, read for
/// policy `P` as [`Consent::from_cookie_value_or_ask`] does: necessary only
/// when there is none or it cannot be used, with the reason.
pub fn consent_from_request<P: CookiePolicy + ?Sized>(
    request: &HeaderMap,
    consent_cookie: &Cookie,
) -> (Consent, Option<ConsentError>) {
    let value = request_cookies(request.get_all(COOKIE))
        .find(|&(name, _)| name == consent_cookie.name())
        .map(|(_, value)| value.trim_matches('"'));
    Consent::from_cookie_value_or_ask::<P>(value)
}

/// The consent a response records by setting `consent_cookie`, if it sets
/// it: the new value read for policy `P`, or necessary only when it deletes
/// it or its value cannot be read.
pub fn consent_from_response<P: CookiePolicy + ?Sized>(
    response: &HeaderMap,
    consent_cookie: &Cookie,
) -> Option<Consent> {
    let cookie = response
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|text| ::cookie::Cookie::parse(text).ok())
        .rfind(|cookie| cookie.name() == consent_cookie.name())?;
    if is_deletion(&cookie) {
        return Some(Consent::necessary_only());
    }
    Some(Consent::from_cookie_value_or_ask::<P>(Some(cookie.value())).0)
}
