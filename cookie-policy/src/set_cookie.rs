//! What a browser does with a `Set-Cookie` header: [`SetCookie`], read by
//! the algorithm of RFC 6265bis (draft 20), section 5.7 ("The Set-Cookie
//! Header Field") and the expiry rules of its storage model (section 5.8.3),
//! as browsers implement them.
//!
//! The `cookie` crate parses a header as a server writes one; a filter that
//! must decide what a browser will keep needs the browser's reading instead:
//! the last of several `Max-Age`s wins, `Max-Age` beats `Expires`, an invalid
//! value is ignored rather than fatal, and dates are read by the RFC's
//! lenient date algorithm (section 5.1.1). Where Chromium and the RFC
//! disagree, the difference is documented on the item it concerns and
//! checked by the browser test.

use core::time::Duration;
use std::time::SystemTime;

use http::HeaderValue;

/// The longest a browser keeps a cookie: 400 days (RFC 6265bis section
/// 5.7.1 and 5.7.2, "SHOULD be 400 days or less"; Chromium uses exactly 400).
pub const MAX_COOKIE_AGE: Duration = Duration::from_secs(400 * 86_400);

/// The longest header the parser reads; longer ones are ignored, as a
/// browser ignores a cookie whose name and value exceed 4,096 bytes.
const MAX_NAME_VALUE_BYTES: usize = 4096;

/// An attribute value over 1,024 bytes is ignored (section 5.7, step 3 of
/// the attribute loop).
const MAX_ATTRIBUTE_VALUE_BYTES: usize = 1024;

/// A `Set-Cookie` header as a browser stores it.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use cookie_policy::enforce::{Expiry, SetCookie};
///
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// // Max-Age wins over Expires, whatever their order: kept for an hour.
/// let header = "_ga=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=3600";
/// let cookie = SetCookie::parse(header, now).unwrap();
/// assert_eq!(cookie.name(), "_ga");
/// assert_eq!(cookie.expiry(), Expiry::Persistent(now + Duration::from_secs(3600)));
/// assert!(!cookie.is_deletion());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetCookie<'h> {
    name: &'h str,
    value: &'h str,
    expiry: Expiry,
    chromium_expiry: Expiry,
    domain: Option<&'h str>,
    path: Option<&'h str>,
}

/// How long a browser keeps a cookie it was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// No valid `Max-Age` or `Expires`: until the browser session ends.
    Session,
    /// Kept until then, at most [`MAX_COOKIE_AGE`] from the response.
    Persistent(SystemTime),
    /// Expired on arrival: the header deletes any cookie with the same name,
    /// domain and path, and stores nothing.
    Deletion,
}

impl<'h> SetCookie<'h> {
    /// Reads `header` as a browser would on receiving it at `now`; `None`
    /// when a browser ignores the header entirely (a control character, or
    /// a name and value over 4,096 bytes, or neither a name nor a value).
    ///
    /// Chromium compares an `Expires` with the response's `Date` header
    /// when it has one (it moves the expiry by the server's clock skew):
    /// this reads the header as a response without `Date` would be read;
    /// [`parse_in_response`](SetCookie::parse_in_response) takes the date.
    pub fn parse(header: &'h str, now: SystemTime) -> Option<SetCookie<'h>> {
        SetCookie::parse_in_response(header, now, None)
    }

    /// [`parse`](SetCookie::parse), for a header that came in a response
    /// whose `Date` is `date` ([`parse_date_header`] reads it as Chromium
    /// does): Chromium deletes on an `Expires` exactly when it is at or
    /// before that date, whatever the client's clock says.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use cookie_policy::enforce::{SetCookie, parse_date_header};
    ///
    /// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_000_000); // 2026
    /// let header = "_ga=1; Expires=Thu, 01 Jan 2026 00:00:00 GMT";
    /// // Past for the client's clock: both readings delete.
    /// assert!(SetCookie::parse(header, now).unwrap().is_deletion());
    /// // The server's clock says 2025: Chromium stores it.
    /// let date = parse_date_header("Wed, 01 Jan 2025 00:00:00 GMT");
    /// assert!(!SetCookie::parse_in_response(header, now, date).unwrap().is_deletion());
    /// ```
    pub fn parse_in_response(
        header: &'h str,
        now: SystemTime,
        date: Option<SystemTime>,
    ) -> Option<SetCookie<'h>> {
        // 5.7 step 1: a control character other than HTAB: ignore it all.
        if header
            .bytes()
            .any(|b| (b < 0x20 && b != b'\t') || b == 0x7f)
        {
            return None;
        }
        SetCookie::parse_checked(header, now, date)
    }

    /// [`parse_in_response`](SetCookie::parse_in_response) of a header
    /// known to hold no control character but HTAB, as an
    /// `http::HeaderValue` that is text does.
    pub(crate) fn parse_checked(
        header: &'h str,
        now: SystemTime,
        date: Option<SystemTime>,
    ) -> Option<SetCookie<'h>> {
        let (name, value, attributes) = name_value_checked(header)?;
        let mut cookie = SetCookie {
            name,
            value,
            expiry: Expiry::Session,
            chromium_expiry: Expiry::Session,
            domain: None,
            path: None,
        };
        // The attributes that parsed, as 5.8.3 step 3 reads them: the last
        // Max-Age, else the last Expires.
        let mut max_age: Option<Expiry> = None;
        let mut expires: Option<Expiry> = None;
        for (key, value) in attribute_pairs(attributes) {
            if key.eq_ignore_ascii_case("max-age") {
                if let Some(expiry) = max_age_expiry(value, now) {
                    max_age = Some(expiry);
                }
            } else if key.eq_ignore_ascii_case("expires")
                && let Some(date) = parse_cookie_date(value)
            {
                expires = Some(date_expiry(date, now));
            }
        }
        // Cut at ASCII bytes of a `str`: on boundaries.
        let (domain, path) = domain_and_path(attributes.as_bytes());
        cookie.domain = domain.and_then(|domain| core::str::from_utf8(domain).ok());
        cookie.path = path.and_then(|path| core::str::from_utf8(path).ok());
        if let Some(expiry) = max_age.or(expires) {
            cookie.expiry = expiry;
        }
        cookie.chromium_expiry = chromium_expiry(attributes, now, date);
        Some(cookie)
    }

    /// The cookie's name (the empty string for a header without `=`).
    pub fn name(&self) -> &'h str {
        self.name
    }

    /// The cookie's value, as sent.
    pub fn value(&self) -> &'h str {
        self.value
    }

    /// How long a browser keeps it, by RFC 6265bis.
    pub fn expiry(&self) -> Expiry {
        self.expiry
    }

    /// Whether the header deletes the cookie rather than sets it, for the
    /// RFC and for Chromium alike. They disagree on a few headers: Chromium
    /// takes the last `Max-Age` and the last `Expires` even when their
    /// values are invalid (the RFC ignores those and looks at earlier ones),
    /// and reads `Max-Age=+5` as five seconds. A header counts as a deletion
    /// only when both readings delete, so a filter that lets deletions
    /// through never lets through a cookie that either would keep.
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use cookie_policy::enforce::{Expiry, SetCookie};
    ///
    /// let header = "_ga=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Expires=junk";
    /// let cookie = SetCookie::parse(header, SystemTime::now()).unwrap();
    /// assert_eq!(cookie.expiry(), Expiry::Deletion); // the RFC: the last valid Expires
    /// assert!(!cookie.is_deletion()); // Chromium keeps it as a session cookie
    /// ```
    pub fn is_deletion(&self) -> bool {
        self.expiry == Expiry::Deletion && self.chromium_expiry == Expiry::Deletion
    }

    /// The `Domain` attribute, without a leading dot; `None` for a host-only
    /// cookie.
    pub fn domain(&self) -> Option<&'h str> {
        self.domain
    }

    /// The `Path` attribute, when it is one a browser takes (it starts with
    /// `/`); `None` for the default path.
    pub fn path(&self) -> Option<&'h str> {
        self.path
    }
}

