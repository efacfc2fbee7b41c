//! The `cookie-policy` command's tests, as one test executable: each file
//! beside this one is a module (`cli::...`, `render::...`, `audit::...`,
//! `django::...`, `serve::...`); `common` holds what they share.
//!
//! The audits in Chromium are `#[ignore]`d, as are the PostgreSQL half of
//! the consent log's tests and the tests against Django (`python3 -m
//! django`); `cargo test --workspace -- --include-ignored` (what `.ci/run`
//! runs) runs them.

mod audit;
mod cli;
mod common;
mod django;
mod render;
mod sarif;
mod serve;
