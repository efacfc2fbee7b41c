//! The validated policy: what `validate` returns and `expand` turns into code.
//!
//! Every value here has been checked; the only thing left to do with it is to
//! write it out. Categories, parties and lifetimes are `cookie-policy-core`'s,
//! the same types the generated code uses.

pub use cookie_policy_core::{Category, ConsentModeKey, Gpc, IsoDate, Lifetime, Party};

/// A checked policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `[site]`.
    pub site: Site,
    /// `[[provider]]`, in file order.
    pub providers: Vec<Provider>,
    /// `[[cookie]]`, in file order.
    pub cookies: Vec<Cookie>,
    /// The index in [`Policy::cookies`] of the cookie declared
    /// `consent = true`, which stores the visitor's choice.
    pub consent_cookie: Option<usize>,
    /// `[categories.<name>]`, `[consent_mode]` and `[gpc]`, defaults filled
    /// in.
    pub signals: Signals,
}

/// What the policy says about the browser and tag signals, each default
/// filled in: the model of `cookie_policy_core::Signals`.
///
/// The signals are not part of [`Policy::revision`]: they change how a
/// choice is reached and told to tags, not what a visitor consents to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signals {
    /// What a GPC signal means for each category, in `Category::ALL`'s order.
    pub gpc: [Gpc; 4],
    /// The Consent Mode keys each category grants, in `Category::ALL`'s
    /// order; each key in one category at most.
    pub consent_mode: [Vec<ConsentModeKey>; 4],
    /// `[consent_mode] wait_for_update`, in milliseconds.
    pub wait_for_update: u32,
    /// `[consent_mode] regions`, ISO 3166 codes in file order.
    pub regions: Vec<String>,
    /// `[gpc] last_update`.
    pub gpc_last_update: Option<IsoDate>,
}

impl Default for Signals {
    fn default() -> Self {
        Signals {
            gpc: Category::ALL.map(Gpc::default_for),
            consent_mode: Category::ALL
                .map(|category| ConsentModeKey::default_for(category).to_vec()),
            wait_for_update: cookie_policy_core::ConsentModeSettings::DEFAULT_WAIT_FOR_UPDATE,
            regions: Vec::new(),
            gpc_last_update: None,
        }
    }
}

impl Signals {
    /// What a GPC signal means for `category`.
    pub fn gpc(&self, category: Category) -> Gpc {
        Category::ALL
            .iter()
            .zip(self.gpc)
            .find_map(|(c, gpc)| (*c == category).then_some(gpc))
            .unwrap_or(Gpc::default_for(category))
    }

    /// The Consent Mode keys `category` grants.
    pub fn consent_mode_keys(&self, category: Category) -> &[ConsentModeKey] {
        Category::ALL
            .iter()
            .zip(&self.consent_mode)
            .find_map(|(c, keys)| (*c == category).then_some(keys.as_slice()))
            .unwrap_or_default()
    }
}

impl Policy {
    /// A fingerprint of what a visitor consents to: for every cookie its name,
    /// provider, category, purpose, party, lifetime, domain, path and whether
    /// it needs consent. Any change to those changes it, so a consent given
    /// to an older policy is recognised as stale. Wording changes to
    /// `function`, locations or the site's texts do not.
    pub fn revision(&self) -> u64 {
        let mut text = String::new();
        for cookie in &self.cookies {
            let provider = self.providers.get(cookie.provider);
            let fields = [
                cookie.name.as_str(),
                provider.map_or("", |p| p.id.as_str()),
                provider.map_or("", |p| p.name.as_str()),
                cookie.category.as_str(),
                &cookie.purpose.0.join("\u{1d}"),
                cookie.party.as_str(),
                &cookie.lifetime.map_or_else(String::new, |l| l.to_string()),
                cookie.domain.as_deref().unwrap_or(""),
                cookie.path.as_deref().unwrap_or(""),
                if cookie.requires_consent {
                    "consent"
                } else {
                    "exempt"
                },
            ];
            for field in fields {
                text.push_str(field);
                text.push('\u{1f}');
            }
            text.push('\u{1e}');
        }
        cookie_policy_core::hash(text.as_bytes(), REVISION_SEED)
    }
}

