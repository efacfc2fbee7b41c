//! The hash of cookie names behind every generated `lookup`.

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// Multiplies as 128 bits and folds the halves: every input bit reaches every
/// output bit, for one `mul`.
#[inline(always)]
const fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = (a as u128) * (b as u128);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hash of a cookie name, as the derive builds its tables with it and
/// `lookup` probes them: 8 bytes at a time, then the tail, then a final mix
/// with the seed.
///
/// ```
/// use cookie_policy_core::hash;
///
/// assert_eq!(hash(b"sessionid", 7), hash(b"sessionid", 7));
/// assert_ne!(hash(b"sessionid", 7), hash(b"sessionid", 8));
/// ```
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depends_on_every_byte_the_length_and_the_seed() {
        let base = hash(b"_ga_ABCDEFGHIJ", 0);
        assert_ne!(base, hash(b"_ga_ABCDEFGHIK", 0));
        assert_ne!(base, hash(b"`ga_ABCDEFGHIJ", 0));
        assert_ne!(base, hash(b"_ga_ABCDEFGHIJ", 1));
        assert_ne!(hash(b"a", 0), hash(b"a\0", 0));
        assert_ne!(hash(b"", 0), hash(b"\0", 0));
    }

    #[test]
    fn spreads_similar_names_over_a_small_table() {
        // 1,000 names that differ in one digit fill a 2,048-slot table
        // without piling up: no slot takes more than a handful.
        let mut counts = vec![0u32; 2048];
        for i in 0..1000 {
            let slot = hash(format!("_pk_id.{i}").as_bytes(), 0) as usize & 2047;
            counts[slot] += 1;
        }
        assert!(counts.iter().all(|&c| c <= 6), "{:?}", counts.iter().max());
    }
}
