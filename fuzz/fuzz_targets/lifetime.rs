//! The lifetime mini-language: parses or says why, never panics, and what
//! parses displays as something that parses to the same.
#![no_main]

use cookie_policy::Lifetime;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(lifetime) = text.parse::<Lifetime>()
    {
        assert_eq!(lifetime.to_string().parse(), Ok(lifetime));
    }
});
