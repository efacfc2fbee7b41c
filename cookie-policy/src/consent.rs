//! The visitor's choice, [`Consent`], what a policy says of one cookie under
//! it, [`Verdict`], and the value of the cookie that records it.

use core::fmt;

use crate::{Category, Cookie, CookiePolicy};

/// The categories a visitor has accepted. Necessary cookies are always
/// accepted: they need no consent.
///
/// It is a bit set: `Copy`, one byte, and its constructors are `const`.
///
/// ```
/// use cookie_policy::{Category, Consent};
///
/// let consent = Consent::necessary_only().grant(Category::Statistical);
/// assert!(consent.allows(Category::Necessary));
/// assert!(consent.allows(Category::Statistical));
/// assert!(!consent.allows(Category::Advertising));
/// assert_eq!(consent.withdraw(Category::Statistical), Consent::necessary_only());
/// assert_eq!(Consent::default(), Consent::necessary_only());
/// ```
///
/// Consent is given per category, as banners ask for it (the CNIL's
/// guidance, CookieConsent's and Klaro's categories). Per-provider choices
/// are not modelled: no policy page or consent tool this crate exports to
/// records them.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Consent {
    granted: u8,
}

const fn bit(category: Category) -> u8 {
    1 << category as u8
}

/// The bit of [`Consent::chosen_under_gpc`], beside the categories' bits.
const GPC_MARK: u8 = 1 << 7;

impl Consent {
    /// Only necessary cookies: what a visitor who has not chosen, or whose
    /// choice cannot be read, gets.
    pub const fn necessary_only() -> Consent {
        Consent {
            granted: bit(Category::Necessary),
        }
    }

    /// Every category.
    pub const fn all() -> Consent {
        Consent {
            granted: bit(Category::Necessary)
                | bit(Category::Functional)
                | bit(Category::Statistical)
                | bit(Category::Advertising),
        }
    }

    /// This consent, plus `category`.
    #[must_use]
    pub const fn grant(self, category: Category) -> Consent {
        Consent {
            granted: self.granted | bit(category),
        }
    }

    /// This consent, less `category`; necessary cookies stay allowed.
    #[must_use]
    pub const fn withdraw(self, category: Category) -> Consent {
        Consent {
            granted: (self.granted & !bit(category)) | bit(Category::Necessary),
        }
    }

    /// Whether cookies of `category` are accepted.
    pub const fn allows(self, category: Category) -> bool {
        self.granted & bit(category) != 0
    }

    /// Whether this consent lets `cookie` be set: it needs no consent, or its
    /// category is accepted.
    pub const fn permits(self, cookie: &Cookie) -> bool {
        !cookie.requires_consent() || self.allows(cookie.category())
    }

    /// The accepted categories, in page order.
    pub fn categories(self) -> impl Iterator<Item = Category> {
        Category::ALL.into_iter().filter(move |&c| self.allows(c))
    }

    /// This consent, marked as chosen by a visitor whose browser sent a
    /// Global Privacy Control signal and who was shown the categories the
    /// policy refuses under GPC as refused: whatever of those it grants,
    /// the visitor granted explicitly, after the signal. The banner's
    /// export marks a choice made with `navigator.globalPrivacyControl` so
    /// (`"data": {"gpc": true}` in its cookie); this crate's own value
    /// ends with `.gpc`. See [`Consent::honouring_gpc`] and
    /// `docs/consent.md`.
    ///
    /// ```
    /// use cookie_policy::{Category, Consent};
    ///
    /// let consent = Consent::necessary_only().grant(Category::Advertising).chosen_under_gpc();
    /// assert!(consent.is_chosen_under_gpc());
    /// assert!(consent.allows(Category::Advertising));
    /// assert_ne!(consent, Consent::necessary_only().grant(Category::Advertising));
    /// ```
    #[must_use]
    pub const fn chosen_under_gpc(self) -> Consent {
        Consent {
            granted: self.granted | GPC_MARK,
        }
    }

