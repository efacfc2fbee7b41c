//! Integration tests of `cookie-policy` live in `tests/`. This library
//! makes the Rust examples of the README and of the guides doc tests, so the
//! documentation cannot drift from the code, and holds the tests' helpers.

/// [`cookie_policy_codegen::policy`], with each error as the compiler
/// prints it.
pub fn check(path: &str, text: &str) -> Result<cookie_policy_codegen::Policy, Vec<String>> {
    cookie_policy_codegen::policy(path, text)
        .map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

#[doc = include_str!("../../README.md")]
pub mod readme {}

#[doc = include_str!("../../docs/policy-format.md")]
pub mod policy_format {}

#[doc = include_str!("../../docs/consent.md")]
pub mod consent {}

#[doc = include_str!("../../docs/publishing.md")]
pub mod publishing {}
