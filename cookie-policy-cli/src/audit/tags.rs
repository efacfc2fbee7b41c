//! The tags a page runs, judged through Google Consent Mode v2: what each
//! pass read from a page's `window.dataLayer`, and the findings of one
//! read (docs/audit.md, "Tags").
//!
//! `gtag()` as Google documents it pushes its `arguments` object
//! (`dataLayer.push(arguments)`): a command is an `Arguments` entry whose
//! first item names it (`['consent', 'default', {...}]`, `['config',
//! 'G-…']`, `['event', 'purchase', {...}]`); Google Tag Manager's snippet
//! pushes an object, `{event: 'gtm.js', 'gtm.start': …}`.

use cookie_policy::{Category, Consent, PolicyData};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::findings::Kind;

/// One `dataLayer` entry, as the crawl reads it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub(crate) enum Entry {
    /// A `gtag()` call: the items of its `Arguments` object.
    Gtag { args: Vec<Value> },
    /// Anything else pushed: an object (a Tag Manager event), an array.
    Push { value: Value },
}

impl Entry {
    /// The gtag command's name and its items after it.
    fn command(&self) -> Option<(&str, &[Value])> {
        match self {
            Entry::Gtag { args } => {
                let (name, rest) = args.split_first()?;
                Some((name.as_str()?, rest))
            }
            Entry::Push { .. } => None,
        }
    }

    /// `gtag('consent', which, {...})`: the parameters, for `which`.
    fn consent(&self, which: &str) -> Option<&Map<String, Value>> {
        match self.command()? {
            ("consent", [kind, parameters, ..]) if kind.as_str() == Some(which) => {
                parameters.as_object()
            }
            _ => None,
        }
    }

    /// What the entry runs, if it is a tag: `config` or `event` of gtag,
    /// Tag Manager's `gtm.js`.
    fn tag(&self) -> Option<String> {
        match self {
            Entry::Push { value } => (value.get("event").and_then(Value::as_str) == Some("gtm.js"))
                .then(|| "Tag Manager's `gtm.js`".to_owned()),
            Entry::Gtag { .. } => match self.command()? {
                (name @ ("config" | "event"), rest) => {
                    Some(match rest.first().and_then(Value::as_str) {
                        Some(target) => format!("`gtag('{name}', '{target}')`"),
                        None => format!("`gtag('{name}')`"),
                    })
                }
                _ => None,
            },
        }
    }
}

/// A page's `dataLayer`, read in one pass.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DataLayer {
    pub pass: usize,
    pub page: String,
    /// The choice in force when the page loaded: `None` when the visitor
    /// made none (the `none` and `gpc` passes); necessary only in the
    /// `withdraw` pass's second round.
    pub consent: Option<Consent>,
    pub entries: Vec<Entry>,
    /// The names of the cookies the page had then (the jar, for its URL).
    pub cookies: Vec<String>,
}

/// The Consent Mode state the entries leave: every `default` without a
/// `region` (a regional default applies where the visitor is, which the
/// audit cannot know), then every `update`, in order.
fn state(entries: &[Entry]) -> Map<String, Value> {
    let mut state = Map::new();
    for entry in entries {
        let parameters = entry
            .consent("default")
            .filter(|p| !p.contains_key("region"));
        for parameters in parameters.into_iter().chain(entry.consent("update")) {
            for (key, value) in parameters {
                if matches!(value.as_str(), Some("granted" | "denied")) {
                    state.insert(key.clone(), value.clone());
                }
            }
        }
    }
    state
}

/// What the choice `consent` (`None`: no choice) means for Consent Mode
/// `key`, through the policy: granted when a category the choice accepts
/// grants it (necessary's keys always are), denied when only refused
/// categories do, `None` when no category names it.
fn expected(policy: &PolicyData, consent: Option<Consent>, key: &str) -> Option<bool> {
    let consent = consent.unwrap_or_else(Consent::necessary_only);
    let mut named = false;
    for category in Category::ALL {
        if policy
            .consent_mode_keys(category)
            .iter()
            .any(|mapped| mapped.as_str() == key)
        {
            named = true;
            if category == Category::Necessary || consent.allows(category) {
                return Some(true);
            }
        }
    }
    named.then_some(false)
}

