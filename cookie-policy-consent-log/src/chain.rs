//! The log as a hash chain: each record carries the hash of the one
//! before it, so that a record edited in place, deleted from the middle,
//! moved, or a tail cut off is seen by [`verify`].
//!
//! A record's hash is SHA-256 over a canonical encoding (RFC 6962 style:
//! a domain-separation prefix that no other hash of this crate uses, then
//! fixed-width integers and length-prefixed texts, so no two records
//! encode alike):
//!
//! ```text
//! "cookie-policy consent log record v1\0"
//! seq (u64, big-endian) · previous hash (32 bytes)
//! consent_id · time_ms (i64) · accepted · rejected · revision · policy_sha256
//! · language · origin · banner_consent_id (or "") · receipt · personal_sha256
//! ```
//!
//! (each text as its length, u32 big-endian, then its UTF-8 bytes). The
//! first record's previous hash is 32 zero bytes.
//!
//! The personal data a visitor may ask to erase (the page, the network,
//! the user agent) is outside the hashed part: the chain hashes
//! `personal_sha256`, a SHA-256 of a random 16-byte salt and those fields.
//! While the salt is kept, [`verify`] checks the fields against it; erasing
//! them (the fields and the salt emptied) leaves the chain whole, and the
//! salt keeps the digest from being reversed by guessing a user agent.
//!
//! A [`Checkpoint`] is the chain's size and head hash, to publish or keep
//! outside the database; [`verify`] against it proves the log only grew.
//! Purging by retention removes a prefix and keeps the hash of its last
//! record as the new start (the anchor), so the rest still verifies.

use core::fmt;

use sha2::{Digest, Sha256};

use crate::{Row, Source};

/// The hash before the first record.
pub const GENESIS: [u8; 32] = [0; 32];

const RECORD_PREFIX: &[u8] = b"cookie-policy consent log record v1\0";
const PERSONAL_PREFIX: &[u8] = b"cookie-policy consent log personal v1\0";

/// One record as the chain holds it: its row, its place and its links.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// Its place in the chain, from 1, with no gap.
    pub seq: u64,
    /// The previous record's hash (hex).
    pub prev_hash: String,
    /// This record's hash (hex).
    pub hash: String,
    /// The record.
    pub row: Row,
}

/// A log's records in chain order, and where the chain starts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chain {
    /// After a purge: the last purged record's place and hash, which the
    /// first kept record links to. `None`: the chain starts at the genesis.
    pub anchor: Option<(u64, String)>,
    /// The records, by `seq`.
    pub links: Vec<Link>,
}

/// A log's size and head hash at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// How many records the chain has had (the last `seq`).
    pub size: u64,
    /// The last record's hash (hex); the genesis for an empty log.
    pub head: String,
}

impl fmt::Display for Checkpoint {
    /// `cookie-policy consent log checkpoint v1`, then `size N` and
    /// `head HEX`, one per line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "cookie-policy consent log checkpoint v1")?;
        writeln!(f, "size {}", self.size)?;
        writeln!(f, "head {}", self.head)
    }
}

impl core::str::FromStr for Checkpoint {
    type Err = String;

