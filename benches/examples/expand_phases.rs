//! Where the macro's time goes, phase by phase, for 1,000 and 10,000 cookies:
//! `cargo run --release -p cookie-policy-benches --example expand_phases`.

use std::time::Instant;

fn main() {
    for n in [1_000, 10_000] {
        let text = cookie_policy_benches::synthetic_registry(n);
        let t = Instant::now();
        let (doc, errors) = toml::de::DeTable::parse_recoverable(&text);
        let parse = t.elapsed();
        drop((doc, errors));
        let t = Instant::now();
        let policy = cookie_policy_codegen::policy("p.toml", &text).expect("valid");
        let validate = t.elapsed();
        let t = Instant::now();
        let tables = cookie_policy_codegen::lookup_tables(&policy).expect("not too many");
        let index = t.elapsed();
        let t = Instant::now();
        let tokens = cookie_policy_codegen::tokens("p.toml", &text).expect("valid");
        let all = t.elapsed();
        println!(
            "{n}: toml parse {parse:?}, parse and validate {validate:?}, index {index:?} ({} slots), whole expansion {all:?} ({} bytes of tokens)",
            tables.exact.len(),
            tokens.to_string().len()
        );
    }
}