/// The name, value and unparsed attributes of a header known to hold no
/// control character but HTAB (RFC 6265bis 5.7 steps 2 to 7); `None` when a
/// browser ignores it. What [`SetCookie::parse`] starts with, and all a
/// filter needs to judge most headers.
pub(crate) fn name_value_checked(header: &str) -> Option<(&str, &str, &str)> {
    let cut = cut(header.as_bytes())?;
    // ASCII bytes sit between characters: every cut is on a boundary.
    Some((
        header.get(cut.name)?,
        header.get(cut.value)?,
        header.get(cut.attributes..)?,
    ))
}

/// What a filter reads first of a `Set-Cookie` header: where the cookie's
/// name is, and the attributes when it asks ([`NameCut::attributes`]), when
/// the header is text (visible ASCII or HTAB, what `HeaderValue::to_str`
/// accepts) and a browser would not ignore it; `None` otherwise. The cuts
/// of [`name_value_checked`].
///
/// The header is a `HeaderValue`, which holds no control byte but HTAB and
/// no DEL: `http` refuses them in every safe constructor, and hyper's
/// parser (`httparse`) in every header it reads. So it is text exactly
/// when it is ASCII, which a word-at-a-time check answers
/// (`<[u8]>::is_ascii`). The test
/// `a_header_value_is_text_exactly_when_it_is_ascii` holds `http` to it.
///
/// Most headers a filter judges are let through on their name alone, so
/// the value is not cut when the answer does not depend on it: a header
/// with a name and at most `MAX_NAME_VALUE_BYTES + 1` bytes cannot break
/// the size limit nor be empty (5.7 steps 6 and 7), whatever its value.
pub(crate) fn cut_checked(header: &HeaderValue) -> Option<NameCut<'_>> {
    let header = header.as_bytes();
    if !header.is_ascii() {
        return None;
    }
    if header.len() <= MAX_NAME_VALUE_BYTES + 1
        && let Some(equals) = find_equals_or_semicolon(header)
        && header.get(equals) == Some(&b'=')
    {
        let name = trim_range(header, 0..equals);
        if !name.is_empty() {
            return Some(NameCut {
                name,
                rest: header.get(equals + 1..)?,
                attributes_found: false,
            });
        }
    }
    let cut = cut(header)?;
    Some(NameCut {
        name: cut.name,
        rest: header.get(cut.attributes..)?,
        attributes_found: true,
    })
}

/// [`cut_checked`]'s answer.
pub(crate) struct NameCut<'h> {
    /// Where the cookie's name is in the header.
    pub(crate) name: core::ops::Range<usize>,
    /// The attributes, or what follows the name's `=` when they are not
    /// found yet.
    rest: &'h [u8],
    attributes_found: bool,
}

impl<'h> NameCut<'h> {
    /// The header's attributes: what follows the first `;` (empty without
    /// one).
    pub(crate) fn attributes(&self) -> &'h [u8] {
        if self.attributes_found {
            return self.rest;
        }
        match find_semicolon(self.rest) {
            Some(at) => self.rest.get(at + 1..).unwrap_or_default(),
            None => &[],
        }
    }

    /// Whether the header's last attribute (what follows its last `;`) is
    /// a `Max-Age` whose value parses and is positive, as
    /// [`expiry_attribute`] reads it: read backwards from the header's end,
    /// without searching for the `;` or cutting the other attributes.
    /// From the end: blanks, digits (not all zeros, at most
    /// [`MAX_ATTRIBUTE_VALUE_BYTES`]), blanks, `=`, blanks, a seven-byte
    /// key that is `max-age` in any case, blanks, then the `;` (or, when
    /// the attributes were found and hold no `;`, their start).
    fn ends_with_positive_max_age(&self) -> bool {
        let rest = trim_bytes_end(self.rest);
        let Some((before, value)) = rest.split_at_checked(rest.len() - trailing_digits(rest))
        else {
            return false;
        };
        // Digits only: positive unless all zeros (what `max_age_deletes_value`
        // answers, which costs a response about 100 instructions more here).
        if value.len() > MAX_ATTRIBUTE_VALUE_BYTES || value.iter().all(|&b| b == b'0') {
            return false;
        }
        let [before @ .., b'='] = trim_bytes_end(before) else {
            return false;
        };
        let Some((before, key)) = trim_bytes_end(before).split_last_chunk::<7>() else {
            return false;
        };
        if !is_max_age_key(*key) {
            return false;
        }
        match trim_bytes_end(before) {
            [.., b';'] => true,
            // The attributes found hold no `;`: they are one attribute.
            [] => self.attributes_found,
            _ => false,
        }
    }

    /// Whether the header deletes its cookie for both readings:
    /// [`attributes_delete`] of its attributes, with the clock read only
    /// when the answer depends on it. A header whose last attribute is a
    /// positive `Max-Age` that parses is answered from that attribute
    /// alone ([`ends_with_positive_max_age`](Self::ends_with_positive_max_age)):
    /// the RFC takes the last `Max-Age` that parses (5.8.3 step 3), so it
    /// keeps the cookie, and a deletion needs both readings. Most headers a
    /// filter refuses end so.
    pub(crate) fn deletes(&self, clock: impl FnOnce() -> (SystemTime, Option<SystemTime>)) -> bool {
        !self.ends_with_positive_max_age() && attributes_delete(self.attributes(), clock)
    }
}

