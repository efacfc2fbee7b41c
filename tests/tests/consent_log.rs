//! The consent log end to end, on each backend: the axum example with its
//! log in a SQLite file or in PostgreSQL (Debian's, which `.ci/run` starts
//! on loopback and names in `COOKIE_POLICY_POSTGRES`), served on
//! 127.0.0.1, posted to by a real HTTP client as the banner's callbacks
//! post; what was acknowledged is read back through a second handle on the
//! store.

use std::sync::Arc;

use axum_consent::{Site, app};
use cookie_policy::{Category, Consent, CookiePolicy};
use cookie_policy_consent_log::{ConsentLog, ConsentRecord, ConsentStore, Origin};
use cookie_policy_consent_log_postgres::PostgresStore;
use cookie_policy_consent_log_sqlite::SqliteStore;
use cookie_policy_tests::postgres_url;

struct Server {
    backend: &'static str,
    base: String,
    client: reqwest::Client,
    /// The visitor cookie the server gave, sent back as a browser would.
    visitor: std::sync::Mutex<Option<String>>,
    store: Arc<dyn ConsentStore>,
    dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

type Store = Arc<dyn ConsentStore>;

/// The backends a consent log is tested on.
#[derive(Clone, Copy)]
enum Backend {
    Sqlite,
    /// Ignored by default: needs `COOKIE_POLICY_POSTGRES`.
    Postgres,
}

/// The example served on 127.0.0.1 with its log on `backend`.
async fn server(name: &str, backend: Backend) -> Server {
    let (label, dir, served, read): (&'static str, _, Store, Store) = match backend {
        Backend::Sqlite => {
            let dir = cookie_policy_tests::scratch_dir(&format!("log-{name}"));
            let path = dir.join("consents.sqlite");
            (
                "sqlite",
                dir,
                Arc::new(SqliteStore::open(&path).unwrap()),
                // A second handle on the file, as the CLI opens it.
                Arc::new(SqliteStore::open(&path).unwrap()),
            )
        }
        Backend::Postgres => {
            let url = postgres_url();
            let schema = cookie_policy_tests::postgres_schema(&format!("log_{name}"));
            let pool = cookie_policy_tests::postgres_pool(&url, &schema).await;
            let store = PostgresStore::new(pool.clone()).await.unwrap();
            (
                "postgres",
                std::env::temp_dir().join(format!(
                    "cookie-policy-log-{name}-pg-{}",
                    std::process::id()
                )),
                Arc::new(store.clone()),
                Arc::new(store),
            )
        }
    };
    let log = ConsentLog::new::<Site>(Shared(served))
        .keep_network(false)
        .keep_user_agent(true);
    // The test client stands for several visitors behind a proxy on
    // 127.0.0.1: `X-Forwarded-For` names one, else it is the proxy.
    let mut decisions = app::Decisions::from_env(Some(log));
    decisions.limit = cookie_policy_consent_log::limit::DecisionLimit::default()
        .trusting_proxies(["127.0.0.1".parse().unwrap()]);
    let base = crate::local_server::serve(app::app_with::<Site>(|_| {}, decisions)).await;
    Server {
        backend: label,
        base,
        client: reqwest::Client::new(),
        visitor: std::sync::Mutex::default(),
        store: read,
        dir,
    }
}

/// One test per backend: `$name_on_sqlite`, run by default, and
/// `$name_on_postgres`, ignored unless PostgreSQL is there to test on.
macro_rules! on_each_backend {
    ($(#[$doc:meta])* $sqlite:ident, $postgres:ident, $label:literal, $body:ident) => {
        $(#[$doc])*
        #[tokio::test]
        async fn $sqlite() {
            $body(&server($label, Backend::Sqlite).await).await;
        }

        $(#[$doc])*
        #[tokio::test]
        #[ignore = "needs PostgreSQL (COOKIE_POLICY_POSTGRES=postgres://...)"]
        async fn $postgres() {
            $body(&server($label, Backend::Postgres).await).await;
        }
    };
}

/// A store shared with the test.
struct Shared(Arc<dyn ConsentStore>);

impl ConsentStore for Shared {
    fn append(&self, record: ConsentRecord) -> cookie_policy_consent_log::StoreFuture<'_, ()> {
        self.0.append(record)
    }
    fn keep_page(
        &self,
        page: cookie_policy_consent_log::ShownPage,
    ) -> cookie_policy_consent_log::StoreFuture<'_, ()> {
        self.0.keep_page(page)
    }
    fn decisions(
        &self,
        id: &str,
    ) -> cookie_policy_consent_log::StoreFuture<'_, Vec<ConsentRecord>> {
        self.0.decisions(id)
    }
    fn since(&self, since: u64) -> cookie_policy_consent_log::StoreFuture<'_, Vec<ConsentRecord>> {
        self.0.since(since)
    }
    fn page(
        &self,
        revision: cookie_policy::Revision,
        language: &cookie_policy::Language,
    ) -> cookie_policy_consent_log::StoreFuture<'_, Option<cookie_policy_consent_log::ShownPage>>
    {
        self.0.page(revision, language)
    }
    fn purge(&self, before: u64) -> cookie_policy_consent_log::StoreFuture<'_, u64> {
        self.0.purge(before)
    }
    fn chain(
        &self,
    ) -> cookie_policy_consent_log::StoreFuture<'_, cookie_policy_consent_log::chain::Chain> {
        self.0.chain()
    }
}

