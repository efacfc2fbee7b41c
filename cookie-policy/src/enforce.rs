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
use crate::set_cookie::{
    SplitSemicolons, split_semicolons, trim_bytes, trim_bytes_end, trim_bytes_start,
};
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
    /// The header is not text (a byte other than visible ASCII and HTAB,
    /// as `HeaderValue::to_str` reads it: a UTF-8 name or value too), or
    /// a browser would ignore it (a control character, no name and no
    /// value, a name and value over 4,096 bytes): removed, since it sets
    /// nothing a policy can check.
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
/// not text (visible ASCII and HTAB) or that a browser would ignore: the
/// filter fails closed. Other
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
        None,
        &mut |removal| removed.push(removal),
        Some(&mut report.mismatches),
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

/// A response that records the visitor's choice by setting the consent
/// cookie: the filter judges its headers with that choice.
pub(crate) struct NewChoice<'a> {
    /// The consent cookie's name.
    pub(crate) name: &'a [u8],
    /// The consent the response's headers record, when they record one
    /// ([`consent_set_by`], with what else the request asks applied).
    pub(crate) read: &'a dyn Fn(&HeaderMap) -> Option<Consent>,
}

/// [`filter_set_cookies`], handing each removal to `removed` in header
/// order and pushing mismatches onto `mismatches`: what the layer calls,
/// which needs no report when nobody reads one. Without `mismatches`
/// (nobody would read them) no `Domain` or `Path` is compared. Nothing is
/// allocated unless more than a few headers are removed or kept.
///
/// With `new_choice`, a response that sets the consent cookie is judged
/// with the consent it records instead of `consent`: the headers are
/// judged a second time when that consent differs (a header before the
/// consent cookie must be judged by the choice that follows), and only
/// then. Returns the consent judged with.
pub(crate) fn filter_into<P: EnforcedPolicy + ?Sized>(
    policy: &P::Held,
    headers: &mut HeaderMap,
    consent: Consent,
    new_choice: Option<NewChoice<'_>>,
    removed: &mut impl FnMut(Removal),
    mismatches: Option<&mut Vec<Mismatch>>,
) -> Consent {
    filter_and_append::<P>(
        policy,
        headers,
        consent,
        new_choice,
        removed,
        mismatches,
        None::<Append<fn(Consent, &mut dyn FnMut(HeaderValue))>>,
    )
}

/// `Set-Cookie`s to add after the kept ones ([`filter_and_append`]): `add`
/// called with the consent judged with and a sink for them, unless that
/// consent covers `unless`.
pub(crate) struct Append<F> {
    pub(crate) unless: Consent,
    pub(crate) add: F,
}

/// [`filter_into`], then the headers `append` adds, when given, after the
/// kept ones (the layer's deletions): when headers are removed, the entry
/// is found once for both.
pub(crate) fn filter_and_append<P: EnforcedPolicy + ?Sized>(
    policy: &P::Held,
    headers: &mut HeaderMap,
    consent: Consent,
    new_choice: Option<NewChoice<'_>>,
    removed: &mut impl FnMut(Removal),
    mut mismatches: Option<&mut Vec<Mismatch>>,
    append: Option<Append<impl FnOnce(Consent, &mut dyn FnMut(HeaderValue))>>,
) -> Consent {
    let mut inline = [Decision::NONE; INLINE_REMOVALS];
    let mut overflow: Vec<Decision> = Vec::new();
    let mut count = 0;
    let mut consent = consent;
    let mut new_choice = new_choice;
    let mismatches_before = mismatches.as_ref().map_or(0, |mismatches| mismatches.len());
    loop {
        let mut clock = Clock::of(headers);
        let mut sets_consent = false;
        let consent_name = new_choice.as_ref().map(|choice| choice.name);
        for (index, value) in headers.get_all(SET_COOKIE).iter().enumerate() {
            let judged = judge::<P>(
                policy,
                value,
                consent,
                &mut clock,
                mismatches.as_deref_mut(),
            );
            sets_consent |= consent_name.is_some_and(|name| judged.name == name);
            if let Some(reason) = judged.removed {
                let decision = Decision::new(index, judged.name_range, reason);
                match inline.get_mut(count) {
                    Some(slot) => *slot = decision,
                    None => overflow.push(decision),
                }
                count += 1;
            }
        }
        // Judged again, once, with the choice the response records.
        if sets_consent
            && let Some(choice) = new_choice.take()
            && let Some(chosen) = (choice.read)(headers)
            && chosen != consent
        {
            consent = chosen;
            // Nothing of the first judging is kept: `remove` reads every
            // inline slot up to an unused one.
            inline = [Decision::NONE; INLINE_REMOVALS];
            count = 0;
            overflow.clear();
            if let Some(mismatches) = mismatches.as_deref_mut() {
                mismatches.truncate(mismatches_before);
            }
            continue;
        }
        break;
    }
    let append = append.filter(|append| !consent.covers(append.unless));
    if count > 0 {
        remove(headers, &inline, &overflow, removed, |kept| {
            if let Some(append) = append {
                (append.add)(consent, &mut |header| kept.push(header));
            }
        });
    } else if let Some(append) = append {
        (append.add)(consent, &mut |header| {
            headers.append(SET_COOKIE, header);
        });
    }
    consent
}