/// Where a header's name, value and attributes are.
struct Cut {
    name: core::ops::Range<usize>,
    value: core::ops::Range<usize>,
    /// Where the attributes start (the header's end when there are none).
    attributes: usize,
}

/// RFC 6265bis 5.7 steps 2 to 7 on a header's bytes; `None` when a
/// browser ignores the header.
fn cut(header: &[u8]) -> Option<Cut> {
    // Steps 2-3: the name-value pair runs to the first `;`. Step 4: without
    // `=`, the name is empty and the pair is the value. The first `=` or
    // `;` is searched a word at a time (a name is a few bytes), then the
    // `;` after an `=` by `find_semicolon` (a value may be hundreds).
    let (equals, semicolon) = equals_and_semicolon(header);
    let pair_end = semicolon.unwrap_or(header.len());
    let (name, value) = match equals {
        Some(at) => (0..at, at + 1..pair_end),
        None => (0..0, 0..pair_end),
    };
    let name = trim_range(header, name);
    let value = trim_range(header, value);
    // Steps 6-7.
    if (name.is_empty() && value.is_empty()) || name.len() + value.len() > MAX_NAME_VALUE_BYTES {
        return None;
    }
    Some(Cut {
        name,
        value,
        attributes: semicolon.map_or(header.len(), |at| at + 1),
    })
}

/// `range` of `bytes` without the spaces and tabs at its ends.
fn trim_range(bytes: &[u8], range: core::ops::Range<usize>) -> core::ops::Range<usize> {
    let (mut start, mut end) = (range.start, range.end);
    while start < end && matches!(bytes.get(start), Some(b' ' | b'\t')) {
        start += 1;
    }
    while start < end && matches!(bytes.get(end - 1), Some(b' ' | b'\t')) {
        end -= 1;
    }
    start..end
}

/// The `Domain` and `Path` a header's attributes (what follows its
/// name-value pair) set, as [`SetCookie::domain`] and [`SetCookie::path`]
/// read them, without the rest: what checking a header against its
/// declaration needs, read from its bytes, and what the parser reads them
/// with.
pub(crate) fn domain_and_path(attributes: &[u8]) -> (Option<&[u8]>, Option<&[u8]>) {
    let (mut domain, mut path) = (None, None);
    // Only an attribute whose key starts as theirs do is read further.
    for attribute in split_attributes(attributes) {
        match attribute.first() {
            Some(b'd' | b'D') => {
                if let Some((key, value)) = short_key::<6>(attribute)
                    && key.eq_ignore_ascii_case(b"domain")
                {
                    // 5.7.3: an empty value is ignored; a leading dot is
                    // dropped.
                    let value = value.strip_prefix(b".").unwrap_or(value);
                    if !value.is_empty() {
                        domain = Some(value);
                    }
                }
            }
            Some(b'p' | b'P') => {
                if let Some((key, value)) = short_key::<4>(attribute)
                    && key.eq_ignore_ascii_case(b"path")
                {
                    // 5.7.4: a path that does not start with `/` means the
                    // default path.
                    path = value.starts_with(b"/").then_some(value);
                }
            }
            _ => {}
        }
    }
    (domain, path)
}

/// The attributes of a header, as trimmed (key, value) pairs in order,
/// without those whose value is too long to count (5.7 step 5).
fn attribute_pairs(attributes: &str) -> impl Iterator<Item = (&str, &str)> {
    // `;` and `=` are ASCII: every cut is on a boundary.
    split_attributes(attributes.as_bytes())
        .filter_map(key_and_value)
        .map(|(key, value)| {
            (
                core::str::from_utf8(key).unwrap_or_default(),
                core::str::from_utf8(value).unwrap_or_default(),
            )
        })
}

/// A header's attributes (what follows its name-value pair), in order,
/// each without the blanks it starts with: the pieces of a split at every
/// `;` (RFC 6265bis 5.7 step 8). What every reading of the attributes
/// walks.
#[inline]
fn split_attributes(attributes: &[u8]) -> impl Iterator<Item = &[u8]> {
    split_semicolons(attributes).map(trim_bytes_start)
}

/// The pieces of `bytes` between `;`s, in order, as a split at every `;`
/// gives them: the cut of a `Cookie` header into pairs and of a
/// `Set-Cookie`'s attributes, each `;` found a word at a time
/// ([`find_semicolon`]).
#[inline]
pub(crate) fn split_semicolons(bytes: &[u8]) -> SplitSemicolons<'_> {
    SplitSemicolons { rest: Some(bytes) }
}

/// [`split_semicolons`].
pub(crate) struct SplitSemicolons<'t> {
    /// The bytes after the last piece given; `None` after the last.
    rest: Option<&'t [u8]>,
}

impl<'t> Iterator for SplitSemicolons<'t> {
    type Item = &'t [u8];

    #[inline]
    fn next(&mut self) -> Option<&'t [u8]> {
        let rest = self.rest?;
        let Some(at) = find_semicolon(rest) else {
            self.rest = None;
            return Some(rest);
        };
        let (piece, after) = rest.split_at_checked(at)?;
        self.rest = after.get(1..);
        Some(piece)
    }
}

/// Where the first `;` of `bytes` is: a word at a time in the first few
/// words (a cookie's pair or attribute is a few dozen bytes), then by
/// `memchr`'s vectorised search (a consent banner's value is hundreds).
#[inline]
fn find_semicolon(bytes: &[u8]) -> Option<usize> {
    const SHORT: usize = 48;
    match bytes.split_at_checked(SHORT) {
        None => find_byte(bytes, b';'),
        Some((short, long)) => {
            find_byte(short, b';').or_else(|| memchr::memchr(b';', long).map(|at| SHORT + at))
        }
    }
}

