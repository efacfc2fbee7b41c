//! Property tests: the macro's core never panics, whatever the file, and
//! every diagnostic points inside it; random valid policies round-trip and,
//! loaded, find what a naive scan finds; a compiled policy's index finds what
//! a scan finds; the network-facing
//! parsers never panic and never let through more than they should.

use cookie_policy::enforce::filter_set_cookies;
use cookie_policy::{Consent, CookiePolicy, PolicyData};
use cookie_policy_codegen::{Category, Lifetime, Party, Policy, TimeUnit, policy, tokens};
use http::header::{HeaderMap, HeaderValue, SET_COOKIE};
use proptest::prelude::*;

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
struct Shop;

const SHOP: &str = include_str!("../fixtures/shop.toml");

/// Compiles `text`; on error, checks every error points inside it, at a
/// line and column the text has, and says so in its message.
fn compile_checked(text: &str) -> Option<Policy> {
    match policy("policy.toml", text) {
        Ok(policy) => Some(policy),
        Err(errors) => {
            assert!(!errors.is_empty());
            let lines: Vec<&str> = text.split('\n').collect();
            for error in &errors {
                for span in error.spans() {
                    assert!(span.start <= span.end, "{error:?}");
                    assert!(span.end <= text.len(), "{error:?} in {} bytes", text.len());
                }
                let line = lines
                    .get(error.line() - 1)
                    .expect("the error's line exists");
                let line = line.strip_suffix('\r').unwrap_or(line);
                assert!(error.column() >= 1 && error.column() <= line.chars().count() + 1);
                assert!(error.to_string().contains(&format!(
                    "--> policy.toml:{}:{}",
                    error.line(),
                    error.column()
                )));
            }
            None
        }
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A TOML-ish document: tables and arrays of tables of known and unknown
/// keys, with values of every type.
fn toml_documents() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("name"),
        Just("id"),
        Just("provider"),
        Just("function"),
        Just("purpose"),
        Just("category"),
        Just("lifetime"),
        Just("party"),
        Just("domain"),
        Just("path"),
        Just("const"),
        Just("anonymized"),
        Just("locations"),
        Just("languages"),
        Just("url"),
        Just("nmae"),
        Just("x"),
    ];
    let value = prop_oneof![
        "[a-z_*;= <>\"é\\-]{0,12}".prop_map(|s| format!("{s:?}")),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        Just("[]".to_owned()),
        Just("[\"front office\", 3]".to_owned()),
        Just("{ en = \"a\", fr = \"b\" }".to_owned()),
        Just("{ en = 1 }".to_owned()),
        Just("\"2 weeks\"".to_owned()),
        Just("\"necessary\"".to_owned()),
        Just("\"statistical\"".to_owned()),
        Just("\"example\"".to_owned()),
    ];
    let entry = (key, value).prop_map(|(k, v)| format!("{k} = {v}\n"));
    let header = prop_oneof![
        Just("[site]\n"),
        Just("[[provider]]\n"),
        Just("[[cookie]]\n"),
        Just("[cookie]\n"),
        Just("[[site]]\n"),
        Just("[other]\n"),
        Just(""),
    ];
    let table = (header, prop::collection::vec(entry, 0..8))
        .prop_map(|(header, entries)| format!("{header}{}", entries.concat()));
    prop::collection::vec(table, 0..8).prop_map(|tables| tables.join("\n"))
}

