//! The policy page in Markdown.

use core::fmt::Write as _;

use cookie_policy_core::markdown_cell;

use super::page::{Page, PublishError};
use crate::{CookiePolicy, PolicyData};

/// The policy page of `P` in Markdown, in `language` (`"en"` or `"fr"`): what
/// a cookie is, the kinds of cookies and which need consent, then one table
/// per category in the columns of the platform's published page.
///
/// Every text from the policy is escaped: it cannot add Markdown, HTML or a
/// table cell.
pub fn markdown<P: CookiePolicy + ?Sized>(language: &str) -> Result<String, PublishError> {
    markdown_data(&PolicyData::of::<P>(), language)
}

/// [`markdown`] of a policy's data.
pub(crate) fn markdown_data(policy: &PolicyData, language: &str) -> Result<String, PublishError> {
    let page = Page::new(policy, language)?;
    let s = page.wording;
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
    if page.table.sections.is_empty() {
        let _ = writeln!(out, "\n{}", s.no_cookies);
    }
    out.push_str(&page.table.to_markdown(3));
    let _ = writeln!(out, "\n{} `{}`.", s.revision, page.revision);
    Ok(out)
}