    /// Whether this consent was [chosen under GPC](Consent::chosen_under_gpc).
    pub const fn is_chosen_under_gpc(self) -> bool {
        self.granted & GPC_MARK != 0
    }

    /// What this consent allows for a request that carries a Global
    /// Privacy Control signal (`Sec-GPC: 1`, see
    /// `enforce::gpc_requested`): the categories the policy refuses under
    /// GPC ([`PolicyData::gpc_refused`](crate::PolicyData::gpc_refused))
    /// are withdrawn, unless the consent was
    /// [chosen under GPC](Consent::chosen_under_gpc), in which case its
    /// explicit grants win.
    ///
    /// ```
    /// use cookie_policy::{Category, Consent, Platform, PolicyData};
    ///
    /// let policy = PolicyData::of::<Platform>(); // GPC refuses advertising
    /// let before = Consent::all(); // granted before the signal
    /// assert!(!before.honouring_gpc(&policy).allows(Category::Advertising));
    /// assert!(before.honouring_gpc(&policy).allows(Category::Statistical));
    /// let explicit = Consent::all().chosen_under_gpc(); // granted knowing it
    /// assert!(explicit.honouring_gpc(&policy).allows(Category::Advertising));
    /// ```
    #[must_use]
    pub fn honouring_gpc(self, policy: &crate::PolicyData) -> Consent {
        if self.is_chosen_under_gpc() {
            return self;
        }
        policy
            .gpc_refused()
            .fold(self, |consent, category| consent.withdraw(category))
    }

    /// The value of the consent cookie that records this consent for policy
    /// `P`: `v1.<revision>.<categories>`, such as
    /// `v1.00c0ffee00c0ffee.necessary+statistical`. It holds only characters
    /// a cookie value may hold, unquoted.
    ///
    /// ```
    /// use cookie_policy::{Category, Consent, Platform};
    ///
    /// let consent = Consent::necessary_only().grant(Category::Statistical);
    /// let value = consent.to_cookie_value::<Platform>();
    /// assert!(value.starts_with("v1."));
    /// assert!(value.ends_with(".necessary+statistical"));
    /// assert_eq!(Consent::from_cookie_value::<Platform>(&value), Ok(consent));
    /// ```
    pub fn to_cookie_value<P: CookiePolicy + ?Sized>(self) -> String {
        self.cookie_value_for(P::REVISION)
    }

    /// [`to_cookie_value`](Consent::to_cookie_value) for the policy of
    /// this revision.
    pub(crate) fn cookie_value_for(self, revision: crate::Revision) -> String {
        let mark = if self.is_chosen_under_gpc() {
            ".gpc"
        } else {
            ""
        };
        format!(
            "v1.{revision}.{}{mark}",
            Category::join(self.categories(), "+")
        )
    }

    /// Reads a consent cookie's value written by
    /// [`to_cookie_value`](Consent::to_cookie_value) for policy `P`.
    ///
    /// Never panics, and never grants more than the value says: a value that
    /// is malformed, truncated, of an unknown version, names an unknown
    /// category, or was written for another revision of the policy is an
    /// error, and the site should ask again. [`Consent::from_cookie_value_or_ask`]
    /// does that in one call.
    ///
    /// ```
    /// use cookie_policy::{Consent, ConsentError, Platform};
    ///
    /// let stale = "v1.0000000000000001.necessary+advertising";
    /// assert!(matches!(
    ///     Consent::from_cookie_value::<Platform>(stale),
    ///     Err(ConsentError::Stale { .. })
    /// ));
    /// assert_eq!(
    ///     Consent::from_cookie_value::<Platform>("yes please"),
    ///     Err(ConsentError::Malformed)
    /// );
    /// ```
    pub fn from_cookie_value<P: CookiePolicy + ?Sized>(
        value: &str,
    ) -> Result<Consent, ConsentError> {
        Consent::from_cookie_value_for(P::REVISION, value)
    }

