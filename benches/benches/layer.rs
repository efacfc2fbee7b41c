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
//!   cost; `consent_layer_refused` is a visitor who refused statistics but
//!   still holds the Matomo cookie, so the layer also removes its
//!   `Set-Cookie` and deletes it (the slow path);
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
use cookie_policy::layer::ConsentLayer;
use criterion::{Criterion, criterion_group, criterion_main};
use tower_service::Service;

#[path = "common/layer_inputs.rs"]
mod inputs;

/// The handler: four `Set-Cookie`s and a short body.
async fn handler() -> (HeaderMap, &'static str) {
    let mut headers = HeaderMap::new();
    for cookie in inputs::SET_COOKIES {
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
    let cookies = inputs::cookie_header(true);
    let refused = inputs::cookie_header(false);
    let request = |cookies: &str| {
        Request::get("/")
            .header("cookie", cookies)
            .body(Body::empty())
            .unwrap_or_default()
    };

    let mut group = c.benchmark_group("in_process");
    let refusing = ("consent_layer_refused", Setup::ConsentLayer);
    for (name, setup) in SETUPS.into_iter().chain([refusing]) {
        let router = router(setup);
        let cookies = if name == refusing.0 {
            &refused
        } else {
            &cookies
        };
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| {
                let mut router = router.clone();
                let request = request(cookies);
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
