//! The hashing behind every generated `lookup`: the name hash, the tag kept
//! in each table slot, and the bucket of a name's first four bytes in the
//! prefix filter. The derive builds its tables with these at compile time
//! and `lookup` probes them at run time, so both must use this one copy.

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

/// How many low bits of a table slot hold the cookie's index plus one; the
/// high bits hold the tag. A policy holds fewer cookies than `1 << 24`.
pub const SLOT_INDEX_BITS: u32 = 24;

/// The most cookies a policy may declare: what a slot's index bits can count.
pub const MAX_COOKIES: usize = (1 << SLOT_INDEX_BITS) - 1;

/// Prefix lengths from this many bytes up share one bit of the prefix
/// filter, and are listed apart.
pub const LONG_PREFIX: u32 = 63;

/// Multiplies as 128 bits and folds the halves: every input bit reaches every
/// output bit, for one `mul`.
#[inline(always)]
const fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = (a as u128) * (b as u128);
    (product as u64) ^ ((product >> 64) as u64)
}

/// The hash of a cookie name (or a pattern's prefix).
///
/// Names are short, so up to 16 bytes take one multiplication: the bytes are
/// read as two (possibly overlapping) words. Longer names are folded in
/// 16-byte steps, their last 16 bytes read the same way.
///
/// ```
/// use cookie_policy_core::hash;
///
/// assert_eq!(hash(b"sessionid", 7), hash(b"sessionid", 7));
/// assert_ne!(hash(b"sessionid", 7), hash(b"sessionid", 8));
/// ```
#[inline]
pub fn hash(bytes: &[u8], seed: u64) -> u64 {
    let length = bytes.len() as u64;
    let (a, b) = match bytes.len() {
        0 => (0, 0),
        1..=3 => {
            // The first, middle and last bytes cover lengths 1 to 3.
            let first = u64::from(bytes.first().copied().unwrap_or(0));
            let middle = u64::from(bytes.get(bytes.len() / 2).copied().unwrap_or(0));
            let last = u64::from(bytes.last().copied().unwrap_or(0));
            (first << 16 | middle << 8 | last, 0)
        }
        4..=8 => (read_u32(bytes, 0), read_u32(bytes, bytes.len() - 4)),
        9..=16 => (read_u64(bytes, 0), read_u64(bytes, bytes.len() - 8)),
        _ => return long_hash(bytes, seed),
    };
    folded_multiply(a ^ seed ^ length.rotate_left(32), b ^ MULTIPLIER ^ seed)
}

#[cold]
fn long_hash(bytes: &[u8], seed: u64) -> u64 {
    let mut state = seed ^ bytes.len() as u64;
    let (chunks, _) = bytes.as_chunks::<16>();
    for chunk in chunks {
        let (a, b) = (read_u64(chunk, 0), read_u64(chunk, 8));
        state = folded_multiply(a ^ state, b ^ MULTIPLIER);
    }
    // The last 16 bytes, overlapping the chunks when the length is not a
    // multiple of 16.
    let end = bytes.len().saturating_sub(16);
    let (a, b) = (read_u64(bytes, end), read_u64(bytes, end + 8));
    folded_multiply(a ^ state ^ MULTIPLIER, b ^ seed)
}

/// Four bytes from `at`, little-endian; zero where out of range (never, as
/// called).
#[inline(always)]
fn read_u32(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..)
        .and_then(|rest| rest.first_chunk::<4>())
        .map_or(0, |word| u64::from(u32::from_le_bytes(*word)))
}

/// Eight bytes from `at`, little-endian; zero where out of range (never, as
/// called).
#[inline(always)]
fn read_u64(bytes: &[u8], at: usize) -> u64 {
    bytes
        .get(at..)
        .and_then(|rest| rest.first_chunk::<8>())
        .map_or(0, |word| u64::from_le_bytes(*word))
}

/// Whether two keys are equal; for keys of up to 16 bytes, two word
/// comparisons instead of a call to `memcmp`.
#[inline(always)]
pub fn keys_equal(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        0..=3 => a == b,
        4..=8 => {
            read_u32(a, 0) == read_u32(b, 0) && read_u32(a, a.len() - 4) == read_u32(b, b.len() - 4)
        }
        9..=16 => {
            read_u64(a, 0) == read_u64(b, 0) && read_u64(a, a.len() - 8) == read_u64(b, b.len() - 8)
        }
        _ => a == b,
    }
}

/// The tag a slot keeps of its key's hash: its top 8 bits, so that most
/// probes that would compare unequal names compare one byte instead.
#[inline(always)]
pub const fn tag(hash: u64) -> u32 {
    (hash >> 56) as u32
}

/// The bucket, of `buckets` (a power of two), of a name's first four bytes
/// in the filter of prefixes of 4 to 7 bytes.
#[inline(always)]
pub const fn prefix_bucket(head: [u8; 4], buckets: usize) -> usize {
    (u32::from_le_bytes(head).wrapping_mul(0x9E37_79B1) >> 16) as usize & buckets.wrapping_sub(1)
}

/// The bucket, of `buckets` (a power of two), of a name's first eight bytes
/// in the filter of prefixes of 8 bytes or more.
#[inline(always)]
pub const fn long_prefix_bucket(head: [u8; 8], buckets: usize) -> usize {
    (u64::from_le_bytes(head).wrapping_mul(MULTIPLIER) >> 40) as usize & buckets.wrapping_sub(1)
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
        // Every length, and a change in every position of each.
        let bytes: Vec<u8> = (0..70u8).map(|i| i.wrapping_mul(37)).collect();
        for length in 0..bytes.len() {
            let key = &bytes[..length];
            assert_ne!(hash(key, 0), hash(&bytes[..length + 1], 0), "{length}");
            for position in 0..length {
                let mut changed = key.to_vec();
                changed[position] ^= 1;
                assert_ne!(hash(key, 0), hash(&changed, 0), "{length} {position}");
            }
        }
    }

    #[test]
    fn keys_equal_is_slice_equality() {
        let bytes: Vec<u8> = (0..40u8).collect();
        for length in 0..bytes.len() {
            let key = &bytes[..length];
            assert!(keys_equal(key, key));
            assert!(!keys_equal(key, &bytes[..length + 1]));
            for position in 0..length {
                let mut changed = key.to_vec();
                changed[position] ^= 0x80;
                assert!(!keys_equal(key, &changed), "{length} {position}");
            }
        }
    }

    #[test]
    fn spreads_similar_names_over_a_small_table() {
        // 1,000 names that differ in one digit fill a 2,048-slot table
        // without piling up, and their tags take many values.
        let mut counts = vec![0u32; 2048];
        let mut tags = std::collections::HashSet::new();
        for i in 0..1000 {
            let h = hash(format!("_pk_id.{i}").as_bytes(), 0);
            counts[h as usize & 2047] += 1;
            tags.insert(tag(h));
        }
        assert!(counts.iter().all(|&c| c <= 6), "{:?}", counts.iter().max());
        assert!(tags.len() > 200);
    }

    #[test]
    fn buckets_stay_in_range() {
        for buckets in [1, 2, 64, 1 << 20] {
            for head in [*b"_ga_", *b"\xff\xff\xff\xff", [0; 4]] {
                assert!(prefix_bucket(head, buckets) < buckets);
                let long_head = [head, head].concat().try_into().unwrap();
                assert!(long_prefix_bucket(long_head, buckets) < buckets);
            }
        }
    }
}
