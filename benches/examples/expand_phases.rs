//! Where the macro's time goes, phase by phase, for 1,000 and 10,000 cookies:
//! `cargo run --release -p cookie-policy-benches --example expand_phases`.

fn main() {
    for n in [1_000, 10_000] {
        let text = cookie_policy_benches::synthetic_registry(n);
        let t = std::time::Instant::now();
        let (doc, errors) = toml::de::DeTable::parse_recoverable(&text);
        let parse = t.elapsed();
        drop((doc, errors));
        let t = std::time::Instant::now();
        let policy = cookie_policy_codegen::check("p.toml", &text).unwrap();
        let check = t.elapsed();
        let t = std::time::Instant::now();
        let index = cookie_policy_codegen::index::build(&policy.cookies).unwrap();
        let idx = t.elapsed();
        let t = std::time::Instant::now();
        let doc = cookie_policy_codegen::doc_table::policy_doc(&policy, "p");
        let d = t.elapsed();
        let t = std::time::Instant::now();
        let tokens = cookie_policy_codegen::expand_text("p.toml", &text).unwrap();
        let all = t.elapsed();
        println!(
            "{n}: toml parse {parse:?} check {check:?} index {idx:?} doc {d:?} ({} bytes) expand_text {all:?} tokens {}",
            doc.len(),
            tokens.to_string().len()
        );
        let _ = index;
    }
}
