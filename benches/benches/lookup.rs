//! Lookup speed: the generated `lookup` against phf, `HashMap` with SipHash
//! and with foldhash, a sorted slice and a linear scan, with the same
//! semantics, on registries of 100 to 10,000 cookies.
//!
//! `cargo bench -p cookie-policy-benches --bench lookup`
//!
//! Each measurement looks up a batch of names (every exact name, a name under
//! every pattern, or near-misses; at most 2,000, evenly sampled) so the
//! figure per lookup is the time per iteration divided by the batch size
//! (criterion's throughput line). `docs/performance.md` has the results.

use std::hint::black_box;
use std::time::Duration;

use cookie_policy::CookiePolicy;
use cookie_policy_benches::{
    OpenCookieDatabase, Synthetic1k, Synthetic10k, Synthetic100, contenders, probes,
};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const MAX_PROBES: usize = 2_000;

fn sample(names: Vec<String>) -> Vec<String> {
    let step = names.len().div_ceil(MAX_PROBES).max(1);
    names.into_iter().step_by(step).collect()
}

fn registry<P: CookiePolicy + Sync + 'static>(c: &mut Criterion, label: &str) {
    let probes = probes::<P>();
    let contenders = contenders::<P>();
    for (case, names) in [
        ("exact_hit", probes.exact),
        ("prefix_hit", probes.prefix),
        ("miss", probes.miss),
    ] {
        let names = sample(names);
        let mut group = c.benchmark_group(format!("lookup/{label}/{case}"));
        group
            .throughput(Throughput::Elements(names.len() as u64))
            .sample_size(20)
            .warm_up_time(Duration::from_millis(300))
            .measurement_time(Duration::from_secs(1));
        for contender in &contenders {
            group.bench_with_input(
                BenchmarkId::from_parameter(contender.label()),
                &names,
                |b, names| {
                    b.iter(|| {
                        for name in names {
                            black_box(contender.find(black_box(name)));
                        }
                    })
                },
            );
        }
        group.finish();
    }
}

fn lookup(c: &mut Criterion) {
    registry::<Synthetic100>(c, "synthetic-100");
    registry::<Synthetic1k>(c, "synthetic-1000");
    registry::<OpenCookieDatabase>(c, "open-cookie-database");
    registry::<Synthetic10k>(c, "synthetic-10000");
}

criterion_group!(benches, lookup);
criterion_main!(benches);