    /// [`from_cookie_value`](Consent::from_cookie_value) for the policy of
    /// revision `current`.
    pub(crate) fn from_cookie_value_for(
        current: crate::Revision,
        value: &str,
    ) -> Result<Consent, ConsentError> {
        if value.len() > MAX_VALUE_LENGTH {
            return Err(ConsentError::TooLong);
        }
        let mut parts = value.split('.');
        let (Some(version), Some(revision), Some(categories), mark, None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(ConsentError::Malformed);
        };
        let under_gpc = match mark {
            None => false,
            Some("gpc") => true,
            Some(_) => return Err(ConsentError::Malformed),
        };
        if version != "v1" {
            return Err(ConsentError::UnknownVersion);
        }
        let revision: crate::Revision = revision.parse().map_err(|_| ConsentError::Malformed)?;
        if revision != current {
            return Err(ConsentError::Stale {
                recorded: revision.get(),
                current: current.get(),
            });
        }
        let mut consent = Consent::necessary_only();
        for name in categories.split('+') {
            let category = name.parse().map_err(|_| ConsentError::UnknownCategory)?;
            consent = consent.grant(category);
        }
        Ok(if under_gpc {
            consent.chosen_under_gpc()
        } else {
            consent
        })
    }

    /// The value the vanilla-cookieconsent banner (v3) writes in the consent
    /// cookie when a visitor accepts exactly these categories, at `now`:
    /// URL-encoded JSON with `categories`, the banner's `revision`
    /// ([`Consent::banner_revision`]), timestamps, a consent id and an
    /// expiry `lifetime` after `now`. Both the banner and
    /// [`Consent::read_cookie_value`] accept it, so a server, or an audit
    /// that presets a choice, can record one in the format both sides read.
    ///
    /// ```
    /// use std::time::{Duration, SystemTime};
    /// use cookie_policy::{Category, Consent, Platform};
    ///
    /// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_780_000_000);
    /// let value = Consent::necessary_only().to_banner_value::<Platform>(now, Duration::from_secs(86_400));
    /// assert!(value.starts_with("%7B%22categories%22%3A%5B%22necessary%22%5D"));
    /// assert!(value.contains("%22consentTimestamp%22%3A%222026-05-28T20%3A26%3A40.000Z%22"));
    /// # #[cfg(feature = "http")]
    /// assert_eq!(Consent::read_cookie_value::<Platform>(&value), Ok(Consent::necessary_only()));
    /// ```
    pub fn to_banner_value<P: CookiePolicy + ?Sized>(
        self,
        now: std::time::SystemTime,
        lifetime: core::time::Duration,
    ) -> String {
        self.banner_value_for(P::REVISION, now, lifetime)
    }

