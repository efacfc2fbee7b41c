//! Chromium's own reading of a `Set-Cookie` header's expiry: does the header
//! make Chromium delete the cookie, or store it (for the session or until a
//! date)?
//!
//! Every rule here is ported from Chromium's source, not from RFC 6265bis,
//! because the two disagree on inputs that real servers send. The files and
//! functions, as read in the newest versions available (2024-2025 code, the
//! one where `ParsedCookie::MaxAge()` returns `std::optional`):
//!
//! - `net/cookies/parsed_cookie.cc`, `ParsedCookie::ParseTokenValuePairs` and
//!   `SetupAttributes`: how the attributes are split, trimmed, validated and
//!   which occurrence wins;
//! - `net/cookies/canonical_cookie.cc`, `CanonicalCookie::ParseExpiration`,
//!   `ValidateAndAdjustExpiryDate` and `Create`: Max-Age before Expires, the
//!   clock-skew adjustment by the response's `Date`, the 400-day cap;
//! - `net/cookies/cookie_util.cc`, `ParseCookieExpirationTime` and
//!   `SaturatedTimeFromUTCExploded`: the `Expires` date parser;
//! - `base/strings/string_number_conversions_internal.h`, `StringToNumber`:
//!   how `Max-Age` is read (`base::StringToInt64`);
//! - `net/http/http_response_headers.cc`, `GetTimeValuedHeader`, then
//!   `base/time/time.cc`, `Time::FromStringInternal`, then
//!   `base/third_party/nspr/prtime.cc`, `PR_ParseTimeString`: how the `Date`
//!   header is read (a different, NSPR parser: [`parse_http_date`]);
//! - `net/cookies/canonical_cookie.h`, `IsExpired`, and
//!   `net/cookies/cookie_monster.cc`, `SetCanonicalCookie`: a cookie whose
//!   expiry is not after its creation time deletes the stored one and is not
//!   itself stored.
//!
//! Where `base::Time::FromUTCExploded` differs by platform, this module
//! follows 64-bit Linux and ChromeOS (`timegm`, no year limit); see
//! [`parse_expires`] for Windows.

/// Seconds since the Unix epoch, UTC.
pub type UnixSeconds = i64;

/// `base::Time()`, the null time, is 1601-01-01T00:00:00Z (the Windows
/// epoch); Chromium uses it to mean "no time" (`Time::is_null`).
const NULL_TIME: UnixSeconds = -11_644_473_600;

/// `ParsedCookie::kMaxCookieAttributeValueSize` (`parsed_cookie.h`): a longer
/// attribute value is dropped (`CookieAttributeValueHasValidSize`).
const MAX_ATTRIBUTE_VALUE_SIZE: usize = 1024;

/// What Chromium does with one header's expiry attributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// No usable `Max-Age` or `Expires`: Chromium stores a session cookie
    /// (`ParseExpiration` returns the null time). Also what [`expiry`]
    /// answers when the attributes make Chromium reject the whole header, which
    /// then neither stores nor deletes anything: see [`attributes_rejected`].
    Session,
    /// The expiry is not after the creation time: Chromium deletes the stored
    /// cookie of that name, domain and path (when the header may overwrite
    /// it) and stores nothing (`CookieMonster::SetCanonicalCookie`,
    /// `already_expired`).
    Delete,
    /// Stored until some future time (at most 400 days away,
    /// `ValidateAndAdjustExpiryDate`).
    Persistent,
}

/// `HttpUtil::IsControlChar` (`net/http/http_util.h`): 0x00-0x1F and 0x7F.
/// Bytes 0x80-0xFF are not control characters (`char` is signed).
fn is_control(byte: u8) -> bool {
    byte <= 0x1f || byte == 0x7f
}

/// `ParsedCookie::ParseToken`/`ParseValue` trim `kWhitespace`, which is only
/// space and horizontal tab, from both ends of names and values.
fn trim_lws(text: &str) -> &str {
    text.trim_matches([' ', '\t'])
}

/// True when Chromium's `ParsedCookie` would reject the whole header because
/// of these attributes, so that the header deletes nothing and stores
/// nothing.
///
/// `ParsedCookie::ParseTokenValuePairs` clears every pair (the cookie becomes
/// invalid) when an attribute name fails `IsValidCookieName` (a control
/// character, `;` or `=`) or an attribute value fails
/// `CookieAttributeValueHasValidCharSet` (a control character or `;`), both
/// checked after trimming spaces and tabs. A tab inside a value counts as a
/// control character. (`\0`, `\r` and `\n` anywhere in the line reject it
/// too, through `FindFirstTerminator`; they are control characters here.)
/// The cookie's own name and value are not among `attributes`; the caller
/// checks them (`IsValidCookieNameValuePair`: not both empty, together at
/// most 4096 bytes, no control characters, no `;`, no `=` in the name).
pub fn attributes_rejected(attributes: &[(&str, &str)]) -> bool {
    attributes.iter().any(|&(name, value)| rejects(name, value))
}

/// Whether one attribute makes `ParsedCookie` reject the header.
fn rejects(name: &str, value: &str) -> bool {
    let name = trim_lws(name);
    let value = trim_lws(value);
    name.bytes()
        .any(|b| is_control(b) || b == b';' || b == b'=')
        || value.bytes().any(|b| is_control(b) || b == b';')
}

/// What Chromium does with one header's expiry attributes.
///
/// `attributes` are the (name, value) pairs after the first `;`, as the
/// header gives them, in order; `server_date` is the response's `Date` as a
/// unix time if present and parseable (see [`parse_http_date`]); `now` is the
/// client's clock. Returns [`Expiry::Delete`] only when Chromium deletes.
///
/// The rules, in Chromium's order:
///
/// 1. Attributes that make `ParsedCookie` reject the header
///    ([`attributes_rejected`]): nothing happens; answered as `Session`.
/// 2. `ParsedCookie::ParseTokenValuePairs`: names and values are trimmed of
///    spaces and tabs, names compared case-insensitively (`ToLowerASCII`),
///    and a value longer than 1024 bytes drops its attribute (an earlier one
///    of the same name then stays in force). `SetupAttributes` overwrites the
///    index on each occurrence: the LAST `Max-Age` and the LAST `Expires`
///    win, even when the last one is invalid or empty.
/// 3. `CanonicalCookie::ParseExpiration`: if there is a `Max-Age` and
///    [`parse_max_age`] reads it, a value `<= 0` gives `Time::Min()` (deleted)
///    and a positive one `now + seconds` (stored). An unreadable `Max-Age`
///    falls through to `Expires`.
/// 4. No `Expires`, an empty one, or one [`parse_expires`] cannot read: null
///    time, a session cookie.
/// 5. Otherwise the expiry is `parsed + (now - server_time)`, where
///    `server_time` is the `Date` header, or `now` without one
///    (`CanonicalCookie::Create`, which also treats a null `Date` as none).
///    `IsExpired(now)` is `now >= expiry`, that is `parsed <= server_time`:
///    an `Expires` is compared with the server's clock, not the client's.
/// 6. `ValidateAndAdjustExpiryDate` caps a future expiry at 400 days (3 hours
///    for insecure origins under a flag); it never turns a stored cookie into
///    a deleted one.
pub fn expiry(
    attributes: &[(&str, &str)],
    server_date: Option<UnixSeconds>,
    now: UnixSeconds,
) -> Expiry {
    expiry_of(attributes.iter().copied(), server_date, now)
}

