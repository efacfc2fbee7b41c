//! One declared cookie: [`Cookie`].

use crate::{Category, Lifetime, Party, Provider, Text};

/// A cookie as `policy.toml` declares it.
///
/// Values of this type are only made by `#[derive(CookiePolicy)]`, which puts
/// them in a static table; code reaches them through the generated constants
/// (`Platform::SESSIONID`), [`CookiePolicy::lookup`](crate::CookiePolicy::lookup)
/// or [`CookiePolicy::COOKIES`](crate::CookiePolicy::COOKIES).
///
/// ```
/// use cookie_policy::{Category, CookiePolicy, Party, Platform};
///
/// let cookie = Platform::CSRFTOKEN;
/// assert_eq!(cookie.name(), "csrftoken");
/// assert_eq!(cookie.provider().name(), "Opendatasoft");
/// assert_eq!(cookie.function(), "API (CSRF)");
/// assert_eq!(cookie.locations(), ["front office", "back office"]);
/// assert_eq!(cookie.purpose(), "To retrieve data via API calls");
/// assert_eq!(cookie.category(), Category::Necessary);
/// assert_eq!(cookie.party(), Party::First);
/// assert!(!cookie.requires_consent());
/// ```
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Cookie {
    name: &'static str,
    is_pattern: bool,
    provider: &'static Provider,
    function: Text,
    locations: &'static [&'static str],
    purpose: Text,
    category: Category,
    party: Party,
    lifetime: Option<Lifetime>,
    domain: Option<&'static str>,
    path: Option<&'static str>,
    anonymized: bool,
    requires_consent: bool,
}

/// The fields of a [`Cookie`], as generated code passes them. Not public API:
/// it changes with the derive, which is pinned to this crate's exact version.
#[doc(hidden)]
#[derive(Debug)]
pub struct CookieParts {
    pub name: &'static str,
    pub is_pattern: bool,
    pub provider: &'static Provider,
    pub function: Text,
    pub locations: &'static [&'static str],
    pub purpose: Text,
    pub category: Category,
    pub party: Party,
    pub lifetime: Option<Lifetime>,
    pub domain: Option<&'static str>,
    pub path: Option<&'static str>,
    pub anonymized: bool,
    pub requires_consent: bool,
}

/// [`cookie`]'s `flags`: the entry is a prefix pattern.
#[doc(hidden)]
pub const PATTERN: u8 = 1;
/// [`cookie`]'s `flags`: set by another site.
#[doc(hidden)]
pub const THIRD_PARTY: u8 = 2;
/// [`cookie`]'s `flags`: `anonymized = true`.
#[doc(hidden)]
pub const ANONYMIZED: u8 = 4;
/// [`cookie`]'s `flags`: needs consent.
#[doc(hidden)]
pub const REQUIRES_CONSENT: u8 = 8;

/// A cookie from the compact arguments the derive writes, one call per
/// cookie, so that a large policy is few tokens for rustc: `category` is the
/// index in [`Category::ALL`], `lifetime_unit` is 0 for no lifetime, 1 for
/// the session and 2 to 8 for seconds to years, `""` stands for no domain or
/// path, and `flags` combines [`PATTERN`], [`THIRD_PARTY`], [`ANONYMIZED`]
/// and [`REQUIRES_CONSENT`]. Not public API.
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub const fn cookie(
    name: &'static str,
    provider: &'static Provider,
    languages: &'static [&'static str],
    function: &'static [&'static str],
    locations: &'static [&'static str],
    purpose: &'static [&'static str],
    category: u8,
    lifetime_amount: u32,
    lifetime_unit: u8,
    domain: &'static str,
    path: &'static str,
    flags: u8,
) -> Cookie {
    use crate::TimeUnit;
    let category = match category {
        0 => Category::Necessary,
        1 => Category::Functional,
        2 => Category::Statistical,
        _ => Category::Advertising,
    };
    let unit = match lifetime_unit {
        2 => Some(TimeUnit::Second),
        3 => Some(TimeUnit::Minute),
        4 => Some(TimeUnit::Hour),
        5 => Some(TimeUnit::Day),
        6 => Some(TimeUnit::Week),
        7 => Some(TimeUnit::Month),
        8 => Some(TimeUnit::Year),
        _ => None,
    };
    let lifetime = match (lifetime_unit, unit) {
        (1, _) => Some(Lifetime::Session),
        (_, Some(unit)) => Some(Lifetime::Fixed {
            amount: lifetime_amount,
            unit,
        }),
        _ => None,
    };
    Cookie::__from_parts(CookieParts {
        name,
        is_pattern: flags & PATTERN != 0,
        provider,
        function: Text::__new(languages, function),
        locations,
        purpose: Text::__new(languages, purpose),
        category,
        party: if flags & THIRD_PARTY != 0 {
            Party::Third
        } else {
            Party::First
        },
        lifetime,
        domain: non_empty(domain),
        path: non_empty(path),
        anonymized: flags & ANONYMIZED != 0,
        requires_consent: flags & REQUIRES_CONSENT != 0,
    })
}