/// Takes the headers of the decisions (`inline`, then `overflow`, in
/// header order) out of the response's `Set-Cookie`s, handing each to
/// `removed`, leaves the others in order, and adds what `append` pushes
/// after them.
fn remove(
    headers: &mut HeaderMap,
    inline: &[Decision],
    overflow: &[Decision],
    removed: &mut impl FnMut(Removal),
    append: impl FnOnce(&mut Values),
) {
    // `http::HeaderMap` cannot drop one value of a header. Every value is
    // moved out of the entry in place (an empty static value left behind,
    // which costs nothing), the removed ones to `removed`, the kept ones
    // aside; then the entry is set to the first kept value (which drops the
    // placeholders) and the others appended, in order. No allocation for
    // up to `INLINE_VALUES` kept values, and the entry is found once.
    let http::header::Entry::Occupied(mut entry) = headers.entry(SET_COOKIE) else {
        return;
    };
    // The decisions in header order: `next` is the first not yet met (an
    // unused inline slot's index, `u32::MAX`, is no header's).
    let decision = |at: usize| match at.checked_sub(INLINE_REMOVALS) {
        None => inline.get(at).copied(),
        Some(beyond) => overflow.get(beyond).copied(),
    };
    let mut next = 0;
    let mut kept = Values::default();
    for (index, value) in entry.iter_mut().enumerate() {
        let header = core::mem::replace(value, HeaderValue::from_static(""));
        match decision(next).filter(|decision| decision.index as usize == index) {
            Some(decision) => {
                next += 1;
                removed(Removal {
                    header,
                    name: decision.name(),
                    reason: decision.reason,
                });
            }
            None => kept.push(header),
        }
    }
    // The first kept value replaces the entry's (which drops the
    // placeholders); the others are appended, each moved out of its slot.
    append(&mut kept);
    let mut kept = kept.drain();
    match kept.next() {
        Some(first) => {
            entry.insert(first);
            for header in kept {
                entry.append(header);
            }
        }
        None => {
            entry.remove();
        }
    }
}

/// `Set-Cookie` values to put in a response: the kept values of an entry
/// being rebuilt, or values to add. The first few inline, the rest in a
/// `Vec`.
#[derive(Default)]
struct Values {
    inline: [Option<HeaderValue>; INLINE_VALUES],
    len: usize,
    overflow: Vec<HeaderValue>,
}

/// How many values [`Values`] holds without allocating: a response sets
/// a few cookies.
const INLINE_VALUES: usize = 4;

impl Values {
    fn push(&mut self, header: HeaderValue) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = Some(header),
            None => self.overflow.push(header),
        }
        self.len += 1;
    }

    /// The values, in order, each moved out of its slot (the slots are
    /// not moved).
    fn drain(&mut self) -> impl Iterator<Item = HeaderValue> + '_ {
        let inline = self.inline.iter_mut().take(self.len);
        inline
            .filter_map(Option::take)
            .chain(self.overflow.drain(..))
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

/// What [`judge`] found of one header.
struct Judged<'h> {
    /// The cookie's name (empty when the header has none, or a browser
    /// ignores it).
    name: &'h [u8],
    /// Where the name is in the header, when the header has one.
    name_range: Option<Range<usize>>,
    /// Why the header goes; `None` when it stays.
    removed: Option<RemovalReason>,
}

