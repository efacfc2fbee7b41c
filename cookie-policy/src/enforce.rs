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
use crate::set_cookie::{trim, trim_start};
use crate::{Category, Consent, ConsentError, Cookie, CookiePolicy, PolicyData, Verdict};

mod enforced;

pub use enforced::EnforcedPolicy;

/// What [`filter_set_cookies`] removed from a response, and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    removed: Vec<Removal>,
    mismatches: Vec<Mismatch>,
}

impl Report {
    /// A report of these removals and mismatches.
    #[cfg(feature = "tower")]
    pub(crate) fn new(removed: Vec<Removal>, mismatches: Vec<Mismatch>) -> Report {
        Report {
            removed,
            mismatches,
        }
    }

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
    let mut removed = Vec::new();
    filter_into::<P>(
        &(),
        headers,
        consent,
        &mut |removal| removed.push(removal),
        &mut report.mismatches,
    );
    report.removed = removed;
    report
}

/// How many removals [`filter_into`] keeps track of without allocating.
const INLINE_REMOVALS: usize = 8;

/// One removal decided, in a few aligned words: the header's index, where
/// its name is (`u32::MAX` for none), why. A header too long for `u32`
/// offsets is reported without its name.
#[derive(Clone, Copy)]
struct Decision {
    index: u32,
    name_start: u32,
    name_end: u32,
    reason: RemovalReason,
}

impl Decision {
    const NONE: Decision = Decision {
        index: u32::MAX,
        name_start: u32::MAX,
        name_end: u32::MAX,
        reason: RemovalReason::Unparsable,
    };

    fn new(index: usize, name: Option<Range<usize>>, reason: RemovalReason) -> Decision {
        let name = name.and_then(|name| {
            Some((
                u32::try_from(name.start).ok()?,
                u32::try_from(name.end).ok()?,
            ))
        });
        let (name_start, name_end) = name.unwrap_or((u32::MAX, u32::MAX));
        Decision {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            name_start,
            name_end,
            reason,
        }
    }

    fn name(self) -> Option<Range<usize>> {
        (self.name_start != u32::MAX).then_some(self.name_start as usize..self.name_end as usize)
    }
}

/// [`filter_set_cookies`], handing each removal to `removed` in header
/// order and pushing mismatches onto `mismatches`: what the layer calls,
/// which needs no report when nobody reads one. Nothing is allocated when
/// nothing is removed; otherwise, one buffer for the kept headers (and one
/// for the decisions beyond a few), and the headers are rebuilt through the
/// entry API.
pub(crate) fn filter_into<P: EnforcedPolicy + ?Sized>(
    policy: &P::Held,
    headers: &mut HeaderMap,
    consent: Consent,
    removed: &mut impl FnMut(Removal),
    mismatches: &mut Vec<Mismatch>,
) {
    let mut inline = [Decision::NONE; INLINE_REMOVALS];
    let mut overflow: Vec<Decision> = Vec::new();
    let mut count = 0;
    let mut total = 0;
    {
        let mut clock = Clock::of(headers);
        for value in headers.get_all(SET_COOKIE) {
            if let Err((name, reason)) = judge::<P>(policy, value, consent, &mut clock, mismatches)
            {
                let decision = Decision::new(total, name, reason);
                match inline.get_mut(count) {
                    Some(slot) => *slot = decision,
                    None => overflow.push(decision),
                }
                count += 1;
            }
            total += 1;
        }
    }
    if count == 0 {
        return;
    }
    // `remove` takes the first value only; draining the entry takes them all.
    // Kept values go back in order; removed ones move out.
    let http::header::Entry::Occupied(entry) = headers.entry(SET_COOKIE) else {
        return;
    };
    let mut decisions = inline
        .into_iter()
        .take(count.min(INLINE_REMOVALS))
        .chain(overflow)
        .peekable();
    let mut kept: Vec<HeaderValue> = Vec::with_capacity(total - count.min(total));
    for (index, header) in entry.remove_entry_mult().1.enumerate() {
        match decisions.next_if(|decision| decision.index as usize == index) {
            Some(decision) => removed(Removal {
                header,
                name: decision.name(),
                reason: decision.reason,
            }),
            None => kept.push(header),
        }
    }
    let mut kept = kept.into_iter();
    if let Some(first) = kept.next()
        && let http::header::Entry::Vacant(vacant) = headers.entry(SET_COOKIE)
    {
        let mut entry = vacant.insert_entry(first);
        for header in kept {
            entry.append(header);
        }
    }
}

