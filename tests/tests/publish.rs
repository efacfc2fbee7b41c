//! The published pages and exports: up to date in `docs/`, shaped as their
//! formats say, and unbreakable by hostile policy text.

#[allow(dead_code)]
#[path = "../../cookie-policy/examples/publish.rs"]
mod publish_example;

use cookie_policy::{Consent, CookiePolicy, Platform, publish};
use scraper::{Html, Selector};
use serde_json::Value;

/// A policy whose every text is hostile (`fixtures/hostile.toml`).
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/hostile.toml")]
struct Hostile;

/// The 25-cookie shop, every category present.
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
struct Shop;

/// A policy whose cookie states no lifetime.
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/no-lifetime.toml")]
struct NoLifetime;

#[test]
fn the_published_files_are_up_to_date() {
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs");
    for (name, expected) in publish_example::published_files().unwrap() {
        let path = format!("{docs}/{name}");
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == expected,
            "docs/{name} is stale: regenerate it with `cargo run -p cookie-policy --example publish --features html,serde -- docs`"
        );
    }
}

#[test]
fn markdown_pages_follow_the_published_structure() {
    let page = publish::markdown::<Platform>("en").unwrap();
    let headings: Vec<&str> = page.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# Cookie policy — Opendatasoft documentation resources",
            "## What is a cookie?",
            "## The kinds of cookies",
            "## The cookies of this site",
            "### Necessary cookies",
        ]
    );
    assert!(page.contains(
        "| Service provider's name | Function and location | Cookie name(s) | Purposes | Lifetime |"
    ));
    assert!(page.contains(
        "| Opendatasoft | Authentication (front office, back office) | `sessionid` | To remember the user from one page to another | 2 weeks |"
    ));
    for kind in [
        "**Necessary cookies**",
        "**Statistical cookies**",
        "**First-party cookies**",
        "**Third-party cookies**",
    ] {
        assert!(page.contains(kind), "{kind}");
    }
    let french = publish::markdown::<Platform>("fr").unwrap();
    assert!(french.contains("| Opendatasoft | Sélection de la langue (front office, back office) | `django_language` | Se souvenir de la langue du visiteur | 12 mois |"));
}

#[test]
fn cookies_that_share_everything_but_their_name_share_a_row() {
    #[derive(CookiePolicy)]
    #[cookie_policy(path = "fixtures/shop.toml")]
    struct Shop;
    let page = publish::markdown::<Shop>("en").unwrap();
    assert!(page.contains("| Stripe | Fraud prevention (checkout) | `__stripe_mid` |"));
    assert!(page.contains(
        "| Meta | Meta Pixel | `_fbp`, `fr` | To deliver and measure advertising | 3 months |"
    ));
    assert!(page.contains("`_pk_id.*` (anonymized, no consent needed)"));
}

#[test]
fn unknown_languages_are_errors_that_say_what_to_do() {
    assert_eq!(
        publish::markdown::<Platform>("de").unwrap_err().to_string(),
        "pages are written in `en` and `fr`, not `de`; ask for one of those"
    );
    #[derive(CookiePolicy)]
    #[cookie_policy(path = "fixtures/no-lifetime.toml")]
    struct EnglishOnly;
    assert_eq!(
        publish::html::<EnglishOnly>("fr").unwrap_err().to_string(),
        "the policy is written in en, not `fr`; add `fr` to `[site] languages` and translate its texts"
    );
}

#[test]
fn hostile_text_stays_text_in_markdown() {
    for language in ["en", "fr"] {
        let page = publish::markdown::<Hostile>(language).unwrap();
        // Rendered by a real CommonMark + tables renderer, then parsed as HTML.
        let mut rendered = String::new();
        let parser = pulldown_cmark::Parser::new_ext(&page, pulldown_cmark::Options::ENABLE_TABLES);
        pulldown_cmark::html::push_html(&mut rendered, parser);
        let document = Html::parse_fragment(&rendered);
        for active in ["script", "img", "svg", "iframe", "b", "a[href^=javascript]"] {
            let selector = Selector::parse(active).unwrap();
            assert_eq!(
                document.select(&selector).count(),
                0,
                "{active} in {rendered}"
            );
        }
        let cells = Selector::parse("td").unwrap();
        let texts: Vec<String> = document
            .select(&cells)
            .map(|td| td.text().collect())
            .collect();
        assert!(
            texts.contains(&"<script>alert('PWNED')</script>".to_owned()),
            "{texts:?}"
        );
        // Every table row has exactly five cells: no `|` or newline broke one.
        let rows: Vec<&str> = page.lines().filter(|l| l.starts_with("| ")).collect();
        // Three tables: a header row and one cookie row each.
        assert_eq!(rows.len(), 6, "{page}");
        for row in rows {
            let cells = row.replace("\\|", "").matches('|').count();
            assert_eq!(cells, 6, "{row}");
        }
    }
}

