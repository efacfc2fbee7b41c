//! `cookie-policy audit`: what a browser receives from a site, per consent
//! choice, checked against the policy.
//!
//! - [`observe`]: what was seen: cookies from `Set-Cookie` headers, from
//!   scripts, in the jar; storage keys;
//! - [`findings`]: the seen cookies judged against the policy;
//! - [`report`]: text, JSON, Markdown and HTML;
//! - [`sarif`]: SARIF 2.1.0, for code-scanning tools (and `check`'s);
//! - [`tags`]: Google Consent Mode, judged from the pages' `dataLayer`;
//! - [`har`]: observations from a recorded HAR instead of a browser;
//! - `browser` (feature `browser`): the crawl, in headless Chromium.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use cookie_policy::{Category, Consent, PolicyData};

use crate::Outcome;
use crate::load::{self, LoadError};

#[cfg(feature = "browser")]
mod browser;
pub(crate) mod findings;
mod har;
pub(crate) mod observe;
mod report;
pub(crate) mod sarif;
pub(crate) mod tags;

/// The report's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Findings for a terminal or a CI log.
    Text,
    /// The versioned JSON document (`"format": 1`), for tools.
    Json,
    /// A report for people, in Markdown.
    Markdown,
    /// A report for people, a standalone HTML page in the policy page's
    /// style.
    Html,
    /// SARIF 2.1.0, for code scanning (GitHub's and others): one result
    /// per finding and pass, located at the cookie's line in policy.toml.
    Sarif,
}

/// What `audit` was asked.
#[cfg_attr(
    not(feature = "browser"),
    allow(dead_code, reason = "the crawl's options, read by the browser")
)]
pub(crate) struct Request {
    pub policy: PathBuf,
    pub pages: usize,
    pub format: Format,
    pub output: Option<PathBuf>,
    pub har: Option<PathBuf>,
    pub chromium: Option<PathBuf>,
    pub host_resolver_rules: Option<String>,
    pub urls: Vec<String>,
}

/// One consent choice the site is visited under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pass {
    /// `none`, `necessary`, a category's name, or `all`.
    pub name: String,
    /// The consent the pass presets; `None` for `none`: no cookie at all.
    pub preset: Option<Consent>,
    /// The `withdraw` pass: after the pages are visited under `preset`,
    /// the visitor refuses everything (the consent cookie rewritten,
    /// necessary only) and the pages are loaded again; what the jar keeps
    /// then is judged.
    pub withdraw: bool,
    /// The `gpc` pass: no consent given, every request sends `Sec-GPC: 1`
    /// and `navigator.globalPrivacyControl` is `true`.
    pub gpc: bool,
}

impl Pass {
    /// The categories the site may use in this pass (before a withdrawal).
    pub fn consent(&self) -> Consent {
        self.preset.unwrap_or_else(Consent::necessary_only)
    }
}

/// The passes for a policy: `none`, `gpc` (when the policy refuses a
/// category under Global Privacy Control), `necessary`, one per category
/// other than necessary that the policy's cookies use, `all`, then
/// `withdraw`: all accepted, then everything refused.
#[cfg_attr(not(feature = "browser"), allow(dead_code, reason = "the crawl's"))]
pub(crate) fn passes(policy: &PolicyData) -> Vec<Pass> {
    let mut passes = vec![Pass {
        name: "none".to_owned(),
        preset: None,
        withdraw: false,
        gpc: false,
    }];
    // Global Privacy Control, when the policy lets it refuse a category.
    if policy.gpc_refused().next().is_some() {
        passes.push(Pass {
            name: "gpc".to_owned(),
            preset: None,
            withdraw: false,
            gpc: true,
        });
    }
    passes.extend([Pass {
        name: "necessary".to_owned(),
        preset: Some(Consent::necessary_only()),
        withdraw: false,
        gpc: false,
    }]);
    let used: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|&category| category != Category::Necessary)
        .filter(|&category| policy.by_category(category).next().is_some())
        .collect();
    for &category in &used {
        passes.push(Pass {
            name: category.as_str().to_owned(),
            preset: Some(Consent::necessary_only().grant(category)),
            withdraw: false,
            gpc: false,
        });
    }
    let all = used
        .iter()
        .fold(Consent::necessary_only(), |all, &category| {
            all.grant(category)
        });
    passes.push(Pass {
        name: "all".to_owned(),
        preset: Some(all),
        withdraw: false,
        gpc: false,
    });
    passes.push(Pass {
        name: "withdraw".to_owned(),
        preset: Some(all),
        withdraw: true,
        gpc: false,
    });
    passes
}

/// Runs the audit: loads the policy, observes (browser or HAR), judges and
/// reports.
pub(crate) fn audit(request: &Request) -> Outcome {
    let (shown, policy, lines) = match load::policy_file_with_lines(&request.policy) {
        Ok(loaded) => loaded,
        Err(LoadError::Unreadable(message)) => return Outcome::Failed(message),
        Err(LoadError::Mistakes(errors)) => {
            return Outcome::Failed(load::mistakes(
                &request.policy.display().to_string(),
                &errors,
            ));
        }
    };
    let observed = match (&request.har, request.urls.is_empty()) {
        (Some(har), true) => har::observe(har, &policy),
        (Some(_), false) => Err(
            "error: give either `--har FILE` or URLs, not both\n  = help: `cookie-policy audit --har site.har`, or `cookie-policy audit https://example.com/`\n"
                .to_owned(),
        ),
        (None, true) => Err(
            "error: nothing to audit\n  = help: give the URL of a page, `cookie-policy audit https://example.com/`, or a recording, `--har site.har`\n"
                .to_owned(),
        ),
        (None, false) => crawl(request, &policy),
    };
    let observed = match observed {
        Ok(observed) => observed,
        Err(message) => return Outcome::Failed(message),
    };
    let findings = findings::judge(&policy, &observed);
    let rendered = match request.format {
        Format::Sarif => sarif::audit(&shown, &policy, &lines, &observed, &findings),
        format => report::render(format, &shown, &policy, &observed, &findings),
    };
    let failing = findings.iter().any(|finding| finding.kind.fails());
    let stdout = match &request.output {
        None => rendered,
        Some(path) => match std::fs::write(path, rendered) {
            Ok(()) => String::new(),
            Err(error) => return Outcome::Failed(write_error(path, &error)),
        },
    };
    if failing {
        Outcome::Findings {
            stdout,
            stderr: String::new(),
        }
    } else {
        Outcome::Clean(stdout)
    }
}

fn write_error(path: &Path, error: &std::io::Error) -> String {
    format!(
        "error: cannot write `{}`: {error}\n  = help: give `-o` a path in a directory that exists and can be written\n",
        path.display()
    )
}

#[cfg(feature = "browser")]
fn crawl(request: &Request, policy: &PolicyData) -> Result<observe::Observations, String> {
    browser::crawl(request, policy)
}

#[cfg(not(feature = "browser"))]
fn crawl(_: &Request, _: &PolicyData) -> Result<observe::Observations, String> {
    Err("error: this `cookie-policy` was built without a browser (feature `browser`)\n  = help: audit a recording with `--har FILE`, or install with the default features\n".to_owned())
}
