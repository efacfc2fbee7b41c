//! Integration tests of `cookie-policy` live in `tests/`. This library only
//! makes the Rust examples of the README and of the guide doc tests, so the
//! documentation cannot drift from the code.

#[doc = include_str!("../../README.md")]
pub mod readme {}

#[doc = include_str!("../../docs/policy-format.md")]
pub mod policy_format {}

#[doc = include_str!("../../docs/consent.md")]
pub mod consent {}

#[doc = include_str!("../../docs/publishing.md")]
pub mod publishing {}
