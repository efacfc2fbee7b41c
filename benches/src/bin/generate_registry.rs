//! Writes a synthetic registry of N cookies in `policy.toml`'s format, shaped
//! like the Open Cookie Database: about one entry in nine a prefix pattern,
//! names of 2 to 40 bytes, many starting with `_`, a few dozen providers.
//! Deterministic: the same N gives the same file.
//!
//! ```text
//! cargo run -p cookie-policy-benches --bin generate_registry -- 10000 > benches/fixtures/synthetic-10000.toml
//! ```

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(count) = std::env::args()
        .nth(1)
        .and_then(|n| n.parse::<usize>().ok())
    else {
        eprintln!("usage: generate_registry <number of cookies>");
        return ExitCode::from(2);
    };
    print!("{}", cookie_policy_benches::synthetic_registry(count));
    ExitCode::SUCCESS
}
