//! `cookie-policy serve` as a user runs it: the binary in front of a real
//! upstream on 127.0.0.1, its flags, its memory on a 1 GiB response
//! (measured from /proc), its shutdown on SIGTERM.

#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    reason = "a failed test panics"
)]

use std::io::{BufRead as _, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::routing::get;
use bytes::Bytes;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use crate::common::{run, workspace};

/// A scratch directory of this test.
fn scratch(name: &str) -> PathBuf {
    cookie_policy_tests::scratch_dir(&format!("serve-{name}"))
}

/// `cookie-policy serve` with `args`, and the address it listens on, read
/// from its log (it is started on port 0).
fn start(dir: &Path, upstream: SocketAddr, args: &[&str]) -> (Child, SocketAddr) {
    let policy = workspace().join("policy.toml");
    let mut command = Command::new(env!("CARGO_BIN_EXE_cookie-policy"));
    command
        .arg("serve")
        .arg("--policy")
        .arg(&policy)
        .args(["--upstream", &format!("http://{upstream}")])
        .args(["--listen", "127.0.0.1:0"]);
    if !args.contains(&"--log") {
        command.arg("--log").arg(dir.join("consents.sqlite3"));
    }
    let mut child = command
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let address = loop {
        let Some(Ok(line)) = lines.next() else {
            panic!("cookie-policy serve ended before listening");
        };
        if let Some(rest) = line.split("listening on http://").nth(1) {
            break rest.split(',').next().unwrap().parse().unwrap();
        }
    };
    // Keep draining its log so that it never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.by_ref() {});
    (child, address)
}

/// An upstream on 127.0.0.1: `/big` streams `size` bytes generated as they
/// go (one 64 KiB chunk shared, never the whole body), `/slow` answers
/// after a second.
async fn upstream(size: u64) -> SocketAddr {
    const CHUNK: usize = 64 * 1024;
    let app = axum::Router::new()
        .route(
            "/big",
            get(move || async move {
                let chunk = Bytes::from(vec![b'x'; CHUNK]);
                let chunks = size.div_ceil(CHUNK as u64);
                let stream = futures_util::stream::iter(
                    (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
                );
                (
                    [("set-cookie", "_ga=GA1.2; Path=/")],
                    Body::from_stream(stream),
                )
            }),
        )
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(1)).await;
                "finished"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    address
}

/// The peak resident memory of process `pid`, from /proc, in bytes.
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .unwrap();
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

/// Sends a GET for `path` and counts the response's bytes (head and body).
async fn get_counting(proxy: SocketAddr, path: &str) -> (String, u64) {
    let mut stream = tokio::net::TcpStream::connect(proxy).await.unwrap();
    stream
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: shop.test\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
        .unwrap();
    let mut buffer = vec![0; 256 * 1024];
    let mut head = Vec::new();
    let mut total = 0u64;
    loop {
        let read = stream.read(&mut buffer).await.unwrap();
        if read == 0 {
            break;
        }
        if head.len() < 4096 {
            head.extend_from_slice(&buffer[..read.min(4096)]);
        }
        total += read as u64;
    }
    (String::from_utf8_lossy(&head).into_owned(), total)
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait(child: &mut Child, limit: Duration) -> Option<i32> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    panic!("cookie-policy serve did not stop within {limit:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_1_gib_response_streams_through_serve_in_under_64_mib() {
    const GIB: u64 = 1 << 30;
    let dir = scratch("big");
    let upstream = upstream(GIB).await;
    let (mut child, proxy) = start(&dir, upstream, &[]);
    let (head, total) = get_counting(proxy, "/big").await;
    let peak = peak_rss(child.id());
    eprintln!(
        "cookie-policy serve: peak RSS {} KiB after {total} bytes",
        peak >> 10
    );
    sigterm(&child);
    assert_eq!(wait(&mut child, Duration::from_secs(10)), Some(0));
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    // The undeclared cookie was judged on the way.
    assert!(!head.to_ascii_lowercase().contains("set-cookie"), "{head}");
    assert!(total > GIB, "{total} bytes");
    assert!(peak < 64 << 20, "peak RSS {} MiB", peak >> 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_lets_the_request_in_flight_finish() {
    let dir = scratch("term");
    let upstream = upstream(0).await;
    let (mut child, proxy) = start(&dir, upstream, &[]);
    let request = tokio::spawn(async move { get_counting(proxy, "/slow").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    sigterm(&child);
    let (answer, _) = request.await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("finished"), "{answer}");
    assert_eq!(wait(&mut child, Duration::from_secs(10)), Some(0));
    // Stopped: nothing listens any more.
    assert!(tokio::net::TcpStream::connect(proxy).await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_banner_decision_posted_through_serve_is_in_the_sqlite_log() {
    let dir = scratch("log");
    let log = dir.join("consents.sqlite3");
    decision_through_serve(&dir, log.to_str().unwrap()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL (COOKIE_POLICY_POSTGRES=postgres://...)"]
async fn a_banner_decision_posted_through_serve_is_in_the_postgres_log() {
    let dir = scratch("postgres");
    let url = cookie_policy_tests::postgres_url();
    let schema = cookie_policy_tests::postgres_schema("serve_log");
    // A fresh schema, and serve's connections working in it.
    drop(cookie_policy_tests::postgres_pool(&url, &schema).await);
    let log = cookie_policy_tests::postgres_url_in(&url, &schema);
    decision_through_serve(&dir, &log).await;
}

/// Posts a banner decision to serve's consent endpoint, with `log` as its
/// consent log, and reads it back with `consents export`.
async fn decision_through_serve(dir: &Path, log: &str) {
    let upstream = upstream(0).await;
    let (mut child, proxy) = start(dir, upstream, &["--log", log]);
    let revision = cookie_policy::Consent::banner_revision::<cookie_policy::Platform>();
    let body = format!(
        r#"{{"cookie":{{"categories":["necessary"],"revision":{revision},"consentId":"serve-test-7"}},"page":"http://shop.test/"}}"#
    );
    let request = format!(
        "POST /_cookie-policy/consent HTTP/1.1\r\nHost: shop.test\r\nSec-Fetch-Site: same-origin\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(proxy).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    // Read back by the command that reads logs, while serve still runs.
    let export = Command::new(env!("CARGO_BIN_EXE_cookie-policy"))
        .arg("consents")
        .arg("--log")
        .arg(log)
        .args(["export", "--format", "json"])
        .output()
        .unwrap();
    let exported = String::from_utf8_lossy(&export.stdout);
    assert_eq!(
        export.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    assert!(exported.contains("serve-test-7"), "{exported}");
    sigterm(&child);
    assert_eq!(wait(&mut child, Duration::from_secs(10)), Some(0));
}

#[test]
fn bad_flags_exit_2_and_say_what_to_give() {
    let dir = scratch("flags");
    let policy = workspace().join("policy.toml");
    let policy = policy.to_str().unwrap();
    for (args, expected) in [
        (
            vec!["--upstream", "127.0.0.1:8000"],
            "give the application's address, e.g. `http://127.0.0.1:8000`",
        ),
        (
            vec!["--upstream", "https://127.0.0.1:8000"],
            "give its http:// address",
        ),
        (
            vec!["--upstream", "http://127.0.0.1:8000/app"],
            "give only `http://host:port`",
        ),
        (
            vec![
                "--upstream",
                "http://127.0.0.1:8000",
                "--listen",
                "localhost",
            ],
            "give an IP address and a port, such as `--listen 127.0.0.1:8080`",
        ),
        (
            vec!["--upstream", "http://127.0.0.1:8000", "--prefix", "/"],
            "give one such as `/_cookie-policy/`",
        ),
        (
            vec![
                "--upstream",
                "http://127.0.0.1:8000",
                "--connect-timeout",
                "0",
            ],
            "give --connect-timeout a duration in seconds",
        ),
        (
            vec![
                "--upstream",
                "http://127.0.0.1:8000",
                "--visitor-key",
                "missing.key",
            ],
            "openssl rand -hex 32",
        ),
        (
            vec![
                "--upstream",
                "http://127.0.0.1:8000",
                "--response-timeout",
                "inf",
            ],
            "give --response-timeout a duration in seconds",
        ),
        (
            vec![
                "--upstream",
                "http://127.0.0.1:8000",
                "--origin",
                "shop.example",
            ],
            "for example `--origin https://shop.example`",
        ),
        (
            vec![
                "--upstream",
                "http://127.0.0.1:8000",
                "--listen",
                "127.0.0.1:0",
                "--log",
                "no/such/directory/consents.sqlite",
            ],
            "give --log a SQLite file in a directory the proxy may write",
        ),
    ] {
        let output = run(&dir, &[&["serve", "--policy", policy], &args[..]].concat());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    // A policy with mistakes exits 1, with the compiler's messages.
    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "[site]\nname = 1\n").unwrap();
    let output = run(
        &dir,
        &[
            "serve",
            "--upstream",
            "http://127.0.0.1:8000",
            "--policy",
            broken.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("would not compile it"));
}
