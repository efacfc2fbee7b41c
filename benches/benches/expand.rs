//! The macro's own cost: policy text to tokens (parse, validate, index,
//! expand), by calling the compiler behind the derive directly, for
//! registries of 100 to 10,000 cookies.
//!
//! `cargo bench -p cookie-policy-benches --bench expand`

use std::hint::black_box;
use std::time::Duration;

use cookie_policy_codegen::tokens;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn expand(c: &mut Criterion) {
    let mut group = c.benchmark_group("expand");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let registries = [
        (
            "synthetic-100",
            100,
            cookie_policy_benches::synthetic_registry(100),
        ),
        (
            "synthetic-1000",
            1_000,
            cookie_policy_benches::synthetic_registry(1_000),
        ),
        (
            "open-cookie-database",
            2_247,
            include_str!("../../cookie-policy-cli/data/open-cookie-database.toml").to_owned(),
        ),
        (
            "synthetic-10000",
            10_000,
            cookie_policy_benches::synthetic_registry(10_000),
        ),
    ];
    for (label, cookies, text) in &registries {
        group.throughput(Throughput::Elements(*cookies));
        group.bench_with_input(BenchmarkId::from_parameter(label), text, |b, text| {
            b.iter(|| {
                let tokens = tokens("policy.toml", black_box(text));
                black_box(tokens.map(|t| t.into_iter().count()).ok())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, expand);
criterion_main!(benches);
