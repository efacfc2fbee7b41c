//! `#[derive(CookiePolicy)]`. Depend on `cookie-policy`, which re-exports it
//! and documents it; the compiler itself is `cookie-policy-codegen`.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use proc_macro::TokenStream;

/// Compiles the TOML file named by `#[cookie_policy(path = "...")]` into an
/// implementation of `cookie_policy::CookiePolicy`. See the `cookie-policy`
/// crate.
#[proc_macro_derive(CookiePolicy, attributes(cookie_policy))]
pub fn derive_cookie_policy(input: TokenStream) -> TokenStream {
    cookie_policy_codegen::derive(input.into(), &manifest_dir()).into()
}

/// Where policy paths are relative to: the crate's manifest directory.
///
/// `COOKIE_POLICY_MANIFEST_DIR` overrides it for harnesses that build a test
/// crate elsewhere, such as trybuild (its own `CARGO_MANIFEST_DIR` is a
/// generated directory under `target/`).
fn manifest_dir() -> PathBuf {
    std::env::var_os("COOKIE_POLICY_MANIFEST_DIR")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .unwrap_or_default()
}