/// A finding of one read: its kind, name and message.
pub(crate) struct TagFinding {
    pub kind: Kind,
    pub name: String,
    pub message: String,
}

/// The findings of one read of a page's `dataLayer` in the pass `pass`.
pub(crate) fn judge(policy: &PolicyData, read: &DataLayer, pass: &str) -> Vec<TagFinding> {
    let mut findings = Vec::new();
    let page = &read.page;
    let default = read
        .entries
        .iter()
        .position(|entry| entry.consent("default").is_some());
    let first_tag = read
        .entries
        .iter()
        .enumerate()
        .find_map(|(index, entry)| entry.tag().map(|tag| (index, tag)));
    match (default, &first_tag) {
        (None, _) => findings.push(TagFinding {
            kind: Kind::ConsentDefaultMissing,
            name: page.clone(),
            message: format!(
                "{page} has a dataLayer ({} entries) but no `gtag('consent', 'default', ...)`: Google tags on it run without a consent state; put the policy's Consent Mode default snippet before any tag",
                read.entries.len()
            ),
        }),
        (Some(default), Some((tag, what))) if *tag < default => findings.push(TagFinding {
            kind: Kind::ConsentDefaultLate,
            name: page.clone(),
            message: format!(
                "on {page}, {what} (dataLayer entry {}) comes before the Consent Mode default (entry {}): that tag ran before any consent state; move the default snippet above every tag, first in the page's <head>",
                tag + 1,
                default + 1
            ),
        }),
        _ => {}
    }
    let updated = {
        let mut updated = Map::new();
        for parameters in read.entries.iter().filter_map(|e| e.consent("update")) {
            for (key, value) in parameters {
                updated.insert(key.clone(), value.clone());
            }
        }
        updated
    };
    let contradictions: Vec<String> = updated
        .iter()
        .filter_map(|(key, value)| {
            let granted = match value.as_str()? {
                "granted" => true,
                "denied" => false,
                _ => return None,
            };
            let wanted = expected(policy, read.consent, key)?;
            (granted != wanted).then(|| {
                format!(
                    "`{key}` {} where the choice {} it",
                    if granted { "granted" } else { "denied" },
                    if wanted { "grants" } else { "refuses" }
                )
            })
        })
        .collect();
    if !contradictions.is_empty() {
        let choice = read.consent.map_or_else(
            || "none made".to_owned(),
            |consent| {
                consent
                    .categories()
                    .map(Category::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        );
        findings.push(TagFinding {
            kind: Kind::ConsentUpdateContradicts,
            name: page.clone(),
            message: format!(
                "on {page}, the Consent Mode updates leave {} (pass `{pass}`, choice: {choice}); derive the update from the visitor's choice through the policy's categories",
                contradictions.join(", ")
            ),
        });
    }
    let analytics_denied = state(&read.entries)
        .get("analytics_storage")
        .and_then(Value::as_str)
        == Some("denied");
    if analytics_denied {
        for cookie in read.cookies.iter().filter(|name| name.starts_with("_ga")) {
            findings.push(TagFinding {
                kind: Kind::AnalyticsCookieWhileDenied,
                name: cookie.clone(),
                message: format!(
                    "`{cookie}` was present on {page} while its Consent Mode state denies `analytics_storage`: Google Analytics under Consent Mode sets no cookie then; load it through gtag with Consent Mode, and expire the cookie set before"
                ),
            });
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn gtag(args: Value) -> Entry {
        Entry::Gtag {
            args: args.as_array().cloned().unwrap_or_default(),
        }
    }

    fn policy() -> PolicyData {
        PolicyData::of::<cookie_policy::Platform>()
    }

    fn read(entries: Vec<Entry>, consent: Option<Consent>, cookies: &[&str]) -> DataLayer {
        DataLayer {
            pass: 0,
            page: "http://www.shop.test/".to_owned(),
            consent,
            entries,
            cookies: cookies.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    fn kinds(read: &DataLayer) -> Vec<Kind> {
        judge(&policy(), read, "p").iter().map(|f| f.kind).collect()
    }

    fn default() -> Entry {
        gtag(json!(["consent", "default", {
            "ad_storage": "denied", "analytics_storage": "denied",
            "ad_user_data": "denied", "ad_personalization": "denied",
            "wait_for_update": 500
        }]))
    }

    #[test]
    fn a_default_before_the_first_tag_is_right() {
        let entries = vec![
            default(),
            gtag(json!(["js", "2026-01-01"])),
            gtag(json!(["config", "G-1"])),
            Entry::Push {
                value: json!({"event": "gtm.js"}),
            },
        ];
        assert_eq!(kinds(&read(entries, None, &[])), []);
    }

    #[test]
    fn a_tag_before_the_default_is_late_and_none_is_missing() {
        for tag in [
            gtag(json!(["config", "G-1"])),
            gtag(json!(["event", "page_view"])),
            Entry::Push {
                value: json!({"gtm.start": 1, "event": "gtm.js"}),
            },
        ] {
            let late = read(vec![tag.clone(), default()], None, &[]);
            assert_eq!(kinds(&late), [Kind::ConsentDefaultLate], "{tag:?}");
            let missing = read(vec![tag], None, &[]);
            assert_eq!(kinds(&missing), [Kind::ConsentDefaultMissing]);
        }
        // An array pushed by hand is no gtag command.
        let array = Entry::Push {
            value: json!(["consent", "default", {}]),
        };
        assert_eq!(
            kinds(&read(vec![array], None, &[])),
            [Kind::ConsentDefaultMissing]
        );
    }

    #[test]
    fn updates_are_judged_against_the_choice_through_the_policy() {
        let statistical = Some(Consent::necessary_only().grant(Category::Statistical));
        let update = |parameters: Value| gtag(json!(["consent", "update", parameters]));
        let right = update(json!({"analytics_storage": "granted", "ad_storage": "denied"}));
        assert_eq!(kinds(&read(vec![default(), right], statistical, &[])), []);
        let wrong = update(json!({"analytics_storage": "granted", "ad_storage": "granted"}));
        let findings = judge(
            &policy(),
            &read(vec![default(), wrong.clone()], statistical, &[]),
            "statistical",
        );
        assert_eq!(findings.len(), 1);
        assert!(
            findings[0]
                .message
                .contains("`ad_storage` granted where the choice refuses it"),
            "{}",
            findings[0].message
        );
        // No choice: any grant of a consent key contradicts it.
        assert_eq!(
            kinds(&read(vec![default(), wrong], None, &[])),
            [Kind::ConsentUpdateContradicts]
        );
        // The last value of a key counts.
        let later = update(json!({"ad_storage": "denied"}));
        let grant = update(json!({"ad_storage": "granted"}));
        assert_eq!(
            kinds(&read(vec![default(), grant, later], statistical, &[])),
            []
        );
        // A key no category names is not judged.
        let unknown = update(json!({"made_up_storage": "granted"}));
        assert_eq!(kinds(&read(vec![default(), unknown], None, &[])), []);
    }

    #[test]
    fn ga_cookies_count_only_while_analytics_storage_is_denied() {
        let cookies = ["_ga", "_ga_ABC", "sessionid"];
        let denied = read(vec![default()], None, &cookies);
        let findings = judge(&policy(), &denied, "none");
        let names: Vec<&str> = findings.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["_ga", "_ga_ABC"]);
        assert!(
            findings
                .iter()
                .all(|f| f.kind == Kind::AnalyticsCookieWhileDenied)
        );
        let granted = gtag(json!(["consent", "update", {"analytics_storage": "granted"}]));
        let statistical = Some(Consent::necessary_only().grant(Category::Statistical));
        assert_eq!(
            kinds(&read(vec![default(), granted], statistical, &cookies)),
            []
        );
        // A regional default is not the visitor's state.
        let regional =
            gtag(json!(["consent", "default", {"analytics_storage": "denied", "region": ["FR"]}]));
        let global = gtag(json!(["consent", "default", {"analytics_storage": "granted"}]));
        assert_eq!(kinds(&read(vec![global, regional], None, &cookies)), []);
    }
}
