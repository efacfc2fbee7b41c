//! (feature `load`) A policy file read at run time into a [`PolicyData`]:
//! checked by the derive's own compiler (`cookie-policy-codegen`), then laid
//! out as the derive lays out its statics, with the same constructors and
//! codes, so that every renderer and lookup works on it unchanged.

use std::path::Path;

use crate::{ConsentModeSettings, Cookie, PolicyData, Provider, Signals, SiteInfo, Text};

/// One mistake in a policy file, displayed as the compiler shows it
/// (`policy.toml:14:12`, the line quoted, what to do).
pub use cookie_policy_codegen::Error as PolicyFileError;

/// Why [`PolicyData::load`] could not load a policy file.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("cannot read the policy file `{path}`: {source}")]
    Unreadable {
        /// The path, as given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file has mistakes: `#[derive(CookiePolicy)]` would not compile it.
    /// Displayed with each mistake as the compiler shows it.
    #[error("{} has {} mistake(s); `#[derive(CookiePolicy)]` would not compile it{}", .path, .mistakes.len(), shown(.mistakes))]
    Mistakes {
        /// The path, as given.
        path: String,
        /// Each mistake, in the file's order.
        mistakes: Vec<PolicyFileError>,
    },
}

/// Each mistake on its own lines, after a blank line, as `cargo build`
/// prints them.
fn shown(mistakes: &[PolicyFileError]) -> String {
    mistakes
        .iter()
        .map(|mistake| format!("\n\nerror: {mistake}"))
        .collect()
}

impl PolicyData {
    /// Reads and checks the policy file at `path`, as `#[derive(CookiePolicy)]`
    /// would, and lays it out as the derive does: the same type, the same
    /// renderers and lookups, the same [`revision`](PolicyData::revision).
    ///
    /// The data is leaked, as the derive's statics live for the whole
    /// program: load a policy once per process, not per request.
    ///
    /// ```
    /// use cookie_policy::{CookiePolicy, Platform, PolicyData};
    ///
    /// let loaded = PolicyData::load("policy.toml").unwrap();
    /// assert_eq!(loaded.revision(), Platform::REVISION);
    /// assert_eq!(loaded.lookup("csrftoken"), Some(Platform::CSRFTOKEN));
    /// assert_eq!(loaded.markdown("fr"), PolicyData::of::<Platform>().markdown("fr"));
    ///
    /// let missing = PolicyData::load("no-such-policy.toml").unwrap_err();
    /// assert!(missing.to_string().starts_with("cannot read the policy file `no-such-policy.toml`"));
    ///
    /// // A file with mistakes: each one is shown as the compiler shows it.
    /// let text = std::fs::read_to_string("policy.toml").unwrap();
    /// let broken = std::env::temp_dir().join(format!("broken-{}.toml", std::process::id()));
    /// std::fs::write(&broken, text.replace("\"necessary\"", "\"neccessary\"")).unwrap();
    /// let mistakes = PolicyData::load(&broken).unwrap_err().to_string();
    /// std::fs::remove_file(&broken).unwrap();
    /// assert!(mistakes.contains("mistake(s); `#[derive(CookiePolicy)]` would not compile it"));
    /// assert!(mistakes.contains("did you mean `necessary`?"), "{mistakes}");
    /// ```
    pub fn load(path: impl AsRef<Path>) -> Result<PolicyData, LoadError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let mistakes = |mistakes| LoadError::Mistakes {
            path: shown.clone(),
            mistakes,
        };
        let text = cookie_policy_codegen::read_policy_file(path, &shown)
            .map_err(|source| LoadError::Unreadable {
                path: shown.clone(),
                source,
            })?
            .map_err(|error| mistakes(vec![error]))?;
        PolicyData::from_toml(&shown, &text).map_err(mistakes)
    }

    /// [`load`](Self::load), for a policy's text; `path` is how messages
    /// name the file.
    ///
    /// ```
    /// use cookie_policy::PolicyData;
    ///
    /// let text = std::fs::read_to_string("policy.toml").unwrap();
    /// let broken = text.replace("category = \"necessary\"", "category = \"neccessary\"");
    /// let mistakes = PolicyData::from_toml("policy.toml", &broken).unwrap_err();
    /// assert!(mistakes[0].to_string().contains("did you mean `necessary`?"), "{}", mistakes[0]);
    /// ```
    pub fn from_toml(path: &str, text: &str) -> Result<PolicyData, Vec<PolicyFileError>> {
        cookie_policy_codegen::policy(path, text).map(|policy| laid_out(&policy))
    }
}