/// An attribute (without leading blanks) cut at its first `=`, its key and
/// value trimmed; `None` when the value is too long to count (5.7 step 5).
fn key_and_value(attribute: &[u8]) -> Option<(&[u8], &[u8])> {
    let (key, value) = split_bytes_once(attribute, b'=').unwrap_or((attribute, &[]));
    let value = trim_bytes(value);
    (value.len() <= MAX_ATTRIBUTE_VALUE_BYTES).then_some((trim_bytes_end(key), value))
}

/// `0x01` in every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;

/// A word whose lowest set bit is the high bit of its first zero byte, and
/// which is zero when it has none (bits above the first zero byte may be
/// set wrongly by the borrow; the first is exact).
const fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & (ONES << 7)
}

/// Where `byte` first is in `bytes`, eight bytes at a time in a word (a
/// cookie's pieces are too short for a vector search to pay for its start).
#[inline]
pub(crate) fn find_byte(bytes: &[u8], byte: u8) -> Option<usize> {
    let pattern = ONES * u64::from(byte);
    let (words, tail) = bytes.as_chunks::<8>();
    for (index, word) in words.iter().enumerate() {
        let found = zero_bytes(u64::from_le_bytes(*word) ^ pattern);
        if found != 0 {
            return Some(index * 8 + (found.trailing_zeros() / 8) as usize);
        }
    }
    let at = tail.iter().position(|&b| b == byte)?;
    Some(words.len() * 8 + at)
}

/// Where the first `;` of `bytes` is, and the first `=` before it: how a
/// name-value pair or an attribute is cut.
fn equals_and_semicolon(bytes: &[u8]) -> (Option<usize>, Option<usize>) {
    match find_equals_or_semicolon(bytes) {
        None => (None, None),
        Some(at) if bytes.get(at) == Some(&b';') => (None, Some(at)),
        Some(at) => {
            let rest = bytes.get(at + 1..).unwrap_or_default();
            (Some(at), find_semicolon(rest).map(|end| at + 1 + end))
        }
    }
}

/// Where the first `=` or `;` of `bytes` is, both searched in one pass, a
/// word at a time: the first flagged byte of either search is exact.
#[inline]
fn find_equals_or_semicolon(bytes: &[u8]) -> Option<usize> {
    let (equals_pattern, semicolon_pattern) = (ONES * u64::from(b'='), ONES * u64::from(b';'));
    let (words, tail) = bytes.as_chunks::<8>();
    for (index, word) in words.iter().enumerate() {
        let word = u64::from_le_bytes(*word);
        let found = zero_bytes(word ^ equals_pattern) | zero_bytes(word ^ semicolon_pattern);
        if found != 0 {
            return Some(index * 8 + (found.trailing_zeros() / 8) as usize);
        }
    }
    let at = tail.iter().position(|&b| b == b'=' || b == b';')?;
    Some(words.len() * 8 + at)
}

