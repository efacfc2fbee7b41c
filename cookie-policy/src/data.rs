//! [`PolicyData`]: a compiled policy as one value.

use crate::{Category, Consent, Cookie, CookiePolicy, Provider, Revision, SiteInfo};

/// How long a choice is kept when the policy does not say: 182 days, the
/// banner's six months. See [`PolicyData::consent_lifetime`].
pub const DEFAULT_CONSENT_LIFETIME: core::time::Duration =
    core::time::Duration::from_secs(182 * 86_400);

/// Everything a [`CookiePolicy`] type holds, as one value: its site,
/// providers, cookies, revision and consent cookie. The page and the exports
/// are rendered from it, whether the policy was compiled in by the derive
/// ([`PolicyData::of`]) or loaded at run time by the `cookie-policy`
/// command.
///
/// ```
/// use cookie_policy::{CookiePolicy, Platform, PolicyData};
///
/// let data = PolicyData::of::<Platform>();
/// assert_eq!(data.cookies().len(), 4);
/// assert_eq!(data.revision(), Platform::REVISION);
/// assert_eq!(data.lookup("csrftoken"), Some(Platform::CSRFTOKEN));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct PolicyData {
    site: &'static SiteInfo,
    providers: &'static [Provider],
    cookies: &'static [Cookie],
    revision: Revision,
    consent_cookie: Option<&'static Cookie>,
    /// The derive's index, when there is one; else a scan.
    lookup: Option<fn(&str) -> Option<&'static Cookie>>,
    /// The same index built at run time, for a loaded policy.
    index: Option<&'static crate::index::Index>,
}

impl PolicyData {
    /// The data of policy `P`.
    pub fn of<P: CookiePolicy + ?Sized>() -> PolicyData {
        PolicyData {
            site: P::SITE,
            providers: P::PROVIDERS,
            cookies: P::COOKIES,
            revision: P::REVISION,
            consent_cookie: P::CONSENT_COOKIE,
            lookup: Some(P::lookup),
            index: None,
        }
    }

    /// A policy's data from its parts, looked up in `index` (the derive's
    /// tables, built at run time), else by a scan: what
    /// [`PolicyData::from_toml`] builds.
    #[cfg(feature = "load")]
    pub(crate) const fn from_parts(
        site: &'static SiteInfo,
        providers: &'static [Provider],
        cookies: &'static [Cookie],
        revision: Revision,
        consent_cookie: Option<&'static Cookie>,
        index: Option<&'static crate::index::Index>,
    ) -> PolicyData {
        PolicyData {
            site,
            providers,
            cookies,
            revision,
            consent_cookie,
            lookup: None,
            index,
        }
    }

