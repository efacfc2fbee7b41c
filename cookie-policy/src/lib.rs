//! A website's cookie policy as a checked part of its code.
//!
//! A site declares every cookie it sets in a TOML file, `policy.toml`: who
//! provides it, its function and where it is used, its name, its purpose, its
//! category and lifetime. `#[derive(CookiePolicy)]` reads that file at compile
//! time and turns it into typed constants, a lookup function and the policy
//! table in rustdoc:
//!
//! ```
//! use cookie_policy::{Category, CookiePolicy};
//!
//! /// The cookie policy of my site.
//! #[derive(CookiePolicy)]
//! #[cookie_policy(path = "policy.toml")] // relative to the crate's Cargo.toml
//! pub struct Site;
//!
//! let session = Site::SESSIONID; // one constant per cookie
//! assert_eq!(session.name(), "sessionid");
//! assert_eq!(session.category(), Category::Necessary);
//! assert_eq!(session.provider().name(), "Opendatasoft");
//! assert!(!session.requires_consent());
//! assert_eq!(Site::lookup("sessionid"), Some(Site::SESSIONID));
//! assert_eq!(Site::lookup("_ga"), None); // not declared
//! ```
//!
//! A mistake in the file (a typo in a category, a duplicate name, an unknown
//! provider...) is a compile error that quotes the TOML line. A cookie removed
//! from the file breaks the build wherever code still names its constant.
//!
//! The format of `policy.toml` and the generated API are described in the
//! guide, `docs/policy-format.md` in the repository. The platform's own
//! policy is compiled into [`Platform`].
//!
//! # What the derive generates
//!
//! For `#[derive(CookiePolicy)] struct Site;` it generates, once:
//!
//! - a static table of [`Cookie`]s, one of [`Provider`]s, and the [`SiteInfo`];
//! - `impl CookiePolicy for Site`, whose [`lookup`](CookiePolicy::lookup) uses a
//!   hash index built at compile time;
//! - `impl Site { pub const SESSIONID: &'static Cookie = ...; ... }`: one
//!   constant per cookie, named after it (`django_language` becomes
//!   `DJANGO_LANGUAGE`, `_ga_*` becomes `GA_PREFIX`; `const = "..."` in the
//!   TOML chooses another name), with the policy tables as the `impl` block's
//!   documentation.
//!
//! It also includes the file's bytes in the build, so editing `policy.toml`
//! recompiles the crate.
//!
//! # Consent, enforcement and publishing
//!
//! - [`Consent`] is the visitor's choice and [`CookiePolicy::permits`] the
//!   verdict on one cookie; [`Consent::to_cookie_value`] and
//!   [`Consent::from_cookie_value`] store it in the consent cookie, stamped
//!   with the policy's [`REVISION`](CookiePolicy::REVISION).
//! - [`publish`] renders the policy page (Markdown, HTML) and exports (JSON,
//!   IAB TCF disclosures, CookieConsent) in English or French.
//! - `enforce` (feature `http`) keeps undeclared and unconsented cookies out
//!   of responses, and `layer` (feature `tower`) does it for every response
//!   of a tower or axum service.
//!
//! | feature | adds | dependencies |
//! |---|---|---|
//! | (none) | everything above but what follows | the derive, `thiserror` |
//! | `http` | `enforce`, [`BannerConsent`] | `http`, `serde`, `serde_json` |
//! | `tower` | `layer` (and `http`) | `tower-layer`, `tower-service`, `pin-project-lite`, `tracing` |
//! | `html` | `publish::html` | `html-escape` |
//! | `serde` | `publish::{json, tcf_disclosures, cookieconsent_config}`, `Serialize` | `serde`, `serde_json` |
//! | `consent-log` | `consent_log`: records of each decision, the `POST /consent` endpoint (and `tower`, `serde`) | `sha2`, `http-body`, `http-body-util`, `tokio` (sync) |
//! | `sqlite` | `consent_log::sqlite`: the log in an embedded SQLite file | `rusqlite` (bundled SQLite) |
//! | `postgres` | `consent_log::postgres`: the log in PostgreSQL, through the application's pool | `tokio-postgres`, `deadpool-postgres` |
#![forbid(unsafe_code)]

// The derive's expansion names `::cookie_policy`, also inside this crate.
extern crate self as cookie_policy;

#[cfg(feature = "http")]
#[allow(dead_code, reason = "ported whole from Chromium; tests use all of it")]
mod chromium_expiry;
mod consent;
mod cookie;
mod data;
mod index;
#[cfg(feature = "load")]
mod load;
mod platform;
mod policy;
#[cfg(feature = "http")]
mod set_cookie;
mod site;
mod text;

#[cfg(feature = "http")]
pub mod enforce;
#[cfg(feature = "http")]
pub mod gpc;
#[cfg(feature = "tower")]
pub mod layer;
pub mod publish;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

#[cfg(feature = "http")]
pub use consent::BannerConsent;
pub use consent::{Consent, ConsentError, Verdict};
pub use cookie::Cookie;
pub use cookie_policy_core::{
    BannerText, Category, ConsentModeKey, ConsentModeSettings, Gpc, IsoDate, Language, Lifetime,
    ParseCategoryError, ParseConsentModeKeyError, ParseGpcError, ParseIsoDateError,
    ParseLanguageError, ParseRevisionError, Party, Revision, Signals, TimeUnit,
};
pub use data::{DEFAULT_CONSENT_LIFETIME, PolicyData};
#[cfg(feature = "load")]
pub use load::{LoadError, PolicyFileError};
pub use platform::Platform;
pub use policy::CookiePolicy;
pub use site::{Provider, SiteInfo};
pub use text::Text;

/// Compiles a `policy.toml` into an implementation of [`CookiePolicy`].
///
/// ```
/// use cookie_policy::CookiePolicy;
///
/// #[derive(CookiePolicy)]
/// #[cookie_policy(path = "policy.toml")]
/// struct Site;
/// # assert_eq!(Site::COOKIES.len(), 4);
/// ```
///
/// The path is relative to the directory of the crate's `Cargo.toml`
/// (`CARGO_MANIFEST_DIR`). See the crate documentation for what is generated.
pub use cookie_policy_derive::CookiePolicy;