/// The checked model as the derive's statics would hold it: the same
/// constructors, codes and decoder as the expansion.
fn laid_out(policy: &cookie_policy_codegen::Policy) -> PolicyData {
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
        site.url.as_deref().map(leaked),
        strs(&site.locations),
        banner.leak(),
    )));
    let providers: &'static [Provider] = policy
        .providers
        .iter()
        .map(|provider| {
            Provider::__new(
                leaked(&provider.id),
                leaked(&provider.name),
                provider.url.as_deref().map(leaked),
            )
        })
        .collect::<Vec<_>>()
        .leak();
    // The compiler checked every provider reference: none is skipped.
    let cookies: &'static [Cookie] = policy
        .cookies
        .iter()
        .filter_map(|cookie| {
            let provider = providers.get(cookie.provider)?;
            let codes = cookie.codes();
            crate::cookie::decoded(
                leaked(&cookie.name),
                provider,
                languages,
                strs(&cookie.function.0),
                strs(&cookie.locations),
                strs(&cookie.purpose.0),
                codes.category,
                codes.lifetime_amount,
                codes.lifetime_unit,
                leaked(cookie.domain.as_deref().unwrap_or("")),
                leaked(cookie.path.as_deref().unwrap_or("")),
                codes.flags,
            )
        })
        .collect::<Vec<_>>()
        .leak();
    let consent_cookie = policy.consent_cookie.and_then(|index| cookies.get(index));
    // The derive's own lookup tables, built by its own code, over the
    // cookies in the same order: lookups cost what they cost compiled in.
    // Without them (a policy past the index's size), lookups scan.
    let index = cookie_policy_codegen::lookup_tables(policy)
        .filter(|_| cookies.len() == policy.cookies.len())
        .map(|tables| {
            let keys: &'static [&'static str] = cookies
                .iter()
                .map(|cookie| core::str::from_utf8(cookie.key()).unwrap_or_default())
                .collect::<Vec<_>>()
                .leak();
            &*Box::leak(Box::new(crate::index::Index {
                cookies,
                keys,
                seed: tables.seed,
                exact: tables.exact.leak(),
                prefixes: tables.prefixes.leak(),
                prefix_filter: tables.prefix_filter.leak(),
                long_prefix_filter: tables.long_prefix_filter.leak(),
                short_prefixes: tables.short_prefixes,
                long_prefixes: tables.long_prefixes.leak(),
            }))
        });
    PolicyData::from_parts(
        site,
        providers,
        cookies,
        crate::Revision::new(policy.revision()),
        consent_cookie,
        signals(&policy.signals),
        index,
    )
}

/// The checked signals as the derive's `__SIGNALS` holds them.
fn signals(signals: &cookie_policy_codegen::Signals) -> &'static Signals {
    let consent_mode = signals
        .consent_mode
        .clone()
        .map(|keys| -> &'static [crate::ConsentModeKey] { keys.leak() });
    Box::leak(Box::new(Signals::__new(
        signals.gpc,
        consent_mode,
        ConsentModeSettings::__new(signals.wait_for_update, strs(&signals.regions)),
        signals.gpc_last_update,
    )))
}

fn leaked(text: &str) -> &'static str {
    text.to_owned().leak()
}

fn strs(texts: &[String]) -> &'static [&'static str] {
    texts
        .iter()
        .map(|text| leaked(text))
        .collect::<Vec<_>>()
        .leak()
}
