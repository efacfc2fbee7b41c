//! `--format sarif` of `audit` and `check`: validated against the OASIS
//! SARIF 2.1.0 schema (`tests/schemas/`, with the `jsonschema` crate), read
//! back against the JSON report of the same audit, the policy's text and
//! the line and column rustc printed for each mistake.

#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed test panics"
)]

use std::path::Path;

use serde_json::Value;

use crate::common::{
    SHOP_HAR, SHOP_POLICY, audit_shop, edited_shop_har, json, run, ui_cases, ui_tests, workspace,
};

/// The OASIS schema's validator.
fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json"))
        .unwrap_or_else(|error| panic!("{error}"));
    jsonschema::validator_for(&schema).unwrap_or_else(|error| panic!("{error}"))
}

/// Panics with every schema error of `log`.
pub(crate) fn assert_valid(log: &Value) {
    let errors: Vec<String> = validator()
        .iter_errors(log)
        .map(|error| format!("{error} at {}", error.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
}

/// The 1-based line of `name = "NAME"` in `text`, found by reading the
/// lines: the oracle for where SARIF locates a declared cookie.
fn declared_line(text: &str, name: &str) -> Option<usize> {
    let wanted = format!("name = \"{name}\"");
    text.lines()
        .position(|line| line.trim() == wanted)
        .map(|index| index + 1)
}

/// A plain text message as a viewer shows it: `\[`, `\]` and `\\` are
/// the escaped link characters of SARIF §3.11.6.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some(next @ ('\\' | '[' | ']'))) => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// The results of the one run of `log`.
fn results(log: &Value) -> Vec<Value> {
    log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no results: {log:#}"))
}

/// Every finding of an audit's JSON report is in the SARIF of the same
/// audit, once per pass, at its cookie's line, with its page and pass; and
/// nothing else is.
pub(crate) fn assert_sarif_holds_the_report(sarif: &Value, report: &Value, policy_text: &str) {
    assert_valid(sarif);
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let site = report["site"].as_str().unwrap_or_default();
    assert_eq!(
        run["automationDetails"]["id"],
        format!("cookie-policy-audit/{site}/")
    );
    let results = results(sarif);
    let mut expected = 0;
    for finding in report["findings"].as_array().into_iter().flatten() {
        let kind = finding["kind"].as_str().unwrap_or_default();
        let name = finding["name"].as_str().unwrap_or_default();
        let passes: Vec<&str> = finding["passes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let passes = if passes.is_empty() { vec![""] } else { passes };
        for pass in passes {
            expected += 1;
            let result = results
                .iter()
                .find(|result| {
                    result["ruleId"] == kind
                        && result["properties"]["cookie"] == name
                        && result["properties"]["pass"] == pass
                })
                .unwrap_or_else(|| panic!("no result for {kind} {name} in {pass}: {sarif:#}"));
            let rule = &rules[result["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize];
            assert_eq!(rule["id"], kind);
            for field in ["shortDescription", "fullDescription"] {
                assert!(rule[field]["text"].as_str().is_some_and(|t| !t.is_empty()));
            }
            assert!(
                rule["help"]["markdown"]
                    .as_str()
                    .is_some_and(|t| !t.is_empty())
            );
            let text = unescape(result["message"]["text"].as_str().unwrap_or_default());
            let text = text.as_str();
            assert!(
                text.starts_with(finding["message"].as_str().unwrap_or_default()),
                "{text}"
            );
            let page = result["properties"]["page"].as_str().unwrap_or_default();
            if !pass.is_empty() {
                assert!(
                    text.ends_with(&format!("(pass `{pass}`, page {page})")),
                    "{text}"
                );
            }
            let location = &result["locations"][0]["physicalLocation"];
            assert_eq!(location["artifactLocation"]["uri"], report["policy"]);
            // The declared name: the finding's, or the pattern it matches.
            let line = declared_line(policy_text, name)
                .or_else(|| {
                    name.split_once('.')
                        .and_then(|(head, _)| declared_line(policy_text, &format!("{head}.*")))
                })
                .filter(|_| !matches!(kind, "undeclared" | "left_origin"))
                .unwrap_or(1);
            assert_eq!(location["region"]["startLine"], line, "{kind} {name}");
        }
    }
    assert_eq!(results.len(), expected, "{sarif:#}");
    // One key per result, none shared.
    let mut keys: Vec<&str> = results
        .iter()
        .filter_map(|result| result["partialFingerprints"]["cookiePolicyFinding/v1"].as_str())
        .collect();
    assert_eq!(keys.len(), results.len());
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), results.len(), "a fingerprint is shared");
    // GitHub's own key too: code scanning tells alerts apart by it.
    let mut github: Vec<&str> = results
        .iter()
        .filter_map(|result| result["partialFingerprints"]["primaryLocationLineHash"].as_str())
        .collect();
    github.sort_unstable();
    github.dedup();
    assert_eq!(
        github.len(),
        results.len(),
        "a primaryLocationLineHash is shared"
    );
}

#[test]
fn the_sarif_of_an_audit_holds_every_finding_of_its_json_report() {
    let har = Path::new(SHOP_HAR);
    let report = json(&audit_shop(har, "json"));
    let output = audit_shop(har, "sarif");
    assert_eq!(
        output.status.code(),
        Some(1),
        "the audit fails as with JSON"
    );
    let sarif = json(&output);
    let policy_text = std::fs::read_to_string(workspace().join(SHOP_POLICY))
        .unwrap_or_else(|error| panic!("{error}"));
    assert!(
        report["findings"].as_array().is_some_and(|f| f.len() >= 3),
        "{report:#}"
    );
    assert_sarif_holds_the_report(&sarif, &report, &policy_text);
    // The same audit again: the same log, fingerprints included.
    assert_eq!(json(&audit_shop(har, "sarif")), sarif);
    // Where the rules say what fails.
    let levels: Vec<(String, String)> = results(&sarif)
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_owned(),
                r["level"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert!(levels.contains(&("undeclared".into(), "error".into())));
    assert!(levels.contains(&("never_seen".into(), "note".into())));
}

/// The validator can fail: a log without `version`, and one with a level
/// SARIF does not have, are refused.
#[test]
fn the_schema_refuses_what_is_not_sarif() {
    let sarif = json(&audit_shop(Path::new(SHOP_HAR), "sarif"));
    let validator = validator();
    assert!(validator.is_valid(&sarif));
    let mut unversioned = sarif.clone();
    if let Some(log) = unversioned.as_object_mut() {
        log.remove("version");
    }
    assert!(!validator.is_valid(&unversioned));
    let mut fatal = sarif.clone();
    fatal["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&fatal));
    let mut lineless = sarif;
    lineless["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&lineless));
}

/// A cookie named like an embedded link (`[x](https://evil.test/)`) is no
/// link in the message, and is written as it is in the properties.
#[test]
fn a_cookie_named_like_a_link_makes_no_link() {
    let name = "[x](https://evil.test/)";
    let path = edited_shop_har("sarif", |har| {
        har["log"]["entries"][0]["response"]["headers"] =
            serde_json::json!([{ "name": "Set-Cookie", "value": format!("{name}=1; Path=/") }]);
    });
    let output = audit_shop(&path, "sarif");
    let _ = std::fs::remove_file(&path);
    let sarif = json(&output);
    assert_valid(&sarif);
    let result = results(&sarif)
        .into_iter()
        .find(|result| result["properties"]["cookie"] == name)
        .unwrap_or_else(|| panic!("no result for the cookie: {sarif:#}"));
    let text = result["message"]["text"].as_str().unwrap_or_default();
    assert!(
        text.starts_with("`\\[x\\](https://evil.test/)` is not declared"),
        "{text}"
    );
    assert_eq!(unescape(text).split('`').nth(1), Some(name));
}

/// Every policy of the compile-fail tests: `check --format sarif` exits 1,
/// validates, and has one result per mistake, at the line and column rustc
/// printed for the derive (trybuild's `.stderr`), with its message.
#[test]
fn check_sarif_locates_each_mistake_where_rustc_did() {
    let mut checked = 0;
    for case in ui_cases() {
        let (stem, relative) = (&case.stem, case.policy.as_str());
        // rustc's (message, line, column): each `error: ` and the first
        // `--> ui/<test>.toml:L:C` after it.
        let mut expected: Vec<(String, u64, u64)> = Vec::new();
        let mut message: Option<String> = None;
        for line in case.recorded.lines().map(str::trim) {
            if let Some(text) = line.strip_prefix("error: ") {
                message = Some(text.to_owned());
            } else if let Some(place) = line.strip_prefix(&format!("--> {relative}:"))
                && let Some(text) = message.take()
            {
                let mut numbers = place.split(':').map(|n| n.parse().unwrap_or(0));
                let (line, column) = (numbers.next(), numbers.next());
                expected.push((text, line.unwrap_or(0), column.unwrap_or(0)));
            }
        }
        let output = run(&ui_tests(), &["check", relative, "--format", "sarif"]);
        if !case.mistake_in_policy() {
            // The mistake is in the Rust code, not in the policy.
            assert_eq!(output.status.code(), Some(0), "{stem}");
            assert_eq!(results(&json(&output)), Vec::<Value>::new(), "{stem}");
            continue;
        }
        assert_eq!(output.status.code(), Some(1), "{stem}");
        let sarif = json(&output);
        assert_valid(&sarif);
        let found: Vec<(String, u64, u64)> = results(&sarif)
            .iter()
            .map(|result| {
                let region = &result["locations"][0]["physicalLocation"]["region"];
                assert_eq!(
                    result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                    relative
                );
                assert_eq!(result["ruleId"], "policy_mistake");
                (
                    unescape(result["message"]["text"].as_str().unwrap_or_default())
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                    region["startLine"].as_u64().unwrap_or(0),
                    region["startColumn"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(found, expected, "{stem}");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} policies compared");
}

#[test]
fn check_sarif_of_a_right_policy_has_no_results() {
    let output = run(&workspace(), &["check", "policy.toml", "--format", "sarif"]);
    assert_eq!(output.status.code(), Some(0));
    let sarif = json(&output);
    assert_valid(&sarif);
    assert_eq!(results(&sarif), Vec::<Value>::new());
    assert_eq!(
        sarif["runs"][0]["automationDetails"]["id"],
        "cookie-policy-check/policy.toml/"
    );
    assert_eq!(
        sarif["runs"][0]["tool"]["driver"]["rules"][0]["id"],
        "policy_mistake"
    );
}
