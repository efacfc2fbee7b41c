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
    random16_in(std::process::id())
}

/// [`random16`], in the process `process`: a pool another process filled
/// (this one's parent, before a `fork`) is filled again first.
fn random16_in(process: u32) -> [u8; 16] {
    let pooled = PER_THREAD.with(|pool| {
        let mut pool = pool.try_borrow_mut().ok()?;
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

    /// After a `fork`, the child's copy of a half-used pool holds the
    /// parent's next bytes: the child (another process id) fills the pool
    /// again before taking any, so it never hands out what the parent
    /// will. (A real `fork` needs `unsafe`, which this crate forbids; the
    /// process id is what the pool checks.)
    #[test]
    fn a_forked_process_never_hands_out_its_parents_bytes() {
        let parent = std::process::id();
        let _ = random16_in(parent);
        let parents_next = PER_THREAD.with(|pool| {
            let pool = pool.borrow();
            let mut next = [0; 16];
            next.copy_from_slice(&pool.bytes[pool.used..pool.used + 16]);
            next
        });
        assert_ne!(parents_next, [0; 16]);
        let child = parent.wrapping_add(1);
        let childs = random16_in(child);
        assert_ne!(childs, parents_next);
        PER_THREAD.with(|pool| {
            let pool = pool.borrow();
            assert_eq!((pool.process, pool.used), (child, 16));
            // The parent's next bytes are nowhere in the child's pool.
            assert!(!pool.bytes.windows(16).any(|window| window == parents_next));
        });
    }
}
