//! What a policy page says, in a language, whatever it is written in: the
//! one model Markdown and HTML are rendered from.

use cookie_policy_core::{Table, TableCookie, Wording};

use crate::{Category, Cookie, Lifetime, PolicyData};

/// Why a page could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    /// The page's own texts exist in English and French only.
    #[error("pages are written in `en` and `fr`, not `{0}`; ask for one of those")]
    UnsupportedLanguage(String),
    /// The policy is not translated into the language asked for.
    #[error(
        "the policy is written in {available}, not `{language}`; add `{language}` to `[site] languages` and translate its texts"
    )]
    PolicyNotTranslated {
        /// The language asked for.
        language: String,
        /// The policy's languages, listed.
        available: String,
    },
    /// The export needs every cookie's lifetime, and this cookie has none.
    #[error(
        "the cookie `{0}` has no lifetime, and TCF disclosures need one for every cookie; add `lifetime = \"...\"` to it in policy.toml"
    )]
    MissingLifetime(String),
}

/// The page of policy `P` in `language`: the page's [`Wording`], the
/// site, and the policy [`Table`] that rustdoc shows too.
pub(crate) struct Page {
    pub wording: &'static Wording,
    pub site_name: &'static str,
    pub site_url: Option<&'static str>,
    pub revision: crate::Revision,
    pub table: Table,
}

impl Page {
    pub fn new(policy: &PolicyData, language: &str) -> Result<Page, PublishError> {
        let Some(wording) = Wording::for_language(language) else {
            return Err(PublishError::UnsupportedLanguage(language.to_owned()));
        };
        let site = policy.site();
        let languages = site.languages();
        let (Some(index), Some(site_name)) = (
            languages.iter().position(|&l| l == language),
            site.name_text().get(language),
        ) else {
            return Err(PublishError::PolicyNotTranslated {
                language: language.to_owned(),
                available: languages.join(", "),
            });
        };
        Ok(Page {
            wording,
            site_name,
            site_url: site.url(),
            revision: policy.revision(),
            table: table(policy, index, wording),
        })
    }
}

/// The policy table in the policy's language at `index`.
pub(crate) fn table(policy: &PolicyData, index: usize, wording: &'static Wording) -> Table {
    Table::new(
        policy.cookies(),
        policy.site().languages().len(),
        index,
        wording,
    )
}

impl TableCookie for Cookie {
    fn name(&self) -> &str {
        Cookie::name(self)
    }
    fn provider_id(&self) -> &str {
        Cookie::provider(self).id()
    }
    fn provider_name(&self) -> &str {
        Cookie::provider(self).name()
    }
    fn category(&self) -> Category {
        Cookie::category(self)
    }
    fn function(&self, language: usize) -> &str {
        self.function_text().at(language)
    }
    fn purpose(&self, language: usize) -> &str {
        self.purpose_text().at(language)
    }
    fn locations(&self) -> impl Iterator<Item = &str> {
        Cookie::locations(self).iter().copied()
    }
    fn lifetime(&self) -> Option<Lifetime> {
        Cookie::lifetime(self)
    }
    fn requires_consent(&self) -> bool {
        Cookie::requires_consent(self)
    }
}