/// [`expiry`], for attributes as an iterator that can be walked twice:
/// what the filter passes, without collecting them.
pub fn expiry_of<'a>(
    attributes: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    server_date: Option<UnixSeconds>,
    now: UnixSeconds,
) -> Expiry {
    if attributes.clone().any(|(name, value)| rejects(name, value)) {
        return Expiry::Session;
    }
    let mut max_age = None;
    let mut expires = None;
    for (name, value) in attributes {
        let name = trim_lws(name);
        let value = trim_lws(value);
        if value.len() > MAX_ATTRIBUTE_VALUE_SIZE {
            continue;
        }
        if name.eq_ignore_ascii_case("max-age") {
            max_age = Some(value);
        } else if name.eq_ignore_ascii_case("expires") {
            expires = Some(value);
        }
    }
    if let Some(seconds) = max_age.and_then(parse_max_age) {
        // Time::Min() for <= 0 (and for an underflow, read as i64::MIN);
        // current + Seconds(max_age) for > 0 (Time::Max() for an overflow),
        // which is always after the creation time.
        return if seconds <= 0 {
            Expiry::Delete
        } else {
            Expiry::Persistent
        };
    }
    let Some(parsed) = expires
        .filter(|value| !value.is_empty())
        .and_then(parse_expires)
    else {
        return Expiry::Session;
    };
    let server_time = server_date.filter(|&date| date != NULL_TIME).unwrap_or(now);
    // adjusted = parsed + (now - server_time); deleted when now >= adjusted.
    // Chromium's times are microseconds; `parsed` is a whole second, so
    // comparing with whole seconds loses nothing.
    if parsed <= server_time {
        Expiry::Delete
    } else {
        Expiry::Persistent
    }
}

/// Chromium's reading of `Max-Age`: `Some(seconds)` when it parses as an
/// integer, else `None` (the attribute is ignored and `Expires` is used).
///
/// `CanonicalCookie::ParseExpiration` calls `base::StringToInt64`
/// (`StringToNumber` in `string_number_conversions_internal.h`) on the
/// trimmed value. That accepts an optional `-` or `+` then ASCII digits, and
/// nothing else (empty, `+-1`, `1.5`, `1e3`, `0x10`, `12abc` fail). It stops
/// at the first digit that would overflow and returns `i64::MAX` or
/// `i64::MIN` with a failure; `ParseExpiration` still uses those two values
/// ("clip to a saturated time"), so they are returned here as
/// `Some(i64::MAX)` (stored, capped at 400 days) and `Some(i64::MIN)`
/// (deleted), even when junk follows (`-99999999999999999999x`, or
/// `-9223372036854775808x` which parses to exactly `i64::MIN` before the
/// `x`). Leading whitespace (space, `\t\n\v\f\r`) fails the conversion but
/// keeps the value, so it matters only for those two values; `ParsedCookie`
/// trims spaces and tabs beforehand and rejects the rest.
pub fn parse_max_age(value: &str) -> Option<i64> {
    let (number, valid) = string_to_int64(value.as_bytes());
    (valid || number == i64::MIN || number == i64::MAX).then_some(number)
}

/// `base::IsAsciiWhitespace`: space, `\t`, `\n`, `\v`, `\f`, `\r`.
fn is_ascii_whitespace(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `StringToNumber<int64_t, 10>`: the value reached and whether the
/// conversion was perfect.
fn string_to_int64(input: &[u8]) -> (i64, bool) {
    let mut rest = input;
    let mut leading_whitespace = false;
    while let Some((&byte, tail)) = rest.split_first()
        && is_ascii_whitespace(byte)
    {
        leading_whitespace = true;
        rest = tail;
    }
    let (negative, digits) = match rest.split_first() {
        Some((b'-', tail)) => (true, tail),
        Some((b'+', tail)) => (false, tail),
        _ => (false, rest),
    };
    let (number, valid) = digits_to_int64(digits, negative);
    (number, valid && !leading_whitespace)
}

/// `StringToNumberParser::Base::Invoke` for the `Positive` or `Negative`
/// sign: digits accumulate until a non-digit (the value so far, invalid) or
/// an overflow (`i64::MAX`/`i64::MIN`, invalid).
fn digits_to_int64(digits: &[u8], negative: bool) -> (i64, bool) {
    if digits.is_empty() {
        return (0, false);
    }
    let mut number: i64 = 0;
    for &byte in digits {
        if !byte.is_ascii_digit() {
            return (number, false);
        }
        let digit = i64::from(byte - b'0');
        let next = number.checked_mul(10).and_then(|tens| {
            if negative {
                tens.checked_sub(digit)
            } else {
                tens.checked_add(digit)
            }
        });
        match next {
            Some(next) => number = next,
            None => return (if negative { i64::MIN } else { i64::MAX }, false),
        }
    }
    (number, true)
}

/// The delimiters of `ParseCookieExpirationTime` (`kDelimiters`): tab and
/// every ASCII punctuation except `:`, which is the same set as RFC 6265bis
/// section 5.1.1 (%x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E).
fn is_date_delimiter(byte: u8) -> bool {
    matches!(byte, b'\t' | b' '..=b'/' | b';'..=b'@' | b'['..=b'`' | b'{'..=b'~')
}

/// A time token as Chromium 156 reads it: exactly three `:`-separated
/// fields, each one or more ASCII digits, and nothing else. Checked against
/// Chromium (the differential test, tests/tests/differential.rs): `1:2:3`,
/// `000:00:00` and `12:00:000` are read, `12:00:00pm`, `12:00:0x` and
/// `12:00:00:` are not (a session cookie when nothing else is a time).
/// Older Chromium used `sscanf("%2u:%2u:%2u")`, which ignores trailing
/// bytes. Long fields saturate (they are out of range either way).
fn scan_time(token: &[u8]) -> Option<(i64, i64, i64)> {
    let mut fields = token.split(|&byte| byte == b':').map(|field| {
        (!field.is_empty() && field.iter().all(u8::is_ascii_digit)).then(|| {
            field.iter().fold(0_i64, |number, &byte| {
                number
                    .saturating_mul(10)
                    .saturating_add(i64::from(byte - b'0'))
            })
        })
    });
    let hour = fields.next()??;
    let minute = fields.next()??;
    let second = fields.next()??;
    fields.next().is_none().then_some((hour, minute, second))
}

/// Whether `sscanf(token, "%2u:%2u:%2u") == 3`, as older Chromium read a
/// time (a token holds no white space): three fields of one or two digits,
/// anything after the third.
fn sscanf_time(token: &[u8]) -> bool {
    let mut rest = token;
    for field in 0..3 {
        if field > 0 {
            match rest.strip_prefix(b":") {
                Some(tail) => rest = tail,
                None => return false,
            }
        }
        let digits = rest
            .iter()
            .take(2)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            return false;
        }
        rest = rest.get(digits..).unwrap_or_default();
    }
    true
}

/// `atoi` on a token that starts with a digit: its leading digits (tokens
/// read this way have at most five bytes, so nothing overflows).
fn leading_number(token: &[u8]) -> i64 {
    token
        .iter()
        .take_while(|byte| byte.is_ascii_digit())
        .fold(0, |number, &byte| number * 10 + i64::from(byte - b'0'))
}

