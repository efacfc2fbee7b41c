//! The browser and tag signals a policy answers: what a Global Privacy
//! Control signal means for each category ([`Gpc`]), which Google Consent
//! Mode v2 keys each category grants ([`ConsentModeKey`]), and the Consent
//! Mode settings ([`ConsentModeSettings`]). [`Signals`] holds them for one
//! policy; `policy.toml` writes them in `[categories.<name>]`,
//! `[consent_mode]` and `[gpc]` (docs/policy-format.md).

use core::fmt;
use core::str::FromStr;

use crate::Category;

/// What a Global Privacy Control signal (`Sec-GPC: 1`,
/// `navigator.globalPrivacyControl`) means for a category: `gpc = "refuse"`
/// or `gpc = "ignore"` in its `[categories.<name>]` table.
///
/// By default `advertising` is refused (the sale and sharing of personal
/// data that California's and Colorado's laws let GPC opt out of) and the
/// other categories ignore the signal. `necessary` cookies cannot be
/// refused, so `necessary` can only ignore it: the derive rejects
/// `gpc = "refuse"` there.
///
/// ```
/// use cookie_policy_core::{Category, Gpc};
///
/// assert_eq!("refuse".parse::<Gpc>(), Ok(Gpc::Refuse));
/// assert_eq!(Gpc::default_for(Category::Advertising), Gpc::Refuse);
/// assert_eq!(Gpc::default_for(Category::Statistical), Gpc::Ignore);
/// assert_eq!(Gpc::Ignore.as_str(), "ignore");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gpc {
    /// The signal refuses the category until the visitor explicitly grants
    /// it afterwards.
    Refuse,
    /// The signal changes nothing for the category.
    Ignore,
}

impl Gpc {
    /// Both meanings.
    pub const ALL: [Gpc; 2] = [Gpc::Refuse, Gpc::Ignore];

    /// The value in `policy.toml`: `"refuse"` or `"ignore"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Gpc::Refuse => "refuse",
            Gpc::Ignore => "ignore",
        }
    }

    /// The meaning a category has when its table does not say:
    /// [`Gpc::Refuse`] for [`Category::Advertising`], else [`Gpc::Ignore`].
    pub const fn default_for(category: Category) -> Gpc {
        match category {
            Category::Advertising => Gpc::Refuse,
            Category::Necessary | Category::Functional | Category::Statistical => Gpc::Ignore,
        }
    }
}

impl fmt::Display for Gpc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string is not a [`Gpc`] meaning.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown GPC meaning `{0}`: expected `refuse` or `ignore`")]
pub struct ParseGpcError(String);

impl FromStr for Gpc {
    type Err = ParseGpcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Gpc::ALL
            .into_iter()
            .find(|gpc| gpc.as_str() == s)
            .ok_or_else(|| ParseGpcError(s.to_owned()))
    }
}

/// One of the seven Google Consent Mode v2 keys, as `gtag('consent', ...)`
/// names it.
///
/// ```
/// use cookie_policy_core::{Category, ConsentModeKey};
///
/// assert_eq!("ad_user_data".parse(), Ok(ConsentModeKey::AdUserData));
/// assert_eq!(ConsentModeKey::AnalyticsStorage.as_str(), "analytics_storage");
/// assert_eq!(
///     ConsentModeKey::default_for(Category::Statistical),
///     [ConsentModeKey::AnalyticsStorage]
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConsentModeKey {
    /// `ad_storage`: storage for advertising, such as cookies.
    AdStorage,
    /// `ad_user_data`: sending user data to Google for advertising.
    AdUserData,
    /// `ad_personalization`: personalized advertising.
    AdPersonalization,
    /// `analytics_storage`: storage for analytics, such as visit duration.
    AnalyticsStorage,
    /// `functionality_storage`: storage that supports the site's or app's
    /// functionality, such as language settings.
    FunctionalityStorage,
    /// `personalization_storage`: storage for personalization, such as
    /// video recommendations.
    PersonalizationStorage,
    /// `security_storage`: storage for security, such as authentication
    /// and fraud prevention.
    SecurityStorage,
}

impl ConsentModeKey {
    /// Every key, in the order Google's documentation lists them.
    pub const ALL: [ConsentModeKey; 7] = [
        ConsentModeKey::AdStorage,
        ConsentModeKey::AdUserData,
        ConsentModeKey::AdPersonalization,
        ConsentModeKey::AnalyticsStorage,
        ConsentModeKey::FunctionalityStorage,
        ConsentModeKey::PersonalizationStorage,
        ConsentModeKey::SecurityStorage,
    ];

