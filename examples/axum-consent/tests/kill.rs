//! No acknowledged consent is lost: a burst of decisions is posted to the
//! example server by 64 concurrent clients, the server process is killed
//! (SIGKILL) in the middle of it, restarted on the same log, and every
//! decision that was answered with a 2xx must be in the log. On SQLite, and
//! on PostgreSQL (ignored by default: run with `--include-ignored` and
//! `COOKIE_POLICY_POSTGRES` naming one, as `.ci/run` does).

#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a test: a failure panics with its cause"
)]

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum_consent::Site;
use cookie_policy::Consent;
use cookie_policy_consent_log::ConsentStore;
use cookie_policy_consent_log_postgres::PostgresStore;
use cookie_policy_consent_log_sqlite::SqliteStore;

/// Starts the example binary on a free port with its log at `log` (a file
/// or a `postgres://` URL); returns the process and its base URL.
fn start(log: &std::ffi::OsStr) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_axum-consent"))
        .env("ADDRESS", "127.0.0.1:0")
        .env("CONSENT_LOG", log)
        // The clients stand for many visitors behind one proxy: each names
        // its own address, which the server believes from 127.0.0.1 only.
        .env("TRUSTED_PROXIES", "127.0.0.1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let base = lines
        .find_map(|line| line.ok()?.strip_prefix("listening on ").map(str::to_owned))
        .unwrap();
    // Keep reading, so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_decision_survives_a_kill_on_sqlite() {
    let dir = std::env::temp_dir().join(format!("cookie-policy-kill-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("consents.sqlite");
    survives_a_kill(log.as_os_str(), || async {
        SqliteStore::open(&log).unwrap().since(0).await.unwrap()
    })
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (COOKIE_POLICY_POSTGRES=postgres://...)"]
async fn every_acknowledged_decision_survives_a_kill_on_postgres() {
    let url = cookie_policy_tests::postgres_url();
    let schema = cookie_policy_tests::postgres_schema("kill");
    let pool = cookie_policy_tests::postgres_pool(&url, &schema).await;
    let log = cookie_policy_tests::postgres_url_in(&url, &schema);
    survives_a_kill(std::ffi::OsStr::new(&log), || async {
        PostgresStore::new(pool.clone())
            .await
            .unwrap()
            .since(0)
            .await
            .unwrap()
    })
    .await;
}

async fn survives_a_kill<
    F: std::future::Future<Output = Vec<cookie_policy_consent_log::ConsentRecord>>,
>(
    log: &std::ffi::OsStr,
    read: impl FnOnce() -> F,
) {
    let (mut server, base) = start(log);
    let revision = Consent::banner_revision::<Site>();
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let client = reqwest::Client::new();
    let mut clients = Vec::new();
    for task in 0..64u32 {
        let (client, base, acknowledged) = (client.clone(), base.clone(), acknowledged.clone());
        clients.push(tokio::spawn(async move {
            for n in 0..10_000u64 {
                let id = format!("{task:08x}-0000-4000-8000-{n:012x}");
                let body = format!(
                    "{{\"cookie\":{{\"categories\":[\"necessary\",\"statistical\"],\"revision\":{revision},\"consentId\":\"{id}\",\"languageCode\":\"en\"}},\"page\":\"{base}/\"}}"
                );
                let sent = client
                    .post(format!("{base}/consent"))
                    .header("content-type", "application/json")
                    .header("sec-fetch-site", "same-origin")
                    .header("x-forwarded-for", format!("10.{task}.{}.{}", n / 256 % 256, n % 256))
                    .body(body)
                    .send()
                    .await;
                match sent {
                    Ok(response) if response.status().is_success() => {
                        // The receipt names the record kept.
                        let Ok(body) = response.bytes().await else {
                            return;
                        };
                        let answer: serde_json::Value = serde_json::from_slice(&body).unwrap();
                        let receipt = answer["receipt"].as_str().unwrap_or_default();
                        assert!(!receipt.is_empty(), "{answer} for {id}");
                        acknowledged.lock().unwrap().push(receipt.to_owned());
                    }
                    // The server is gone: this client stops.
                    _ => return,
                }
            }
        }));
    }
    // Kill it mid-burst, once a good number of decisions were answered.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while acknowledged.lock().unwrap().len() < 500 && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    for client in clients {
        client.await.unwrap();
    }
    let acknowledged: Vec<String> = std::mem::take(&mut *acknowledged.lock().unwrap());
    assert!(
        acknowledged.len() >= 500,
        "only {} acknowledged",
        acknowledged.len()
    );

    // The server starts again on the same log…
    let (mut again, _) = start(log);
    again.kill().unwrap();
    again.wait().unwrap();
    // …and every acknowledged decision is in it.
    let kept: HashSet<String> = read()
        .await
        .into_iter()
        .map(|record| record.receipt)
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !kept.contains(*id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged decisions lost: {lost:?}",
        lost.len(),
        acknowledged.len()
    );
    eprintln!(
        "{} acknowledged, {} in the log after the kill",
        acknowledged.len(),
        kept.len()
    );
}
