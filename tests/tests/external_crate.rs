//! A crate outside the workspace depends on `cookie-policy` by path, compiles
//! its own policy, rebuilds when the policy changes, and stops building when
//! a cookie it uses is removed from the policy.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cargo(crate_dir: &Path, target_dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(crate_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .output()
        .expect("cargo runs")
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "cargo failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A copy of `tests/external-crate` whose dependency path is absolute.
fn copy_of_external_crate(tests_dir: &Path, workspace: &Path) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cookie-policy-external-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = fs::read_to_string(tests_dir.join("external-crate/Cargo.toml")).unwrap();
    let library = workspace.join("cookie-policy");
    let manifest = manifest.replace(
        "path = \"../../cookie-policy\"",
        &format!("path = {:?}", library.to_str().unwrap()),
    );
    assert!(manifest.contains(library.to_str().unwrap()));
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    fs::copy(
        tests_dir.join("external-crate/src/main.rs"),
        dir.join("src/main.rs"),
    )
    .unwrap();
    fs::copy(
        tests_dir.join("fixtures/shop.toml"),
        dir.join("policy.toml"),
    )
    .unwrap();
    // The workspace's lock file pins the same dependency versions.
    fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    dir
}

#[test]
fn an_outside_crate_compiles_its_policy_and_rebuilds_when_it_changes() {
    let tests_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = tests_dir.parent().unwrap();
    let target_dir = workspace.join("target/external-crate");
    let dir = copy_of_external_crate(tests_dir, workspace);

    let first = stdout(&cargo(&dir, &target_dir, &["run", "--quiet"]));
    assert_eq!(
        first,
        "cookies: 25\nsession: sessionid necessary\n_ga_XYZ: _ga_*\nstatistical: 8\nneeds consent: 13\n"
    );

    // Editing the policy alone is enough for cargo to rebuild.
    let policy = dir.join("policy.toml");
    let mut text = fs::read_to_string(&policy).unwrap();
    text.push_str(
        "\n[[cookie]]\nname = \"_clck\"\nprovider = \"shop\"\nfunction = \"Clarity\"\npurpose = \"Analytics\"\ncategory = \"statistical\"\n",
    );
    fs::write(&policy, &text).unwrap();
    let second = stdout(&cargo(&dir, &target_dir, &["run", "--quiet"]));
    assert_eq!(
        second,
        "cookies: 26\nsession: sessionid necessary\n_ga_XYZ: _ga_*\nstatistical: 9\nneeds consent: 14\n"
    );

    // Removing a cookie the code uses breaks the build, at the use.
    let start = text.find("[[cookie]]\nname = \"sessionid\"").unwrap();
    let end = start + text[start + 1..].find("[[cookie]]").unwrap() + 1;
    text.replace_range(start..end, "");
    fs::write(&policy, &text).unwrap();
    let third = cargo(&dir, &target_dir, &["build", "--quiet"]);
    assert!(!third.status.success());
    let stderr = String::from_utf8_lossy(&third.stderr);
    assert!(
        stderr.contains("no associated item named `SESSIONID` found for struct `Shop`"),
        "{stderr}"
    );

    let _ = fs::remove_dir_all(&dir);
}