const fn non_empty(text: &'static str) -> Option<&'static str> {
    if text.is_empty() { None } else { Some(text) }
}

impl Cookie {
    #[doc(hidden)]
    pub const fn __from_parts(parts: CookieParts) -> Cookie {
        let CookieParts {
            name,
            is_pattern,
            provider,
            function,
            locations,
            purpose,
            category,
            party,
            lifetime,
            domain,
            path,
            anonymized,
            requires_consent,
        } = parts;
        Cookie {
            name,
            is_pattern,
            provider,
            function,
            locations,
            purpose,
            category,
            party,
            lifetime,
            domain,
            path,
            anonymized,
            requires_consent,
        }
    }

    /// The name as written in the policy; a prefix pattern keeps its trailing
    /// `*` (`"_ga_*"`).
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// Whether this entry is a prefix pattern (`name = "_ga_*"`) rather than an
    /// exact name.
    pub const fn is_pattern(&self) -> bool {
        self.is_pattern
    }

    /// The bytes a cookie name is compared with: the whole name, or for a
    /// pattern the prefix before its `*`.
    pub(crate) fn key(&self) -> &'static [u8] {
        match self.name.as_bytes() {
            [prefix @ .., b'*'] if self.is_pattern => prefix,
            name => name,
        }
    }

    /// Whether a cookie called `name` is the one this entry declares: the same
    /// name exactly, or for a pattern any name that starts with its prefix.
    /// Cookie names are case-sensitive.
    ///
    /// ```
    /// # use cookie_policy::{CookiePolicy, Platform};
    /// assert!(Platform::SESSIONID.matches("sessionid"));
    /// assert!(!Platform::SESSIONID.matches("SessionId"));
    /// ```
    pub fn matches(&self, name: &str) -> bool {
        if self.is_pattern {
            name.as_bytes().starts_with(self.key())
        } else {
            name == self.name
        }
    }

    /// Who provides the cookie.
    pub const fn provider(&self) -> &'static Provider {
        self.provider
    }

    /// What the cookie does, as the policy table's "Function" column says it,
    /// in the policy's default language.
    pub const fn function(&self) -> &'static str {
        self.function.as_str()
    }

    /// [`function`](Cookie::function) in `language`, if the policy has it.
    pub fn function_in(&self, language: &str) -> Option<&'static str> {
        self.function.get(language)
    }

    /// [`function`](Cookie::function) in every language of the policy.
    pub const fn function_text(&self) -> Text {
        self.function
    }

    /// Where on the site the cookie is used (among the site's declared
    /// locations); empty when the policy does not say.
    pub const fn locations(&self) -> &'static [&'static str] {
        self.locations
    }

    /// Why the cookie is set, as the policy table's "Purposes" column says
    /// it, in the policy's default language.
    pub const fn purpose(&self) -> &'static str {
        self.purpose.as_str()
    }

    /// [`purpose`](Cookie::purpose) in `language`, if the policy has it.
    ///
    /// ```
    /// use cookie_policy::{CookiePolicy, Platform};
    ///
    /// assert_eq!(
    ///     Platform::CSRFTOKEN.purpose_in("fr"),
    ///     Some("Récupérer des données via des appels d'API")
    /// );
    /// ```
    pub fn purpose_in(&self, language: &str) -> Option<&'static str> {
        self.purpose.get(language)
    }

    /// [`purpose`](Cookie::purpose) in every language of the policy.
    pub const fn purpose_text(&self) -> Text {
        self.purpose
    }

    /// The cookie's category.
    pub const fn category(&self) -> Category {
        self.category
    }

    /// Whether the site itself sets the cookie, or another site.
    pub const fn party(&self) -> Party {
        self.party
    }

    /// How long the cookie lives, when the policy says.
    pub const fn lifetime(&self) -> Option<Lifetime> {
        self.lifetime
    }

    /// The domain the cookie is set on, when the policy says.
    pub const fn domain(&self) -> Option<&'static str> {
        self.domain
    }

    /// The path the cookie is set on, when the policy says (`path = "/"`).
    /// Deleting a cookie needs the same domain and path it was set with.
    pub const fn path(&self) -> Option<&'static str> {
        self.path
    }

    /// Whether the policy declares the cookie anonymized audience measurement
    /// (`anonymized = true`).
    pub const fn is_anonymized(&self) -> bool {
        self.anonymized
    }

    /// Whether the site must have the visitor's consent before setting this
    /// cookie. Decided at compile time:
    ///
    /// - `necessary` cookies never require consent;
    /// - `statistical` cookies declared `anonymized = true` do not either: the
    ///   derive only accepts that for first-party cookies that live at most 13
    ///   months (the CNIL's audience-measurement exemption);
    /// - every other cookie does.
    pub const fn requires_consent(&self) -> bool {
        self.requires_consent
    }
}
