//! Every mistake a user can make in `policy.toml` or in the attribute is a
//! compile error that says what to fix: one case per mistake in `tests/ui/`,
//! with the compiler's output beside it in a `.stderr` file.
//!
//! Update the snapshots after a deliberate change of a message with
//! `TRYBUILD=overwrite cargo test -p cookie-policy-ui-tests --test ui`.

use std::path::Path;

#[test]
fn ui() {
    link_fixtures_into_trybuild_crate();
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
}

/// trybuild compiles the cases in a crate it generates at
/// `<target>/tests/trybuild/<this package>/`, and the derive reads policy
/// paths relative to that crate's manifest directory. As askama's tests do
/// with their templates, link this crate's `ui/` there, so that the cases'
/// `path = "ui/<case>.toml"` resolves to the fixtures beside them.
fn link_fixtures_into_trybuild_crate() {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target>/tmp");
    let project = target.join("tests/trybuild").join(env!("CARGO_PKG_NAME"));
    std::fs::create_dir_all(&project).expect("create trybuild's crate directory");
    let link = project.join("ui");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    if std::fs::read_link(&link).ok().as_deref() != Some(fixtures.as_path()) {
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&fixtures, &link).expect("link ui/ into trybuild's crate");
    }
}
