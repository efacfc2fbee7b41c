//! The generated API, through the public interface only, on a realistic
//! policy (`fixtures/shop.toml`) and on the platform's own.

use std::time::Duration;

use cookie_policy::{Category, Cookie, CookiePolicy, Lifetime, Party, Platform, TimeUnit};

/// The test shop's policy.
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
pub struct Shop;

fn names(cookies: impl Iterator<Item = &'static Cookie>) -> Vec<&'static str> {
    cookies.map(Cookie::name).collect()
}

#[test]
fn constants_point_at_their_cookies() {
    assert_eq!(Shop::SESSIONID.name(), "sessionid");
    assert_eq!(Shop::CART.name(), "__Host-cart");
    assert_eq!(Shop::GA.name(), "_ga");
    assert_eq!(Shop::GA_PREFIX.name(), "_ga_*");
    assert_eq!(Shop::PK_ID_PREFIX.name(), "_pk_id.*");
    assert_eq!(Shop::MATOMO_OTHER.name(), "_pk_*");
    assert_eq!(Shop::HJ_SESSION_USER_PREFIX.name(), "_hjSessionUser_*");
    assert_eq!(Shop::A0_USERS_SESS.name(), "a0_users:sess");
    assert_eq!(Shop::VISITOR_INFO1_LIVE.name(), "VISITOR_INFO1_LIVE");
    assert_eq!(Shop::COOKIES.len(), 25);
    assert_eq!(Shop::PROVIDERS.len(), 8);
}

#[test]
fn every_field_is_carried_over() {
    let ga = Shop::GA_PREFIX;
    assert!(ga.is_pattern());
    assert_eq!(ga.provider().id(), "google");
    assert_eq!(ga.provider().name(), "Google");
    assert_eq!(ga.provider().url(), Some("https://policies.google.com"));
    assert_eq!(ga.function(), "Google Analytics");
    assert_eq!(ga.purpose(), "To keep the state of a session");
    assert_eq!(ga.category(), Category::Statistical);
    assert_eq!(ga.party(), Party::Third);
    assert_eq!(ga.domain(), Some(".shop.example"));
    assert_eq!(
        ga.lifetime(),
        Some(Lifetime::Fixed {
            amount: 2,
            unit: TimeUnit::Year
        })
    );
    assert!(ga.requires_consent());

    let cart = Shop::CART;
    assert!(!cart.is_pattern());
    assert_eq!(cart.locations(), ["storefront", "checkout"]);
    assert_eq!(cart.lifetime(), Some(Lifetime::Session));
    assert_eq!(cart.domain(), None);
    assert_eq!(cart.party(), Party::First);

    assert_eq!(Shop::SITE.name(), "Example Shop");
    assert_eq!(Shop::SITE.url(), Some("https://shop.example"));
    assert_eq!(
        Shop::SITE.locations(),
        ["storefront", "checkout", "account", "back office"]
    );
    assert_eq!(Shop::provider("matomo").and_then(|p| p.url()), None);
}

#[test]
fn consent_is_decided_at_compile_time() {
    // Necessary: never.
    assert!(!Shop::STRIPE_MID.requires_consent());
    // Anonymized first-party statistics within 13 months: exempt.
    assert!(Shop::PK_ID_PREFIX.is_anonymized());
    assert!(!Shop::PK_ID_PREFIX.requires_consent());
    assert!(!Shop::PK_SES_PREFIX.requires_consent());
    // The same provider's other statistics are not declared anonymized.
    assert!(Shop::MATOMO_OTHER.requires_consent());
    // Functional and advertising: always.
    assert!(Shop::THEME.requires_consent());
    assert!(Shop::FBP.requires_consent());
}

#[test]
fn lookup_prefers_exact_names_then_the_longest_prefix() {
    let found = |name: &str| Shop::lookup(name).map(Cookie::name);
    assert_eq!(Shop::lookup("sessionid"), Some(Shop::SESSIONID));
    assert_eq!(found("_ga"), Some("_ga"));
    assert_eq!(found("_ga_ABC123"), Some("_ga_*"));
    assert_eq!(found("_ga_"), Some("_ga_*"));
    assert_eq!(found("_gax"), None);
    assert_eq!(found("_pk_id.1.8f2a"), Some("_pk_id.*"));
    assert_eq!(found("_pk_ses.1.8f2a"), Some("_pk_ses.*"));
    assert_eq!(found("_pk_ref.1.8f2a"), Some("_pk_*"));
    assert_eq!(found("_hjSessionUser_12345"), Some("_hjSessionUser_*"));
    assert_eq!(found("_hjSession_12345"), Some("_hjSession_*"));
    assert_eq!(found("a0_users:sess"), Some("a0_users:sess"));
    // Case-sensitive, whole names only.
    assert_eq!(found("SessionId"), None);
    assert_eq!(found("sessionid "), None);
    assert_eq!(found("sessioni"), None);
    assert_eq!(found(""), None);
    assert_eq!(found("_pk"), None);
    // A multi-byte character where a prefix would end does not panic.
    assert_eq!(found("_pé"), None);
    assert_eq!(found("_hjSessionUséééé"), None);
}

#[test]
fn lookup_agrees_with_a_linear_scan_on_every_name_and_near_miss() {
    let reference = |name: &str| -> Option<&'static Cookie> {
        let exact = Shop::COOKIES
            .iter()
            .find(|c| !c.is_pattern() && c.name() == name);
        exact.or_else(|| {
            Shop::COOKIES
                .iter()
                .filter(|c| c.is_pattern() && c.matches(name))
                .max_by_key(|c| c.name().len())
        })
    };
    let mut probes = vec![String::new()];
    for cookie in Shop::COOKIES {
        let name = cookie.name().trim_end_matches('*');
        probes.push(name.to_owned());
        probes.push(format!("{name}x"));
        probes.push(format!("{name}.1.abc"));
        let mut chars: Vec<char> = name.chars().collect();
        chars.pop();
        probes.push(chars.iter().collect());
        if let Some(first) = chars.first_mut() {
            *first = if *first == 'z' { 'y' } else { 'z' };
        }
        probes.push(chars.iter().collect());
        probes.push(name.to_uppercase());
    }
    for probe in &probes {
        assert_eq!(Shop::lookup(probe), reference(probe), "{probe:?}");
    }
}