/// Reads the clock and the response's `Date` at most once, and only for a
/// header that needs them.
struct Clock<'h> {
    /// The response's headers, for its `Date`.
    headers: &'h HeaderMap,
    /// Now, and the date the browser is taken to see.
    read: Option<(SystemTime, SystemTime)>,
}

impl<'h> Clock<'h> {
    fn of(headers: &'h HeaderMap) -> Clock<'h> {
        Clock {
            headers,
            read: None,
        }
    }

    /// Now, and the `Date` the browser will compare an `Expires` with:
    /// the header's; two seconds ago when there is none (the server adds
    /// one after this filter, from a clock that lags by up to a second);
    /// the far past when there is one Chromium cannot read (it then uses
    /// the client's clock, which the server cannot know).
    fn now_and_date(&mut self) -> (SystemTime, SystemTime) {
        let headers = self.headers;
        *self.read.get_or_insert_with(|| {
            let now = SystemTime::now();
            let date = match headers.get(http::header::DATE) {
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
fn parse_header<'h>(value: &'h HeaderValue, clock: &mut Clock<'_>) -> Option<SetCookie<'h>> {
    let (now, date) = clock.now_and_date();
    // A header that is text holds no control character but HTAB.
    SetCookie::parse_checked(value.to_str().ok()?, now, Some(date))
}

/// `Ok` when the header stays; otherwise where the cookie's name is in it
/// (when it has one) and why it goes.
fn judge<P: EnforcedPolicy + ?Sized>(
    policy: &P::Held,
    value: &HeaderValue,
    consent: Consent,
    clock: &mut Clock<'_>,
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
    let reason = match P::__permits(policy, name, consent) {
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
    // A refused header stays only when it deletes, which most cannot:
    // the clock is read only for one whose expiry depends on it.
    let deletes = crate::set_cookie::attributes_delete(attributes, || {
        let (now, date) = clock.now_and_date();
        (now, Some(date))
    });
    if deletes {
        Ok(())
    } else {
        Err((Some(name_range(text, name)), reason))
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
    let mut headers = Vec::new();
    for_each_deletion::<P>(&(), request.get_all(COOKIE), consent, None, |header| {
        headers.push(header);
    });
    headers
}

/// [`deletions`], from the values of the request's `Cookie` headers, each
/// handed to `emit`. Only the names deleted are remembered (a name that
/// deleted nothing the first time deletes nothing the next), so nothing is
/// allocated unless something is deleted.
pub(crate) fn for_each_deletion<'v, P: EnforcedPolicy + ?Sized>(
    policy: &P::Held,
    cookie_headers: impl IntoIterator<Item = &'v HeaderValue>,
    consent: Consent,
    heads: Option<&ConsentHeads>,
    mut emit: impl FnMut(HeaderValue),
) {
    let mut deleted: Vec<&str> = Vec::new();
    for (name, _) in request_cookies(cookie_headers) {
        if deleted.len() == MAX_DELETIONS {
            break;
        }
        if heads.is_some_and(|heads| !heads.may_need_consent(name)) {
            continue;
        }
        if let Verdict::Refused { cookie, .. } = P::__permits(policy, name, consent)
            && !deleted.contains(&name)
            && let Some(header) = deletion(name, cookie)
        {
            deleted.push(name);
            emit(header);
        }
    }
}

/// The first two bytes of the names of a policy's cookies that need
/// consent, as a set: a request cookie whose name starts otherwise cannot
/// be one, and is not looked up when deletions are computed. Built once per
/// layer, 8 KiB, so that the work per request follows the request's cookies
/// and not the policy's.
#[cfg_attr(
    not(feature = "tower"),
    allow(dead_code, reason = "built by the layer")
)]
pub(crate) struct ConsentHeads {
    /// Bit `256 * first + second` for each pair of first bytes.
    pairs: Box<[u64]>,
    /// A pattern with an empty prefix: every name may need consent.
    all: bool,
}

#[cfg_attr(
    not(feature = "tower"),
    allow(dead_code, reason = "built by the layer")
)]
impl ConsentHeads {
    pub(crate) fn of(cookies: &[Cookie]) -> ConsentHeads {
        let mut heads = ConsentHeads {
            pairs: vec![0; 65_536 / 64].into_boxed_slice(),
            all: false,
        };
        for cookie in cookies.iter().filter(|cookie| cookie.requires_consent()) {
            match *cookie.key() {
                [] => heads.all = true,
                // A one-byte name is always looked up; a one-byte prefix
                // allows every second byte.
                [first] => {
                    for second in 0..=u8::MAX {
                        heads.insert(first, second);
                    }
                }
                [first, second, ..] => heads.insert(first, second),
            }
        }
        heads
    }

    fn insert(&mut self, first: u8, second: u8) {
        let bit = usize::from(first) << 8 | usize::from(second);
        if let Some(word) = self.pairs.get_mut(bit / 64) {
            *word |= 1 << (bit % 64);
        }
    }

    /// Whether `P::lookup(name)` may be a cookie that needs consent.
    fn may_need_consent(&self, name: &str) -> bool {
        match *name.as_bytes() {
            [first, second, ..] => {
                let bit = usize::from(first) << 8 | usize::from(second);
                self.all
                    || self
                        .pairs
                        .get(bit / 64)
                        .is_none_or(|word| word & 1 << (bit % 64) != 0)
            }
            _ => true,
        }
    }
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
        .flat_map(|header| Pairs { rest: Some(header) })
}

/// The `name=value` pairs of one `Cookie` header that is text, as
/// [`request_cookies`] reads them: cut at each `;` (found by `memchr`, the
/// header being long), then at the first `=`. Text holds no whitespace but
/// spaces and tabs, so trimming those is `str::trim`'s trimming.
struct Pairs<'t> {
    rest: Option<&'t str>,
}

impl<'t> Iterator for Pairs<'t> {
    type Item = (&'t str, &'t str);

    fn next(&mut self) -> Option<(&'t str, &'t str)> {
        loop {
            let text = self.rest?;
            let (pair, rest) = match memchr::memchr(b';', text.as_bytes()) {
                // `;` is ASCII: both cuts are on boundaries.
                Some(at) => (text.get(..at).unwrap_or_default(), text.get(at + 1..)),
                None => (text, None),
            };
            self.rest = rest;
            if let Some((name, value)) = crate::set_cookie::split_once(pair, b'=') {
                let name = trim(name);
                if !name.is_empty() {
                    return Some((name, trim(value)));
                }
            }
        }
    }
}

/// The value of the first cookie called `name` in a request's `Cookie`
/// headers, exactly as [`request_cookies`] reads them, but without cutting
/// every pair: it jumps from `;` to `;` (a vectorised search) and compares
/// only the start of each pair with `name`. Its cost is one pass over the
/// header, whatever the policy.
pub(crate) fn first_cookie_value<'v>(
    cookie_headers: impl IntoIterator<Item = &'v HeaderValue>,
    name: &str,
) -> Option<&'v str> {
    // A name that holds a separator or a blank cannot be compared by its
    // start; no browser stores one, but the reading stays the same.
    if name.is_empty()
        || name
            .bytes()
            .any(|b| matches!(b, b';' | b'=') || b.is_ascii_whitespace())
    {
        return request_cookies(cookie_headers)
            .find_map(|(found, value)| (found == name).then_some(value));
    }
    for header in cookie_headers {
        let Ok(mut rest) = header.to_str() else {
            continue;
        };
        loop {
            let (pair, next) = match memchr::memchr(b';', rest.as_bytes()) {
                Some(at) => (rest.get(..at).unwrap_or_default(), rest.get(at + 1..)),
                None => (rest, None),
            };
            // `request_cookies` trims the name it cuts at the first `=`:
            // that name is `name` exactly when the pair is blanks, `name`,
            // blanks, `=` (`name` holds neither `=` nor a blank). A header
            // that is text holds no whitespace but spaces and tabs, so
            // trimming those is `str::trim`'s trimming.
            if let Some(value) = trim_start(pair)
                .strip_prefix(name)
                .and_then(|after| trim_start(after).strip_prefix('='))
            {
                return Some(trim(value));
            }
            match next {
                Some(next) => rest = next,
                None => break,
            }
        }
    }
    None
}

