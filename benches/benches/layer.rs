//! What the consent layer costs a response, against the bare router and
//! against tower-cookies' `CookieManagerLayer`, measured in the same run.
//!
//! The router is what a new user writes: one handler that sets four cookies
//! (a session, a CSRF token, a Matomo visitor id and an undeclared Google
//! Analytics cookie). The setups:
//!
//! - `bare`: the router alone;
//! - `consent_layer`: the same router behind `ConsentLayer`;
//! - `tower_cookies`: behind tower-cookies' `CookieManagerLayer`, with a
//!   handler that uses the jar as a tower-cookies user would: it reads one
//!   cookie and adds the same four;
//! - `pass_through`: behind a layer that does nothing, applied with
//!   `Router::layer`: what axum's wrapping of a layered route costs any
//!   layer before its own work;
//! - `consent_around_router`: the bare router inside a `ConsentService`
//!   (the layer applied to the whole router, not through `Router::layer`,
//!   which wraps each route in one more boxed service): what the layer
//!   costs without axum's per-route wrapping.
//!
//! Each router is called as `axum::serve` runs it: finalized once with
//! `with_state(())` (what `Router::into_make_service` does), so that its
//! handlers are made into routes once, not on every call.
//!
//! Three request shapes (group `layer`, one id per shape and setup):
//!
//! - `new_visitor`: a first request, no `Cookie` header at all (no consent
//!   yet: the layer removes the Matomo and `_ga` headers);
//! - `returning_granted`: six cookies, among them the consent the
//!   vanilla-cookieconsent banner wrote (about 480 bytes of URL-encoded
//!   JSON), statistics accepted (the layer removes `_ga`);
//! - `returning_refused`: the same six, statistics refused while the
//!   Matomo cookie is still in the jar (the layer removes two headers and
//!   adds a deletion).
//!
//! A second group, `layer_added`, measures the layer's cost in pairs, for
//! each shape: within each sample the bare and the layered router serve
//! alternating blocks of 128 requests, and the sample is the layered
//! blocks' time less the bare blocks' (on a shared machine, the setups of
//! `layer`, measured seconds apart, can see different machines).
//!
//! A third group, `loopback`, does a real HTTP/1.1 round trip on
//! 127.0.0.1 with a keep-alive client for the returning visitor who
//! granted statistics, as a browser sees it.
//!
//! `cargo bench -p cookie-policy-benches --bench layer -- --warm-up-time 2 --measurement-time 5`

use std::hint::black_box;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use axum::http::header::{HeaderMap, HeaderValue, SET_COOKIE};
use axum::routing::get;
use axum::{Extension, Router};
use axum_consent::Site;
use cookie_policy::layer::{ConsentLayer, ConsentService};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use tower_cookies::cookie::SameSite;
use tower_cookies::{Cookie, Cookies};
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

/// The handler a tower-cookies user writes: it reads the session from the
/// jar and adds the same four cookies to it.
async fn jar_handler(Extension(cookies): Extension<Cookies>) -> &'static str {
    black_box(cookies.get("sessionid"));
    cookies.add(
        Cookie::build(("sessionid", "s3ss10n"))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .build(),
    );
    cookies.add(
        Cookie::build(("csrftoken", "t0k3n"))
            .path("/")
            .same_site(SameSite::Lax)
            .build(),
    );
    cookies.add(
        Cookie::build(("_pk_id.1.f00d", "visitor.1700000000"))
            .path("/")
            .max_age(tower_cookies::cookie::time::Duration::seconds(34_186_698))
            .build(),
    );
    cookies.add(
        Cookie::build(("_ga", "GA1.1.123.456"))
            .path("/")
            .max_age(tower_cookies::cookie::time::Duration::seconds(63_072_000))
            .build(),
    );
    "ok"
}

/// A layer that does nothing: what any layer applied with `Router::layer`
/// costs before its own work (axum boxes each layered route's service and
/// future).
#[derive(Clone, Copy)]
struct PassThrough;

impl<S> tower_layer::Layer<S> for PassThrough {
    type Service = PassThroughService<S>;

    fn layer(&self, inner: S) -> PassThroughService<S> {
        PassThroughService(inner)
    }
}

