//! [`PolicyData`]: a compiled policy as one value.

use crate::{
    Category, Consent, ConsentModeKey, ConsentModeSettings, Cookie, CookiePolicy, Gpc, IsoDate,
    Provider, Revision, Signals, SiteInfo,
};

/// How long a choice is kept when the policy does not say: 182 days, the
/// banner's six months. See [`PolicyData::consent_lifetime`].
pub const DEFAULT_CONSENT_LIFETIME: core::time::Duration =
    core::time::Duration::from_secs(182 * 86_400);

/// A derived policy's lookup of a name's bytes (`CookiePolicy::__lookup_bytes`).
type LookupBytes = fn(&[u8]) -> Option<&'static Cookie>;

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
    signals: &'static Signals,
    /// The derive's index, when there is one; else a scan.
    lookup: Option<LookupBytes>,
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
            signals: P::SIGNALS,
            lookup: Some(P::__lookup_bytes),
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
        signals: &'static Signals,
        index: Option<&'static crate::index::Index>,
    ) -> PolicyData {
        PolicyData {
            site,
            providers,
            cookies,
            revision,
            consent_cookie,
            signals,
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

    /// [`CookiePolicy::SIGNALS`]: what the policy says about Global Privacy
    /// Control and Google Consent Mode. The accessors below read it.
    pub const fn signals(&self) -> &'static Signals {
        self.signals
    }

    /// What a Global Privacy Control signal means for `category`
    /// (`gpc = "refuse"` or `"ignore"` in `[categories.<name>]`).
    pub const fn gpc(&self, category: Category) -> Gpc {
        self.signals.gpc(category)
    }

    /// Whether a Global Privacy Control signal refuses `category` until the
    /// visitor explicitly grants it: by default `advertising` only. Never
    /// [`Category::Necessary`], which cannot be refused.
    ///
    /// ```
    /// use cookie_policy::{Category, Platform, PolicyData};
    ///
    /// let data = PolicyData::of::<Platform>();
    /// assert!(data.gpc_refuses(Category::Advertising));
    /// assert!(!data.gpc_refuses(Category::Statistical));
    /// assert!(!data.gpc_refuses(Category::Necessary));
    /// ```
    pub const fn gpc_refuses(&self, category: Category) -> bool {
        category.requires_consent() && matches!(self.signals.gpc(category), Gpc::Refuse)
    }

    /// The categories a Global Privacy Control signal refuses, in
    /// [`Category::ALL`]'s order.
    ///
    /// ```
    /// use cookie_policy::{Category, Platform, PolicyData};
    ///
    /// let refused: Vec<Category> = PolicyData::of::<Platform>().gpc_refused().collect();
    /// assert_eq!(refused, [Category::Advertising]);
    /// ```
    pub fn gpc_refused(&self) -> impl Iterator<Item = Category> + 'static {
        let data = *self;
        Category::ALL
            .into_iter()
            .filter(move |&category| data.gpc_refuses(category))
    }

    /// When the site last changed what it does with Global Privacy Control
    /// (`[gpc] last_update`), if the policy says.
    pub const fn gpc_last_update(&self) -> Option<IsoDate> {
        self.signals.gpc_last_update()
    }

    /// The Google Consent Mode v2 keys `category` grants, in the policy's
    /// order (`consent_mode = [...]` in `[categories.<name>]`, else the
    /// defaults of [`ConsentModeKey::default_for`]). The keys of
    /// [`Category::Necessary`] are always granted.
    ///
    /// ```
    /// use cookie_policy::{Category, ConsentModeKey, Platform, PolicyData};
    ///
    /// let data = PolicyData::of::<Platform>();
    /// assert_eq!(
    ///     data.consent_mode_keys(Category::Statistical),
    ///     [ConsentModeKey::AnalyticsStorage]
    /// );
    /// assert_eq!(data.consent_mode_keys(Category::Necessary), [ConsentModeKey::SecurityStorage]);
    /// ```
    pub const fn consent_mode_keys(&self, category: Category) -> &'static [ConsentModeKey] {
        self.signals.consent_mode_keys(category)
    }

    /// The category that grants Consent Mode `key`; `None` when no
    /// category does, and the key stays denied.
    pub fn consent_mode_category(&self, key: ConsentModeKey) -> Option<Category> {
        self.signals.consent_mode_category(key)
    }

    /// The settings of Consent Mode's `default` command (`[consent_mode]`):
    /// `wait_for_update` and the regions.
    ///
    /// ```
    /// use cookie_policy::{Platform, PolicyData};
    ///
    /// let settings = PolicyData::of::<Platform>().consent_mode();
    /// assert_eq!(settings.wait_for_update(), 500); // the default
    /// assert!(settings.regions().is_empty()); // everywhere
    /// ```
    pub const fn consent_mode(&self) -> ConsentModeSettings {
        self.signals.consent_mode()
    }

    /// The GPC support resource, served at `/.well-known/gpc.json`, as the
    /// W3C GPC draft defines it ("GPC Support Representation"): a JSON
    /// object whose `gpc` member is `true` when a GPC signal refuses some
    /// category ([`PolicyData::gpc_refuses`]: the site abides by the
    /// signal), `false` when the policy ignores it everywhere, and whose
    /// `lastUpdate` is `[gpc] last_update`, an RFC 3339 full-date, when the
    /// policy gives it. One line, ending with a newline; served with the
    /// media type `application/json`. `cookie-policy render --format gpc`
    /// prints these bytes.
    ///
    /// ```
    /// use cookie_policy::{Platform, PolicyData};
    ///
    /// assert_eq!(
    ///     PolicyData::of::<Platform>().gpc_json(),
    ///     "{\"gpc\":true,\"lastUpdate\":\"2026-12-06\"}\n"
    /// );
    /// ```
    pub fn gpc_json(&self) -> String {
        let gpc = self.gpc_refused().next().is_some();
        match self.gpc_last_update() {
            Some(date) => format!("{{\"gpc\":{gpc},\"lastUpdate\":\"{date}\"}}\n"),
            None => format!("{{\"gpc\":{gpc}}}\n"),
        }
    }

    /// [`CookiePolicy::lookup`]: the cookie an exact name declares, else
    /// the pattern with the longest prefix of `name`.
    pub fn lookup(&self, name: &str) -> Option<&'static Cookie> {
        self.lookup_bytes(name.as_bytes())
    }

    /// [`lookup`](Self::lookup) of a name's bytes (see
    /// `CookiePolicy::__lookup_bytes`).
    pub(crate) fn lookup_bytes(&self, name: &[u8]) -> Option<&'static Cookie> {
        if let Some(lookup) = self.lookup {
            return lookup(name);
        }
        if let Some(index) = self.index {
            return index.lookup_bytes(name);
        }
        let cookies = self.cookies;
        cookies
            .iter()
            .find(|cookie| !cookie.is_pattern() && cookie.name().as_bytes() == name)
            .or_else(|| {
                cookies
                    .iter()
                    .filter(|cookie| cookie.is_pattern() && name.starts_with(cookie.key()))
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

    /// The Google Consent Mode v2 `default` snippet, the script a page runs
    /// first in its `<head>`:
    /// [`publish::consent_mode_default`](crate::publish::consent_mode_default).
    pub fn consent_mode_default(&self) -> String {
        crate::publish::consent_mode::consent_mode_default_data(self)
    }

    /// The vanilla-cookieconsent configuration module:
    /// `publish::cookieconsent_config`.
    #[cfg(feature = "serde")]
    pub fn cookieconsent_config(&self) -> Result<String, crate::publish::PublishError> {
        crate::publish::cookieconsent::cookieconsent_config_data(self)
    }
}