    /// The key's name, as `gtag` and `policy.toml` write it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsentModeKey::AdStorage => "ad_storage",
            ConsentModeKey::AdUserData => "ad_user_data",
            ConsentModeKey::AdPersonalization => "ad_personalization",
            ConsentModeKey::AnalyticsStorage => "analytics_storage",
            ConsentModeKey::FunctionalityStorage => "functionality_storage",
            ConsentModeKey::PersonalizationStorage => "personalization_storage",
            ConsentModeKey::SecurityStorage => "security_storage",
        }
    }

    /// The keys a category grants when its table does not say:
    /// `necessary` → `security_storage` (always granted);
    /// `functional` → `functionality_storage`, `personalization_storage`;
    /// `statistical` → `analytics_storage`; `advertising` → `ad_storage`,
    /// `ad_user_data`, `ad_personalization`.
    pub const fn default_for(category: Category) -> &'static [ConsentModeKey] {
        match category {
            Category::Necessary => &[ConsentModeKey::SecurityStorage],
            Category::Functional => &[
                ConsentModeKey::FunctionalityStorage,
                ConsentModeKey::PersonalizationStorage,
            ],
            Category::Statistical => &[ConsentModeKey::AnalyticsStorage],
            Category::Advertising => &[
                ConsentModeKey::AdStorage,
                ConsentModeKey::AdUserData,
                ConsentModeKey::AdPersonalization,
            ],
        }
    }
}

impl fmt::Display for ConsentModeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error returned when a string names no [`ConsentModeKey`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown Consent Mode key `{0}`: expected one of `ad_storage`, `ad_user_data`, `ad_personalization`, `analytics_storage`, `functionality_storage`, `personalization_storage`, `security_storage`"
)]
pub struct ParseConsentModeKeyError(String);

impl FromStr for ConsentModeKey {
    type Err = ParseConsentModeKeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ConsentModeKey::ALL
            .into_iter()
            .find(|key| key.as_str() == s)
            .ok_or_else(|| ParseConsentModeKeyError(s.to_owned()))
    }
}

/// The settings of the Consent Mode `default` command: `[consent_mode]` in
/// `policy.toml`.
///
/// ```
/// use cookie_policy_core::{ConsentModeSettings, Signals};
///
/// let settings = Signals::DEFAULT.consent_mode();
/// assert_eq!(settings.wait_for_update(), 500);
/// assert!(settings.regions().is_empty());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConsentModeSettings {
    wait_for_update: u32,
    regions: &'static [&'static str],
}

impl ConsentModeSettings {
    /// `wait_for_update` when the policy does not give it: 500 ms, the
    /// value of Google's examples.
    pub const DEFAULT_WAIT_FOR_UPDATE: u32 = 500;
    /// The largest `wait_for_update` the derive accepts: 10 s. Tags wait
    /// that long for the banner's `update` before they run with the
    /// defaults.
    pub const MAX_WAIT_FOR_UPDATE: u32 = 10_000;

    /// Settings from their parts. The derive and `PolicyData::load` build
    /// them from a checked file; `regions` are ISO 3166-1 alpha-2 or
    /// ISO 3166-2 codes.
    #[doc(hidden)]
    pub const fn __new(wait_for_update: u32, regions: &'static [&'static str]) -> Self {
        ConsentModeSettings {
            wait_for_update,
            regions,
        }
    }

    /// How long, in milliseconds, tags wait for the banner's `update`
    /// command (`wait_for_update`).
    pub const fn wait_for_update(&self) -> u32 {
        self.wait_for_update
    }

    /// The regions the `default` command applies to (`region`), as ISO
    /// 3166-1 alpha-2 (`"FR"`) or ISO 3166-2 (`"US-CA"`) codes, in file
    /// order; empty when it applies everywhere.
    pub const fn regions(&self) -> &'static [&'static str] {
        self.regions
    }
}

/// A calendar date, `YYYY-MM-DD`: when the site last changed what it does
/// with GPC (`[gpc] last_update`), the `lastUpdate` of
/// `/.well-known/gpc.json`.
///
/// ```
/// use cookie_policy_core::IsoDate;
///
/// let date: IsoDate = "2024-02-29".parse().unwrap();
/// assert_eq!(date.to_string(), "2024-02-29");
/// assert!("2023-02-29".parse::<IsoDate>().is_err());
/// assert!("2024-2-29".parse::<IsoDate>().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    year: u16,
    month: u8,
    day: u8,
}

