//! The macro's core on any file: tokens or diagnostics, never a panic, and
//! every diagnostic inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(errors) = cookie_policy_codegen::policy("policy.toml", &text) {
        for error in errors {
            assert!(error.spans().iter().all(|span| span.end <= text.len()));
        }
    }
    let _ = cookie_policy_codegen::tokens("policy.toml", &text);
});
