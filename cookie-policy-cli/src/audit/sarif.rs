//! SARIF 2.1.0 (the OASIS standard, errata 01) for code-scanning tools:
//! the audit's findings and the policy's mistakes as one `run` each, with
//! a rule per finding kind, results located in policy.toml, and a stable
//! `partialFingerprints` key. What each field holds, and why: docs/audit.md
//! ("SARIF").

use cookie_policy::{PolicyData, PolicyFileError};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use super::findings::{Finding, Kind};
use super::observe::Observations;
use crate::load::Lines;

/// The schema the output follows (the standard's own URI for it).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The `partialFingerprints` key of every result: its version says how
/// the value is computed (`fingerprint`).
pub(crate) const FINGERPRINT: &str = "cookiePolicyFinding/v1";

/// The rule of each finding kind: name, short and full description, help.
struct Rule {
    name: &'static str,
    short: &'static str,
    full: &'static str,
    help: &'static str,
}

fn rule(kind: Kind) -> Rule {
    match kind {
        Kind::Undeclared => Rule {
            name: "UndeclaredCookie",
            short: "A cookie the policy does not declare",
            full: "The site stored a cookie that policy.toml declares under no name or pattern; the published policy does not tell visitors about it.",
            help: "Declare the cookie in policy.toml (the finding gives a `[[cookie]]` block when the Open Cookie Database knows it), or stop setting it.",
        },
        Kind::WithoutConsent => Rule {
            name: "CookieWithoutConsent",
            short: "A cookie set without the consent it needs",
            full: "The cookie is declared in a category that needs consent, and the pass's consent choice did not grant that category.",
            help: "Set the cookie only after the visitor accepts its category: load the script that sets it from the banner's category, or let the `ConsentLayer` drop the header.",
        },
        Kind::KeptAfterWithdrawal => Rule {
            name: "CookieKeptAfterWithdrawal",
            short: "A cookie kept after consent was withdrawn",
            full: "After the visitor withdrew consent (the `withdraw` pass), the browser still held a cookie that needs consent; withdrawing must be as easy as giving consent (GDPR article 7(3)).",
            help: "Expire the cookie when consent is withdrawn, with the Domain and Path it was set with (`Set-Cookie: NAME=; Max-Age=0; Path=...`); the finding's message gives the header.",
        },
        Kind::LifetimeExceeded => Rule {
            name: "CookieLifetimeExceeded",
            short: "A cookie kept longer than declared",
            full: "The browser keeps the cookie longer than the lifetime policy.toml declares for it, beyond a tolerance of one day or 1 %.",
            help: "Shorten the cookie's Max-Age or Expires, or declare the lifetime it has.",
        },
        Kind::SetDespiteGpc => Rule {
            name: "CookieSetDespiteGpc",
            short: "A cookie set despite Global Privacy Control",
            full: "With `Sec-GPC: 1` sent and `navigator.globalPrivacyControl` true, and no consent given (the `gpc` pass), the site set a cookie of a category the policy refuses under GPC.",
            help: "Treat `Sec-GPC: 1` (and `navigator.globalPrivacyControl` in scripts) as a refusal of the categories policy.toml refuses under GPC: the `ConsentLayer` and the banner export do.",
        },
        Kind::ConsentDefaultMissing => Rule {
            name: "ConsentModeDefaultMissing",
            short: "A page with a dataLayer and no Consent Mode default",
            full: "The page has a `window.dataLayer` but no `gtag('consent', 'default', ...)` entry: Google tags on it run without a consent state.",
            help: "Put the policy's Consent Mode `default` snippet (`cookie-policy render --format cookieconsent`) before any tag.",
        },
        Kind::ConsentDefaultLate => Rule {
            name: "ConsentModeDefaultLate",
            short: "A Consent Mode default after the first tag",
            full: "The page's `dataLayer` has a `config`, `event` or `gtm.js` entry before its first `gtag('consent', 'default', ...)`: that tag ran before any consent state was set.",
            help: "Move the Consent Mode `default` snippet above every tag and tag manager, in the page's `<head>`.",
        },
        Kind::ConsentUpdateContradicts => Rule {
            name: "ConsentModeUpdateContradicts",
            short: "A Consent Mode update that contradicts the visitor's choice",
            full: "The page's `gtag('consent', 'update', ...)` entries leave a Consent Mode key granted that the pass's choice refuses, or denied that it grants, with the keys mapped from the policy's categories.",
            help: "Derive the `update` from the visitor's choice through the policy's category-to-key mapping (the banner export does), and call it on every page load of a returning visitor.",
        },
        Kind::AnalyticsCookieWhileDenied => Rule {
            name: "AnalyticsCookieWhileDenied",
            short: "A Google Analytics cookie while analytics_storage is denied",
            full: "A `_ga` or `_ga_*` cookie was present on a page whose Consent Mode state denies `analytics_storage`.",
            help: "Load Google Analytics through gtag with Consent Mode, which sets no `_ga` cookie while `analytics_storage` is denied, and expire the cookies set before.",
        },
        Kind::DomainMismatch => Rule {
            name: "CookieDomainMismatch",
            short: "A cookie set on another domain than declared",
            full: "The cookie was set host-only or with another `Domain` than the one policy.toml declares.",
            help: "Set the cookie with the declared domain, or correct `domain` in policy.toml.",
        },
        Kind::PartyMismatch => Rule {
            name: "CookiePartyMismatch",
            short: "A cookie set by another party than declared",
            full: "The cookie is declared first-party but was set on a domain that is not the audited site's, or declared third-party and set on the site's.",
            help: "Correct `party` in policy.toml, or set the cookie from where it is declared.",
        },
        Kind::LeftOrigin => Rule {
            name: "PageLeftOrigin",
            short: "A page that led to another origin",
            full: "The navigation to a page ended on another origin (a redirect, a `<meta>` refresh, a script); the audit did not crawl it.",
            help: "Audit that origin with its own URL if it belongs to the site.",
        },
        Kind::NeverSeen => Rule {
            name: "CookieNeverSeen",
            short: "A declared cookie seen in no pass",
            full: "policy.toml declares the cookie, and no pass of the audit saw it: the crawl may not reach the page that sets it, or the site no longer sets it.",
            help: "Audit the page that sets the cookie (give its URL), or remove the declaration if the site no longer sets it.",
        },
    }
}

