//! The compiler behind `#[derive(CookiePolicy)]`.
//!
//! A proc-macro crate can export nothing but its macros, so the work lives
//! here, as plain functions that tests, benchmarks and fuzzers call without a
//! compiler in the loop; `cookie-policy-derive` only forwards to [`derive()`].
//!
//! Four entry points, each named for what it returns:
//!
//! | function | returns | for |
//! |---|---|---|
//! | [`policy`] | the validated [`Policy`], or every [`Error`] in the file | the `cookie-policy` command, tests, the benches' build script |
//! | [`tokens`] | the derive's expansion for a policy text | benchmarks and fuzzers |
//! | [`lookup_tables`] | the lookup index the expansion embeds | the property test that probes it against a scan |
//! | [`derive()`] | the expansion of `#[derive(CookiePolicy)]`, or `compile_error!`s | `cookie-policy-derive` |
//!
//! Inside, one private module a step: `attr` reads the attribute, `ast`
//! parses TOML into spanned tables, `validate` checks them into a
//! [`Policy`], `index` builds the lookup tables, `expand` and `doc_table`
//! write the tokens and their rustdoc, `diagnostic` and `fallback` report
//! errors. `docs/design.md` has the whole picture.
//!
//! ```
//! let errors = cookie_policy_codegen::policy(
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
//! )
//! .unwrap_err();
//! assert_eq!(errors[0].message(), "unknown provider `exmaple`");
//! assert_eq!((errors[0].line(), errors[0].column()), (11, 20));
//! assert!(errors[0].to_string().contains("did you mean `example`?"));
//! ```
#![forbid(unsafe_code)]

mod ast;
mod attr;
mod diagnostic;
mod doc_table;
mod error;
mod expand;
mod fallback;
mod index;
mod model;
mod source;
mod validate;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote_spanned;
use syn::DeriveInput;

pub use crate::error::Error;
pub use crate::index::LookupTables;
pub use crate::model::{Codes, Cookie, Policy, Provider, Signals, Site, Text};
pub use cookie_policy_core::{Category, ConsentModeKey, Gpc, IsoDate, Lifetime, Party, TimeUnit};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::Source;

/// Parses and validates the text of a policy file. `path` is only used in
/// messages.
///
/// On error, every mistake found in the file, sorted by position, each one
/// displayed as the compiler shows it.
pub fn policy(path: &str, text: &str) -> Result<Policy, Vec<Error>> {
    let source = Source::new(path, text);
    let mut diagnostics = Diagnostics::default();
    let document = ast::parse(text, &mut diagnostics);
    match validate::validate(document, &source, &mut diagnostics) {
        Some(policy) if diagnostics.is_empty() => Ok(policy),
        _ => Err(diagnostics
            .into_sorted()
            .iter()
            .map(|diagnostic| Error::new(diagnostic, &source))
            .collect()),
    }
}

