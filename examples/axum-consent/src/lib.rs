//! The demo site: the platform's cookies and a Matomo cookie, served by axum
//! behind `cookie_policy::layer::ConsentLayer`. `main.rs` serves it on
//! 127.0.0.1:3000; the end-to-end tests and the layer benchmark serve the
//! very same router.

pub mod app;

use cookie_policy::CookiePolicy;

/// The demo site's policy, compiled from this crate's `policy.toml`: the
/// platform's cookies and a Matomo statistical cookie, so that granting
/// consent lets something through.
#[derive(CookiePolicy)]
#[cookie_policy(path = "policy.toml")]
pub struct Site;
