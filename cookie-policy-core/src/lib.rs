//! The vocabulary that `cookie-policy` and the compiler behind its derive
//! share, each defined once:
//!
//! - [`Category`], [`Party`], [`Lifetime`] and how `policy.toml` writes them;
//! - the cookie-name rules ([`name_problem`], [`constant_name`],
//!   [`RESERVED_NAMES`]);
//! - the [`encoding`] between generated code and `cookie_policy::Cookie`;
//! - the name [`hash`] that lookup tables are built with at compile time and
//!   probed with at run time;
//! - the policy [`Table`] and its [`Wording`]: the rows, headers and category
//!   texts that rustdoc and the published pages both show;
//! - the browser and tag [`Signals`] a policy answers: [`Gpc`] and Google
//!   Consent Mode's [`ConsentModeKey`]s.
//!
//! It exists so that each of these is defined once: the derive's compiler
//! cannot depend on `cookie-policy`, which depends on the derive. Depend on
//! `cookie-policy`, which re-exports everything here.
#![forbid(unsafe_code)]

mod banner;
mod category;
pub mod encoding;
mod hash;
mod identity;
mod lifetime;
mod markdown;
mod names;
#[cfg(feature = "serde")]
mod serde;
mod signals;
mod suggest;
mod table;
mod wording;

pub use banner::BannerText;
pub use category::{Category, ParseCategoryError, ParsePartyError, Party};
pub use hash::{
    LONG_PREFIX, MAX_COOKIES, SLOT_INDEX_BITS, hash, keys_equal, long_prefix_bucket, prefix_bucket,
    tag,
};
pub use identity::{Language, ParseLanguageError, ParseRevisionError, Revision};
pub use lifetime::{LIFETIME_FORMAT, Lifetime, ParseLifetimeError, TimeUnit};
pub use markdown::{markdown_cell, markdown_code};
pub use names::{RESERVED_NAMES, constant_name, is_constant_name, name_problem};
pub use signals::{
    ConsentModeKey, ConsentModeSettings, Gpc, IsoDate, ParseConsentModeKeyError, ParseGpcError,
    ParseIsoDateError, Signals, is_region_code,
};
pub use suggest::closest;
pub use table::{Row, Section, Table, TableCookie};
pub use wording::Wording;