#[derive(Clone)]
struct PassThroughService<S>(S);

impl<S: Service<R>, R> Service<R> for PassThroughService<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(
        &mut self,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, request: R) -> S::Future {
        self.0.call(request)
    }
}

#[derive(Clone, Copy)]
enum Setup {
    Bare,
    PassThrough,
    ConsentLayer,
    TowerCookies,
}

fn router(setup: Setup) -> Router {
    match setup {
        Setup::Bare => Router::new().route("/", get(handler)),
        Setup::PassThrough => Router::new().route("/", get(handler)).layer(PassThrough),
        Setup::ConsentLayer => Router::new()
            .route("/", get(handler))
            .layer(ConsentLayer::<Site>::new()),
        Setup::TowerCookies => Router::new()
            .route("/", get(jar_handler))
            .layer(tower_cookies::CookieManagerLayer::new()),
    }
}

/// How many requests each router of a pair serves in turn
/// (`layer_added`): enough that switching between them costs little, few
/// enough that both see the same machine.
const PAIRED_BLOCK: u64 = 128;

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
    let granted = inputs::cookie_header(true);
    let refused = inputs::cookie_header(false);
    let shapes: [(&str, Option<&str>); 3] = [
        ("new_visitor", None),
        ("returning_granted", Some(&granted)),
        ("returning_refused", Some(&refused)),
    ];
    let request = |cookies: Option<&str>| {
        let request = Request::get("/");
        let request = match cookies {
            Some(cookies) => request.header("cookie", cookies),
            None => request,
        };
        request.body(Body::empty()).unwrap_or_default()
    };

    let mut group = c.benchmark_group("layer");
    for (shape, cookies) in shapes {
        for (name, setup) in SETUPS {
            let router = router(setup).with_state(());
            group.bench_function(BenchmarkId::new(shape, name), |b| {
                b.to_async(&runtime).iter(|| {
                    let mut router = router.clone();
                    let request = request(cookies);
                    async move { black_box(router.call(request).await) }
                })
            });
        }
        let pass_through = router(Setup::PassThrough).with_state(());
        group.bench_function(BenchmarkId::new(shape, "pass_through"), |b| {
            b.to_async(&runtime).iter(|| {
                let mut router = pass_through.clone();
                let request = request(cookies);
                async move { black_box(router.call(request).await) }
            })
        });
        let around = ConsentService::<_, Site>::new(router(Setup::Bare).with_state(()));
        group.bench_function(BenchmarkId::new(shape, "consent_around_router"), |b| {
            b.to_async(&runtime).iter(|| {
                let mut service = around.clone();
                let request = request(cookies);
                async move { black_box(service.call(request).await) }
            })
        });
    }
    group.finish();

    // The layer's cost measured in pairs: within each sample, the bare and
    // the layered router serve alternating blocks of requests, and the
    // sample is the layered blocks' time less the bare blocks'. Whatever
    // slows a shared machine for a while slows both halves of a pair,
    // where the setups above are measured in windows seconds apart.
    let mut group = c.benchmark_group("layer_added");
    for (shape, cookies) in shapes {
        let bare = router(Setup::Bare).with_state(());
        let layered = router(Setup::ConsentLayer).with_state(());
        group.bench_function(BenchmarkId::new(shape, "consent_layer"), |b| {
            b.to_async(&runtime).iter_custom(|iters| {
                let (bare, layered) = (bare.clone(), layered.clone());
                async move {
                    let (mut without, mut with) = (Duration::ZERO, Duration::ZERO);
                    let mut left = iters;
                    while left > 0 {
                        let block = left.min(PAIRED_BLOCK);
                        for (router, total) in [(&bare, &mut without), (&layered, &mut with)] {
                            let start = Instant::now();
                            for _ in 0..block {
                                let mut router = router.clone();
                                black_box(router.call(request(cookies)).await.ok());
                            }
                            *total += start.elapsed();
                        }
                        left -= block;
                    }
                    with.saturating_sub(without)
                }
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
                let response = client.get(&url).header("cookie", &granted).send().await;
                black_box(response.map(|r| r.headers().len()).ok())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