/// The consent a request carries in `P`'s consent cookie, read by `read`
/// (the layer remembers what it read): necessary only when there is none
/// or it cannot be used, with the reason. Only the first cookie of that
/// name counts, as a server reading the header in order would take it.
pub(crate) fn read_request_consent(
    consent_cookie: Option<&Cookie>,
    request: &HeaderMap,
    read: impl FnOnce(&str) -> Result<Consent, ConsentError>,
) -> (Consent, Option<ConsentError>) {
    let Some(consent_cookie) = consent_cookie else {
        return (Consent::necessary_only(), None);
    };
    let value = first_cookie_value(request.get_all(COOKIE), consent_cookie.name());
    match value.map(read) {
        None => (Consent::necessary_only(), None),
        Some(Ok(consent)) => (consent, None),
        Some(Err(error)) => (Consent::necessary_only(), Some(error)),
    }
}

/// `name=; Max-Age=0; Expires=<epoch>; Path=..; Domain=..`, written into
/// one buffer that the header then owns.
fn deletion(name: &str, declared: &Cookie) -> Option<HeaderValue> {
    const EXPIRED: &str = "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=";
    let path = declared.path().unwrap_or("/");
    // A `__Host-` cookie has no Domain by definition.
    let host = name.starts_with("__Host-");
    let domain = declared.domain().filter(|_| !host);
    let secure = host || name.starts_with("__Secure-");
    let mut header = String::with_capacity(
        name.len()
            + EXPIRED.len()
            + path.len()
            + domain.map_or(0, |domain| "; Domain=".len() + domain.len())
            + if secure { "; Secure".len() } else { 0 },
    );
    header.push_str(name);
    header.push_str(EXPIRED);
    header.push_str(path);
    if let Some(domain) = domain {
        header.push_str("; Domain=");
        header.push_str(domain);
    }
    if secure {
        header.push_str("; Secure");
    }
    HeaderValue::try_from(header).ok()
}

