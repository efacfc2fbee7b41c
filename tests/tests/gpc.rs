//! Global Privacy Control on the server, end to end: the axum example's
//! routes behind `ConsentLayer` and `GpcLayer`, on 127.0.0.1, with a real
//! HTTP client. The oracle is the W3C GPC draft's text (quoted beside each
//! case) and the `Set-Cookie` headers that reach the client.

use std::time::{Duration, SystemTime};

use cookie_policy::{Category, Consent, CookiePolicy, PolicyData};
use http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
struct Shop;

async fn serve() -> String {
    crate::local_server::serve(axum_consent::app::app::<Shop>(|_| {})).await
}

/// The names of the cookies the home page sets, sent with `sec_gpc`
/// (each value one `Sec-GPC` field) and the consent cookie `consent`.
async fn home_sets(base: &str, sec_gpc: &[&str], consent: Option<&str>) -> Vec<String> {
    let mut request = reqwest::Client::new().get(format!("{base}/"));
    for value in sec_gpc {
        request = request.header("sec-gpc", *value);
    }
    if let Some(value) = consent {
        request = request.header(COOKIE, format!("cookies_preferences={value}"));
    }
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    crate::local_server::set_cookie_names(&response)
}

fn banner_value(consent: Consent) -> String {
    PolicyData::of::<Shop>().banner_consent_value(
        consent,
        SystemTime::now(),
        Duration::from_secs(86_400),
    )
}

/// "A server processing an HTTP request that contains a Sec-GPC header
/// MUST ignore it and process the request as if that header had not been
/// specified unless the field value is exactly the character "1". If there
/// are multiple Sec-GPC headers and at least one has a field value of
/// exactly "1" then the server MUST treat the request as if there were
/// only one Sec-GPC header with a field value of "1"; and as if there were
/// none otherwise."
#[tokio::test]
async fn sec_gpc_refuses_advertising_granted_before_the_signal() {
    let base = serve().await;
    let everything = Consent::all();
    for value in [
        banner_value(everything),
        everything.to_cookie_value::<Shop>(),
    ] {
        let without = home_sets(&base, &[], Some(&value)).await;
        assert!(without.contains(&"_gcl_au".to_owned()), "{without:?}");
        // `1 ` on the wire is the field value `1`: HTTP drops the
        // whitespace around a field value (RFC 9110, section 5.5).
        for signal in [&["1"][..], &["0", "1"], &["1", "1"], &["1 "]] {
            let with = home_sets(&base, signal, Some(&value)).await;
            assert!(
                !with.contains(&"_gcl_au".to_owned()),
                "{signal:?}: {with:?}"
            );
            // Statistics: GPC ignores them in this policy.
            assert!(
                with.iter().any(|name| name.starts_with("_pk_id")),
                "{with:?}"
            );
        }
        for ignored in [
            &["0"][..],
            &["true"],
            &["01"],
            &["1, 1"],
            &["yes"],
            &["0", "2"],
        ] {
            let with = home_sets(&base, ignored, Some(&value)).await;
            assert!(
                with.contains(&"_gcl_au".to_owned()),
                "{ignored:?}: {with:?}"
            );
        }
    }
}

/// An explicit grant made after the signal, in a banner that showed the
/// signal's refusal, wins: the value carries the mark.
#[tokio::test]
async fn an_explicit_grant_under_gpc_wins() {
    let base = serve().await;
    let explicit = Consent::necessary_only()
        .grant(Category::Advertising)
        .chosen_under_gpc();
    for value in [banner_value(explicit), explicit.to_cookie_value::<Shop>()] {
        let with = home_sets(&base, &["1"], Some(&value)).await;
        assert!(with.contains(&"_gcl_au".to_owned()), "{value}: {with:?}");
    }
    // No choice yet: necessary only, with or without the signal.
    let first = home_sets(&base, &["1"], None).await;
    assert!(!first.contains(&"_gcl_au".to_owned()), "{first:?}");
}

