//! The policy page in Markdown.

use core::fmt::Write as _;

use cookie_policy_core::{markdown_cell, markdown_code};

use super::page::{Page, PublishError};
use crate::CookiePolicy;

/// The policy page of `P` in Markdown, in `language` (`"en"` or `"fr"`): what
/// a cookie is, the kinds of cookies and which need consent, then one table
/// per category in the columns of the platform's published page.
///
/// Every text from the policy is escaped: it cannot add Markdown, HTML or a
/// table cell.
pub fn markdown<P: CookiePolicy + ?Sized>(language: &str) -> Result<String, PublishError> {
    let page = Page::new::<P>(language)?;
    let s = page.strings;
    let mut out = String::new();
    let _ = writeln!(out, "# {} — {}\n", s.title, markdown_cell(page.site_name));
    if let Some(url) = page.site_url {
        let _ = writeln!(out, "<{}>\n", url.replace(['<', '>', ' '], ""));
    }
    let _ = writeln!(
        out,
        "## {}\n\n{}\n",
        s.what_is_a_cookie, s.what_is_a_cookie_text
    );
    let _ = writeln!(out, "## {}\n", s.kinds);
    for (kind, text) in s.kinds_list {
        let _ = writeln!(out, "- **{kind}** {text}");
    }
    let _ = writeln!(out, "\n## {}", s.cookies_used);
    if page.sections.is_empty() {
        let _ = writeln!(out, "\n{}", s.no_cookies);
    }
    for (category, rows) in &page.sections {
        let _ = writeln!(
            out,
            "\n### {}\n\n{}\n",
            s.category_heading(*category),
            s.category_text(*category)
        );
        let _ = writeln!(out, "| {} |", s.columns.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(s.columns.len()));
        for row in rows {
            let names = row.names_cell(s, markdown_code);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                markdown_cell(row.provider),
                markdown_cell(&row.function_and_location),
                names,
                markdown_cell(row.purpose),
                markdown_cell(&row.lifetime),
            );
        }
    }
    let _ = writeln!(out, "\n{} `{:016x}`.", s.revision, page.revision);
    Ok(out)
}
