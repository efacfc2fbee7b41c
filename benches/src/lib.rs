//! What the benchmarks compare: the generated lookup of two registries (the
//! Open Cookie Database and a synthetic 10,000-cookie one) against the
//! structures a user would otherwise reach for, all with the same semantics
//! (exact name first, else the longest matching prefix pattern).

use std::collections::HashMap;

use cookie_policy::{Cookie, CookiePolicy};

/// The Open Cookie Database, converted (2,247 cookies, 264 of them patterns;
/// `tests/agreement.rs` counts them).
#[derive(CookiePolicy)]
#[cookie_policy(path = "../cookie-policy-cli/data/open-cookie-database.toml")]
pub struct OpenCookieDatabase;

/// 100 synthetic cookies (`fixtures/synthetic-100.toml`).
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/synthetic-100.toml")]
pub struct Synthetic100;

/// 1,000 synthetic cookies (`fixtures/synthetic-1000.toml`).
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/synthetic-1000.toml")]
pub struct Synthetic1k;

/// 10,000 synthetic cookies (`fixtures/synthetic-10000.toml`).
#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/synthetic-10000.toml")]
pub struct Synthetic10k;

mod synthetic;

mod phf_maps {
    include!(concat!(env!("OUT_DIR"), "/phf_maps.rs"));
}

/// One way of finding the declared cookie of a name.
pub trait Lookup: Sync {
    /// The contender's name in reports.
    fn label(&self) -> &'static str;
    /// The declared cookie, as `CookiePolicy::lookup` defines it.
    fn find(&self, name: &str) -> Option<&'static Cookie>;
}

/// The derive's generated `lookup`.
pub struct Generated<P>(core::marker::PhantomData<P>);

impl<P: CookiePolicy + Sync> Lookup for Generated<P> {
    fn label(&self) -> &'static str {
        "generated"
    }
    #[inline]
    fn find(&self, name: &str) -> Option<&'static Cookie> {
        P::lookup(name)
    }
}

/// The distinct prefix lengths of a policy's patterns, longest first: the
/// "prefix scan" every map-based contender does after an exact miss.
fn prefix_lengths(cookies: &[Cookie]) -> Vec<usize> {
    let mut lengths: Vec<usize> = cookies
        .iter()
        .filter(|c| c.is_pattern())
        .map(|c| c.name().len() - 1)
        .collect();
    lengths.sort_unstable_by(|a, b| b.cmp(a));
    lengths.dedup();
    lengths
}

fn key(cookie: &Cookie) -> &'static str {
    let name = cookie.name();
    if cookie.is_pattern() {
        &name[..name.len() - 1]
    } else {
        name
    }
}

/// Exact map, then a prefix map probed at each pattern length.
pub struct Maps<M> {
    label: &'static str,
    exact: M,
    prefixes: M,
    lengths: Vec<usize>,
    cookies: &'static [Cookie],
}

/// A map from names to cookie indices.
pub trait NameMap: Sync {
    /// The index of `name`.
    fn index(&self, name: &str) -> Option<usize>;
}

impl NameMap for HashMap<String, usize> {
    #[inline]
    fn index(&self, name: &str) -> Option<usize> {
        self.get(name).copied()
    }
}

impl NameMap for HashMap<&'static str, usize, foldhash::fast::FixedState> {
    #[inline]
    fn index(&self, name: &str) -> Option<usize> {
        self.get(name).copied()
    }
}

impl NameMap for &'static phf::Map<&'static str, usize> {
    #[inline]
    fn index(&self, name: &str) -> Option<usize> {
        self.get(name).copied()
    }
}

/// A sorted slice searched by bisection.
impl NameMap for Vec<(&'static str, usize)> {
    #[inline]
    fn index(&self, name: &str) -> Option<usize> {
        self.binary_search_by(|(key, _)| (*key).cmp(name))
            .ok()
            .map(|i| self[i].1)
    }
}

impl<M: NameMap> Lookup for Maps<M> {
    fn label(&self) -> &'static str {
        self.label
    }
    #[inline]
    fn find(&self, name: &str) -> Option<&'static Cookie> {
        if let Some(i) = self.exact.index(name) {
            return self.cookies.get(i);
        }
        for &length in &self.lengths {
            if let Some(prefix) = name.get(..length)
                && let Some(i) = self.prefixes.index(prefix)
            {
                return self.cookies.get(i);
            }
        }
        None
    }
}

fn entries(
    cookies: &'static [Cookie],
    patterns: bool,
) -> impl Iterator<Item = (&'static str, usize)> {
    cookies
        .iter()
        .enumerate()
        .filter(move |(_, c)| c.is_pattern() == patterns)
        .map(|(i, c)| (key(c), i))
}

