//! Whose history a decision joins: the visitor's id, minted by the server
//! and kept in a cookie the page cannot read.
//!
//! The banner's `consentId` is made in the browser: any page script, or
//! anyone with `curl`, can send any id, and so append decisions to another
//! visitor's history. The log therefore never takes the id from the body.
//! The server mints 128 random bits from the operating system's random
//! source ([`VisitorId::new`]) and keeps them in a cookie that is
//! `HttpOnly` (no script reads it), `SameSite=Lax`, `Path=/`, kept as long
//! as the log keeps records ([`DEFAULT_RETENTION`](crate::DEFAULT_RETENTION)), and by default
//! `Secure` with a `__Host-` name (the browser then refuses it from any
//! other host or from plain HTTP). Its value carries an HMAC-SHA-256 of the
//! id under the server's key, so an id the server did not mint (forged, or
//! copied from another visitor's record without the tag) is not
//! recognised: the request starts a new history.
//!
//! ```
//! use cookie_policy_consent_log::visitor::VisitorCookie;
//! use http::HeaderMap;
//!
//! let cookie = VisitorCookie::new([7; 32]);
//! let (visitor, set_cookie) = cookie.identify(&HeaderMap::new());
//! let set_cookie = set_cookie.unwrap(); // a new visitor gets the cookie
//! assert!(set_cookie.to_str().unwrap().starts_with("__Host-cp_visitor="));
//! assert!(set_cookie.to_str().unwrap().ends_with("; Path=/; Max-Age=34214400; Secure; HttpOnly; SameSite=Lax"));
//!
//! // The next request carries it back: the same visitor, no new cookie.
//! let mut headers = HeaderMap::new();
//! let pair = set_cookie.to_str().unwrap().split(';').next().unwrap().to_owned();
//! headers.insert("cookie", pair.parse().unwrap());
//! assert_eq!(cookie.identify(&headers), (visitor, None));
//! ```

use core::fmt;

use hmac::{Hmac, Mac as _};
use http::HeaderMap;
use http::header::{COOKIE, HeaderValue};
use sha2::Sha256;

/// A visitor's id: 128 bits, written as 32 lowercase hex digits. A fresh
/// one is a UUID version 7 (RFC 9562): the millisecond it was made, then
/// 74 random bits. What makes an id the visitor's is the cookie's tag, not
/// its secrecy; the random bits keep ids from colliding, and the time first
/// keeps a log's index on ids in the order ids are made, so a new visitor's
/// record is written beside the last one instead of on a random page of the
/// index (SQLite wrote four times the pages per decision with random ids:
/// `docs/performance.md`). The time is when the visitor was first seen,
/// which every record of theirs already holds.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct VisitorId([u8; 16]);

impl VisitorId {
    /// A fresh id: a UUID version 7, time first, then bits from the
    /// operating system's random source.
    pub fn new() -> VisitorId {
        VisitorId(*uuid::Uuid::now_v7().as_bytes())
    }
}

impl From<[u8; 16]> for VisitorId {
    /// The visitor of these 128 bits: an id read back from a log, or one
    /// made for a test. Only the cookie's tag makes an id a visitor's.
    fn from(bits: [u8; 16]) -> VisitorId {
        VisitorId(bits)
    }
}

impl Default for VisitorId {
    fn default() -> VisitorId {
        VisitorId::new()
    }
}

impl fmt::Display for VisitorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::chain::hex(&self.0))
    }
}

impl fmt::Debug for VisitorId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "VisitorId({self})")
    }
}

/// The cookie that holds a visitor's id, and the key that signs it.
#[derive(Clone)]
pub struct VisitorCookie {
    /// The HMAC keyed and fed the domain prefix, cloned for each id: the
    /// key's two padded blocks are hashed once, not per request.
    mac: Hmac<Sha256>,
    secure: bool,
}

impl fmt::Debug for VisitorCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VisitorCookie")
            .field("name", &self.name())
            .finish_non_exhaustive()
    }
}

/// The cookie's name on HTTPS: `__Host-` binds it to the host and to HTTPS.
pub const SECURE_NAME: &str = "__Host-cp_visitor";
/// The cookie's name on plain HTTP (a site on `http://127.0.0.1`), where a
/// `Secure` cookie cannot be set.
pub const PLAIN_NAME: &str = "cp_visitor";

impl VisitorCookie {
    /// The cookie signed with `key`: 32 bytes the server keeps secret and
    /// shares with every instance that serves the site (from a secret
    /// store; [`VisitorCookie::random`] when one process serves alone).
    /// `__Host-cp_visitor`, `Secure`.
    pub fn new(key: [u8; 32]) -> VisitorCookie {
        // Domain separation: this key signs visitor ids and nothing else.
        let mut mac =
            <Hmac<Sha256> as hmac::Mac>::new_from_slice(&key).unwrap_or_else(|_| unreachable_key());
        mac.update(b"cookie-policy visitor v1\0");
        VisitorCookie { mac, secure: true }
    }

    /// A cookie signed with a key drawn now from the operating system's
    /// random source: ids do not survive a restart (each visitor then starts
    /// a new history, which loses no record).
    pub fn random() -> VisitorCookie {
        let mut key = [0; 32];
        let (high, low) = key.split_at_mut(16);
        high.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        low.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
        VisitorCookie::new(key)
    }

    /// For a site served over plain HTTP (development on `127.0.0.1`): the
    /// cookie is `cp_visitor`, without `Secure`, which a browser refuses
    /// from HTTP. Never for a public site.
    #[must_use]
    pub fn plain_http(mut self) -> VisitorCookie {
        self.secure = false;
        self
    }

