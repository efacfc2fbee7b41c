//! The generated lookup agrees with a naive reference (a linear scan), and so
//! does every contender the benchmarks compare it with, on every name of each
//! registry and on near-misses: one character off, a prefix minus one
//! character, the empty name.

use cookie_policy::CookiePolicy;
use cookie_policy_benches::Lookup as _;
use cookie_policy_benches::{
    LinearScan, OpenCookieDatabase, Synthetic1k, Synthetic10k, Synthetic100, contenders, probes,
};

fn agree<P: CookiePolicy + Sync + 'static>() {
    let reference = LinearScan(P::COOKIES);
    let probes = probes::<P>();
    let names: Vec<&String> = probes
        .exact
        .iter()
        .chain(&probes.prefix)
        .chain(&probes.miss)
        .collect();
    assert!(probes.exact.len() > 50 && probes.prefix.len() > 5 && probes.miss.len() > 100);
    assert!(probes.miss.iter().any(String::is_empty));
    let expected: Vec<_> = names.iter().map(|name| reference.find(name)).collect();
    // The last contender is the linear scan, the reference itself.
    for contender in contenders::<P>()
        .iter()
        .filter(|c| c.label() != "linear scan")
    {
        for (name, expected) in names.iter().zip(&expected) {
            assert_eq!(
                contender.find(name),
                *expected,
                "{} on {name:?}",
                contender.label()
            );
        }
    }
    for name in &probes.exact {
        assert_eq!(P::lookup(name).map(|c| c.name()), Some(name.as_str()));
    }
    for name in &probes.miss {
        assert_eq!(P::lookup(name), None, "{name:?}");
    }
}

#[test]
fn open_cookie_database() {
    agree::<OpenCookieDatabase>();
    assert_eq!(OpenCookieDatabase::COOKIES.len(), 2_247);
    assert_eq!(
        OpenCookieDatabase::COOKIES
            .iter()
            .filter(|c| c.is_pattern())
            .count(),
        264
    );
}

#[test]
fn synthetic_registries() {
    agree::<Synthetic100>();
    agree::<Synthetic1k>();
    agree::<Synthetic10k>();
    assert_eq!(Synthetic10k::COOKIES.len(), 10_000);
}

#[test]
fn the_synthetic_fixtures_are_what_the_generator_writes() {
    for count in [100, 1_000, 10_000] {
        let path = format!(
            "{}/fixtures/synthetic-{count}.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let on_disk = std::fs::read_to_string(&path).unwrap();
        assert!(
            on_disk == cookie_policy_benches::synthetic_registry(count),
            "{path} is stale: regenerate it with `cargo run -p cookie-policy-benches --bin generate_registry -- {count} > benches/fixtures/synthetic-{count}.toml`"
        );
    }
}

/// The counts `OpenCookieDatabase`'s documentation gives.
#[test]
fn the_open_cookie_database_has_the_documented_counts() {
    let cookies = OpenCookieDatabase::COOKIES;
    assert_eq!(cookies.len(), 2_247);
    assert_eq!(
        cookies.iter().filter(|cookie| cookie.is_pattern()).count(),
        264
    );
}