    /// [`to_banner_value`](Consent::to_banner_value) for the policy of this
    /// revision.
    pub(crate) fn banner_value_for(
        self,
        revision: crate::Revision,
        now: std::time::SystemTime,
        lifetime: core::time::Duration,
    ) -> String {
        let since_epoch = now
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let millis = since_epoch.as_millis();
        let timestamp = iso_8601(since_epoch.as_secs());
        let categories: Vec<String> = self
            .categories()
            .map(|category| format!("\"{}\"", category.as_str()))
            .collect();
        let services: Vec<String> = self
            .categories()
            .map(|category| format!("\"{}\":[]", category.as_str()))
            .collect();
        // A version-4-shaped id, from the time and the choice: the banner
        // checks the shape only.
        let seed = cookie_policy_core::hash(
            format!("{millis}{}", self.granted).as_bytes(),
            revision.get(),
        );
        let consent_id = uuid_shaped(seed, seed.rotate_left(29) ^ revision.get());
        let json = format!(
            "{{\"categories\":[{}],\"revision\":{},\"data\":{},\"consentTimestamp\":\"{timestamp}\",\"consentId\":\"{consent_id}\",\"services\":{{{}}},\"languageCode\":\"en\",\"lastConsentTimestamp\":\"{timestamp}\",\"expirationTime\":{}}}",
            categories.join(","),
            revision.banner(),
            if self.is_chosen_under_gpc() {
                "{\"gpc\":true}"
            } else {
                "null"
            },
            services.join(","),
            millis + lifetime.as_millis(),
        );
        // What JavaScript's encodeURIComponent leaves as it is.
        let mut encoded = String::with_capacity(json.len() * 2);
        for byte in json.bytes() {
            if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
                encoded.push(char::from(byte));
            } else {
                encoded.push_str(&format!("%{byte:02X}"));
            }
        }
        encoded
    }

    /// The revision the CookieConsent banner is configured with and writes
    /// in its cookie: 31 bits of [`CookiePolicy::REVISION`], since the banner
    /// compares revisions as JavaScript numbers.
    ///
    /// ```
    /// use cookie_policy::{Consent, CookiePolicy, Platform};
    ///
    /// assert_eq!(Consent::banner_revision::<Platform>(), Platform::REVISION.banner());
    /// ```
    pub const fn banner_revision<P: CookiePolicy + ?Sized>() -> u32 {
        P::REVISION.banner()
    }

    /// Reads the value of the consent cookie in either format it is written
    /// in, told apart by its shape: this crate's own (`v1.<revision>.<categories>`,
    /// [`Consent::to_cookie_value`]) or the one the vanilla-cookieconsent
    /// banner writes (URL-encoded JSON with `categories` and `revision`).
    ///
    /// A banner value counts only when its `revision` is
    /// [`Consent::banner_revision`] of `P` and every category it names is one
    /// of `P`'s four; anything else is an error, and the caller falls back to
    /// necessary cookies only. Needs the feature `http`.
    ///
    /// ```
    /// use cookie_policy::{Category, Consent, ConsentError, Platform};
    ///
    /// let revision = Consent::banner_revision::<Platform>();
    /// let banner = format!(
    ///     "%7B%22categories%22%3A%5B%22necessary%22%2C%22statistical%22%5D%2C%22revision%22%3A{revision}%7D"
    /// );
    /// let consent = Consent::read_cookie_value::<Platform>(&banner).unwrap();
    /// assert!(consent.allows(Category::Statistical));
    /// assert!(!consent.allows(Category::Advertising));
    ///
    /// let stale = banner.replace(&revision.to_string(), "0");
    /// assert!(matches!(Consent::read_cookie_value::<Platform>(&stale), Err(ConsentError::Stale { .. })));
    /// ```
    #[cfg(feature = "http")]
    pub fn read_cookie_value<P: CookiePolicy + ?Sized>(
        value: &str,
    ) -> Result<Consent, ConsentError> {
        Consent::read_cookie_value_for(&crate::PolicyData::of::<P>(), value)
    }

    /// [`read_cookie_value`](Consent::read_cookie_value) for the policy of
    /// revision `revision`.
    #[cfg(feature = "http")]
    pub(crate) fn read_cookie_value_for(
        policy: &crate::PolicyData,
        value: &str,
    ) -> Result<Consent, ConsentError> {
        let value = value.trim_matches('"');
        if Consent::is_banner_value(value.as_bytes()) {
            Consent::from_banner_value_for(policy, value)
        } else {
            Consent::from_cookie_value_for(policy.revision(), value)
        }
    }

    /// Whether a consent cookie's value has the banner's shape (JSON,
    /// URL-encoded or not), once surrounding quotes are dropped.
    #[cfg(feature = "http")]
    pub(crate) fn is_banner_value(value: &[u8]) -> bool {
        let mut value = value;
        while let [b'"', rest @ ..] = value {
            value = rest;
        }
        value.starts_with(b"{")
            || value
                .get(..3)
                .is_some_and(|start| start.eq_ignore_ascii_case(b"%7b"))
    }

    #[cfg(feature = "http")]
    fn from_banner_value_for(
        policy: &crate::PolicyData,
        value: &str,
    ) -> Result<Consent, ConsentError> {
        if value.len() > MAX_BANNER_VALUE_LENGTH {
            return Err(ConsentError::TooLong);
        }
        BannerConsent::read(&percent_decoded(value.as_bytes()), policy, false)
            .map(|banner| banner.consent)
    }

    /// Whether this consent allows every category `held` allows.
    #[cfg(feature = "http")]
    pub(crate) const fn covers(self, held: Consent) -> bool {
        held.granted & !self.granted == 0
    }

    /// [`from_cookie_value`](Consent::from_cookie_value), with a missing or
    /// unusable value read as "ask again": necessary cookies only, and the
    /// reason.
    ///
    /// ```
    /// use cookie_policy::{Consent, Platform};
    ///
    /// let (consent, problem) = Consent::from_cookie_value_or_ask::<Platform>(None);
    /// assert_eq!(consent, Consent::necessary_only());
    /// assert!(problem.is_none()); // no choice yet is not an error
    /// ```
    pub fn from_cookie_value_or_ask<P: CookiePolicy + ?Sized>(
        value: Option<&str>,
    ) -> (Consent, Option<ConsentError>) {
        match value.map(Consent::from_cookie_value::<P>) {
            None => (Consent::necessary_only(), None),
            Some(Ok(consent)) => (consent, None),
            Some(Err(error)) => (Consent::necessary_only(), Some(error)),
        }
    }
}

