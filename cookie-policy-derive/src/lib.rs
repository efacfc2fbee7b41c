//! `#[derive(CookiePolicy)]`. Depend on `cookie-policy`, which re-exports it
//! and documents it; the compiler itself is `cookie-policy-codegen`.
#![forbid(unsafe_code)]

use std::path::PathBuf;

use proc_macro::TokenStream;

/// Compiles the TOML file named by `#[cookie_policy(path = "...")]` into an
/// implementation of `cookie_policy::CookiePolicy`. See the `cookie-policy`
/// crate.
///
/// The path is relative to the crate's manifest directory,
/// `CARGO_MANIFEST_DIR`: the one environment variable the derive reads.
#[proc_macro_derive(CookiePolicy, attributes(cookie_policy))]
pub fn derive_cookie_policy(input: TokenStream) -> TokenStream {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    cookie_policy_codegen::derive(input.into(), manifest_dir.as_deref()).into()
}