#[test]
fn hostile_text_stays_text_in_html() {
    for language in ["en", "fr"] {
        let page = publish::html::<Hostile>(language).unwrap();
        let document = Html::parse_document(&page);
        let select = |css: &str| Selector::parse(css).unwrap();
        for active in [
            "script",
            "img",
            "svg",
            "iframe",
            "[onerror]",
            "[onload]",
            "[onmouseover]",
            "b",
        ] {
            assert_eq!(
                document.select(&select(active)).count(),
                0,
                "{active} in {page}"
            );
        }
        let html = document.select(&select("html")).next().unwrap();
        assert_eq!(html.value().attr("lang"), Some(language));
        let title: String = document
            .select(&select("title"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(
            title,
            format!(
                "{} — {}",
                if language == "en" {
                    "Cookie policy"
                } else {
                    "Politique relative aux cookies"
                },
                Hostile::SITE.name_text().get(language).unwrap()
            )
        );
        // Each table: a header row of five `th`, rows of five `td`.
        let tables: Vec<_> = document.select(&select("table")).collect();
        assert_eq!(tables.len(), 3);
        for table in &tables {
            assert_eq!(table.select(&select("thead th[scope=col]")).count(), 5);
            for row in table.select(&select("tbody tr")) {
                assert_eq!(row.select(&select("td")).count(), 5);
            }
        }
        // The hostile texts come back exactly, as text.
        let cells: Vec<String> = document
            .select(&select("td"))
            .map(|td| td.text().collect())
            .collect();
        let cookie = Hostile::COOKIES.first().unwrap();
        assert!(
            cells.contains(&cookie.purpose_in(language).unwrap().to_owned()),
            "{cells:?}"
        );
        assert!(cells.contains(&cookie.name().to_owned()), "{cells:?}");
        let link = document.select(&select("a")).next().unwrap();
        assert_eq!(link.value().attr("href"), Hostile::SITE.url());
    }
}

/// The Consent Mode snippet is written inline into a page's `<script>`: no
/// `<` at all, so no text of the policy can close the element
/// (`</script>`) or open an HTML comment, and every line of the site's
/// name stays in its comment (a line break in it would end the comment
/// and make the rest code).
#[test]
fn hostile_text_cannot_leave_the_consent_mode_snippet() {
    let snippet = publish::consent_mode_default::<Hostile>();
    assert!(!snippet.contains('<'), "{snippet}");
    let first = snippet.lines().next().unwrap();
    assert!(
        first.starts_with(
            "// Google Consent Mode v2 defaults of Evil script>document.title='PWNED'/script>"
        ),
        "{first}"
    );
    assert_eq!(
        snippet.lines().find(|line| !line.starts_with("//")),
        Some("window.dataLayer = window.dataLayer || [];")
    );
}

#[test]
fn json_has_the_documented_shape_and_round_trips_hostile_text() {
    let json: Value = serde_json::from_str(&publish::json::<Hostile>()).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["cookies", "format", "providers", "revision", "site"]);
    assert_eq!(json["format"], 1);
    assert_eq!(json["revision"], Hostile::REVISION.to_string());
    assert_eq!(json["site"]["languages"], serde_json::json!(["en", "fr"]));
    let cookie = &json["cookies"][0];
    let original = Hostile::COOKIES.first().unwrap();
    assert_eq!(cookie["name"], original.name());
    assert_eq!(cookie["purpose"]["fr"], original.purpose_in("fr").unwrap());
    assert_eq!(cookie["provider"], "evil");
    assert_eq!(cookie["category"], "advertising");
    assert_eq!(cookie["party"], "third");
    assert_eq!(cookie["lifetime"]["text"], "13 months");
    assert_eq!(cookie["lifetime"]["seconds"], 13 * 2_629_746);
    assert_eq!(json["cookies"][1]["pattern"], true);
    assert_eq!(json["cookies"][1]["lifetime"]["seconds"], Value::Null);
    assert_eq!(json["providers"][0]["name"], Hostile::PROVIDERS[0].name());
}

/// The TCF export, validated against a JSON Schema written from the
/// specification's tables (`tests/fixtures/tcf-device-storage-disclosure.schema.json`
/// says which version), on every policy of the tests.
#[test]
fn tcf_disclosures_follow_the_specifications_schema() {
    let schema: Value = serde_json::from_str(include_str!(
        "../fixtures/tcf-device-storage-disclosure.schema.json"
    ))
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let exports = [
        publish::tcf_disclosures::<Platform>("en").unwrap(),
        publish::tcf_disclosures::<Shop>("en").unwrap(),
        publish::tcf_disclosures::<Hostile>("fr").unwrap(),
    ];
    for export in &exports {
        let json: Value = serde_json::from_str(export).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}\n{export}");
    }
    // The schema can fail: the old export had no top-level `domains` and
    // could write `maxAgeSeconds: null`.
    let old = serde_json::json!({ "disclosures": [{
        "identifier": "x", "type": "cookie", "maxAgeSeconds": null,
        "cookieRefresh": false, "domains": ["*"], "purposes": [1]
    }]});
    assert!(!validator.is_valid(&old));
}

