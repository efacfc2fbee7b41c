//! The lookup index, built at compile time; `cookie_policy`'s `index.rs`
//! describes it and probes it. Tables are open-addressing, at most about two
//! thirds full; of 16 seeds, the one with the shortest longest probe run is
//! kept.

use cookie_policy_core::{
    LONG_PREFIX, MAX_COOKIES, SLOT_INDEX_BITS, hash, long_prefix_bucket, prefix_bucket, tag,
};

use crate::model::Cookie;

/// The tables `cookie_policy::__private::Index` is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupTables {
    /// The hash seed.
    pub seed: u64,
    /// Exact names: `tag << SLOT_INDEX_BITS | (index + 1)`, 0 when empty.
    pub exact: Vec<u32>,
    /// Pattern prefixes, likewise.
    pub prefixes: Vec<u32>,
    /// Prefix lengths of 4 to 7 bytes per bucket of first four bytes.
    pub prefix_filter: Vec<u64>,
    /// Prefix lengths of 8 bytes or more per bucket of first eight bytes (bit
    /// 63: 63 and more).
    pub long_prefix_filter: Vec<u64>,
    /// Prefix lengths under four bytes.
    pub short_prefixes: u64,
    /// Prefix lengths of 63 bytes and more, longest first.
    pub long_prefixes: Vec<u32>,
}

/// How many seeds are tried.
const SEED_TRIES: u64 = 16;

/// Builds the index. `None` if the policy declares more than
/// [`MAX_COOKIES`] cookies.
pub fn build(cookies: &[Cookie]) -> Option<LookupTables> {
    if cookies.len() > MAX_COOKIES {
        return None;
    }
    let mut exact_keys = Vec::new();
    let mut prefix_keys = Vec::new();
    for (index, cookie) in cookies.iter().enumerate() {
        let slot_value = u32::try_from(index + 1).ok()?;
        let keys = if cookie.is_pattern {
            &mut prefix_keys
        } else {
            &mut exact_keys
        };
        keys.push((cookie.key().as_bytes(), slot_value));
    }

    let seed = (0..SEED_TRIES)
        .map(|k| k.wrapping_mul(0xA076_1D64_78BD_642F))
        .min_by_key(|&seed| {
            let (_, exact_cost) = fill(&exact_keys, seed);
            let (_, prefix_cost) = fill(&prefix_keys, seed);
            exact_cost.max(prefix_cost)
        })
        .unwrap_or(0);

    let (prefix_filter, long_prefix_filter, short_prefixes, long_prefixes) =
        prefix_lengths(&prefix_keys);
    Some(LookupTables {
        seed,
        exact: fill(&exact_keys, seed).0,
        prefixes: fill(&prefix_keys, seed).0,
        prefix_filter,
        long_prefix_filter,
        short_prefixes,
        long_prefixes,
    })
}

/// The two filters, the short lengths and the long lengths of the prefixes.
fn prefix_lengths(prefix_keys: &[(&[u8], u32)]) -> (Vec<u64>, Vec<u64>, u64, Vec<u32>) {
    let mut short = 0u64;
    let mut long: Vec<u32> = Vec::new();
    let mut heads4 = Vec::new();
    let mut heads8 = Vec::new();
    for &(key, _) in prefix_keys {
        let length = u32::try_from(key.len()).unwrap_or(u32::MAX);
        if let Some(&head) = key.first_chunk::<8>() {
            heads8.push((head, length));
            if length >= LONG_PREFIX {
                long.push(length);
            }
        } else if let Some(&head) = key.first_chunk::<4>() {
            heads4.push((head, length));
        } else {
            short |= 1 << length;
        }
    }
    long.sort_unstable_by(|a, b| b.cmp(a));
    long.dedup();
    let filter4 = filter(&heads4, prefix_bucket);
    let filter8 = filter(&heads8, long_prefix_bucket);
    (filter4, filter8, short, long)
}

/// The fewest buckets a prefix filter has: a policy with a few patterns
/// would otherwise have two or four, and a name that shares a bucket with
/// a pattern of another length is probed at that length for nothing (one
/// more hash and table probe). 16 buckets are 128 bytes.
const MIN_FILTER_BUCKETS: usize = 16;

/// Length bits per bucket of heads, in twice as many buckets as heads, and
/// at least [`MIN_FILTER_BUCKETS`].
fn filter<const N: usize>(
    heads: &[([u8; N], u32)],
    bucket: impl Fn([u8; N], usize) -> usize,
) -> Vec<u64> {
    if heads.is_empty() {
        return Vec::new();
    }
    let buckets = (heads.len() * 2)
        .next_power_of_two()
        .max(MIN_FILTER_BUCKETS);
    let mut filter = vec![0u64; buckets];
    for &(head, length) in heads {
        if let Some(bits) = filter.get_mut(bucket(head, buckets)) {
            *bits |= 1 << length.min(LONG_PREFIX);
        }
    }
    filter
}

/// A table with room for half as many keys again (a power of two), and its
/// cost: (longest probe run, total probes).
fn fill(keys: &[(&[u8], u32)], seed: u64) -> (Vec<u32>, (usize, usize)) {
    if keys.is_empty() {
        return (Vec::new(), (0, 0));
    }
    let size = (keys.len() + keys.len() / 2 + 1).next_power_of_two();
    let mask = size - 1;
    let mut slots = vec![0u32; size];
    let (mut longest, mut total) = (0, 0);
    for &(key, value) in keys {
        let hash = hash(key, seed);
        let mut slot = hash as usize & mask;
        let mut probes = 1;
        while slots.get(slot).is_some_and(|&v| v != 0) {
            slot = (slot + 1) & mask;
            probes += 1;
        }
        if let Some(empty) = slots.get_mut(slot) {
            *empty = tag(hash) << SLOT_INDEX_BITS | value;
        }
        longest = longest.max(probes);
        total += probes;
    }
    (slots, (longest, total))
}
