//! A policy file loaded at run time: read and checked by the derive's
//! compiler, then laid out as the derive lays it out in statics, so that the
//! library's renderers and lookups work on it unchanged.
//!
//! The data is leaked: the command loads one policy per run and keeps it to
//! the end, and the library's types hold `&'static` data, as the derive's
//! statics are.

use std::path::Path;

use cookie_policy::{PolicyData, Provider, SiteInfo, Text};

/// Why a policy could not be loaded.
pub(crate) enum LoadError {
    /// The file could not be read: bad input (exit 2).
    Unreadable(String),
    /// The file has mistakes, each displayed as the compiler shows it.
    Mistakes(Vec<cookie_policy_codegen::Error>),
}

/// Reads, checks and loads the policy file at `path`.
pub(crate) fn policy_file(
    path: &Path,
) -> Result<(String, cookie_policy_codegen::Policy), LoadError> {
    let shown = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|error| {
        LoadError::Unreadable(format!(
            "error: cannot read the policy file `{shown}`: {error}\n  = help: give the path of a policy.toml, for example `cookie-policy check site/policy.toml`\n"
        ))
    })?;
    let text = cookie_policy_codegen::policy_text(&shown, bytes)
        .map_err(|error| LoadError::Mistakes(vec![error]))?;
    let policy = cookie_policy_codegen::policy(&shown, &text).map_err(LoadError::Mistakes)?;
    Ok((shown, policy))
}

/// The mistakes of a policy file, as `cargo build` prints them, and a count.
pub(crate) fn mistakes(shown: &str, errors: &[cookie_policy_codegen::Error]) -> String {
    let mut out = String::new();
    for error in errors {
        out.push_str("error: ");
        out.push_str(&error.to_string());
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "error: {shown} has {}; `#[derive(CookiePolicy)]` would not compile it\n",
        counted(errors.len(), "mistake"),
    ));
    out
}

/// `1 cookie`, `4 cookies`, `2 passes`.
pub(crate) fn counted(count: usize, noun: &str) -> String {
    match (count, noun.ends_with('s')) {
        (1, _) => format!("{count} {noun}"),
        (_, true) => format!("{count} {noun}es"),
        (_, false) => format!("{count} {noun}s"),
    }
}

/// The checked model as the library's data: the same constructors, codes
/// and decoder as the derive's expansion.
pub(crate) fn data(policy: &cookie_policy_codegen::Policy) -> PolicyData {
    let languages = strs(&policy.site.languages);
    let text = |text: &cookie_policy_codegen::Text| Text::__new(languages, strs(&text.0));
    let site = &policy.site;
    let banner: Vec<(&'static str, Text)> = site
        .banner
        .iter()
        .map(|(key, value)| (*key, text(value)))
        .collect();
    let site: &'static SiteInfo = Box::leak(Box::new(SiteInfo::__new(
        text(&site.name),
        site.url.as_deref().map(str_),
        strs(&site.locations),
        banner.leak(),
    )));
    let providers: &'static [Provider] = policy
        .providers
        .iter()
        .map(|provider| {
            Provider::__new(
                str_(&provider.id),
                str_(&provider.name),
                provider.url.as_deref().map(str_),
            )
        })
        .collect::<Vec<_>>()
        .leak();
    // The compiler checked every provider reference: none is skipped.
    let cookies: &'static [cookie_policy::Cookie] = policy
        .cookies
        .iter()
        .filter_map(|cookie| {
            let provider = providers.get(cookie.provider)?;
            let codes = cookie.codes();
            Some(cookie_policy::__private::cookie(
                str_(&cookie.name),
                provider,
                languages,
                strs(&cookie.function.0),
                strs(&cookie.locations),
                strs(&cookie.purpose.0),
                codes.category,
                codes.lifetime_amount,
                codes.lifetime_unit,
                str_(cookie.domain.as_deref().unwrap_or("")),
                str_(cookie.path.as_deref().unwrap_or("")),
                codes.flags,
            ))
        })
        .collect::<Vec<_>>()
        .leak();
    let consent_cookie = policy.consent_cookie.and_then(|index| cookies.get(index));
    PolicyData::__new(site, providers, cookies, policy.revision(), consent_cookie)
}

fn str_(text: &str) -> &'static str {
    text.to_owned().leak()
}

fn strs(texts: &[String]) -> &'static [&'static str] {
    texts
        .iter()
        .map(|text| str_(text))
        .collect::<Vec<_>>()
        .leak()
}
