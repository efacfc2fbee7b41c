//! The hash the derive builds its tables with and the one `lookup` probes
//! with live in two crates; they must agree bit for bit.

use cookie_policy::__private::hash as runtime_hash;
use cookie_policy_codegen::hash::hash as codegen_hash;

#[test]
fn codegen_and_runtime_hash_agree() {
    let mut inputs: Vec<Vec<u8>> = vec![Vec::new()];
    // Every length around the 8-byte word boundary, and every byte value.
    for length in 0..40 {
        inputs.push((0..length).map(|i| (i * 37 + length) as u8).collect());
    }
    for byte in 0..=255u8 {
        inputs.push(vec![byte; 9]);
    }
    inputs.push("_pk_id.1.é".as_bytes().to_vec());
    for input in &inputs {
        for seed in [0, 1, 0xA076_1D64_78BD_642F, u64::MAX] {
            assert_eq!(
                runtime_hash(input, seed),
                codegen_hash(input, seed),
                "{input:?} {seed}"
            );
        }
    }
}

#[test]
fn the_hash_depends_on_every_byte_and_the_length() {
    let base = codegen_hash(b"_ga_ABCDEFGHIJ", 0);
    assert_ne!(base, codegen_hash(b"_ga_ABCDEFGHIK", 0));
    assert_ne!(base, codegen_hash(b"`ga_ABCDEFGHIJ", 0));
    assert_ne!(codegen_hash(b"a", 0), codegen_hash(b"a\0", 0));
    assert_ne!(base, codegen_hash(b"_ga_ABCDEFGHIJ", 1));
}
