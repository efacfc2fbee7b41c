//! The macro's core on any file: tokens or diagnostics, never a panic, and
//! every diagnostic inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Err(diagnostics) = cookie_policy_codegen::compile("policy.toml", &text) {
        for diagnostic in diagnostics {
            assert!(diagnostic.primary.span.end <= text.len());
        }
    }
    let _ = cookie_policy_codegen::expand_text("policy.toml", &text);
});