/// `text` cut around the first `delimiter`, an ASCII byte: what
/// `str::split_once` does, by a plain scan, which is faster on the few
/// bytes of a cookie's name or attribute than the search `split_once` sets
/// up for long texts (or `memchr`'s, which costs a few dozen instructions
/// to start).
pub(crate) fn split_once(text: &str, delimiter: u8) -> Option<(&str, &str)> {
    let at = find_byte(text.as_bytes(), delimiter)?;
    // An ASCII byte sits between characters.
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// [`split_once`], on bytes.
#[inline]
pub(crate) fn split_bytes_once(bytes: &[u8], delimiter: u8) -> Option<(&[u8], &[u8])> {
    let at = find_byte(bytes, delimiter)?;
    Some((bytes.get(..at)?, bytes.get(at + 1..)?))
}

/// Leading spaces and tabs removed, from bytes.
#[inline]
pub(crate) fn trim_bytes_start(bytes: &[u8]) -> &[u8] {
    let mut bytes = bytes;
    while let [b' ' | b'\t', rest @ ..] = bytes {
        bytes = rest;
    }
    bytes
}

/// Whether a header with these attributes (what follows its name-value
/// pair) deletes its cookie for both readings, exactly as
/// [`SetCookie::is_deletion`] answers for the header parsed at the time
/// `clock` gives (now, and the response's `Date` when known), but reading
/// no more than it must: the RFC's reading first, from the last valid
/// `Max-Age` alone when there is one (no clock needed), and Chromium's only
/// when the RFC deletes. Most headers a filter refuses set a positive
/// `Max-Age`, or none: they take one pass over the attributes and no clock.
fn attributes_delete(
    attributes: &[u8],
    clock: impl FnOnce() -> (SystemTime, Option<SystemTime>),
) -> bool {
    // 5.8.3 step 3: the last Max-Age that parsed wins over any Expires.
    // One pass over the attributes (`split_attributes`).
    let mut max_age_deletes = None;
    let mut has_expires = false;
    for attribute in split_attributes(attributes) {
        match expiry_attribute(attribute) {
            ExpiryAttribute::MaxAge { deletes } => max_age_deletes = Some(deletes),
            ExpiryAttribute::Expires => has_expires = true,
            ExpiryAttribute::Other => {}
        }
    }
    if max_age_deletes == Some(false) || (max_age_deletes.is_none() && !has_expires) {
        return false;
    }
    // Text (the filter checked): the rest reads it as such.
    let Ok(attributes) = core::str::from_utf8(attributes) else {
        return false;
    };
    let (now, date) = clock();
    if max_age_deletes.is_none() {
        // The last Expires that parses, compared with now (5.7.1).
        let expires = attribute_pairs(attributes)
            .filter(|(key, _)| key.eq_ignore_ascii_case("expires"))
            .filter_map(|(_, value)| parse_cookie_date(value))
            .last();
        match expires {
            Some(expires) if date_expiry(expires, now) == Expiry::Deletion => {}
            _ => return false,
        }
    }
    chromium_expiry(attributes, now, date) == Expiry::Deletion
}

/// What one attribute (blanks trimmed at its start) says of the expiry,
/// as the RFC reads it.
enum ExpiryAttribute {
    /// A `Max-Age` whose value parses: whether it deletes (zero or less).
    MaxAge { deletes: bool },
    /// An `Expires`, whatever its value.
    Expires,
    /// Anything else, a `Max-Age` that does not parse included (the RFC
    /// ignores it), and an attribute whose value is too long to count.
    Other,
}

/// An attribute (blanks trimmed at its start) whose key is `N` bytes
/// long: its key and its value, trimmed, as [`key_and_value`] cuts them,
/// but without searching for the `=`. The key is what comes before the
/// first `=`, trimmed: `N` bytes, then blanks, then `=` or nothing. `None`
/// when the key is not `N` bytes long (or is, but holds an `=`: a caller
/// compares it with a key that holds none), or the value is too long to
/// count (5.7 step 5).
#[inline]
fn short_key<const N: usize>(attribute: &[u8]) -> Option<([u8; N], &[u8])> {
    let (key, after) = attribute.split_first_chunk::<N>()?;
    let value = match trim_bytes_start(after) {
        [] => &[][..],
        [b'=', value @ ..] => trim_bytes(value),
        _ => return None,
    };
    (value.len() <= MAX_ATTRIBUTE_VALUE_BYTES).then_some((*key, value))
}

/// [`ExpiryAttribute`] of one attribute, blanks trimmed at its start: only
/// a key of seven bytes is looked at further ([`short_key`]).
#[inline]
fn expiry_attribute(attribute: &[u8]) -> ExpiryAttribute {
    let Some((key, value)) = short_key::<7>(attribute) else {
        return ExpiryAttribute::Other;
    };
    if is_max_age_key(key) {
        match max_age_deletes_value(value) {
            Some(deletes) => ExpiryAttribute::MaxAge { deletes },
            None => ExpiryAttribute::Other,
        }
    } else if folded(&key) | LETTERS_EXPIRES == u64::from_le_bytes(*b"expires\0") {
        ExpiryAttribute::Expires
    } else {
        ExpiryAttribute::Other
    }
}

/// A key of seven bytes as a word, for ASCII case folding of the letters
/// as `eq_ignore_ascii_case` does: `| 0x20` maps exactly the two cases of a
/// letter to its lower case.
#[inline]
fn folded(key: &[u8; 7]) -> u64 {
    let [a, b, c, d, e, f, g] = *key;
    u64::from_le_bytes([a, b, c, d, e, f, g, 0])
}

/// Whether a seven-byte key is `max-age`, in any case.
#[inline]
fn is_max_age_key(key: [u8; 7]) -> bool {
    folded(&key) | LETTERS_MAX_AGE == u64::from_le_bytes(*b"max-age\0")
}

/// `0x20` in the bytes of `max-age` that are letters (not the `-`).
const LETTERS_MAX_AGE: u64 = u64::from_le_bytes([0x20, 0x20, 0x20, 0, 0x20, 0x20, 0x20, 0]);

/// `0x20` in every byte of `expires`, all letters.
const LETTERS_EXPIRES: u64 = u64::from_le_bytes([0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0]);

/// Whether a `Max-Age` value deletes (zero or less), as
/// [`max_age_expiry`] reads it; `None` when the RFC ignores it.
fn max_age_deletes_value(value: &[u8]) -> Option<bool> {
    let (negative, digits) = match value.split_first() {
        Some((b'-', digits)) => (true, digits),
        _ => (false, value),
    };
    if digits.is_empty() || !only_digits(digits) {
        return None;
    }
    Some(negative || digits.iter().all(|&b| b == b'0'))
}

/// Whether every byte is an ASCII digit: eight at a time in a word (a
/// `Max-Age` is a few digits), the rest one by one.
fn only_digits(bytes: &[u8]) -> bool {
    const HIGH_NIBBLES: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const THREES: u64 = ONES * 0x30;
    let (words, tail) = bytes.as_chunks::<8>();
    // A byte is a digit when its high nibble is 3 (0x30 to 0x3f) and adding
    // 6 leaves it there (0x3a to 0x3f carry into it); a byte of 0x3f or less
    // plus 6 carries into no other byte.
    words.iter().all(|word| {
        let word = u64::from_le_bytes(*word);
        word & HIGH_NIBBLES == THREES && (word + ONES * 6) & HIGH_NIBBLES == THREES
    }) && tail.iter().all(u8::is_ascii_digit)
}

/// How many ASCII digits `bytes` ends with: eight at a time in a word from
/// the end (a `Max-Age` is a few digits), the rest one by one.
fn trailing_digits(bytes: &[u8]) -> usize {
    const HIGH_NIBBLES: u64 = 0xf0f0_f0f0_f0f0_f0f0;
    const THREES: u64 = ONES * 0x30;
    const LOW_SEVEN_BITS: u64 = ONES * 0x7f;
    let mut count = 0;
    let mut rest = bytes;
    while let Some((head, word)) = rest.split_last_chunk::<8>() {
        let word = u64::from_le_bytes(*word);
        // As `only_digits` reads a byte, its top bit cleared before 6 is
        // added so that no byte carries into the next (a byte with it set
        // already fails the first test): a byte that is not a digit has a
        // bit set in its high nibble here.
        let not_digits = ((word & HIGH_NIBBLES) ^ THREES)
            | ((((word & LOW_SEVEN_BITS) + ONES * 6) & HIGH_NIBBLES) ^ THREES);
        // The last byte is the word's highest.
        let digits = (not_digits.leading_zeros() / 8) as usize;
        count += digits;
        if digits < 8 {
            return count;
        }
        rest = head;
    }
    count + rest.iter().rev().take_while(|b| b.is_ascii_digit()).count()
}

/// Leading and trailing spaces and tabs removed (RFC 6265bis "WSP").
#[inline]
pub(crate) fn trim_bytes(bytes: &[u8]) -> &[u8] {
    trim_bytes_end(trim_bytes_start(bytes))
}

/// Trailing spaces and tabs removed, from bytes.
#[inline]
pub(crate) fn trim_bytes_end(bytes: &[u8]) -> &[u8] {
    let mut bytes = bytes;
    while let [rest @ .., b' ' | b'\t'] = bytes {
        bytes = rest;
    }
    bytes
}

/// 5.7.2: `Max-Age` is an optional `-` then digits, or it is ignored; zero
/// or less deletes; more is capped at [`MAX_COOKIE_AGE`]. Digits beyond what
/// fits are as good as "very long".
fn max_age_expiry(value: &str, now: SystemTime) -> Option<Expiry> {
    // Read here on its own, not with `max_age_deletes_value`: the filter's
    // shortcuts are tested against this reading
    // (`attributes_delete_agrees_with_the_full_parse`).
    let digits = value.strip_prefix('-').unwrap_or(value);
    if digits.is_empty() || !only_digits(digits.as_bytes()) {
        return None;
    }
    if value.starts_with('-') || digits.bytes().all(|b| b == b'0') {
        return Some(Expiry::Deletion);
    }
    let seconds = digits.parse::<u64>().unwrap_or(u64::MAX);
    let age = Duration::from_secs(seconds).min(MAX_COOKIE_AGE);
    Some(Expiry::Persistent(now + age))
}

/// Chromium's reading of the expiry ([`crate::chromium_expiry`], ported
/// from its source): the last `Max-Age` if it reads as an integer, else the
/// last `Expires` if its date parser reads it, compared with the response's
/// `Date` (or `now` without one), else a session cookie.
fn chromium_expiry(attributes: &str, now: SystemTime, date: Option<SystemTime>) -> Expiry {
    use crate::chromium_expiry as chromium;
    let pairs = attributes
        .split(';')
        .map(|attribute| split_once(attribute, b'=').unwrap_or((attribute, "")));
    match chromium::expiry_of(pairs, date.map(unix_seconds), unix_seconds(now)) {
        chromium::Expiry::Delete => Expiry::Deletion,
        chromium::Expiry::Session => Expiry::Session,
        // Chromium's own cap; the RFC reading gives the time.
        chromium::Expiry::Persistent => Expiry::Persistent(now + MAX_COOKIE_AGE),
    }
}

/// `time` as whole seconds since the Unix epoch, rounded down; before the
/// epoch too.
pub(crate) fn unix_seconds(time: SystemTime) -> i64 {
    match time.duration_since(SystemTime::UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
            // Rounded down: 0.5 s before the epoch is -1.
            -whole - i64::from(before.subsec_nanos() > 0)
        }
    }
}

