//! The policy as JSON, and the exports for consent tools (feature `serde`).

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};
use serde_json::{Value, json};

use super::page::PublishError;
use crate::{Category, Cookie, CookiePolicy, PolicyData, Provider, SiteInfo, Text};

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
    json_data(&PolicyData::of::<P>())
}

/// [`json()`] of a policy's data.
pub(crate) fn json_data(policy: &PolicyData) -> String {
    pretty(&Document(policy))
}

/// The policy, its fields in the documented order.
struct Document<'p>(&'p PolicyData);

impl Serialize for Document<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let policy = self.0;
        let mut document = serializer.serialize_struct("Policy", 5)?;
        document.serialize_field("format", &1)?;
        document.serialize_field("revision", &policy.revision())?;
        document.serialize_field("site", policy.site())?;
        document.serialize_field("providers", policy.providers())?;
        document.serialize_field("cookies", policy.cookies())?;
        document.end()
    }
}

fn pretty(value: &impl Serialize) -> String {
    // Our `Serialize` impls never fail, and writing to a `String` cannot.
    serde_json::to_string_pretty(value).unwrap_or_default() + "\n"
}

/// The TCF purposes a category's cookies serve (Transparency and Consent
/// Framework v2.2 purpose ids), Purpose 1 ("store and/or access information
/// on a device") aside: the specification includes Purpose 1 only when the
/// storage needs consent under the ePrivacy Directive, which
/// [`tcf_disclosures`] decides per cookie. See `docs/publishing.md`.
pub(crate) fn tcf_purposes(category: Category) -> &'static [u8] {
    match category {
        // Strictly necessary storage serves no TCF purpose that needs consent.
        Category::Necessary => &[],
        // Create and use profiles to personalise content; use them to select it.
        Category::Functional => &[5, 6],
        // Measure content performance, understand audiences, improve services.
        Category::Statistical => &[8, 9, 10],
        // Advertising: limited data, profiles, personalised ads, measurement.
        Category::Advertising => &[2, 3, 4, 7],
    }
}

/// The IAB TCF *Device Storage Disclosure* of `P`: the JSON a vendor
/// publishes at its `deviceStorageDisclosureUrl`, in the shape of the
/// specification's "Vendor Device Storage & Operational Disclosures" (v1.1,
/// January 2026; checked against a JSON Schema written from its tables in
/// `tests/fixtures/tcf-device-storage-disclosure.schema.json`).
///
/// - `disclosures`: one per cookie: `identifier` (a pattern as `name*`),
///   `type: "cookie"`, `maxAgeSeconds` (0 for a session cookie),
///   `cookieRefresh` (`refresh = true` in the policy), `domains` (the
///   declared domain, else the site's host, else `"*"`), `purposes` (by
///   category, with Purpose 1 only for cookies that need consent) and
///   `description` (the purpose in `language`, or the default language);
/// - `domains`: the site's host and every declared cookie domain, each once.
///
/// An error names the first cookie without a lifetime: the specification
/// requires an integer `maxAgeSeconds` for every cookie.
///
/// ```
/// use cookie_policy::{Platform, publish};
///
/// let json: serde_json::Value =
///     serde_json::from_str(&publish::tcf_disclosures::<Platform>("en").unwrap()).unwrap();
/// assert_eq!(json["disclosures"][0]["identifier"], "sessionid");
/// assert_eq!(json["disclosures"][0]["maxAgeSeconds"], 1_209_600);
/// assert_eq!(json["disclosures"][0]["purposes"], serde_json::json!([])); // exempt: no Purpose 1
/// assert_eq!(json["domains"][0]["domain"], "documentation-resources.opendatasoft.com");
/// ```
pub fn tcf_disclosures<P: CookiePolicy + ?Sized>(language: &str) -> Result<String, PublishError> {
    tcf_disclosures_data(&PolicyData::of::<P>(), language)
}

/// [`tcf_disclosures`] of a policy's data.
pub(crate) fn tcf_disclosures_data(
    policy: &PolicyData,
    language: &str,
) -> Result<String, PublishError> {
    let host = policy.site().host();
    let mut disclosures = Vec::new();
    for cookie in policy.cookies() {
        let Some(lifetime) = cookie.lifetime() else {
            return Err(PublishError::MissingLifetime(cookie.name().to_owned()));
        };
        let mut purposes: Vec<u8> = Vec::new();
        if cookie.requires_consent() {
            purposes.push(1);
        }
        purposes.extend_from_slice(tcf_purposes(cookie.category()));
        let domain = cookie.domain().or(host).unwrap_or("*");
        disclosures.push(json!({
            "identifier": cookie.name(),
            "type": "cookie",
            "maxAgeSeconds": lifetime.seconds().unwrap_or(0),
            "cookieRefresh": cookie.is_refreshed(),
            "domains": [domain],
            "purposes": purposes,
            "description": cookie.purpose_in(language).unwrap_or(cookie.purpose()),
        }));
    }
    let mut domains: Vec<&str> = Vec::new();
    for domain in host
        .into_iter()
        .chain(policy.cookies().iter().filter_map(Cookie::domain))
    {
        if !domains.contains(&domain) {
            domains.push(domain);
        }
    }
    let domains: Vec<Value> = domains
        .into_iter()
        .map(|domain| json!({ "domain": domain }))
        .collect();
    Ok(pretty(
        &json!({ "disclosures": disclosures, "domains": domains }),
    ))
}
