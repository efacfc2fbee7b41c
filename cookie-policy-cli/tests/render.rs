//! `cookie-policy render` loads a policy file at run time; what it writes
//! must be byte for byte what the library renders from the same file
//! compiled in by the derive. That compares the run-time loader with the
//! derive's expansion on every field a page or an export shows.

#![allow(clippy::panic, reason = "a failed test panics")]

use cookie_policy::{CookiePolicy, Platform, publish};

use crate::common::{run, workspace};

#[derive(CookiePolicy)]
#[cookie_policy(path = "../tests/fixtures/shop.toml")]
struct Shop;

#[derive(CookiePolicy)]
#[cookie_policy(path = "../tests/fixtures/banner-site.toml")]
struct BannerSite;

fn render(policy: &str, args: &[&str]) -> String {
    let output = run(&workspace(), &[&["render", policy], args].concat());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{policy} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap_or_else(|error| panic!("{error}"))
}

fn same_as_compiled<P: CookiePolicy>(file: &str) {
    let ok = |result: Result<String, publish::PublishError>| {
        result.unwrap_or_else(|error| panic!("{file}: {error}"))
    };
    for &language in P::SITE.languages() {
        let lang = ["--lang", language];
        assert_eq!(
            render(file, &[&["--format", "markdown"][..], &lang].concat()),
            ok(publish::markdown::<P>(language)),
            "{file} markdown {language}"
        );
        assert_eq!(
            render(file, &[&["--format", "html"][..], &lang].concat()),
            ok(publish::html::<P>(language)),
            "{file} html {language}"
        );
        assert_eq!(
            render(file, &[&["--format", "tcf"][..], &lang].concat()),
            ok(publish::tcf_disclosures::<P>(language)),
            "{file} tcf {language}"
        );
    }
    assert_eq!(
        render(file, &["--format", "json"]),
        publish::json::<P>(),
        "{file} json"
    );
    assert_eq!(
        render(file, &["--format", "cookieconsent"]),
        ok(publish::cookieconsent_config::<P>()),
        "{file} cookieconsent"
    );
    assert_eq!(
        render(file, &["--format", "consent-mode"]),
        publish::consent_mode_default::<P>(),
        "{file} consent-mode"
    );
    assert_eq!(
        render(file, &["--format", "gpc"]),
        cookie_policy::PolicyData::of::<P>().gpc_json(),
        "{file} gpc"
    );
}

#[derive(CookiePolicy)]
#[cookie_policy(path = "../tests/fixtures/consent-mode.toml")]
struct ConsentModeShop;

#[test]
fn a_policy_with_its_own_consent_mode_renders_as_compiled() {
    same_as_compiled::<ConsentModeShop>("tests/fixtures/consent-mode.toml");
    let snippet = render(
        "tests/fixtures/consent-mode.toml",
        &["--format", "consent-mode"],
    );
    assert!(
        snippet.contains("  \"wait_for_update\": 800,\n  \"region\": [\"FR\", \"US-CA\"],\n});\n"),
        "{snippet}"
    );
}

#[derive(CookiePolicy)]
#[cookie_policy(path = "../tests/fixtures/signals.toml")]
struct Signals;

#[test]
fn a_policy_with_signals_renders_as_compiled() {
    same_as_compiled::<Signals>("tests/fixtures/signals.toml");
}

/// `render --format gpc` against the GPC draft's own example of the
/// support resource (`{"gpc": true, "lastUpdate": "2025-04-15"}`), read by
/// serde_json rather than compared as text.
#[test]
fn the_gpc_resource_is_the_drafts() {
    let json = render("tests/fixtures/signals.toml", &["--format", "gpc"]);
    let value: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|error| panic!("{error}: {json}"));
    assert_eq!(
        value,
        serde_json::json!({ "gpc": true, "lastUpdate": "2026-11-30" })
    );
    let ignoring = render("tests/fixtures/shop.toml", &["--format", "gpc"]);
    assert_eq!(
        ignoring, "{\"gpc\":true}\n",
        "no [gpc] last_update: no lastUpdate"
    );
}

#[test]
fn the_platform_renders_as_compiled() {
    same_as_compiled::<Platform>("cookie-policy/policy.toml");
}

#[test]
fn a_25_cookie_shop_renders_as_compiled() {
    same_as_compiled::<Shop>("tests/fixtures/shop.toml");
}

#[test]
fn a_policy_with_banner_texts_renders_as_compiled() {
    same_as_compiled::<BannerSite>("tests/fixtures/banner-site.toml");
}

/// The revision the command computes, which the audit's preset consent
/// carries, is the derive's.
#[test]
fn the_revision_is_the_derives() {
    for (file, revision) in [
        ("cookie-policy/policy.toml", Platform::REVISION),
        ("tests/fixtures/shop.toml", Shop::REVISION),
    ] {
        let json = render(file, &["--format", "json"]);
        let expected = format!("\"revision\": \"{revision}\"");
        assert!(json.contains(&expected), "{file}: no {expected} in\n{json}");
    }
}

#[test]
fn output_goes_to_the_file_given() {
    let dir = std::env::temp_dir().join(format!("cookie-policy-render-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{error}"));
    let file = dir.join("page.md");
    let file_arg = file
        .to_str()
        .unwrap_or_else(|| panic!("temporary path is not UTF-8"));
    let stdout = render(
        "cookie-policy/policy.toml",
        &["--format", "markdown", "-o", file_arg],
    );
    assert_eq!(stdout, "");
    let written = std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(
        written,
        publish::markdown::<Platform>("en").unwrap_or_default()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
