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
    cookie_policy_codegen::derive(input.into(), &search_dirs()).into()
}

/// Where policy paths are relative to: the crate's manifest directory.
///
/// When the file is not there, `COOKIE_POLICY_MANIFEST_DIR` names a second
/// directory to look in. It exists for harnesses that build a test crate
/// elsewhere, such as trybuild, whose crate's `CARGO_MANIFEST_DIR` is a
/// directory it generates under `target/`.
fn search_dirs() -> Vec<PathBuf> {
    ["CARGO_MANIFEST_DIR", "COOKIE_POLICY_MANIFEST_DIR"]
        .into_iter()
        .filter_map(std::env::var_os)
        .map(PathBuf::from)
        .collect()
}