/// Chromium's `ParseCookieExpirationTime`: the time an `Expires` value names,
/// or `None` (Chromium's null time: a session cookie).
///
/// `cookie_util.cc`, `ParseCookieExpirationTime`:
///
/// - the value is split by `base::StringTokenizer` on the RFC's delimiters
///   (all ASCII punctuation but `:`, plus tab), empty tokens skipped;
/// - a token not starting with an ASCII digit can only be the month: the
///   first such token whose first three bytes are a month abbreviation,
///   case-insensitively (`Junk` is June); others are ignored;
/// - a digit-led token containing `:` can only be the time, taken from the
///   first one that is three `:`-separated digit fields and nothing more
///   (see `scan_time`); one that older Chromium's `sscanf` read but this
///   does not (`12:00:00pm`) makes the value unreadable here, erring toward
///   "stored"; it is never a day or year;
/// - another digit-led token is the day if no day was found and it has at
///   most 2 bytes, else the year if no year was found and it has at most 5
///   bytes (`01970` is year 1970), else it is ignored (`1970abc` has 7
///   bytes); Chromium 156 does not read `1st` as the year 1 (older ones,
///   with `atoi`, did): a day or year token with anything but digits makes
///   the value unreadable here, which errs toward "stored";
/// - all four parts are required; then a year in 70..=99 gets 1900 added and
///   one in 0..=69 gets 2000 added (whatever the token's length);
/// - `SaturatedTimeFromUTCExploded` then `Time::FromUTCExploded`: the date
///   must exist (day 1 to the month's length, hour <= 23, minute <= 59,
///   second <= 59: `timegm` then a round-trip comparison), else null. On
///   64-bit POSIX there is no year limit, so years 100 to 1600 and up to
///   99999 are real dates (a 1601-01-01T00:00:00 result becomes `Time(1)`,
///   one microsecond later, which is the same unix second). On Windows the
///   limits are years 1601..=30827 and an invalid date outside them
///   saturates to the earliest or latest time instead of failing: not
///   modelled here.
pub fn parse_expires(value: &str) -> Option<UnixSeconds> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let mut day = None;
    let mut month = None;
    let mut time = None;
    let mut year = None;
    let tokens = value
        .as_bytes()
        .split(|&byte| is_date_delimiter(byte))
        .filter(|token| !token.is_empty());
    for token in tokens {
        let Some(first) = token.first() else {
            continue;
        };
        if !first.is_ascii_digit() {
            if month.is_none() {
                month = MONTHS.iter().zip(1_i64..).find_map(|(name, number)| {
                    token
                        .get(..3)
                        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(*name))
                        .then_some(number)
                });
            }
        } else if token.contains(&b':') {
            if time.is_none() {
                time = scan_time(token);
                // What older Chromium's sscanf read and Chromium 156 does
                // not: whether it ends the parse or is skipped is not
                // known, so nothing is read (errs toward "stored").
                if time.is_none() && sscanf_time(token) {
                    return None;
                }
            }
        } else if day.is_none() && token.len() <= 2 {
            // `1x`: Chromium 156 does not take it as the day, as `atoi`
            // would; whether it is skipped is not known (errs toward
            // "stored").
            if !token.iter().all(u8::is_ascii_digit) {
                return None;
            }
            day = Some(leading_number(token));
        } else if year.is_none() && token.len() <= 5 {
            // `1st`: likewise not the year 1.
            if !token.iter().all(u8::is_ascii_digit) {
                return None;
            }
            year = Some(leading_number(token));
        }
    }
    let (day, month, (hour, minute, second), year) = (day?, month?, time?, year?);
    let year = match year {
        70..=99 => year + 1900,
        0..=69 => year + 2000,
        _ => year,
    };
    if !(1..=days_in_month(year, month)).contains(&day) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Gregorian leap year (what `timegm` uses, proleptically).
fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in a month (1-based), 0 for a month out of range.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to a proleptic Gregorian date (month 1-based),
/// after Howard Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// How Chromium reads the response's `Date` header for the clock-skew
/// adjustment: a different parser from `Expires`'s.
///
/// `URLRequestHttpJob::SaveCookiesAndNotifyHeadersComplete` takes
/// `HttpResponseHeaders::GetDateValue()`, which is `GetTimeValuedHeader`
/// ("Date", the first such header) calling `base::Time::FromUTCString`, that
/// is `Time::FromStringInternal` (an empty string fails) and NSPR's
/// `PR_ParseTimeString` (`base/third_party/nspr/prtime.cc`) with
/// `default_to_gmt`. That parser is ported literally: it understands time
/// zones (`GMT`, `UT`, `PST`... and `+hhmm`), `am`/`pm`, `6/16/95`-style and
/// ISO 8601 dates, fractional seconds, normalizes out-of-range fields
/// (`Oct 14 36:45` is Oct 15 12:45), needs a month, a day and a year, and
/// fails on a year above 32767 (so a 5-digit year makes the `Date` absent).
/// The result is floored to the second (exact for the `<=` comparison with a
/// whole-second expiry). A result of exactly 1601-01-01T00:00:00Z is
/// Chromium's null time, which `CanonicalCookie::Create` ignores: `None`.
pub fn parse_http_date(value: &str) -> Option<UnixSeconds> {
    let bytes = value.as_bytes();
    // A C string: the parser stops at the first NUL.
    let text = match bytes.iter().position(|&byte| byte == 0) {
        Some(end) => bytes.get(..end)?,
        None => bytes,
    };
    if text.is_empty() {
        return None;
    }
    let microseconds = pr_parse_time_string(text)?;
    if microseconds == NULL_TIME * 1_000_000 {
        return None;
    }
    Some(microseconds.div_euclid(1_000_000))
}

/// The time zones `PR_ParseTimeString` knows (`TIME_TOKEN` `TT_PST` to
/// `TT_JST`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Zone {
    Pst,
    Pdt,
    Mst,
    Mdt,
    Cst,
    Cdt,
    Est,
    Edt,
    Ast,
    Nst,
    Gmt,
    Bst,
    Met,
    Eet,
    Jst,
}

impl Zone {
    /// The zone's offset and its daylight-saving offset, in minutes.
    fn offsets(self) -> (i32, i32) {
        match self {
            Zone::Pst => (-8 * 60, 0),
            Zone::Pdt => (-8 * 60, 60),
            Zone::Mst => (-7 * 60, 0),
            Zone::Mdt => (-7 * 60, 60),
            Zone::Cst => (-6 * 60, 0),
            Zone::Cdt => (-6 * 60, 60),
            Zone::Est => (-5 * 60, 0),
            Zone::Edt => (-5 * 60, 60),
            Zone::Ast => (-4 * 60, 0),
            Zone::Nst => (-3 * 60 - 30, 0),
            Zone::Gmt => (0, 0),
            Zone::Bst => (0, 60),
            Zone::Met => (60, 0),
            Zone::Eet => (2 * 60, 0),
            Zone::Jst => (9 * 60, 0),
        }
    }
}

/// What three letters name in `PR_ParseTimeString`'s big `switch`.
enum Word {
    Month(i32),
    Zone(Zone),
}

/// The `switch (*rest)` letter cases of `PR_ParseTimeString` (day names are
/// left out: they never change the result).
fn word(first: u8, second: u8, third: u8) -> Option<Word> {
    let key = [
        first.to_ascii_lowercase(),
        second.to_ascii_lowercase(),
        third.to_ascii_lowercase(),
    ];
    Some(match &key {
        b"jan" => Word::Month(0),
        b"feb" => Word::Month(1),
        b"mar" => Word::Month(2),
        b"apr" => Word::Month(3),
        b"may" => Word::Month(4),
        b"jun" => Word::Month(5),
        b"jul" => Word::Month(6),
        b"aug" => Word::Month(7),
        b"sep" => Word::Month(8),
        b"oct" => Word::Month(9),
        b"nov" => Word::Month(10),
        b"dec" => Word::Month(11),
        b"pst" => Word::Zone(Zone::Pst),
        b"pdt" => Word::Zone(Zone::Pdt),
        b"mst" => Word::Zone(Zone::Mst),
        b"mdt" => Word::Zone(Zone::Mdt),
        b"cst" => Word::Zone(Zone::Cst),
        b"cdt" => Word::Zone(Zone::Cdt),
        b"est" => Word::Zone(Zone::Est),
        b"edt" => Word::Zone(Zone::Edt),
        b"ast" => Word::Zone(Zone::Ast),
        b"nst" => Word::Zone(Zone::Nst),
        b"gmt" => Word::Zone(Zone::Gmt),
        b"bst" => Word::Zone(Zone::Bst),
        b"met" => Word::Zone(Zone::Met),
        b"eet" => Word::Zone(Zone::Eet),
        b"jst" => Word::Zone(Zone::Jst),
        // "UT is the same as GMT but UTx is not."
        [b'u', b't', next] if !next.is_ascii_alphabetic() => Word::Zone(Zone::Gmt),
        _ => return None,
    })
}