/// A decision as the vanilla-cookieconsent banner writes it: the JSON of
/// its cookie (once URL-decoded), which its callbacks also post to the
/// consent log. This is the one reader of that JSON: the layer, the
/// audit and the consent endpoint all read it here, by the same rules.
///
/// - `categories` and `revision` must both be there;
/// - the revision must be the policy's ([`Consent::banner_revision`]),
///   else [`ConsentError::Stale`];
/// - each category must be one of the four [`Category`] names, else
///   [`ConsentError::UnknownCategory`] (a category the policy has no
///   cookie for grants nothing; the consent log refuses to record one);
/// - `consentId` and `languageCode` are kept as given; other fields are
///   skipped.
///
/// ```
/// use cookie_policy::{BannerConsent, Category, Consent, ConsentError, Platform};
///
/// let revision = Consent::banner_revision::<Platform>();
/// let json = format!(r#"{{"categories":["necessary"],"revision":{revision},"consentId":"8c3a","languageCode":"fr"}}"#);
/// let banner = BannerConsent::from_json::<Platform>(json.as_bytes()).unwrap();
/// assert_eq!(banner.consent, Consent::necessary_only());
/// assert_eq!(banner.consent_id.as_deref(), Some("8c3a"));
/// assert_eq!(banner.language.as_deref(), Some("fr"));
///
/// let forged = json.replace("necessary", "tracking");
/// assert_eq!(BannerConsent::from_json::<Platform>(forged.as_bytes()), Err(ConsentError::UnknownCategory));
/// ```
#[cfg(feature = "http")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BannerConsent {
    /// The categories accepted.
    pub consent: Consent,
    /// The banner's `consentId`, as given.
    pub consent_id: Option<String>,
    /// The banner's `languageCode`, as given.
    pub language: Option<String>,
}

#[cfg(feature = "http")]
impl BannerConsent {
    /// Reads the banner's JSON for policy `P`.
    pub fn from_json<P: CookiePolicy + ?Sized>(json: &[u8]) -> Result<BannerConsent, ConsentError> {
        BannerConsent::read(json, &crate::PolicyData::of::<P>(), true)
    }

    /// [`from_json`](Self::from_json), for a policy's data.
    pub fn from_json_for(
        json: &[u8],
        policy: &crate::PolicyData,
    ) -> Result<BannerConsent, ConsentError> {
        BannerConsent::read(json, policy, true)
    }