    /// What [`Display`](fmt::Display) writes.
    fn from_str(text: &str) -> Result<Checkpoint, String> {
        let mut lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
        let bad = || {
            "not a checkpoint: expected `cookie-policy consent log checkpoint v1`, `size N`, `head HEX` as `cookie-policy consents checkpoint` prints them".to_owned()
        };
        if lines.next() != Some("cookie-policy consent log checkpoint v1") {
            return Err(bad());
        }
        let size = lines
            .next()
            .and_then(|line| line.strip_prefix("size "))
            .and_then(|size| size.parse().ok())
            .ok_or_else(bad)?;
        let head = lines
            .next()
            .and_then(|line| line.strip_prefix("head "))
            .filter(|head| head.len() == 64 && head.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(bad)?;
        Ok(Checkpoint {
            size,
            head: head.to_ascii_lowercase(),
        })
    }
}

/// The digest of a record's personal data under its salt.
pub fn personal_sha256(
    salt: &str,
    page: &str,
    network: Option<&str>,
    user_agent: Option<&str>,
) -> String {
    let (network, user_agent) = (network.unwrap_or(""), user_agent.unwrap_or(""));
    let mut encoding = Vec::with_capacity(
        PERSONAL_PREFIX.len() + 16 + salt.len() + page.len() + network.len() + user_agent.len(),
    );
    encoding.extend_from_slice(PERSONAL_PREFIX);
    for text in [salt, page, network, user_agent] {
        text_into(&mut encoding, text);
    }
    hex(&Sha256::digest(&encoding))
}

/// The hash of the record `row` at place `seq` after `prev_hash` (hex).
pub fn record_hash(seq: u64, prev_hash: &str, row: &Row) -> String {
    let texts = [
        &row.accepted,
        &row.rejected,
        &row.revision,
        &row.policy_sha256,
        &row.language,
        &row.origin,
        row.banner_consent_id.as_deref().unwrap_or(""),
        &row.receipt,
        &row.personal_sha256,
    ];
    // The encoding is written out, then hashed in one call: feeding the
    // hasher a dozen small pieces costs more than the hash itself.
    let mut encoding = Vec::with_capacity(
        RECORD_PREFIX.len()
            + 8
            + 32
            + 8
            + 4 * (texts.len() + 1)
            + row.consent_id.len()
            + texts.iter().map(|text| text.len()).sum::<usize>(),
    );
    encoding.extend_from_slice(RECORD_PREFIX);
    encoding.extend_from_slice(&seq.to_be_bytes());
    encoding.extend_from_slice(&unhex(prev_hash).unwrap_or([0xff; 32]));
    text_into(&mut encoding, &row.consent_id);
    encoding.extend_from_slice(&row.time_ms.to_be_bytes());
    for text in texts {
        text_into(&mut encoding, text);
    }
    // A choice, the source of every record before the column existed,
    // adds nothing: their links keep their hashes.
    if row.source != Source::Choice.as_str() {
        text_into(&mut encoding, &row.source);
    }
    hex(&Sha256::digest(&encoding))
}

/// The next link after `head` (`(seq, hash)` of the last record, `None`
/// for an empty chain).
pub fn next_link(head: Option<(u64, &str)>, row: Row) -> Link {
    let (seq, prev_hash, hash) = next_hash(head, &row);
    Link {
        seq,
        prev_hash,
        hash,
        row,
    }
}

/// The place, previous hash and hash of `row` linked after `head`: what
/// [`next_link`] links, for a writer that keeps the row where it is.
pub fn next_hash(head: Option<(u64, &str)>, row: &Row) -> (u64, String, String) {
    let (seq, prev_hash) = match head {
        Some((seq, hash)) => (seq + 1, hash.to_owned()),
        None => (1, hex(&GENESIS)),
    };
    let hash = record_hash(seq, &prev_hash, row);
    (seq, prev_hash, hash)
}

/// Where and how a chain is broken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    /// A record's place is not the one after the previous record's: a
    /// record is missing before it, or records were moved.
    #[error(
        "record {found} comes where record {expected} should: a record is missing or the order was changed"
    )]
    Gap {
        /// The place expected.
        expected: u64,
        /// The place found.
        found: u64,
    },
    /// A record does not link to the one before it.
    #[error(
        "record {seq} does not follow the record before it: a record before it was removed, moved or changed"
    )]
    Unlinked {
        /// The record.
        seq: u64,
    },
    /// A record's content is not what its hash says.
    #[error("record {seq} was changed after it was written (its hash no longer matches)")]
    Edited {
        /// The record.
        seq: u64,
    },
    /// A record's personal data is not what its digest says.
    #[error("the page, network or user agent of record {seq} was changed after it was written")]
    PersonalEdited {
        /// The record.
        seq: u64,
    },
    /// The log is shorter than a checkpoint said it was.
    #[error(
        "the log has {size} records, and the checkpoint saw {expected}: records were cut off the end"
    )]
    Truncated {
        /// The checkpoint's size.
        expected: u64,
        /// The log's size now.
        size: u64,
    },
    /// The record at the checkpoint's size is not the one it saw.
    #[error("record {seq} is not the one the checkpoint saw: the log was rewritten since")]
    Rewritten {
        /// The checkpoint's size.
        seq: u64,
    },
    /// The checkpoint's records were purged: it can no longer be checked.
    #[error("the checkpoint's head, record {seq}, was purged: check against a newer checkpoint")]
    Purged {
        /// The checkpoint's size.
        seq: u64,
    },
}

