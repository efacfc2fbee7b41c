//! What a user pays at start-up without the derive: reading the same
//! registry with `toml::from_str` into owned structs and indexing it in a
//! `HashMap`, against the derive, which leaves nothing to do at run time.
//!
//! `cargo bench -p cookie-policy-benches --bench startup`

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use cookie_policy::CookiePolicy;
use cookie_policy_benches::OpenCookieDatabase;
use criterion::{Criterion, criterion_group, criterion_main};
use serde::Deserialize;

/// The file, as a user would model it with serde.
#[derive(Deserialize)]
#[allow(dead_code)]
struct File {
    site: Site,
    provider: Vec<Provider>,
    cookie: Vec<Cookie>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Site {
    name: String,
    url: Option<String>,
    locations: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Provider {
    id: String,
    name: String,
    url: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Cookie {
    name: String,
    provider: String,
    function: String,
    locations: Option<Vec<String>>,
    purpose: String,
    category: String,
    lifetime: Option<String>,
    party: Option<String>,
    domain: Option<String>,
    path: Option<String>,
    #[serde(rename = "const")]
    constant: Option<String>,
    anonymized: Option<bool>,
}

fn startup(c: &mut Criterion) {
    let text = include_str!("../../cookie-policy-cli/data/open-cookie-database.toml");
    let mut group = c.benchmark_group("startup/open-cookie-database");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group.bench_function("toml::from_str + HashMap", |b| {
        b.iter(|| {
            let file: File = toml::from_str(black_box(text)).unwrap_or_else(|e| panic!("{e}"));
            let index: HashMap<String, usize> = file
                .cookie
                .iter()
                .enumerate()
                .map(|(i, c)| (c.name.clone(), i))
                .collect();
            black_box((file, index))
        })
    });
    group.bench_function("derive (nothing to do)", |b| {
        b.iter(|| black_box(OpenCookieDatabase::COOKIES.len()))
    });
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