/// Judges one header: whether it stays, and why not.
fn judge<'h, P: EnforcedPolicy + ?Sized>(
    policy: &P::Held,
    value: &'h HeaderValue,
    consent: Consent,
    clock: &mut Clock<'_>,
    mismatches: Option<&mut Vec<Mismatch>>,
) -> Judged<'h> {
    // Most headers set a cookie the policy allows: that takes only the name
    // (and a check that the header is text, which holds no control
    // character but HTAB). The rest of the header is read when it matters:
    // the declared cookie's domain and path, or whether a refused cookie is
    // being deleted.
    let header = value.as_bytes();
    let Some(cut) = crate::set_cookie::cut_checked(value) else {
        return Judged {
            name: &[],
            name_range: None,
            removed: Some(RemovalReason::Unparsable),
        };
    };
    let name = header.get(cut.name.clone()).unwrap_or_default();
    let stays = |name| Judged {
        name,
        name_range: None,
        removed: None,
    };
    let reason = match P::__permits(policy, name, consent) {
        Verdict::Allowed(declared) => {
            if let Some(mismatches) = mismatches
                && (declared.domain().is_some() || declared.path().is_some())
            {
                let (domain, path) = crate::set_cookie::domain_and_path(cut.attributes());
                check_attributes(name, domain, path, declared, mismatches);
            }
            return stays(name);
        }
        Verdict::Refused { missing, .. } => RemovalReason::NotConsented(missing),
        Verdict::Undeclared => RemovalReason::Undeclared,
    };
    // A refused header stays only when it deletes, which most cannot:
    // the clock is read only for one whose expiry depends on it.
    let deletes = cut.deletes(|| {
        let (now, date) = clock.now_and_date();
        (now, Some(date))
    });
    if deletes {
        return stays(name);
    }
    Judged {
        name,
        name_range: Some(cut.name),
        removed: Some(reason),
    }
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
    name: &[u8],
    domain: Option<&[u8]>,
    path: Option<&[u8]>,
    declared: &Cookie,
    mismatches: &mut Vec<Mismatch>,
) {
    // The header is ASCII (the filter checked): nothing is lost.
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    if let Some(declared_domain) = declared.domain() {
        let expected = declared_domain.strip_prefix('.').unwrap_or(declared_domain);
        if !domain.is_some_and(|sent| sent.eq_ignore_ascii_case(expected.as_bytes())) {
            mismatches.push(Mismatch {
                name: text(name),
                attribute: "Domain",
                declared: declared_domain,
                sent: domain.map(text),
            });
        }
    }
    if let Some(declared_path) = declared.path()
        && path != Some(declared_path.as_bytes())
    {
        mismatches.push(Mismatch {
            name: text(name),
            attribute: "Path",
            declared: declared_path,
            sent: path.map(text),
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
    for_each_deletion(
        cookie_names(request.get_all(COOKIE)),
        consent,
        declared_by::<P>(&()),
        |header| headers.push(header),
    );
    headers
}

/// [`for_each_deletion`]'s `declared` for policy `P`: the declared cookie
/// a name is.
pub(crate) fn declared_by<P: EnforcedPolicy + ?Sized>(
    policy: &P::Held,
) -> impl FnMut(&[u8]) -> Option<&'static Cookie> {
    |name| P::__lookup(policy, name)
}

/// The names of the cookies of a request's `Cookie` headers, in order, as
/// [`request_cookies`] cuts them (not checked as UTF-8).
pub(crate) fn cookie_names<'v>(
    cookie_headers: impl IntoIterator<Item = &'v HeaderValue>,
) -> impl Iterator<Item = &'v [u8]> {
    cookie_headers
        .into_iter()
        .flat_map(|header| PairBytes(split_semicolons(header.as_bytes())))
        .map(|(name, _)| name)
}

/// [`deletions`], for the names of a request's cookies (as
/// [`request_cookies`] cuts them: trimmed, not empty), each deletion
/// handed to `emit`. `declared` says which declared cookie a name is
/// ([`declared_by`]). Only the names deleted are remembered (a name that
/// deleted nothing the first time deletes nothing the next), so nothing
/// is allocated unless something is deleted.
pub(crate) fn for_each_deletion<'v>(
    names: impl IntoIterator<Item = &'v [u8]>,
    consent: Consent,
    mut declared: impl FnMut(&[u8]) -> Option<&'static Cookie>,
    mut emit: impl FnMut(HeaderValue),
) {
    // The names deleted so far: the first few inline.
    let mut deleted = Deleted::default();
    for name in names {
        if deleted.len() == MAX_DELETIONS {
            return;
        }
        // A name that is not UTF-8 is left alone, as `request_cookies`
        // skips it.
        if let Some(cookie) = declared(name)
            && !consent.permits(cookie)
            && !deleted.contains(name)
            && (name.is_ascii() || core::str::from_utf8(name).is_ok())
            && let Some(header) = deletion(name, cookie)
        {
            deleted.push(name);
            emit(header);
        }
    }
}

