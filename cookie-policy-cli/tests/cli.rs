//! The `cookie-policy` binary, run as a user runs it: exit codes, messages,
//! and the derive's diagnostics as rustc printed them.

#![allow(clippy::panic, reason = "a failed test panics")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Runs `cookie-policy` with `args` in `dir`.
fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookie-policy"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|error| panic!("cannot run cookie-policy: {error}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The lines of `text`, trimmed, blank ones dropped: rustc indents the
/// derive's message under its own `error:` line.
fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
}

#[test]
fn help_lists_every_command_and_exits_0() {
    let output = run(&workspace(), &["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = text(&output.stdout);
    assert!(help.contains("check"), "{help}");
}

#[test]
fn bad_usage_exits_2_with_a_message() {
    let output = run(&workspace(), &["frobnicate"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("unrecognized subcommand 'frobnicate'"));
}

#[test]
fn a_good_policy_checks_clean_and_exits_0() {
    let output = run(&workspace(), &["check", "cookie-policy/policy.toml"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        "cookie-policy/policy.toml: 4 cookies, 1 provider, no mistakes\n"
    );
}

#[test]
fn a_missing_policy_exits_2_and_says_what_to_give() {
    let output = run(&workspace(), &["check", "no/such/policy.toml"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with("error: cannot read the policy file `no/such/policy.toml`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: give the path of a policy.toml"),
        "{stderr}"
    );
}

/// Every policy of the compile-fail tests: `check` exits 1 and prints the
/// message rustc printed for the derive (trybuild's recorded `.stderr`),
/// line for line.
#[test]
fn check_prints_what_the_derive_prints() {
    let tests = workspace().join("tests");
    let mut checked = 0;
    for entry in std::fs::read_dir(tests.join("ui")).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let Ok(recorded) = std::fs::read_to_string(path.with_extension("stderr")) else {
            continue;
        };
        // The derive's messages: each `error:` block up to rustc's pointer
        // at the Rust attribute (` --> ui/<test>.rs`).
        let rust_file = format!("--> ui/{stem}.rs");
        let mut expected: Vec<&str> = Vec::new();
        let mut in_block = true;
        for line in lines(&recorded) {
            if line.starts_with("error") {
                in_block = true;
            }
            if line.starts_with(&rust_file) {
                in_block = false;
            }
            if in_block {
                expected.push(line);
            }
        }
        let relative = format!("ui/{stem}.toml");
        let output = run(&tests, &["check", &relative]);
        let stderr = text(&output.stderr);
        if !recorded.contains(&format!("--> {relative}")) {
            // The mistake is in the Rust code, not in the policy.
            assert_eq!(output.status.code(), Some(0), "{stem}: {stderr}");
            continue;
        }
        assert_eq!(output.status.code(), Some(1), "{stem}: {stderr}");
        let printed = lines(&stderr);
        for line in &expected {
            assert!(
                printed.contains(line),
                "{stem}: rustc printed `{line}`, check did not:\n{stderr}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} policies compared");
}

/// The README's example output is what the command prints.
#[test]
fn the_readme_shows_real_output() {
    let readme = std::fs::read_to_string(workspace().join("README.md"))
        .unwrap_or_else(|error| panic!("README.md: {error}"));
    let after = readme
        .split_once("On a policy with a mistake it prints what")
        .map(|(_, after)| after)
        .unwrap_or_else(|| panic!("the README's CLI example is gone"));
    let shown = after
        .split_once("```text\n")
        .and_then(|(_, block)| block.split_once("```"))
        .map(|(block, _)| block)
        .unwrap_or_else(|| panic!("no text block after the CLI example"));
    let output = run(&workspace(), &["check", "tests/ui/duplicate_cookie.toml"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stderr), shown);
}

/// `render`'s bad input: each is exit 2 with what to do.
#[test]
fn render_refuses_bad_input_with_exit_2() {
    let root = workspace();
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "render",
                "cookie-policy/policy.toml",
                "--format",
                "markdown",
                "--lang",
                "de",
            ],
            "error: cannot render cookie-policy/policy.toml: pages are written in `en` and `fr`, not `de`; ask for one of those",
        ),
        (
            &[
                "render",
                "tests/ui/duplicate_cookie.toml",
                "--format",
                "json",
            ],
            "error: duplicate cookie `sessionid`",
        ),
        (
            &["render", "cookie-policy/policy.toml", "--format", "pdf"],
            "error: invalid value 'pdf' for '--format <FORMAT>'",
        ),
        (
            &[
                "render",
                "cookie-policy/policy.toml",
                "--format",
                "json",
                "-o",
                "no/such/dir/x.json",
            ],
            "error: cannot write `no/such/dir/x.json`",
        ),
    ];
    for (args, expected) in cases {
        let output = run(&root, args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
        assert_eq!(text(&output.stdout), "", "{args:?}");
    }
}
