//! One declared cookie: [`Cookie`].

use cookie_policy_core::encoding;

use crate::{Category, Lifetime, Party, Provider, Text};

/// A cookie as `policy.toml` declares it.
///
/// Values of this type are only made by `#[derive(CookiePolicy)]` (and by
/// `PolicyData::load`, feature `load`, which lays a file out the same way), which puts
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
    refresh: bool,
}

/// A cookie from the compact arguments the derive writes, one call per
/// cookie, so that a large policy is few tokens for rustc. The codes are
/// `cookie_policy_core::encoding`'s. Not public API.
///
/// # Panics
///
/// On a code that decodes to nothing. The derive's expansion calls this in
/// the initializer of the policy's static table of cookies, which the trait
/// implementation names, so rustc evaluates it and the panic is a compile
/// error (`E0080`), never a wrong default; `ui-tests` shows it.
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
#[allow(
    clippy::panic,
    reason = "evaluated in a static initializer: an impossible code stops the build"
)]
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
    match decoded(
        name,
        provider,
        languages,
        function,
        locations,
        purpose,
        category,
        lifetime_amount,
        lifetime_unit,
        domain,
        path,
        flags,
    ) {
        Some(cookie) => cookie,
        None => panic!("impossible cookie code: cookie-policy and its derive disagree"),
    }
}

/// [`cookie`], or `None` on a code that decodes to nothing: the one decoder
/// of the derive's codes, for the expansion and for a policy loaded at run
/// time.
#[allow(clippy::too_many_arguments)]
pub(crate) const fn decoded(
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
) -> Option<Cookie> {
    let Some(category) = encoding::category(category) else {
        return None;
    };
    let Some(lifetime) = encoding::lifetime(lifetime_amount, lifetime_unit) else {
        return None;
    };
    if flags & !encoding::ALL_FLAGS != 0 {
        return None;
    }
    Some(Cookie {
        name,
        is_pattern: flags & encoding::PATTERN != 0,
        provider,
        function: Text::__new(languages, function),
        locations,
        purpose: Text::__new(languages, purpose),
        category,
        party: if flags & encoding::THIRD_PARTY != 0 {
            Party::Third
        } else {
            Party::First
        },
        lifetime,
        domain: non_empty(domain),
        path: non_empty(path),
        anonymized: flags & encoding::ANONYMIZED != 0,
        requires_consent: flags & encoding::REQUIRES_CONSENT != 0,
        refresh: flags & encoding::REFRESH != 0,
    })
}

const fn non_empty(text: &'static str) -> Option<&'static str> {
    if text.is_empty() { None } else { Some(text) }
}

impl Cookie {
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

    /// Whether the site renews the cookie's expiry on each visit
    /// (`refresh = true`), as the TCF's `cookieRefresh` says.
    pub const fn is_refreshed(&self) -> bool {
        self.refresh
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
