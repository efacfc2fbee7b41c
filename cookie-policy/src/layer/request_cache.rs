//! The layer's memory of the `Cookie` headers it has read.
//!
//! Every request of a page (the page itself, then its styles, scripts,
//! images and calls) carries the same `Cookie` header, and so do the next
//! pages until a cookie changes. What the layer reads of a header (the
//! visitor's consent, the names of the cookies that may need it, and the
//! headers that delete those the consent does not permit) is a function of
//! its bytes and of the layer's policy, so the layer remembers it for the
//! last few headers, in a [`Memo`] (what it promises against a hostile
//! client is written there): a slot answers only for a header equal to the
//! one it holds, byte for byte. A visitor who refused a cookie that a
//! script of the page sets again sends it on every request: its deletion
//! is built once, and each response that adds it bumps a count.
//!
//! Two memories, one behind the other: a header not remembered (a new
//! page view changed a cookie, say) is read again, and its consent value,
//! when it did not change, is still found in the consent cache
//! ([`super::consent_cache`]), which spares the decoding of the banner's
//! JSON.
//!
//! Only a request with one `Cookie` header is remembered (what HTTP/1.1
//! browsers send; a request split into several is read as before), and
//! only a header of at most [`MAX_HEADER_BYTES`]: memory is bounded to
//! [`SLOTS`] headers of that length, 256 KiB at worst, a few tens of KiB
//! for real headers.

use std::sync::Arc;

use http::HeaderValue;
use http::header::GetAll;

use super::memo::Memo;
use crate::enforce::{CookieNames, for_each_deletion};
use crate::{Consent, ConsentError, Cookie};

/// How many headers the layer remembers.
pub(crate) const SLOTS: usize = 64;

/// The longest header the layer remembers: browsers send a few hundred
/// bytes to a site, a couple of KiB at most.
pub(crate) const MAX_HEADER_BYTES: usize = 4096;

/// How many bytes of a header at each of three places (its start, middle
/// and end) choose its slot. Where the bytes that differ from one visitor
/// to the next are depends on the site: a session id may come first, the
/// consent with its timestamps last, and a cookie with the same value for
/// everyone at either end. Three places cost four multiplications where
/// the whole header would cost forty.
const SAMPLE_BYTES: usize = 16;

/// What the layer reads of a request's `Cookie` headers.
#[derive(Clone)]
pub(crate) struct CookiesRead {
    /// The consent the request carries: necessary only when there is
    /// none or it cannot be used.
    pub(crate) consent: Consent,
    /// Why the consent cookie could not be used, when it could not.
    pub(crate) problem: Option<ConsentError>,
    /// The names of the cookies that may need consent, and their
    /// deletions: none when the request names no such cookie (a new
    /// visitor's, or one who holds only necessary cookies), so that the
    /// count of a shared record is touched only where there is one.
    pub(crate) names: Option<Arc<NamesRead>>,
}

/// The names of a request's cookies that may need consent, and the
/// headers that delete those the request's consent does not permit.
pub(crate) struct NamesRead {
    pub(crate) names: CookieNames,
    /// The consent the deletions were worked out for: the request's. A
    /// response judged with another (it records a new choice, or a GPC
    /// signal withdraws a category) has its deletions worked out again.
    pub(crate) consent: Consent,
    /// The deletions; none when the names did not fit in [`CookieNames`]
    /// (they are then read again from the headers).
    pub(crate) deletions: Option<Vec<HeaderValue>>,
}

impl CookiesRead {
    /// What was read: `names` and their deletions under `consent`, which
    /// `declared` says are of declared cookies that need consent
    /// ([`for_each_deletion`]); none to work out under a consent that
    /// covers `needing`, every category a cookie of the policy needs
    /// consent for.
    #[inline]
    pub(crate) fn new(
        consent: Consent,
        problem: Option<ConsentError>,
        names: CookieNames,
        needing: Consent,
        declared: impl FnMut(&[u8]) -> Option<&'static Cookie>,
    ) -> CookiesRead {
        CookiesRead {
            consent,
            problem,
            names: (!names.is_empty()).then(|| NamesRead::new(names, consent, needing, declared)),
        }
    }
}

impl NamesRead {
    fn new(
        names: CookieNames,
        consent: Consent,
        needing: Consent,
        declared: impl FnMut(&[u8]) -> Option<&'static Cookie>,
    ) -> Arc<NamesRead> {
        let deletions = (!names.overflowed()).then(|| {
            let mut deletions = Vec::new();
            if !consent.covers(needing) {
                for_each_deletion(names.iter(), consent, declared, |header| {
                    deletions.push(header);
                });
            }
            deletions
        });
        Arc::new(NamesRead {
            names,
            consent,
            deletions,
        })
    }
}

#[derive(Debug)]
pub(crate) struct RequestCache {
    memo: Memo<CookiesRead>,
}

impl RequestCache {
    pub(crate) fn new() -> Self {
        RequestCache {
            memo: Memo::new(SLOTS),
        }
    }