impl Server {
    async fn post(&self, body: &str) -> (u16, serde_json::Value) {
        let mut request = self
            .client
            .post(format!("{}/consent", self.base))
            .header("content-type", "application/json")
            .header("user-agent", "consent-log-test/1")
            // As the site's own page sends it.
            .header("sec-fetch-site", "same-origin")
            .body(body.to_owned());
        if let Some(visitor) = self.visitor.lock().unwrap().clone() {
            request = request.header("cookie", visitor);
        }
        let response = request.send().await.unwrap();
        let given = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .find(|value| value.starts_with("cp_visitor="))
            .map(|value| value.split(';').next().unwrap_or_default().to_owned());
        if given.is_some() {
            *self.visitor.lock().unwrap() = given;
        }
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)),
        )
    }
}

/// A body as the generated callbacks post it.
fn decision(categories: &[&str], revision: u32, id: &str, page: &str) -> String {
    serde_json::json!({
        "cookie": {
            "categories": categories,
            "revision": revision,
            "data": null,
            "consentTimestamp": "2026-11-30T09:00:00.000Z",
            "consentId": id,
            "services": {},
            "languageCode": "fr",
            "lastConsentTimestamp": "2026-11-30T09:00:00.000Z",
            "expirationTime": 1_796_000_000_000u64
        },
        "page": page
    })
    .to_string()
}

on_each_backend!(
    a_decision_is_recorded_with_what_was_shown_on_sqlite,
    a_decision_is_recorded_with_what_was_shown_on_postgres,
    "record",
    recorded_with_what_was_shown
);

async fn recorded_with_what_was_shown(server: &Server) {
    let revision = Consent::banner_revision::<Site>();
    let id = "8c3a0e52-5f3b-4d3e-9a57-0a9d4a7f1b2c";
    let (status, body) = server
        .post(&decision(
            &["necessary", "statistical"],
            revision,
            id,
            "http://127.0.0.1/fr/",
        ))
        .await;
    assert_eq!(status, 201, "{}: {body}", server.backend);
    let receipt = body["receipt"].as_str().unwrap();
    let records = server.store.since(0).await.unwrap();
    let [record] = records.as_slice() else {
        panic!("one decision, one record: {records:?}")
    };
    // The history is the server's id for the visitor, not the body's.
    assert_eq!(record.receipt, receipt);
    assert_eq!(record.banner_consent_id.as_deref(), Some(id));
    assert_eq!(record.consent_id.len(), 32, "{record:?}");
    assert_ne!(record.consent_id, id);
    let visitor = record.consent_id.clone();
    let ConsentRecord {
        accepted,
        rejected,
        revision: kept_revision,
        policy_sha256,
        language,
        page,
        network,
        user_agent,
        origin,
        ..
    } = record;
    assert_eq!(accepted, &[Category::Necessary, Category::Statistical]);
    assert!(rejected.is_empty());
    assert_eq!(kept_revision, &Site::REVISION);
    assert_eq!(policy_sha256.len(), 64);
    assert_eq!(*language, "fr");
    assert_eq!(page, "http://127.0.0.1/fr/");
    assert_eq!(network, &None);
    assert_eq!(user_agent.as_deref(), Some("consent-log-test/1"));
    assert_eq!(origin, &Origin::Banner);
    // What was shown: the French page of this revision.
    let shown = server
        .store
        .page(*kept_revision, &"fr".parse().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        shown.page,
        cookie_policy::publish::markdown::<Site>("fr").unwrap()
    );

    // Withdrawing is a second decision of the same visitor.
    let (status, _) = server
        .post(&decision(
            &["necessary"],
            revision,
            id,
            "http://127.0.0.1/fr/",
        ))
        .await;
    assert_eq!(status, 201);
    let records = server.store.decisions(&visitor).await.unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].rejected, [Category::Statistical]);
}

