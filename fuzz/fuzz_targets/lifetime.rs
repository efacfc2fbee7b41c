//! The lifetime mini-language: parses or says why, never panics, and what
//! parses displays as something that parses to the same.
#![no_main]

use cookie_policy_codegen::lifetime::parse_lifetime;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(lifetime) = parse_lifetime(text)
    {
        assert_eq!(parse_lifetime(&lifetime.to_string()), Ok(lifetime));
    }
});