#[test]
fn tcf_purpose_1_marks_exactly_the_cookies_that_need_consent() {
    let json: Value =
        serde_json::from_str(&publish::tcf_disclosures::<Shop>("en").unwrap()).unwrap();
    let disclosures = json["disclosures"].as_array().unwrap();
    assert_eq!(disclosures.len(), Shop::COOKIES.len());
    for (disclosure, cookie) in disclosures.iter().zip(Shop::COOKIES) {
        let purposes: Vec<u64> = disclosure["purposes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_u64().unwrap())
            .collect();
        assert_eq!(
            purposes.contains(&1),
            cookie.requires_consent(),
            "{}",
            cookie.name()
        );
        let expected_domain = cookie.domain().or(Shop::SITE.host()).unwrap();
        assert_eq!(disclosure["domains"], serde_json::json!([expected_domain]));
        assert_eq!(
            disclosure["maxAgeSeconds"],
            cookie.lifetime().unwrap().seconds().unwrap_or(0)
        );
    }
    assert_eq!(json["domains"][0]["domain"], Shop::SITE.host().unwrap());
}

#[test]
fn tcf_disclosures_need_every_lifetime() {
    let error = publish::tcf_disclosures::<NoLifetime>("en").unwrap_err();
    assert_eq!(
        error.to_string(),
        "the cookie `session` has no lifetime, and TCF disclosures need one for every cookie; add `lifetime = \"...\"` to it in policy.toml"
    );
}

#[test]
fn the_banner_configuration_speaks_every_language_and_clears_with_paths() {
    let module = publish::cookieconsent_config::<Shop>().unwrap();
    assert!(
        module.contains("\nexport default {\n  revision: "),
        "{module}"
    );
    let revision = Consent::banner_revision::<Shop>();
    assert!(module.contains(&format!("  revision: {revision},\n")));
    assert!(module.contains("    name: \"cookies_preferences\",\n"));
    // A pattern is cleared by a RegExp on its prefix, with special
    // characters escaped; declared paths and domains come along.
    assert!(module.contains("name: /^_pk_id\\./,"), "{module}");
    assert!(module.contains("name: /^_ga_/,"), "{module}");
    // The table's columns, in the page's order.
    let headers = module.find("headers: {").unwrap();
    let order: Vec<usize> = ["name:", "domain:", "lifetime:", "purpose:"]
        .iter()
        .map(|key| headers + module[headers..].find(key).unwrap())
        .collect();
    assert!(order.windows(2).all(|pair| pair[0] < pair[1]), "{order:?}");
    let hostile = publish::cookieconsent_config::<Hostile>().unwrap();
    // Hostile text stays inside string literals: every quote is escaped.
    assert!(
        hostile.contains(r#"name: "pipe|and`tick\"quote*""#),
        "{hostile}"
    );
    assert!(
        hostile.contains(r#"name: /^pipe\|and`tick"quote/,"#),
        "{hostile}"
    );
}

#[test]
fn a_policy_replaces_banner_texts_in_its_own_languages() {
    use cookie_policy::BannerText;
    let site = Shop::SITE;
    assert_eq!(
        site.banner_text(BannerText::Title, "en"),
        Some("Cookies at Example Shop")
    );
    assert_eq!(
        site.banner_text(BannerText::Title, "fr"),
        Some("Les cookies d'Example Shop")
    );
    // The others keep the built-in wording.
    assert_eq!(
        site.banner_text(BannerText::AcceptAll, "fr"),
        Some("Tout accepter")
    );
    let module = publish::cookieconsent_config::<Shop>().unwrap();
    assert!(module.contains("title: \"Les cookies d'Example Shop\""));
    assert!(!module.contains("Nous utilisons des cookies"));
}
