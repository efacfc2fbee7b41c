//! `Set-Cookie` filtering and `Cookie` deletions on any header bytes: never
//! panics; whatever is kept is a deletion or a cookie the policy allows.
#![no_main]

use cookie_policy::enforce::{deletions, filter_set_cookies};
use cookie_policy::{Consent, CookiePolicy, Platform};
use http::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut response = HeaderMap::new();
    let mut request = HeaderMap::new();
    for line in data.split(|&b| b == b'\n') {
        if let Ok(value) = HeaderValue::from_bytes(line) {
            response.append(SET_COOKIE, value.clone());
            request.append(COOKIE, value);
        }
    }
    let before = response.get_all(SET_COOKIE).iter().count();
    let report = filter_set_cookies::<Platform>(&mut response, Consent::necessary_only());
    let kept = response.get_all(SET_COOKIE).iter().count();
    assert_eq!(kept + report.removed().len(), before);
    for value in response.get_all(SET_COOKIE) {
        let text = value.to_str().expect("kept headers are text");
        let cookie = cookie::Cookie::parse(text).expect("kept headers parse");
        let deletion = cookie
            .max_age()
            .is_some_and(|age| age.is_zero() || age.is_negative())
            || cookie
                .expires_datetime()
                .is_some_and(|date| date <= cookie::time::OffsetDateTime::now_utc());
        assert!(
            deletion || Platform::lookup(cookie.name()).is_some(),
            "{text}"
        );
    }
    let _ = deletions::<Platform>(&request, Consent::necessary_only());
});
