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

/// What a browser does with one `Set-Cookie` header, by RFC 6265bis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// A session cookie.
    Session,
    /// A persistent cookie kept this many seconds.
    Seconds(u64),
    /// Nothing kept: an existing cookie of that name is deleted.
    Deletion,
}

/// 400 days, the longest a browser keeps a cookie.
pub const MAX_AGE_CAP: u64 = 400 * 86_400;

/// `Set-Cookie` headers for a cookie called `c`, what RFC 6265bis (draft 20)
/// says a browser stores, and the step that says so. The library is checked
/// against this table in `tests/tests/set_cookie_rfc.rs`, and Chromium is
/// checked against it in `tests/tests/banner.rs`.
pub const SET_COOKIE_CASES: &[(&str, Stored, &str)] = &[
    (
        "c=1",
        Stored::Session,
        "5.8.3 step 3: neither Max-Age nor Expires",
    ),
    (
        "c=1; Max-Age=3600",
        Stored::Seconds(3600),
        "5.7.2: now plus delta-seconds",
    ),
    (
        "c=1; Max-Age=0",
        Stored::Deletion,
        "5.7.2: delta-seconds <= 0 is the earliest date",
    ),
    (
        "c=1; Max-Age=-1",
        Stored::Deletion,
        "5.7.2: `-` then DIGIT is allowed",
    ),
    (
        "c=1; MAX-AGE=0",
        Stored::Deletion,
        "5.7: attribute names are case-insensitive",
    ),
    (
        "c=1;Max-Age = 0 ",
        Stored::Deletion,
        "5.7: WSP around names and values removed",
    ),
    (
        "c=1; Max-Age=0; Max-Age=3600",
        Stored::Seconds(3600),
        "5.8.3: the last Max-Age",
    ),
    (
        "c=1; Max-Age=3600; Max-Age=0",
        Stored::Deletion,
        "5.8.3: the last Max-Age",
    ),
    (
        "c=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=3600",
        Stored::Seconds(3600),
        "5.8.3: Max-Age wins over Expires",
    ),
    (
        "c=1; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        Stored::Seconds(3600),
        "5.8.3: Max-Age wins over Expires, in any order",
    ),
    (
        "c=1; Max-Age=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        Stored::Deletion,
        "5.7.2: an invalid Max-Age is ignored, so Expires decides",
    ),
    (
        "c=1; Max-Age=1e3",
        Stored::Session,
        "5.7.2: a non-DIGIT after the first character",
    ),
    (
        "c=1; Max-Age=+5",
        Stored::Session,
        "5.7.2: the first character is neither DIGIT nor `-`",
    ),
    (
        "c=1; Max-Age=0x10",
        Stored::Session,
        "5.7.2: a non-DIGIT character",
    ),
    (
        "c=1; Max-Age=",
        Stored::Session,
        "5.7.2: an empty value is ignored",
    ),
    (
        "c=1; Max-Age=99999999999",
        Stored::Seconds(MAX_AGE_CAP),
        "5.7.2: capped at 400 days",
    ),
    (
        "c=1; Expires=Wed, 09 Jun 2100 10:18:14 GMT",
        Stored::Seconds(MAX_AGE_CAP),
        "5.7.1: capped at 400 days",
    ),
    (
        "c=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        Stored::Deletion,
        "5.7.1: a past date",
    ),
    (
        "c=1; Expires=junk",
        Stored::Session,
        "5.7.1: a value that is no date is ignored",
    ),
    (
        "c=1; expires=Thu, 01-Jan-1970 00:00:01 GMT",
        Stored::Deletion,
        "5.1.1: `-` is a delimiter",
    ),
    (
        "c=1; Expires=Thu, 01 Jan 70 00:00:00 GMT",
        Stored::Deletion,
        "5.1.1: years 70-99 are 19xx",
    ),
    (
        "c=1; Expires=1 Jan 1970 00:00:00",
        Stored::Deletion,
        "5.1.1: no weekday or zone needed",
    ),
    (
        "c=1; Expires=Thu, 01 Jan 1601 00:00:00 GMT",
        Stored::Deletion,
        "5.1.1: 1601 is the earliest year",
    ),
    (
        "c=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Expires=junk",
        Stored::Deletion,
        "5.8.3: the last Expires that parsed",
    ),
    (
        "c=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        Stored::Deletion,
        "5.8.3: the last Expires",
    ),
];
