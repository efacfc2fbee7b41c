//! The consent cookie's value, from the network: never panics, never grants
//! a category the value does not name.
#![no_main]

use cookie_policy::{Consent, Platform};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let value = String::from_utf8_lossy(data);
    if let Ok(consent) = Consent::from_cookie_value::<Platform>(&value) {
        for category in consent.categories().skip(1) {
            assert!(value.contains(category.as_str()));
        }
    }
});
