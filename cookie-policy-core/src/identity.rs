//! The two identities a consent refers to: the policy's [`Revision`] and
//! the [`Language`] a visitor was shown. Each is checked where it enters,
//! so that a bad one is an error there and never travels as a string.

use core::fmt;
use core::str::FromStr;

/// A revision of a policy: a 64-bit hash of everything the policy says,
/// computed by the derive, written as 16 lowercase hex digits. A visitor's
/// consent is to one revision.
///
/// ```
/// use cookie_policy_core::Revision;
///
/// let revision: Revision = "00000000c0ffee01".parse().unwrap();
/// assert_eq!(revision.get(), 0xc0ffee01);
/// assert_eq!(revision.to_string(), "00000000c0ffee01");
/// assert_eq!(revision.banner(), 0x40ffee01); // the banner keeps 31 bits
///
/// let error = "c0ffee".parse::<Revision>().unwrap_err();
/// assert_eq!(error.to_string(), "`c0ffee` is not a policy revision: write its 16 hex digits, as `CookiePolicy::REVISION` shows them");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Revision(u64);

impl Revision {
    /// The revision whose hash is `hash`.
    pub const fn new(hash: u64) -> Revision {
        Revision(hash)
    }

    /// The hash.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The revision as the vanilla-cookieconsent banner stores it: the low
    /// 31 bits, since it compares revisions as JavaScript numbers and a
    /// JSON reader may take them as signed 32-bit integers.
    pub const fn banner(self) -> u32 {
        (self.0 & 0x7fff_ffff) as u32
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// A text that is not a [`Revision`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseRevisionError(String);

impl fmt::Display for ParseRevisionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a policy revision: write its 16 hex digits, as `CookiePolicy::REVISION` shows them",
            self.0
        )
    }
}

impl std::error::Error for ParseRevisionError {}

impl FromStr for Revision {
    type Err = ParseRevisionError;

    fn from_str(text: &str) -> Result<Revision, ParseRevisionError> {
        let refused = || ParseRevisionError(text.chars().take(64).collect());
        if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(refused());
        }
        u64::from_str_radix(text, 16)
            .map(Revision)
            .map_err(|_| refused())
    }
}

/// A language a policy is written in: a BCP 47 tag as `[site] languages`
/// lists it (`"en"`, `"fr"`, `"fr-CA"`): 2 or 3 lowercase letters, then
/// `-` and up to 8 letters or digits, any number of times.
///
/// ```
/// use cookie_policy_core::Language;
///
/// let french = Language::new("fr-CA").unwrap();
/// assert_eq!(french.as_str(), "fr-CA");
/// assert_eq!(french.primary(), "fr");
///
/// let error = Language::new("French").unwrap_err();
/// assert_eq!(error.to_string(), "`French` is not a language tag: write a BCP 47 tag such as `en`, `fr` or `fr-CA`");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(std::borrow::Cow<'static, str>);

impl Language {
    /// English, `en`: the language a policy is written in when it does not
    /// say.
    pub const EN: Language = Language(std::borrow::Cow::Borrowed("en"));

    /// The tag, checked.
    pub fn new(tag: &str) -> Result<Language, ParseLanguageError> {
        if Language::is_tag(tag) {
            Ok(Language(tag.to_owned().into()))
        } else {
            Err(ParseLanguageError(tag.chars().take(64).collect()))
        }
    }

    /// Whether `tag` is a language tag as [`Language`] defines it: the one
    /// rule, which the derive's validation uses too.
    pub fn is_tag(tag: &str) -> bool {
        let mut parts = tag.split('-');
        let language_ok = parts.next().is_some_and(|language| {
            (2..=3).contains(&language.len()) && language.bytes().all(|b| b.is_ascii_lowercase())
        });
        language_ok
            && parts.all(|part| {
                !part.is_empty()
                    && part.len() <= 8
                    && part.bytes().all(|b| b.is_ascii_alphanumeric())
            })
    }

    /// The tag.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag: `fr` of `fr-CA`.
    pub fn primary(&self) -> &str {
        self.0.split('-').next().unwrap_or_default()
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for Language {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Language {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl AsRef<str> for Language {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for Language {
    type Err = ParseLanguageError;

    fn from_str(tag: &str) -> Result<Language, ParseLanguageError> {
        Language::new(tag)
    }
}

/// A text that is not a [`Language`] tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseLanguageError(String);

impl fmt::Display for ParseLanguageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a language tag: write a BCP 47 tag such as `en`, `fr` or `fr-CA`",
            self.0
        )
    }
}

impl std::error::Error for ParseLanguageError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_read_back_what_they_write() {
        for hash in [0, 1, 0x7fff_ffff, 0x8000_0000, u64::MAX] {
            let revision = Revision::new(hash);
            assert_eq!(revision.to_string().parse(), Ok(revision));
        }
        for bad in [
            "",
            "0x00000000000000",
            "00000000000000000",
            "000000000000000g",
            "+000000000000000",
        ] {
            assert!(bad.parse::<Revision>().is_err(), "{bad}");
        }
    }

    #[test]
    fn language_tags() {
        for good in ["en", "fr", "fr-CA", "zh-Hant-TW", "gsw", "en-001"] {
            assert!(Language::is_tag(good), "{good}");
        }
        for bad in [
            "",
            "e",
            "EN",
            "english",
            "en-",
            "en--US",
            "en_US",
            "en-abcdefghi",
            "fr;",
        ] {
            assert!(Language::new(bad).is_err(), "{bad}");
        }
    }
}
