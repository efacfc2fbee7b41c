//! The name index behind every generated `lookup`.
//!
//! The derive builds two open-addressing hash tables at compile time, one for
//! exact names and one for the prefixes of patterns, and picks a seed for
//! which no probe run is long. A lookup hashes the name once, probes the exact
//! table, and only on a miss tries each distinct prefix length, longest first.
//! Nothing is allocated.
//!
//! Both sides use `cookie_policy_core::hash`.

use cookie_policy_core::hash;

use crate::Cookie;

/// An empty slot in a table.
const EMPTY: u32 = 0;

/// The compile-time built index of one policy. Not public API.
#[doc(hidden)]
#[derive(Debug)]
pub struct Index {
    /// The policy's cookies; slots hold an index into it, plus one.
    pub cookies: &'static [Cookie],
    /// The seed of the hash for both tables.
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