    /// The reader; `details` keeps the id and language (the layer, which
    /// needs only the consent, allocates nothing for them).
    fn read(
        json: &[u8],
        policy: &crate::PolicyData,
        details: bool,
    ) -> Result<BannerConsent, ConsentError> {
        use serde::de::DeserializeSeed as _;
        let mut deserializer = serde_json::Deserializer::from_slice(json);
        let banner = banner::BannerSeed { details }
            .deserialize(&mut deserializer)
            .and_then(|banner| deserializer.end().map(|()| banner))
            .map_err(|_| ConsentError::Malformed)?;
        let (Some(categories), Some(revision)) = (banner.categories, banner.revision) else {
            return Err(ConsentError::Malformed);
        };
        let current = u64::from(policy.banner_revision());
        if revision != current {
            return Err(ConsentError::Stale {
                recorded: revision,
                current,
            });
        }
        let consent = categories?;
        Ok(BannerConsent {
            consent: if banner.under_gpc {
                consent.chosen_under_gpc()
            } else {
                consent
            },
            consent_id: banner.consent_id,
            language: banner.language,
        })
    }
}

impl Default for Consent {
    /// [`Consent::necessary_only`].
    fn default() -> Consent {
        Consent::necessary_only()
    }
}

impl fmt::Debug for Consent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut set = f.debug_set();
        set.entries(self.categories());
        if self.is_chosen_under_gpc() {
            set.entry(&format_args!("chosen under GPC"));
        }
        set.finish()
    }
}

/// Longer consent values are refused unread: the longest valid one is
/// `v1.` + 16 + `.` + the four category names joined + `.gpc`, 68 bytes
/// (a test writes it).
const MAX_VALUE_LENGTH: usize = 256;

/// The longest banner value read: the banner's cookie holds ids, dates and
/// services besides the categories, well under this.
#[cfg(feature = "http")]
const MAX_BANNER_VALUE_LENGTH: usize = 4096;

/// Why a consent cookie's value was not accepted. In every case the visitor
/// is treated as having accepted necessary cookies only, and should be asked
/// again.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConsentError {
    /// Not of the form `v1.<16 hex digits>.<categories>`.
    #[error("the consent cookie is malformed; ask the visitor again")]
    Malformed,
    /// Written by a newer or unknown version of this format.
    #[error("the consent cookie has an unknown format version; ask the visitor again")]
    UnknownVersion,
    /// Names a category this crate does not know.
    #[error("the consent cookie names an unknown category; ask the visitor again")]
    UnknownCategory,
    /// Longer than any valid value.
    #[error("the consent cookie is too long to be valid; ask the visitor again")]
    TooLong,
    /// Recorded for another revision of the policy.
    #[error(
        "the consent was given to revision {recorded:016x} of the policy, which is now {current:016x}; ask the visitor again"
    )]
    Stale {
        /// The revision in the cookie.
        recorded: u64,
        /// [`CookiePolicy::REVISION`] now.
        current: u64,
    },
}

/// What a policy says of a cookie under a consent: see
/// [`CookiePolicy::permits`](crate::CookiePolicy::permits).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Declared, and either exempt from consent or consented to.
    Allowed(&'static Cookie),
    /// Declared, but its category has not been consented to.
    Refused {
        /// The declared cookie.
        cookie: &'static Cookie,
        /// The category consent is missing for.
        missing: Category,
    },
    /// The policy does not declare it: it may not be set at all.
    Undeclared,
}

impl Verdict {
    /// Whether the cookie may be set.
    pub const fn is_allowed(&self) -> bool {
        matches!(self, Verdict::Allowed(_))
    }
}

/// `bytes` with each `%XX` escape decoded, as JavaScript's
/// `decodeURIComponent` undoes `encodeURIComponent` (a `%` not followed by
/// two hex digits stays as it is). The `percent-encoding` crate does the
/// same through an iterator; this is one plain loop, about half its time
/// on the banner's values. A test checks it against the crate.
#[cfg(feature = "http")]
pub(crate) fn percent_decoded(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    loop {
        match rest {
            [b'%', high, low, tail @ ..] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                out.push(hex_digit(*high) << 4 | hex_digit(*low));
                rest = tail;
            }
            [byte, tail @ ..] => {
                out.push(*byte);
                rest = tail;
            }
            [] => return out,
        }
    }
}

