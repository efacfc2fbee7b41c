//! Google Consent Mode v2: the `default` command a page runs before any
//! tag, from the policy's mapping of categories to Consent Mode keys.
//!
//! The banner's half, the `update` on each decision, is written into the
//! vanilla-cookieconsent configuration (`cookieconsent.rs`) from the same
//! [`grants`].

use core::fmt::Write as _;

use crate::{Category, CookiePolicy, PolicyData};

/// When a Consent Mode key is granted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Grant {
    /// Always: it needs no consent (`security_storage`, by default).
    Always,
    /// When the visitor accepts every one of these categories (none of
    /// them `necessary`, each one the banner offers).
    When(Vec<Category>),
    /// Never: no category the banner offers maps to it, so no choice of
    /// the visitor can grant it.
    Never,
}

/// Each Consent Mode key and when it is granted, in the policy's order of
/// keys.
///
/// A key is granted when the visitor accepts *every* category that maps to
/// it: a key that two categories share unlocks storage for both purposes,
/// so one refusal denies it. A category the policy declares no cookie for
/// is not offered by the banner; a key that such a category maps to is
/// never granted.
pub(crate) fn grants(policy: &PolicyData) -> Vec<(&'static str, Grant)> {
    let used = policy.categories_used();
    KEYS.iter()
        .map(|&(key, always)| {
            let mapped: Vec<Category> = Category::ALL
                .into_iter()
                .filter(|&category| category_keys(category).contains(&key))
                .collect();
            let needs: Vec<Category> = mapped
                .iter()
                .copied()
                .filter(|&category| category != Category::Necessary)
                .collect();
            let grant = if needs.is_empty() {
                if always || mapped.contains(&Category::Necessary) {
                    Grant::Always
                } else {
                    Grant::Never
                }
            } else if needs.iter().all(|category| used.contains(category)) {
                Grant::When(needs)
            } else {
                Grant::Never
            };
            (key, grant)
        })
        .collect()
}

// TODO(gpc): replaced by the policy's mapping once `signals API:` lands.
const KEYS: [(&str, bool); 7] = [
    ("ad_storage", false),
    ("ad_user_data", false),
    ("ad_personalization", false),
    ("analytics_storage", false),
    ("functionality_storage", false),
    ("personalization_storage", false),
    ("security_storage", true),
];

fn category_keys(category: Category) -> &'static [&'static str] {
    match category {
        Category::Statistical => &["analytics_storage"],
        Category::Advertising => &["ad_storage", "ad_user_data", "ad_personalization"],
        Category::Functional => &["functionality_storage", "personalization_storage"],
        _ => &[],
    }
}

const WAIT_FOR_UPDATE: u64 = 500;

/// A JavaScript string literal of `text`: quotes, backslashes and every
/// character outside printable ASCII escaped, so that it cannot end the
/// string or the `<script>` element it is written into.
pub(crate) fn js_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' if c != '<' && c != '>' && c != '&' => out.push(c),
            _ => {
                let mut units = [0_u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
    out
}

/// The Google Consent Mode v2 `default` snippet of policy `P`: the script a
/// page runs first in its `<head>`, before any Google tag (gtag.js, Tag
/// Manager) and any script that calls `gtag` or pushes to `dataLayer`.
///
/// It defines `dataLayer` and `gtag` as Google documents them, then sends
/// `gtag('consent', 'default', {...})` with every key that needs consent
/// `denied`, `security_storage` `granted`, and `wait_for_update`, so that
/// tags wait for the banner's `update`
/// ([`cookieconsent_config`](crate::publish::cookieconsent_config) sends
/// it). See `docs/publishing.md`, "Google Consent Mode v2".
///
/// ```
/// use cookie_policy::{Platform, publish};
///
/// let snippet = publish::consent_mode_default::<Platform>();
/// assert!(snippet.contains("function gtag(){dataLayer.push(arguments);}"));
/// assert!(snippet.contains("  \"ad_storage\": \"denied\",\n"));
/// assert!(snippet.contains("  \"security_storage\": \"granted\",\n"));
/// ```
pub fn consent_mode_default<P: CookiePolicy + ?Sized>() -> String {
    consent_mode_default_data(&PolicyData::of::<P>())
}

/// [`consent_mode_default`] of a policy's data.
pub(crate) fn consent_mode_default_data(policy: &PolicyData) -> String {
    let mut out = format!(
        "// Google Consent Mode v2 defaults of {}, generated by cookie-policy\n\
         // from its policy (revision {}). Do not edit: regenerate it.\n\
         // Run it first in the page's head, before any tag and any script\n\
         // that calls gtag or pushes to dataLayer.\n\
         window.dataLayer = window.dataLayer || [];\n\
         function gtag(){{dataLayer.push(arguments);}}\n\
         if (dataLayer.some(function (entry) {{ return entry && (entry[0] === \"config\" || entry[0] === \"event\" || typeof entry.event === \"string\"); }})) {{\n  \
         console.error(\"cookie-policy: a tag ran before the Consent Mode default; put this script above every tag\");\n\
         }}\n",
        site_name(policy),
        policy.revision()
    );
    out.push_str("gtag(\"consent\", \"default\", {\n");
    for (key, grant) in grants(policy) {
        let state = if grant == Grant::Always {
            "granted"
        } else {
            "denied"
        };
        let _ = writeln!(out, "  {}: {},", js_string(key), js_string(state));
    }
    let _ = writeln!(out, "  \"wait_for_update\": {WAIT_FOR_UPDATE},");
    out.push_str("});\n");
    out
}

/// The site's name for a comment of a script that is written inline into
/// a page: on one line, and without `<`, so that it cannot close the
/// `<script>` element (`</script>`) or open an HTML comment (`<!--`).
fn site_name(policy: &PolicyData) -> String {
    policy
        .site()
        .name()
        .replace(['\n', '\r', '\u{2028}', '\u{2029}'], " ")
        .replace('<', "")
}
