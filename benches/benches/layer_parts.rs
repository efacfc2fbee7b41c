//! Where the consent layer's time goes: each step it takes on the layer
//! bench's request and response, measured alone.
//!
//! `cargo bench -p cookie-policy-benches --bench layer_parts`

use std::hint::black_box;

use axum::http::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use axum_consent::Site;
use cookie_policy::Consent;
use cookie_policy::enforce::{consent_from_request, consent_from_response, filter_set_cookies};
use criterion::{Criterion, criterion_group, criterion_main};

#[path = "common/layer_inputs.rs"]
mod inputs;

fn bench(c: &mut Criterion) {
    let cookies = inputs::cookie_header(true);
    let mut request = HeaderMap::new();
    request.insert(
        COOKIE,
        HeaderValue::from_str(&cookies).unwrap_or_else(|e| panic!("{e}")),
    );
    let consent_value = cookies
        .rsplit("cookies_preferences=")
        .next()
        .unwrap_or_default();
    let mut response = HeaderMap::new();
    for cookie in inputs::SET_COOKIES {
        response.append(SET_COOKIE, HeaderValue::from_static(cookie));
    }
    let consent = consent_from_request::<Site>(&request).0;
    assert_ne!(consent, Consent::necessary_only());

    let mut group = c.benchmark_group("layer_parts");
    group.bench_function("read_banner_value", |b| {
        b.iter(|| Consent::read_cookie_value::<Site>(black_box(consent_value)))
    });
    group.bench_function("consent_from_request", |b| {
        b.iter(|| consent_from_request::<Site>(black_box(&request)))
    });
    group.bench_function("filter_set_cookies", |b| {
        b.iter_batched_ref(
            || response.clone(),
            |headers| filter_set_cookies::<Site>(headers, consent),
            criterion::BatchSize::SmallInput,
        )
    });
    let mut declared = response.clone();
    declared.remove(SET_COOKIE);
    for cookie in &inputs::SET_COOKIES[..3] {
        declared.append(SET_COOKIE, HeaderValue::from_static(cookie));
    }
    group.bench_function("filter_set_cookies_all_kept", |b| {
        b.iter_batched_ref(
            || declared.clone(),
            |headers| filter_set_cookies::<Site>(headers, consent),
            criterion::BatchSize::SmallInput,
        )
    });
    group.bench_function("consent_from_response", |b| {
        b.iter(|| consent_from_response::<Site>(black_box(&response)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