/// The value of an ASCII hexadecimal digit (0 for any other byte).
#[cfg(feature = "http")]
const fn hex_digit(byte: u8) -> u8 {
    match byte {
        b'0'..=b'9' => byte - b'0',
        b'a'..=b'f' => byte - b'a' + 10,
        b'A'..=b'F' => byte - b'A' + 10,
        _ => 0,
    }
}

/// The banner's cookie, read with serde_json's parser but without building a
/// JSON tree: only `categories` (straight into a [`Consent`]) and `revision`
/// are kept, everything else is skipped.
#[cfg(feature = "http")]
mod banner {
    use core::fmt;
    use std::borrow::Cow;

    use serde::de::{
        Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor,
    };

    use super::{Consent, ConsentError};
    use crate::Category;

    pub(super) struct BannerValue {
        pub categories: Option<Result<Consent, ConsentError>>,
        pub revision: Option<u64>,
        pub consent_id: Option<String>,
        pub language: Option<String>,
        /// `data.gpc` is `true`: the choice was made under GPC.
        pub under_gpc: bool,
    }

    /// Reads a [`BannerValue`]; `details` keeps `consentId` and
    /// `languageCode`, else they are skipped unread.
    pub(super) struct BannerSeed {
        pub details: bool,
    }

    impl<'de> DeserializeSeed<'de> for BannerSeed {
        type Value = BannerValue;

        fn deserialize<D: Deserializer<'de>>(
            self,
            deserializer: D,
        ) -> Result<BannerValue, D::Error> {
            deserializer.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for BannerSeed {
        type Value = BannerValue;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the CookieConsent banner's cookie, a JSON object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<BannerValue, A::Error> {
            let mut value = BannerValue {
                categories: None,
                revision: None,
                consent_id: None,
                language: None,
                under_gpc: false,
            };
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                match &*key {
                    "categories" => value.categories = Some(map.next_value::<Categories>()?.0),
                    "revision" => value.revision = Some(map.next_value()?),
                    "consentId" if self.details => value.consent_id = map.next_value()?,
                    "languageCode" if self.details => value.language = map.next_value()?,
                    "data" => value.under_gpc = map.next_value::<Data>()?.0,
                    _ => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(value)
        }
    }

    /// The banner's `data`, whatever the site keeps there: only whether it
    /// is an object whose `gpc` member is `true`.
    struct Data(bool);

    impl<'de> Deserialize<'de> for Data {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(DataVisitor)
        }
    }

    struct DataVisitor;

    impl<'de> Visitor<'de> for DataVisitor {
        type Value = Data;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("any JSON value")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Data, A::Error> {
            let mut gpc = false;
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                if &*key == "gpc" {
                    gpc = map.next_value::<serde_json::Value>()? == serde_json::Value::Bool(true);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(Data(gpc))
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Data, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Data(false))
        }

        fn visit_bool<E>(self, _: bool) -> Result<Data, E> {
            Ok(Data(false))
        }

        fn visit_i64<E>(self, _: i64) -> Result<Data, E> {
            Ok(Data(false))
        }

        fn visit_u64<E>(self, _: u64) -> Result<Data, E> {
            Ok(Data(false))
        }

        fn visit_f64<E>(self, _: f64) -> Result<Data, E> {
            Ok(Data(false))
        }

        fn visit_str<E>(self, _: &str) -> Result<Data, E> {
            Ok(Data(false))
        }

        fn visit_unit<E>(self) -> Result<Data, E> {
            Ok(Data(false))
        }

        fn visit_none<E>(self) -> Result<Data, E> {
            Ok(Data(false))
        }
    }

    /// A JSON array of category names, as a consent; an unknown name is an
    /// error, kept until the whole value is read.
    struct Categories(Result<Consent, ConsentError>);

