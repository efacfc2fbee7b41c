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
//! assert_eq!(report.removed()[0].header(), "_ga=GA1.2.3; Path=/"); // moved, not copied
//! ```

use core::fmt;
use core::ops::Range;

use std::time::{Duration, SystemTime};

use http::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};

pub use crate::set_cookie::{
    Expiry, MAX_COOKIE_AGE, SetCookie, parse_cookie_date, parse_date_header,
};
use crate::{Category, Consent, ConsentError, Cookie, CookiePolicy, Verdict};

/// What [`filter_set_cookies`] removed from a response, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    removed: Vec<Removal>,
    mismatches: Vec<Mismatch>,
}

impl Report {
    /// Every `Set-Cookie` removed, in header order.
    pub fn removed(&self) -> &[Removal] {
        &self.removed
    }

    /// Whether the report holds nothing: no header was removed and no
    /// declared cookie's `Domain` or `Path` differed from the policy
    /// ([`mismatches`](Self::mismatches)).
    pub fn is_empty(&self) -> bool {
        self.removed.is_empty() && self.mismatches.is_empty()
    }

    /// The `Set-Cookie`s that were let through but whose `Domain` or `Path`
    /// differs from what the policy declares: a deletion built from the
    /// policy would miss the cookie they set.
    pub fn mismatches(&self) -> &[Mismatch] {
        &self.mismatches
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
    /// The header, moved out of the response.
    header: HeaderValue,
    /// Where the cookie's name is in it, when the header could be parsed.
    name: Option<Range<usize>>,
    reason: RemovalReason,
}

impl Removal {
    /// The cookie's name, when the header could be parsed.
    pub fn name(&self) -> Option<&str> {
        let name = self.header.as_bytes().get(self.name.clone()?)?;
        core::str::from_utf8(name).ok()
    }

    /// Why it was removed.
    pub fn reason(&self) -> RemovalReason {
        self.reason
    }

    /// The removed header, as the response carried it.
    pub fn header(&self) -> &HeaderValue {
        &self.header
    }
}

impl fmt::Display for Removal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.name().unwrap_or("?");
        match self.reason {
            RemovalReason::Undeclared if name.is_empty() => f.write_str(
                "a Set-Cookie header without a cookie name sets a nameless cookie, which a policy cannot declare; give the cookie a name",
            ),
            RemovalReason::Undeclared => write!(
                f,
                "cookie `{name}` is not declared in the cookie policy; declare it in policy.toml or stop setting it"
            ),
            RemovalReason::NotConsented(category) => write!(
                f,
                "cookie `{name}` is {category} and the visitor has not consented to {category} cookies"
            ),
            RemovalReason::Unparsable => {
                f.write_str("a Set-Cookie header that a browser would ignore, or that is not text, was removed")
            }
        }
    }
}

/// A `Set-Cookie` let through whose `Domain` or `Path` is not the one the
/// policy declares for its cookie.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    name: String,
    attribute: &'static str,
    declared: &'static str,
    sent: Option<String>,
}

impl Mismatch {
    /// The cookie's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `"Domain"` or `"Path"`.
    pub fn attribute(&self) -> &'static str {
        self.attribute
    }

    /// What the policy declares.
    pub fn declared(&self) -> &'static str {
        self.declared
    }

    /// What the header sets; `None` when it leaves the attribute out (a
    /// host-only cookie, or the default path).
    pub fn sent(&self) -> Option<&str> {
        self.sent.as_deref()
    }
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sent = self.sent.as_deref().map_or_else(
            || format!("no {}", self.attribute),
            |sent| format!("`{}={sent}`", self.attribute),
        );
        write!(
            f,
            "cookie `{}` is set with {sent}, but the policy declares `{} = \"{}\"`; set it as declared, or correct policy.toml, or deletions will miss it",
            self.name,
            self.attribute.to_ascii_lowercase(),
            self.declared,
        )
    }
}