/// NSPR's `PRExplodedTime`, as far as `PR_ImplodeTime` uses it.
#[derive(Clone, Copy)]
struct Exploded {
    usec: i32,
    sec: i32,
    min: i32,
    hour: i32,
    mday: i32,
    month: i32,
    year: i16,
    yday: i16,
    gmt_offset: i32,
    dst_offset: i32,
}

/// `IsLeapYear(PRInt16)` of `prtime.cc`.
fn pr_is_leap(year: i16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// `nDays[IsLeapYear(year)][month]` (month 0-based, always 0..=11 here).
fn pr_days_in_month(year: i16, month: i32) -> i32 {
    match month {
        1 if pr_is_leap(year) => 29,
        1 => 28,
        3 | 5 | 8 | 10 => 30,
        _ => 31,
    }
}

/// `lastDayOfMonth[IsLeapYear(year)][month]`: the day of the year (0-based)
/// before the month starts, -1 for January.
fn pr_last_day_before(year: i16, month: i32) -> i32 {
    const DAYS: [i32; 12] = [-1, 30, 58, 89, 119, 150, 180, 211, 242, 272, 303, 333];
    let leap = i32::from(month >= 2 && pr_is_leap(year));
    usize::try_from(month)
        .ok()
        .and_then(|index| DAYS.get(index))
        .map_or(0, |&days| days + leap)
}

/// `COUNT_DAYS(Y)` of `prtime.cc`: days from 0001-01-01 to the start of year
/// `Y`, with C's truncating division.
fn pr_count_days(year: i32) -> i32 {
    let before = year - 1;
    before * 365 + before / 4 - before / 100 + before / 400
}

/// `ApplySecOffset`'s and `PR_NormalizeTime`'s carry of one field into the
/// next: C's truncating `/` and `%`, then one borrow when negative.
fn carry(low: &mut i32, high: &mut i32, base: i32) {
    if *low < 0 || *low >= base {
        *high += *low / base;
        *low %= base;
        if *low < 0 {
            *low += base;
            *high -= 1;
        }
    }
}

/// `PR_NormalizeTime(time, PR_GMTParameters)`. The year is a `PRInt16` and
/// wraps like one.
fn pr_normalize(time: &mut Exploded) {
    time.sec -= time.gmt_offset + time.dst_offset;
    time.gmt_offset = 0;
    time.dst_offset = 0;
    carry(&mut time.usec, &mut time.sec, 1_000_000);
    carry(&mut time.sec, &mut time.min, 60);
    carry(&mut time.min, &mut time.hour, 60);
    carry(&mut time.hour, &mut time.mday, 24);
    if time.month < 0 || time.month >= 12 {
        // `static_cast<PRInt16>(month / 12)`: month is small, never truncated.
        time.year = time
            .year
            .wrapping_add(i16::try_from(time.month / 12).unwrap_or(0));
        time.month %= 12;
        if time.month < 0 {
            time.month += 12;
            time.year = time.year.wrapping_sub(1);
        }
    }
    if time.mday < 1 {
        while time.mday < 1 {
            time.month -= 1;
            if time.month < 0 {
                time.month = 11;
                time.year = time.year.wrapping_sub(1);
            }
            time.mday += pr_days_in_month(time.year, time.month);
        }
    } else {
        let mut days = pr_days_in_month(time.year, time.month);
        while time.mday > days {
            time.mday -= days;
            time.month += 1;
            if time.month > 11 {
                time.month = 0;
                time.year = time.year.wrapping_add(1);
            }
            days = pr_days_in_month(time.year, time.month);
        }
    }
    // `static_cast<PRInt16>`: at most 366.
    time.yday = i16::try_from(time.mday + pr_last_day_before(time.year, time.month)).unwrap_or(0);
    // The GMT parameters are zero, so `ApplySecOffset(time, 0)` changes nothing.
}

/// `PR_ImplodeTime`: microseconds since the Unix epoch.
fn pr_implode(time: &Exploded) -> i64 {
    let mut copy = *time;
    pr_normalize(&mut copy);
    let days = pr_count_days(i32::from(copy.year)) - pr_count_days(1970);
    let seconds = i32::from(copy.yday) * 86_400 + copy.hour * 3_600 + copy.min * 60 + copy.sec;
    (i64::from(days) * 86_400 + i64::from(seconds)) * 1_000_000 + i64::from(copy.usec)
}

/// `PR_ParseTimeString(string, default_to_gmt = PR_TRUE, ...)`, ported
/// statement by statement (`rest`, `end` and `s` are indexes; reading past
/// the end gives the C string's NUL). Returns microseconds since the Unix
/// epoch.
fn pr_parse_time_string(text: &[u8]) -> Option<i64> {
    let at = |index: usize| text.get(index).copied().unwrap_or(0);
    let digit = |index: usize| i32::from(at(index)) - i32::from(b'0');
    let is_digit = |index: usize| at(index).is_ascii_digit();

    let mut month: Option<i32> = None;
    let mut zone: Option<Zone> = None;
    let mut zone_offset: i32 = -1; // minutes; -1 means "none", as in C
    let mut dst_offset: i32 = 0;
    let mut date: i32 = -1;
    let mut year: i32 = -1;
    let mut hour: i32 = -1;
    let mut min: i32 = -1;
    let mut sec: i32 = -1;
    let mut usec: i32 = -1;
    let mut rest: usize = 0;
    let mut iterations = 0;

    while at(rest) != 0 {
        if iterations > 1000 {
            return None;
        }
        iterations += 1;
        let current = at(rest);
        if current.is_ascii_alphabetic() {
            match word(current, at(rest + 1), at(rest + 2)) {
                Some(Word::Month(number)) if month.is_none() => month = Some(number),
                Some(Word::Zone(name)) if zone.is_none() => zone = Some(name),
                _ => {}
            }
        } else if current == b'+' || current == b'-' {
            'sign: {
                if zone_offset != -1 {
                    // already got one...
                    rest += 1;
                    break 'sign;
                }
                if zone.is_some_and(|name| name != Zone::Gmt) {
                    // GMT+0300 is legal, but PST+0300 is not.
                    rest += 1;
                    break 'sign;
                }
                let sign = if current == b'+' { 1 } else { -1 };
                rest += 1;
                let mut end = rest;
                while is_digit(end) {
                    end += 1;
                }
                zone_offset = match end - rest {
                    4 => {
                        (digit(rest) * 10 + digit(rest + 1)) * 60
                            + digit(rest + 2) * 10
                            + digit(rest + 3)
                    }
                    2 => (digit(rest) * 10 + digit(rest + 1)) * 60,
                    1 => digit(rest) * 60,
                    _ => break 'sign, // no digits, 3 or more than 4
                };
                zone_offset *= sign;
                zone = Some(Zone::Gmt);
            }
        } else if current.is_ascii_digit() {
            'number: {
                let mut end = rest + 1;
                while is_digit(end) {
                    end += 1;
                }
                if at(end) == b':' {
                    if hour >= 0 && min >= 0 {
                        break 'number; // already got it
                    }
                    let mut tmp_hour = match end - rest {
                        1 => digit(rest),
                        2 => digit(rest) * 10 + digit(rest + 1),
                        _ => break 'number,
                    };
                    end += 1;
                    rest = end;
                    while is_digit(end) {
                        end += 1;
                    }
                    let tmp_min = match end - rest {
                        1 => digit(rest),
                        2 => digit(rest) * 10 + digit(rest + 1),
                        _ => break 'number, // none, or 3 or more
                    };
                    rest = end;
                    if at(rest) == b':' {
                        rest += 1;
                    }
                    end = rest;
                    while is_digit(end) {
                        end += 1;
                    }
                    let tmp_sec = match end - rest {
                        0 => -1, // no digits after second colon - that's ok
                        1 => digit(rest),
                        2 => digit(rest) * 10 + digit(rest + 1),
                        _ => break 'number,
                    };
                    rest = end;
                    let mut tmp_usec = -1;
                    if at(rest) == b'.' {
                        rest += 1;
                        end += 1;
                        tmp_usec = 0;
                        // use up to 6 digits, skip over the rest
                        while is_digit(end) {
                            if end - rest < 6 {
                                tmp_usec = tmp_usec * 10 + digit(end);
                            }
                            end += 1;
                        }
                        let mut count = end - rest;
                        while count < 6 {
                            tmp_usec *= 10;
                            count += 1;
                        }
                        rest = end;
                    }
                    if at(rest) == b'Z' {
                        zone = Some(Zone::Gmt);
                    } else if tmp_hour <= 12 {
                        let mut next = end;
                        while at(next) == b' ' || at(next) == b'\t' {
                            next += 1;
                        }
                        let am_pm = [
                            at(next).to_ascii_lowercase(),
                            at(next + 1).to_ascii_lowercase(),
                        ];
                        if &am_pm == b"pm" {
                            // 10:05pm == 22:05, and 12:05pm == 12:05
                            if tmp_hour != 12 {
                                tmp_hour += 12;
                            }
                        } else if tmp_hour == 12 && &am_pm == b"am" {
                            // 12:05am == 00:05
                            tmp_hour = 0;
                        }
                    }
                    hour = tmp_hour;
                    min = tmp_min;
                    sec = tmp_sec;
                    usec = tmp_usec;
                    rest = end;
                } else if (at(end) == b'/' || at(end) == b'-') && is_digit(end + 1) {
                    // Perhaps 6/16/95, 16/6/95, 6-16-95, 16-6-95, 95-06-05 or
                    // 1995-06-22.
                    if month.is_some() {
                        break 'number;
                    }
                    let mut s = rest;
                    let mut n1 = digit(s); // first 1, 2 or 4 digits
                    s += 1;
                    if is_digit(s) {
                        n1 = n1 * 10 + digit(s);
                        s += 1;
                        if is_digit(s) {
                            n1 = n1 * 10 + digit(s);
                            s += 1;
                            if !is_digit(s) {
                                break 'number;
                            }
                            n1 = n1 * 10 + digit(s);
                            s += 1;
                        }
                    }
                    if at(s) != b'/' && at(s) != b'-' {
                        break 'number;
                    }
                    s += 1;
                    if !is_digit(s) {
                        break 'number; // second 1 or 2 digits
                    }
                    let mut n2 = digit(s);
                    s += 1;
                    if is_digit(s) {
                        n2 = n2 * 10 + digit(s);
                        s += 1;
                    }
                    if at(s) != b'/' && at(s) != b'-' {
                        break 'number;
                    }
                    s += 1;
                    if !is_digit(s) {
                        break 'number; // third 1, 2, 4, or 5 digits
                    }
                    let mut n3 = digit(s);
                    s += 1;
                    if is_digit(s) {
                        n3 = n3 * 10 + digit(s);
                        s += 1;
                    }
                    if is_digit(s) {
                        n3 = n3 * 10 + digit(s);
                        s += 1;
                        if !is_digit(s) {
                            break 'number;
                        }
                        n3 = n3 * 10 + digit(s);
                        s += 1;
                        if is_digit(s) {
                            n3 = n3 * 10 + digit(s);
                            s += 1;
                        }
                    }
                    if at(s) == b'T' && is_digit(s + 1) {
                        // followed by ISO 8601 T delimiter and number is ok
                    } else if at(s).is_ascii_alphanumeric() {
                        break 'number; // but other alphanumerics are not ok
                    }
                    if n1 > 31 || n1 == 0 {
                        // must be [YY]YY/MM/DD
                        if n2 > 12 || n3 > 31 {
                            break 'number;
                        }
                        year = n1;
                        if year < 70 {
                            year += 2000;
                        } else if year < 100 {
                            year += 1900;
                        }
                        month = Some(n2 - 1);
                        date = n3;
                        rest = s;
                        break 'number;
                    }
                    if n1 > 12 && n2 > 12 {
                        // illegal
                        rest = s;
                        break 'number;
                    }
                    if n3 < 70 {
                        n3 += 2000;
                    } else if n3 < 100 {
                        n3 += 1900;
                    }
                    if n1 > 12 {
                        // must be DD/MM/YY
                        date = n1;
                        month = Some(n2 - 1);
                    } else {
                        // assume MM/DD/YY
                        month = Some(n1 - 1);
                        date = n2;
                    }
                    year = n3;
                    rest = s;
                } else if at(end).is_ascii_alphabetic() {
                    // Digits followed by non-punctuation - what's that?
                } else {
                    // Read only for 1, 2, 4 or 5 digits (no overflow).
                    let value = || (rest..end).fold(0, |number, index| number * 10 + digit(index));
                    match end - rest {
                        // five or four digits is a year
                        4 | 5 if year < 0 => year = value(),
                        // two digits - date or year
                        2 => {
                            let number = value();
                            if date < 0 && number < 32 {
                                date = number;
                            } else if year < 0 {
                                year = if number < 70 {
                                    2000 + number
                                } else if number < 100 {
                                    1900 + number
                                } else {
                                    number
                                };
                            }
                        }
                        // one digit - date
                        1 if date < 0 => date = value(),
                        // three or more than five digits - what's that?
                        _ => {}
                    }
                }
            }
        }

        // Skip to the end of this token, whether we parsed it or not. Tokens
        // are delimited by whitespace, or ,;-+/()[] but explicitly not .: and
        // 'T' is a delimiter when followed by a digit (ISO 8601).
        while at(rest) != 0
            && !matches!(
                at(rest),
                b' ' | b'\t' | b',' | b';' | b'-' | b'+' | b'/' | b'(' | b')' | b'[' | b']'
            )
            && !(at(rest) == b'T' && is_digit(rest + 1))
        {
            rest += 1;
        }
        // SKIP_MORE: skip over uninteresting chars.
        loop {
            while matches!(
                at(rest),
                b' ' | b'\t' | b',' | b';' | b'/' | b'(' | b')' | b'[' | b']'
            ) {
                rest += 1;
            }
            // "-" is ignored at the beginning of a token if we have not yet
            // parsed a year, or if the character after the dash is not a digit.
            let after_letter = rest
                .checked_sub(1)
                .is_some_and(|before| at(before).is_ascii_alphabetic());
            if at(rest) == b'-' && ((after_letter && year < 0) || !is_digit(rest + 1)) {
                rest += 1;
                continue;
            }
            break;
        }
        // Skip T that may precede ISO 8601 time.
        if at(rest) == b'T' && is_digit(rest + 1) {
            rest += 1;
        }
    }

    if let Some(name) = zone
        && zone_offset == -1
    {
        (zone_offset, dst_offset) = name.offsets();
    }
    let month = month?;
    if date == -1 || year == -1 || year > i32::from(i16::MAX) {
        return None;
    }
    let mut result = Exploded {
        usec: usec.max(0),
        sec: sec.max(0),
        min: min.max(0),
        hour: hour.max(0),
        mday: date,
        month,
        year: i16::try_from(year).ok()?,
        yday: 0,
        gmt_offset: 0,
        dst_offset: 0,
    };
    pr_normalize(&mut result);
    if zone.is_none() {
        // No zone was specified, so pretend the zone was GMT.
        zone_offset = 0;
    }
    result.gmt_offset = zone_offset * 60;
    result.dst_offset = dst_offset * 60;
    Some(pr_implode(&result))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-02T00:00:00Z, the client's clock in the cases below.
    const NOW: UnixSeconds = 1_796_169_600;
    /// 2025-01-01T00:00:00Z.
    const JAN_2025: UnixSeconds = 1_735_689_600;

    /// Splits a header's attribute part (after the first `;`) the way
    /// `ParsedCookie` does, to write cases as header text.
    fn pairs(text: &str) -> Vec<(&str, &str)> {
        text.split(';')
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .collect()
    }

    fn header(text: &str, server_date: Option<UnixSeconds>) -> Expiry {
        expiry(&pairs(text), server_date, NOW)
    }

    /// `cookie_util_unittest.cc`, `TEST(CookieUtilTest, TestCookieDateParsing)`:
    /// the whole table (valid, epoch).
    #[test]
    fn chromium_cookie_date_parsing_table() {
        let table: &[(&str, Option<UnixSeconds>)] = &[
            ("Sat, 15-Apr-17 21:01:22 GMT", Some(1492290082)),
            ("Thu, 19-Apr-2007 16:00:00 GMT", Some(1176998400)),
            ("Wed, 25 Apr 2007 21:02:13 GMT", Some(1177534933)),
            ("Thu, 19/Apr\\2007 16:00:00 GMT", Some(1176998400)),
            ("Fri, 1 Jan 2010 01:01:50 GMT", Some(1262307710)),
            ("Wednesday, 1-Jan-2003 00:00:00 GMT", Some(1041379200)),
            (", 1-Jan-2003 00:00:00 GMT", Some(1041379200)),
            (" 1-Jan-2003 00:00:00 GMT", Some(1041379200)),
            ("1-Jan-2003 00:00:00 GMT", Some(1041379200)),
            ("Wed,18-Apr-07 22:50:12 GMT", Some(1176936612)),
            ("WillyWonka  , 18-Apr-07 22:50:12 GMT", Some(1176936612)),
            ("WillyWonka  , 18-Apr-07 22:50:12", Some(1176936612)),
            ("WillyWonka  ,  18-apr-07   22:50:12", Some(1176936612)),
            ("Mon, 18-Apr-1977 22:50:13 GMT", Some(230251813)),
            ("Mon, 18-Apr-77 22:50:13 GMT", Some(230251813)),
            ("\"Sat, 15-Apr-17\\\"21:01:22\\\"GMT\"", Some(1492290082)),
            ("Partyday, 18- April-07 22:50:12", Some(1176936612)),
            ("Partyday, 18 - Apri-07 22:50:12", Some(1176936612)),
            ("Wednes, 1-Januar-2003 00:00:00 GMT", Some(1041379200)),
            ("Sat, 15-Apr-17 21:01:22", Some(1492290082)),
            ("Sat, 15-Apr-17 21:01:22 GMT-2", Some(1492290082)),
            ("Sat, 15-Apr-17 21:01:22 GMT BLAH", Some(1492290082)),
            ("Sat, 15-Apr-17 21:01:22 GMT-0400", Some(1492290082)),
            ("Sat, 15-Apr-17 21:01:22 GMT-0400 (EDT)", Some(1492290082)),
            ("Sat, 15-Apr-17 21:01:22 DST", Some(1492290082)),
            ("Sat, 15-Apr-17 21:01:22 -0400", Some(1492290082)),
            ("Sat, 15-Apr-17 21:01:22 (hello there)", Some(1492290082)),
            ("Sat, 15-Apr-17 21:01:22 11:22:33", Some(1492290082)),
            ("Sat, 15-Apr-17 ::00 21:01:22", Some(1492290082)),
            ("Sat, 15-Apr-17 boink:z 21:01:22", Some(1492290082)),
            ("Sat, 15-Apr-17 91:22:33 21:01:22", None),
            ("Thu Apr 18 22:50:12 2007 GMT", Some(1176936612)),
            ("22:50:12 Thu Apr 18 2007 GMT", Some(1176936612)),
            ("Thu 22:50:12 Apr 18 2007 GMT", Some(1176936612)),
            ("Thu Apr 22:50:12 18 2007 GMT", Some(1176936612)),
            ("Thu Apr 18 22:50:12 2007 GMT", Some(1176936612)),
            ("Thu Apr 18 2007 22:50:12 GMT", Some(1176936612)),
            ("Thu Apr 18 2007 GMT 22:50:12", Some(1176936612)),
            ("Sat, 15-Apr-17 21:01:22 GMT", Some(1492290082)),
            ("15-Sat, Apr-17 21:01:22 GMT", Some(1492290082)),
            ("15-Sat, Apr 21:01:22 GMT 17", Some(1492290082)),
            ("15-Sat, Apr 21:01:22 GMT 2017", Some(1492290082)),
            ("15 Apr 21:01:22 2017", Some(1492290082)),
            ("15 17 Apr 21:01:22", Some(1492290082)),
            ("Apr 15 17 21:01:22", Some(1492290082)),
            ("Apr 15 21:01:22 17", Some(1492290082)),
            ("2017 April 15 21:01:22", Some(1492290082)),
            ("15 April 2017 21:01:22", Some(1492290082)),
            ("1-Jan-71 00:00:00 GMT", Some(31536000)),
            ("1-Jan-70 00:00:00 GMT", Some(0)),
            ("1-Jan-69 00:00:00 GMT", Some(3124224000)),
            ("1-Jan-68 00:00:00 GMT", Some(3092601600)),
            ("98 April 17 21:01:22", None),
            ("Thu, 012-Aug-2008 20:49:07 GMT", None),
            ("Thu, 12-Aug-9999999999 20:49:07 GMT", None),
            ("Thu, 999999999999-Aug-2007 20:49:07 GMT", None),
            ("Thu, 12-Aug-2007 20:61:99999999999 GMT", None),
            ("IAintNoDateFool", None),
            ("1600 April 33 21:01:22", None),
            ("1970 April 33 21:01:22", None),
            ("Thu, 33-Aug-31841 20:49:07 GMT", None),
        ];
        for &(text, expected) in table {
            assert_eq!(parse_expires(text), expected, "{text}");
        }
    }

    /// `cookie_util_unittest.cc`, `ParseCookieExpirationTimeBeyond2038` and
    /// `ParseCookieExpirationTimeBefore1970`.
    #[test]
    fn chromium_dates_beyond_2038_and_before_1970() {
        let almost_jan_2038 = 365 * 68 * 86_400;
        for text in [
            "Thu, 12-Aug-31841 20:49:07 GMT",
            "2039 April 15 21:01:22",
            "2038 April 15 21:01:22",
            "15 April 69 21:01:22",
            "15 April 68, 21:01:22",
        ] {
            assert!(
                parse_expires(text).is_some_and(|t| t > almost_jan_2038),
                "{text}"
            );
        }
        for text in [
            "1970 Jan 1 00:00:00",
            "1969 March 3 21:01:22",
            "1-Jan-70 00:00:00",
            "Jan 1, 70 00:00:00",
            "1601 Jan 1 00:00:00",
            "1600 April 15 21:01:22",
            "1902 Jan 1 00:00:00",
            "1901 Jan 1 00:00:00",
        ] {
            assert!(parse_expires(text).is_some_and(|t| t <= 0), "{text}");
        }
        assert_eq!(parse_expires("1601 Jan 1 00:00:00"), Some(NULL_TIME));
    }

    /// `canonical_cookie_unittest.cc`, `CreateWithMaxAge` and `EmptyExpiry`.
    #[test]
    fn chromium_max_age_and_empty_expiry() {
        let cases: &[(&str, Expiry)] = &[
            ("max-age=60", Expiry::Persistent),
            (
                "expires=01-Jan-1970, 00:00:00 GMT; max-age=60",
                Expiry::Persistent,
            ),
            ("max-age=0", Expiry::Delete),
            ("max-age=-1", Expiry::Delete),
            ("max-age = 60  ; Secure", Expiry::Persistent),
            ("max-age=abcd", Expiry::Session),
            (
                "max-age=99999999999999999999999999999999999999999999999999999999999",
                Expiry::Persistent,
            ),
            (
                "max-age=-99999999999999999999999999999999999999999999999999999999999",
                Expiry::Delete,
            ),
            ("path=/; domain=ipdl.inpit.go.jp; Expires=", Expiry::Session),
        ];
        for &(text, expected) in cases {
            assert_eq!(header(text, None), expected, "{text}");
        }
        let empty = "path=/; Expires=";
        assert_eq!(header(empty, Some(NOW - 3600)), Expiry::Session);
        assert_eq!(header(empty, Some(NOW + 3600)), Expiry::Session);
    }

    /// `base::StringToInt64` as `ParseExpiration` uses it.
    #[test]
    fn max_age_reading() {
        assert_eq!(parse_max_age("60"), Some(60));
        assert_eq!(parse_max_age("+5"), Some(5));
        assert_eq!(parse_max_age("-0"), Some(0));
        assert_eq!(parse_max_age("007"), Some(7));
        for ignored in [
            "", "-", "+", "+-1", "1.5", "1e3", "0x10", "12abc", "abc", " 5",
        ] {
            assert_eq!(parse_max_age(ignored), None, "{ignored:?}");
        }
        assert_eq!(parse_max_age("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_max_age("9223372036854775808"), Some(i64::MAX));
        assert_eq!(parse_max_age("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_max_age("-99999999999999999999x"), Some(i64::MIN));
        assert_eq!(parse_max_age("-9223372036854775808x"), Some(i64::MIN));
        assert_eq!(parse_max_age("9223372036854775807x"), Some(i64::MAX));
        assert_eq!(parse_max_age("922337203685477580x"), None);
    }

    /// `parsed_cookie_unittest.cc`: `MultipleDomainAttributes` (the last of an
    /// attribute wins), `EnforceSizeConstraints` (a value over 1024 bytes is
    /// dropped), `EmbeddedTerminator` and `SetNameAndValue` (control
    /// characters, tabs included, reject the cookie).
    #[test]
    fn chromium_parsed_cookie_rules() {
        let epoch = "Thu, 01 Jan 1970 00:00:00 GMT";
        let last_wins = format!("Expires={epoch}; Expires=Thu, 01 Jan 2026 12:00:00 GMT");
        assert_eq!(header(&last_wins, None), Expiry::Delete);
        let last_wins = format!("Expires=Thu, 01 Jan 2027 00:00:00 GMT; Expires={epoch}");
        assert_eq!(header(&last_wins, None), Expiry::Delete);
        let future = "Fri, 01 Jan 2100 00:00:00 GMT";
        let long = format!("Expires={epoch}; Expires={future}{}", " x".repeat(600));
        assert_eq!(header(&long, None), Expiry::Delete);
        let long = format!("Max-Age=0; Max-Age=1{}", "0".repeat(1024));
        assert_eq!(header(&long, None), Expiry::Delete);
        let fits = format!("Max-Age=0; Max-Age=1{}", "0".repeat(1023));
        assert_eq!(header(&fits, None), Expiry::Persistent);
        for rejected in [
            "Max-Age=0; Path=/\r",
            "Max-Age=0; Path=/\n",
            "Max-Age=0; Path=/\0",
            "Max-Age=0; Pa\tth=/",
            "Max-Age=0; Path=/\u{7f}",
            "Expires=Thu,\t01 Jan 1970 00:00:00 GMT",
        ] {
            assert!(attributes_rejected(&pairs(rejected)), "{rejected:?}");
            assert_eq!(header(rejected, None), Expiry::Session, "{rejected:?}");
        }
        assert!(!attributes_rejected(&pairs("\tMax-Age\t=\t0\t; Path= /é ")));
        assert_eq!(header("\tMAX-AGE\t=\t0\t", None), Expiry::Delete);
        assert_eq!(
            header("  eXpIrEs =  Thu, 01 Jan 1970 00:00:00 GMT  ", None),
            Expiry::Delete
        );
    }

    /// The cases of the brief: none of these deletes.
    #[test]
    fn not_deleted() {
        // Year 99999 is a real date on 64-bit POSIX: stored, capped at 400
        // days.
        assert_eq!(
            parse_expires("Fri, 01 Jan 99999 00:00:00 GMT"),
            Some(3_093_496_444_800)
        );
        assert_eq!(
            header("Expires=Fri, 01 Jan 99999 00:00:00 GMT", None),
            Expiry::Persistent
        );
        // 7 bytes: neither day nor year.
        assert_eq!(parse_expires("1970abc"), None);
        assert_eq!(header("Expires=1970abc", None), Expiry::Session);
        // "1st" is no year (nor the year 2001), and there is no time.
        assert_eq!(parse_expires("1st Jan 1970"), None);
        assert_eq!(header("Expires=1st Jan 1970", None), Expiry::Session);
        // Expires is after the server's Date, though before the client's now.
        let server_date = parse_http_date("Wed, 01 Jan 2025 00:00:00 GMT");
        assert_eq!(server_date, Some(JAN_2025));
        assert_eq!(
            header("Expires=Thu, 01 Jan 2026 00:00:00 GMT", server_date),
            Expiry::Persistent
        );
    }

    /// The deletions of the brief, and the other readings checked against the
    /// source.
    #[test]
    fn deleted_or_not() {
        let epoch = "Thu, 01 Jan 1970 00:00:00 GMT";
        let cases: &[(String, Option<UnixSeconds>, Expiry)] = &[
            (format!("Expires={epoch}"), None, Expiry::Delete),
            ("Max-Age=0".into(), None, Expiry::Delete),
            ("Max-Age=-1".into(), None, Expiry::Delete),
            // An unreadable Max-Age falls through to Expires.
            (
                format!("Max-Age=abc; Expires={epoch}"),
                None,
                Expiry::Delete,
            ),
            // Max-Age beats Expires whatever the order.
            (
                format!("Max-Age=10; Expires={epoch}"),
                None,
                Expiry::Persistent,
            ),
            (
                "Expires=Fri, 01 Jan 2100 00:00:00 GMT; Max-Age=0".into(),
                None,
                Expiry::Delete,
            ),
            // The last Max-Age wins even when invalid; the last Expires too.
            ("Max-Age=0; Max-Age=abc".into(), None, Expiry::Session),
            (
                format!("Expires={epoch}; Expires=garbage"),
                None,
                Expiry::Session,
            ),
            (format!("Expires={epoch}; Expires"), None, Expiry::Session),
            ("Max-Age=+0".into(), None, Expiry::Delete),
            ("Max-Age=-9223372036854775808x".into(), None, Expiry::Delete),
            // A time field may have more than two digits.
            (
                "Expires=Thu, 01 Jan 1970 00:00:000 GMT".into(),
                None,
                Expiry::Delete,
            ),
            (
                "Expires=Thu, 01 Jan 1969 000:00:00 GMT".into(),
                None,
                Expiry::Delete,
            ),
            // Found by the differential test: Chromium 156 reads no time in
            // a token with anything after the seconds, and stores these as
            // session cookies (sscanf would have read 12:00:00).
            (
                "Expires=Thu, 01 Jan 1969 12:00:00pm GMT".into(),
                None,
                Expiry::Session,
            ),
            (
                "Expires=Thu, 01 Jan 1969 12:00:0x GMT".into(),
                None,
                Expiry::Session,
            ),
            (
                "Expires=Thu, 01 Jan 1969 12:00:00: GMT".into(),
                None,
                Expiry::Session,
            ),
            (
                "Expires=January  1969  12:00:00pm  28  -0500".into(),
                parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"),
                Expiry::Session,
            ),
            (
                "Expires\t==Thu, 29 Feb 1604 12:00:00pm GMT".into(),
                parse_http_date("Sat, 01 Jan 2050 00:00:00 GMT"),
                Expiry::Session,
            ),
            // Found by the differential test: `1st` is not the year 1 for
            // Chromium 156, which stores this as a session cookie.
            (
                "MaxAge=-9223372036854775809;  Expires \t=Xyz, 1st-January-26 1:2:3 GMT".into(),
                None,
                Expiry::Session,
            ),
            (
                "Expires=Thu, 01x Jan 1969 00:00:00 GMT".into(),
                None,
                Expiry::Session,
            ),
            (
                "Expires=Thu, 01 Jan 1969x 00:00:00 GMT".into(),
                None,
                Expiry::Session,
            ),
            // A token that is no time is skipped; a later one is read.
            (
                "Expires=Thu, 01 Jan 1969 12:00 12:00:00 GMT".into(),
                None,
                Expiry::Delete,
            ),
            // atoi: a 5-byte year.
            (
                "Expires=Thu, 01 Jan 01970 00:00:00 GMT".into(),
                None,
                Expiry::Delete,
            ),
            // Years before 1601 are real dates on 64-bit POSIX.
            (
                "Expires=Mon, 01 Jan 1600 00:00:00 GMT".into(),
                None,
                Expiry::Delete,
            ),
            (
                "Expires=Thu, 01 Jan 100 00:00:00 GMT".into(),
                None,
                Expiry::Delete,
            ),
            // Digit-led tokens with junk are not days or years in Chromium.
            (
                "Expires=Thu, 01 Jan 1970abc 00:00:00 GMT".into(),
                None,
                Expiry::Session,
            ),
            (
                "Expires=1st Jan 1970 00:00:00 GMT".into(),
                None,
                Expiry::Session,
            ),
            (
                "Expires=Thu, 1:2 Jan 1970 00:00:00".into(),
                None,
                Expiry::Session,
            ),
            // 1-digit year after the day.
            ("Expires=Jan 1 5 00:00:00".into(), None, Expiry::Delete),
            // Seconds 60 and 30 February do not exist.
            (
                "Expires=Thu, 01 Jan 1970 00:00:60 GMT".into(),
                None,
                Expiry::Session,
            ),
            (
                "Expires=30 Feb 1970 00:00:00 GMT".into(),
                None,
                Expiry::Session,
            ),
            // Equal to the server's Date: deleted; one second after: kept.
            (format!("Expires={epoch}"), Some(0), Expiry::Delete),
            (format!("Expires={epoch}"), Some(-1), Expiry::Persistent),
            // Expires after the client's now but not after the server's Date.
            (
                "Expires=Fri, 01 Jan 2027 00:00:00 GMT".into(),
                Some(1_830_297_600),
                Expiry::Delete,
            ),
            // A null Date (1601-01-01T00:00:00Z) is no Date.
            (
                "Expires=Fri, 01 Jan 2027 00:00:00 GMT".into(),
                Some(NULL_TIME),
                Expiry::Persistent,
            ),
            ("Path=/".into(), None, Expiry::Session),
        ];
        for (text, server_date, expected) in cases {
            assert_eq!(
                header(text, *server_date),
                *expected,
                "{text} / {server_date:?}"
            );
        }
    }

    /// `base/time/pr_time_unittest.cc` (the cases with a zone, plus those
    /// without one read as GMT, since `FromUTCString` defaults to GMT) and
    /// the usual HTTP date forms.
    #[test]
    fn chromium_http_date_parsing() {
        let pdt = Some(1_192_477_500); // 15 Oct 2007 12:45:00 PDT
        let gmt_1245 = Some(1_192_452_300); // 15 Oct 2007 12:45:00 GMT
        let iso = Some(1_373_275_692); // 2013-07-08T09:28:12.441381Z
        let table: &[(&str, Option<UnixSeconds>)] = &[
            ("Mon, 15 Oct 2007 19:45:00 GMT", pdt),
            ("15 Oct 07 19:45 GMT", pdt),
            ("Mon Oct 15 12:45 PDT 2007", pdt),
            ("16 Oct 2007 4:45-JST (Tuesday)", pdt),
            ("Mon Oct 15 12:44:60 PDT 2007", pdt),
            ("Sun Oct 14 36:45 PDT 2007", pdt),
            ("15 Oct 07 12:45:00", gmt_1245),
            ("Monday, Oct 15, 2007 12:45 PM", gmt_1245),
            ("10/15/07 12:45:00 PM", gmt_1245),
            ("10/15/07 12:45:00. PM", gmt_1245),
            ("10/15/07 12:45:00.0 PM", gmt_1245),
            ("15-OCT-2007 12:45pm", gmt_1245),
            ("2013-07-08T11:28:12.441381+02:00", iso),
            ("2013-07-08T11:28:12.441381+0200", iso),
            ("2013-07-08T11:28:12.4413819+02", iso),
            ("2013-07-08T09:28:12.44138Z", iso),
            ("2013-07-08T09:28:12.441381Z", iso),
            ("2013-07-08 09:28:12.441381Z", iso),
            ("201-07-08T09:28:12.441381Z", None),
            ("2013-007-08T09:28:12.441381Z", None),
            ("2013-07-008T09:28:12.441381Z", None),
            ("Wed, 01 Jan 2025 00:00:00 GMT", Some(JAN_2025)),
            ("Wednesday, 01-Jan-25 00:00:00 GMT", Some(JAN_2025)),
            ("Wed Jan  1 00:00:00 2025", Some(JAN_2025)),
            ("Wed, 01 Jan 2025 01:00:00 +0100", Some(JAN_2025)),
            ("Tue, 31 Dec 2024 19:00:00 EST", Some(JAN_2025)),
            ("Wed, 01 Jan 2025 00:00:00 UTC", Some(JAN_2025)),
            ("Fri, 01 Jan 99999 00:00:00 GMT", None),
            ("", None),
            ("not a date", None),
        ];
        for &(text, expected) in table {
            assert_eq!(parse_http_date(text), expected, "{text}");
        }
        assert!(parse_http_date("Sun Jan  2 00:00:00 3001").is_some());
    }

    #[test]
    fn calendar() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1601, 1, 1) * 86_400, NULL_TIME);
        assert_eq!(days_from_civil(2026, 12, 2) * 86_400, NOW);
        for year in [1600, 1601, 1900, 1970, 2000, 2024, 2100, 32767] {
            let days = pr_count_days(year) - pr_count_days(1970);
            assert_eq!(
                i64::from(days),
                days_from_civil(i64::from(year), 1, 1),
                "{year}"
            );
        }
    }
}