/// A response's `Date` header as Chromium reads it (`Time::FromUTCString`,
/// NSPR's `PR_ParseTimeString`: a looser parser than the one for
/// `Expires`); `None` when it cannot.
pub fn parse_date_header(text: &str) -> Option<SystemTime> {
    let seconds = crate::chromium_expiry::parse_http_date(text)?;
    match u64::try_from(seconds) {
        Ok(after) => SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(after)),
        Err(_) => SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(seconds.unsigned_abs())),
    }
}

/// 5.7.1: a date at or before now deletes; a later one is capped.
fn date_expiry(date: SystemTime, now: SystemTime) -> Expiry {
    match date.duration_since(now) {
        Ok(age) if !age.is_zero() => Expiry::Persistent(now + age.min(MAX_COOKIE_AGE)),
        _ => Expiry::Deletion,
    }
}

/// A cookie date, read by RFC 6265bis section 5.1.1: the string is cut into
/// tokens at delimiters, and the first token that looks like a time, a day
/// of month, a month and a year gives each; anything else is ignored. Two
/// digit years are 19xx from 70, 20xx below. `None` when a part is missing
/// or out of range, or the day does not exist in that month.
///
/// Chromium reads every date this algorithm reads the same way; where the
/// algorithm fails, Chromium tries a second, looser parser
/// (`base::Time::FromUTCString`) on the whole string. This function does not:
/// such a header counts as a session cookie here, which the filter then
/// judges by its name, never as a deletion.
pub fn parse_cookie_date(text: &str) -> Option<SystemTime> {
    let is_delimiter = |c: char| matches!(c, '\t' | ' '..='/' | ';'..='@' | '['..='`' | '{'..='~');
    let (mut time, mut day, mut month, mut year) = (None, None, None, None);
    for token in text.split(is_delimiter).filter(|token| !token.is_empty()) {
        if time.is_none()
            && let Some(parsed) = hms_time(token)
        {
            time = Some(parsed);
        } else if day.is_none()
            && let Some(parsed) = leading_digits(token, 1, 2)
        {
            day = Some(parsed);
        } else if month.is_none()
            && let Some(parsed) = month_of(token)
        {
            month = Some(parsed);
        } else if year.is_none()
            && let Some(parsed) = leading_digits(token, 2, 4)
        {
            year = Some(parsed);
        }
    }
    let ((hour, minute, second), day, month, mut year) = (time?, day?, month?, year?);
    if (70..=99).contains(&year) {
        year += 1900;
    } else if year <= 69 {
        year += 2000;
    }
    if !(1..=31).contains(&day) || year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    if day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    match u64::try_from(seconds) {
        Ok(after) => SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(after)),
        Err(_) => SystemTime::UNIX_EPOCH.checked_sub(Duration::from_secs(seconds.unsigned_abs())),
    }
}

/// `1*2DIGIT ":" 1*2DIGIT ":" 1*2DIGIT ( non-digit *OCTET )`.
fn hms_time(token: &str) -> Option<(u32, u32, u32)> {
    let mut parts = token.splitn(3, ':');
    let hour = all_digits(parts.next()?, 1, 2)?;
    let minute = all_digits(parts.next()?, 1, 2)?;
    let second = leading_digits(parts.next()?, 1, 2)?;
    Some((hour, minute, second))
}

