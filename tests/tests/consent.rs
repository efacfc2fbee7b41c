//! The consent cookie's value: round trips, and every bad value decodes to
//! "ask again" with its reason, never to more than it says.

use cookie_policy::{Category, Consent, ConsentError, CookiePolicy, Platform, Verdict};

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
struct Shop;

fn every_consent() -> impl Iterator<Item = Consent> {
    (0..16u8).map(|bits| {
        Category::ALL
            .into_iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .fold(Consent::necessary_only(), |consent, (_, c)| {
                consent.grant(c)
            })
    })
}

#[test]
fn every_consent_round_trips() {
    for consent in every_consent() {
        let value = consent.to_cookie_value::<Shop>();
        assert!(
            value
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b';' && b != b',' && b != b'"')
        );
        assert_eq!(
            Consent::from_cookie_value::<Shop>(&value),
            Ok(consent),
            "{value}"
        );
        assert!(consent.allows(Category::Necessary));
    }
}

#[test]
fn bad_values_are_refused_with_their_reason() {
    let good = Consent::all().to_cookie_value::<Shop>();
    let revision = &good[3..19];
    let cases = [
        (String::new(), ConsentError::Malformed),
        ("v1".to_owned(), ConsentError::Malformed),
        ("v1..".to_owned(), ConsentError::Malformed),
        (format!("v1.{revision}"), ConsentError::Malformed),
        (
            format!("v1.{revision}.necessary.extra"),
            ConsentError::Malformed,
        ),
        (
            format!("v1.{}.necessary", &revision[..15]),
            ConsentError::Malformed,
        ),
        (
            format!("v1.{}x.necessary", &revision[..15]),
            ConsentError::Malformed,
        ),
        (
            format!("v1.+{}.necessary", &revision[..15]),
            ConsentError::Malformed,
        ),
        (
            format!("v2.{revision}.necessary"),
            ConsentError::UnknownVersion,
        ),
        (
            format!("V1.{revision}.necessary"),
            ConsentError::UnknownVersion,
        ),
        (format!("v1.{revision}."), ConsentError::UnknownCategory),
        (
            format!("v1.{revision}.everything"),
            ConsentError::UnknownCategory,
        ),
        (
            format!("v1.{revision}.necessary+statis"),
            ConsentError::UnknownCategory,
        ),
        (
            format!("v1.{revision}.Necessary"),
            ConsentError::UnknownCategory,
        ),
        (
            format!("v1.{revision}.{}", "necessary+".repeat(30)),
            ConsentError::TooLong,
        ),
        ("v1.ï¿½.necessary".to_owned(), ConsentError::Malformed),
    ];
    for (value, error) in cases {
        assert_eq!(
            Consent::from_cookie_value::<Shop>(&value),
            Err(error),
            "{value:?}"
        );
        let (consent, problem) = Consent::from_cookie_value_or_ask::<Shop>(Some(&value));
        assert_eq!(consent, Consent::necessary_only());
        assert_eq!(problem, Some(error));
    }
}

#[test]
fn a_consent_given_to_another_policy_is_stale() {
    let value = Consent::all().to_cookie_value::<Platform>();
    let error = Consent::from_cookie_value::<Shop>(&value).unwrap_err();
    assert!(matches!(error, ConsentError::Stale { .. }));
    assert_eq!(
        error.to_string(),
        format!(
            "the consent was given to revision {} of the policy, which is now {}; ask the visitor again",
            Platform::REVISION,
            Shop::REVISION
        )
    );
    assert_ne!(Platform::REVISION, Shop::REVISION);
}

#[test]
fn the_revision_follows_what_visitors_consent_to() {
    use cookie_policy_tests::check;
    let base = include_str!("../fixtures/shop.toml");
    let revision =
        |text: &str| cookie_policy::Revision::new(check("shop.toml", text).unwrap().revision());
    assert_eq!(revision(base), Shop::REVISION);
    // A new purpose, category or lifetime is a new policy...
    for (from, to) in [
        (
            "To distinguish visitors\"\ncategory = \"statistical\"\nlifetime = \"2 years\"",
            "To track visitors\"\ncategory = \"statistical\"\nlifetime = \"2 years\"",
        ),
        ("lifetime = \"1 day\"", "lifetime = \"2 days\""),
        ("name = \"theme\"", "name = \"colour_theme\""),
    ] {
        assert!(base.contains(from), "{from}");
        assert_ne!(
            revision(&base.replacen(from, to, 1)),
            Shop::REVISION,
            "{to}"
        );
    }
    // ... rewording a function is not.
    assert_eq!(
        revision(&base.replacen("function = \"Shopping cart\"", "function = \"Basket\"", 1)),
        Shop::REVISION
    );
}

#[test]
fn verdicts_distinguish_allowed_refused_and_undeclared() {
    let consent = Consent::necessary_only().grant(Category::Advertising);
    assert_eq!(
        Shop::permits("sessionid", consent),
        Verdict::Allowed(Shop::SESSIONID)
    );
    assert_eq!(Shop::permits("_fbp", consent), Verdict::Allowed(Shop::FBP));
    assert_eq!(
        Shop::permits("_ga_XYZ", consent),
        Verdict::Refused {
            cookie: Shop::GA_PREFIX,
            missing: Category::Statistical
        }
    );
    // Anonymized audience measurement needs no consent.
    assert_eq!(
        Shop::permits("_pk_id.1.ab", consent),
        Verdict::Allowed(Shop::PK_ID_PREFIX)
    );
    assert!(!Shop::permits("_pk_ref.1.ab", consent).is_allowed());
    assert_eq!(
        Shop::permits("tracker", Consent::all()),
        Verdict::Undeclared
    );
}
