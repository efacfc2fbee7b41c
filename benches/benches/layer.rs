//! What the consent layer costs a response, against the bare router and
//! against tower-cookies' `CookieManagerLayer`, measured in the same run.
//!
//! The router is what a new user writes: one handler that sets four cookies
//! (a session, a CSRF token, a Matomo visitor id and an undeclared Google
//! Analytics cookie). The setups:
//!
//! - `bare`: the router alone;
//! - `consent_layer`: `ConsentLayer` around the whole router, as
//!   `docs/consent.md` shows it;
//! - `tower_cookies`: tower-cookies' `CookieManagerLayer` around the whole
//!   router, with a handler that uses the jar as a tower-cookies user
//!   would: it reads one cookie and adds the same four;
//! - `consent_route_layer` and `tower_cookies_route_layer`: the same two
//!   layers applied with `Router::layer` (as tower-cookies' docs show it),
//!   which wraps each route in one more boxed service;
//! - `pass_through`: a layer that does nothing, applied with
//!   `Router::layer`: what that wrapping costs any layer before its own
//!   work.
//!
//! Each router is called as `axum::serve` runs it: finalized once with
//! `with_state(())` (what `Router::into_make_service` does), so that its
//! handlers are made into routes once, not on every call.
//!
//! Four request shapes (group `layer`, one id per shape and setup):
//!
//! - `new_visitor`: a first request, no `Cookie` header at all (no consent
//!   yet: the layer removes the Matomo and `_ga` headers);
//! - `returning_granted`: six cookies, among them the consent the
//!   vanilla-cookieconsent banner wrote (about 480 bytes of URL-encoded
//!   JSON), statistics accepted (the layer removes `_ga`);
//! - `returning_refused`: the same six, statistics refused while the
//!   Matomo cookie is still in the jar (the layer removes two headers and
//!   adds a deletion): the request that follows a withdrawal;
//! - `returning_refused_cleared`: the same visitor's next requests, once
//!   the deletion has taken: five cookies, statistics refused (the layer
//!   removes two headers).
//!
//! A second group, `layer_added`, measures the cost of `ConsentLayer`, in
//! both places, in pairs, for each shape: within each sample the bare and
//! the layered router serve alternating blocks of 128 requests, and the
//! sample is the layered blocks' time less the bare blocks' (on a shared
//! machine, the setups of `layer`, measured seconds apart, can see
//! different machines).
//!
//! A third group, `loopback`, does a real HTTP/1.1 round trip on
//! 127.0.0.1 with a keep-alive client for the returning visitor who
//! granted statistics, as a browser sees it: bare, `consent_layer` and
//! `tower_cookies`.
//!
//! `cargo bench -p cookie-policy-benches --bench layer -- --warm-up-time 2 --measurement-time 5`

use std::hint::black_box;
use std::time::{Duration, Instant};

use std::convert::Infallible;

use axum::body::Body;
use axum::http::Request;
use axum::http::header::{HeaderMap, HeaderValue, SET_COOKIE};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Router, ServiceExt};
use axum_consent::Site;
use cookie_policy::layer::{ConsentLayer, ConsentService};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;
use tower_cookies::cookie::SameSite;
use tower_cookies::{Cookie, CookieManager, CookieManagerLayer, Cookies};
use tower_layer::Layer as _;
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

/// The routers: the bare one, the one whose handler uses tower-cookies'
/// jar, and both with a layer applied through `Router::layer`. Each is
/// finalized as `axum::serve` finalizes it.
fn bare() -> Router {
    Router::new().route("/", get(handler)).with_state(())
}

fn jar_router() -> Router {
    Router::new().route("/", get(jar_handler)).with_state(())
}

fn pass_through() -> Router {
    Router::new()
        .route("/", get(handler))
        .layer(PassThrough)
        .with_state(())
}

fn consent_route_layer() -> Router {
    Router::new()
        .route("/", get(handler))
        .layer(ConsentLayer::<Site>::new())
        .with_state(())
}

fn tower_cookies_route_layer() -> Router {
    Router::new()
        .route("/", get(jar_handler))
        .layer(CookieManagerLayer::new())
        .with_state(())
}

/// The layer around the whole router, as `docs/consent.md` shows it.
fn consent_layer() -> ConsentService<Router, Site> {
    ConsentLayer::<Site>::new().layer(bare())
}

/// tower-cookies' layer around the whole router, likewise.
fn tower_cookies() -> CookieManager<Router> {
    CookieManagerLayer::new().layer(jar_router())
}

/// How many requests each router of a pair serves in turn
/// (`layer_added`): enough that switching between them costs little, few
/// enough that both see the same machine.
const PAIRED_BLOCK: u64 = 128;

/// A request of a shape: with these cookies, or none. Inlined, as the
/// closure it was until 7 December 2026 was, so that the counts compare.
#[inline(always)]
fn request(cookies: Option<&str>) -> Request<Body> {
    let request = Request::get("/");
    let request = match cookies {
        Some(cookies) => request.header("cookie", cookies),
        None => request,
    };
    request.body(Body::empty()).unwrap_or_default()
}