/// The consent a request carries in `P`'s consent cookie
/// ([`CookiePolicy::CONSENT_COOKIE`]), in either format
/// ([`Consent::read_cookie_value`]): necessary only when there is none or
/// it cannot be used, with the reason.
pub fn consent_from_request<P: CookiePolicy + ?Sized>(
    request: &HeaderMap,
) -> (Consent, Option<ConsentError>) {
    read_request_consent(P::CONSENT_COOKIE, request, Consent::read_cookie_value::<P>)
}

/// The consent a response records by setting `P`'s consent cookie, if it
/// sets it: the new value, in either format, or necessary only when the
/// header deletes the cookie or its value cannot be read.
pub fn consent_from_response<P: CookiePolicy + ?Sized>(response: &HeaderMap) -> Option<Consent> {
    consent_set_by(&PolicyData::of::<P>(), response)
}

/// [`consent_from_response`], for a policy's data: what the layer calls.
pub(crate) fn consent_set_by(policy: &PolicyData, response: &HeaderMap) -> Option<Consent> {
    let consent_cookie = policy.consent_cookie()?;
    let mut clock = Clock::of(response);
    let cookie = response
        .get_all(SET_COOKIE)
        .iter()
        .filter(|value| {
            // Cheap first: the name starts the header, after any blanks.
            let mut rest = value.as_bytes();
            while let [b' ' | b'\t', after @ ..] = rest {
                rest = after;
            }
            let name = consent_cookie.name().as_bytes();
            let starts =
                (name.is_empty() || rest.first() == name.first()) && rest.starts_with(name);
            starts
                && value.to_str().ok().and_then(checked_set_cookie_name)
                    == Some(consent_cookie.name())
        })
        .filter_map(|value| parse_header(value, &mut clock))
        .rfind(|cookie| cookie.name() == consent_cookie.name())?;
    if cookie.is_deletion() {
        return Some(Consent::necessary_only());
    }
    Some(Consent::read_cookie_value_for(policy, cookie.value()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut never skips a name whose cookie needs consent: every
    /// declared name and pattern prefix, with suffixes and cut short.
    #[cfg(feature = "tower")]
    #[test]
    fn consent_heads_skip_no_cookie_that_needs_consent() {
        /// The tests' shop: statistics and advertising cookies, patterns.
        #[derive(crate::CookiePolicy)]
        #[cookie_policy(path = "../tests/fixtures/shop.toml")]
        struct Shop;
        let heads = ConsentHeads::of(Shop::COOKIES);
        assert!(Shop::COOKIES.iter().any(Cookie::requires_consent));
        let mut names: Vec<String> = Vec::new();
        for cookie in Shop::COOKIES {
            let key = String::from_utf8(cookie.key().to_vec()).unwrap();
            for end in 0..=key.len() {
                names.push(key[..end].to_owned());
                names.push(format!("{}x7", &key[..end]));
            }
        }
        names.extend(["_ga", "x", "", "__Host-a"].map(str::to_owned));
        for name in &names {
            if Shop::lookup(name).is_some_and(Cookie::requires_consent) {
                assert!(heads.may_need_consent(name), "{name}");
            }
        }
    }

    /// The consent cookie's search answers as a reading of every pair
    /// does, on every header of up to three pairs drawn from names that
    /// are, contain, extend or pad the name searched, with blanks, empty
    /// values and `=` in values, and over several headers.
    #[test]
    fn first_cookie_value_agrees_with_request_cookies() {
        let pairs = [
            "c=1",
            " c=2 ",
            "c =3",
            "\tc\t=\t4",
            "cc=5",
            "xc=6",
            "c",
            "c=",
            "c==7",
            "=c",
            "a=c=8",
            " ",
            "",
            "c x=9",
            "C=10",
        ];
        let mut headers = vec![String::new()];
        for first in pairs {
            headers.push(first.to_owned());
            for second in pairs {
                headers.push(format!("{first};{second}"));
                for third in pairs {
                    headers.push(format!("{first}; {second};{third}"));
                }
            }
        }
        let values: Vec<HeaderValue> = headers
            .iter()
            .map(|header| HeaderValue::from_str(header).unwrap())
            .chain([HeaderValue::from_bytes(b"c=\xff").unwrap()])
            .collect();
        fn naive<'v>(values: &[&'v HeaderValue], name: &str) -> Option<&'v str> {
            request_cookies(values.iter().copied())
                .find_map(|(found, value)| (found == name).then_some(value))
        }
        for name in ["c", "cc", "c x", "=c"] {
            for value in &values {
                assert_eq!(
                    first_cookie_value([value], name),
                    naive(&[value], name),
                    "{value:?} {name}"
                );
            }
            for pair in values.windows(2) {
                let both = [&pair[0], &pair[1]];
                assert_eq!(
                    first_cookie_value(both, name),
                    naive(&both, name),
                    "{pair:?} {name}"
                );
            }
        }
    }
}