/// Checks a chain from its anchor to its end (and against `checkpoint`,
/// when given); its checkpoint now when whole, else where it first breaks.
pub fn verify(chain: &Chain, checkpoint: Option<&Checkpoint>) -> Result<Checkpoint, ChainBreak> {
    let (mut seq, mut head) = match &chain.anchor {
        Some((seq, hash)) => (*seq, hash.clone()),
        None => (0, hex(&GENESIS)),
    };
    let mut at_checkpoint = None;
    for link in &chain.links {
        if link.seq != seq + 1 {
            return Err(ChainBreak::Gap {
                expected: seq + 1,
                found: link.seq,
            });
        }
        if link.prev_hash != head {
            return Err(ChainBreak::Unlinked { seq: link.seq });
        }
        if record_hash(link.seq, &link.prev_hash, &link.row) != link.hash {
            return Err(ChainBreak::Edited { seq: link.seq });
        }
        let row = &link.row;
        if let Some(salt) = row.salt.as_deref().filter(|salt| !salt.is_empty())
            && personal_sha256(
                salt,
                &row.page,
                row.network.as_deref(),
                row.user_agent.as_deref(),
            ) != row.personal_sha256
        {
            return Err(ChainBreak::PersonalEdited { seq: link.seq });
        }
        seq = link.seq;
        head.clone_from(&link.hash);
        if checkpoint.is_some_and(|checkpoint| checkpoint.size == seq) {
            at_checkpoint = Some(head.clone());
        }
    }
    if let Some(checkpoint) = checkpoint {
        let start = chain.anchor.as_ref().map_or(0, |(seq, _)| *seq);
        if checkpoint.size > seq {
            return Err(ChainBreak::Truncated {
                expected: checkpoint.size,
                size: seq,
            });
        }
        let seen = if checkpoint.size == start {
            chain
                .anchor
                .as_ref()
                .map(|(_, hash)| hash.clone())
                .or_else(|| Some(hex(&GENESIS)))
        } else if checkpoint.size < start {
            return Err(ChainBreak::Purged {
                seq: checkpoint.size,
            });
        } else {
            at_checkpoint
        };
        if seen.as_deref() != Some(checkpoint.head.as_str()) {
            return Err(ChainBreak::Rewritten {
                seq: checkpoint.size,
            });
        }
    }
    Ok(Checkpoint { size: seq, head })
}

fn text_into(encoding: &mut Vec<u8>, text: &str) {
    let length = u32::try_from(text.len()).unwrap_or(u32::MAX);
    encoding.extend_from_slice(&length.to_be_bytes());
    encoding.extend_from_slice(text.as_bytes());
}

/// `bytes` in lower-case hex (a table lookup per digit: `format!` per
/// byte was a fifth of the writer's time).
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        for nibble in [byte >> 4, byte & 0xf] {
            text.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    text
}

