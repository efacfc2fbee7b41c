//! The layer's memory of what it worked out from bytes a client sends.
//!
//! A visitor's browser sends the same cookies with every request: the same
//! `Cookie` header with every request of a page, and the same consent value
//! until the visitor chooses again. A [`Memo`] remembers what the
//! layer worked out of the last few such byte strings: a fixed number of
//! slots, each holding one key and its value, chosen by a hash of some of
//! the key's bytes.
//!
//! What it promises, against a client that chooses the keys:
//!
//! - a slot answers only for a key equal to the one it holds, byte for
//!   byte, so a collision (chance, or chosen) costs the work the memo
//!   saves, never a wrong answer;
//! - which keys share a slot depends on a seed drawn when the memo is made,
//!   so it differs from one process to the next;
//! - a slot another thread holds is not waited for: the work is done as if
//!   the key were not there, so no request waits on another;
//! - memory is bounded by the slots and the longest key each memo takes.

use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

/// What one slot holds: a key and what it maps to.
struct Entry<V> {
    /// Its buffer is reused by the next key the slot holds.
    key: Vec<u8>,
    value: V,
}

/// A fixed number of slots remembering what keys (byte strings) map to.
pub(crate) struct Memo<V> {
    slots: Box<[Mutex<Option<Entry<V>>>]>,
    /// A random seed for the slot hash.
    seed: u64,
}

impl<V: Clone> Memo<V> {
    /// A memo of `slots` slots (a power of two), all empty.
    pub(crate) fn new(slots: usize) -> Self {
        let slots = slots.next_power_of_two();
        Memo {
            slots: (0..slots).map(|_| Mutex::new(None)).collect(),
            seed: RandomState::new().hash_one(slots),
        }
    }

    /// What `key` maps to: remembered, or `compute()`, then remembered in
    /// the slot that `hashed` (some of `key`'s bytes: those that differ
    /// from one key to the next) and `key`'s length choose. The hash is the
    /// one lookups use (one multiplication for 16 bytes, where SipHash
    /// takes a few hundred instructions); a collision only costs a
    /// `compute`, so it need not resist one chosen on purpose.
    #[inline]
    pub(crate) fn get_or_insert_with(
        &self,
        key: &[u8],
        hashed: &[u8],
        compute: impl FnOnce() -> V,
    ) -> V {
        let hash = cookie_policy_core::hash(hashed, self.seed ^ key.len() as u64);
        // The slot count is a power of two; truncating the hash keeps its
        // low bits, all the mask uses.
        let index = hash as usize & self.slots.len().wrapping_sub(1);
        let Some(slot) = self.slots.get(index) else {
            return compute();
        };
        if let Ok(entry) = slot.try_lock()
            && let Some(entry) = &*entry
            && *entry.key == *key
        {
            return entry.value.clone();
        }
        let value = compute();
        if let Ok(mut entry) = slot.try_lock() {
            match &mut *entry {
                Some(entry) => {
                    // Grown to this key's length, not doubled: the slot
                    // holds no more than the longest key it was given.
                    entry.key.clear();
                    entry.key.reserve_exact(key.len());
                    entry.key.extend_from_slice(key);
                    entry.value = value.clone();
                }
                None => {
                    *entry = Some(Entry {
                        key: key.to_vec(),
                        value: value.clone(),
                    });
                }
            }
        }
        value
    }

    /// How many slots hold a key.
    #[cfg(test)]
    pub(crate) fn filled(&self) -> usize {
        self.slots
            .iter()
            .filter(|slot| slot.lock().is_ok_and(|entry| entry.is_some()))
            .count()
    }

    /// Whether a slot holds `key`.
    #[cfg(test)]
    pub(crate) fn holds(&self, key: &[u8]) -> bool {
        self.slots.iter().any(|slot| {
            slot.lock()
                .is_ok_and(|entry| entry.as_ref().is_some_and(|entry| *entry.key == *key))
        })
    }
}

impl<V> core::fmt::Debug for Memo<V> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Memo")
            .field("slots", &self.slots.len())
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo answers what `compute` would, for more keys than it has
    /// slots (so slots are shared and overwritten), keys that share their
    /// hashed bytes included; and a key it holds is not computed again.
    #[test]
    fn answers_what_compute_would() {
        let memo = Memo::new(8);
        let keys: Vec<Vec<u8>> = (0..64u8)
            .flat_map(|byte| [vec![byte; usize::from(byte % 5)], vec![b'k', byte, b'k']])
            .collect();
        for _ in 0..2 {
            for key in &keys {
                // Only the first byte is hashed: keys collide on purpose.
                let hashed = key.get(..1).unwrap_or_default();
                let got = memo.get_or_insert_with(key, hashed, || {
                    key.iter().rev().copied().collect::<Vec<u8>>()
                });
                assert_eq!(
                    got,
                    key.iter().rev().copied().collect::<Vec<u8>>(),
                    "{key:?}"
                );
            }
        }
        let key = b"held".as_slice();
        memo.get_or_insert_with(key, key, || b"value".to_vec());
        assert!(memo.holds(key));
        let again = memo.get_or_insert_with(key, key, || panic!("computed again"));
        assert_eq!(again, b"value");
    }

    /// A slot's buffer grows to the longest key it held, no further: what
    /// bounds a memo's memory.
    #[test]
    fn a_slot_holds_no_more_than_its_longest_key() {
        let memo = Memo::new(1);
        for length in [1, 3, 40, 41, 100, 7, 129, 2] {
            let key = vec![b'k'; length];
            memo.get_or_insert_with(&key, b"", || ());
        }
        let slot = memo.slots.first().unwrap().lock().unwrap();
        let entry = slot.as_ref().unwrap();
        assert_eq!(entry.key, [b'k'; 2]);
        assert!(entry.key.capacity() <= 129, "{}", entry.key.capacity());
    }

    /// A slot another thread holds is not waited for.
    #[test]
    fn a_held_slot_is_not_waited_for() {
        let memo = Memo::new(1);
        memo.get_or_insert_with(b"a", b"a", || 1);
        let slot = memo.slots.first().unwrap().lock().unwrap();
        // The only slot is held: the value is computed, and not stored.
        assert_eq!(memo.get_or_insert_with(b"a", b"a", || 2), 2);
        assert_eq!(memo.get_or_insert_with(b"b", b"b", || 3), 3);
        drop(slot);
        assert_eq!(memo.get_or_insert_with(b"a", b"a", || 4), 1);
    }
}