/// One edit of a valid policy, as a user's typo would make it.
fn one_edit(text: &str, kind: u8, at: usize, pick: u8) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let i = at % lines.len();
    let mut lines: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    match kind % 6 {
        0 => {
            // A key renamed.
            if let Some((_, value)) = lines[i].clone().split_once(" = ") {
                let renamed = ["nmae", "categroy", "providers", "const", "path", "", "x y"]
                    [pick as usize % 7];
                lines[i] = format!("{renamed} = {value}");
            }
        }
        1 => {
            // A value's type changed.
            if let Some((key, _)) = lines[i].clone().split_once(" = ") {
                let value = [
                    "3",
                    "true",
                    "[]",
                    "{}",
                    "\"\"",
                    "1979-05-27",
                    "{ en = \"a\" }",
                ][pick as usize % 7];
                lines[i] = format!("{key} = {value}");
            }
        }
        2 => {
            lines.remove(i);
        }
        3 => {
            let line = lines[i].clone();
            lines.insert(i, line);
        }
        4 => {
            // A `*` moved: into the middle of the line, or off its end.
            let line = lines[i].replace('*', "");
            let mut chars: Vec<char> = line.chars().collect();
            let position = (pick as usize) % (chars.len() + 1);
            chars.insert(position, '*');
            lines[i] = chars.into_iter().collect();
        }
        _ => {
            // A byte cut short: the file truncated mid-line.
            let line = &lines[i];
            let cut = line
                .char_indices()
                .nth(pick as usize % (line.chars().count() + 1))
                .map_or(line.len(), |(b, _)| b);
            lines[i] = line[..cut].to_owned();
            lines.truncate(i + 1);
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn the_compiled_index_finds_what_a_scan_finds(probe in "[a-z_.:0-9-]{0,6}|[_a-z]{1,3}[a-z_.:0-9-]{0,16}") {
        let compiled = PolicyData::of::<Shop>();
        let loaded = PolicyData::from_toml("fixtures/shop.toml", SHOP).expect("the shop loads");
        let probe = match shop_probes().get(probe.len() % 7) {
            Some(near) if probe.len() % 2 == 0 => format!("{near}{probe}"),
            _ => probe,
        };
        prop_assert_eq!(
            compiled.lookup(&probe).map(|c| c.name()),
            loaded.lookup(&probe).map(|c| c.name()),
            "{:?}", probe
        );
    }

    #[test]
    fn arbitrary_bytes_give_tokens_or_diagnostics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        compile_checked(&text);
        let _ = tokens("policy.toml", &text);
    }

    #[test]
    fn arbitrary_toml_gives_tokens_or_diagnostics(text in toml_documents()) {
        compile_checked(&text);
        let _ = tokens("policy.toml", &text);
    }

    #[test]
    fn one_edit_of_a_valid_policy_gives_tokens_or_diagnostics(kind in any::<u8>(), at in any::<usize>(), pick in any::<u8>()) {
        let text = one_edit(SHOP, kind, at, pick);
        compile_checked(&text);
        let _ = tokens("policy.toml", &text);
    }
}

/// A random valid policy: its model, and its text.
#[derive(Debug, Clone)]
struct Generated {
    cookies: Vec<(String, Category, Option<Lifetime>, Party, String)>,
}

fn generated_policies() -> impl Strategy<Value = Generated> {
    let name = "[a-zA-Z_][a-zA-Z0-9_.:-]{0,14}\\*?";
    let category = prop_oneof![
        Just(Category::Necessary),
        Just(Category::Functional),
        Just(Category::Statistical),
        Just(Category::Advertising),
    ];
    let unit = prop_oneof![
        Just(TimeUnit::Second),
        Just(TimeUnit::Minute),
        Just(TimeUnit::Hour),
        Just(TimeUnit::Day),
        Just(TimeUnit::Week),
        Just(TimeUnit::Month),
        Just(TimeUnit::Year),
    ];
    let lifetime = prop_oneof![
        Just(None),
        Just(Some(Lifetime::Session)),
        (1..1000u32, unit).prop_map(|(amount, unit)| Some(Lifetime::Fixed { amount, unit })),
    ];
    let party = prop_oneof![Just(Party::First), Just(Party::Third)];
    let purpose = "[ -~é]{1,30}".prop_filter("not blank", |p| !p.trim().is_empty());
    prop::collection::vec((name, category, lifetime, party, purpose), 0..40).prop_map(
        |mut cookies| {
            let mut seen = std::collections::HashSet::new();
            cookies.retain(|(name, ..)| seen.insert(name.clone()) && name != "*");
            Generated { cookies }
        },
    )
}

