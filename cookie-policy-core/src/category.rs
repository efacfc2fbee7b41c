//! The two classifications every cookie carries: its [`Category`] and its [`Party`].

use core::fmt;
use core::str::FromStr;

/// What a cookie is for, which decides whether it needs the visitor's consent.
///
/// The four categories are those of the platform's published policy page and of
/// the CNIL's guidance. In `policy.toml` they are written in lower case:
/// `category = "statistical"`.
///
/// ```
/// use cookie_policy_core::Category;
///
/// assert_eq!("statistical".parse::<Category>(), Ok(Category::Statistical));
/// assert_eq!(Category::Advertising.to_string(), "advertising");
/// assert!(!Category::Necessary.requires_consent());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Strictly necessary for the site to work (session, CSRF, language, the
    /// consent choice itself). Never requires consent.
    Necessary,
    /// Remembers the visitor's preferences beyond what is strictly necessary.
    Functional,
    /// Audience measurement and statistics.
    Statistical,
    /// Advertising, tracking and profiling.
    Advertising,
}

impl Category {
    /// Every category, in the order the policy page lists them.
    pub const ALL: [Category; 4] = [
        Category::Necessary,
        Category::Functional,
        Category::Statistical,
        Category::Advertising,
    ];

    /// The name used in `policy.toml`: `"necessary"`, `"functional"`,
    /// `"statistical"` or `"advertising"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Category::Necessary => "necessary",
            Category::Functional => "functional",
            Category::Statistical => "statistical",
            Category::Advertising => "advertising",
        }
    }

    /// Whether cookies of this category need consent by default.
    ///
    /// Only [`Category::Necessary`] is exempt. A single cookie may still be
    /// exempt when it is an anonymized statistical cookie: ask the cookie,
    /// with `Cookie::requires_consent` in `cookie-policy`.
    pub const fn requires_consent(self) -> bool {
        !matches!(self, Category::Necessary)
    }

    /// The names of `categories`, in the order given, joined by
    /// `separator`: how the consent cookie, the log's columns and every
    /// message list categories.
    ///
    /// ```
    /// use cookie_policy_core::Category;
    ///
    /// let both = [Category::Necessary, Category::Statistical];
    /// assert_eq!(Category::join(both, "+"), "necessary+statistical");
    /// assert_eq!(Category::join([], ", "), "");
    /// ```
    pub fn join(categories: impl IntoIterator<Item = Category>, separator: &str) -> String {
        let mut joined = String::new();
        for (index, category) in categories.into_iter().enumerate() {
            if index > 0 {
                joined.push_str(separator);
            }
            joined.push_str(category.as_str());
        }
        joined
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string names no [`Category`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown cookie category `{0}`: expected one of `necessary`, `functional`, `statistical`, `advertising`"
)]
pub struct ParseCategoryError(String);

impl FromStr for Category {
    type Err = ParseCategoryError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .into_iter()
            .find(|category| category.as_str() == s)
            .ok_or_else(|| ParseCategoryError(s.to_owned()))
    }
}

/// Who sets a cookie: the site itself, or another site it embeds.
///
/// ```
/// use cookie_policy_core::Party;
///
/// assert_eq!(Party::default(), Party::First);
/// assert_eq!(Party::Third.to_string(), "third-party");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    /// Set by the site the visitor is on (`party = "first"`, the default).
    #[default]
    First,
    /// Set by another domain through content the site embeds (`party = "third"`).
    Third,
}

impl Party {
    /// Both parties, first-party first.
    pub const ALL: [Party; 2] = [Party::First, Party::Third];

    /// The name used in `policy.toml` and in JSON: `"first"` or `"third"`.
    pub const fn keyword(self) -> &'static str {
        match self {
            Party::First => "first",
            Party::Third => "third",
        }
    }

    /// `"first-party"` or `"third-party"`, as a policy page says it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Party::First => "first-party",
            Party::Third => "third-party",
        }
    }
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string names no [`Party`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown party `{0}`: expected `first` or `third`")]
pub struct ParsePartyError(String);

/// Parses `"first"` or `"third"`, as `policy.toml` writes a party.
///
/// ```
/// use cookie_policy_core::Party;
///
/// assert_eq!("third".parse(), Ok(Party::Third));
/// assert!("Third".parse::<Party>().is_err());
/// ```
impl FromStr for Party {
    type Err = ParsePartyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Party::ALL
            .into_iter()
            .find(|party| party.keyword() == s)
            .ok_or_else(|| ParsePartyError(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_names_round_trip() {
        for category in Category::ALL {
            assert_eq!(category.as_str().parse(), Ok(category));
        }
    }

    #[test]
    fn unknown_category_says_what_is_expected() {
        let error = "Statistical".parse::<Category>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown cookie category `Statistical`: expected one of `necessary`, `functional`, `statistical`, `advertising`"
        );
    }
}