/// The names [`for_each_deletion`] deleted: the first few inline, the rest
/// in a hash set (at most [`MAX_DELETIONS`] in all), so that a header
/// repeating a deleted name thousands of times costs a hash a repeat, not
/// a comparison with every name deleted.
#[derive(Default)]
struct Deleted<'v> {
    inline: [&'v [u8]; 4],
    /// Made past the inline names: its hasher's keys are read from a
    /// thread local.
    overflow: Option<std::collections::HashSet<&'v [u8]>>,
    len: usize,
}

impl<'v> Deleted<'v> {
    fn len(&self) -> usize {
        self.len
    }

    fn contains(&self, name: &[u8]) -> bool {
        self.inline
            .iter()
            .take(self.len)
            .any(|deleted| *deleted == name)
            || self
                .overflow
                .as_ref()
                .is_some_and(|overflow| overflow.contains(name))
    }

    fn push(&mut self, name: &'v [u8]) {
        match self.inline.get_mut(self.len) {
            Some(slot) => *slot = name,
            None => {
                self.overflow.get_or_insert_default().insert(name);
            }
        }
        self.len += 1;
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

    /// Whether `P::lookup(name)` may be a cookie that needs consent, given
    /// the bytes that start a pair of a `Cookie` header, blanks trimmed:
    /// the name, then `=` or a blank (a one-byte name's pair is looked up
    /// by that second byte, which one-byte names and prefixes allow).
    #[inline]
    fn may_need_consent(&self, name: &[u8]) -> bool {
        match *name {
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
/// them is a split: pairs are cut at `;`, names and values trimmed of
/// spaces and tabs, and a pair without `=` or with an empty name names no
/// cookie and is skipped, as is a pair whose name or value is not UTF-8
/// (the other pairs of its header are still read: a browser sends what a
/// site stored, and one site's non-UTF-8 cookie must not hide another's).
/// A property test checks this reading against the `cookie` crate's
/// `Cookie::split_parse` on arbitrary headers.
///
/// ```
/// use cookie_policy::enforce::request_cookies;
/// use http::header::{COOKIE, HeaderMap, HeaderValue};
///
/// let mut request = HeaderMap::new();
/// request.append(COOKIE, HeaderValue::from_static("sessionid=abc; theme ; lang=fr"));
/// request.append(COOKIE, HeaderValue::from_bytes(b"name=\xff; cart=3").unwrap());
/// let pairs: Vec<_> = request_cookies(request.get_all(COOKIE)).collect();
/// assert_eq!(pairs, [("sessionid", "abc"), ("lang", "fr"), ("cart", "3")]);
/// ```
pub fn request_cookies<'v>(
    cookie_headers: impl IntoIterator<Item = &'v HeaderValue>,
) -> impl Iterator<Item = (&'v str, &'v str)> {
    cookie_headers
        .into_iter()
        .flat_map(|header| PairBytes(split_semicolons(header.as_bytes())))
        .filter_map(|(name, value)| {
            Some((
                core::str::from_utf8(name).ok()?,
                core::str::from_utf8(value).ok()?,
            ))
        })
}

/// The `name=value` pairs of one `Cookie` header, as bytes, cut as
/// [`request_cookies`] cuts them: at each `;` ([`split_semicolons`]), then
/// at the first `=`, names and values trimmed of
/// spaces and tabs (the only blanks a header value holds), pairs with an
/// empty name skipped. No byte is checked here: a caller converts what it
/// uses.
struct PairBytes<'t>(SplitSemicolons<'t>);

impl<'t> Iterator for PairBytes<'t> {
    type Item = (&'t [u8], &'t [u8]);

    fn next(&mut self) -> Option<(&'t [u8], &'t [u8])> {
        self.0
            .by_ref()
            .find_map(|pair| pair_name_and_value(trim_bytes_start(pair)))
    }
}

/// One pass over a request's `Cookie` headers, each pair cut as
/// [`request_cookies`] cuts it (at its first `=`, the name trimmed, pairs
/// without a name skipped), no byte checked: the value of the first cookie
/// called `consent_name` (trimmed), and, pushed onto `names` in order, the
/// name of every cookie that `heads` says may need consent (none without
/// `heads`).
///
/// The layer reads the visitor's consent and the names its deletions may
/// need in this one pass, and keeps the names, not the headers.
pub(crate) fn scan_request_cookies<'v>(
    cookie_headers: impl IntoIterator<Item = &'v HeaderValue>,
    consent_name: Option<CookieName<'_>>,
    heads: Option<&ConsentHeads>,
    names: &mut CookieNames,
) -> Option<&'v [u8]> {
    let mut consent = None;
    for header in cookie_headers {
        for pair in split_semicolons(header.as_bytes()) {
            // The name starts the pair after any blanks: its first two
            // bytes (or the name's one and the `=` or blank after it) say
            // whether it may need consent, before the pair is cut.
            let pair = trim_bytes_start(pair);
            if consent.is_none()
                && let Some(CookieName { name, plain }) = consent_name
            {
                consent = if plain {
                    pair.strip_prefix(name)
                        .and_then(|after| trim_bytes_start(after).strip_prefix(b"="))
                        .map(trim_bytes)
                } else {
                    pair_name_and_value(pair)
                        .and_then(|(found, value)| (found == name).then_some(value))
                };
            }
            if let Some(heads) = heads
                && let Some(name) = name_that_may_need_consent(pair, heads)
            {
                names.push(name);
            }
        }
    }
    consent
}

