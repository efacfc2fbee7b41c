//! `[categories.<name>]`, `[consent_mode]` and `[gpc]`: the same answers
//! from the derive and from `PolicyData::load`, the defaults of issue 21,
//! and every mistake a located error.

use cookie_policy::{Category, ConsentModeKey, CookiePolicy, Gpc, PolicyData};
use cookie_policy_tests::check;

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/signals.toml")]
struct Signals;

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
struct Shop;

/// Everything `PolicyData` says about the signals, as plain data.
fn answers(data: &PolicyData) -> Vec<String> {
    let mut answers = Vec::new();
    for category in Category::ALL {
        answers.push(format!(
            "{category}: gpc {} refuses {} keys {:?}",
            data.gpc(category),
            data.gpc_refuses(category),
            data.consent_mode_keys(category)
        ));
    }
    for key in ConsentModeKey::ALL {
        answers.push(format!("{key}: {:?}", data.consent_mode_category(key)));
    }
    answers.push(format!("{:?}", data.consent_mode()));
    answers.push(format!("{:?}", data.gpc_last_update()));
    answers.push(format!("{:?}", data.gpc_refused().collect::<Vec<_>>()));
    answers
}

#[test]
fn load_answers_as_the_derive_does() {
    for (path, compiled) in [
        ("fixtures/signals.toml", PolicyData::of::<Signals>()),
        ("fixtures/shop.toml", PolicyData::of::<Shop>()),
        (
            "../policy.toml",
            PolicyData::of::<cookie_policy::Platform>(),
        ),
    ] {
        let loaded = PolicyData::load(path).unwrap();
        assert_eq!(answers(&loaded), answers(&compiled), "{path}");
    }
}

/// The defaults, written out as issue 21 states them.
#[test]
fn a_policy_without_signals_has_the_issues_defaults() {
    use ConsentModeKey::*;
    let data = PolicyData::of::<Shop>();
    let expected: [(Category, Gpc, &[ConsentModeKey]); 4] = [
        (Category::Necessary, Gpc::Ignore, &[SecurityStorage]),
        (
            Category::Functional,
            Gpc::Ignore,
            &[FunctionalityStorage, PersonalizationStorage],
        ),
        (Category::Statistical, Gpc::Ignore, &[AnalyticsStorage]),
        (
            Category::Advertising,
            Gpc::Refuse,
            &[AdStorage, AdUserData, AdPersonalization],
        ),
    ];
    for (category, gpc, keys) in expected {
        assert_eq!(data.gpc(category), gpc, "{category}");
        assert_eq!(data.consent_mode_keys(category), keys, "{category}");
    }
    assert_eq!(
        data.gpc_refused().collect::<Vec<_>>(),
        [Category::Advertising]
    );
    assert_eq!(data.consent_mode().wait_for_update(), 500);
    assert!(data.consent_mode().regions().is_empty());
    assert_eq!(data.gpc_last_update(), None);
}

#[test]
fn the_fixture_overrides_the_defaults() {
    let data = PolicyData::of::<Signals>();
    assert_eq!(Signals::SIGNALS, data.signals());
    assert!(data.gpc_refuses(Category::Statistical));
    assert_eq!(
        data.consent_mode_keys(Category::Advertising),
        [
            ConsentModeKey::AdStorage,
            ConsentModeKey::AdUserData,
            ConsentModeKey::AdPersonalization,
            ConsentModeKey::PersonalizationStorage
        ]
    );
    assert_eq!(data.consent_mode().regions(), ["FR", "US-CA"]);
    let date = data.gpc_last_update().unwrap();
    assert_eq!((date.year(), date.month(), date.day()), (2026, 11, 30));
}

const BASE: &str =
    "[site]\nname = \"Example\"\n\n[[provider]]\nid = \"example\"\nname = \"Example Ltd\"\n\n";

/// The first line of each message and its `line:column`.
fn errors(extra: &str) -> Vec<String> {
    match check("policy.toml", &format!("{BASE}{extra}")) {
        Ok(_) => Vec::new(),
        Err(messages) => messages
            .iter()
            .map(|message| {
                let mut lines = message.lines();
                let first = lines.next().unwrap_or_default();
                let at = lines
                    .next()
                    .and_then(|line| line.split("policy.toml:").nth(1))
                    .unwrap_or_default();
                format!("{at}: {first}")
            })
            .collect(),
    }
}

#[test]
fn every_signal_mistake_is_located() {
    let cases: [(&str, &[&str]); 12] = [
        (
            "[categories.advertisng]\ngpc = \"refuse\"\n",
            &["8:13: unknown category `advertisng`"],
        ),
        (
            "[categories.advertising]\ngpc = \"Refuse\"\n",
            &["9:7: unknown GPC meaning `Refuse`"],
        ),
        (
            "[categories.advertising]\ngpc = true\n",
            &["9:7: `gpc` in [categories.advertising] must be a string, not a boolean"],
        ),
        (
            "[categories.necessary]\ngpc = \"refuse\"\n",
            &[
                "9:7: necessary cookies cannot be refused, so a GPC signal cannot refuse `necessary`",
            ],
        ),
        (
            "[categories]\nadvertising = \"refuse\"\n",
            &["9:15: `advertising` in [categories] must be a table, not a string"],
        ),
        (
            "[categories.advertising]\nconsent_mode = [\"ad_storage\", \"ad_storage\"]\n",
            &["9:31: `ad_storage` is listed twice in `consent_mode`"],
        ),
        (
            "[categories.statistical]\nconsent_mode = [\"analytics_storage\"]\n[categories.functional]\nconsent_mode = [\"analytics_storage\"]\n",
            &["11:17: `analytics_storage` is granted by both `functional` and `statistical`"],
        ),
        (
            "[consent_mode]\nwait_for_update = -1\n",
            &["9:19: `wait_for_update` must be from 0 to 10000 milliseconds, not -1"],
        ),
        (
            "[consent_mode]\nwait_for_update = \"500\"\n",
            &["9:19: `wait_for_update` in [consent_mode] must be an integer, not a string"],
        ),
        (
            "[consent_mode]\nregions = []\n",
            &["9:11: `regions` cannot be empty"],
        ),
        (
            "[consent_mode]\nregions = [\"FR\", \"FR\", \"UK\"]\n",
            &[
                "9:18: `FR` is listed twice in `regions`",
                "9:24: `UK` is not an ISO 3166 region code",
            ],
        ),
        (
            "[gpc]\nlast_update = \"31/01/2026\"\nlast_updated = 2026-01-31\n",
            &[
                "9:15: invalid `last_update`: `31/01/2026` is not a date: write it as `YYYY-MM-DD`, such as `2026-01-31`",
                "10:1: unknown key `last_updated` in [gpc]",
            ],
        ),
    ];
    for (extra, expected) in cases {
        assert_eq!(errors(extra), expected, "{extra}");
    }
}

#[test]
fn valid_signals_compile() {
    for extra in [
        "[categories.necessary]\ngpc = \"ignore\"\nconsent_mode = []\n",
        "[categories.advertising]\ngpc = \"ignore\"\n",
        "[categories.advertising]\nconsent_mode = [\"ad_storage\"]\n[categories.statistical]\nconsent_mode = [\"analytics_storage\", \"ad_user_data\"]\n",
        "[consent_mode]\nwait_for_update = 0\nregions = [\"US-CA\", \"FR-75C\", \"DE\"]\n",
        "[consent_mode]\nwait_for_update = 10_000\n",
        "[gpc]\nlast_update = \"2024-02-29\"\n",
    ] {
        assert_eq!(errors(extra), Vec::<String>::new(), "{extra}");
    }
}