/// Why a `Set-Cookie` was removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RemovalReason {
    /// The policy does not declare the cookie.
    Undeclared,
    /// The visitor has not consented to the cookie's category.
    NotConsented(Category),
    /// The header is not UTF-8, or a browser would ignore it (a control
    /// character, no name and no value, a name and value over 4,096 bytes):
    /// removed, since it sets nothing a policy can check.
    Unparsable,
}

/// Removes from `headers` every `Set-Cookie` that policy `P` does not let
/// through under `consent`, and reports each one.
///
/// A `Set-Cookie` stays when its cookie is declared and either needs no
/// consent or its category is consented to, and when it deletes a cookie:
/// deleting is always allowed. Whether it deletes is decided as both RFC
/// 6265bis and Chromium decide ([`SetCookie::is_deletion`]): a header is
/// kept as a deletion only when both delete. Chromium compares an
/// `Expires` with the response's `Date`; without one, the server adds it
/// after this filter (hyper writes a clock that may be a second behind),
/// so the filter takes a date two seconds before now, and with a `Date`
/// it cannot read, no `Expires` counts as a deletion: when the date the
/// browser will see is not known, the filter errs towards "stored", which
/// drops the header. Everything else goes, including headers that are
/// not UTF-8 or that a browser would ignore: the filter fails closed. Other
/// headers and the order of the kept `Set-Cookie`s are untouched. A kept
/// header whose `Domain` or `Path` differs from the declared one is reported
/// in [`Report::mismatches`].
pub fn filter_set_cookies<P: CookiePolicy + ?Sized>(
    headers: &mut HeaderMap,
    consent: Consent,
) -> Report {
    let mut report = Report::default();
    if !headers.contains_key(SET_COOKIE) {
        return report;
    }
    let mut clock = Clock::of(headers);
    // What each removed header's index is, and why it goes.
    let mut removed: Vec<(usize, Option<Range<usize>>, RemovalReason)> = Vec::new();
    for (index, value) in headers.get_all(SET_COOKIE).iter().enumerate() {
        if let Err((name, reason)) = judge::<P>(value, consent, &mut clock, &mut report.mismatches)
        {
            removed.push((index, name, reason));
        }
    }
    if removed.is_empty() {
        return report;
    }
    // `remove` takes the first value only; draining the entry takes them all.
    // Kept values go back in order; removed ones move into the report.
    if let http::header::Entry::Occupied(entry) = headers.entry(SET_COOKIE) {
        let values: Vec<HeaderValue> = entry.remove_entry_mult().1.collect();
        let mut removed = removed.into_iter().peekable();
        for (index, header) in values.into_iter().enumerate() {
            match removed.next_if(|(at, ..)| *at == index) {
                Some((_, name, reason)) => report.removed.push(Removal {
                    header,
                    name,
                    reason,
                }),
                None => {
                    headers.append(SET_COOKIE, header);
                }
            }
        }
    }
    report
}

/// Reads the clock and the response's `Date` at most once, and only for a
/// header that needs them.
struct Clock {
    /// The response's `Date` header, unread.
    date_header: Option<HeaderValue>,
    /// Now, and the date the browser is taken to see.
    read: Option<(SystemTime, SystemTime)>,
}

impl Clock {
    fn of(headers: &HeaderMap) -> Clock {
        Clock {
            date_header: headers.get(http::header::DATE).cloned(),
            read: None,
        }
    }

    /// Now, and the `Date` the browser will compare an `Expires` with:
    /// the header's; two seconds ago when there is none (the server adds
    /// one after this filter, from a clock that lags by up to a second);
    /// the far past when there is one Chromium cannot read (it then uses
    /// the client's clock, which the server cannot know).
    fn now_and_date(&mut self) -> (SystemTime, SystemTime) {
        let date_header = &self.date_header;
        *self.read.get_or_insert_with(|| {
            let now = SystemTime::now();
            let date = match date_header {
                None => now.checked_sub(Duration::from_secs(2)),
                Some(value) => value
                    .to_str()
                    .ok()
                    .and_then(crate::set_cookie::parse_date_header),
            };
            let far_past = SystemTime::UNIX_EPOCH
                .checked_sub(Duration::from_secs(1 << 40))
                .unwrap_or(SystemTime::UNIX_EPOCH);
            (now, date.unwrap_or(far_past))
        })
    }
}

