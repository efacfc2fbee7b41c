//! The rustdoc text of a generated policy: the policy page's tables on the
//! type's page, one line on each constant.

use core::fmt::Write as _;

use cookie_policy_core::{
    Table, TableCookie, Wording, markdown_cell as escape, markdown_code as code,
};

use crate::model::{Category, Cookie, Lifetime, Policy, Provider};

/// The documentation of the generated `impl` block: the tables of the
/// published policy page (`cookie_policy_core::Table`), in the policy's
/// default language.
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
    let wording = site
        .languages
        .first()
        .and_then(|language| Wording::for_language(language))
        .unwrap_or(&Wording::EN);
    let cookies = policy.cookies.iter().map(|cookie| PolicyCookie {
        cookie,
        provider: policy.providers.get(cookie.provider),
    });
    let cookies: Vec<PolicyCookie<'_>> = cookies.collect();
    let table = Table::new(&cookies, site.languages.len(), 0, wording);
    doc.push_str(&table.to_markdown(1));
    doc
}

/// A cookie of the model with its provider, as the table model reads it.
struct PolicyCookie<'a> {
    cookie: &'a Cookie,
    provider: Option<&'a Provider>,
}

impl TableCookie for PolicyCookie<'_> {
    fn name(&self) -> &str {
        &self.cookie.name
    }
    fn provider_id(&self) -> &str {
        self.provider.map_or("", |provider| provider.id.as_str())
    }
    fn provider_name(&self) -> &str {
        self.provider.map_or("", |provider| provider.name.as_str())
    }
    fn category(&self) -> Category {
        self.cookie.category
    }
    fn function(&self, language: usize) -> &str {
        self.cookie.function.get(language)
    }
    fn purpose(&self, language: usize) -> &str {
        self.cookie.purpose.get(language)
    }
    fn locations(&self) -> impl Iterator<Item = &str> {
        self.cookie.locations.iter().map(String::as_str)
    }
    fn lifetime(&self) -> Option<Lifetime> {
        self.cookie.lifetime
    }
    fn requires_consent(&self) -> bool {
        self.cookie.requires_consent
    }
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

fn plural(count: usize) -> &'static str {
    if count == 1 { "" } else { "s" }
}

fn escape_url(url: &str) -> String {
    url.replace('(', "%28")
        .replace(')', "%29")
        .replace('<', "%3C")
        .replace('>', "%3E")
}