/// The text of a policy file from its bytes, checked as the derive checks
/// it before parsing: at most [`MAX_POLICY_BYTES`], and UTF-8 (the error
/// points at the first byte that is not). `path` is only used in messages.
/// Tools that read policy files call this, then [`policy`].
///
/// ```
/// let bytes = b"name = \"caf\xe9\"".to_vec();
/// let error = cookie_policy_codegen::policy_text("policy.toml", bytes).unwrap_err();
/// assert_eq!(error.message(), "the policy file is not valid UTF-8");
/// assert_eq!((error.line(), error.column()), (1, 12));
/// ```
pub fn policy_text(path: &str, bytes: Vec<u8>) -> Result<String, Error> {
    if bytes.len() as u64 > MAX_POLICY_BYTES {
        return Err(too_big(path, bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|error| {
        let offset = error.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(error.as_bytes());
        let source = Source::new(path, &text);
        let diagnostic = Diagnostic::new("the policy file is not valid UTF-8", offset..offset + 1)
            .help("save the file as UTF-8");
        Error::new(&diagnostic, &source)
    })
}

/// The text of the policy file at `path`, read as the derive reads it: a
/// file over [`MAX_POLICY_BYTES`] is refused by its size, before any of it
/// is read (and one that grows while it is read is read one byte past the
/// limit, and refused); then [`policy_text`]. `shown` names the file in
/// messages. The outer error is the file system's (the file cannot be
/// opened or read), for the caller to word; the inner one is the file's
/// mistake.
///
/// ```
/// let path = std::env::temp_dir().join(format!("huge-policy-{}.toml", std::process::id()));
/// // A sparse file: 64 GiB that take no room, and that reading would exhaust memory on.
/// std::fs::File::create(&path)?.set_len(64 << 30)?;
/// let refused = cookie_policy_codegen::read_policy_file(&path, "policy.toml")?.unwrap_err();
/// std::fs::remove_file(&path)?;
/// assert!(refused.message().starts_with("the policy file `policy.toml` is 68719476736 bytes"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_policy_file(path: &Path, shown: &str) -> std::io::Result<Result<String, Error>> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let length = file.metadata()?.len();
    if length > MAX_POLICY_BYTES {
        return Ok(Err(too_big(shown, length)));
    }
    let mut bytes = Vec::new();
    file.take(MAX_POLICY_BYTES + 1).read_to_end(&mut bytes)?;
    Ok(policy_text(shown, bytes))
}

/// The mistake of a policy file of `length` bytes, over [`MAX_POLICY_BYTES`].
fn too_big(shown: &str, length: u64) -> Error {
    Error::whole_file(format!(
        "the policy file `{shown}` is {length} bytes; a policy file may hold at most {MAX_POLICY_BYTES}\n  = help: split the policy, or remove what it does not need"
    ))
}

/// The lookup tables the expansion of `policy` embeds. `None` when the
/// policy declares more cookies than a policy can hold.
pub fn lookup_tables(policy: &Policy) -> Option<LookupTables> {
    index::build(&policy.cookies)
}

/// The expansion of `#[derive(CookiePolicy)] struct Policy;` for the text of
/// a policy file, without touching the file system: what benchmarks and
/// fuzzers call.
///
/// ```
/// let tokens = cookie_policy_codegen::tokens(
///     "policy.toml",
///     "[site]\nname = \"Example\"\n",
/// )
/// .unwrap();
/// assert!(tokens.to_string().contains("impl :: cookie_policy :: CookiePolicy for Policy"));
/// ```
pub fn tokens(path: &str, text: &str) -> Result<TokenStream, Vec<Error>> {
    let input: DeriveInput = syn::parse_quote!(
        struct Policy;
    );
    let krate: syn::Path = syn::parse_quote!(::cookie_policy);
    let target = expand::Target {
        input: &input,
        krate: &krate,
        file: path,
        include_path: None,
    };
    pipeline(path, text, &target)
}

/// The one pipeline of [`tokens`] and [`derive`]: validate, index, expand.
fn pipeline(
    path: &str,
    text: &str,
    target: &expand::Target<'_>,
) -> Result<TokenStream, Vec<Error>> {
    let policy = policy(path, text)?;
    let Some(index) = index::build(&policy.cookies) else {
        return Err(vec![Error::whole_file(format!(
            "`{path}` declares {} cookies, more than a policy can hold ({}); split it",
            policy.cookies.len(),
            cookie_policy_core::MAX_COOKIES
        ))]);
    };
    Ok(expand::expand(&policy, &index, target))
}

/// The largest policy file the derive reads: 16 MiB, a hundred times the
/// Open Cookie Database. Larger files are refused before they are read.
pub const MAX_POLICY_BYTES: u64 = 16 * 1024 * 1024;

/// The whole derive: reads the attribute, then the policy file, relative to
/// `manifest_dir` (the crate's `CARGO_MANIFEST_DIR`), and returns the
/// implementation, or `compile_error!`s that say what to fix beside an empty
/// implementation. Never panics.
pub fn derive(input: TokenStream, manifest_dir: Option<&Path>) -> TokenStream {
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
    let full_path = manifest_dir.map_or_else(|| PathBuf::from(&file), |dir| dir.join(&file));
    let text = match read_policy_file(&full_path, &file) {
        Ok(Ok(text)) => text,
        Ok(Err(error)) => return fail(vec![error.to_string()]),
        Err(error) => {
            return fail(vec![format!(
                "cannot read the policy file `{file}`: {error}\n  = note: the path is relative to the directory of the crate's Cargo.toml (CARGO_MANIFEST_DIR); this looked for `{file}` there"
            )]);
        }
    };
    let target = expand::Target {
        input: &input,
        krate,
        file: &file,
        include_path: full_path.to_str(),
    };
    match pipeline(&file, &text, &target) {
        Ok(tokens) => tokens,
        Err(errors) => fail(errors.iter().map(Error::to_string).collect()),
    }
}