/// Parses a header as a browser would on receiving it now.
fn parse_header<'h>(value: &'h HeaderValue, clock: &mut Clock) -> Option<SetCookie<'h>> {
    let (now, date) = clock.now_and_date();
    // A header that is text holds no control character but HTAB.
    SetCookie::parse_checked(value.to_str().ok()?, now, Some(date))
}

/// `Ok` when the header stays; otherwise where the cookie's name is in it
/// (when it has one) and why it goes.
fn judge<P: CookiePolicy + ?Sized>(
    value: &HeaderValue,
    consent: Consent,
    clock: &mut Clock,
    mismatches: &mut Vec<Mismatch>,
) -> Result<(), (Option<Range<usize>>, RemovalReason)> {
    const UNPARSABLE: (Option<Range<usize>>, RemovalReason) = (None, RemovalReason::Unparsable);
    // A header that is text holds no control character but HTAB.
    let Ok(text) = value.to_str() else {
        return Err(UNPARSABLE);
    };
    // Most headers set a cookie the policy allows: that takes only the name.
    // The rest of the header is read when it matters: the declared cookie's
    // domain and path, or whether a refused cookie is being deleted.
    let Some((name, _, attributes)) = crate::set_cookie::name_value_checked(text) else {
        return Err(UNPARSABLE);
    };
    let reason = match P::permits(name, consent) {
        Verdict::Allowed(declared) => {
            if declared.domain().is_some() || declared.path().is_some() {
                let (domain, path) = crate::set_cookie::domain_and_path(attributes);
                check_attributes(name, domain, path, declared, mismatches);
            }
            return Ok(());
        }
        Verdict::Refused { missing, .. } => RemovalReason::NotConsented(missing),
        Verdict::Undeclared => RemovalReason::Undeclared,
    };
    let (now, date) = clock.now_and_date();
    match SetCookie::parse_checked(text, now, Some(date)) {
        Some(cookie) if cookie.is_deletion() => Ok(()),
        Some(_) => Err((Some(name_range(text, name)), reason)),
        None => Err(UNPARSABLE),
    }
}

/// Where `name`, a slice of `header` or the empty name, is in `header`.
fn name_range(header: &str, name: &str) -> Range<usize> {
    // A slice's offset in the text it was cut from locates it; the empty
    // name of a header without `=` is not cut from it, and is at 0.
    let start = (name.as_ptr().addr())
        .checked_sub(header.as_ptr().addr())
        .filter(|&start| header.get(start..start + name.len()) == Some(name))
        .unwrap_or(0);
    start..start + name.len()
}

/// The name a browser gives the cookie of a `Set-Cookie` header known to
/// hold no control character but HTAB, as a `HeaderValue` that is text
/// does; `None` when it ignores the header.
fn checked_set_cookie_name(header: &str) -> Option<&str> {
    crate::set_cookie::name_value_checked(header).map(|(name, ..)| name)
}

