//! The consent cookie's value, from the network, in either format (this
//! crate's, or the CookieConsent banner's URL-encoded JSON): never panics,
//! never grants a category the value does not name.
#![no_main]

use cookie_policy::{Consent, Platform};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let value = String::from_utf8_lossy(data);
    let decoded: String = percent_decoded(&value);
    for consent in [
        Consent::from_cookie_value::<Platform>(&value),
        Consent::read_cookie_value::<Platform>(&value),
    ]
    .into_iter()
    .flatten()
    {
        for category in consent.categories().skip(1) {
            assert!(decoded.contains(category.as_str()));
        }
    }
});

/// The value with `%XX` escapes decoded, the plain way: what a granted
/// category's name must appear in.
fn percent_decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