fn unhex(text: &str) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let digit = |byte: u8| {
        char::from(byte)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    let mut bytes = [0; 32];
    for (byte, pair) in bytes.iter_mut().zip(text.as_bytes().chunks_exact(2)) {
        *byte = match (
            pair.first().copied().and_then(digit),
            pair.get(1).copied().and_then(digit),
        ) {
            (Some(high), Some(low)) => high << 4 | low,
            // What `from_str_radix` also takes (a `+` sign): the same
            // bytes as before, for any text.
            _ => u8::from_str_radix(core::str::from_utf8(pair).ok()?, 16).ok()?,
        };
    }
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: u64) -> Row {
        let salt = format!("{n:032x}");
        let page = format!("https://shop.example/{n}");
        Row {
            consent_id: format!("{n:032x}"),
            time_ms: 1_780_000_000_000 + n as i64,
            accepted: "necessary".into(),
            rejected: "statistical".into(),
            revision: "00000000000000ff".into(),
            policy_sha256: "ab".repeat(32),
            language: "en".into(),
            page: page.clone(),
            network: None,
            user_agent: Some("agent".into()),
            origin: "banner".into(),
            banner_consent_id: None,
            receipt: format!("receipt-{n}"),
            personal_sha256: personal_sha256(&salt, &page, None, Some("agent")),
            salt: Some(salt),
            source: "choice".into(),
        }
    }

    /// A `choice` hashes as every record did before the `source` column
    /// (schema v3): the expected hash is computed by an independent
    /// implementation of the v3 rule (Python's hashlib, the fields in
    /// order, each text as its big-endian `u32` length and its bytes).
    #[test]
    fn a_choice_keeps_the_hash_records_had_before_the_source() {
        let old = Row {
            consent_id: "visitor-1".into(),
            time_ms: 1_780_000_000_000,
            accepted: "necessary".into(),
            rejected: "statistical".into(),
            revision: "00000000000000ff".into(),
            policy_sha256: "ab".repeat(32),
            language: "en".into(),
            page: String::new(),
            network: None,
            user_agent: None,
            origin: "banner".into(),
            banner_consent_id: None,
            receipt: "receipt-1".into(),
            salt: None,
            personal_sha256: "cd".repeat(32),
            source: "choice".into(),
        };
        assert_eq!(
            record_hash(1, &hex(&GENESIS), &old),
            "f51f9e46f471e69b61e702b9fa5c561265dc840ae4ccf4ab5cdc432f07501a94"
        );
    }

    /// Rewriting a record's source, either way, breaks its link.
    #[test]
    fn the_source_is_in_the_hash() {
        let genesis = hex(&GENESIS);
        let choice = row(1);
        let mut gpc = row(1);
        gpc.source = "gpc".into();
        let mut over = row(1);
        over.source = "grant-over-gpc".into();
        let hashes = [&choice, &gpc, &over].map(|row| record_hash(1, &genesis, row));
        assert_ne!(hashes[0], hashes[1]);
        assert_ne!(hashes[1], hashes[2]);
        assert_ne!(hashes[0], hashes[2]);
    }

    fn chain(n: u64) -> Chain {
        let mut links: Vec<Link> = Vec::new();
        for i in 1..=n {
            let head = links.last().map(|link| (link.seq, link.hash.as_str()));
            let link = next_link(head, row(i));
            links.push(link);
        }
        Chain {
            anchor: None,
            links,
        }
    }

    /// The hashes are those the first writer wrote (so logs written
    /// before stay verifiable): judged against the encoding written out
    /// naively, piece by piece into the hasher, with `format!` hex.
    #[test]
    fn hashes_are_the_documented_encoding() {
        fn naive_hex(bytes: &[u8]) -> String {
            bytes.iter().map(|byte| format!("{byte:02x}")).collect()
        }
        fn text(hasher: &mut Sha256, text: &str) {
            hasher.update((text.len() as u32).to_be_bytes());
            hasher.update(text.as_bytes());
        }
        let row = row(7);
        let prev = naive_hex(&[0x5a; 32]);
        let mut hasher = Sha256::new();
        hasher.update(b"cookie-policy consent log record v1\0");
        hasher.update(8u64.to_be_bytes());
        hasher.update([0x5a; 32]);
        text(&mut hasher, &row.consent_id);
        hasher.update(row.time_ms.to_be_bytes());
        for field in [
            &row.accepted,
            &row.rejected,
            &row.revision,
            &row.policy_sha256,
            &row.language,
            &row.origin,
            "",
            &row.receipt,
            &row.personal_sha256,
        ] {
            text(&mut hasher, field);
        }
        assert_eq!(record_hash(8, &prev, &row), naive_hex(&hasher.finalize()));

        let mut hasher = Sha256::new();
        hasher.update(b"cookie-policy consent log personal v1\0");
        for field in ["salt", "https://shop.example/", "", "agent"] {
            text(&mut hasher, field);
        }
        assert_eq!(
            personal_sha256("salt", "https://shop.example/", None, Some("agent")),
            naive_hex(&hasher.finalize())
        );

        // Every byte in and out of hex, as `from_str_radix` reads it
        // (upper case and a `+` sign too).
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(hex(&all), naive_hex(&all));
        for chunk in all.chunks(32) {
            let text = hex(chunk);
            assert_eq!(
                unhex(&text).map(|bytes| bytes.to_vec()),
                Some(chunk.to_vec())
            );
            assert_eq!(
                unhex(&text.to_ascii_uppercase()).map(|bytes| bytes.to_vec()),
                Some(chunk.to_vec())
            );
        }
        let signed = format!("+a{}", "0".repeat(62));
        assert_eq!(unhex(&signed).map(|bytes| bytes[0]), Some(0x0a));
        assert_eq!(unhex(&format!("g0{}", "0".repeat(62))), None);
    }

    #[test]
    fn a_whole_chain_verifies_and_each_tampering_is_found() {
        let whole = chain(5);
        let checkpoint = verify(&whole, None).unwrap();
        assert_eq!(checkpoint.size, 5);
        assert_eq!(
            checkpoint.to_string().parse::<Checkpoint>(),
            Ok(checkpoint.clone())
        );
        assert_eq!(verify(&Chain::default(), None).unwrap().size, 0);

        let mut edited = whole.clone();
        edited.links[2].row.accepted = "necessary+statistical".into();
        assert_eq!(verify(&edited, None), Err(ChainBreak::Edited { seq: 3 }));

        let mut deleted = whole.clone();
        deleted.links.remove(2);
        assert_eq!(
            verify(&deleted, None),
            Err(ChainBreak::Gap {
                expected: 3,
                found: 4
            })
        );

        let mut swapped = whole.clone();
        swapped.links.swap(1, 2);
        assert!(matches!(
            verify(&swapped, None),
            Err(ChainBreak::Gap { .. })
        ));
        // Swapped with their places renumbered: the links give it away.
        swapped.links[1].seq = 2;
        swapped.links[2].seq = 3;
        assert_eq!(verify(&swapped, None), Err(ChainBreak::Unlinked { seq: 2 }));

        let mut personal = whole.clone();
        personal.links[0].row.page = "https://evil.example/".into();
        assert_eq!(
            verify(&personal, None),
            Err(ChainBreak::PersonalEdited { seq: 1 })
        );

        let mut cut = whole.clone();
        cut.links.truncate(3);
        assert_eq!(
            verify(&cut, Some(&checkpoint)),
            Err(ChainBreak::Truncated {
                expected: 5,
                size: 3
            })
        );
        // A log that only grew verifies against an older checkpoint.
        let older = verify(&cut, None).unwrap();
        assert_eq!(verify(&whole, Some(&older)), Ok(checkpoint));
    }

    #[test]
    fn erasure_and_purges_keep_the_chain() {
        let whole = chain(6);
        let mut erased = whole.clone();
        let row = &mut erased.links[1].row;
        row.page.clear();
        row.network = None;
        row.user_agent = None;
        row.salt = None;
        assert!(verify(&erased, None).is_ok());

        // A purge of the first two keeps the second's hash as the anchor.
        let mut purged = whole.clone();
        let gone: Vec<Link> = purged.links.drain(..2).collect();
        purged.anchor = Some((2, gone[1].hash.clone()));
        let now = verify(&purged, None).unwrap();
        assert_eq!(now, verify(&whole, None).unwrap());
        let at_two = verify(
            &Chain {
                anchor: None,
                links: gone.clone(),
            },
            None,
        )
        .unwrap();
        assert_eq!(verify(&purged, Some(&at_two)), Ok(now));
        let at_one = verify(
            &Chain {
                anchor: None,
                links: gone[..1].to_vec(),
            },
            None,
        )
        .unwrap();
        assert_eq!(
            verify(&purged, Some(&at_one)),
            Err(ChainBreak::Purged { seq: 1 })
        );
    }
}