/// `min*max DIGIT` and nothing else.
fn all_digits(text: &str, min: usize, max: usize) -> Option<u32> {
    let ok = (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

/// `min*max DIGIT ( non-digit *OCTET )`: digits, then anything that does not
/// start with a digit.
fn leading_digits(token: &str, min: usize, max: usize) -> Option<u32> {
    let end = token
        .bytes()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(token.len());
    all_digits(token.get(..end)?, min, max)
}

/// A month name's first three letters, any case: 1 to 12.
fn month_of(token: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix = token.get(..3)?;
    let index = MONTHS
        .iter()
        .position(|month| prefix.eq_ignore_ascii_case(month))?;
    u32::try_from(index + 1).ok()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    /// The filter's shortcuts (the attributes read in one pass, and a
    /// header judged by its last attribute) answer as the full parse does,
    /// on every header of up to three attributes drawn from a set of expiry
    /// edge cases, with and without a response `Date`; also with an empty
    /// name, and past the size at which the cut finds the attributes first.
    #[test]
    fn attributes_delete_agrees_with_the_full_parse() {
        let attributes = [
            "Max-Age=0",
            "max-age=-5",
            "Max-Age=3600",
            "Max-Age=+5",
            "Max-Age=",
            "Max-Age=0x1",
            "Max-Age=000",
            "Expires=Thu, 01 Jan 1970 00:00:00 GMT",
            "expires=Fri, 01 Jan 2100 00:00:00 GMT",
            "Expires=junk",
            "Expires=",
            "Expires=Wed, 01 Jan 2025 00:00:00 GMT",
            "Path=/",
            "Domain=.example.com",
            " Max-Age = 0 ",
            "Max-Age=7 ",
            "\tmax-AGE\t=\t7",
            "Max-Age=-0",
            "Max-Agee=7",
            "MAX_AGE=7",
            "Expires=12",
            "",
            "HttpOnly",
        ];
        let now = at(1_796_000_000);
        let dates = [None, Some(at(1_700_000_000)), Some(at(1_900_000_000))];
        let mut headers = vec!["a=b".to_owned()];
        for first in attributes {
            headers.push(format!("a=b; {first}"));
            for second in attributes {
                headers.push(format!("a=b; {first}; {second}"));
                for third in attributes {
                    headers.push(format!("a=b;{first};{second}; {third}"));
                }
            }
        }
        let more: Vec<String> = headers
            .iter()
            .flat_map(|header| {
                let (_, rest) = header.split_once('=').unwrap();
                // No name; attributes past the shortcut's size.
                [
                    format!("={rest}"),
                    format!("{header}; Comment={}", "x".repeat(4100)),
                ]
            })
            .collect();
        headers.extend(more);
        // A value that reads like an attribute is not one.
        headers.extend(
            ["a=Max-Age=5", "Max-Age=5", "a=b Max-Age=5", "=x;Max-Age=5 "].map(str::to_owned),
        );
        for header in &headers {
            let (_, _, rest) = name_value_checked(header).unwrap();
            let value = HeaderValue::from_str(header).unwrap();
            let cut = cut_checked(&value).unwrap();
            for date in dates {
                let full = SetCookie::parse_in_response(header, now, date)
                    .unwrap()
                    .is_deletion();
                assert_eq!(
                    attributes_delete(rest.as_bytes(), || (now, date)),
                    full,
                    "{header} {date:?}"
                );
                assert_eq!(cut.deletes(|| (now, date)), full, "{header} {date:?}");
            }
            // Read backwards, the last attribute is what a split of the
            // attributes at every `;` reads it as.
            let last = cut.attributes().split(|&b| b == b';').next_back();
            let positive = last.is_some_and(|last| {
                matches!(
                    expiry_attribute(trim_bytes_start(last)),
                    ExpiryAttribute::MaxAge { deletes: false }
                )
            });
            assert_eq!(cut.ends_with_positive_max_age(), positive, "{header}");
        }
    }

    /// `count` byte strings of each length below 40, each byte `draw`n
    /// from the next number of a fixed pseudo-random sequence.
    fn random_byte_strings(
        mut seed: u64,
        count: usize,
        draw: impl Fn(usize) -> u8,
    ) -> impl Iterator<Item = Vec<u8>> {
        (0..40).flat_map(move |length| {
            (0..count)
                .map(|_| {
                    (0..length)
                        .map(|_| {
                            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                            draw((seed >> 33) as usize)
                        })
                        .collect()
                })
                .collect::<Vec<Vec<u8>>>()
        })
    }

    /// What `http` lets a `HeaderValue` hold, byte by byte, and which of
    /// those `to_str` takes as text: a value is text exactly when it is
    /// ASCII, the filter's check ([`cut_checked`]).
    #[test]
    fn a_header_value_is_text_exactly_when_it_is_ascii() {
        for byte in 0..=u8::MAX {
            let value = HeaderValue::from_bytes(&[b'a', byte, b'a']);
            let control = byte != b'\t' && (byte < 0x20 || byte == 0x7f);
            assert_eq!(value.is_err(), control, "{byte:#04x}");
            if let Ok(value) = value {
                assert_eq!(
                    value.to_str().is_ok(),
                    value.as_bytes().is_ascii(),
                    "{byte:#04x}"
                );
            }
        }
    }

    /// The `Domain` and `Path` read from a header's attribute bytes are
    /// what a plain reading of RFC 6265bis 5.7 gives: split at every `;`,
    /// each at its first `=`, blanks trimmed, a value over 1,024 bytes
    /// ignored, the last `Domain` without its dot unless empty, the last
    /// `Path` if it starts with `/`.
    #[test]
    fn domain_and_path_agree_with_a_plain_reading() {
        let long = format!("Path=/{}", "l".repeat(1024));
        let pieces = [
            "Domain=a.example",
            "domain=.x.example",
            "DOMAIN=",
            "Domain=.",
            "Path=/p",
            "path=q",
            "PATH",
            " Path = /s ",
            "\tdomain\t=\t.y\t",
            "Max-Age=1",
            "pat=1",
            "Domainx=z",
            "path=/a=b",
            "pa=h=/x",
            "Path x=/y",
            "Domain\t",
            "do=ain=z",
            "Pathological=/q",
            "p",
            "",
            long.as_str(),
        ];
        fn plain(attributes: &str) -> (Option<String>, Option<String>) {
            let (mut domain, mut path) = (None, None);
            for attribute in attributes.split(';') {
                let (key, value) = attribute.split_once('=').unwrap_or((attribute, ""));
                let blank = |c: char| c == ' ' || c == '\t';
                let (key, value) = (key.trim_matches(blank), value.trim_matches(blank));
                if value.len() > 1024 {
                    continue;
                }
                if key.eq_ignore_ascii_case("domain") {
                    let value = value.strip_prefix('.').unwrap_or(value);
                    if !value.is_empty() {
                        domain = Some(value.to_owned());
                    }
                } else if key.eq_ignore_ascii_case("path") {
                    path = value.starts_with('/').then(|| value.to_owned());
                }
            }
            (domain, path)
        }
        let text = |bytes: Option<&[u8]>| bytes.map(|b| String::from_utf8(b.to_vec()).unwrap());
        for first in pieces {
            for second in pieces {
                for third in pieces {
                    let attributes = format!("{first};{second}; {third}");
                    let (domain, path) = domain_and_path(attributes.as_bytes());
                    assert_eq!(
                        (text(domain), text(path)),
                        plain(&attributes),
                        "{attributes}"
                    );
                }
            }
        }
    }

    /// The filter's cut finds what `HeaderValue::to_str` (text or not) and
    /// a plain scan find, and cuts the name and the attributes as
    /// [`name_value_checked`] does, on random header values at every
    /// length, around the edges of text (HTAB, 0x20, 0x7e, 0x80) and the
    /// separators.
    #[test]
    fn the_filter_cut_agrees_with_to_str_and_a_scan() {
        let alphabet = [
            b'=', b';', b' ', b'\t', b'a', b'~', 0x1f, 0x7f, 0x80, 0xff, 0x00, b'x',
        ];
        // Mostly text, so that cuts are reached.
        let draw = |pick: usize| {
            if pick.is_multiple_of(8) {
                alphabet[pick / 8 % alphabet.len()]
            } else {
                alphabet[pick % 6]
            }
        };
        // Around the size limit too, where the cut must find the value's
        // end to judge the header: a name, a value of every length near the
        // limit, trailing blanks, attributes or none.
        let mut long = Vec::new();
        for value in MAX_NAME_VALUE_BYTES - 4..MAX_NAME_VALUE_BYTES + 3 {
            for ending in [&b""[..], b"  ", b"; Path=/", b" ;x", b"\t"] {
                let mut header = b"n=".to_vec();
                header.resize(2 + value, b'v');
                header.extend_from_slice(ending);
                long.push(header.clone());
                long.push([b" ", &header[..]].concat());
                long.push(header.get(1..).unwrap_or_default().to_vec());
            }
        }
        for bytes in random_byte_strings(11, 300, draw).chain(long) {
            let semicolon = bytes.iter().position(|&b| b == b';');
            let equals = bytes
                .iter()
                .take(semicolon.unwrap_or(bytes.len()))
                .position(|&b| b == b'=');
            assert_eq!(equals_and_semicolon(&bytes), (equals, semicolon));
            // Bytes `http` refuses never reach the filter.
            let Ok(value) = HeaderValue::from_bytes(&bytes) else {
                continue;
            };
            let expected = value
                .to_str()
                .ok()
                .and_then(name_value_checked)
                .map(|(name, _, attributes)| (name.to_owned(), attributes.to_owned()));
            let cut = cut_checked(&value).map(|cut| {
                (
                    String::from_utf8(bytes[cut.name.clone()].to_vec()).unwrap(),
                    String::from_utf8(cut.attributes().to_vec()).unwrap(),
                )
            });
            assert_eq!(cut, expected, "{bytes:?}");
        }
    }

    /// Runs of digits of up to 19 bytes with one byte changed, to every
    /// value at every place, and the byte after it set to `next`: what the
    /// word-at-a-time digit readings are held to.
    fn digits_with_one_byte_changed(next: u8) -> impl Iterator<Item = Vec<u8>> {
        (0..20usize).flat_map(move |length| {
            (0..length).flat_map(move |place| {
                (0..=u8::MAX).map(move |byte| {
                    let mut bytes = vec![b'7'; length];
                    bytes[place] = byte;
                    if let Some(after) = bytes.get_mut(place + 1) {
                        *after = next;
                    }
                    bytes
                })
            })
        })
    }

    /// The word-at-a-time digit check answers as `is_ascii_digit` on every
    /// byte, for every byte value at every place of a word and of a tail.
    #[test]
    fn only_digits_agrees_with_a_byte_check() {
        for bytes in digits_with_one_byte_changed(b'7') {
            assert_eq!(
                only_digits(&bytes),
                bytes.iter().all(u8::is_ascii_digit),
                "{bytes:?}"
            );
        }
    }

    /// The word-at-a-time count of a value's trailing digits answers as a
    /// byte count from the end, for every byte value at every place, with
    /// a `9` after it (which a carry out of a byte would spoil).
    #[test]
    fn trailing_digits_agrees_with_a_byte_count() {
        for bytes in digits_with_one_byte_changed(b'9') {
            assert_eq!(
                trailing_digits(&bytes),
                bytes
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_digit())
                    .count(),
                "{bytes:?}"
            );
        }
    }

    /// The word-at-a-time searches find what a plain scan finds, at every
    /// offset and length, with the bytes next to the ones searched for.
    #[test]
    fn word_searches_agree_with_a_scan() {
        let alphabet = [b'=', b';', b'<', b':', b'a', 0x80, 0xbd, 0x3c, 0x00];
        for bytes in random_byte_strings(7, 200, |pick| alphabet[pick % alphabet.len()]) {
            let semicolon = bytes.iter().position(|&b| b == b';');
            let equals = bytes
                .iter()
                .take(semicolon.unwrap_or(bytes.len()))
                .position(|&b| b == b'=');
            assert_eq!(
                equals_and_semicolon(&bytes),
                (equals, semicolon),
                "{bytes:?}"
            );
            assert_eq!(find_byte(&bytes, b';'), semicolon, "{bytes:?}");
        }
    }

    #[test]
    fn civil_days_match_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1601, 1, 1), -134_774);
        assert_eq!(
            parse_cookie_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(at(784_111_777))
        );
    }

    /// Found by the differential test against Chromium: the RFC reads a
    /// time or a day before junk (`12:00:00pm`, `1st`), Chromium 156 does
    /// not and stores these as session cookies, so they are no deletions.
    #[test]
    fn a_time_or_a_number_followed_by_junk_is_no_deletion() {
        let now = at(1_796_169_600);
        let cases = [
            (
                "d=1; Expires=January  1969  12:00:00pm  28  -0500",
                "Thu, 01 Jan 1970 00:00:00 GMT",
            ),
            (
                "d=1; Expires\t==Thu, 29 Feb 1604 12:00:00pm GMT",
                "Sat, 01 Jan 2050 00:00:00 GMT",
            ),
            (
                "d=1; Expires=Thu, 01 Jan 1969 12:00:0x GMT",
                "Sat, 01 Jan 2050 00:00:00 GMT",
            ),
            (
                "d=1; Expires=Xyz, 1st-January-26 1:2:3 GMT",
                "Sat, 01 Jan 2050 00:00:00 GMT",
            ),
        ];
        for (header, date) in cases {
            let cookie =
                SetCookie::parse_in_response(header, now, parse_date_header(date)).unwrap();
            assert!(!cookie.is_deletion(), "{header}");
        }
        let header = "d=1; Expires=Thu, 01 Jan 1969 12:00:00 GMT";
        assert!(SetCookie::parse(header, now).unwrap().is_deletion());
    }
}
