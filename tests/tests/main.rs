//! The integration tests of `cookie-policy`, as one test executable: each
//! file beside this one is a module, so a test is named after its file
//! (`banner::the_banner_the_server_and_the_cookie_jar_agree`), and the
//! dependencies are linked once rather than once per file.
//!
//! Tests that need Chromium or PostgreSQL are `#[ignore]`d, with what they
//! need as the reason; `cargo test --workspace -- --include-ignored` (what
//! `.ci/run` runs) runs them, and there a missing tool is a failure.

mod api;
mod axum_consent;
mod banner;
mod browser;
mod consent;
mod consent_log;
mod consent_mode;
mod diagnostics;
mod differential;
mod docs;
mod enforce;
mod external_crate;
mod gpc;
mod layer_placement;
mod limits;
mod local_server;
mod one_table;
mod properties;
mod publish;
mod reserved_names;
mod set_cookie_rfc;
mod signals;