on_each_backend!(
    bad_decisions_are_refused_with_what_to_do_on_sqlite,
    bad_decisions_are_refused_with_what_to_do_on_postgres,
    "refuse",
    refused
);

async fn refused(server: &Server) {
    let revision = Consent::banner_revision::<Site>();
    let page = "http://127.0.0.1/";
    let cases: [(String, u16, &str); 6] = [
        (
            decision(&["necessary"], revision ^ 1, "a", page),
            409,
            "reload the page and choose again",
        ),
        (
            decision(&["necessary", "advertising"], revision, "a", page),
            422,
            "unknown category `advertising`: this policy's categories are necessary, statistical",
        ),
        (
            decision(&["necessary", "marketing"], revision, "a", page),
            422,
            "unknown category `marketing`",
        ),
        (
            "{not json".to_owned(),
            400,
            "the body is not the JSON of a decision",
        ),
        (
            "{\"cookie\": {\"revision\": 1}}".to_owned(),
            400,
            "the decision has no `categories`",
        ),
        (
            decision(&["necessary"], revision, &"x".repeat(20_000), page),
            413,
            "a decision is at most 16384 bytes",
        ),
    ];
    for (body, status, message) in cases {
        let (got, answer) = server.post(&body).await;
        assert_eq!(got, status, "{answer}");
        let error = answer["error"].as_str().unwrap_or_default();
        assert!(error.contains(message), "{status}: {error}");
    }
    // Nothing of the above was recorded.
    assert!(server.store.since(0).await.unwrap().is_empty());
}

on_each_backend!(
/// Strings that look like SQL are either refused (a consent id must look
/// like one) or kept verbatim, never run.
    sql_looking_strings_are_stored_verbatim_on_sqlite,
    sql_looking_strings_are_stored_verbatim_on_postgres,
    "sql",
    verbatim
);

async fn verbatim(server: &Server) {
    let revision = Consent::banner_revision::<Site>();
    let page = "http://127.0.0.1/?q='); DROP TABLE consents; --";
    let (status, body) = server
        .post(&decision(
            &["necessary"],
            revision,
            "'; DELETE FROM consents; --",
            page,
        ))
        .await;
    assert_eq!(status, 201, "{body}");
    // The id was not one the banner writes: it is not kept.
    let records = server.store.since(0).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].page, page);
    assert_eq!(records[0].banner_consent_id, None);
    assert_eq!(records[0].receipt, body["receipt"].as_str().unwrap());
}

on_each_backend!(
/// The native flow: the server sets the consent cookie itself and records
/// the decision.
    a_decision_the_server_makes_is_recorded_too_on_sqlite,
    a_decision_the_server_makes_is_recorded_too_on_postgres,
    "native",
    native
);

async fn native(server: &Server) {
    let response = server
        .client
        .post(format!("{}/consent?accept=statistical", server.base))
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let records = server.store.since(0).await.unwrap();
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].origin, Origin::Server);
    assert_eq!(
        records[0].accepted,
        [Category::Necessary, Category::Statistical]
    );
}