    /// The cookie's name: [`SECURE_NAME`] or [`PLAIN_NAME`].
    pub fn name(&self) -> &'static str {
        if self.secure { SECURE_NAME } else { PLAIN_NAME }
    }

    /// The visitor a request's cookies name, if the server minted that
    /// id; else a new visitor and the `Set-Cookie` that gives them the
    /// cookie.
    pub fn identify(&self, request: &HeaderMap) -> (VisitorId, Option<HeaderValue>) {
        if let Some(visitor) = self.visitor_in(request) {
            return (visitor, None);
        }
        let visitor = VisitorId::new();
        let value = format!(
            "{}={visitor}.{}; Path=/; Max-Age={};{} HttpOnly; SameSite=Lax",
            self.name(),
            self.tag(&visitor),
            crate::DEFAULT_RETENTION.as_secs(),
            if self.secure { " Secure;" } else { "" }
        );
        (visitor, HeaderValue::from_str(&value).ok())
    }

    /// The visitor of the request's cookie, when its tag is this key's.
    pub fn visitor_in(&self, request: &HeaderMap) -> Option<VisitorId> {
        let name = self.name();
        request
            .get_all(COOKIE)
            .iter()
            .filter_map(|header| header.to_str().ok())
            .flat_map(|header| header.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(key, _)| *key == name)
            .find_map(|(_, value)| self.verified(value))
    }

    /// `id.tag`, if the tag is this key's HMAC of the id.
    fn verified(&self, value: &str) -> Option<VisitorId> {
        let (id, tag) = value.split_once('.')?;
        let visitor = VisitorId(hex16(id)?);
        let tag = hex16(tag)?;
        let mut mac = self.mac();
        mac.update(&visitor.0);
        // Constant-time comparison of the first 16 bytes of the HMAC.
        mac.verify_truncated_left(&tag).ok()?;
        Some(visitor)
    }

    /// The first 16 bytes of the HMAC of `visitor`, in hex.
    fn tag(&self, visitor: &VisitorId) -> String {
        let mut mac = self.mac();
        mac.update(&visitor.0);
        let full = mac.finalize().into_bytes();
        crate::chain::hex(full.get(..16).unwrap_or_default())
    }

    fn mac(&self) -> Hmac<Sha256> {
        self.mac.clone()
    }
}

/// HMAC takes a key of any length: never called.
#[allow(clippy::panic, reason = "HMAC accepts keys of every length")]
fn unreachable_key() -> Hmac<Sha256> {
    panic!("HMAC refused a 32-byte key")
}

/// 32 lowercase hex digits as 16 bytes.
fn hex16(text: &str) -> Option<[u8; 16]> {
    if text.len() != 32 {
        return None;
    }
    let mut bytes = [0; 16];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks(2)) {
        let digits = core::str::from_utf8(pair).ok()?;
        if digits.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        *byte = u8::from_str_radix(digits, 16).ok()?;
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carrying(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, value.parse().unwrap());
        headers
    }

    #[test]
    fn ids_are_random_and_128_bits() {
        let (a, b) = (VisitorId::new(), VisitorId::new());
        assert_ne!(a, b);
        assert_eq!(a.to_string().len(), 32);
    }

    /// RFC 9562's version 7 layout, read independently of the uuid crate:
    /// the first 48 bits are the Unix time in milliseconds, the version
    /// nibble is 7; so ids made a few milliseconds apart sort as made.
    #[test]
    fn ids_are_time_ordered_uuid_v7() {
        let before = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis();
        let first = VisitorId::new().to_string();
        std::thread::sleep(std::time::Duration::from_millis(3));
        let second = VisitorId::new().to_string();
        let millis = u128::from_str_radix(&first[..12], 16).unwrap();
        assert!(millis >= before && millis <= before + 1000, "{first}");
        assert_eq!(&first[12..13], "7", "{first}");
        assert!(first < second, "{first} then {second}");
    }

    #[test]
    fn a_forged_or_foreign_id_starts_a_new_history() {
        let cookie = VisitorCookie::new([1; 32]).plain_http();
        let (visitor, set) = cookie.identify(&HeaderMap::new());
        let set = set.unwrap();
        let set = set.to_str().unwrap();
        assert!(
            set.starts_with("cp_visitor=") && !set.contains("Secure"),
            "{set}"
        );
        let value = set
            .split(';')
            .next()
            .unwrap()
            .strip_prefix("cp_visitor=")
            .unwrap();
        let (id, tag) = value.split_once('.').unwrap();
        assert_eq!(id, visitor.to_string());
        // Carried back: the same visitor.
        assert_eq!(
            cookie.visitor_in(&carrying(&format!("a=b; cp_visitor={value}"))),
            Some(visitor)
        );
        // Forged: another id with this tag, the id without a tag, a tag
        // made with another key, upper-case hex, junk.
        let other = VisitorId::new().to_string();
        let foreign = VisitorCookie::new([2; 32]).tag(&visitor);
        for forged in [
            format!("{other}.{tag}"),
            id.to_owned(),
            format!("{id}.{foreign}"),
            format!("{}.{tag}", id.to_ascii_uppercase()),
            format!("{id}.{}", &tag[..30]),
            "x".repeat(65),
        ] {
            let headers = carrying(&format!("cp_visitor={forged}"));
            assert_eq!(cookie.visitor_in(&headers), None, "{forged}");
            let (new, set) = cookie.identify(&headers);
            assert!(new != visitor && set.is_some(), "{forged}");
        }
    }
}
