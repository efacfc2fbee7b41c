//! The configuration of the vanilla-cookieconsent v3 banner, as a JavaScript
//! module that the banner's published build runs as it is (feature `serde`).
//!
//! JSON cannot hold the `RegExp`s that clear a pattern's cookies, and it
//! sorts nothing but neither does it promise an order; a module can hold
//! both, so there is no conversion step between this output and
//! `CookieConsent.run`.

use core::fmt::Write as _;

use cookie_policy_core::{BannerText, Wording};

use super::consent_mode::{self, Grant};
use super::page::PublishError;
use crate::{Category, Cookie, CookiePolicy, PolicyData};

/// A JavaScript value, written with its keys in the order given.
enum Js {
    Str(String),
    Int(u64),
    Bool(bool),
    /// A regular expression literal matching names that start with the text.
    Prefix(String),
    Array(Vec<Js>),
    Object(Vec<(&'static str, Js)>),
}

impl Js {
    /// A string the banner uses as a value: a cookie's name, a path.
    fn str(text: &str) -> Js {
        Js::Str(text.to_owned())
    }

    /// A string the banner shows. The banner puts its texts into the page
    /// as HTML (`innerHTML`), so every text is escaped: a policy's text is
    /// text, and cannot add markup or script to the site's pages.
    fn text(text: &str) -> Js {
        Js::Str(html_escape::encode_text(text).into_owned())
    }

    fn write(&self, out: &mut String, indent: usize) {
        match self {
            // serde_json escapes quotes, backslashes and control characters,
            // which is also what a JavaScript string literal needs.
            Js::Str(text) => out.push_str(&serde_json::to_string(text).unwrap_or_default()),
            Js::Int(number) => {
                let _ = write!(out, "{number}");
            }
            Js::Bool(flag) => {
                let _ = write!(out, "{flag}");
            }
            Js::Prefix(prefix) => {
                out.push_str("/^");
                for c in prefix.chars() {
                    if "\\^$.|?*+()[]{}/-".contains(c) {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('/');
            }
            Js::Array(items) if items.is_empty() => out.push_str("[]"),
            Js::Array(items) => {
                out.push_str("[\n");
                for item in items {
                    pad(out, indent + 1);
                    item.write(out, indent + 1);
                    out.push_str(",\n");
                }
                pad(out, indent);
                out.push(']');
            }
            Js::Object(fields) => {
                out.push_str("{\n");
                for (key, value) in fields {
                    pad(out, indent + 1);
                    if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                        out.push_str(key);
                    } else {
                        out.push_str(&serde_json::to_string(key).unwrap_or_default());
                    }
                    out.push_str(": ");
                    value.write(out, indent + 1);
                    out.push_str(",\n");
                }
                pad(out, indent);
                out.push('}');
            }
        }
    }
}

fn pad(out: &mut String, indent: usize) {
    out.push_str(&"  ".repeat(indent));
}

/// The configuration of the vanilla-cookieconsent v3 banner for policy `P`,
/// as a JavaScript module whose default export `CookieConsent.run` takes
/// unedited:
///
/// ```js
/// import config from "./cookieconsent-config.js";
/// CookieConsent.run(config);
/// ```
///
/// It holds:
/// - `revision`: [`Consent::banner_revision`](crate::Consent::banner_revision), so a consent given to an
///   older policy is asked again, and the server reads the banner's cookie
///   with the same revision;
/// - `cookie`: the policy's consent cookie ([`CookiePolicy::CONSENT_COOKIE`]),
///   its lifetime, path and domain, so the banner writes the cookie the
///   server reads;
/// - `categories`: one per category the policy uses; `necessary` enabled and
///   read-only; the others with `autoClear` entries, with the declared path
///   and domain, so that a withdrawal clears what scripts set (a pattern as a
///   `RegExp` on its prefix);
/// - `language`: every language of the policy, the document's own chosen
///   (`autoDetect: "document"`: the banner speaks the language of the page it
///   is on), with the consent and preferences modals' texts (`[banner]` in
///   `policy.toml`, else built in), the page's category headings and texts as
///   sections, and each category's cookies in a table whose columns are the
///   page's: name, domain (the declared one, else the site's host), lifetime,
///   purpose.
///
/// Beside the configuration, the module sends Google Consent Mode v2's
/// `gtag('consent', 'update', {...})` on the banner's `cc:onFirstConsent`,
/// `cc:onConsent` and `cc:onChange` window events, with all seven keys, each
/// granted when the visitor accepted the category that grants it
/// ([`PolicyData::consent_mode_keys`]); through the page's `gtag` when it
/// has one, else by pushing the command's `arguments` into `dataLayer`, as
/// Google's `gtag` does. Put [`consent_mode_default`](super::consent_mode_default)
/// first in the page's `<head>`.
///
/// The banner shows its texts as HTML, so every text is HTML-escaped: a
/// policy's texts (and `[banner]`'s) are text, never markup, as on the
/// policy pages.
///
/// An error when a language of the policy has no built-in wording (pages are
/// written in `en` and `fr`).
///
/// ```
/// use cookie_policy::{Platform, publish};
///
/// let module = publish::cookieconsent_config::<Platform>().unwrap();
/// assert!(module.starts_with("// The CookieConsent"));
/// assert!(module.contains("    name: \"cookies_preferences\",\n"));
/// assert!(module.contains("acceptAllBtn: \"Tout accepter\""));
/// ```
pub fn cookieconsent_config<P: CookiePolicy + ?Sized>() -> Result<String, PublishError> {
    cookieconsent_config_data(&PolicyData::of::<P>())
}

/// [`cookieconsent_config`] of a policy's data.
pub(crate) fn cookieconsent_config_data(policy: &PolicyData) -> Result<String, PublishError> {
    let site = policy.site();
    let mut translations = Vec::new();
    for (index, &language) in site.languages().iter().enumerate() {
        let wording = Wording::for_language(language)
            .ok_or_else(|| PublishError::UnsupportedLanguage(language.to_owned()))?;
        translations.push((language, translation(policy, index, wording)));
    }
    let categories = policy
        .categories_used()
        .into_iter()
        .map(|category| (category.as_str(), category_config(policy, category)))
        .collect();
    let mut config = vec![("revision", Js::Int(u64::from(policy.banner_revision())))];
    if let Some(cookie) = policy.consent_cookie() {
        config.push(("cookie", cookie_options(cookie, policy.consent_lifetime())));
    }
    config.push(("categories", Js::Object(categories)));
    config.push((
        "language",
        Js::Object(vec![
            ("default", Js::str(site.default_language())),
            ("autoDetect", Js::str("document")),
            ("translations", Js::Object(translations)),
        ]),
    ));
    let mut out = format!(
        "// The CookieConsent v3 configuration of {}, generated by cookie-policy\n// from its policy (revision {}). Do not edit: regenerate it.\n//\n//   import config from \"./cookieconsent-config.js\";\n//   CookieConsent.run(config);\n",
        site.name().replace(['\n', '\r'], " "),
        policy.revision()
    );
    out.push_str(&gpc_script(policy)?);
    out.push_str(&consent_mode_updates(policy));
    out.push_str("export default ");
    Js::Object(config).write(&mut out, 0);
    out.push_str(";\n");
    Ok(out)
}

/// Google Consent Mode v2: the module listens to the banner's
/// `cc:onFirstConsent`, `cc:onConsent` (every page load once a choice is
/// stored, and the first consent) and `cc:onChange` events, and sends
/// `gtag('consent', 'update', {...})` with all seven keys, each granted
/// when the visitor accepted the category that grants it (see
/// [`consent_mode::grants`]). It calls the page's `gtag` when there is one, else pushes
/// the command's `arguments` into `dataLayer`, as Google's `gtag` does; it
/// never defines a global `gtag`.
///
/// It reads the choice from the banner (`CookieConsent.getCookie()`, the
/// published build's global; the event's copy without it) when the event
/// is handled, not from the event: GPC's listener, which runs first, may
/// have replaced a stored choice (`acceptCategory`) while the event was
/// being dispatched, and an update from the event's copy would then come
/// last, stale.
///
/// Events rather than the configuration's `onConsent`-style callbacks: a
/// site composes the configuration with its own callbacks
/// (`{ ...config, ...callbacks }`, as the consent log's are), and a
/// callback of the configuration would be silently replaced by the site's.
/// Only the categories the policy offers count: a consent cookie naming
/// another grants nothing.
fn consent_mode_updates(policy: &PolicyData) -> String {
    let mut grants = String::new();
    for (key, grant) in consent_mode::grants(policy) {
        let category = match grant {
            Grant::Always => "true".to_owned(),
            Grant::Never => "false".to_owned(),
            Grant::When(category) => consent_mode::js_string(category.as_str()),
        };
        let _ = writeln!(
            grants,
            "  [{}, {category}],",
            consent_mode::js_string(key.as_str())
        );
    }
    format!(
        "\n// Google Consent Mode v2: each decision of the banner as an update, on\n\
         // first consent, on every page load once a choice is stored, and on\n\
         // change. Each key is granted with its category (true: always).\n\
         const consentModeGrants = [\n{grants}];\n\
         function consentModeUpdate(event) {{\n  \
           // The banner's choice now, not the event's copy: a listener\n  \
           // before this one (GPC's) may have changed it since.\n  \
           const banner = window.CookieConsent;\n  \
           const cookie = banner && typeof banner.getCookie === \"function\"\n    \
             ? banner.getCookie()\n    \
             : event.detail && event.detail.cookie;\n  \
           const accepted = cookie && Array.isArray(cookie.categories) ? cookie.categories : [];\n  \
           const update = {{}};\n  \
           for (const [key, category] of consentModeGrants) {{\n    \
             const granted = category === true || (typeof category === \"string\" && accepted.includes(category));\n    \
             update[key] = granted ? \"granted\" : \"denied\";\n  \
           }}\n  \
           if (typeof window.gtag === \"function\") {{\n    \
             window.gtag(\"consent\", \"update\", update);\n  \
           }} else if (Array.isArray(window.dataLayer)) {{\n    \
             // What Google's gtag does: push the arguments object. A page\n    \
             // without a dataLayer has no Google tag (the default snippet,\n    \
             // which must come first, makes one): nothing to tell.\n    \
             (function () {{ window.dataLayer.push(arguments); }})(\"consent\", \"update\", update);\n  \
           }}\n\
         }}\n\
         if (typeof window !== \"undefined\") {{\n  \
           for (const name of [\"cc:onFirstConsent\", \"cc:onConsent\", \"cc:onChange\"]) {{\n    \
             window.addEventListener(name, consentModeUpdate);\n  \
           }}\n\
         }}\n\n"
    )
}

/// Global Privacy Control in the banner: module code that runs before
/// `CookieConsent.run` and acts only when `navigator.globalPrivacyControl`
/// is `true`; nothing when the banner offers no category the policy
/// refuses under GPC.
///
/// - the banner and the preferences modal say, in the page's language,
///   that the signal is honoured and which categories it refuses (a
///   `span.cc-gpc-notice` added to the modal's text, as text, never HTML,
///   when a modal is built: `cc:onModalReady`);
/// - those categories start refused (as every category but the necessary
///   one does: none is `enabled`), and a choice stored before the signal
///   that grants one of them is replaced on the next page load by the same
///   choice without them (`acceptCategory`, which clears their cookies);
/// - a choice made under the signal is marked in the banner's cookie,
///   `"data": {"gpc": true}` (`setCookieData`), which tells the server
///   ([`Consent::chosen_under_gpc`](crate::Consent::chosen_under_gpc))
///   that its grants were the visitor's, made knowing the signal.
///
/// It listens to the banner's events (`cc:onFirstConsent`, `cc:onConsent`,
/// `cc:onChange`, `cc:onModalReady`), not the configuration's callbacks,
/// which a site's own callbacks replace (`{ ...config, ...callbacks }`).
fn gpc_script(policy: &PolicyData) -> Result<String, PublishError> {
    let used = policy.categories_used();
    let refused: Vec<Category> = policy
        .gpc_refused()
        .filter(|category| used.contains(category))
        .collect();
    if refused.is_empty() {
        return Ok(String::new());
    }
    let site = policy.site();
    let mut notices = Vec::new();
    for &language in site.languages() {
        let wording = Wording::for_language(language)
            .ok_or_else(|| PublishError::UnsupportedLanguage(language.to_owned()))?;
        notices.push((language, Js::str(&wording.gpc_notice(&refused))));
    }
    let mut refused_js = String::new();
    Js::Array(
        refused
            .iter()
            .map(|category| Js::str(category.as_str()))
            .collect(),
    )
    .write(&mut refused_js, 0);
    let mut notices_js = String::new();
    Js::Object(notices).write(&mut notices_js, 0);
    let default_language = serde_json::to_string(site.default_language()).unwrap_or_default();
    Ok(format!(
        r#"
// Global Privacy Control: with navigator.globalPrivacyControl, these
// categories are refused until the visitor accepts them, the banner says
// so, and a choice made under the signal is marked ("data": {{"gpc": true}})
// so that the server knows its grants were explicit.
const gpcRefused = {refused_js};
const gpcNotices = {notices_js};
if (typeof navigator !== "undefined" && navigator.globalPrivacyControl === true) {{
  let gpcDecided = false;
  const gpcMark = () => {{
    gpcDecided = true;
    CookieConsent.setCookieData({{ value: {{ gpc: true }}, mode: "update" }});
  }};
  window.addEventListener("cc:onFirstConsent", gpcMark);
  window.addEventListener("cc:onChange", gpcMark);
  window.addEventListener("cc:onConsent", () => {{
    const cookie = CookieConsent.getCookie();
    if (gpcDecided || (cookie.data && cookie.data.gpc === true)) return;
    const accepted = Array.isArray(cookie.categories) ? cookie.categories : [];
    if (accepted.some((category) => gpcRefused.includes(category))) {{
      CookieConsent.acceptCategory(accepted.filter((category) => !gpcRefused.includes(category)));
    }} else {{
      gpcMark();
    }}
  }});
  window.addEventListener("cc:onModalReady", (event) => {{
    const detail = event.detail || {{}};
    const modal = detail.modal;
    if (!modal) return;
    const page = (document.documentElement.lang || "").toLowerCase();
    const language = Object.keys(gpcNotices).find((tag) => page === tag.toLowerCase())
      || Object.keys(gpcNotices).find((tag) => page.split("-")[0] === tag.toLowerCase())
      || {default_language};
    const notice = document.createElement("span");
    notice.className = "cc-gpc-notice";
    notice.style.display = "block";
    notice.style.marginTop = "0.5em";
    notice.textContent = gpcNotices[language];
    const place = detail.modalName === "consentModal"
      ? modal.querySelector(".cm__desc")
      : modal.querySelector(".pm__section-desc");
    (place || modal).appendChild(notice);
  }});
}}
"#
    ))
}

/// `cookie`: where the banner stores the visitor's choice.
fn cookie_options(cookie: &Cookie, lifetime: core::time::Duration) -> Js {
    let days = lifetime.as_secs() / 86_400;
    let mut options = vec![
        ("name", Js::str(cookie.name())),
        ("expiresAfterDays", Js::Int(days)),
    ];
    if let Some(path) = cookie.path() {
        options.push(("path", Js::str(path)));
    }
    if let Some(domain) = cookie.domain() {
        options.push(("domain", Js::str(domain)));
    }
    Js::Object(options)
}

/// One category: necessary is on and locked; the others clear their cookies
/// when refused.
fn category_config(policy: &PolicyData, category: Category) -> Js {
    if category == Category::Necessary {
        return Js::Object(vec![
            ("enabled", Js::Bool(true)),
            ("readOnly", Js::Bool(true)),
        ]);
    }
    let cookies = policy
        .by_category(category)
        .map(|cookie| {
            let key = cookie
                .name()
                .strip_suffix('*')
                .filter(|_| cookie.is_pattern());
            let mut item = vec![(
                "name",
                key.map_or_else(
                    || Js::str(cookie.name()),
                    |prefix| Js::Prefix(prefix.to_owned()),
                ),
            )];
            if let Some(path) = cookie.path() {
                item.push(("path", Js::str(path)));
            }
            if let Some(domain) = cookie.domain() {
                item.push(("domain", Js::str(domain)));
            }
            Js::Object(item)
        })
        .collect();
    Js::Object(vec![(
        "autoClear",
        Js::Object(vec![("cookies", Js::Array(cookies))]),
    )])
}

/// The banner's texts in the policy's language at `index`.
fn translation(policy: &PolicyData, index: usize, wording: &'static Wording) -> Js {
    let site = policy.site();
    let language = wording.language;
    let text = |text: BannerText| {
        let own = site
            .banner_text(text, language)
            .unwrap_or(wording.banner(text));
        Js::text(&wording.typeset(own))
    };
    let mut sections = vec![Js::Object(vec![(
        "description",
        text(BannerText::PreferencesDescription),
    )])];
    let host = site.host().unwrap_or("");
    for category in Category::ALL {
        let cookies: Vec<&Cookie> = policy.by_category(category).collect();
        if cookies.is_empty() {
            continue;
        }
        let [name, domain, lifetime, purpose] = wording.banner_columns;
        let body = cookies
            .iter()
            .map(|cookie| {
                Js::Object(vec![
                    ("name", Js::text(cookie.name())),
                    ("domain", Js::text(cookie.domain().unwrap_or(host))),
                    ("lifetime", Js::text(&wording.lifetime(cookie.lifetime()))),
                    (
                        "purpose",
                        Js::text(&wording.typeset(cookie.purpose_text().at(index))),
                    ),
                ])
            })
            .collect();
        sections.push(Js::Object(vec![
            ("title", Js::text(wording.category_heading(category))),
            ("description", Js::text(wording.category_text(category))),
            ("linkedCategory", Js::str(category.as_str())),
            (
                "cookieTable",
                Js::Object(vec![
                    (
                        "headers",
                        Js::Object(vec![
                            ("name", Js::text(name)),
                            ("domain", Js::text(domain)),
                            ("lifetime", Js::text(lifetime)),
                            ("purpose", Js::text(purpose)),
                        ]),
                    ),
                    ("body", Js::Array(body)),
                ]),
            ),
        ]));
    }
    Js::Object(vec![
        (
            "consentModal",
            Js::Object(vec![
                ("title", text(BannerText::Title)),
                ("description", text(BannerText::Description)),
                ("acceptAllBtn", text(BannerText::AcceptAll)),
                ("acceptNecessaryBtn", text(BannerText::AcceptNecessary)),
                ("showPreferencesBtn", text(BannerText::ShowPreferences)),
            ]),
        ),
        (
            "preferencesModal",
            Js::Object(vec![
                ("title", text(BannerText::PreferencesTitle)),
                ("acceptAllBtn", text(BannerText::AcceptAll)),
                ("acceptNecessaryBtn", text(BannerText::AcceptNecessary)),
                ("savePreferencesBtn", text(BannerText::SavePreferences)),
                ("closeIconLabel", text(BannerText::Close)),
                ("sections", Js::Array(sections)),
            ]),
        ),
    ])
}
