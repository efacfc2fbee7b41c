//! The rustdoc text of a generated policy: the policy page's tables on the
//! type's page, one line on each constant.

use core::fmt::Write as _;

use cookie_policy_core::{markdown_cell as escape, markdown_code as code};

use crate::model::{Category, Cookie, Policy};

/// The documentation of the generated `impl` block: one table per category,
/// in the columns of the published policy page.
pub fn policy_doc(policy: &Policy, file: &str) -> String {
    let site = &policy.site;
    let mut doc = String::new();
    let site_name = escape(site.name.default_text());
    let _ = match &site.url {
        Some(url) => write!(
            doc,
            "The cookie policy of [{site_name}]({})",
            escape_url(url)
        ),
        None => write!(doc, "The cookie policy of {site_name}"),
    };
    let _ = writeln!(
        doc,
        ", compiled from `{}`: {} cookie{} from {} provider{}.",
        file.replace('`', "'"),
        policy.cookies.len(),
        plural(policy.cookies.len()),
        policy.providers.len(),
        plural(policy.providers.len()),
    );
    for category in Category::ALL {
        let cookies: Vec<&Cookie> = policy
            .cookies
            .iter()
            .filter(|cookie| cookie.category == category)
            .collect();
        if cookies.is_empty() {
            continue;
        }
        let _ = write!(
            doc,
            "\n# {}\n\n{}\n\n| Service provider's name | Function and location | Cookie name(s) | Purposes | Lifetime |\n|---|---|---|---|---|\n",
            heading(category),
            blurb(category)
        );
        for row in rows(&cookies) {
            let Some(first) = row.first() else { continue };
            let provider = policy
                .providers
                .get(first.provider)
                .map_or("", |provider| provider.name.as_str());
            let names: Vec<String> = row.iter().map(|cookie| name_cell(cookie)).collect();
            let _ = writeln!(
                doc,
                "| {} | {} | {} | {} | {} |",
                escape(provider),
                escape(&function_and_location(first)),
                names.join(", "),
                escape(first.purpose.default_text()),
                first
                    .lifetime
                    .map_or_else(|| "not stated".to_owned(), |l| l.to_string()),
            );
        }
    }
    doc
}

/// The documentation of one cookie's constant.
pub fn constant_doc(policy: &Policy, cookie: &Cookie, file: &str) -> String {
    let provider = policy
        .providers
        .get(cookie.provider)
        .map_or("", |provider| provider.name.as_str());
    let kind = if cookie.is_pattern {
        "Every cookie whose name starts with"
    } else {
        "The cookie"
    };
    let mut facts = vec![
        escape(provider),
        cookie.category.as_str().to_owned(),
        if cookie.party == crate::model::Party::First {
            "first-party"
        } else {
            "third-party"
        }
        .to_owned(),
    ];
    if let Some(lifetime) = cookie.lifetime {
        facts.push(lifetime.to_string());
    }
    facts.push(
        if cookie.requires_consent {
            "needs consent"
        } else {
            "no consent needed"
        }
        .to_owned(),
    );
    let shown_name = if cookie.is_pattern {
        cookie.key()
    } else {
        cookie.name.as_str()
    };
    format!(
        "{kind} {}: {}.\n\n{}: {}.\n\nDeclared in `{}` at line {}.",
        code(shown_name),
        escape(cookie.purpose.default_text().trim_end_matches('.')),
        escape(cookie.function.default_text()),
        facts.join(", "),
        file.replace('`', "'"),
        cookie.line,
    )
}

/// Cookies that share provider, function, locations, purpose, lifetime and
/// consent share a row, as on the published page; rows keep the order of
/// their first cookie.
fn rows<'c>(cookies: &[&'c Cookie]) -> Vec<Vec<&'c Cookie>> {
    type RowKey<'c> = (
        usize,
        &'c str,
        &'c [String],
        &'c str,
        Option<crate::model::Lifetime>,
        bool,
    );
    let mut rows: Vec<Vec<&Cookie>> = Vec::new();
    let mut row_of: std::collections::HashMap<RowKey<'c>, usize> = std::collections::HashMap::new();
    for &cookie in cookies {
        let key = (
            cookie.provider,
            cookie.function.default_text(),
            cookie.locations.as_slice(),
            cookie.purpose.default_text(),
            cookie.lifetime,
            cookie.requires_consent,
        );
        match row_of.get(&key).and_then(|&row| rows.get_mut(row)) {
            Some(row) => row.push(cookie),
            None => {
                row_of.insert(key, rows.len());
                rows.push(vec![cookie]);
            }
        }
    }
    rows
}

fn function_and_location(cookie: &Cookie) -> String {
    if cookie.locations.is_empty() {
        cookie.function.default_text().to_owned()
    } else {
        format!(
            "{} ({})",
            cookie.function.default_text(),
            cookie.locations.join(", ")
        )
    }
}

fn name_cell(cookie: &Cookie) -> String {
    let name = code(&cookie.name);
    if cookie.category == Category::Statistical && !cookie.requires_consent {
        format!("{name} (anonymized)")
    } else {
        name
    }
}

fn heading(category: Category) -> &'static str {
    match category {
        Category::Necessary => "Necessary cookies",
        Category::Functional => "Functional cookies",
        Category::Statistical => "Statistical cookies",
        Category::Advertising => "Advertising cookies",
    }
}

fn blurb(category: Category) -> &'static str {
    match category {
        Category::Necessary => {
            "Necessary for the site to work. They do not require the visitor's consent."
        }
        Category::Functional => {
            "Remember the visitor's choices beyond what is necessary. They require consent."
        }
        Category::Statistical => {
            "Measure the site's audience. They require consent, except anonymized first-party ones."
        }
        Category::Advertising => "Advertising and tracking. They require consent.",
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn escape_url(url: &str) -> String {
    url.replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}