on_each_backend!(
/// A visitor's history is theirs: a body naming another visitor's id, or a
/// forged visitor cookie, starts a new history; a visitor who carries their
/// own cookie back stays in theirs.
    foreign_ids_never_join_a_history_on_sqlite,
    foreign_ids_never_join_a_history_on_postgres,
    "foreign",
    foreign_ids
);

async fn foreign_ids(server: &Server) {
    let revision = Consent::banner_revision::<Site>();
    let page = "http://127.0.0.1/";
    let post = |body: String, cookie: Option<String>| {
        let mut request = server
            .client
            .post(format!("{}/consent", server.base))
            .header("content-type", "application/json")
            .header("sec-fetch-site", "same-origin")
            .body(body);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        async move {
            let response = request.send().await.unwrap();
            let visitor = response
                .headers()
                .get_all("set-cookie")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .find(|value| value.starts_with("cp_visitor="))
                .map(|value| value.split(';').next().unwrap().to_owned());
            (response.status().as_u16(), visitor)
        }
    };
    // The victim decides, and gets their cookie.
    let (status, victim_cookie) =
        post(decision(&["necessary"], revision, "victim-1", page), None).await;
    assert_eq!(status, 201);
    let victim_cookie = victim_cookie.unwrap();
    let victim = server.store.since(0).await.unwrap()[0].consent_id.clone();
    // The attacker names the victim's history in the body: a new history.
    let (status, _) = post(
        decision(&["necessary", "statistical"], revision, &victim, page),
        None,
    )
    .await;
    assert_eq!(status, 201);
    // …forges a cookie with the victim's id and a made-up tag: a new one.
    let forged = format!("cp_visitor={victim}.{}", "0".repeat(32));
    let (status, new_cookie) = post(
        decision(&["necessary", "statistical"], revision, "x", page),
        Some(forged),
    )
    .await;
    assert_eq!(status, 201);
    assert!(new_cookie.is_some(), "a forged cookie is replaced");
    // The victim, carrying their own cookie, stays in their history.
    let (status, again) = post(
        decision(&["necessary", "statistical"], revision, "victim-1", page),
        Some(victim_cookie),
    )
    .await;
    assert_eq!(status, 201);
    assert!(again.is_none(), "a known visitor keeps their cookie");
    let history = server.store.decisions(&victim).await.unwrap();
    assert_eq!(history.len(), 2, "{history:#?}");
    assert!(
        history
            .iter()
            .all(|record| record.banner_consent_id.as_deref() == Some("victim-1"))
    );
    let all = server.store.since(0).await.unwrap();
    assert_eq!(all.len(), 4);
    let histories: std::collections::HashSet<&str> =
        all.iter().map(|r| r.consent_id.as_str()).collect();
    assert_eq!(histories.len(), 3, "{all:#?}");
}

on_each_backend!(
/// A client that floods the endpoint gets its burst stored, and no more;
/// what it sent first is kept, and another client is unaffected. A NUL
/// byte is refused with 422 (PostgreSQL's text cannot hold it).
    a_flood_is_bounded_and_a_nul_refused_on_sqlite,
    a_flood_is_bounded_and_a_nul_refused_on_postgres,
    "flood",
    flood
);

