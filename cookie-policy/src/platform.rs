//! The platform's own policy, compiled from the workspace's `policy.toml`.

use crate::CookiePolicy;

/// The cookie policy of Opendatasoft's documentation-resources platform.
///
/// Compiled from `policy.toml`: four necessary, first-party cookies that need
/// no consent. Its generated constants and the policy table are below.
///
/// ```
/// use cookie_policy::{CookiePolicy, Platform};
///
/// assert_eq!(Platform::COOKIES.len(), 4);
/// assert!(Platform::COOKIES.iter().all(|cookie| !cookie.requires_consent()));
/// assert_eq!(Platform::DJANGO_LANGUAGE.lifetime().unwrap().to_string(), "12 months");
/// ```
#[derive(CookiePolicy, Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cookie_policy(path = "policy.toml")]
pub struct Platform;
