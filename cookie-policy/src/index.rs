//! The name index behind every generated `lookup`.
//!
//! The derive builds two open-addressing hash tables at compile time, one for
//! exact names and one for the prefixes of patterns, and picks a seed for
//! which no probe run is long. A lookup hashes the name once, probes the exact
//! table, and only on a miss tries each distinct prefix length, longest first.
//! Nothing is allocated.
//!
//! `cookie-policy-codegen` keeps a copy of [`hash`]: the two must agree
//! bit for bit, which `tests/tests/index.rs` checks.

use crate::Cookie;

/// An empty slot in a table.
const EMPTY: u32 = 0;

/// The compile-time built index of one policy. Not public API.
#[doc(hidden)]
#[derive(Debug)]
pub struct Index {
    /// The policy's cookies; slots hold an index into it, plus one.
    pub cookies: &'static [Cookie],
    /// The seed of [`hash`] for both tables.
    pub seed: u64,
    /// Exact names; its length is a power of two (or zero).
    pub exact: &'static [u32],
    /// Pattern prefixes; its length is a power of two (or zero).
    pub prefixes: &'static [u32],
    /// The distinct prefix lengths in bytes, longest first.
    pub prefix_lengths: &'static [u32],
}

impl Index {
    /// See [`CookiePolicy::lookup`](crate::CookiePolicy::lookup).
    pub fn lookup(&self, name: &str) -> Option<&'static Cookie> {
        let name = name.as_bytes();
        if let Some(cookie) = self.find(self.exact, name) {
            return Some(cookie);
        }
        self.prefix_lengths.iter().find_map(|&length| {
            let prefix = name.get(..usize::try_from(length).ok()?)?;
            self.find(self.prefixes, prefix)
        })
    }

    fn find(&self, slots: &'static [u32], key: &[u8]) -> Option<&'static Cookie> {
        let mask = slots.len().checked_sub(1)?;
        // Truncating the hash to usize keeps its low bits, which is all the mask uses.
        let mut slot = hash(key, self.seed) as usize & mask;
        // A table is never full, so an empty slot ends every run; the bound
        // only makes termination evident.
        for _ in 0..slots.len() {
            let entry = *slots.get(slot)?;
            if entry == EMPTY {
                return None;
            }
            let cookie = self.cookies.get(usize::try_from(entry - 1).ok()?)?;
            if cookie.key() == key {
                return Some(cookie);
            }
            slot = (slot + 1) & mask;
        }
        None
    }
}

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// Multiplies as 128 bits and folds the halves: every input bit reaches every
/// output bit, at the cost of one `mul`.
#[inline(always)]
const fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = (a as u128) * (b as u128);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hash of a cookie name. Must stay identical to
/// `cookie_policy_codegen::hash::hash`.
#[doc(hidden)]
#[inline]
pub fn hash(bytes: &[u8], seed: u64) -> u64 {
    let mut state = folded_multiply(seed ^ bytes.len() as u64, MULTIPLIER);
    let (words, tail) = bytes.as_chunks::<8>();
    for word in words {
        state = folded_multiply(state ^ u64::from_le_bytes(*word), MULTIPLIER);
    }
    let mut last = 0u64;
    for (position, &byte) in tail.iter().enumerate() {
        last |= u64::from(byte) << (8 * position);
    }
    folded_multiply(state ^ last, MULTIPLIER ^ seed)
}
