//! The audit's report: text (the default), the versioned JSON document,
//! Markdown and HTML for people.

use core::fmt::Write as _;

use cookie_policy::PolicyData;
use html_escape::encode_text as html;
use serde::Serialize;

use super::Format;
use super::findings::{Finding, Kind};
use super::observe::Observations;
use crate::escape::{terminal, terminal_lines};

/// The report in `format`.
pub(crate) fn render(
    format: Format,
    policy_file: &str,
    policy: &PolicyData,
    observed: &Observations,
    findings: &[Finding],
) -> String {
    match format {
        Format::Text => text(policy_file, observed, findings),
        Format::Json => json(policy_file, policy, observed, findings),
        Format::Markdown => markdown(policy_file, observed, findings),
        Format::Html => page(policy_file, observed, findings),
        // Written by `sarif`, which locates findings in the policy's text.
        Format::Sarif => String::new(),
    }
}

/// `audit of HOST against FILE: N passes (names), M pages`.
fn headline(policy_file: &str, observed: &Observations) -> String {
    let passes: Vec<&str> = observed.passes.iter().map(|p| p.name.as_str()).collect();
    let pages = observed.pages.iter().map(Vec::len).max().unwrap_or(0);
    let mut headline = format!(
        "audit of {} against {policy_file}: {} ({}), up to {pages} page{} each",
        observed.site,
        crate::load::counted(passes.len(), "pass"),
        passes.join(", "),
        if pages == 1 { "" } else { "s" },
    );
    if let Some(browser) = &observed.browser {
        headline.push_str(&format!(
            "\nbrowser: {}, {}",
            browser.executable, browser.sandbox
        ));
    }
    headline
}

fn summary(findings: &[Finding]) -> String {
    let failing: Vec<&Finding> = findings.iter().filter(|f| f.kind.fails()).collect();
    let mut counts: Vec<(Kind, usize)> = Vec::new();
    for finding in &failing {
        match counts.iter_mut().find(|(kind, _)| *kind == finding.kind) {
            Some((_, count)) => *count += 1,
            None => counts.push((finding.kind, 1)),
        }
    }
    let counts: Vec<String> = counts
        .iter()
        .map(|(kind, count)| format!("{} {count}", kind.as_str()))
        .collect();
    let informative = crate::load::counted(findings.len() - failing.len(), "finding");
    if failing.is_empty() {
        format!("the site keeps to its policy; {informative} for information")
    } else {
        format!(
            "{} the audit ({}); {informative} for information",
            match failing.len() {
                1 => "1 finding fails".to_owned(),
                count => format!("{count} findings fail"),
            },
            counts.join(", ")
        )
    }
}

/// The text report, for a terminal: every field the site or the policy
/// wrote is escaped ([`terminal`]), so a cookie's name cannot drive it.
fn text(policy_file: &str, observed: &Observations, findings: &[Finding]) -> String {
    let mut out = terminal(&headline(policy_file, observed)).into_owned();
    out.push_str("\n\n");
    for finding in findings {
        let _ = writeln!(
            out,
            "{}: {}",
            finding.kind.as_str(),
            terminal(&finding.name)
        );
        if !finding.passes.is_empty() {
            let _ = writeln!(out, "  passes: {}", terminal(&finding.passes.join(", ")));
            let _ = writeln!(out, "  page:   {}", terminal(&finding.page));
            let _ = writeln!(out, "  source: {}", terminal(&finding.source));
        }
        let _ = writeln!(out, "  {}", terminal(&finding.message));
        if let Some(declaration) = &finding.declaration {
            for line in declaration.lines() {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    let _ = writeln!(out, "    {}", terminal(line));
                }
            }
        }
        out.push('\n');
    }
    out.push_str(&summary(findings));
    out.push('\n');
    out
}

#[derive(Serialize)]
struct Document<'a> {
    format: u32,
    policy: &'a str,
    revision: String,
    site: &'a str,
    passes: Vec<PassOut<'a>>,
    findings: &'a [Finding],
    cookies: Vec<CookieOut<'a>>,
    storage: Vec<StorageOut<'a>>,
    /// The browser and its sandbox; absent for a recording.
    #[serde(skip_serializing_if = "Option::is_none")]
    browser: Option<&'a super::observe::BrowserUsed>,
}

#[derive(Serialize)]
struct PassOut<'a> {
    name: &'a str,
    /// The categories preset; `null` for `none`.
    consent: Option<Vec<&'static str>>,
    /// Whether everything was refused after the pages were visited.
    withdraw: bool,
    /// Whether the browser sent Global Privacy Control (`Sec-GPC: 1`,
    /// `navigator.globalPrivacyControl`).
    gpc: bool,
    pages: &'a [String],
}

#[derive(Serialize)]
struct CookieOut<'a> {
    pass: &'a str,
    page: &'a str,
    name: &'a str,
    domain: Option<&'a str>,
    host: &'a str,
    /// The `Path` attribute or the jar's path; `null` when not given.
    path: Option<&'a str>,
    /// `null` for a session cookie.
    lifetime_seconds: Option<u64>,
    source: String,
}