async fn flood(server: &Server) {
    let revision = Consent::banner_revision::<Site>();
    // A maximum-size decision: the page fills the body's limit.
    let long_page = format!("http://127.0.0.1/?{}", "x".repeat(15_000));
    let mut stored = 0;
    let mut refused = 0;
    for n in 0..1_000 {
        let categories: &[&str] = if n % 2 == 0 {
            &["necessary"]
        } else {
            &["necessary", "statistical"]
        };
        let (status, _) = server
            .post(&decision(categories, revision, "flood", &long_page))
            .await;
        match status {
            201 => stored += 1,
            429 => refused += 1,
            other => panic!("{other}"),
        }
    }
    // `DecisionLimit::default()`: a burst of 10 (docs/consent-log.md).
    assert_eq!((stored, refused), (10, 990));
    assert_eq!(server.store.since(0).await.unwrap().len(), 10);
    // Another client: its own bucket.
    let response = server
        .client
        .post(format!("{}/consent", server.base))
        .header("content-type", "application/json")
        .header("sec-fetch-site", "same-origin")
        .header("x-forwarded-for", "198.51.100.7")
        .body(decision(
            &["necessary"],
            revision,
            "other",
            "http://127.0.0.1/\u{0}",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status().as_u16(),
        422,
        "{}",
        response.text().await.unwrap()
    );
    assert_eq!(server.store.since(0).await.unwrap().len(), 10);
}

/// Many writers keep one chain: two servers' logs on the same database
/// (each its own store, opened at once on a fresh log, so that their
/// migrations race too) record 100 decisions each, all at once; the chain
/// read through a third handle verifies whole, holds every receipt, and
/// has as many links as records. What `docs/consent-log.md` ("One writer
/// at a time, no forks") and `docs/serve.md` (a fleet on one PostgreSQL)
/// promise.
async fn many_writers(backend: Backend) {
    use cookie_policy_consent_log::{Context, chain};
    const EACH: usize = 100;
    let (stores, reader, dir): (Vec<Store>, Store, Option<std::path::PathBuf>) = match backend {
        Backend::Sqlite => {
            let dir = cookie_policy_tests::scratch_dir("log-writers");
            let path = dir.join("consents.sqlite");
            let (first, second) = std::thread::scope(|scope| {
                let first = scope.spawn(|| SqliteStore::open(&path).unwrap());
                let second = scope.spawn(|| SqliteStore::open(&path).unwrap());
                (first.join().unwrap(), second.join().unwrap())
            });
            (
                vec![Arc::new(first), Arc::new(second)],
                Arc::new(SqliteStore::open(&path).unwrap()),
                Some(dir),
            )
        }
        Backend::Postgres => {
            let url = postgres_url();
            let schema = cookie_policy_tests::postgres_schema("log_writers");
            // The schema made fresh once; two pools on it, as two servers.
            let first_pool = cookie_policy_tests::postgres_pool(&url, &schema).await;
            let second_pool = cookie_policy_consent_log_postgres::PostgresStore::pool(
                &cookie_policy_tests::postgres_url_in(&url, &schema),
                16,
            )
            .unwrap();
            let (first, second) = tokio::join!(
                PostgresStore::new(first_pool.clone()),
                PostgresStore::new(second_pool)
            );
            (
                vec![Arc::new(first.unwrap()), Arc::new(second.unwrap())],
                Arc::new(PostgresStore::new(first_pool).await.unwrap()),
                None,
            )
        }
    };
    let logs: Vec<Arc<ConsentLog>> = stores
        .into_iter()
        .map(|store| Arc::new(ConsentLog::new::<Site>(Shared(store))))
        .collect();
    let mut tasks = tokio::task::JoinSet::new();
    for index in 0..EACH {
        for log in &logs {
            let log = Arc::clone(log);
            let consent = if index % 2 == 0 {
                Consent::necessary_only()
            } else {
                Consent::necessary_only().grant(Category::Statistical)
            };
            tasks.spawn(async move {
                log.record(consent, Context::default(), Origin::Server)
                    .await
                    .unwrap()
                    .receipt
            });
        }
    }
    let mut receipts: Vec<String> = tasks.join_all().await;
    receipts.sort();
    let records = reader.since(0).await.unwrap();
    let mut stored: Vec<String> = records
        .iter()
        .map(|record| record.receipt.clone())
        .collect();
    stored.sort();
    assert_eq!(stored, receipts);
    let checkpoint = chain::verify(&reader.chain().await.unwrap(), None).unwrap();
    assert_eq!(checkpoint.size, u64::try_from(2 * EACH).unwrap());
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_writers_keep_one_chain_on_sqlite() {
    many_writers(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (COOKIE_POLICY_POSTGRES=postgres://...)"]
async fn many_writers_keep_one_chain_on_postgres() {
    many_writers(Backend::Postgres).await;
}
