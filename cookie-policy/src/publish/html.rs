//! The policy page as a standalone HTML document.

use core::fmt::Write as _;

use html_escape::{encode_double_quoted_attribute as attribute, encode_text as text};

use super::page::{Page, PublishError};
use crate::{CookiePolicy, PolicyData};

/// The policy page's stylesheet (a few rules, system fonts, tables that
/// scroll inside their box on a phone), for other pages that should look
/// like it, such as `cookie-policy audit`'s HTML report.
pub const STYLESHEET: &str = "body{font-family:system-ui,sans-serif;line-height:1.5;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}\
table{border-collapse:collapse;width:100%;margin:1rem 0 2rem}\
.table{overflow-x:auto;margin:1rem 0 2rem}.table table{margin:0}\
th,td{border:1px solid #bbb;padding:.4rem .6rem;text-align:left;vertical-align:top}\
th{background:#f0f0f0}code{font-size:.95em}";

/// The policy page of `P` as a complete, standalone HTML document in
/// `language` (`"en"` or `"fr"`): the same content as
/// [`markdown`](super::markdown), with a `lang` attribute, real tables with
/// header cells, each named by its heading, readable without its small inline stylesheet,
/// and no script.
///
/// Every text from the policy is escaped with the `html-escape` crate: a
/// policy cannot inject markup into its own page.
///
/// ```
/// use cookie_policy::{Platform, publish};
///
/// let page = publish::html::<Platform>("en").unwrap();
/// assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
/// assert!(page.contains("<th scope=\"col\">Cookie name(s)</th>"));
/// ```
pub fn html<P: CookiePolicy + ?Sized>(language: &str) -> Result<String, PublishError> {
    html_data(&PolicyData::of::<P>(), language)
}

/// [`html`] of a policy's data.
pub(crate) fn html_data(policy: &PolicyData, language: &str) -> Result<String, PublishError> {
    let page = Page::new(policy, language)?;
    let s = page.wording;
    let mut out = String::new();
    let title = format!("{} — {}", s.title, page.site_name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLESHEET}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        s.language,
        text(&title),
        text(&title),
    );
    if let Some(url) = page.site_url {
        let _ = writeln!(
            out,
            "<p><a href=\"{}\">{}</a></p>",
            attribute(url),
            text(url)
        );
    }
    let _ = writeln!(
        out,
        "<h2>{}</h2>\n<p>{}</p>",
        s.what_is_a_cookie, s.what_is_a_cookie_text
    );
    let _ = writeln!(out, "<h2>{}</h2>\n<ul>", s.kinds);
    for (kind, description) in s.kinds_list {
        let _ = writeln!(out, "<li><strong>{kind}</strong> {description}</li>");
    }
    let _ = writeln!(out, "</ul>\n<h2>{}</h2>", s.cookies_used);
    if page.table.sections.is_empty() {
        let _ = writeln!(out, "<p>{}</p>", s.no_cookies);
    }
    for section in &page.table.sections {
        // The heading names the table (aria-labelledby): no caption repeats it.
        let id = section.category.as_str();
        let _ = writeln!(
            out,
            "<section>\n<h3 id=\"{id}\">{}</h3>\n<p>{}</p>\n<div class=\"table\">\n<table aria-labelledby=\"{id}\">\n<thead>\n<tr>",
            section.heading, section.text
        );
        for column in s.columns {
            let _ = write!(out, "<th scope=\"col\">{}</th>", text(column));
        }
        let _ = writeln!(out, "</tr>\n</thead>\n<tbody>");
        for row in &section.rows {
            let names = row.names_cell(s, |name| format!("<code>{}</code>", text(name)));
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{names}</td><td>{}</td><td>{}</td></tr>",
                text(&row.provider),
                text(&row.function_and_location),
                text(&row.purpose),
                text(&row.lifetime),
            );
        }
        let _ = writeln!(out, "</tbody>\n</table>\n</div>\n</section>");
    }
    let _ = write!(
        out,
        "<p><small>{} <code>{}</code></small></p>\n</main>\n</body>\n</html>\n",
        s.revision, page.revision
    );
    Ok(out)
}