    /// [`CookiePolicy::SITE`].
    pub const fn site(&self) -> &'static SiteInfo {
        self.site
    }

    /// [`CookiePolicy::PROVIDERS`].
    pub const fn providers(&self) -> &'static [Provider] {
        self.providers
    }

    /// [`CookiePolicy::COOKIES`].
    pub const fn cookies(&self) -> &'static [Cookie] {
        self.cookies
    }

    /// [`CookiePolicy::REVISION`].
    pub const fn revision(&self) -> Revision {
        self.revision
    }

    /// [`CookiePolicy::CONSENT_COOKIE`].
    pub const fn consent_cookie(&self) -> Option<&'static Cookie> {
        self.consent_cookie
    }

    /// [`CookiePolicy::lookup`]: the cookie an exact name declares, else
    /// the pattern with the longest prefix of `name`.
    pub fn lookup(&self, name: &str) -> Option<&'static Cookie> {
        if let Some(lookup) = self.lookup {
            return lookup(name);
        }
        if let Some(index) = self.index {
            return index.lookup(name);
        }
        let cookies = self.cookies;
        cookies
            .iter()
            .find(|cookie| !cookie.is_pattern() && cookie.name() == name)
            .or_else(|| {
                cookies
                    .iter()
                    .filter(|cookie| cookie.is_pattern() && cookie.matches(name))
                    .max_by_key(|cookie| cookie.name().len())
            })
    }

    /// [`CookiePolicy::by_category`].
    pub fn by_category(&self, category: Category) -> impl Iterator<Item = &'static Cookie> {
        self.cookies
            .iter()
            .filter(move |cookie| cookie.category() == category)
    }

    /// The value of the consent cookie that records `consent` for this
    /// policy, in this crate's format: [`Consent::to_cookie_value`].
    ///
    /// ```
    /// use cookie_policy::{Consent, Platform, PolicyData};
    ///
    /// let consent = Consent::necessary_only();
    /// assert_eq!(
    ///     PolicyData::of::<Platform>().consent_cookie_value(consent),
    ///     consent.to_cookie_value::<Platform>()
    /// );
    /// ```
    pub fn consent_cookie_value(&self, consent: Consent) -> String {
        consent.cookie_value_for(self.revision)
    }

    /// The consent cookie's value that the vanilla-cookieconsent banner
    /// writes for `consent`: [`Consent::to_banner_value`].
    pub fn banner_consent_value(
        &self,
        consent: Consent,
        now: std::time::SystemTime,
        lifetime: core::time::Duration,
    ) -> String {
        consent.banner_value_for(self.revision, now, lifetime)
    }

    /// Reads a consent cookie's value for this policy, in either format:
    /// [`Consent::read_cookie_value`].
    #[cfg(feature = "http")]
    pub fn read_consent_value(&self, value: &str) -> Result<Consent, crate::ConsentError> {
        Consent::read_cookie_value_for(self, value)
    }

    /// The categories this policy has cookies for, necessary first, in
    /// [`Category::ALL`]'s order.
    ///
    /// ```
    /// use cookie_policy::{Category, Platform, PolicyData};
    ///
    /// assert_eq!(PolicyData::of::<Platform>().categories_used(), [Category::Necessary]);
    /// ```
    pub fn categories_used(&self) -> Vec<Category> {
        Category::ALL
            .into_iter()
            .filter(|&category| self.by_category(category).next().is_some())
            .collect()
    }

    /// How long a visitor's choice is kept before they are asked again: the
    /// consent cookie's declared lifetime in whole days (the banner counts
    /// in days, `expiresAfterDays`), at least one day; [`DEFAULT_CONSENT_LIFETIME`]
    /// when the policy has no consent cookie or it has no fixed lifetime.
    /// The banner's configuration and a server that sets the consent cookie
    /// itself both use this value.
    ///
    /// ```
    /// use cookie_policy::{Platform, PolicyData};
    ///
    /// // `cookies_preferences`: "6 months", 182.6 days, kept 182 days.
    /// let lifetime = PolicyData::of::<Platform>().consent_lifetime();
    /// assert_eq!(lifetime.as_secs(), 182 * 86_400);
    /// ```
    pub fn consent_lifetime(&self) -> core::time::Duration {
        const DAY: u64 = 86_400;
        let seconds = self
            .consent_cookie
            .and_then(|cookie| cookie.lifetime())
            .and_then(|lifetime| lifetime.seconds())
            .map_or(DEFAULT_CONSENT_LIFETIME.as_secs(), |seconds| {
                (seconds / DAY).max(1) * DAY
            });
        core::time::Duration::from_secs(seconds)
    }

    /// The revision as the banner writes it: [`Consent::banner_revision`].
    pub const fn banner_revision(&self) -> u32 {
        self.revision.banner()
    }

    /// The Markdown page in `language`: [`publish::markdown`](crate::publish::markdown).
    pub fn markdown(&self, language: &str) -> Result<String, crate::publish::PublishError> {
        crate::publish::markdown::markdown_data(self, language)
    }

    /// The standalone HTML page in `language`: `publish::html`.
    #[cfg(feature = "html")]
    pub fn html(&self, language: &str) -> Result<String, crate::publish::PublishError> {
        crate::publish::html::html_data(self, language)
    }

    /// The whole policy as JSON: `publish::json`.
    #[cfg(feature = "serde")]
    pub fn json(&self) -> String {
        crate::publish::json::json_data(self)
    }

    /// The IAB TCF Device Storage Disclosure in `language`:
    /// `publish::tcf_disclosures`.
    #[cfg(feature = "serde")]
    pub fn tcf_disclosures(&self, language: &str) -> Result<String, crate::publish::PublishError> {
        crate::publish::json::tcf_disclosures_data(self, language)
    }

    /// The vanilla-cookieconsent configuration module:
    /// `publish::cookieconsent_config`.
    #[cfg(feature = "serde")]
    pub fn cookieconsent_config(&self) -> Result<String, crate::publish::PublishError> {
        crate::publish::cookieconsent::cookieconsent_config_data(self)
    }
}