impl IsoDate {
    /// The date, if it exists in the proleptic Gregorian calendar (years
    /// 1 to 9999).
    pub const fn new(year: u16, month: u8, day: u8) -> Option<IsoDate> {
        let leap =
            year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => 0,
        };
        if year == 0 || year > 9999 || day == 0 || day > days {
            None
        } else {
            Some(IsoDate { year, month, day })
        }
    }

    /// The year.
    pub const fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    pub const fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, from 1.
    pub const fn day(&self) -> u8 {
        self.day
    }
}

impl fmt::Display for IsoDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The error returned when a string is not a `YYYY-MM-DD` date.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date: write it as `YYYY-MM-DD`, such as `2026-01-31`")]
pub struct ParseIsoDateError(String);

impl FromStr for IsoDate {
    type Err = ParseIsoDateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let error = || ParseIsoDateError(s.to_owned());
        let bytes = s.as_bytes();
        let shape = bytes.len() == 10
            && bytes.iter().enumerate().all(|(index, byte)| match index {
                4 | 7 => *byte == b'-',
                _ => byte.is_ascii_digit(),
            });
        if !shape {
            return Err(error());
        }
        let number =
            |range: core::ops::Range<usize>| s.get(range).and_then(|t| t.parse::<u16>().ok());
        let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10))
        else {
            return Err(error());
        };
        let (Ok(month), Ok(day)) = (u8::try_from(month), u8::try_from(day)) else {
            return Err(error());
        };
        IsoDate::new(year, month, day).ok_or_else(error)
    }
}

/// Whether `code` is an ISO 3166-1 alpha-2 code (`"FR"`) or an ISO 3166-2
/// subdivision code (`"US-CA"`, `"FR-75C"`), as Consent Mode's `region`
/// takes them: an officially assigned alpha-2 code in upper case, then
/// optionally `-` and one to three upper-case letters or digits.
///
/// ```
/// use cookie_policy_core::is_region_code;
///
/// assert!(is_region_code("FR"));
/// assert!(is_region_code("US-CA"));
/// assert!(!is_region_code("fr"));
/// assert!(!is_region_code("XX"));
/// assert!(!is_region_code("US-"));
/// ```
pub fn is_region_code(code: &str) -> bool {
    let (country, subdivision) = match code.split_once('-') {
        Some((country, subdivision)) => (country, Some(subdivision)),
        None => (code, None),
    };
    let subdivision_ok = subdivision.is_none_or(|part| {
        (1..=3).contains(&part.len())
            && part
                .bytes()
                .all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit())
    });
    subdivision_ok && ISO_3166_1_ALPHA_2.contains(&country)
}

/// The 249 officially assigned ISO 3166-1 alpha-2 codes.
const ISO_3166_1_ALPHA_2: [&str; 249] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// What a policy says about the browser and tag signals: each category's
/// [`Gpc`] meaning and [`ConsentModeKey`]s, the [`ConsentModeSettings`],
/// and when its GPC support last changed. `cookie_policy::PolicyData` reads
/// them; the derive builds one per policy.
///
/// ```
/// use cookie_policy_core::{Category, ConsentModeKey, Gpc, Signals};
///
/// let signals = Signals::DEFAULT;
/// assert_eq!(signals.gpc(Category::Advertising), Gpc::Refuse);
/// assert_eq!(
///     signals.consent_mode_keys(Category::Necessary),
///     [ConsentModeKey::SecurityStorage]
/// );
/// assert_eq!(signals.consent_mode_category(ConsentModeKey::AdStorage), Some(Category::Advertising));
/// assert_eq!(signals.gpc_last_update(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Signals {
    /// By [`Category::ALL`]'s order.
    gpc: [Gpc; 4],
    /// By [`Category::ALL`]'s order.
    consent_mode: [&'static [ConsentModeKey]; 4],
    settings: ConsentModeSettings,
    gpc_last_update: Option<IsoDate>,
}

impl Signals {
    /// The signals of a policy that says nothing about them: every default.
    pub const DEFAULT: Signals = Signals {
        gpc: [
            Gpc::default_for(Category::Necessary),
            Gpc::default_for(Category::Functional),
            Gpc::default_for(Category::Statistical),
            Gpc::default_for(Category::Advertising),
        ],
        consent_mode: [
            ConsentModeKey::default_for(Category::Necessary),
            ConsentModeKey::default_for(Category::Functional),
            ConsentModeKey::default_for(Category::Statistical),
            ConsentModeKey::default_for(Category::Advertising),
        ],
        settings: ConsentModeSettings::__new(ConsentModeSettings::DEFAULT_WAIT_FOR_UPDATE, &[]),
        gpc_last_update: None,
    };

