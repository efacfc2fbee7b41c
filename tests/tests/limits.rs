//! Inputs at the limits: a policy file that is huge, deeply nested or made of
//! very long strings gives a clear error or a bounded expansion, never an
//! out-of-memory or a hang; headers and consent values likewise.

use std::path::PathBuf;

use cookie_policy_codegen::{MAX_POLICY_BYTES, check, derive, expand_text};
use proc_macro2::TokenStream;

fn derive_file(name: &str, contents: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!(
        "cookie-policy-limits-{name}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("policy.toml"), contents).unwrap();
    let input: TokenStream = "#[cookie_policy(path = \"policy.toml\")] struct Site;"
        .parse()
        .unwrap();
    let output = derive(input, &[PathBuf::from(&dir)]).to_string();
    let _ = std::fs::remove_dir_all(&dir);
    output
}

#[test]
fn a_huge_file_is_refused_before_it_is_read() {
    let huge = vec![b'#'; 100 * 1024 * 1024];
    let output = derive_file("huge", &huge);
    assert!(output.contains("compile_error"), "{output}");
    assert!(
        output.contains("the policy file `policy.toml` is 104857600 bytes; a policy file may hold at most 16777216"),
        "{output}"
    );
    assert_eq!(MAX_POLICY_BYTES, 16 * 1024 * 1024);
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for depth in [100, 10_000, 1_000_000] {
        let arrays = format!(
            "[site]\nname = \"x\"\nx = {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        assert!(check("policy.toml", &arrays).is_err());
        let tables = format!(
            "[site]\nname = \"x\"\nx = {}1{}\n",
            "{ a = ".repeat(depth),
            " }".repeat(depth)
        );
        assert!(check("policy.toml", &tables).is_err());
        let dotted = format!("[site]\nname = \"x\"\n{} = 1\n", vec!["a"; depth].join("."));
        assert!(check("policy.toml", &dotted).is_err());
    }
}

#[test]
fn very_long_strings_expand_to_bounded_code() {
    let purpose = "x".repeat(4 * 1024 * 1024);
    let text = format!(
        "[site]\nname = \"x\"\n\n[[provider]]\nid = \"p\"\nname = \"P\"\n\n[[cookie]]\nname = \"{}\"\nprovider = \"p\"\nfunction = \"f\"\npurpose = \"{purpose}\"\ncategory = \"necessary\"\n",
        "n".repeat(100_000)
    );
    let tokens = expand_text("policy.toml", &text).unwrap().to_string();
    // The text appears in the statics, the rustdoc table and the constant's
    // doc: a small multiple of the file, not a blow-up.
    assert!(
        tokens.len() < 4 * text.len(),
        "{} bytes of tokens for {}",
        tokens.len(),
        text.len()
    );
}
