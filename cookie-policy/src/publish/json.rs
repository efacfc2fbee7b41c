//! The policy as JSON, and the exports for consent tools (feature `serde`).

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use crate::{Category, Cookie, CookiePolicy, Provider, SiteInfo, Text};

/// `{"en": "...", "fr": "..."}`.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.languages().len()))?;
        for (language, text) in self.translations() {
            map.serialize_entry(language, text)?;
        }
        map.end()
    }
}

/// `{"id", "name", "url"}`.
impl Serialize for Provider {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut provider = serializer.serialize_struct("Provider", 3)?;
        provider.serialize_field("id", self.id())?;
        provider.serialize_field("name", self.name())?;
        provider.serialize_field("url", &self.url())?;
        provider.end()
    }
}

/// `{"name", "url", "locations", "languages"}`.
impl Serialize for SiteInfo {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut site = serializer.serialize_struct("SiteInfo", 4)?;
        site.serialize_field("name", &self.name_text())?;
        site.serialize_field("url", &self.url())?;
        site.serialize_field("locations", self.locations())?;
        site.serialize_field("languages", self.languages())?;
        site.end()
    }
}

/// Every field of the cookie, its provider by `id`; see `docs/publishing.md`.
impl Serialize for Cookie {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut cookie = serializer.serialize_struct("Cookie", 13)?;
        cookie.serialize_field("name", self.name())?;
        cookie.serialize_field("pattern", &self.is_pattern())?;
        cookie.serialize_field("provider", self.provider().id())?;
        cookie.serialize_field("function", &self.function_text())?;
        cookie.serialize_field("locations", self.locations())?;
        cookie.serialize_field("purpose", &self.purpose_text())?;
        cookie.serialize_field("category", &self.category())?;
        cookie.serialize_field("party", &self.party())?;
        cookie.serialize_field("lifetime", &self.lifetime())?;
        cookie.serialize_field("domain", &self.domain())?;
        cookie.serialize_field("path", &self.path())?;
        cookie.serialize_field("anonymized", &self.is_anonymized())?;
        cookie.serialize_field("requires_consent", &self.requires_consent())?;
        cookie.end()
    }
}

/// The whole policy `P` as pretty-printed JSON:
/// `{"format": 1, "revision", "site", "providers", "cookies"}`, the shape
/// documented in `docs/publishing.md` (`format` changes only when that shape
/// does).
///
/// ```
/// use cookie_policy::{Platform, publish};
///
/// let json: serde_json::Value = serde_json::from_str(&publish::json::<Platform>()).unwrap();
/// assert_eq!(json["cookies"][0]["name"], "sessionid");
/// assert_eq!(json["cookies"][0]["purpose"]["fr"], "Se souvenir de l'utilisateur d'une page à l'autre");
/// assert_eq!(json["cookies"][0]["lifetime"]["seconds"], 1_209_600);
/// ```
pub fn json<P: CookiePolicy + ?Sized>() -> String {
    pretty(&Document::<P>(core::marker::PhantomData))
}

/// The policy, its fields in the documented order.
struct Document<P: ?Sized>(core::marker::PhantomData<fn() -> P>);

impl<P: CookiePolicy + ?Sized> Serialize for Document<P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut document = serializer.serialize_struct("Policy", 5)?;
        document.serialize_field("format", &1)?;
        document.serialize_field("revision", &format!("{:016x}", P::REVISION))?;
        document.serialize_field("site", P::SITE)?;
        document.serialize_field("providers", P::PROVIDERS)?;
        document.serialize_field("cookies", P::COOKIES)?;
        document.end()
    }
}

fn pretty(value: &impl Serialize) -> String {
    // Our `Serialize` impls never fail, and writing to a `String` cannot.
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

/// The TCF purposes a category's cookies serve (Transparency and Consent
/// Framework v2.2 purpose ids): see `docs/publishing.md` for the reasoning.
pub(crate) fn tcf_purposes(category: Category) -> &'static [u8] {
    match category {
        // Store and/or access information on a device.
        Category::Necessary => &[1],
        // + create and use profiles to personalise content.
        Category::Functional => &[1, 5, 6],
        // + measure content performance, understand audiences, improve services.
        Category::Statistical => &[1, 8, 9, 10],
        // + advertising: limited data, profiles, personalised ads, measurement.
        Category::Advertising => &[1, 2, 3, 4, 7],
    }
}

