//! The compiler behind `#[derive(CookiePolicy)]`.
//!
//! A proc-macro crate can export nothing but its macros, so the work lives
//! here, as plain functions that tests, benchmarks and fuzzers call without a
//! compiler in the loop; `cookie-policy-derive` only forwards to [`derive()`].
//!
//! The pipeline, one module a step:
//!
//! | step | module | in | out |
//! |---|---|---|---|
//! | read the macro's arguments | [`attr`] | `#[cookie_policy(path = ..)]` | the file's path |
//! | parse | [`ast`] | TOML text | spanned tables, shape errors |
//! | validate | [`validate`] | spanned tables | a [`model::Policy`], semantic errors |
//! | index | [`index`] | the cookies | hash tables for `lookup` |
//! | expand | [`expand`], [`doc_table`] | the policy | Rust tokens with rustdoc |
//! | on error | [`diagnostic`], [`fallback`] | diagnostics | `compile_error!`s and an empty impl |
//!
//! ```
//! let policy = cookie_policy_codegen::check(
//!     "policy.toml",
//!     r#"
//!         [site]
//!         name = "Example"
//!
//!         [[provider]]
//!         id = "example"
//!         name = "Example Ltd"
//!
//!         [[cookie]]
//!         name = "session"
//!         provider = "exmaple"
//!         function = "Authentication"
//!         purpose = "To keep the visitor signed in"
//!         category = "necessary"
//!     "#,
//! );
//! let errors = policy.unwrap_err();
//! assert_eq!(errors[0].lines().take(2).collect::<Vec<_>>(), ["unknown provider `exmaple`", "  --> policy.toml:11:20"]);
//! assert!(errors[0].contains("did you mean `example`?"));
//! ```
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented
    )
)]

pub mod ast;
pub mod attr;
pub mod diagnostic;
pub mod doc_table;
pub mod expand;
pub mod fallback;
pub mod index;
pub mod lifetime;
pub mod model;
pub mod names;
pub mod source;
mod suggest;
pub mod validate;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote_spanned;
use syn::DeriveInput;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Policy;
use crate::source::Source;

/// Parses and validates a policy file. `path` is only used in messages.
///
/// On error, every mistake found in the file, sorted by position.
pub fn compile(path: &str, text: &str) -> Result<Policy, Vec<Diagnostic>> {
    let source = Source::new(path, text);
    let mut diagnostics = Diagnostics::default();
    let document = ast::parse(text, &mut diagnostics);
    match validate::validate(document, &source, &mut diagnostics) {
        Some(policy) if diagnostics.is_empty() => Ok(policy),
        _ => Err(diagnostics.into_sorted()),
    }
}

/// [`compile`], with each mistake rendered as the compiler shows it.
pub fn check(path: &str, text: &str) -> Result<Policy, Vec<String>> {
    compile(path, text).map_err(|diagnostics| {
        let source = Source::new(path, text);
        diagnostics.iter().map(|d| d.render(&source)).collect()
    })
}

/// The expansion of `#[derive(CookiePolicy)] struct Policy;` for a policy
/// file's text, without touching the file system: what benchmarks and fuzzers
/// call. On error, the rendered diagnostics.
///
/// ```
/// let tokens = cookie_policy_codegen::expand_text(
///     "policy.toml",
///     "[site]\nname = \"Example\"\n",
/// )
/// .unwrap();
/// assert!(tokens.to_string().contains("impl :: cookie_policy :: CookiePolicy for Policy"));
/// ```
pub fn expand_text(file: &str, text: &str) -> Result<TokenStream, Vec<String>> {
    let input: DeriveInput = syn::parse_quote!(
        struct Policy;
    );
    let krate: syn::Path = syn::parse_quote!(::cookie_policy);
    let policy = check(file, text)?;
    let index = index::build(&policy.cookies).ok_or_else(|| vec![too_many(file, &policy)])?;
    let target = expand::Target {
        input: &input,
        krate: &krate,
        file,
        include_path: None,
    };
    Ok(expand::expand(&policy, &index, &target))
}

fn too_many(file: &str, policy: &Policy) -> String {
    format!(
        "`{file}` declares {} cookies, more than a policy can hold ({}); split it",
        policy.cookies.len(),
        cookie_policy_core::MAX_COOKIES
    )
}

/// The largest policy file the derive reads: 16 MiB, a hundred times the
/// Open Cookie Database. Larger files are refused before they are read.
pub const MAX_POLICY_BYTES: u64 = 16 * 1024 * 1024;

/// The whole derive: reads the attribute, then the policy file from the first
/// of `search_dirs` that has it (the crate's manifest directory, in practice),
/// and returns the implementation, or `compile_error!`s that say what to fix.
/// Never panics.
pub fn derive(input: TokenStream, search_dirs: &[PathBuf]) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    let attributes = match attr::parse(&input) {
        Ok(attributes) => attributes,
        Err(error) => {
            let krate = syn::parse_quote!(::cookie_policy);
            return fallback::fallback(&input, &krate, error.to_compile_error());
        }
    };
    let krate = &attributes.krate;
    let file = attributes.path.value();
    let span = attributes.path.span();
    let fail = |messages: Vec<String>| {
        let errors = messages
            .iter()
            .map(|message| quote_spanned!(span=> ::core::compile_error! { #message }));
        fallback::fallback(&input, krate, errors.collect())
    };
    let mut candidates = search_dirs.iter().map(|dir| dir.join(&file));
    let first = candidates.next().unwrap_or_else(|| PathBuf::from(&file));
    let full_path = core::iter::once(first.clone())
        .chain(candidates)
        .find(|path| path.is_file())
        .unwrap_or(first);
    if let Ok(metadata) = std::fs::metadata(&full_path)
        && metadata.len() > MAX_POLICY_BYTES
    {
        return fail(vec![format!(
            "the policy file `{file}` is {} bytes; a policy file may hold at most {MAX_POLICY_BYTES}\n  = help: split the policy, or remove what it does not need",
            metadata.len()
        )]);
    }
    let bytes = match std::fs::read(&full_path) {
        Ok(bytes) => bytes,
        Err(error) => {
            return fail(vec![format!(
                "cannot read the policy file `{file}`: {error}\n  = note: the path is relative to the directory of the crate's Cargo.toml (CARGO_MANIFEST_DIR); this looked for `{file}` there"
            )]);
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let offset = error.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(error.as_bytes());
            let source = Source::new(&file, &text);
            let diagnostic =
                Diagnostic::new("the policy file is not valid UTF-8", offset..offset + 1)
                    .help("save the file as UTF-8");
            return fail(vec![diagnostic.render(&source)]);
        }
    };
    let policy = match check(&file, &text) {
        Ok(policy) => policy,
        Err(messages) => return fail(messages),
    };
    let Some(index) = index::build(&policy.cookies) else {
        return fail(vec![too_many(&file, &policy)]);
    };
    let include_path = full_path.to_str();
    expand::expand(
        &policy,
        &index,
        &expand::Target {
            input: &input,
            krate,
            file: &file,
            include_path,
        },
    )
}
