//! The layer's memory of the banner consents it has read.
//!
//! A visitor's browser sends the same consent cookie with every request
//! until the visitor chooses again, and reading the banner's format
//! (URL-encoded JSON) costs more than the rest of what the layer does to a
//! response. The request cache ([`super::request_cache`]) spares it for a
//! `Cookie` header seen lately; when another cookie of the header changed
//! (GA4 rewrites one on every page), the value is still the same. So the
//! layer remembers what it read of the last values it saw, in a [`Memo`]
//! (what it promises against a hostile client is written there): a slot
//! answers only for a value equal to the one it holds, byte for byte.
//!
//! Memory is bounded: [`SLOTS`] values of at most the banner value's maximum
//! length (4 KiB), 256 KiB at worst, a few tens of KiB for real values.

use super::memo::Memo;
use crate::enforce::read_consent_bytes;
use crate::{Consent, ConsentError, PolicyData};

/// How many values the layer remembers.
pub(crate) const SLOTS: usize = 64;

/// How many bytes at the end of a value choose its slot: the banner ends
/// its value with the expiry in milliseconds (`"expirationTime":...}`), or
/// with the time of the last consent to the millisecond, which differ from
/// one visitor to the next. Sixteen bytes are one multiplication.
const HASHED_BYTES: usize = 16;

#[derive(Debug)]
pub(crate) struct ConsentCache {
    memo: Memo<Result<Consent, ConsentError>>,
}

impl ConsentCache {
    pub(crate) fn new() -> Self {
        ConsentCache {
            memo: Memo::new(SLOTS),
        }
    }

    /// [`Consent::read_cookie_value`] of a value's bytes (malformed when
    /// they are not UTF-8), remembered for values in the banner's format
    /// (this crate's own format is read faster than it is looked up). A
    /// remembered value is compared as bytes and not checked again: it was
    /// checked when it was first read.
    pub(crate) fn read(&self, policy: &PolicyData, value: &[u8]) -> Result<Consent, ConsentError> {
        let read =
            || read_consent_bytes(value, |text| Consent::read_cookie_value_for(policy, text));
        if !Consent::is_banner_value(value) {
            return read();
        }
        // The slot is chosen by the value's length and its last bytes, where
        // the banner writes the consent's timestamps and expiry: enough to
        // spread visitors over the slots without hashing the whole value.
        let tail = value
            .get(value.len().saturating_sub(HASHED_BYTES)..)
            .unwrap_or_default();
        self.memo.get_or_insert_with(value, tail, read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Platform;

    /// A banner value for the platform with `categories`, and `padding`
    /// in a field the reader skips, so values differ while reading alike.
    fn banner(categories: &str, padding: usize) -> String {
        let revision = Consent::banner_revision::<Platform>();
        let json = format!(
            r#"{{"categories":[{categories}],"revision":{revision},"consentId":"{}"}}"#,
            "x".repeat(padding)
        );
        json.replace('"', "%22")
            .replace(',', "%2C")
            .replace(':', "%3A")
    }

    /// The cache answers exactly as the reader does, on first sight and
    /// from memory, for more distinct values than it has slots (so slots
    /// are shared and overwritten), malformed ones included.
    #[test]
    fn answers_as_the_reader_does() {
        let cache = ConsentCache::new();
        let mut values: Vec<String> = Vec::new();
        for padding in 0..(3 * SLOTS) {
            values.push(banner(r#""necessary""#, padding));
            values.push(banner(r#""necessary","unknown""#, padding));
            values.push(format!("{}%2C", banner(r#""necessary""#, padding)));
        }
        values.push("v1.0.x".to_owned());
        for _ in 0..2 {
            for value in &values {
                assert_eq!(
                    cache.read(&PolicyData::of::<Platform>(), value.as_bytes()),
                    Consent::read_cookie_value::<Platform>(value),
                    "{value}"
                );
            }
        }
        // The same value, read again, comes from the slot it filled.
        let value = banner(r#""necessary""#, 7);
        let first = cache.read(&PolicyData::of::<Platform>(), value.as_bytes());
        assert_eq!(first, Ok(Consent::necessary_only()));
        assert!(cache.memo.holds(value.as_bytes()));
    }

    /// Visitors' values, which differ in the times the banner writes at
    /// their end, spread over the slots: the last bytes chosen are enough.
    #[test]
    fn visitors_values_spread_over_the_slots() {
        let cache = ConsentCache::new();
        let revision = Consent::banner_revision::<Platform>();
        for visitor in 0..(4 * SLOTS as u64) {
            // Consents a few seconds apart, as visitors give them.
            let time = 1_780_000_000_000 + visitor * 4_321;
            let json = format!(
                r#"{{"categories":["necessary"],"revision":{revision},"consentTimestamp":"2026-11-30T06:00:00.000Z","expirationTime":{time}}}"#
            );
            // Encoded as the banner's `encodeURIComponent` does: it ends
            // with the last digits of the time, then `%7D`.
            let value = json
                .replace('"', "%22")
                .replace(',', "%2C")
                .replace(':', "%3A")
                .replace('{', "%7B")
                .replace('}', "%7D");
            assert_eq!(
                cache.read(&PolicyData::of::<Platform>(), value.as_bytes()),
                Ok(Consent::necessary_only())
            );
        }
        let filled = cache.memo.filled();
        // 256 values hashed at random into 64 slots fill 63 on average;
        // fewer than 48 has a chance below one in a billion.
        assert!(filled >= 48, "{filled} of {SLOTS} slots");
    }
}