/// The seed of [`Policy::revision`]: "cookie" in ASCII. Changing it makes
/// every stored consent stale.
const REVISION_SEED: u64 = 0x636f_6f6b_6965;

/// A text in every language of the policy, in the order of
/// `[site] languages`; the first is the default.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Text(pub Vec<String>);

impl Text {
    /// The text in the default language.
    pub fn default_text(&self) -> &str {
        self.get(0)
    }

    /// The text in the language at `index` in `[site] languages`; empty
    /// when there is none.
    pub fn get(&self, index: usize) -> &str {
        self.0.get(index).map_or("", String::as_str)
    }
}

/// `[site]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// `name`.
    pub name: Text,
    /// `languages`: `["en"]` when not given.
    pub languages: Vec<String>,
    /// `url`.
    pub url: Option<String>,
    /// `locations`.
    pub locations: Vec<String>,
    /// The texts `[banner]` replaces, by [`BannerText::key`](cookie_policy_core::BannerText::key).
    pub banner: Vec<(&'static str, Text)>,
}

/// One `[[provider]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// `id`.
    pub id: String,
    /// `name`.
    pub name: String,
    /// `url`.
    pub url: Option<String>,
}

/// One `[[cookie]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cookie {
    /// `name`, with the `*` of a pattern.
    pub name: String,
    /// Whether `name` ends with `*`.
    pub is_pattern: bool,
    /// Index into [`Policy::providers`].
    pub provider: usize,
    /// `function`.
    pub function: Text,
    /// `locations`.
    pub locations: Vec<String>,
    /// `purpose`.
    pub purpose: Text,
    /// `category`.
    pub category: Category,
    /// `party`.
    pub party: Party,
    /// `lifetime`.
    pub lifetime: Option<Lifetime>,
    /// `domain`.
    pub domain: Option<String>,
    /// `path`.
    pub path: Option<String>,
    /// `anonymized`.
    pub anonymized: bool,
    /// `refresh`: the site renews the cookie's expiry on each visit.
    pub refresh: bool,
    /// Decided from the category, `anonymized`, party and lifetime.
    pub requires_consent: bool,
    /// The generated constant's name.
    pub const_name: String,
    /// The 1-based line of the `name` key, for docs.
    pub line: usize,
}

impl Cookie {
    /// The bytes names are compared with: the name, or a pattern's prefix.
    pub fn key(&self) -> &str {
        if self.is_pattern {
            self.name.strip_suffix('*').unwrap_or(&self.name)
        } else {
            &self.name
        }
    }
}

/// A cookie's category, lifetime and flags as the codes of
/// `cookie_policy_core::encoding`: what the expansion passes to
/// `cookie_policy::__private::cookie`, and what the `cookie-policy` command
/// passes to it when it loads a policy at run time. One encoding, one
/// decoder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Codes {
    /// The category's code.
    pub category: u8,
    /// The lifetime's amount.
    pub lifetime_amount: u32,
    /// The lifetime's unit code.
    pub lifetime_unit: u8,
    /// The flags: pattern, third party, anonymized, needs consent, refresh.
    pub flags: u8,
}

impl Cookie {
    /// This cookie's [`Codes`].
    pub fn codes(&self) -> Codes {
        use cookie_policy_core::encoding;
        let (lifetime_amount, lifetime_unit) = encoding::lifetime_code(self.lifetime);
        Codes {
            category: encoding::category_code(self.category),
            lifetime_amount,
            lifetime_unit,
            flags: encoding::flags(encoding::Flags {
                is_pattern: self.is_pattern,
                party: self.party,
                anonymized: self.anonymized,
                requires_consent: self.requires_consent,
                refresh: self.refresh,
            }),
        }
    }
}
