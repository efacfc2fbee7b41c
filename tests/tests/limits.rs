//! Inputs at the limits: a policy file that is huge, deeply nested or made of
//! very long strings gives a clear error or a bounded expansion, never an
//! out-of-memory or a hang; headers and consent values likewise.

use cookie_policy_codegen::{MAX_POLICY_BYTES, derive, tokens};
use cookie_policy_tests::check;
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
    let output = derive(input, Some(&dir)).to_string();
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

/// `PolicyData::load` refuses a file too big to be a policy by its size,
/// before it is read, as the derive does: a sparse file of 64 GiB, which
/// reading would exhaust memory on.
#[test]
fn a_huge_file_is_not_loaded_at_run_time() {
    let path = std::env::temp_dir().join(format!(
        "cookie-policy-limits-load-{}.toml",
        std::process::id()
    ));
    std::fs::File::create(&path)
        .and_then(|file| file.set_len(64 << 30))
        .unwrap();
    let error = cookie_policy::PolicyData::load(&path)
        .unwrap_err()
        .to_string();
    let _ = std::fs::remove_file(&path);
    assert!(
        error.contains("is 68719476736 bytes; a policy file may hold at most 16777216"),
        "{error}"
    );
}

/// The nested values sit under known keys (`locations`, `url`), so the
/// only thing that can be wrong is the depth: each error must be the
/// parser's recursion limit, not an unknown key or a wrong type.
#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let recursion_error = |text: &str| {
        let errors = check("policy.toml", text).unwrap_err();
        assert!(
            errors.iter().any(|e| e.contains("recursion")),
            "not a recursion error: {errors:?}"
        );
    };
    for depth in [100, 10_000, 1_000_000] {
        recursion_error(&format!(
            "[site]\nname = \"x\"\nlocations = {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ));
        recursion_error(&format!(
            "[site]\nname = \"x\"\nurl = {}1{}\n",
            "{ a = ".repeat(depth),
            " }".repeat(depth)
        ));
        recursion_error(&format!(
            "[site]\nname = \"x\"\n{} = 1\n",
            vec!["a"; depth].join(".")
        ));
    }
}

#[test]
fn very_long_strings_expand_to_bounded_code() {
    let purpose = "x".repeat(4 * 1024 * 1024);
    let text = format!(
        "[site]\nname = \"x\"\n\n[[provider]]\nid = \"p\"\nname = \"P\"\n\n[[cookie]]\nname = \"{}\"\nprovider = \"p\"\nfunction = \"f\"\npurpose = \"{purpose}\"\ncategory = \"necessary\"\n",
        "n".repeat(100_000)
    );
    let tokens = tokens("policy.toml", &text).unwrap().to_string();
    // The text appears in the statics, the rustdoc table and the constant's
    // doc: a small multiple of the file, not a blow-up.
    assert!(
        tokens.len() < 4 * text.len(),
        "{} bytes of tokens for {}",
        tokens.len(),
        text.len()
    );
}
