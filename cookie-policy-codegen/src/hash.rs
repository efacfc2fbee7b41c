//! The hash of cookie names, shared bit for bit with `cookie_policy`'s
//! lookup. A copy, because a proc-macro's helper cannot depend on the crate
//! that uses the proc macro; `tests/tests/index.rs` checks the two agree.

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

/// Must stay identical to `cookie_policy::__private::hash`.
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