    /// Signals from their parts, each array in [`Category::ALL`]'s order:
    /// what generated code and `PolicyData::load` build from a checked file.
    #[doc(hidden)]
    pub const fn __new(
        gpc: [Gpc; 4],
        consent_mode: [&'static [ConsentModeKey]; 4],
        settings: ConsentModeSettings,
        gpc_last_update: Option<IsoDate>,
    ) -> Signals {
        Signals {
            gpc,
            consent_mode,
            settings,
            gpc_last_update,
        }
    }

    /// What a GPC signal means for `category`.
    pub const fn gpc(&self, category: Category) -> Gpc {
        by_category(category, self.gpc)
    }

    /// The Consent Mode keys `category` grants, in the policy's order; the
    /// keys of [`Category::Necessary`] are always granted.
    pub const fn consent_mode_keys(&self, category: Category) -> &'static [ConsentModeKey] {
        by_category(category, self.consent_mode)
    }

    /// The category that grants `key`, if one does (the derive allows a
    /// key in one category at most). A key no category grants stays denied.
    pub fn consent_mode_category(&self, key: ConsentModeKey) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|&category| self.consent_mode_keys(category).contains(&key))
    }

    /// The settings of the `default` command.
    pub const fn consent_mode(&self) -> ConsentModeSettings {
        self.settings
    }

    /// When the site last changed what it does with GPC: `[gpc]
    /// last_update`, if the policy gives it.
    pub const fn gpc_last_update(&self) -> Option<IsoDate> {
        self.gpc_last_update
    }
}

impl Default for Signals {
    fn default() -> Self {
        Signals::DEFAULT
    }
}

/// The entry of `category` in an array in [`Category::ALL`]'s order.
const fn by_category<T: Copy>(category: Category, values: [T; 4]) -> T {
    let [necessary, functional, statistical, advertising] = values;
    match category {
        Category::Necessary => necessary,
        Category::Functional => functional,
        Category::Statistical => statistical,
        Category::Advertising => advertising,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for gpc in Gpc::ALL {
            assert_eq!(gpc.as_str().parse(), Ok(gpc));
        }
        for key in ConsentModeKey::ALL {
            assert_eq!(key.as_str().parse(), Ok(key));
        }
        assert!("Refuse".parse::<Gpc>().is_err());
        assert!("ad-storage".parse::<ConsentModeKey>().is_err());
    }

    /// Google's list of Consent Mode v2 keys, as written in its developer
    /// documentation ("Consent types"), not read from `as_str`.
    #[test]
    fn the_keys_are_googles() {
        let google = [
            "ad_storage",
            "ad_user_data",
            "ad_personalization",
            "analytics_storage",
            "functionality_storage",
            "personalization_storage",
            "security_storage",
        ];
        let ours: Vec<&str> = ConsentModeKey::ALL.map(ConsentModeKey::as_str).to_vec();
        assert_eq!(ours, google);
    }

    #[test]
    fn defaults_give_each_key_to_one_category() {
        for key in ConsentModeKey::ALL {
            let owners = Category::ALL
                .into_iter()
                .filter(|&category| ConsentModeKey::default_for(category).contains(&key))
                .count();
            assert_eq!(owners, 1, "{key}");
        }
    }

    #[test]
    fn by_category_follows_category_all() {
        for (position, category) in Category::ALL.into_iter().enumerate() {
            assert_eq!(by_category(category, [0, 1, 2, 3]), position);
        }
    }

    #[test]
    fn dates() {
        assert_eq!(
            "2000-02-29".parse::<IsoDate>().map(|d| d.to_string()),
            Ok("2000-02-29".to_owned())
        );
        for bad in [
            "1900-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "0000-01-01",
            "2026-01-1",
            "2026/01/01",
            "+026-01-01",
            "2026-01-01T00:00:00",
            "",
        ] {
            assert!(bad.parse::<IsoDate>().is_err(), "{bad}");
        }
        assert_eq!(
            "2026-1-01".parse::<IsoDate>().unwrap_err().to_string(),
            "`2026-1-01` is not a date: write it as `YYYY-MM-DD`, such as `2026-01-31`"
        );
    }

    #[test]
    fn region_codes() {
        let mut sorted = ISO_3166_1_ALPHA_2.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), 249);
        for good in ["FR", "US-CA", "ES-CT", "FR-75C", "GB-ENG"] {
            assert!(is_region_code(good), "{good}");
        }
        for bad in [
            "", "F", "FRA", "fr", "XK", "UK", "EU", "US-", "US-CALI", "US-ca", "-CA", "US--CA",
        ] {
            assert!(!is_region_code(bad), "{bad}");
        }
    }
}
