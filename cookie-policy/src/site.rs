//! The site and the providers a policy declares: [`SiteInfo`] and [`Provider`].

/// The site a policy belongs to: the `[site]` table of `policy.toml`.
///
/// ```
/// use cookie_policy::{CookiePolicy, Platform};
///
/// assert_eq!(Platform::SITE.name(), "Opendatasoft documentation resources");
/// assert_eq!(Platform::SITE.locations(), ["front office", "back office"]);
/// ```
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SiteInfo {
    name: crate::Text,
    url: Option<&'static str>,
    locations: &'static [&'static str],
    banner: &'static [(&'static str, crate::Text)],
}

impl SiteInfo {
    #[doc(hidden)]
    pub const fn __new(
        name: crate::Text,
        url: Option<&'static str>,
        locations: &'static [&'static str],
        banner: &'static [(&'static str, crate::Text)],
    ) -> SiteInfo {
        SiteInfo {
            name,
            url,
            locations,
            banner,
        }
    }

    /// The site's name, in the policy's default language.
    pub const fn name(&self) -> &'static str {
        self.name.as_str()
    }

    /// The site's name in every language of the policy.
    pub const fn name_text(&self) -> crate::Text {
        self.name
    }

    /// The policy's languages (`[site] languages`, `["en"]` when not given),
    /// the default first.
    ///
    /// ```
    /// use cookie_policy::{CookiePolicy, Platform};
    ///
    /// assert_eq!(Platform::SITE.languages(), ["en", "fr"]);
    /// assert_eq!(Platform::SITE.default_language(), "en");
    /// ```
    pub const fn languages(&self) -> &'static [&'static str] {
        self.name.languages()
    }

    /// The default language: the first of [`languages`](SiteInfo::languages).
    pub const fn default_language(&self) -> &'static str {
        match self.name.languages().first() {
            Some(language) => language,
            None => "en",
        }
    }

    /// The site's address, when the policy gives it.
    pub const fn url(&self) -> Option<&'static str> {
        self.url
    }

    /// The areas of the site a cookie can be used in (`[site] locations`).
    pub const fn locations(&self) -> &'static [&'static str] {
        self.locations
    }

    /// The site's host name, from its [`url`](SiteInfo::url): what a cookie
    /// without a declared domain is set on.
    ///
    /// ```
    /// use cookie_policy::{CookiePolicy, Platform};
    ///
    /// assert_eq!(Platform::SITE.host(), Some("documentation-resources.opendatasoft.com"));
    /// ```
    pub fn host(&self) -> Option<&'static str> {
        // The derive accepts only `http://` and `https://` addresses.
        let rest = self.url?.split_once("://")?.1;
        let authority = rest.split(['/', '?', '#']).next()?;
        let host = authority.rsplit('@').next()?;
        let host = match host.strip_prefix('[') {
            Some(bracketed) => bracketed.split(']').next()?,
            None => host.split(':').next()?,
        };
        (!host.is_empty()).then_some(host)
    }

    /// The text of the consent banner in `language`: the policy's own from
    /// `[banner]` when it gives one, else the built-in wording; `None` when
    /// neither has that language.
    ///
    /// ```
    /// use cookie_policy::{BannerText, CookiePolicy, Platform};
    ///
    /// assert_eq!(Platform::SITE.banner_text(BannerText::AcceptAll, "fr"), Some("Tout accepter"));
    /// ```
    pub fn banner_text(&self, text: crate::BannerText, language: &str) -> Option<&'static str> {
        let own = self
            .banner
            .iter()
            .find(|(key, _)| *key == text.key())
            .and_then(|(_, own)| own.get(language));
        own.or_else(|| Some(cookie_policy_core::Wording::for_language(language)?.banner(text)))
    }
}

/// Who provides a cookie: one `[[provider]]` entry of `policy.toml`.
///
/// ```
/// use cookie_policy::{CookiePolicy, Platform};
///
/// let opendatasoft = Platform::provider("opendatasoft").unwrap();
/// assert_eq!(opendatasoft.name(), "Opendatasoft");
/// assert_eq!(opendatasoft.url(), Some("https://www.opendatasoft.com"));
/// ```
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Provider {
    id: &'static str,
    name: &'static str,
    url: Option<&'static str>,
}

impl Provider {
    #[doc(hidden)]
    pub const fn __new(
        id: &'static str,
        name: &'static str,
        url: Option<&'static str>,
    ) -> Provider {
        Provider { id, name, url }
    }

    /// The identifier cookies use to name this provider (`provider = "..."`).
    pub const fn id(&self) -> &'static str {
        self.id
    }

    /// The provider's name, as the policy page shows it.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The provider's site, when the policy gives it.
    pub const fn url(&self) -> Option<&'static str> {
        self.url
    }
}
