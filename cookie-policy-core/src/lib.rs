//! The vocabulary that `cookie-policy` and the compiler behind its derive
//! share: [`Category`], [`Party`], [`Lifetime`] and the name [`hash`] that
//! lookup tables are built with at compile time and probed with at run time.
//!
//! It exists so that each of these is defined once: the derive's compiler
//! cannot depend on `cookie-policy`, which depends on the derive. Depend on
//! `cookie-policy`, which re-exports everything here.
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

mod category;
mod hash;
mod lifetime;
mod markdown;
#[cfg(feature = "serde")]
mod serde;

pub use category::{Category, ParseCategoryError, Party};
pub use hash::{
    LONG_PREFIX, MAX_COOKIES, SLOT_INDEX_BITS, hash, keys_equal, long_prefix_bucket, prefix_bucket,
    tag,
};
pub use lifetime::{Lifetime, TimeUnit};
pub use markdown::{markdown_cell, markdown_code};
