//! What the consent layer costs a request/response round trip.
//!
//! Two settings, each with the layer off and on, measured in the same run:
//! - `in_process`: the axum example's router called directly, no network:
//!   the layer's own cost against a handler that sets four cookies;
//! - `loopback`: a real HTTP/1.1 round trip on 127.0.0.1 with a keep-alive
//!   client, as a browser would see it.
//!
//! `cargo bench -p cookie-policy-benches --bench layer`

use std::hint::black_box;

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use axum_consent::{Site, app};
use criterion::{Criterion, criterion_group, criterion_main};
use tower_service::Service;

/// The example's routes, with or without the layer.
fn router(layer: bool) -> Router {
    if layer {
        app::app::<Site>(|_| {})
    } else {
        app::routes::<Site>()
    }
}

fn request() -> Request<Body> {
    Request::get("/")
        .header(
            "cookie",
            "sessionid=s3ss10n; csrftoken=t0k3n; _pk_id.1.f00d=v",
        )
        .body(Body::empty())
        .unwrap_or_default()
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap_or_else(|error| panic!("tokio runtime: {error}"));

    let mut group = c.benchmark_group("in_process");
    for (name, layer) in [("layer_off", false), ("layer_on", true)] {
        let router = router(layer);
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| {
                let mut router = router.clone();
                async move { black_box(router.call(request()).await) }
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("loopback");
    for (name, layer) in [("layer_off", false), ("layer_on", true)] {
        let address = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let address = listener.local_addr()?;
            tokio::spawn(async move { axum::serve(listener, router(layer)).await });
            std::io::Result::Ok(address)
        });
        let url = format!(
            "http://{}/",
            address.unwrap_or_else(|error| panic!("bind: {error}"))
        );
        let client = reqwest::Client::new();
        group.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| async {
                let response = client
                    .get(&url)
                    .header(
                        "cookie",
                        "sessionid=s3ss10n; csrftoken=t0k3n; _pk_id.1.f00d=v",
                    )
                    .send()
                    .await;
                black_box(response.map(|r| r.headers().len()).ok())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