/// The name of the cookie a pair of a `Cookie` header sets (blanks
/// trimmed at its start), when `heads` says it may need consent.
#[inline]
fn name_that_may_need_consent<'p>(pair: &'p [u8], heads: &ConsentHeads) -> Option<&'p [u8]> {
    if !heads.may_need_consent(pair) {
        return None;
    }
    pair_name_and_value(pair).map(|(name, _)| name)
}

/// The names of the cookies of a request's `Cookie` headers that `heads`
/// says may need consent, in order: what [`scan_request_cookies`] keeps,
/// read again from the headers when it kept too many to hold.
#[cfg_attr(not(feature = "tower"), allow(dead_code, reason = "read by the layer"))]
pub(crate) fn names_that_may_need_consent<'v>(
    cookie_headers: impl IntoIterator<Item = &'v HeaderValue>,
    heads: &'v ConsentHeads,
) -> impl Iterator<Item = &'v [u8]> {
    cookie_headers
        .into_iter()
        .flat_map(|header| split_semicolons(header.as_bytes()))
        .filter_map(move |pair| name_that_may_need_consent(trim_bytes_start(pair), heads))
}

/// A pair of a `Cookie` header, blanks trimmed at its start, cut at its
/// first `=`: the name and the value, trimmed; `None` without `=` or
/// without a name.
#[inline]
fn pair_name_and_value(pair: &[u8]) -> Option<(&[u8], &[u8])> {
    let (name, value) = crate::set_cookie::split_bytes_once(pair, b'=')?;
    let name = trim_bytes_end(name);
    (!name.is_empty()).then(|| (name, trim_bytes(value)))
}

/// A cookie name searched in `Cookie` headers ([`scan_request_cookies`]),
/// with what its search needs to know of it, worked out once.
#[derive(Clone, Copy)]
pub(crate) struct CookieName<'n> {
    name: &'n [u8],
    /// Whether the name holds no `=` and no blanks at its ends: then it
    /// is found at the start of a pair, followed by blanks and `=` (the
    /// pair's first `=` ends a name that trims to it, and only then). Any
    /// other name is found by cutting each pair.
    plain: bool,
}

impl<'n> CookieName<'n> {
    pub(crate) fn new(name: &'n [u8]) -> CookieName<'n> {
        CookieName {
            name,
            plain: !name.is_empty()
                && !name.contains(&b'=')
                && trim_bytes(name).len() == name.len(),
        }
    }
}

/// The names of cookies a request carries, copied out of its `Cookie`
/// headers in order ([`scan_request_cookies`]), a few dozen bytes held
/// inline, so that a response future holds them without holding the
/// headers. A request with more (a crafted one, most likely) overflows
/// them: the caller then keeps the headers and reads the names from them
/// again ([`names_that_may_need_consent`]), so that what a request makes
/// the layer hold is never more than the headers themselves.
#[derive(Clone, Copy)]
pub(crate) struct CookieNames {
    /// The names' bytes, one after another.
    inline: [u8; INLINE_NAME_BYTES],
    /// Where each name ends in `inline`.
    inline_ends: [u8; INLINE_NAMES],
    /// How many names are held.
    count: u8,
    /// A name did not fit: the names held are only the first ones.
    overflowed: bool,
}

/// How many bytes of names [`CookieNames`] holds.
const INLINE_NAME_BYTES: usize = 48;

/// How many names [`CookieNames`] holds.
const INLINE_NAMES: usize = 4;

impl Default for CookieNames {
    fn default() -> Self {
        CookieNames {
            inline: [0; INLINE_NAME_BYTES],
            inline_ends: [0; INLINE_NAMES],
            count: 0,
            overflowed: false,
        }
    }
}

impl CookieNames {
    #[inline]
    pub(crate) fn push(&mut self, name: &[u8]) {
        let start = match self.count {
            0 => 0,
            count => self
                .inline_ends
                .get(usize::from(count) - 1)
                .map_or(INLINE_NAME_BYTES, |&end| usize::from(end)),
        };
        let end = start + name.len();
        if !self.overflowed
            && let Some(slot) = self.inline.get_mut(start..end)
            && let Ok(end) = u8::try_from(end)
            && let Some(ends) = self.inline_ends.get_mut(usize::from(self.count))
        {
            slot.copy_from_slice(name);
            *ends = end;
            self.count += 1;
        } else {
            self.overflowed = true;
        }
    }