/// Reports a `Domain` or `Path` other than the declared one, given what
/// the header sets. Domains compare without a leading dot and case, as
/// browsers store them.
fn check_attributes(
    name: &str,
    domain: Option<&str>,
    path: Option<&str>,
    declared: &Cookie,
    mismatches: &mut Vec<Mismatch>,
) {
    if let Some(declared_domain) = declared.domain() {
        let expected = declared_domain.strip_prefix('.').unwrap_or(declared_domain);
        if !domain.is_some_and(|sent| sent.eq_ignore_ascii_case(expected)) {
            mismatches.push(Mismatch {
                name: name.to_owned(),
                attribute: "Domain",
                declared: declared_domain,
                sent: domain.map(str::to_owned),
            });
        }
    }
    if let Some(declared_path) = declared.path()
        && path != Some(declared_path)
    {
        mismatches.push(Mismatch {
            name: name.to_owned(),
            attribute: "Path",
            declared: declared_path,
            sent: path.map(str::to_owned),
        });
    }
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

/// The (name, value) pairs of a request's `Cookie` headers. A browser writes
/// them as `name=value` pairs joined by `; ` (RFC 6265bis 5.8.5), so reading
/// them is a split: pairs are cut at `;`, names and values trimmed, and a
/// pair without `=` or with an empty name names no cookie and is skipped, as
/// are non-UTF-8 headers. A property test checks this reading against the
/// `cookie` crate's `Cookie::split_parse` on arbitrary headers.
///
/// ```
/// use cookie_policy::enforce::request_cookies;
/// use http::header::{COOKIE, HeaderMap, HeaderValue};
///
/// let mut request = HeaderMap::new();
/// request.append(COOKIE, HeaderValue::from_static("sessionid=abc; theme ; lang=fr"));
/// let pairs: Vec<_> = request_cookies(request.get_all(COOKIE)).collect();
/// assert_eq!(pairs, [("sessionid", "abc"), ("lang", "fr")]);
/// ```
pub fn request_cookies<'v>(
    cookie_headers: impl IntoIterator<Item = &'v HeaderValue>,
) -> impl Iterator<Item = (&'v str, &'v str)> {
    cookie_headers
        .into_iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| {
            let (name, value) = crate::set_cookie::split_once(pair, b'=')?;
            let name = name.trim();
            (!name.is_empty()).then(|| (name, value.trim()))
        })
}

/// The consent a request carries in `P`'s consent cookie, read by `read`
/// (the layer remembers what it read): necessary only when there is none
/// or it cannot be used, with the reason. Only the first cookie of that
/// name counts, as a server reading the header in order would take it.
pub(crate) fn read_request_consent<P: CookiePolicy + ?Sized>(
    request: &HeaderMap,
    read: impl FnOnce(&str) -> Result<Consent, ConsentError>,
) -> (Consent, Option<ConsentError>) {
    let Some(consent_cookie) = P::CONSENT_COOKIE else {
        return (Consent::necessary_only(), None);
    };
    let value = request_cookies(request.get_all(COOKIE))
        .find_map(|(name, value)| (name == consent_cookie.name()).then_some(value));
    match value.map(read) {
        None => (Consent::necessary_only(), None),
        Some(Ok(consent)) => (consent, None),
        Some(Err(error)) => (Consent::necessary_only(), Some(error)),
    }
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

/// The consent a request carries in `P`'s consent cookie
/// ([`CookiePolicy::CONSENT_COOKIE`]), in either format
/// ([`Consent::read_cookie_value`]): necessary only when there is none or
/// it cannot be used, with the reason.
pub fn consent_from_request<P: CookiePolicy + ?Sized>(
    request: &HeaderMap,
) -> (Consent, Option<ConsentError>) {
    read_request_consent::<P>(request, Consent::read_cookie_value::<P>)
}

/// The consent a response records by setting `P`'s consent cookie, if it
/// sets it: the new value, in either format, or necessary only when the
/// header deletes the cookie or its value cannot be read.
pub fn consent_from_response<P: CookiePolicy + ?Sized>(response: &HeaderMap) -> Option<Consent> {
    let consent_cookie = P::CONSENT_COOKIE?;
    let mut clock = Clock::of(response);
    let cookie = response
        .get_all(SET_COOKIE)
        .iter()
        .filter(|value| {
            // Cheap first: the name starts the header, after any blanks.
            let start = value
                .as_bytes()
                .iter()
                .position(|&b| b != b' ' && b != b'\t');
            let starts = start
                .and_then(|start| value.as_bytes().get(start..))
                .is_some_and(|rest| rest.starts_with(consent_cookie.name().as_bytes()));
            starts
                && value.to_str().ok().and_then(checked_set_cookie_name)
                    == Some(consent_cookie.name())
        })
        .filter_map(|value| parse_header(value, &mut clock))
        .rfind(|cookie| cookie.name() == consent_cookie.name())?;
    if cookie.is_deletion() {
        return Some(Consent::necessary_only());
    }
    Some(Consent::read_cookie_value::<P>(cookie.value()).unwrap_or_default())
}