    /// `read(headers)`, remembered when the request has one `Cookie`
    /// header of at most [`MAX_HEADER_BYTES`].
    #[inline]
    pub(crate) fn read<'h>(
        &self,
        headers: GetAll<'h, HeaderValue>,
        read: impl FnOnce(GetAll<'h, HeaderValue>) -> CookiesRead,
    ) -> CookiesRead {
        let mut values = headers.iter();
        let (Some(only), None) = (values.next(), values.next()) else {
            return read(headers);
        };
        let key = only.as_bytes();
        if key.len() > MAX_HEADER_BYTES {
            return read(headers);
        }
        self.memo
            .get_or_insert_with(key, &sample(key), || read(headers))
    }

    /// Whether a slot holds `header`.
    #[cfg(test)]
    pub(crate) fn holds(&self, header: &[u8]) -> bool {
        self.memo.holds(header)
    }
}

/// The bytes of `key` that choose its slot: [`SAMPLE_BYTES`] at its
/// start, middle and end, or all of a shorter key (zeros after it).
#[inline]
pub(super) fn sample(key: &[u8]) -> [u8; 3 * SAMPLE_BYTES] {
    let mut sample = [0; 3 * SAMPLE_BYTES];
    let middle = (key.len() / 2).saturating_sub(SAMPLE_BYTES / 2);
    match (
        key.first_chunk::<SAMPLE_BYTES>(),
        key.get(middle..)
            .and_then(|rest| rest.first_chunk::<SAMPLE_BYTES>()),
        key.last_chunk::<SAMPLE_BYTES>(),
    ) {
        (Some(first), Some(middle), Some(last)) if key.len() > sample.len() => {
            for (to, from) in sample
                .chunks_exact_mut(SAMPLE_BYTES)
                .zip([first, middle, last])
            {
                to.copy_from_slice(from);
            }
        }
        _ => {
            if let Some(start) = sample.get_mut(..key.len()) {
                start.copy_from_slice(key);
            }
        }
    }
    sample
}

#[cfg(test)]
mod tests {
    use core::cell::Cell;

    use http::HeaderMap;
    use http::header::COOKIE;

    use super::*;

    /// A reading that counts its calls and names what it read by the
    /// length of the headers' bytes (granted nothing beyond that).
    fn counting(calls: &Cell<usize>) -> impl Fn(GetAll<'_, HeaderValue>) -> CookiesRead + '_ {
        |headers| {
            calls.set(calls.get() + 1);
            let mut names = CookieNames::default();
            let length: usize = headers.iter().map(HeaderValue::len).sum();
            names.push(length.to_string().as_bytes());
            CookiesRead::new(
                Consent::necessary_only(),
                None,
                names,
                Consent::necessary_only(),
                |_| None,
            )
        }
    }

    fn read_name(read: CookiesRead) -> Vec<u8> {
        let names = read.names.expect("a name");
        names.names.iter().next().unwrap_or_default().to_vec()
    }

    /// One header, of at most `MAX_HEADER_BYTES`, is read once; several,
    /// or a longer one, are read each time, and what is read is theirs.
    #[test]
    fn only_one_header_of_bounded_length_is_remembered() {
        let cache = RequestCache::new();
        let calls = Cell::new(0);
        let mut one = HeaderMap::new();
        one.insert(COOKIE, HeaderValue::from_static("a=1; b=2"));
        for _ in 0..3 {
            assert_eq!(
                read_name(cache.read(one.get_all(COOKIE), counting(&calls))),
                b"8"
            );
        }
        assert_eq!(calls.get(), 1);
        assert!(cache.holds(b"a=1; b=2"));

        let mut two = HeaderMap::new();
        two.append(COOKIE, HeaderValue::from_static("a=1"));
        two.append(COOKIE, HeaderValue::from_static("b=2"));
        let mut long = HeaderMap::new();
        let bytes = format!("a={}", "x".repeat(MAX_HEADER_BYTES - 1));
        long.insert(COOKIE, HeaderValue::from_str(&bytes).unwrap());
        for _ in 0..3 {
            assert_eq!(
                read_name(cache.read(two.get_all(COOKIE), counting(&calls))),
                b"6"
            );
            let read = cache.read(long.get_all(COOKIE), counting(&calls));
            assert_eq!(
                read_name(read),
                (MAX_HEADER_BYTES + 1).to_string().as_bytes()
            );
            assert_eq!(
                read_name(cache.read(HeaderMap::new().get_all(COOKIE), counting(&calls))),
                b"0"
            );
        }
        assert_eq!(calls.get(), 1 + 3 * 3);
        assert!(!cache.holds(b"a=1") && !cache.holds(bytes.as_bytes()));
    }

    #[test]
    fn a_header_is_sampled_at_its_start_middle_and_end() {
        let long: Vec<u8> = (0..100).collect();
        let sample = sample(&long);
        assert_eq!(sample.get(..16), long.get(..16));
        assert_eq!(sample.get(16..32), long.get(42..58));
        assert_eq!(sample.get(32..), long.get(84..));
        let short = b"sessionid=abc; csrftoken=def";
        assert_eq!(
            super::sample(short).get(..short.len()),
            Some(short.as_slice())
        );
        assert!(
            super::sample(short)
                .get(short.len()..)
                .is_some_and(|rest| rest.iter().all(|&b| b == 0))
        );
    }
}