fn maps<M: NameMap>(
    label: &'static str,
    cookies: &'static [Cookie],
    build: impl Fn(bool) -> M,
) -> Maps<M> {
    Maps {
        label,
        exact: build(false),
        prefixes: build(true),
        lengths: prefix_lengths(cookies),
        cookies,
    }
}

/// `phf::Map`s built at compile time by `build.rs`.
pub fn phf_lookup<P: CookiePolicy>() -> Maps<&'static phf::Map<&'static str, usize>> {
    let (exact, prefixes) = phf_maps::maps(P::SITE.name());
    Maps {
        label: "phf",
        exact,
        prefixes,
        lengths: prefix_lengths(P::COOKIES),
        cookies: P::COOKIES,
    }
}

/// `HashMap<String, usize>` with the standard SipHash.
pub fn siphash_lookup<P: CookiePolicy>() -> Maps<HashMap<String, usize>> {
    maps("HashMap (SipHash)", P::COOKIES, |patterns| {
        entries(P::COOKIES, patterns)
            .map(|(k, i)| (k.to_owned(), i))
            .collect()
    })
}

/// `HashMap<&str, usize>` with foldhash.
pub fn foldhash_lookup<P: CookiePolicy>()
-> Maps<HashMap<&'static str, usize, foldhash::fast::FixedState>> {
    maps("HashMap (foldhash)", P::COOKIES, |patterns| {
        entries(P::COOKIES, patterns).collect()
    })
}

/// A sorted `Vec` searched by bisection.
pub fn sorted_lookup<P: CookiePolicy>() -> Maps<Vec<(&'static str, usize)>> {
    maps("sorted slice", P::COOKIES, |patterns| {
        let mut entries: Vec<_> = entries(P::COOKIES, patterns).collect();
        entries.sort_unstable();
        entries
    })
}

/// Every cookie, in order: the reference the others are checked against.
pub struct LinearScan(pub &'static [Cookie]);

impl Lookup for LinearScan {
    fn label(&self) -> &'static str {
        "linear scan"
    }
    fn find(&self, name: &str) -> Option<&'static Cookie> {
        let exact = self.0.iter().find(|c| !c.is_pattern() && c.name() == name);
        exact.or_else(|| {
            self.0
                .iter()
                .filter(|c| c.is_pattern() && c.matches(name))
                .max_by_key(|c| c.name().len())
        })
    }
}

/// Every contender for policy `P`, the generated lookup first.
pub fn contenders<P: CookiePolicy + Sync + 'static>() -> Vec<Box<dyn Lookup>> {
    vec![
        Box::new(Generated::<P>(core::marker::PhantomData)),
        Box::new(phf_lookup::<P>()),
        Box::new(siphash_lookup::<P>()),
        Box::new(foldhash_lookup::<P>()),
        Box::new(sorted_lookup::<P>()),
        Box::new(LinearScan(P::COOKIES)),
    ]
}

/// Names to look up: every exact name, a name under every pattern, and
/// near-misses that match nothing.
pub struct Probes {
    /// Every exact name of the policy.
    pub exact: Vec<String>,
    /// For every pattern, its prefix followed by a suffix.
    pub prefix: Vec<String>,
    /// Names that match no entry: one character off, a prefix minus one
    /// character, the empty name.
    pub miss: Vec<String>,
}

/// The probes of policy `P`.
pub fn probes<P: CookiePolicy>() -> Probes {
    let reference = LinearScan(P::COOKIES);
    let exact = P::COOKIES
        .iter()
        .filter(|c| !c.is_pattern())
        .map(|c| c.name().to_owned())
        .collect();
    let prefix = P::COOKIES
        .iter()
        .filter(|c| c.is_pattern())
        .map(|c| format!("{}7f3a9c", key(c)))
        .filter(|name| reference.find(name).is_some())
        .collect();
    let mut miss = vec![String::new()];
    for cookie in P::COOKIES {
        let key = key(cookie);
        let mut chars: Vec<char> = key.chars().collect();
        if let Some(last) = chars.last_mut() {
            *last = if *last == '~' { '^' } else { '~' };
        }
        miss.push(chars.iter().collect());
        chars.pop();
        miss.push(chars.iter().collect());
        miss.push(format!("~{key}"));
    }
    miss.retain(|name| reference.find(name).is_none());
    miss.sort();
    miss.dedup();
    Probes {
        exact,
        prefix,
        miss,
    }
}

pub use synthetic::synthetic_registry;