/// The IAB TCF *Device Storage Disclosure* of `P`: the JSON a vendor
/// publishes at its `deviceStorageDisclosureUrl`. One disclosure per cookie:
/// `identifier` (a pattern as `name*`), `type: "cookie"`, `maxAgeSeconds`
/// (0 for a session cookie, `null` when the policy states no lifetime),
/// `cookieRefresh: false`, `domains` (the declared domain, or `"*"`),
/// `purposes` (by category) and `description` (the purpose in `language`,
/// or the default language).
///
/// ```
/// use cookie_policy::{Platform, publish};
///
/// let json: serde_json::Value =
///     serde_json::from_str(&publish::tcf_disclosures::<Platform>("en")).unwrap();
/// assert_eq!(json["disclosures"][0]["identifier"], "sessionid");
/// assert_eq!(json["disclosures"][0]["maxAgeSeconds"], 1_209_600);
/// ```
pub fn tcf_disclosures<P: CookiePolicy + ?Sized>(language: &str) -> String {
    let disclosures: Vec<Value> = P::COOKIES
        .iter()
        .map(|cookie| {
            let max_age = cookie
                .lifetime()
                .map(|lifetime| lifetime.seconds().unwrap_or(0));
            json!({
                "identifier": cookie.name(),
                "type": "cookie",
                "maxAgeSeconds": max_age,
                "cookieRefresh": false,
                "domains": [cookie.domain().unwrap_or("*")],
                "purposes": tcf_purposes(cookie.category()),
                "description": cookie.purpose_in(language).unwrap_or(cookie.purpose()),
            })
        })
        .collect();
    pretty(&json!({ "disclosures": disclosures }))
}

/// A CookieConsent v3 configuration fragment for `P`, in `language`:
/// `revision`, `categories` (one per category the policy uses; `necessary`
/// is `enabled` and `readOnly`) with `autoClear.cookies` (exact names as
/// `{"name": "..."}`, patterns as a RegExp source string `"^prefix"` for the
/// site to wrap in `new RegExp(...)`), and the preferences modal's sections
/// with their cookie tables. Merge it into the object given to
/// `CookieConsent.run()`.
///
/// ```
/// use cookie_policy::{Platform, publish};
///
/// let json: serde_json::Value =
///     serde_json::from_str(&publish::cookieconsent_config::<Platform>("fr")).unwrap();
/// assert_eq!(json["categories"]["necessary"]["readOnly"], true);
/// assert_eq!(json["categories"]["necessary"]["autoClear"]["cookies"][0]["name"], "sessionid");
/// ```
pub fn cookieconsent_config<P: CookiePolicy + ?Sized>(language: &str) -> String {
    let mut categories = serde_json::Map::new();
    let mut sections = Vec::new();
    for category in Category::ALL {
        let cookies: Vec<&Cookie> = P::by_category(category).collect();
        if cookies.is_empty() {
            continue;
        }
        let clear: Vec<Value> = cookies
            .iter()
            .map(|cookie| {
                if cookie.is_pattern() {
                    json!({ "name": format!("^{}", regex_escape(cookie.name().trim_end_matches('*'))) })
                } else {
                    json!({ "name": cookie.name() })
                }
            })
            .collect();
        let necessary = category == Category::Necessary;
        categories.insert(
            category.as_str().to_owned(),
            json!({ "enabled": necessary, "readOnly": necessary, "autoClear": { "cookies": clear } }),
        );
        let body: Vec<Value> = cookies
            .iter()
            .map(|cookie| {
                json!({
                    "name": cookie.name(),
                    "domain": cookie.domain().unwrap_or(""),
                    "desc": cookie.purpose_in(language).unwrap_or(cookie.purpose()),
                })
            })
            .collect();
        sections.push(json!({
            "title": category.as_str(),
            "linkedCategory": category.as_str(),
            "cookieTable": {
                "headers": { "name": "Cookie", "domain": "Domain", "desc": "Description" },
                "body": body,
            },
        }));
    }
    // CookieConsent compares revisions as JavaScript numbers: 31 bits of ours.
    let revision = P::REVISION & 0x7fff_ffff;
    pretty(&json!({
        "revision": revision,
        "categories": categories,
        "language": {
            "default": language,
            "translations": { language: { "preferencesModal": { "sections": sections } } },
        },
    }))
}

/// A literal string as RegExp source: every character that means something
/// in a JavaScript regular expression, escaped.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\^$.|?*+()[]{}/-".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
