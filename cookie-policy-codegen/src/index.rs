//! The lookup index, built at compile time: two open-addressing tables (exact
//! names, pattern prefixes) at most half full, with the seed that keeps probe
//! runs shortest.

use crate::model::Cookie;
use cookie_policy_core::hash;

/// The tables `cookie_policy::__private::Index` is made of.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexTables {
    /// The hash seed.
    pub seed: u64,
    /// Exact names: cookie index + 1, or 0 for an empty slot.
    pub exact: Vec<u32>,
    /// Pattern prefixes, likewise.
    pub prefixes: Vec<u32>,
    /// Distinct prefix lengths in bytes, longest first.
    pub prefix_lengths: Vec<u32>,
}

/// How many seeds are tried; the best is kept.
const SEED_TRIES: u64 = 16;

/// Builds the index. `None` if the policy has more cookies than a `u32` can
/// count, or a prefix longer than that, which no file that fits in memory has.
pub fn build(cookies: &[Cookie]) -> Option<IndexTables> {
    let mut exact_keys = Vec::new();
    let mut prefix_keys = Vec::new();
    for (index, cookie) in cookies.iter().enumerate() {
        let slot_value = u32::try_from(index).ok()?.checked_add(1)?;
        let keys = if cookie.is_pattern {
            &mut prefix_keys
        } else {
            &mut exact_keys
        };
        keys.push((cookie.key().as_bytes(), slot_value));
    }
    let mut prefix_lengths = prefix_keys
        .iter()
        .map(|(key, _)| u32::try_from(key.len()).ok())
        .collect::<Option<Vec<u32>>>()?;
    prefix_lengths.sort_unstable_by(|a, b| b.cmp(a));
    prefix_lengths.dedup();

    let seed = (0..SEED_TRIES)
        .map(|k| k.wrapping_mul(0xA076_1D64_78BD_642F))
        .min_by_key(|&seed| {
            let (_, exact_cost) = fill(&exact_keys, seed);
            let (_, prefix_cost) = fill(&prefix_keys, seed);
            exact_cost.max(prefix_cost)
        })
        .unwrap_or(0);
    Some(IndexTables {
        seed,
        exact: fill(&exact_keys, seed).0,
        prefixes: fill(&prefix_keys, seed).0,
        prefix_lengths,
    })
}

/// A table with room for twice the keys, and its cost: (longest probe run,
/// total probes).
fn fill(keys: &[(&[u8], u32)], seed: u64) -> (Vec<u32>, (usize, usize)) {
    if keys.is_empty() {
        return (Vec::new(), (0, 0));
    }
    let size = (keys.len() * 2).next_power_of_two();
    let mask = size - 1;
    let mut slots = vec![0u32; size];
    let (mut longest, mut total) = (0, 0);
    for &(key, value) in keys {
        let mut slot = hash(key, seed) as usize & mask;
        let mut probes = 1;
        while slots.get(slot).is_some_and(|&v| v != 0) {
            slot = (slot + 1) & mask;
            probes += 1;
        }
        if let Some(empty) = slots.get_mut(slot) {
            *empty = value;
        }
        longest = longest.max(probes);
        total += probes;
    }
    (slots, (longest, total))
}