#[derive(Serialize)]
struct StorageOut<'a> {
    pass: &'a str,
    origin: &'a str,
    local_storage: &'a [String],
    session_storage: &'a [String],
}

fn json(
    policy_file: &str,
    policy: &PolicyData,
    observed: &Observations,
    findings: &[Finding],
) -> String {
    let pass_name = |index: usize| observed.passes.get(index).map_or("", |p| p.name.as_str());
    let document = Document {
        format: 1,
        policy: policy_file,
        revision: policy.revision().to_string(),
        site: &observed.site,
        passes: observed
            .passes
            .iter()
            .enumerate()
            .map(|(index, pass)| PassOut {
                name: &pass.name,
                consent: pass
                    .preset
                    .map(|consent| consent.categories().map(|c| c.as_str()).collect()),
                withdraw: pass.withdraw,
                gpc: pass.gpc,
                pages: observed.pages.get(index).map_or(&[], Vec::as_slice),
            })
            .collect(),
        findings,
        cookies: observed
            .cookies
            .iter()
            .map(|seen| CookieOut {
                pass: pass_name(seen.pass),
                page: &seen.page,
                name: &seen.name,
                domain: seen.domain.as_deref(),
                host: &seen.host,
                path: seen.path.as_deref(),
                lifetime_seconds: seen.lifetime.map(|lifetime| lifetime.as_secs()),
                source: seen.source.to_string(),
            })
            .collect(),
        storage: observed
            .storage
            .iter()
            .map(|storage| StorageOut {
                pass: pass_name(storage.pass),
                origin: &storage.origin,
                local_storage: &storage.local,
                session_storage: &storage.session,
            })
            .collect(),
        browser: observed.browser.as_ref(),
    };
    serde_json::to_string_pretty(&document).unwrap_or_default() + "\n"
}