    /// Whether a name did not fit: then [`iter`](Self::iter) gives only the
    /// first ones, and the names are to be read from the headers.
    #[cfg_attr(not(feature = "tower"), allow(dead_code, reason = "read by the layer"))]
    pub(crate) fn overflowed(&self) -> bool {
        self.overflowed
    }

    /// Whether no name is held (nor overflowed).
    #[cfg_attr(not(feature = "tower"), allow(dead_code, reason = "read by the layer"))]
    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0 && !self.overflowed
    }

    /// The names held, in the order they were pushed.
    #[cfg_attr(not(feature = "tower"), allow(dead_code, reason = "read by the layer"))]
    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let ends = self
            .inline_ends
            .get(..usize::from(self.count))
            .unwrap_or_default();
        ends.iter().scan(0, |start, &end| {
            let name = self.inline.get(*start..usize::from(end));
            *start = usize::from(end);
            name
        })
    }
}

/// The consent a request carries in its consent cookie's `value` (the
/// first cookie of that name, as a server reading the header in order
/// would take it: [`scan_request_cookies`]), read by `read` from the
/// value's bytes (the layer remembers what it read): necessary only when
/// there is none or it cannot be used, with the reason. A value that is
/// not UTF-8 is malformed.
pub(crate) fn read_request_consent(
    value: Option<&[u8]>,
    read: impl FnOnce(&[u8]) -> Result<Consent, ConsentError>,
) -> (Consent, Option<ConsentError>) {
    match value.map(read) {
        None => (Consent::necessary_only(), None),
        Some(Ok(consent)) => (consent, None),
        Some(Err(error)) => (Consent::necessary_only(), Some(error)),
    }
}

/// A consent cookie's value read from its bytes: malformed when they are
/// not UTF-8.
pub(crate) fn read_consent_bytes(
    value: &[u8],
    read: impl FnOnce(&str) -> Result<Consent, ConsentError>,
) -> Result<Consent, ConsentError> {
    core::str::from_utf8(value)
        .map_err(|_| ConsentError::Malformed)
        .and_then(read)
}