/// A service the benches call as `axum::serve` does.
trait App:
    Service<Request<Body>, Response = Response, Error = Infallible, Future: Send>
    + Clone
    + Send
    + 'static
{
}

impl<S> App for S where
    S: Service<Request<Body>, Response = Response, Error = Infallible, Future: Send>
        + Clone
        + Send
        + 'static
{
}

/// Measures `app` answering requests of one shape, as `<shape>/<name>`.
fn bench_app(
    group: &mut BenchmarkGroup<'_, WallTime>,
    runtime: &Runtime,
    (shape, cookies): (&str, Option<&str>),
    name: &str,
    app: impl App,
) {
    group.bench_function(BenchmarkId::new(shape, name), |b| {
        b.to_async(runtime).iter(|| {
            let mut app = app.clone();
            let request = request(cookies);
            async move { black_box(app.call(request).await) }
        })
    });
}

/// Measures what `layered` adds to `bare` in pairs, as `<shape>/<name>`:
/// within each sample, the two serve alternating blocks of requests, and
/// the sample is the layered blocks' time less the bare blocks'. Whatever
/// slows a shared machine for a while slows both halves of a pair, where
/// the setups of `layer` are measured in windows seconds apart.
fn bench_added(
    group: &mut BenchmarkGroup<'_, WallTime>,
    runtime: &Runtime,
    (shape, cookies): (&str, Option<&str>),
    name: &str,
    bare: impl App,
    layered: impl App,
) {
    group.bench_function(BenchmarkId::new(shape, name), |b| {
        b.to_async(runtime).iter_custom(|iters| {
            let (bare, layered) = (bare.clone(), layered.clone());
            async move {
                let (mut without, mut with) = (Duration::ZERO, Duration::ZERO);
                let mut left = iters;
                while left > 0 {
                    let block = left.min(PAIRED_BLOCK);
                    without += time_block(&bare, block, cookies).await;
                    with += time_block(&layered, block, cookies).await;
                    left -= block;
                }
                with.saturating_sub(without)
            }
        })
    });
}

/// How long `app` takes to answer `block` requests of one shape in a row.
async fn time_block(app: &impl App, block: u64, cookies: Option<&str>) -> Duration {
    let start = Instant::now();
    for _ in 0..block {
        black_box(app.clone().call(request(cookies)).await.ok());
    }
    start.elapsed()
}

/// Measures an HTTP/1.1 round trip on 127.0.0.1 to `app`, served by
/// `axum::serve`, with a keep-alive client sending `cookies`.
fn bench_loopback(
    group: &mut BenchmarkGroup<'_, WallTime>,
    runtime: &Runtime,
    name: &str,
    app: impl App,
    cookies: &str,
) {
    let address = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let app = ServiceExt::<Request<Body>>::into_make_service(app);
        tokio::spawn(async move { axum::serve(listener, app).await });
        std::io::Result::Ok(address)
    });
    let url = format!(
        "http://{}/",
        address.unwrap_or_else(|error| panic!("bind: {error}"))
    );
    let client = reqwest::Client::new();
    group.bench_function(name, |b| {
        b.to_async(runtime).iter(|| async {
            let response = client.get(&url).header("cookie", cookies).send().await;
            black_box(response.map(|r| r.headers().len()).ok())
        })
    });
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap_or_else(|error| panic!("tokio runtime: {error}"));
    let granted = inputs::cookie_header(true);
    let refused = inputs::cookie_header(false);
    let cleared = inputs::cookie_header_after_deletion();
    let shapes: [(&str, Option<&str>); 4] = [
        ("new_visitor", None),
        ("returning_granted", Some(&granted)),
        ("returning_refused", Some(&refused)),
        ("returning_refused_cleared", Some(&cleared)),
    ];

    let mut group = c.benchmark_group("layer");
    for shape in shapes {
        bench_app(&mut group, &runtime, shape, "bare", bare());
        bench_app(
            &mut group,
            &runtime,
            shape,
            "consent_layer",
            consent_layer(),
        );
        bench_app(
            &mut group,
            &runtime,
            shape,
            "tower_cookies",
            tower_cookies(),
        );
        bench_app(
            &mut group,
            &runtime,
            shape,
            "consent_route_layer",
            consent_route_layer(),
        );
        bench_app(
            &mut group,
            &runtime,
            shape,
            "tower_cookies_route_layer",
            tower_cookies_route_layer(),
        );
        bench_app(&mut group, &runtime, shape, "pass_through", pass_through());
    }
    group.finish();

    let mut group = c.benchmark_group("layer_added");
    for shape in shapes {
        bench_added(
            &mut group,
            &runtime,
            shape,
            "consent_layer",
            bare(),
            consent_layer(),
        );
        bench_added(
            &mut group,
            &runtime,
            shape,
            "consent_route_layer",
            bare(),
            consent_route_layer(),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("loopback");
    bench_loopback(&mut group, &runtime, "bare", bare(), &granted);
    bench_loopback(
        &mut group,
        &runtime,
        "consent_layer",
        consent_layer(),
        &granted,
    );
    bench_loopback(
        &mut group,
        &runtime,
        "tower_cookies",
        tower_cookies(),
        &granted,
    );
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