/// Text for Markdown, shown as written: control characters escaped as for
/// a terminal, line breaks made spaces, and every character Markdown or
/// the HTML it lets through would read (`\`, `` ` ``, `*`, `_`, `[`, `]`,
/// `<`, `>`, `|`, `#`, `~`, `&`, `!`) escaped with a backslash, which
/// CommonMark allows before any ASCII punctuation: a page title or a
/// cookie name cannot open a tag, a link, emphasis or a table cell.
fn md_text(text: &str) -> String {
    let text = terminal(&text.replace(['\n', '\r'], " ")).into_owned();
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The longest run of backticks in `text`.
fn longest_backticks(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// A Markdown code span of `text`, in a table cell: delimited by more
/// backticks than any run inside, padded when it starts or ends with one;
/// `|` escaped, which GFM requires even in a code span of a table; control
/// characters escaped and line breaks made spaces.
fn md_code(text: &str) -> String {
    let text = terminal(&text.replace(['\n', '\r'], " ")).replace('|', "\\|");
    let fence = "`".repeat(longest_backticks(&text) + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

fn markdown(policy_file: &str, observed: &Observations, findings: &[Finding]) -> String {
    let headline: Vec<String> = headline(policy_file, observed)
        .lines()
        .map(md_text)
        .collect();
    let mut out = format!("# Cookie audit\n\n{}\n\n", headline.join("\n\n"));
    let _ = writeln!(out, "**{}**\n", md_text(&summary(findings)));
    if !findings.is_empty() {
        out.push_str("| finding | cookie | passes | page | source |\n|---|---|---|---|---|\n");
        for finding in findings {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                finding.kind.as_str(),
                md_code(&finding.name),
                md_text(&finding.passes.join(", ")),
                md_text(&finding.page),
                md_text(&finding.source),
            );
        }
        out.push_str("\n## Details\n");
        for finding in findings {
            let _ = writeln!(
                out,
                "\n### {} {}\n\n{}",
                finding.kind.as_str(),
                md_text(&finding.name),
                md_text(&finding.message)
            );
            if let Some(declaration) = &finding.declaration {
                let fence = "`".repeat(longest_backticks(declaration).max(2) + 1);
                let _ = writeln!(out, "\n{fence}toml\n{}{fence}", terminal_lines(declaration));
            }
        }
    }
    if !observed.storage.is_empty() {
        out.push_str("\n## Web storage\n\n| pass | origin | localStorage | sessionStorage |\n|---|---|---|---|\n");
        for storage in &observed.storage {
            let pass = observed
                .passes
                .get(storage.pass)
                .map_or("", |p| p.name.as_str());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                md_text(pass),
                md_text(&storage.origin),
                md_text(&storage.local.join(", ")),
                md_text(&storage.session.join(", "))
            );
        }
    }
    out
}

fn page(policy_file: &str, observed: &Observations, findings: &[Finding]) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Cookie audit — {}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n<h1>Cookie audit — {}</h1>\n<p>{}</p>\n<p><strong>{}</strong></p>\n",
        html(&observed.site),
        cookie_policy::publish::STYLESHEET,
        html(&observed.site),
        html(&headline(policy_file, observed)),
        html(&summary(findings)),
    );
    if !findings.is_empty() {
        out.push_str("<div class=\"table\"><table>\n<thead><tr><th scope=\"col\">Finding</th><th scope=\"col\">Cookie</th><th scope=\"col\">Passes</th><th scope=\"col\">Page</th><th scope=\"col\">Source</th><th scope=\"col\">What to do</th></tr></thead>\n<tbody>\n");
        for finding in findings {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                finding.kind.as_str(),
                html(&finding.name),
                html(&finding.passes.join(", ")),
                html(&finding.page),
                html(&finding.source),
                html(&finding.message),
                finding
                    .declaration
                    .as_deref()
                    .map(|d| format!("<pre><code>{}</code></pre>", html(d)))
                    .unwrap_or_default(),
            );
        }
        out.push_str("</tbody>\n</table></div>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::observe::BrowserUsed;

    /// A tag id is the page's text: `gtag('config', '<markup>')` before
    /// the Consent Mode default makes a finding that quotes it, and every
    /// format escapes it as it escapes a cookie's name. (The page's
    /// `dataLayer`, as the crawl reads it, then the same judging and
    /// rendering as an audit.)
    #[test]
    fn a_tag_id_that_carries_markup_is_escaped_in_every_format() {
        use crate::audit::tags::{DataLayer, Entry};
        let policy = PolicyData::of::<cookie_policy::Platform>();
        let id = "<img src=x onerror=alert(1)>|*`x`\u{1b}[2J";
        let gtag = |args: serde_json::Value| Entry::Gtag {
            args: args.as_array().cloned().unwrap_or_default(),
        };
        let observed = Observations {
            site: "www.shop.test".to_owned(),
            data_layers: vec![DataLayer {
                pass: 0,
                page: "http://www.shop.test/".to_owned(),
                consent: None,
                entries: vec![
                    gtag(serde_json::json!(["config", id])),
                    gtag(serde_json::json!(["consent", "default", {"ad_storage": "denied"}])),
                ],
                cookies: Vec::new(),
            }],
            ..Observations::default()
        };
        let findings = crate::audit::findings::judge(&policy, &observed);
        assert!(
            findings.iter().any(|finding| finding.message.contains(id)),
            "the finding quotes the id: {:?}",
            findings.iter().map(|f| &f.message).collect::<Vec<_>>()
        );
        let html = render(Format::Html, "policy.toml", &policy, &observed, &findings);
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("&lt;img src=x onerror=alert(1)&gt;"),
            "{html}"
        );
        let markdown = render(
            Format::Markdown,
            "policy.toml",
            &policy,
            &observed,
            &findings,
        );
        // Every `<` is escaped (`\<`), so no tag opens.
        assert_eq!(
            markdown.matches('<').count(),
            markdown.matches("\\<").count(),
            "{markdown}"
        );
        assert!(
            markdown.contains(r"\<img src=x onerror=alert(1)\>"),
            "{markdown}"
        );
        let text = render(Format::Text, "policy.toml", &policy, &observed, &findings);
        assert!(!text.contains('\u{1b}'), "{text:?}");
        let json = render(Format::Json, "policy.toml", &policy, &observed, &findings);
        let json: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|error| panic!("{error}"));
        assert!(
            json.to_string().contains("onerror"),
            "the JSON keeps the text, as data"
        );
    }

    /// Every report says when Chromium ran without its sandbox.
    #[test]
    fn every_report_says_when_chromium_ran_without_its_sandbox() {
        let policy = PolicyData::from_toml(
            "policy.toml",
            "[site]\nname = \"S\"\nurl = \"http://www.shop.test\"\n",
        )
        .unwrap_or_else(|errors| panic!("{errors:?}"));
        let observed = Observations {
            site: "www.shop.test".to_owned(),
            browser: Some(BrowserUsed {
                executable: "/usr/bin/chromium".to_owned(),
                sandboxed: false,
                sandbox: "Chromium's sandbox off (--no-sandbox): running as root".to_owned(),
            }),
            ..Observations::default()
        };
        let said =
            "browser: /usr/bin/chromium, Chromium's sandbox off (--no-sandbox): running as root";
        for format in [Format::Text, Format::Markdown, Format::Html] {
            let report = render(format, "policy.toml", &policy, &observed, &[]);
            let report = report.replace("\\-", "-").replace("&#39;", "'");
            assert!(report.contains(said), "{format:?}: {report}");
        }
        let json = render(Format::Json, "policy.toml", &policy, &observed, &[]);
        let json: serde_json::Value =
            serde_json::from_str(&json).unwrap_or_else(|error| panic!("{error}"));
        assert_eq!(json["browser"]["sandboxed"], false);
    }
}
