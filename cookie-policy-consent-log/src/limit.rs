//! Bounded growth: how many decisions one client may add to the log.
//!
//! Every decision is a row kept for months. Without a limit, one client
//! posting maximum-size bodies as fast as it can writes gigabytes a day.
//! [`DecisionLimit`] gives each client a bucket of decisions: `burst` at
//! first, one more every `refill`, never more than `burst` waiting. A
//! decision over the limit is refused (429) before anything is read or
//! stored; a refusal never touches earlier records.
//!
//! A client is its address as the server saw it ([`ClientAddress`], which
//! the application sets from the connection), IPv6 addresses by their `/64`
//! (one subscriber's whole network). `X-Forwarded-For` is read only when the
//! peer is one of the proxies the site trusts, and then its right-most
//! address that is not one of them: what a client writes itself there is
//! never believed.
//!
//! An identical decision repeated by the same visitor (same categories,
//! revision and language as their last one) is not stored again: the
//! answer carries the first one's receipt.
//!
//! # The bound
//!
//! A record is at most about 4.6 KiB (page and user agent cut at 2,048
//! bytes each, ids, categories, hashes). With the defaults (`burst` 10,
//! `refill` 10 minutes), a client adds at most 10 + 144 = 154 records in
//! its first day and 144 a day after: about 0.7 MiB a day. In total, the
//! log grows by at most that times the number of distinct clients (IPv4
//! addresses, IPv6 `/64`s) that post in a day; `purge` keeps it to the
//! retention period. `DecisionLimit::new(burst, refill)` changes both
//! figures.

use core::time::Duration;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use http::HeaderMap;

use crate::endpoint::ClientAddress;
use crate::visitor::VisitorId;

/// How many clients' buckets are kept; past that, buckets that are full
/// again (idle clients) are dropped.
const MAX_CLIENTS: usize = 100_000;

/// How many visitors' last decisions are remembered for coalescing.
const MAX_VISITORS: usize = 100_000;

/// The per-client limit on decisions, shared by clones.
#[derive(Clone, Debug)]
pub struct DecisionLimit {
    burst: u32,
    refill: Duration,
    trusted_proxies: Vec<IpAddr>,
    buckets: Arc<Mutex<HashMap<IpAddr, Bucket>>>,
    /// Each visitor's last decision's digest and receipt, as fixed-size
    /// values: no allocation per visitor (a `String` per id and per receipt
    /// cost the log a tenth of its throughput on SQLite).
    last: Arc<Mutex<HashMap<VisitorId, (u64, uuid::Uuid)>>>,
}

#[derive(Clone, Copy, Debug)]
struct Bucket {
    tokens: u32,
    since: Instant,
}

impl Default for DecisionLimit {
    /// 10 decisions at once, then one every 10 minutes.
    fn default() -> DecisionLimit {
        DecisionLimit::new(10, Duration::from_secs(600))
    }
}

impl DecisionLimit {
    /// `burst` decisions at once, then one more every `refill`.
    pub fn new(burst: u32, refill: Duration) -> DecisionLimit {
        DecisionLimit {
            burst: burst.max(1),
            refill: refill.max(Duration::from_millis(1)),
            trusted_proxies: Vec::new(),
            buckets: Arc::default(),
            last: Arc::default(),
        }
    }

    /// The reverse proxies in front of the site, whose `X-Forwarded-For`
    /// is believed.
    #[must_use]
    pub fn trusting_proxies(mut self, proxies: impl IntoIterator<Item = IpAddr>) -> DecisionLimit {
        self.trusted_proxies = proxies.into_iter().collect();
        self
    }

    /// The client a request comes from, as this limit counts it: `None`
    /// when the application set no [`ClientAddress`] (all such requests
    /// then share one bucket).
    pub fn client(&self, headers: &HeaderMap, peer: Option<ClientAddress>) -> Option<IpAddr> {
        let peer = peer?.0;
        let client = if self.trusted_proxies.contains(&peer) {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
                .rev()
                .find(|hop| !self.trusted_proxies.contains(hop))
                .unwrap_or(peer)
        } else {
            peer
        };
        Some(bucket_key(client))
    }

    /// Takes one decision from `client`'s bucket; `false` when it is empty.
    pub fn take(&self, client: Option<IpAddr>) -> bool {
        let key = client.unwrap_or(IpAddr::from([0, 0, 0, 0]));
        let now = Instant::now();
        let Ok(mut buckets) = self.buckets.lock() else {
            return false;
        };
        if buckets.len() >= MAX_CLIENTS && !buckets.contains_key(&key) {
            let (burst, refill) = (self.burst, self.refill);
            buckets.retain(|_, bucket| refilled(*bucket, burst, refill, now).tokens < burst);
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: self.burst,
            since: now,
        });
        *bucket = refilled(*bucket, self.burst, self.refill, now);
        if bucket.tokens == 0 {
            return false;
        }
        bucket.tokens -= 1;
        true
    }

    /// The receipt of `visitor`'s last decision when it had this `digest`
    /// (the same categories, revision and language).
    pub(crate) fn repeated(&self, visitor: VisitorId, digest: u64) -> Option<String> {
        let last = self.last.lock().ok()?;
        last.get(&visitor)
            .filter(|(seen, _)| *seen == digest)
            .map(|(_, receipt)| receipt.to_string())
    }

    /// Remembers `visitor`'s last decision. Receipts are UUIDs, which the
    /// log makes ([`ConsentRecord::receipt`](crate::ConsentRecord)); one
    /// that is not (none is) is not remembered, and a repeat of its
    /// decision is then recorded again.
    pub(crate) fn remember(&self, visitor: VisitorId, digest: u64, receipt: &str) {
        let Ok(receipt) = uuid::Uuid::try_parse(receipt) else {
            return;
        };
        if let Ok(mut last) = self.last.lock() {
            if last.len() >= MAX_VISITORS {
                last.clear();
            }
            last.insert(visitor, (digest, receipt));
        }
    }
}