/// `name=; Max-Age=0; Expires=<epoch>; Path=..; Domain=..`, written into
/// one buffer that the header then owns.
fn deletion(name: &[u8], declared: &Cookie) -> Option<HeaderValue> {
    const EXPIRED: &str = "=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=";
    let path = declared.path().unwrap_or("/");
    // A `__Host-` cookie has no Domain by definition.
    let host = name.starts_with(b"__Host-");
    let domain = declared.domain().filter(|_| !host);
    let secure = host || name.starts_with(b"__Secure-");
    // Bytes: `HeaderValue` checks them, the name as it came (a header
    // value's bytes) included.
    let mut header = Vec::with_capacity(
        name.len()
            + EXPIRED.len()
            + path.len()
            + domain.map_or(0, |domain| "; Domain=".len() + domain.len())
            + if secure { "; Secure".len() } else { 0 },
    );
    header.extend_from_slice(name);
    header.extend_from_slice(EXPIRED.as_bytes());
    header.extend_from_slice(path.as_bytes());
    if let Some(domain) = domain {
        header.extend_from_slice(b"; Domain=");
        header.extend_from_slice(domain.as_bytes());
    }
    if secure {
        header.extend_from_slice(b"; Secure");
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
    let name = P::CONSENT_COOKIE.map(|cookie| CookieName::new(cookie.name().as_bytes()));
    let value = scan_request_cookies(
        request.get_all(COOKIE),
        name,
        None,
        &mut CookieNames::default(),
    );
    read_request_consent(value, |value| {
        read_consent_bytes(value, Consent::read_cookie_value::<P>)
    })
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
            let rest = trim_bytes_start(value.as_bytes());
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
                assert!(heads.may_need_consent(name.as_bytes()), "{name}");
                for pair in [
                    format!("{name}=1"),
                    format!("{name} =1"),
                    format!("{name}\t="),
                ] {
                    assert!(heads.may_need_consent(pair.as_bytes()), "{pair}");
                }
            }
        }
    }

    /// The one-pass cut of a `Cookie` header into pairs agrees with a
    /// naive split at every `;`, on every string of up to eight bytes drawn
    /// from `;`, a letter, `;` with the high bit set and the bytes next to
    /// `;`, alone and after 5, 44 and 60 bytes (so that `;` falls at every
    /// offset of the first words, and on both sides of the switch to the
    /// vectorised search).
    #[test]
    fn pairs_agree_with_a_split() {
        let alphabet = [b';', b'a', 0x3b | 0x80, b':', b'<'];
        let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
        for length in 1..=8 {
            let mut next = Vec::new();
            for input in inputs.iter().filter(|input| input.len() == length - 1) {
                for &byte in &alphabet {
                    let mut longer = input.clone();
                    longer.push(byte);
                    next.push(longer);
                }
            }
            inputs.extend(next);
        }
        // After 5 bytes, and around the 48 bytes searched a word at a time
        // before the vectorised search takes over.
        let shifted: Vec<Vec<u8>> = [5, 44, 60]
            .into_iter()
            .flat_map(|shift| {
                inputs
                    .iter()
                    .map(move |input| [vec![b'x'; shift].as_slice(), input].concat())
            })
            .collect();
        inputs.extend(shifted);
        for input in &inputs {
            let naive: Vec<&[u8]> = input.split(|&b| b == b';').collect();
            let pairs: Vec<&[u8]> = split_semicolons(input).collect();
            assert_eq!(pairs, naive, "{input:?}");
        }
    }

    /// A response that records a new choice is judged by it alone: a
    /// header the first judging (by the request's consent) removed and the
    /// new choice allows stays, whichever side of the consent cookie it is
    /// on, and what the new choice refuses goes.
    #[test]
    fn a_new_choice_is_judged_alone() {
        #[derive(crate::CookiePolicy)]
        #[cookie_policy(path = "../tests/fixtures/shop.toml")]
        struct Shop;
        let statistics = Consent::necessary_only().grant(Category::Statistical);
        let read = |_: &HeaderMap| Some(statistics);
        let cases: [(&[&str], &[&str]); 2] = [
            (
                &["_fbp=1", "_ga=1", "cookies_preferences=chosen"],
                &["_ga=1", "cookies_preferences=chosen"],
            ),
            (
                &[
                    "_fbp=1",
                    "_ga=1",
                    "cookies_preferences=chosen",
                    "_gid=1",
                    "_gcl_au=1",
                ],
                &["_ga=1", "cookies_preferences=chosen", "_gid=1"],
            ),
        ];
        for (sent, expected) in cases {
            let mut headers = HeaderMap::new();
            for &header in sent {
                headers.append(SET_COOKIE, HeaderValue::from_static(header));
            }
            let mut removed = Vec::new();
            let judged_with = filter_into::<Shop>(
                &(),
                &mut headers,
                Consent::necessary_only(),
                Some(NewChoice {
                    name: b"cookies_preferences",
                    read: &read,
                }),
                &mut |removal| removed.push(removal),
                Some(&mut Vec::new()),
            );
            assert_eq!(judged_with, statistics);
            let kept: Vec<&str> = headers
                .get_all(SET_COOKIE)
                .iter()
                .map(|value| value.to_str().unwrap())
                .collect();
            assert_eq!(kept, expected, "{sent:?}");
            for removal in &removed {
                let name = removal.name().unwrap_or_default();
                assert!(matches!(name, "_fbp" | "_gcl_au"), "{name} in {sent:?}");
            }
            assert_eq!(removed.len() + kept.len(), sent.len());
        }
    }

    /// A header that is not text, UTF-8 included, is removed as
    /// unparsable: policies name cookies in ASCII, and the filter fails
    /// closed.
    #[test]
    fn a_header_that_is_not_text_is_removed_as_unparsable() {
        for header in [
            "sessionid=caf\u{e9}; Path=/",
            "sessionid=1; Path=/caf\u{e9}",
        ] {
            let mut headers = HeaderMap::new();
            headers.append(SET_COOKIE, HeaderValue::from_str(header).unwrap());
            headers.append(SET_COOKIE, HeaderValue::from_static("csrftoken=1"));
            let report = filter_set_cookies::<crate::Platform>(&mut headers, Consent::all());
            assert_eq!(report.removed().len(), 1, "{header}");
            assert_eq!(report.removed()[0].reason(), RemovalReason::Unparsable);
            assert_eq!(report.removed()[0].header(), header);
            assert_eq!(headers.get_all(SET_COOKIE).iter().count(), 1);
        }
    }

    /// The one pass over a request's `Cookie` headers answers as a naive
    /// reading of every pair does: the first value of the consent cookie,
    /// and the names that may need consent, in order. On every header of
    /// up to three pairs drawn from names that are, contain, extend or pad
    /// the name searched, with blanks, empty values and `=` in values, and
    /// over several headers; the names kept by a set of heads that keeps
    /// some and not others, held and overflowing.
    #[test]
    fn the_scan_of_request_cookies_agrees_with_a_naive_reading() {
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
            "cookie_with_a_name_longer_than_the_inline_room_of_forty_eight_bytes=11",
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
        headers.push(["cc=1"; 7].join("; "));
        let values: Vec<HeaderValue> = headers
            .iter()
            .map(|header| HeaderValue::from_str(header).unwrap())
            .chain([HeaderValue::from_bytes(b"c=\xff").unwrap()])
            .collect();
        // Heads that keep names starting `cc`, `co`, `c=`, `c ` and `c\t`
        // (a one-byte name `c`), and not `C`, `xc` or `a`.
        let mut heads = ConsentHeads {
            pairs: vec![0; 65_536 / 64].into_boxed_slice(),
            all: false,
        };
        for second in 0..=u8::MAX {
            heads.insert(b'c', second);
        }
        let may_need = |name: &[u8]| name.first() == Some(&b'c');
        /// Every pair cut, the naive way: split at `;`, then at the
        /// first `=`, blanks trimmed, pairs without a name skipped.
        fn naive<'v>(values: &[&'v HeaderValue]) -> Vec<(&'v [u8], &'v [u8])> {
            let trim = |bytes: &'v [u8]| {
                let start = bytes.iter().position(|b| !b" \t".contains(b));
                let end = bytes.iter().rposition(|b| !b" \t".contains(b));
                match (start, end) {
                    (Some(start), Some(end)) => &bytes[start..=end],
                    _ => &bytes[..0],
                }
            };
            values
                .iter()
                .flat_map(|value| value.as_bytes().split(|&b| b == b';'))
                .filter_map(|pair| {
                    let at = pair.iter().position(|&b| b == b'=')?;
                    let name = trim(&pair[..at]);
                    (!name.is_empty()).then(|| (name, trim(&pair[at + 1..])))
                })
                .collect()
        }
        let check = |values: &[&HeaderValue], name: &str| {
            let naive = naive(values);
            let expected_value = naive
                .iter()
                .find_map(|&(found, value)| (found == name.as_bytes()).then_some(value));
            let expected_names: Vec<&[u8]> = naive
                .iter()
                .map(|&(found, _)| found)
                .filter(|found| may_need(found))
                .collect();
            let mut names = CookieNames::default();
            let value = scan_request_cookies(
                values.iter().copied(),
                Some(CookieName::new(name.as_bytes())),
                Some(&heads),
                &mut names,
            );
            assert_eq!(value, expected_value, "{values:?} {name}");
            // Held: the first names while four of them, 48 bytes in all,
            // fit; past that, overflowed, and read again in full from the
            // headers.
            let mut room = 48;
            let fitting: Vec<&[u8]> = expected_names
                .iter()
                .take(4)
                .take_while(|name| {
                    let fits = name.len() <= room;
                    room = room.saturating_sub(name.len());
                    fits
                })
                .copied()
                .collect();
            assert_eq!(names.iter().collect::<Vec<_>>(), fitting, "{values:?}");
            assert_eq!(
                names.overflowed(),
                fitting.len() < expected_names.len(),
                "{values:?}"
            );
            assert_eq!(
                names_that_may_need_consent(values.iter().copied(), &heads).collect::<Vec<_>>(),
                expected_names,
                "{values:?}"
            );
            // Without heads, the same consent and no name.
            let mut none = CookieNames::default();
            let value = scan_request_cookies(
                values.iter().copied(),
                Some(CookieName::new(name.as_bytes())),
                None,
                &mut none,
            );
            assert_eq!(value, expected_value, "{values:?} {name}");
            assert_eq!(none.iter().count(), 0);
        };
        for name in ["c", "cc", "c x", "=c"] {
            for value in &values {
                check(&[value], name);
            }
            for pair in values.windows(2) {
                check(&[&pair[0], &pair[1]], name);
            }
        }
    }
}
