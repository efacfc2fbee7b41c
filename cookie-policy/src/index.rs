//! The name index behind every generated `lookup`.
//!
//! The derive builds it at compile time (`cookie-policy-codegen`'s
//! `index.rs`), with the hashing of `cookie_policy_core`:
//!
//! - two open-addressing tables, exact names and pattern prefixes, whose
//!   slots hold a cookie's index plus one and an 8-bit tag of its key's hash,
//!   so a probe compares names only when the tags agree;
//! - two filters of prefix lengths: for the first four bytes of a name, the
//!   set of lengths (4 to 7) of the patterns that start with those bytes, and
//!   for its first eight bytes, the set of lengths of 8 or more (hashed into
//!   buckets, so a set may say too much, never too little).
//!
//! A lookup hashes the name once for the exact table; on a miss it probes
//! the prefix table only at the lengths the filter names, longest first, so
//! the longest matching prefix wins. Nothing is allocated.

use cookie_policy_core::{
    LONG_PREFIX, SLOT_INDEX_BITS, hash, keys_equal, long_prefix_bucket, prefix_bucket, tag,
};

use crate::Cookie;

const INDEX_MASK: u32 = (1 << SLOT_INDEX_BITS) - 1;

/// The compile-time built index of one policy. Not public API.
#[doc(hidden)]
#[derive(Debug)]
pub struct Index {
    /// The policy's cookies.
    pub cookies: &'static [Cookie],
    /// What each cookie is matched by (its name, or a pattern's prefix),
    /// indexed like `cookies`.
    pub keys: &'static [&'static str],
    /// The hash seed of both tables.
    pub seed: u64,
    /// Exact names: `tag << SLOT_INDEX_BITS | (index + 1)`, or 0 when empty.
    /// A power of two long, or empty.
    pub exact: &'static [u32],
    /// Pattern prefixes, likewise.
    pub prefixes: &'static [u32],
    /// Per bucket of a name's first four bytes, the prefix lengths of 4 to 7
    /// bytes as bits. A power of two long, or empty.
    pub prefix_filter: &'static [u64],
    /// Per bucket of a name's first eight bytes, the prefix lengths of 8 to
    /// 62 bytes as bits, and bit 63 for longer ones. A power of two long, or
    /// empty.
    pub long_prefix_filter: &'static [u64],
    /// The prefix lengths of 1 to 3 bytes, as bits.
    pub short_prefixes: u64,
    /// The prefix lengths of 63 bytes or more, longest first.
    pub long_prefixes: &'static [u32],
}

impl Index {
    /// See [`CookiePolicy::lookup`](crate::CookiePolicy::lookup).
    #[inline]
    pub fn lookup(&self, name: &str) -> Option<&'static Cookie> {
        self.lookup_bytes(name.as_bytes())
    }

    /// [`lookup`](Self::lookup), of a name's bytes.
    #[inline]
    pub fn lookup_bytes(&self, name: &[u8]) -> Option<&'static Cookie> {
        let index = match self.find(self.exact, name) {
            Some(index) => index,
            None => self.longest_prefix(name)?,
        };
        self.cookies.get(index)
    }

    /// The index of the cookie whose key is `key`, in table `slots`.
    #[inline]
    fn find(&self, slots: &'static [u32], key: &[u8]) -> Option<usize> {
        let mask = slots.len().checked_sub(1)?;
        let hash = hash(key, self.seed);
        let tag = tag(hash);
        // Truncating the hash keeps its low bits, all the mask uses.
        let mut slot = hash as usize & mask;
        // A table is never full, so an empty slot ends every run; the bound
        // only makes termination evident.
        for _ in 0..slots.len() {
            let entry = *slots.get(slot)?;
            if entry == 0 {
                return None;
            }
            if entry >> SLOT_INDEX_BITS == tag {
                let index = ((entry & INDEX_MASK) as usize).checked_sub(1)?;
                if keys_equal(self.keys.get(index)?.as_bytes(), key) {
                    return Some(index);
                }
            }
            slot = (slot + 1) & mask;
        }
        None
    }

    /// The index of the pattern with the longest prefix of `name`.
    #[inline]
    fn longest_prefix(&self, name: &[u8]) -> Option<usize> {
        if self.prefixes.is_empty() {
            return None;
        }
        let mut lengths = self.short_prefixes;
        if let Some(&head) = name.first_chunk::<4>() {
            let bucket = prefix_bucket(head, self.prefix_filter.len());
            lengths |= self.prefix_filter.get(bucket).copied().unwrap_or(0);
        }
        if let Some(&head) = name.first_chunk::<8>() {
            let bucket = long_prefix_bucket(head, self.long_prefix_filter.len());
            lengths |= self.long_prefix_filter.get(bucket).copied().unwrap_or(0);
        }
        // Only lengths up to the name's own.
        if let Some(up_to_name) = 2u64.checked_shl(name.len().min(64) as u32) {
            lengths &= up_to_name.wrapping_sub(1);
        }
        while lengths != 0 {
            let length = LONG_PREFIX - lengths.leading_zeros();
            lengths &= !(1 << length);
            if length == LONG_PREFIX {
                let long = self.long_prefixes.iter().find_map(|&length| {
                    let prefix = name.get(..usize::try_from(length).ok()?)?;
                    self.find(self.prefixes, prefix)
                });
                if long.is_some() {
                    return long;
                }
                continue;
            }
            let prefix = name.get(..length as usize)?;
            if let Some(index) = self.find(self.prefixes, prefix) {
                return Some(index);
            }
        }
        None
    }
}