/// "The origin server MUST return the GPC support resource as a valid
/// representation using the application/json media type", a JSON object
/// with a `gpc` boolean and a `lastUpdate` RFC 3339 full-date.
#[tokio::test]
async fn the_layer_serves_the_support_resource() {
    let base = serve().await;
    let client = reqwest::Client::new();
    let response = client
        .get(format!("{base}/.well-known/gpc.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers().get(CONTENT_TYPE).unwrap(),
        "application/json"
    );
    assert!(response.headers().get(SET_COOKIE).is_none());
    let body = response.text().await.unwrap();
    assert_eq!(body, PolicyData::of::<Shop>().gpc_json());
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value, serde_json::json!({ "gpc": true }));

    let head = client
        .head(format!("{base}/.well-known/gpc.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    assert_eq!(
        head.headers().get(CONTENT_TYPE).unwrap(),
        "application/json"
    );

    let post = client
        .post(format!("{base}/.well-known/gpc.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    assert_eq!(post.headers().get("allow").unwrap(), "GET, HEAD");
}

/// The example's own policy gives `[gpc] last_update`.
#[tokio::test]
async fn the_example_states_its_last_update() {
    let base =
        crate::local_server::serve(axum_consent::app::app::<axum_consent::Site>(|_| {})).await;
    let body = reqwest::get(format!("{base}/.well-known/gpc.json"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(value["gpc"], serde_json::json!(true));
    let date = value["lastUpdate"].as_str().unwrap();
    assert!(date.parse::<cookie_policy::IsoDate>().is_ok(), "{date}");
}

mod browser {
    //! Issue 21's first "Done when", in headless Chromium: a browser that
    //! sends `Sec-GPC: 1` (CDP `Network.setExtraHTTPHeaders`) and says
    //! `navigator.globalPrivacyControl` (defined before any script runs,
    //! CDP `Page.addScriptToEvaluateOnNewDocument`) visits the axum example
    //! with its consent log. Judged by Chromium's cookie jar, the banner's
    //! DOM and the log read back through a second handle on its file.

    use chromiumoxide::cdp::browser_protocol::network::{Headers, SetExtraHttpHeadersParams};
    use chromiumoxide::cdp::browser_protocol::page::AddScriptToEvaluateOnNewDocumentParams;
    use cookie_policy::{Category, CookiePolicy};
    use cookie_policy_chromium::chromiumoxide;
    use cookie_policy_consent_log::same_origin::SameOrigin;
    use cookie_policy_consent_log::{ConsentLog, Source};
    use cookie_policy_consent_log_sqlite::SqliteStore;
    use cookie_policy_core::Wording;

    use crate::banner::{decisions, jar, launch, names};
    use crate::local_server::serve_on_port;
    use cookie_policy_tests::browser::{blank_page, click, eval, goto, wait_for};

    #[derive(CookiePolicy)]
    #[cookie_policy(path = "fixtures/gpc-site.toml")]
    struct GpcSite;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "needs chromium (apt-get install -y chromium)"]
    async fn gpc_refuses_advertising_until_the_visitor_grants_it() {
        let dir = cookie_policy_tests::scratch_dir("gpc-log");
        let log = ConsentLog::new::<GpcSite>(SqliteStore::open(dir.join("log.sqlite")).unwrap());
        let store = SqliteStore::open(dir.join("log.sqlite")).unwrap();
        let port = serve_on_port(|port| {
            let mut decisions = axum_consent::app::Decisions::from_env(Some(log));
            decisions.same_origin =
                SameOrigin::site(&format!("http://www.shop.test:{port}")).unwrap();
            axum_consent::app::app_with::<GpcSite>(|_| {}, decisions)
        })
        .await;
        let browser = launch().await;
        let home = format!("http://www.shop.test:{port}/");
        let (_, page) = blank_page(&browser).await;
        page.execute(SetExtraHttpHeadersParams::new(Headers::new(
            serde_json::json!({ "Sec-GPC": "1" }),
        )))
        .await
        .unwrap();
        page.execute(AddScriptToEvaluateOnNewDocumentParams::new(
            "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });",
        ))
        .await
        .unwrap();
        goto(&page, &home).await;

        // A first visit: the banner, saying that advertising is refused;
        // no advertising cookie, though the page's server sets one.
        wait_for(
            &page,
            "document.querySelector('#cc-main .cm .cc-gpc-notice')",
        )
        .await;
        let gpc: bool = eval(&page, "navigator.globalPrivacyControl === true").await;
        assert!(gpc);
        let notice: String = eval(
            &page,
            "document.querySelector('#cc-main .cm .cc-gpc-notice').textContent",
        )
        .await;
        assert_eq!(notice, Wording::EN.gpc_notice(&[Category::Advertising]));
        let first = jar(&page).await;
        // (`cp_visitor` arrives with the answer to the signal's record.)
        let necessary: Vec<&str> = names(&first)
            .into_iter()
            .filter(|name| *name != "cp_visitor")
            .collect();
        assert_eq!(necessary, ["csrftoken", "sessionid"], "{first:#?}");

        // The log holds the signal, recorded as its source.
        let logged = decisions(&store, 1).await;
        let [signal] = logged.as_slice() else {
            panic!("one signal, one record: {logged:#?}")
        };
        assert_eq!(signal.source, Source::Gpc);
        assert_eq!(signal.accepted, [Category::Necessary]);
        assert!(signal.rejected.contains(&Category::Advertising));

        // The preferences show advertising refused, and say why.
        click(&page, "#cc-main .cm [data-role=show]").await;
        wait_for(
            &page,
            "document.documentElement.classList.contains('show--preferences')",
        )
        .await;
        let advertising = "#cc-main input.section__toggle[value=advertising]";
        wait_for(&page, &format!("document.querySelector('{advertising}')")).await;
        let checked: bool = eval(
            &page,
            &format!("document.querySelector('{advertising}').checked"),
        )
        .await;
        assert!(!checked, "advertising is pre-refused");
        wait_for(
            &page,
            "document.querySelector('#cc-main .pm .cc-gpc-notice')",
        )
        .await;

        // The visitor grants advertising, explicitly: the banner marks the
        // choice, and on the next page the server lets the cookie through.
        click(&page, advertising).await;
        wait_for(
            &page,
            &format!("document.querySelector('{advertising}').checked"),
        )
        .await;
        click(&page, "#cc-main .pm [data-role=save]").await;
        wait_for(
            &page,
            "decodeURIComponent(document.cookie).includes('\"gpc\":true')",
        )
        .await;
        page.reload().await.unwrap();
        page.wait_for_navigation().await.unwrap();
        let granted = jar(&page).await;
        assert!(
            names(&granted).contains(&"_gcl_au"),
            "an explicit grant wins: {granted:#?}"
        );
        let logged = decisions(&store, 2).await;
        let [_, grant] = logged.as_slice() else {
            panic!("the signal, then the grant: {logged:#?}")
        };
        assert_eq!(grant.source, Source::GrantOverGpc);
        assert!(grant.accepted.contains(&Category::Advertising));
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// The threats of `docs/consent.md`, "Global Privacy Control": each one
/// tried against the real reader, layer and endpoint.
mod threats {
    use cookie_policy::{BannerConsent, Category, Consent, ConsentError, CookiePolicy, PolicyData};
    use cookie_policy_consent_log::endpoint::ConsentEndpoint;
    use cookie_policy_consent_log::{ConsentLog, ConsentStore, Source};
    use cookie_policy_consent_log_sqlite::SqliteStore;
    use http::Request;
    use tower_service::Service as _;

    use super::Shop;

    fn endpoint(name: &str) -> (ConsentEndpoint, SqliteStore, std::path::PathBuf) {
        let dir = cookie_policy_tests::scratch_dir(&format!("gpc-threats-{name}"));
        let log = ConsentLog::new::<Shop>(SqliteStore::open(dir.join("log.sqlite")).unwrap());
        let store = SqliteStore::open(dir.join("log.sqlite")).unwrap();
        (ConsentEndpoint::new(log), store, dir)
    }

    async fn post(
        endpoint: &mut ConsentEndpoint,
        body: &str,
        headers: &[(&str, &str)],
    ) -> (u16, String) {
        let mut request = Request::post("/consent").header("content-type", "application/json");
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let Ok(response) = endpoint.call(request.body(body.to_owned()).unwrap()).await;
        (response.status().as_u16(), response.into_body())
    }

    fn banner_json(categories: &[&str], data: &str) -> String {
        format!(
            r#"{{"cookie":{{"categories":{},"revision":{},"data":{data},"consentId":"c0ffee"}},"page":"http://shop.test/"}}"#,
            serde_json::to_string(categories).unwrap(),
            Consent::banner_revision::<Shop>()
        )
    }

    /// A page script that says `navigator.globalPrivacyControl` (or posts
    /// as if it did) cannot record a signal its browser did not send.
    #[tokio::test]
    async fn a_signal_without_the_header_records_nothing() {
        let (mut endpoint, store, dir) = endpoint("forged-signal");
        let same = [("sec-fetch-site", "same-origin")];
        let (status, body) = post(&mut endpoint, r#"{"gpc": true}"#, &same).await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("Sec-GPC: 1"), "{body}");
        let (status, _) = post(
            &mut endpoint,
            r#"{"gpc": true}"#,
            &[("sec-fetch-site", "same-origin"), ("sec-gpc", "1")],
        )
        .await;
        assert_eq!(status, 201);
        let records = store.since(0).await.unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].source, Source::Gpc);
        assert_eq!(records[0].accepted, [Category::Necessary]);
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Another site's page cannot record a signal, or a grant, in the
    /// visitor's name: the same-origin rule comes first.
    #[tokio::test]
    async fn another_site_records_no_signal_and_no_grant() {
        let (mut endpoint, store, dir) = endpoint("cross-site");
        for body in [
            r#"{"gpc": true}"#.to_owned(),
            banner_json(&["necessary", "advertising"], r#"{"gpc":true}"#),
        ] {
            let (status, _) = post(
                &mut endpoint,
                &body,
                &[("sec-fetch-site", "cross-site"), ("sec-gpc", "1")],
            )
            .await;
            assert_eq!(status, 403);
        }
        assert!(store.since(0).await.unwrap().is_empty());
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A grant posted with the signal is recorded as a grant over it; the
    /// same without the signal is a plain choice; the signal with no grant
    /// of a refused category is the signal's.
    #[tokio::test]
    async fn each_decision_is_recorded_with_its_source() {
        let (mut endpoint, store, dir) = endpoint("sources");
        let cases = [
            (
                &["necessary", "advertising"][..],
                true,
                Source::GrantOverGpc,
            ),
            (&["necessary", "advertising"][..], false, Source::Choice),
            (&["necessary", "statistical"][..], true, Source::Gpc),
        ];
        for (categories, gpc, _) in &cases {
            let mut headers = vec![("sec-fetch-site", "same-origin")];
            if *gpc {
                headers.push(("sec-gpc", "1"));
            }
            let (status, body) =
                post(&mut endpoint, &banner_json(categories, "null"), &headers).await;
            assert_eq!(status, 201, "{body}");
        }
        let records = store.since(0).await.unwrap();
        let sources: Vec<Source> = records.iter().map(|record| record.source).collect();
        assert_eq!(sources, cases.map(|(_, _, source)| source));
        assert!(records[0].accepted.contains(&Category::Advertising));
        let _ = std::fs::remove_dir_all(dir);
    }

    /// A grant made before the signal loses, in the log too, the
    /// categories the policy refuses under GPC: a decision the server
    /// records (`ConsentLog::record`) from an unmarked consent granting
    /// everything, under `Sec-GPC: 1`, is kept without advertising and
    /// with the signal as its source; the same consent chosen knowing the
    /// signal keeps it, as a grant over it; without the signal, nothing is
    /// withdrawn. Read back from the store.
    #[tokio::test]
    async fn a_grant_made_before_the_signal_is_logged_without_what_gpc_refuses() {
        use cookie_policy_consent_log::{Context, Origin};
        let dir = cookie_policy_tests::scratch_dir("gpc-server-log");
        let log = ConsentLog::new::<Shop>(SqliteStore::open(dir.join("log.sqlite")).unwrap());
        let store = SqliteStore::open(dir.join("log.sqlite")).unwrap();
        let cases = [
            (Consent::all(), true, false, Source::Gpc),
            (
                Consent::all().chosen_under_gpc(),
                true,
                true,
                Source::GrantOverGpc,
            ),
            (Consent::all(), false, true, Source::Choice),
        ];
        for (consent, gpc, _, _) in cases {
            let context = Context {
                gpc,
                ..Context::default()
            };
            log.record(consent, context, Origin::Server).await.unwrap();
        }
        let records = store.since(0).await.unwrap();
        assert_eq!(records.len(), cases.len());
        for (record, (_, gpc, advertising, source)) in records.iter().zip(cases) {
            assert_eq!(record.source, source, "{gpc}");
            assert_eq!(
                record.accepted.contains(&Category::Advertising),
                advertising,
                "{gpc} {:?}",
                record.accepted
            );
            assert_eq!(
                record.rejected.contains(&Category::Advertising),
                !advertising
            );
            assert!(record.accepted.contains(&Category::Statistical));
        }
        let _ = std::fs::remove_dir_all(dir);
    }

    /// The mark is `"data": {"gpc": true}` exactly: no other value of
    /// `data` or of `gpc` marks a choice, and a marked value for another
    /// revision of the policy is stale like any other.
    #[test]
    fn only_the_exact_mark_counts() {
        let revision = Consent::banner_revision::<Shop>();
        let json = |data: &str, revision: u32| {
            format!(
                r#"{{"categories":["necessary","advertising"],"revision":{revision},"data":{data}}}"#
            )
        };
        let marked =
            BannerConsent::from_json::<Shop>(json(r#"{"gpc":true}"#, revision).as_bytes()).unwrap();
        assert!(marked.consent.is_chosen_under_gpc());
        for data in [
            "null",
            "true",
            r#""gpc""#,
            r#"{"gpc":"true"}"#,
            r#"{"gpc":1}"#,
            r#"{"GPC":true}"#,
            r#"[{"gpc":true}]"#,
            r#"{"other":{"gpc":true}}"#,
        ] {
            let read = BannerConsent::from_json::<Shop>(json(data, revision).as_bytes()).unwrap();
            assert!(!read.consent.is_chosen_under_gpc(), "{data}");
        }
        assert!(matches!(
            BannerConsent::from_json::<Shop>(json(r#"{"gpc":true}"#, revision ^ 1).as_bytes()),
            Err(ConsentError::Stale { .. })
        ));
        // This crate's format: `.gpc` and nothing else after the categories.
        let value = Consent::all().chosen_under_gpc().to_cookie_value::<Shop>();
        assert!(value.ends_with(".gpc"), "{value}");
        assert_eq!(
            Consent::from_cookie_value::<Shop>(&value),
            Ok(Consent::all().chosen_under_gpc())
        );
        for forged in [
            format!("{value}x"),
            format!("{value}.gpc"),
            value.replace(".gpc", ".GPC"),
        ] {
            assert_eq!(
                Consent::from_cookie_value::<Shop>(&forged),
                Err(ConsentError::Malformed),
                "{forged}"
            );
        }
    }

    /// The mark grants nothing by itself: without the signal a marked and
    /// an unmarked choice allow the same; with it, only what the choice
    /// itself grants.
    #[test]
    fn the_mark_grants_nothing_by_itself() {
        let policy = PolicyData::of::<Shop>();
        for consent in [
            Consent::necessary_only(),
            Consent::necessary_only().grant(Category::Statistical),
            Consent::all(),
        ] {
            let marked = consent.chosen_under_gpc();
            for category in Category::ALL {
                assert_eq!(marked.allows(category), consent.allows(category));
                assert_eq!(
                    marked.honouring_gpc(&policy).allows(category),
                    consent.allows(category),
                    "{consent:?} {category}"
                );
            }
            assert!(!consent.honouring_gpc(&policy).allows(Category::Advertising));
        }
        let _ = Shop::REVISION;
    }
}

/// A PostgreSQL log written at schema v3, before the `source` column:
/// opened now, it is migrated, its record is a choice, and its chain still
/// verifies with a GPC record appended after it.
#[tokio::test]
#[ignore = "needs PostgreSQL (COOKIE_POLICY_POSTGRES=postgres://...)"]
async fn a_v3_postgres_log_migrates_to_sources() {
    use cookie_policy_consent_log::{ConsentStore, Row, Source, chain, migrations};
    use cookie_policy_consent_log_postgres::PostgresStore;

    let url = cookie_policy_tests::postgres_url();
    let schema = cookie_policy_tests::postgres_schema("gpc_v3");
    let pool = cookie_policy_tests::postgres_pool(&url, &schema).await;
    {
        let client = pool.get().await.unwrap();
        client
            .batch_execute("CREATE TABLE cookie_policy_schema (version INTEGER NOT NULL)")
            .await
            .unwrap();
        let sql = migrations("BIGSERIAL PRIMARY KEY", "BIGINT");
        for (index, migration) in sql.iter().take(3).enumerate() {
            client.batch_execute(migration).await.unwrap();
            let version = i32::try_from(index + 1).unwrap();
            client
                .execute(
                    "INSERT INTO cookie_policy_schema (version) VALUES ($1)",
                    &[&version],
                )
                .await
                .unwrap();
        }
        let row = Row {
            consent_id: "old".into(),
            time_ms: 1_780_000_000_000,
            accepted: "necessary".into(),
            rejected: "statistical".into(),
            revision: "00000000000000ff".into(),
            policy_sha256: "ab".repeat(32),
            language: "en".into(),
            page: String::new(),
            network: None,
            user_agent: None,
            origin: "banner".into(),
            banner_consent_id: None,
            receipt: "r-1".into(),
            salt: None,
            personal_sha256: String::new(),
            source: "choice".into(),
        };
        let genesis = "00".repeat(32);
        let hash = chain::record_hash(1, &genesis, &row);
        client
            .execute(
                "INSERT INTO consents (consent_id, time_ms, accepted, rejected, revision, policy_sha256, language, page, origin, receipt, personal_sha256, chain_seq, prev_hash, hash) VALUES ('old', 1780000000000, 'necessary', 'statistical', '00000000000000ff', $1, 'en', '', 'banner', 'r-1', '', 1, $2, $3)",
                &[&"ab".repeat(32), &genesis, &hash],
            )
            .await
            .unwrap();
    }
    let store = PostgresStore::new(pool).await.unwrap();
    let records = store.since(0).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].source, Source::Choice);
    let mut gpc = records[0].clone();
    gpc.source = Source::Gpc;
    gpc.receipt = "r-2".into();
    store.append(gpc).await.unwrap();
    let records = store.since(0).await.unwrap();
    assert_eq!(records[1].source, Source::Gpc);
    chain::verify(&store.chain().await.unwrap(), None).unwrap();
}

/// The support resource's members, read back by serde_json: `gpc` is
/// `false` for a policy that ignores the signal everywhere, and
/// `lastUpdate` is an RFC 3339 full-date, as the draft's example
/// (`"lastUpdate": "2025-04-15"`) writes it.
#[test]
fn the_support_resource_follows_the_policy() {
    const BASE: &str = "[site]\nname = \"Example\"\n";
    let resource = |extra: &str| {
        let data = PolicyData::from_toml("policy.toml", &format!("{BASE}{extra}")).unwrap();
        serde_json::from_str::<serde_json::Value>(&data.gpc_json()).unwrap()
    };
    assert_eq!(resource(""), serde_json::json!({ "gpc": true }));
    assert_eq!(
        resource("[categories.advertising]\ngpc = \"ignore\"\n"),
        serde_json::json!({ "gpc": false })
    );
    assert_eq!(
        resource("[gpc]\nlast_update = 2025-04-15\n"),
        serde_json::json!({ "gpc": true, "lastUpdate": "2025-04-15" })
    );
    assert_eq!(
        resource(
            "[categories.functional]\ngpc = \"refuse\"\n[categories.advertising]\ngpc = \"ignore\"\n"
        ),
        serde_json::json!({ "gpc": true })
    );
}
