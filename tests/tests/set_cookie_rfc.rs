//! The library reads `Set-Cookie` as RFC 6265bis says a browser does: the
//! table of cases, with the step of the RFC that decides each, is in
//! `tests/src/lib.rs` (Chromium is checked against the same table by the
//! browser test).

use std::time::{Duration, SystemTime};

use cookie_policy::enforce::{Expiry, SetCookie, parse_cookie_date};
use cookie_policy_tests::{SET_COOKIE_CASES, Stored};

#[test]
fn every_case_is_read_as_the_rfc_says() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for case in SET_COOKIE_CASES {
        let (header, expected, step) = (case.header, case.rfc, case.step);
        let cookie = SetCookie::parse(header, now).unwrap_or_else(|| panic!("{header}: ignored"));
        assert_eq!(cookie.name(), "c", "{header}");
        let stored = match cookie.expiry() {
            Expiry::Session => Stored::Session,
            Expiry::Deletion => Stored::Deletion,
            Expiry::Persistent(until) => {
                Stored::Seconds(until.duration_since(now).unwrap().as_secs())
            }
        };
        assert_eq!(stored, expected, "{header} ({step})");
    }
}

#[test]
fn headers_a_browser_ignores_set_nothing() {
    let now = SystemTime::now();
    // 5.7 step 1: a control character; 5.8.3: no name and no value; 5.7
    // step 5: a name and value over 4,096 bytes.
    for header in [
        "c=1\u{1}",
        "=",
        " ; Path=/",
        &format!("c={}", "v".repeat(4096)),
    ] {
        assert_eq!(SetCookie::parse(header, now), None, "{header:?}");
    }
    // 5.7 step 3: without `=`, the whole pair is the value of a nameless cookie.
    let nameless = SetCookie::parse("value-only; Path=/", now).unwrap();
    assert_eq!((nameless.name(), nameless.value()), ("", "value-only"));
}

#[test]
fn domain_and_path_are_read_as_browsers_store_them() {
    let now = SystemTime::now();
    let cookie = SetCookie::parse("c=1; Domain=.Example.com; Path=/shop; Domain=", now).unwrap();
    // 5.7.3: a leading dot is dropped and an empty Domain ignored.
    assert_eq!(cookie.domain(), Some("Example.com"));
    assert_eq!(cookie.path(), Some("/shop"));
    // 5.7.4: a Path that does not start with `/` is the default path, and
    // the last Path wins.
    let cookie = SetCookie::parse("c=1; Path=/shop; Path=shop", now).unwrap();
    assert_eq!(cookie.path(), None);
}

#[test]
fn dates_follow_the_rfc_algorithm() {
    let date = |text| {
        parse_cookie_date(text).map(|d| d.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs())
    };
    // RFC 1123, RFC 850 and asctime forms all read the same date.
    for text in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ] {
        assert_eq!(date(text), Some(784_111_777), "{text}");
    }
    // 5.1.1: out of range or nonexistent dates fail.
    for text in [
        "Thu, 31 Feb 1970 00:00:00 GMT",
        "Thu, 01 Jan 1600 00:00:00 GMT",
        "Thu, 01 Jan 1970 24:00:00 GMT",
        "Thu, 32 Jan 1970 00:00:00 GMT",
        "Thu, 01 Jan 1970",
        "",
    ] {
        assert_eq!(date(text), None, "{text}");
    }
    assert_eq!(date("29 Feb 2000 00:00:00"), Some(951_782_400));
    assert_eq!(date("29 Feb 1900 00:00:00"), None);
}
