//! The [`CookiePolicy`] trait that every derived policy implements.

use crate::{Category, Consent, Cookie, Provider, SiteInfo, Verdict};

/// A compiled cookie policy.
///
/// Implement it with `#[derive(CookiePolicy)]` on a unit struct; the derive
/// reads the TOML file named by `#[cookie_policy(path = "...")]` at compile
/// time. Besides this trait's items, the derive gives the struct one
/// associated constant per cookie (`Platform::SESSIONID`).
///
/// ```
/// use cookie_policy::{Category, CookiePolicy, Platform};
///
/// fn necessary_names<P: CookiePolicy>() -> Vec<&'static str> {
///     P::by_category(Category::Necessary).map(|c| c.name()).collect()
/// }
///
/// assert_eq!(
///     necessary_names::<Platform>(),
///     ["sessionid", "django_language", "csrftoken", "cookies_preferences"]
/// );
/// assert_eq!(Platform::lookup("csrftoken"), Some(Platform::CSRFTOKEN));
/// assert_eq!(Platform::lookup("_ga"), None);
/// ```
pub trait CookiePolicy {
    /// The `[site]` table.
    const SITE: &'static SiteInfo;
    /// Every `[[provider]]`, in file order.
    const PROVIDERS: &'static [Provider];
    /// Every `[[cookie]]`, in file order.
    const COOKIES: &'static [Cookie];
    /// A fingerprint of what a visitor consents to, computed at compile time
    /// from every cookie's name, provider, category, purpose, party,
    /// lifetime, domain and path. It changes whenever one of those does, so a
    /// consent recorded for an older policy is recognised as stale
    /// (see [`Consent::from_cookie_value`](crate::Consent::from_cookie_value)).
    const REVISION: crate::Revision;
    /// The cookie that stores the visitor's consent (`consent = true` in
    /// `policy.toml`). The derive requires one whenever a cookie needs
    /// consent; `None` only for a policy whose cookies need none.
    ///
    /// ```
    /// use cookie_policy::{CookiePolicy, Platform};
    ///
    /// assert_eq!(Platform::CONSENT_COOKIE, Some(Platform::COOKIES_PREFERENCES));
    /// ```
    const CONSENT_COOKIE: Option<&'static Cookie>;
    /// What the policy says about browser and tag signals: each category's
    /// meaning under Global Privacy Control and its Google Consent Mode
    /// keys, the Consent Mode settings (`[categories.<name>]`,
    /// `[consent_mode]` and `[gpc]` in `policy.toml`). Read it through
    /// [`PolicyData`](crate::PolicyData)'s accessors.
    ///
    /// ```
    /// use cookie_policy::{Category, CookiePolicy, Gpc, Platform};
    ///
    /// assert_eq!(Platform::SIGNALS.gpc(Category::Advertising), Gpc::Refuse);
    /// ```
    const SIGNALS: &'static crate::Signals = &crate::Signals::DEFAULT;

    /// The declared cookie that a cookie called `name` is: the entry with
    /// exactly that name, or else the prefix pattern with the longest prefix
    /// of `name`; `None` if the policy does not declare it.
    ///
    /// Case-sensitive, as cookie names are. Allocates nothing.
    fn lookup(name: &str) -> Option<&'static Cookie>;

    /// [`lookup`](Self::lookup) of a name's bytes, for enforcement, which
    /// reads names out of header bytes it has checked: the derive looks
    /// them up in its index without converting them (a `str` conversion
    /// costs more than the lookup). Not part of the API.
    #[doc(hidden)]
    #[inline]
    fn __lookup_bytes(name: &[u8]) -> Option<&'static Cookie> {
        core::str::from_utf8(name).ok().and_then(Self::lookup)
    }

    /// Whether a cookie called `name` may be set under `consent`.
    ///
    /// ```
    /// use cookie_policy::{Category, Consent, CookiePolicy, Platform, Verdict};
    ///
    /// let consent = Consent::necessary_only();
    /// assert_eq!(Platform::permits("csrftoken", consent), Verdict::Allowed(Platform::CSRFTOKEN));
    /// assert_eq!(Platform::permits("_ga", consent), Verdict::Undeclared);
    /// ```
    fn permits(name: &str, consent: Consent) -> Verdict {
        match Self::lookup(name) {
            None => Verdict::Undeclared,
            Some(cookie) if consent.permits(cookie) => Verdict::Allowed(cookie),
            Some(cookie) => Verdict::Refused {
                cookie,
                missing: cookie.category(),
            },
        }
    }

    /// The cookies of one category, in file order.
    fn by_category(category: Category) -> impl Iterator<Item = &'static Cookie> {
        Self::COOKIES
            .iter()
            .filter(move |cookie| cookie.category() == category)
    }

    /// The cookies of the provider with this `id`, in file order.
    fn by_provider(id: &str) -> impl Iterator<Item = &'static Cookie> {
        Self::COOKIES
            .iter()
            .filter(move |cookie| cookie.provider().id() == id)
    }

    /// The provider with this `id`.
    fn provider(id: &str) -> Option<&'static Provider> {
        Self::PROVIDERS.iter().find(|provider| provider.id() == id)
    }
}
