//! Random UUIDs for receipts and salts: bits from the operating system's
//! random source, read 512 bytes at a time instead of 16.
//!
//! Each decision took three `getrandom` calls (its visitor's id, its
//! receipt, its salt), the largest single cost the chain added on the
//! endpoint's side (`docs/performance.md`). Receipts and salts now come from
//! a per-thread pool filled by one call per 32 of them; each byte is handed
//! out once and wiped. A process forked with a filled pool refills it
//! before use (the pool remembers its process id), so parent and child
//! never share bits. A visitor's id still reads the source directly
//! ([`VisitorId::new`](crate::visitor::VisitorId::new)).

use std::cell::RefCell;

const POOL: usize = 512;

struct Pool {
    bytes: [u8; POOL],
    /// How many bytes were handed out: `POOL` when empty.
    used: usize,
    /// The process that filled it.
    process: u32,
}

thread_local! {
    static PER_THREAD: RefCell<Pool> = const {
        RefCell::new(Pool { bytes: [0; POOL], used: POOL, process: 0 })
    };
}

/// 16 bytes from the operating system's random source, never handed out
/// before.
fn random16() -> [u8; 16] {
    let pooled = PER_THREAD.with(|pool| {
        let mut pool = pool.try_borrow_mut().ok()?;
        let process = std::process::id();
        if pool.used + 16 > POOL || pool.process != process {
            getrandom::fill(&mut pool.bytes).ok()?;
            pool.used = 0;
            pool.process = process;
        }
        let at = pool.used;
        let taken = pool.bytes.get_mut(at..at + 16)?;
        let mut bytes = [0; 16];
        bytes.copy_from_slice(taken);
        taken.fill(0);
        pool.used += 16;
        Some(bytes)
    });
    // Without the pool (a failed read), straight from the source.
    pooled.unwrap_or_else(|| *uuid::Uuid::new_v4().as_bytes())
}

/// A random UUID (version 4), as `uuid::Uuid::new_v4` makes it.
pub(crate) fn uuid_v4() -> uuid::Uuid {
    uuid::Builder::from_random_bytes(random16()).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_4_and_never_repeat() {
        let ids: Vec<uuid::Uuid> = (0..10_000).map(|_| uuid_v4()).collect();
        let distinct: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!(distinct.len(), ids.len());
        for id in &ids {
            assert_eq!(id.get_version(), Some(uuid::Version::Random));
            assert_eq!(id.get_variant(), uuid::Variant::RFC4122);
        }
        // Past a pool's 32: the next ones are still fresh, and the pool's
        // handed-out bytes are wiped.
        PER_THREAD.with(|pool| {
            let pool = pool.borrow();
            assert!(pool.bytes.iter().take(pool.used).all(|&byte| byte == 0));
        });
    }
}