/// `bucket` with the tokens `refill` has added since it was last filled.
fn refilled(bucket: Bucket, burst: u32, refill: Duration, now: Instant) -> Bucket {
    let elapsed = now.saturating_duration_since(bucket.since);
    let added = elapsed.as_nanos() / refill.as_nanos().max(1);
    let added = u32::try_from(added).unwrap_or(u32::MAX);
    if added == 0 {
        return bucket;
    }
    Bucket {
        tokens: bucket.tokens.saturating_add(added).min(burst),
        since: if bucket.tokens.saturating_add(added) >= burst {
            now
        } else {
            bucket.since + refill * added
        },
    }
}

/// IPv4 as it is; IPv6 by its `/64`.
fn bucket_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(_) => address,
        IpAddr::V6(v6) => {
            let [a, b, c, d, ..] = v6.segments();
            IpAddr::from([a, b, c, d, 0, 0, 0, 0])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(address: &str) -> Option<ClientAddress> {
        Some(ClientAddress(address.parse().unwrap()))
    }

    #[test]
    fn a_client_gets_its_burst_and_no_more_others_are_unaffected() {
        let limit = DecisionLimit::new(10, Duration::from_secs(600));
        let flooder = limit.client(&HeaderMap::new(), peer("203.0.113.7"));
        let taken = (0..1_000).filter(|_| limit.take(flooder)).count();
        assert_eq!(taken, 10);
        let other = limit.client(&HeaderMap::new(), peer("198.51.100.1"));
        assert!(limit.take(other));
        // One IPv6 subscriber is one client, whatever its interface id.
        let a = limit.client(&HeaderMap::new(), peer("2001:db8:1:2::1"));
        let b = limit.client(&HeaderMap::new(), peer("2001:db8:1:2:ffff::9"));
        assert_eq!(a, b);
    }

    #[test]
    fn buckets_refill() {
        let now = Instant::now();
        let empty = Bucket {
            tokens: 0,
            since: now,
        };
        let later = refilled(
            empty,
            10,
            Duration::from_secs(60),
            now + Duration::from_secs(150),
        );
        assert_eq!(later.tokens, 2);
        let full = refilled(
            empty,
            10,
            Duration::from_secs(60),
            now + Duration::from_secs(6_000),
        );
        assert_eq!(full.tokens, 10);
    }

    #[test]
    fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let limit = DecisionLimit::default().trusting_proxies([proxy]);
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "1.2.3.4, 203.0.113.9, 10.0.0.2".parse().unwrap(),
        );
        // Through the proxy: the right-most address that is not a proxy.
        assert_eq!(
            limit.client(&headers, peer("10.0.0.2")),
            Some("203.0.113.9".parse().unwrap())
        );
        // From anyone else: the header is the client's own words.
        assert_eq!(
            limit.client(&headers, peer("198.51.100.5")),
            Some("198.51.100.5".parse().unwrap())
        );
        assert_eq!(limit.client(&headers, None), None);
    }

    #[test]
    fn a_repeated_decision_gets_the_first_receipt() {
        let limit = DecisionLimit::default();
        let (visitor, other) = (VisitorId::from([1; 16]), VisitorId::from([2; 16]));
        let receipt = "0b5f0e2a-6c55-4e0c-9a57-3a9d4a7f1b2c";
        assert_eq!(limit.repeated(visitor, 7), None);
        limit.remember(visitor, 7, receipt);
        // The receipt comes back as it was given, for that visitor and
        // that decision only.
        assert_eq!(limit.repeated(visitor, 7).as_deref(), Some(receipt));
        assert_eq!(limit.repeated(visitor, 8), None);
        assert_eq!(limit.repeated(other, 7), None);
        // A new decision replaces the last one.
        limit.remember(visitor, 8, "1c6f1f3b-7d66-4f1d-8b68-4b0e5b802c3d");
        assert_eq!(limit.repeated(visitor, 7), None);
        assert_eq!(
            limit.repeated(visitor, 8).as_deref(),
            Some("1c6f1f3b-7d66-4f1d-8b68-4b0e5b802c3d")
        );
        // A receipt that is no UUID (the log makes none) is not kept.
        limit.remember(other, 7, "r-1");
        assert_eq!(limit.repeated(other, 7), None);
    }
}