#[test]
fn cookies_by_category_and_provider() {
    assert_eq!(
        names(Shop::by_category(Category::Advertising)),
        ["_gcl_au", "_fbp", "fr", "VISITOR_INFO1_LIVE", "YSC"]
    );
    assert_eq!(
        names(Shop::by_provider("stripe")),
        ["__stripe_mid", "__stripe_sid"]
    );
    assert_eq!(names(Shop::by_provider("nobody")), Vec::<&str>::new());
    let total: usize = Category::ALL
        .iter()
        .map(|&c| Shop::by_category(c).count())
        .sum();
    assert_eq!(total, Shop::COOKIES.len());
}

#[test]
fn lifetimes_convert_to_durations() {
    assert_eq!(
        Shop::GID.lifetime().and_then(Lifetime::duration),
        Some(Duration::from_secs(86_400))
    );
    assert_eq!(Shop::YSC.lifetime().and_then(Lifetime::duration), None);
    assert_eq!(
        Shop::RECENTLY_VIEWED
            .lifetime()
            .map(|l| l.to_string())
            .as_deref(),
        Some("30 days")
    );
}

/// Code generic over any policy sees the same data.
fn necessary_count<P: CookiePolicy>() -> usize {
    P::COOKIES.iter().filter(|c| !c.requires_consent()).count()
}

#[test]
fn generic_code_works_over_any_policy() {
    assert_eq!(necessary_count::<Platform>(), 4);
    assert_eq!(necessary_count::<Shop>(), 12);
}

#[test]
fn the_platform_policy_is_the_published_table() {
    let rows: Vec<_> = Platform::COOKIES
        .iter()
        .map(|c| (c.provider().name(), c.function(), c.name(), c.purpose()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "Opendatasoft",
                "Authentication",
                "sessionid",
                "To remember the user from one page to another"
            ),
            (
                "Opendatasoft",
                "Language selection",
                "django_language",
                "To remember the visitor's language"
            ),
            (
                "Opendatasoft",
                "API (CSRF)",
                "csrftoken",
                "To retrieve data via API calls"
            ),
            (
                "Opendatasoft",
                "Choices related to your cookie preferences",
                "cookies_preferences",
                "To remember the visitor's cookie preferences"
            ),
        ]
    );
    for cookie in Platform::COOKIES {
        assert_eq!(cookie.category(), Category::Necessary);
        assert_eq!(cookie.party(), Party::First);
        assert!(!cookie.requires_consent());
    }
    let lifetimes: Vec<String> = Platform::COOKIES
        .iter()
        .filter_map(|c| c.lifetime())
        .map(|l| l.to_string())
        .collect();
    assert_eq!(lifetimes, ["2 weeks", "12 months", "12 months", "6 months"]);
}

mod renamed {
    // A crate that renames the dependency says where it is with `crate = ...`.
    use cookie_policy as cp;

    #[derive(cp::CookiePolicy)]
    #[cookie_policy(path = "../policy.toml", crate = "cp")]
    pub struct Renamed<T>(core::marker::PhantomData<T>);

    #[test]
    fn renamed_crate_and_generic_type() {
        use cp::CookiePolicy as _;
        assert_eq!(Renamed::<u8>::COOKIES.len(), 4);
        assert_eq!(Renamed::<u8>::SESSIONID.name(), "sessionid");
        assert_eq!(
            Renamed::<()>::lookup("csrftoken"),
            Some(Renamed::<()>::CSRFTOKEN)
        );
    }
}
