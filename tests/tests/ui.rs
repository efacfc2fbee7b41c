//! Every mistake a user can make in `policy.toml` or in the attribute is a
//! compile error that says what to fix: one case per mistake in `tests/ui/`,
//! with the compiler's output beside it in a `.stderr` file.
//!
//! Update the snapshots after a deliberate change of a message with
//! `TRYBUILD=overwrite cargo test -p cookie-policy-tests --test ui`.

#[test]
fn ui() {
    // trybuild builds the cases in a crate of its own under `target/`, so the
    // derive must look for their policy files here instead.
    // SAFETY: this test binary runs this one test, so no other thread reads
    // the environment while it is written.
    unsafe {
        std::env::set_var("COOKIE_POLICY_MANIFEST_DIR", env!("CARGO_MANIFEST_DIR"));
    }
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}