    impl<'de> Deserialize<'de> for Categories {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_seq(CategoriesVisitor)
        }
    }

    struct CategoriesVisitor;

    impl<'de> Visitor<'de> for CategoriesVisitor {
        type Value = Categories;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array of category names")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Categories, A::Error> {
            let mut consent = Ok(Consent::necessary_only());
            while let Some(name) = seq.next_element::<Cow<'de, str>>()? {
                consent = match (consent, name.parse::<Category>()) {
                    (Ok(consent), Ok(category)) => Ok(consent.grant(category)),
                    _ => Err(ConsentError::UnknownCategory),
                };
            }
            Ok(Categories(consent))
        }
    }
}

#[cfg(all(test, feature = "http"))]
mod tests {
    /// Every string of up to six characters over an alphabet of escapes,
    /// hex digits and others decodes as the `percent-encoding` crate
    /// decodes it.
    #[test]
    fn percent_decoding_agrees_with_the_percent_encoding_crate() {
        let alphabet = [b'%', b'4', b'1', b'f', b'G', b'a', b'\xc3'];
        let mut strings: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..6 {
            let longer: Vec<Vec<u8>> = strings
                .iter()
                .filter(|s| s.len() == strings.last().map_or(0, Vec::len))
                .flat_map(|s| {
                    alphabet.iter().map(move |&b| {
                        let mut s = s.clone();
                        s.push(b);
                        s
                    })
                })
                .collect();
            strings.extend(longer);
        }
        assert!(strings.len() > 100_000);
        for bytes in &strings {
            let expected: Vec<u8> = percent_encoding::percent_decode(bytes).collect();
            assert_eq!(super::percent_decoded(bytes), expected, "{bytes:?}");
        }
    }
}

/// Two numbers written as a version-4 UUID is shaped
/// (`xxxxxxxx-xxxx-4xxx-8xxx-xxxxxxxxxxxx`): what the banner checks of a
/// consent id.
pub(crate) fn uuid_shaped(high: u64, low: u64) -> String {
    let hex = format!("{high:016x}{low:016x}");
    let part = |range: core::ops::Range<usize>| hex.get(range).unwrap_or("0");
    format!(
        "{}-{}-4{}-8{}-{}",
        part(0..8),
        part(8..12),
        part(13..16),
        part(17..20),
        part(20..32)
    )
}

/// `seconds` since the Unix epoch as JavaScript's `Date.toISOString` writes
/// it: `2026-11-30T06:00:00.000Z`.
fn iso_8601(seconds: u64) -> String {
    let seconds = i64::try_from(seconds).unwrap_or(i64::MAX);
    jiff::Timestamp::from_second(seconds)
        .map(|time| format!("{time:.3}"))
        .unwrap_or_default()
}

#[cfg(test)]
mod date_tests {
    /// `MAX_VALUE_LENGTH`'s comment: the longest value this crate writes.
    #[test]
    fn the_longest_value_is_68_bytes() {
        let all = crate::Category::ALL
            .into_iter()
            .fold(super::Consent::necessary_only(), super::Consent::grant)
            .chosen_under_gpc();
        assert_eq!(
            all.cookie_value_for(crate::Revision::new(u64::MAX)).len(),
            68
        );
        const { assert!(68 <= super::MAX_VALUE_LENGTH) };
    }

    /// Against GNU `date -u -d @SECONDS +%Y-%m-%dT%H:%M:%S.000Z`, leap days
    /// and the century included.
    #[test]
    fn iso_8601_agrees_with_gnu_date() {
        for (seconds, expected) in [
            (0, "1970-01-01T00:00:00.000Z"),
            (951_782_400, "2000-02-29T00:00:00.000Z"),
            (1_709_208_000, "2024-02-29T12:00:00.000Z"),
            (1_780_000_000, "2026-05-28T20:26:40.000Z"),
            (4_102_444_799, "2099-12-31T23:59:59.000Z"),
        ] {
            assert_eq!(super::iso_8601(seconds), expected, "{seconds}");
        }
    }
}
