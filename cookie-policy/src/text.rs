//! Texts in the policy's languages: [`Text`].

use core::fmt;

/// A text of the policy (a cookie's function or purpose, the site's name) in
/// each of the policy's languages (`[site] languages`, the first being the
/// default).
///
/// ```
/// use cookie_policy::{CookiePolicy, Platform};
///
/// let purpose = Platform::SESSIONID.purpose_text();
/// assert_eq!(purpose.as_str(), "To remember the user from one page to another");
/// assert_eq!(purpose.get("fr"), Some("Se souvenir de l'utilisateur d'une page à l'autre"));
/// assert_eq!(purpose.get("de"), None);
/// assert_eq!(purpose.to_string(), purpose.as_str());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Text {
    languages: &'static [&'static str],
    values: &'static [&'static str],
}

impl Text {
    #[doc(hidden)]
    pub const fn __new(
        languages: &'static [&'static str],
        values: &'static [&'static str],
    ) -> Text {
        Text { languages, values }
    }

    /// The text in the policy's default language.
    pub const fn as_str(&self) -> &'static str {
        match self.values.first() {
            Some(value) => value,
            None => "",
        }
    }

    /// The text in `language` (a tag of `[site] languages`, such as `"fr"`),
    /// or `None` if the policy is not written in it.
    pub fn get(&self, language: &str) -> Option<&'static str> {
        let index = self.languages.iter().position(|&l| l == language)?;
        self.values.get(index).copied()
    }

    /// The text in the policy's language at `index`; empty when there is none.
    pub(crate) fn at(&self, index: usize) -> &'static str {
        self.values.get(index).copied().unwrap_or("")
    }

    /// The languages of the policy, the default first.
    pub const fn languages(&self) -> &'static [&'static str] {
        self.languages
    }

    /// Every translation, as (language, text), the default first.
    pub fn translations(&self) -> impl Iterator<Item = (&'static str, &'static str)> + 'static {
        self.languages
            .iter()
            .copied()
            .zip(self.values.iter().copied())
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
