//! How many decisions the consent log records per second, and how long one
//! waits: 64 concurrent HTTP/1.1 clients on loopback post banner decisions
//! to `POST /consent` (the `ConsentEndpoint` alone, served by axum in the
//! same process), on SQLite and, when `COOKIE_POLICY_POSTGRES` names a
//! server, on PostgreSQL.
//!
//! Criterion times bursts of 1,280 decisions (`thrpt` is decisions per
//! second); the p50 and p99 latency of single decisions, over the bursts
//! of the run, are printed after each backend.
//!
//! `COOKIE_POLICY_POSTGRES=postgres://... cargo bench -p cookie-policy-benches --bench consent_log`

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum_consent::Site;
use cookie_policy::Consent;
use cookie_policy_consent_log::endpoint::ConsentEndpoint;
use cookie_policy_consent_log::limit::DecisionLimit;
use cookie_policy_consent_log::{ConsentLog, ConsentStore};
use cookie_policy_consent_log_postgres::PostgresStore;
use cookie_policy_consent_log_sqlite::SqliteStore;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const CLIENTS: usize = 64;
const BURST: usize = 1280;

async fn serve(store: impl ConsentStore) -> String {
    let log = ConsentLog::new::<Site>(store);
    // The 64 clients share one address, so one bucket of the per-client
    // limit: a burst as large as the run keeps the limit's bookkeeping in
    // the measure without refusing the run's own decisions.
    let endpoint =
        ConsentEndpoint::new(log).limit(DecisionLimit::new(u32::MAX, Duration::from_secs(1)));
    let router = Router::new().route_service("/consent", endpoint);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/consent")
}

/// Posts one burst over `CLIENTS` connections; pushes each decision's
/// latency.
async fn burst(
    client: &reqwest::Client,
    url: &str,
    next: &AtomicU64,
    latencies: &Mutex<Vec<Duration>>,
) {
    let revision = Consent::banner_revision::<Site>();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, url) = (client.clone(), url.to_owned());
        let ids: Vec<u64> = (0..BURST / CLIENTS)
            .map(|_| next.fetch_add(1, Ordering::Relaxed))
            .collect();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(ids.len());
            for id in ids {
                let body = format!(
                    "{{\"cookie\":{{\"categories\":[\"necessary\",\"statistical\"],\"revision\":{revision},\"consentId\":\"00000000-0000-4000-8000-{id:012x}\",\"languageCode\":\"en\"}},\"page\":\"http://127.0.0.1/\"}}"
                );
                let start = Instant::now();
                let response = client
                    .post(&url)
                    .header("content-type", "application/json")
                    // What a browser sends with the banner's fetch: the
                    // endpoint takes only the site's own pages' requests.
                    .header("sec-fetch-site", "same-origin")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201, "{:?}", response.text().await);
                times.push(start.elapsed());
            }
            times
        }));
    }
    for task in tasks {
        let times = task.await.unwrap();
        latencies.lock().unwrap().extend(times);
    }
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("cookie-policy-bench-log-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut backends = vec![(
        "sqlite",
        runtime.block_on(serve(
            SqliteStore::open(dir.join("consents.sqlite")).unwrap(),
        )),
    )];
    if let Ok(url) = std::env::var("COOKIE_POLICY_POSTGRES") {
        let address = runtime.block_on(async {
            let schema = cookie_policy_tests::postgres_schema("bench");
            let pool = cookie_policy_tests::postgres_pool(&url, &schema).await;
            serve(PostgresStore::new(pool).await.unwrap()).await
        });
        backends.push(("postgres", address));
    } else {
        eprintln!("PostgreSQL skipped: COOKIE_POLICY_POSTGRES is not set");
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap();
    let next = Arc::new(AtomicU64::new(0));
    let mut group = c.benchmark_group("consent_log");
    group.throughput(Throughput::Elements(BURST as u64));
    group.sample_size(20);
    for (name, url) in &backends {
        let latencies: Mutex<Vec<Duration>> = Mutex::default();
        group.bench_function(*name, |b| {
            b.to_async(&runtime)
                .iter(|| burst(&client, url, &next, &latencies));
        });
        let mut latencies = latencies.into_inner().unwrap();
        latencies.sort();
        let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q) as usize];
        eprintln!(
            "consent_log/{name}: {} decisions, latency p50 {:.2} ms, p99 {:.2} ms",
            latencies.len(),
            at(0.50).as_secs_f64() * 1000.0,
            at(0.99).as_secs_f64() * 1000.0
        );
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