impl Generated {
    fn text(&self) -> String {
        let mut text =
            String::from("[site]\nname = \"Random\"\n\n[[provider]]\nid = \"p\"\nname = \"P\"\n");
        for (i, (name, category, lifetime, party, purpose)) in self.cookies.iter().enumerate() {
            text.push_str(&format!(
                "\n[[cookie]]\nname = {name:?}\nprovider = \"p\"\nfunction = \"f\"\npurpose = {purpose:?}\ncategory = \"{}\"\nparty = \"{}\"\nconst = \"C{i}\"\n",
                category.as_str(),
                if *party == Party::First { "first" } else { "third" },
            ));
            if let Some(lifetime) = lifetime {
                text.push_str(&format!("lifetime = \"{lifetime}\"\n"));
            }
        }
        // The cookie that stores consent, last; `#` is outside the names the
        // strategy draws, so it cannot collide.
        text.push_str("\n[[cookie]]\nname = \"consent#\"\nprovider = \"p\"\nfunction = \"f\"\npurpose = \"p\"\ncategory = \"necessary\"\nconsent = true\nconst = \"CONSENT\"\n");
        text
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn valid_policies_round_trip_and_their_index_agrees_with_a_scan(generated in generated_policies()) {
        let text = generated.text();
        let policy = compile_checked(&text).expect("a generated policy is valid");
        prop_assert_eq!(policy.cookies.len(), generated.cookies.len() + 1);
        prop_assert_eq!(policy.consent_cookie, Some(generated.cookies.len()));
        for (cookie, (name, category, lifetime, party, purpose)) in policy.cookies.iter().zip(&generated.cookies) {
            prop_assert_eq!(&cookie.name, name);
            prop_assert_eq!(cookie.is_pattern, name.ends_with('*'));
            prop_assert_eq!(cookie.category, *category);
            prop_assert_eq!(cookie.lifetime, *lifetime);
            prop_assert_eq!(cookie.party, *party);
            prop_assert_eq!(cookie.purpose.default_text(), purpose.as_str());
            prop_assert_eq!(cookie.requires_consent, *category != Category::Necessary);
        }
        // What this proves, through public API only: the compiler builds its
        // lookup tables for every valid policy, and the policy as the
        // `cookie-policy` command loads it (the same codes and decoder as
        // the derive's statics) finds by `PolicyData::lookup` what the
        // longest-prefix rule, written naively, finds. A loaded policy is
        // looked up by a scan: the tables themselves, as the derive embeds
        // them, are probed against that scan on a compiled policy below
        // (`the_compiled_index_finds_what_a_scan_finds`) and, on 100 to
        // 10,000 cookies, by `benches/tests/agreement.rs`.
        prop_assert!(cookie_policy_codegen::lookup_tables(&policy).is_some());
        let loaded = PolicyData::from_toml("policy.toml", &text).expect("a valid policy loads");
        prop_assert_eq!(loaded.cookies().len(), policy.cookies.len());
        let mut probes: Vec<String> = vec![String::new()];
        for cookie in &policy.cookies {
            let key = cookie.key().to_owned();
            probes.push(format!("{key}suffix"));
            probes.push(key.chars().skip(1).collect());
            let mut shorter = key.clone();
            shorter.pop();
            probes.push(shorter);
            probes.push(key);
        }
        for probe in &probes {
            let expected = naive(&policy, probe);
            let found = loaded.lookup(probe).map(|c| c.name().to_owned());
            prop_assert_eq!(found, expected, "{}", probe);
        }
    }
}

/// The longest-prefix rule, written the slow, obvious way.
fn naive(policy: &Policy, name: &str) -> Option<String> {
    let exact = policy
        .cookies
        .iter()
        .find(|c| !c.is_pattern && c.name == name);
    exact
        .or_else(|| {
            policy
                .cookies
                .iter()
                .filter(|c| c.is_pattern && name.starts_with(c.key()))
                .max_by_key(|c| c.key().len())
        })
        .map(|c| c.name.clone())
}

/// The names a lookup in the shop is probed with: each cookie's name or
/// prefix, longer, shorter by a character at either end, and the empty name.
fn shop_probes() -> Vec<String> {
    let mut probes = vec![String::new()];
    for cookie in Shop::COOKIES {
        let key = cookie.name().trim_end_matches('*').to_owned();
        probes.push(format!("{key}suffix"));
        probes.push(key.chars().skip(1).collect());
        let mut shorter = key.clone();
        shorter.pop();
        probes.push(shorter);
        probes.push(key);
    }
    probes
}

/// The derive's compile-time index (`PolicyData::of`, which looks up
/// through it) finds what a scan of the same policy loaded at run time
/// (`PolicyData::from_toml`) finds, for every name near a declared one.
#[test]
fn the_compiled_index_finds_what_the_loaded_policy_finds() {
    let compiled = PolicyData::of::<Shop>();
    let loaded = PolicyData::from_toml("fixtures/shop.toml", SHOP).expect("the shop loads");
    let probes = shop_probes();
    assert!(probes.len() > 4 * Shop::COOKIES.len());
    for probe in &probes {
        assert_eq!(
            compiled.lookup(probe).map(|c| c.name()),
            loaded.lookup(probe).map(|c| c.name()),
            "{probe:?}"
        );
    }
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn consent_values_never_grant_more_than_they_say(value in "(v1\\.[0-9a-f]{16}\\.)?[a-z+.]{0,40}|.{0,80}") {
        if let Ok(consent) = Consent::from_cookie_value::<Shop>(&value) {
            for category in consent.categories().skip(1) {
                prop_assert!(value.contains(category.as_str()), "{} granted by {}", category, value);
            }
        }
        let (consent, _) = Consent::from_cookie_value_or_ask::<Shop>(Some(&value));
        prop_assert!(consent.allows(cookie_policy::Category::Necessary));
    }

    #[test]
    fn request_cookies_are_read_as_the_cookie_crate_reads_them(header in "[ -~é]{0,80}|(( ?[a-z_=;]{0,6}(=[a-z0-9 =\"]{0,6})?;?)){0,6}") {
        let Ok(value) = HeaderValue::from_str(&header) else { return Ok(()) };
        let ours: Vec<(&str, &str)> = cookie_policy::enforce::request_cookies([&value]).collect();
        let theirs: Vec<(&str, &str)> = cookie::Cookie::split_parse(header.as_str())
            .filter_map(|cookie| {
                let cookie = cookie.ok()?;
                Some((cookie.name_raw()?, cookie.value_raw()?))
            })
            .collect();
        prop_assert_eq!(ours, theirs, "{:?}", header);
    }

    #[test]
    fn banner_values_never_grant_more_than_they_say(
        categories in prop::collection::vec("necessary|functional|statistical|advertising|analytics|", 0..5),
        revision in prop_oneof![Just(u64::from(Consent::banner_revision::<Shop>())), any::<u32>().prop_map(u64::from)],
        noise in ".{0,40}",
        encode in any::<bool>(),
    ) {
        let json = serde_json::json!({
            "categories": categories,
            "revision": revision,
            "data": noise,
            "consentId": "3f1c",
        })
        .to_string();
        let value = if encode {
            json.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
        } else {
            json.clone()
        };
        match Consent::read_cookie_value::<Shop>(&value) {
            Ok(consent) => {
                prop_assert_eq!(revision, u64::from(Consent::banner_revision::<Shop>()));
                for category in consent.categories().skip(1) {
                    prop_assert!(categories.iter().any(|c| c == category.as_str()), "{} granted by {}", category, json);
                }
                prop_assert!(categories.iter().all(|c| c.parse::<cookie_policy::Category>().is_ok()));
            }
            Err(_) => {
                let consent = cookie_policy::enforce::consent_from_request::<Shop>(&{
                    let mut headers = HeaderMap::new();
                    if let Ok(header) = HeaderValue::from_str(&format!("cookies_preferences={value}")) {
                        headers.insert(http::header::COOKIE, header);
                    }
                    headers
                }).0;
                prop_assert_eq!(consent, Consent::necessary_only());
            }
        }
    }

    #[test]
    fn set_cookie_filtering_never_lets_through_what_it_should_not(
        headers in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..60), 0..12),
        names in prop::collection::vec(
            ("sessionid|_ga|_ga_[A-Z]{0,3}|_fbp|theme|x|", prop::collection::vec(
                "[Mm]ax-[Aa]ge=(-?[0-9]{1,3}|0x1|)|[Ee]xpires=(Thu, 01 Jan 1970 00:00:00 GMT|Fri, 01 Jan 2100 00:00:00 GMT|junk|)|Path=/|Domain=x",
                0..4,
            )),
            0..6,
        ),
    ) {
        let mut map = HeaderMap::new();
        for bytes in &headers {
            if let Ok(value) = HeaderValue::from_bytes(bytes) {
                map.append(SET_COOKIE, value);
            }
        }
        for (name, attributes) in &names {
            let mut header = format!("{name}=v");
            for attribute in attributes {
                header.push_str("; ");
                header.push_str(attribute);
            }
            if let Ok(value) = HeaderValue::from_str(&header) {
                map.append(SET_COOKIE, value);
            }
        }
        let before = map.get_all(SET_COOKIE).iter().count();
        let report = filter_set_cookies::<Shop>(&mut map, Consent::necessary_only());
        let kept: Vec<&HeaderValue> = map.get_all(SET_COOKIE).iter().collect();
        prop_assert_eq!(kept.len() + report.removed().len(), before);
        for value in kept {
            let text = value.to_str().expect("kept headers are text");
            let name = text.split(';').next().unwrap_or("").split_once('=').map_or("", |(n, _)| n.trim());
            let allowed = Shop::lookup(name).is_some_and(|c| !c.requires_consent());
            let deletion = naive_is_deletion(text);
            prop_assert!(deletion || allowed, "{:?} kept", value);
        }
    }
}

/// Whether a `Set-Cookie` deletes, read the plain way RFC 6265bis says
/// (5.7.2 and 5.8.3): the last `Max-Age` that is `-?DIGITS` decides, zero or
/// less deleting; without one, the last `Expires` that is a date decides
/// (dates read by the library's RFC 5.1.1 parser, tested on its own against
/// a table and Chromium).
fn naive_is_deletion(header: &str) -> bool {
    let attributes: Vec<(String, String)> = header
        .split(';')
        .skip(1)
        .map(|attribute| {
            let (key, value) = attribute.split_once('=').unwrap_or((attribute, ""));
            (key.trim().to_ascii_lowercase(), value.trim().to_owned())
        })
        .collect();
    let max_age = attributes.iter().rev().find(|(key, value)| {
        let digits = value.strip_prefix('-').unwrap_or(value);
        key == "max-age" && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    });
    if let Some((_, value)) = max_age {
        return value.starts_with('-') || value.bytes().all(|b| b == b'0');
    }
    attributes
        .iter()
        .rev()
        .filter(|(key, _)| key == "expires")
        .find_map(|(_, value)| cookie_policy::enforce::parse_cookie_date(value))
        .is_some_and(|date| date <= std::time::SystemTime::now())
}