/// SARIF's `level` of a kind: `error` for a finding that fails the audit,
/// `warning` for a mismatch or a missing default, `note` for information.
fn level(kind: Kind) -> &'static str {
    match kind {
        _ if kind.fails() => "error",
        Kind::DomainMismatch | Kind::PartyMismatch | Kind::ConsentDefaultMissing => "warning",
        _ => "note",
    }
}

/// The `reportingDescriptor` of every kind, in [`Kind::ALL`]'s order.
fn rules() -> Vec<Value> {
    Kind::ALL
        .iter()
        .map(|&kind| {
            let rule = rule(kind);
            json!({
                "id": kind.as_str(),
                "name": rule.name,
                "shortDescription": { "text": rule.short },
                "fullDescription": { "text": rule.full },
                "help": {
                    "text": format!("{} {}", rule.full, rule.help),
                    "markdown": format!("{}\n\n**What to do:** {}\n\nSee `docs/audit.md` of cookie-policy, \"Findings\".", rule.full, rule.help),
                },
                "defaultConfiguration": { "level": level(kind) },
                "properties": {
                    "tags": ["privacy", "cookies"],
                    "precision": "very-high",
                    "fails": kind.fails(),
                },
            })
        })
        .collect()
}

/// Adds `key` to the object `object`.
fn insert(object: &mut Value, key: &str, value: Value) {
    if let Some(object) = object.as_object_mut() {
        object.insert(key.to_owned(), value);
    }
}

