//! What the consent layer costs a response, against the bare router and
//! against tower-cookies' `CookieManagerLayer` (a well-known layer that
//! reads the same headers), measured in the same run.
//!
//! The router is what a new user writes: one handler that sets four cookies
//! (a session, a CSRF token, a Matomo visitor id and an undeclared Google
//! Analytics cookie). The request carries six cookies, among them the
//! consent the vanilla-cookieconsent banner wrote (URL-encoded JSON,
//! statistics accepted), as a returning visitor's browser sends them.
//!
//! - `in_process`: the router called directly, no network: the layers' own
//!   cost;
//! - `loopback`: a real HTTP/1.1 round trip on 127.0.0.1 with a keep-alive
//!   client, as a browser sees it.
//!
//! `cargo bench -p cookie-policy-benches --bench layer`

use std::hint::black_box;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum::http::header::{HeaderMap, HeaderValue, SET_COOKIE};
use axum::routing::get;
use axum_consent::Site;
use cookie_policy::Consent;
use cookie_policy::layer::ConsentLayer;
use criterion::{Criterion, criterion_group, criterion_main};
use tower_service::Service;

/// The handler: four `Set-Cookie`s and a short body.
async fn handler() -> (HeaderMap, &'static str) {
    let mut headers = HeaderMap::new();
    for cookie in [
        "sessionid=s3ss10n; Path=/; HttpOnly; SameSite=Lax",
        "csrftoken=t0k3n; Path=/; SameSite=Lax",
        "_pk_id.1.f00d=visitor.1700000000; Path=/; Max-Age=34186698",
        "_ga=GA1.1.123.456; Path=/; Max-Age=63072000",
    ] {
        headers.append(SET_COOKIE, HeaderValue::from_static(cookie));
    }
    (headers, "ok")
}

#[derive(Clone, Copy)]
enum Setup {
    Bare,
    ConsentLayer,
    TowerCookies,
}

fn router(setup: Setup) -> Router {
    let router = Router::new().route("/", get(handler));
    match setup {
        Setup::Bare => router,
        Setup::ConsentLayer => router.layer(ConsentLayer::<Site>::new()),
        Setup::TowerCookies => router.layer(tower_cookies::CookieManagerLayer::new()),
    }
}

/// The six cookies a returning visitor sends, the banner's consent among
/// them.
fn cookie_header() -> String {
    let revision = Consent::banner_revision::<Site>();
    let consent = format!(
        "{{\"categories\":[\"necessary\",\"statistical\"],\"revision\":{revision},\"data\":null,\"consentTimestamp\":\"2026-11-30T06:00:00.000Z\",\"consentId\":\"8c3a0e52-5f3b-4d3e-9a57-0a9d4a7f1b2c\",\"services\":{{\"necessary\":[],\"statistical\":[]}},\"languageCode\":\"en\",\"lastConsentTimestamp\":\"2026-11-30T06:00:00.000Z\",\"expirationTime\":1780000000000}}"
    );
    let encoded: String = consent
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!(
        "sessionid=s3ss10n; csrftoken=t0k3n; django_language=fr; _pk_id.1.f00d=visitor.1700000000; _ga=GA1.1.123.456; cookies_preferences={encoded}"
    )
}

const SETUPS: [(&str, Setup); 3] = [
    ("bare", Setup::Bare),
    ("consent_layer", Setup::ConsentLayer),
    ("tower_cookies", Setup::TowerCookies),
];

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap_or_else(|error| panic!("tokio runtime: {error}"));
    let cookies = cookie_header();
    let request = || {
        Request::get("/")
            .header("cookie", &cookies)
            .body(Body::empty())
            .unwrap_or_default()
    };

    let mut group = c.benchmark_group("in_process");
    for (name, setup) in SETUPS {
        let router = router(setup);
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| {
                let mut router = router.clone();
                let request = request();
                async move { black_box(router.call(request).await) }
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("loopback");
    for (name, setup) in SETUPS {
        let address = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let address = listener.local_addr()?;
            tokio::spawn(async move { axum::serve(listener, router(setup)).await });
            std::io::Result::Ok(address)
        });
        let url = format!(
            "http://{}/",
            address.unwrap_or_else(|error| panic!("bind: {error}"))
        );
        let client = reqwest::Client::new();
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| async {
                let response = client.get(&url).header("cookie", &cookies).send().await;
                black_box(response.map(|r| r.headers().len()).ok())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