/// The tool: `cookie-policy`, its version, and its rules.
fn driver(rules: Vec<Value>) -> Value {
    let mut driver = json!({
        "name": "cookie-policy",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        insert(&mut driver, "informationUri", json!(repository));
    }
    driver
}

/// The `uri` of the policy file as given on the command line: a relative
/// path (relative to the repository root when the command runs there, as
/// CI runs it) with `/` separators and percent-encoded as a URI reference;
/// an absolute path as a `file:` URI.
pub(crate) fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    if std::path::Path::new(&path).is_absolute()
        && let Ok(url) = url::Url::from_file_path(&path)
    {
        return url.to_string();
    }
    let path = path.trim_start_matches("./");
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A plain text message (SARIF §3.11.3) showing `text` as written: `\`,
/// `[` and `]` escaped with a backslash (§3.11.6's escaped link
/// characters), so that a cookie name, a page URL or a policy's text
/// written `[here](https://…)` is no embedded link a viewer would follow.
pub(crate) fn message(text: &str) -> Value {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    json!({ "text": out })
}

/// A location in the policy file: its `uri` and a line (and column).
fn location(uri: &str, line: usize, column: Option<usize>) -> Value {
    let mut region = json!({ "startLine": line.max(1) });
    if let Some(column) = column {
        insert(&mut region, "startColumn", json!(column.max(1)));
    }
    json!([{
        "physicalLocation": {
            "artifactLocation": { "uri": uri },
            "region": region,
        }
    }])
}

/// The `partialFingerprints` of a result with the key `key`: ours, and
/// GitHub's `primaryLocationLineHash` (what code scanning identifies an
/// alert by, with the file and the rule) made of it, `<16 hex>:1`, so that
/// findings that share a line (every undeclared cookie is at line 1) stay
/// apart, and an alert survives an edit of the policy. Without it, GitHub's
/// upload action would hash the line's text and tell results at one line
/// apart by their order.
fn fingerprints(key: &str) -> Value {
    let short: String = key.chars().take(16).collect();
    json!({
        FINGERPRINT: key,
        "primaryLocationLineHash": format!("{short}:1"),
    })
}

/// The fingerprint of a result: SHA-256 over its parts, each
/// length-prefixed, in hex. The same parts give the same key on every run;
/// any part that differs gives another.
pub(crate) fn fingerprint(parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// A page as fingerprints see it: without the audited site's scheme, host
/// and port when it is on the site (`/about`), so that a site audited on
/// another port or host (a CI server on a random port, staging and
/// production) keeps its alerts; whole otherwise.
fn page_key(page: &str, site: &str) -> String {
    match url::Url::parse(page) {
        Ok(url)
            if url
                .host_str()
                .is_some_and(|host| host.eq_ignore_ascii_case(site)) =>
        {
            let mut key = url.path().to_owned();
            if let Some(query) = url.query() {
                key.push('?');
                key.push_str(query);
            }
            key
        }
        _ => page.to_owned(),
    }
}

/// The first page of `pass` where the finding was seen: the first cookie
/// of its name in that pass, or the navigation that left the origin; the
/// finding's page otherwise.
fn page_in_pass<'a>(finding: &'a Finding, pass: usize, observed: &'a Observations) -> &'a str {
    let found = match finding.kind {
        Kind::LeftOrigin => observed
            .left_origin
            .iter()
            .find(|left| left.pass == pass && left.landed == finding.name)
            .map(|left| left.page.as_str()),
        Kind::ConsentDefaultMissing
        | Kind::ConsentDefaultLate
        | Kind::ConsentUpdateContradicts
        | Kind::NeverSeen => None,
        _ => observed
            .cookies
            .iter()
            .find(|seen| seen.pass == pass && seen.name == finding.name)
            .map(|seen| seen.page.as_str()),
    };
    found.unwrap_or(&finding.page)
}

/// The line of policy.toml a finding is located at: the declaration of
/// its cookie; line 1 for a cookie the policy does not declare and for a
/// finding about a page.
fn line_of(finding: &Finding, policy: &PolicyData, lines: &Lines) -> usize {
    match finding.kind {
        Kind::LeftOrigin
        | Kind::ConsentDefaultMissing
        | Kind::ConsentDefaultLate
        | Kind::ConsentUpdateContradicts => 1,
        _ => policy
            .lookup(&finding.name)
            .and_then(|cookie| lines.of(cookie.name()))
            .unwrap_or(1),
    }
}

/// The audit as a SARIF log: one run, one result per finding and pass
/// (one for a finding of no pass, `never_seen`).
pub(crate) fn audit(
    policy_file: &str,
    policy: &PolicyData,
    lines: &Lines,
    observed: &Observations,
    findings: &[Finding],
) -> String {
    let uri = uri(policy_file);
    let mut results = Vec::new();
    for finding in findings {
        // Every kind is in `Kind::ALL`; were one not, the result would
        // name its rule by id alone.
        let rule_index = Kind::ALL.iter().position(|&kind| kind == finding.kind);
        let line = line_of(finding, policy, lines);
        let passes: Vec<Option<(usize, &str)>> = if finding.passes.is_empty() {
            vec![None]
        } else {
            finding
                .passes
                .iter()
                .map(|name| {
                    let index = observed
                        .passes
                        .iter()
                        .position(|pass| pass.name == *name)
                        .unwrap_or(usize::MAX);
                    Some((index, name.as_str()))
                })
                .collect()
        };
        for pass in passes {
            let (pass_name, page) = match pass {
                Some((index, name)) => (name, page_in_pass(finding, index, observed)),
                None => ("", finding.page.as_str()),
            };
            let mut text = finding.message.clone();
            if !pass_name.is_empty() {
                text.push_str(&format!(" (pass `{pass_name}`, page {page})"));
            }
            let key = fingerprint(&[
                finding.kind.as_str(),
                &finding.name,
                pass_name,
                &page_key(page, &observed.site),
            ]);
            let mut properties = json!({
                "cookie": finding.name,
                "pass": pass_name,
                "page": page,
                "source": finding.source,
                "passes": finding.passes,
            });
            if let Some(declaration) = &finding.declaration {
                insert(&mut properties, "declaration", json!(declaration));
            }
            let mut result = json!({
                "ruleId": finding.kind.as_str(),
                "level": level(finding.kind),
                "message": message(&text),
                "locations": location(&uri, line, None),
                "partialFingerprints": fingerprints(&key),
                "properties": properties,
            });
            if let Some(index) = rule_index {
                insert(&mut result, "ruleIndex", json!(index));
            }
            results.push(result);
        }
    }
    let mut run_properties = json!({
        "policy": policy_file,
        "revision": policy.revision().to_string(),
        "site": observed.site,
        "passes": observed.passes.iter().map(|pass| pass.name.as_str()).collect::<Vec<_>>(),
    });
    if let Some(browser) = &observed.browser {
        insert(&mut run_properties, "browser", json!(browser));
    }
    log(json!({
        "tool": { "driver": driver(rules()) },
        "automationDetails": { "id": format!("cookie-policy-audit/{}/", observed.site) },
        "columnKind": "unicodeCodePoints",
        "invocations": [{ "executionSuccessful": true }],
        "results": results,
        "properties": run_properties,
    }))
}

/// The id of `check`'s one rule.
pub(crate) const POLICY_MISTAKE: &str = "policy_mistake";

/// The mistakes of a policy file as a SARIF log: one rule, one result per
/// mistake at its line and column (in characters, hence `columnKind`), the
/// compiler's whole text in `properties.diagnostic`. The fingerprint is
/// the message and how many identical messages came before it, so that a
/// mistake keeps its alert when lines above it move.
pub(crate) fn check(policy_file: &str, errors: &[PolicyFileError]) -> String {
    let uri = uri(policy_file);
    let mut seen: Vec<&str> = Vec::new();
    let results: Vec<Value> = errors
        .iter()
        .map(|error| {
            let before = seen.iter().filter(|&&m| m == error.message()).count();
            seen.push(error.message());
            json!({
                "ruleId": POLICY_MISTAKE,
                "ruleIndex": 0,
                "level": "error",
                "message": message(error.message()),
                "locations": location(&uri, error.line(), Some(error.column())),
                "partialFingerprints": fingerprints(&fingerprint(&[
                    POLICY_MISTAKE,
                    error.message(),
                    &before.to_string(),
                ])),
                "properties": { "diagnostic": error.to_string() },
            })
        })
        .collect();
    let rule = json!({
        "id": POLICY_MISTAKE,
        "name": "PolicyMistake",
        "shortDescription": { "text": "A mistake in policy.toml" },
        "fullDescription": { "text": "policy.toml has a mistake that `#[derive(CookiePolicy)]` would refuse to compile: a syntax error, an unknown key or value, a missing field, a duplicate." },
        "help": {
            "text": "Correct the policy file as the message says; `cookie-policy check` prints the compiler's whole diagnostic.",
            "markdown": "Correct the policy file as the message says; `cookie-policy check` prints the compiler's whole diagnostic, with the line quoted and the fix.",
        },
        "defaultConfiguration": { "level": "error" },
        "properties": { "tags": ["cookies", "correctness"], "precision": "very-high" },
    });
    log(json!({
        "tool": { "driver": driver(vec![rule]) },
        "automationDetails": { "id": format!("cookie-policy-check/{uri}/") },
        "columnKind": "unicodeCodePoints",
        "invocations": [{ "executionSuccessful": true }],
        "results": results,
    }))
}

/// The log around one run.
fn log(run: Value) -> String {
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_paths_are_uri_references() {
        assert_eq!(uri("policy.toml"), "policy.toml");
        assert_eq!(uri("./site/policy.toml"), "site/policy.toml");
        assert_eq!(uri("site\\my policy.toml"), "site/my%20policy.toml");
        assert_eq!(uri("a#b?.toml"), "a%23b%3F.toml");
        assert_eq!(uri("/srv/site/policy.toml"), "file:///srv/site/policy.toml");
    }

    #[test]
    fn brackets_and_backslashes_make_no_links() {
        assert_eq!(
            message("`[a](https://evil.test)` \\ x"),
            json!({ "text": "`\\[a\\](https://evil.test)` \\\\ x" })
        );
        assert_eq!(message("plain"), json!({ "text": "plain" }));
    }

    #[test]
    fn fingerprints_tell_every_part_apart() {
        let key = fingerprint(&["undeclared", "_ga", "none", "/about"]);
        assert_eq!(key, fingerprint(&["undeclared", "_ga", "none", "/about"]));
        assert_eq!(key.len(), 64);
        for other in [
            ["undeclared", "_gid", "none", "/about"],
            ["undeclared", "_ga", "all", "/about"],
            ["undeclared", "_ga", "none", "/"],
            ["without_consent", "_ga", "none", "/about"],
            // Length prefixes: moving a character between parts matters.
            ["undeclared", "_g", "anone", "/about"],
        ] {
            assert_ne!(key, fingerprint(&other), "{other:?}");
        }
    }

    #[test]
    fn pages_on_the_site_are_keyed_by_path() {
        assert_eq!(
            page_key("http://www.shop.test:8080/a?b=1", "www.shop.test"),
            "/a?b=1"
        );
        assert_eq!(page_key("https://WWW.shop.test/a", "www.shop.test"), "/a");
        assert_eq!(
            page_key("http://ads.tracker.test/", "www.shop.test"),
            "http://ads.tracker.test/"
        );
        assert_eq!(page_key("", "www.shop.test"), "");
    }

    /// An audit with a finding of every kind but `domain_mismatch` and
    /// `party_mismatch`, made up (no browser), rendered and validated
    /// against the OASIS schema; each result at its cookie's line.
    #[test]
    fn every_kind_of_finding_validates() {
        use crate::audit::observe::{LeftOrigin, Seen, Source};
        use crate::audit::tags::{DataLayer, Entry};

        let text = include_str!("../../tests/fixtures/audit-shop.toml");
        let policy = PolicyData::from_toml("audit-shop.toml", text)
            .unwrap_or_else(|errors| panic!("{errors:?}"));
        let model = cookie_policy_codegen::policy("audit-shop.toml", text)
            .unwrap_or_else(|errors| panic!("{errors:?}"));
        let lines = Lines::from_model(&model);
        let passes = crate::audit::passes(&policy);
        let index = |name: &str| {
            passes
                .iter()
                .position(|pass| pass.name == name)
                .unwrap_or_else(|| panic!("no pass {name}"))
        };
        let page = "http://www.shop.test/".to_owned();
        let seen = |pass: &str, name: &str, source: Source| Seen {
            pass: index(pass),
            page: page.clone(),
            name: name.to_owned(),
            domain: None,
            host: "www.shop.test".to_owned(),
            path: Some("/".to_owned()),
            lifetime: Some(core::time::Duration::from_secs(800 * 86_400)),
            source,
        };
        let gtag = |args: Value| Entry::Gtag {
            args: args.as_array().cloned().unwrap_or_default(),
        };
        let observed = Observations {
            site: "www.shop.test".to_owned(),
            pages: vec![vec![page.clone()]; passes.len()],
            cookies: vec![
                seen("none", "_ga", Source::Header(page.clone())),
                seen("gpc", "ad_id", Source::Jar),
                seen("withdraw", "_pk_id.1", Source::Jar),
            ],
            left_origin: vec![LeftOrigin {
                pass: index("all"),
                page: format!("{page}leave"),
                landed: "http://elsewhere.test/".to_owned(),
            }],
            data_layers: vec![
                DataLayer {
                    pass: index("necessary"),
                    page: format!("{page}late"),
                    consent: None,
                    entries: vec![
                        gtag(json!(["config", "G-1"])),
                        gtag(json!(["consent", "default", {"analytics_storage": "denied"}])),
                        gtag(json!(["consent", "update", {"ad_storage": "granted"}])),
                    ],
                    cookies: vec!["_ga".to_owned()],
                },
                DataLayer {
                    pass: index("none"),
                    page: format!("{page}bare"),
                    consent: None,
                    entries: vec![],
                    cookies: vec![],
                },
            ],
            passes,
            ..Observations::default()
        };
        let findings = crate::audit::findings::judge(&policy, &observed);
        let log: Value = serde_json::from_str(&audit(
            "tests/fixtures/audit-shop.toml",
            &policy,
            &lines,
            &observed,
            &findings,
        ))
        .unwrap_or_else(|error| panic!("{error}"));
        let schema: Value =
            serde_json::from_str(include_str!("../../tests/schemas/sarif-schema-2.1.0.json"))
                .unwrap_or_else(|error| panic!("{error}"));
        let validator =
            jsonschema::validator_for(&schema).unwrap_or_else(|error| panic!("{error}"));
        let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:#?}\n{log:#}");
        let results = log["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let rule_ids: Vec<&str> = results
            .iter()
            .filter_map(|r| r["ruleId"].as_str())
            .collect();
        for kind in Kind::ALL {
            if matches!(kind, Kind::DomainMismatch | Kind::PartyMismatch) {
                continue;
            }
            assert!(rule_ids.contains(&kind.as_str()), "{kind:?}: {rule_ids:?}");
        }
        // Located where the text declares the cookie; line 1 otherwise.
        let line = |rule: &str, cookie: &str| {
            results
                .iter()
                .find(|r| r["ruleId"] == rule && r["properties"]["cookie"] == cookie)
                .map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].clone())
                .unwrap_or_else(|| panic!("no {rule} {cookie}"))
        };
        let declared = |name: &str| {
            text.lines()
                .position(|l| l == format!("name = \"{name}\""))
                .map(|i| i + 1)
        };
        assert_eq!(line("set_despite_gpc", "ad_id"), json!(declared("ad_id")));
        assert_eq!(
            line("kept_after_withdrawal", "_pk_id.1"),
            json!(declared("_pk_id.*"))
        );
        assert_eq!(line("undeclared", "_ga"), json!(1));
        assert_eq!(
            line("consent_default_late", &format!("{page}late")),
            json!(1)
        );
    }

    #[test]
    fn every_kind_has_a_rule_in_order() {
        let rules = rules();
        assert_eq!(rules.len(), Kind::ALL.len());
        for (rule, kind) in rules.iter().zip(Kind::ALL) {
            assert_eq!(rule["id"], kind.as_str());
        }
        let mut sorted = Kind::ALL;
        sorted.sort();
        assert_eq!(sorted, Kind::ALL, "ALL is in report order");
    }
}
