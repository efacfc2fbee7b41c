//! Proof of consent for [`cookie_policy`]: one record per decision a
//! visitor makes, kept in a store, with what they were shown.
//!
//! GDPR Art. 7(1) asks the controller to be able to demonstrate that the
//! visitor consented; the EDPB (Guidelines 05/2020, §5.1) asks for a record
//! of how and when, and of what information was shown. A policy compiled
//! into the server knows exactly that: each [`ConsentRecord`] holds the
//! categories accepted and rejected, the policy's revision and a SHA-256 of
//! the policy as compiled, and the store keeps the page of each revision
//! once, so that what was shown can be produced later.
//!
//! - [`ConsentLog`]: the log of one policy, over a [`ConsentStore`];
//! - [`endpoint`]: `POST /consent`, where the banner posts each decision;
//! - [`ConsentStore`]: where records are kept. The stores are crates of
//!   their own, so that an application pulls in only the database driver it
//!   uses: `cookie-policy-consent-log-sqlite` (an embedded file) and
//!   `cookie-policy-consent-log-postgres` (a log a fleet of servers shares).
//!
//! See `docs/consent-log.md` for what is stored, why and for how long.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::time::Duration;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use cookie_policy::{Category, Consent, CookiePolicy, Language, PolicyData, Revision};

pub mod chain;
pub mod endpoint;
pub mod limit;
mod random;
mod row;
pub mod same_origin;
pub mod visitor;

pub use row::{CHAIN_COLUMNS, COLUMNS, PageRow, Row, migrations, schema_v1};

/// How long records are kept by default: 13 months (396 days). The CNIL
/// caps a tracker consent's life at 13 months, after which the visitor must
/// be asked again; a record is needed as long as the site relies on the
/// consent it proves, and the GDPR's storage limitation (Art. 5(1)(e))
/// argues against keeping the rest (an id, a network, a user agent) longer.
/// A site that must answer older claims sets its own period. See
/// `docs/consent-log.md`.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(396 * 86_400);

/// Who recorded a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// The banner posted it ([`endpoint`]).
    Banner,
    /// The server set the consent cookie itself ([`ConsentLog::record`]).
    Server,
}

impl Origin {
    /// `banner` or `server`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Origin::Banner => "banner",
            Origin::Server => "server",
        }
    }
}

/// What decided the categories of a record.
///
/// A decision that comes with a Global Privacy Control signal
/// (`Sec-GPC: 1`, [`Context::gpc`]) is recorded as the server enforces it
/// ([`Consent::honouring_gpc`](cookie_policy::Consent::honouring_gpc)):
/// the categories the policy refuses under GPC are refused unless the
/// visitor granted them knowing the signal, and the source says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The visitor's choice; no GPC signal came with it.
    Choice,
    /// A GPC signal came with the decision and every category the policy
    /// refuses under GPC is refused: the signal decided them (the banner's
    /// first visit under GPC, or a choice that confirms the refusal).
    Gpc,
    /// A GPC signal came with the decision, and the visitor explicitly
    /// granted a category the policy refuses under GPC: the later, explicit
    /// grant wins, and is recorded as such.
    GrantOverGpc,
}

impl Source {
    /// Every source.
    pub const ALL: [Source; 3] = [Source::Choice, Source::Gpc, Source::GrantOverGpc];

    /// `choice`, `gpc` or `grant-over-gpc`: the log's column and the
    /// exports.
    pub const fn as_str(self) -> &'static str {
        match self {
            Source::Choice => "choice",
            Source::Gpc => "gpc",
            Source::GrantOverGpc => "grant-over-gpc",
        }
    }
}

/// One decision of one visitor.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ConsentRecord {
    /// Whose history this decision joins: the visitor's id the server
    /// minted ([`visitor::VisitorId`], from the visitor's signed cookie),
    /// or, for a decision recorded without one, a fresh random id. Never
    /// taken from the request's body.
    pub consent_id: String,
    /// The banner's own `consentId`, as posted, when it is 1 to 64
    /// letters, digits or `-`: kept as a field, to match the visitor's
    /// cookie; it chooses no history.
    pub banner_consent_id: Option<String>,
    /// This record's id, 128 random bits in UUID form, returned to the
    /// banner as a receipt.
    pub receipt: String,
    /// The server's time, in milliseconds since the Unix epoch.
    pub time_ms: u64,
    /// The categories accepted, necessary included.
    pub accepted: Vec<Category>,
    /// The categories the policy has cookies for that were not accepted.
    pub rejected: Vec<Category>,
    /// The policy's revision, [`CookiePolicy::REVISION`].
    pub revision: Revision,
    /// SHA-256 of the policy as compiled ([`PolicyData::json`]), hex.
    pub policy_sha256: String,
    /// The language the visitor was shown: one of the policy's.
    pub language: Language,
    /// The page the decision was made on.
    pub page: String,
    /// The visitor's network, `/24` or `/48`, when the site opts in; never
    /// the address itself.
    pub network: Option<String>,
    /// The visitor's user agent, when the site opts in.
    pub user_agent: Option<String>,
    /// Who recorded it.
    pub origin: Origin,
    /// What decided it: the visitor, or a Global Privacy Control signal.
    pub source: Source,
}

impl ConsentRecord {
    /// [`time_ms`](Self::time_ms) as JavaScript's `Date.toISOString` writes
    /// it: `2026-11-30T09:00:00.000Z`.
    pub fn time_iso(&self) -> String {
        let ms = i64::try_from(self.time_ms).unwrap_or(i64::MAX);
        jiff::Timestamp::from_millisecond(ms)
            .map(|time| format!("{time:.3}"))
            .unwrap_or_default()
    }
}

/// The page of one revision in one language: what a visitor was shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShownPage {
    /// The policy's revision.
    pub revision: Revision,
    /// The page's language.
    pub language: Language,
    /// SHA-256 of the policy as compiled (hex).
    pub policy_sha256: String,
    /// The policy page, in Markdown ([`PolicyData::markdown`]).
    pub page: String,
}

/// Why the log could not do what it was asked.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LogError {
    /// The store failed: the record was not kept.
    #[error("the consent log's store failed: {0}")]
    Store(String),
    /// The store is gone (its writer stopped).
    #[error("the consent log's store is closed")]
    Closed,
    /// The decision holds what no store can keep (a NUL byte): nothing
    /// was recorded. The input's fault, not the store's.
    #[error("{0}")]
    Unstorable(String),
}

/// A boxed future, as [`ConsentStore`]'s methods return.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, LogError>> + Send + 'a>>;

/// Where records are kept. Each method resolves once its work is durable:
/// a record [`append`](ConsentStore::append) acknowledges is never lost.
pub trait ConsentStore: Send + Sync + 'static {
    /// Keeps a record.
    fn append(&self, record: ConsentRecord) -> StoreFuture<'_, ()>;
    /// Keeps a page, once per revision and language.
    fn keep_page(&self, page: ShownPage) -> StoreFuture<'_, ()>;
    /// Every decision of one visitor, oldest first.
    fn decisions(&self, consent_id: &str) -> StoreFuture<'_, Vec<ConsentRecord>>;
    /// The records made at or after `since_ms`, oldest first.
    fn since(&self, since_ms: u64) -> StoreFuture<'_, Vec<ConsentRecord>>;
    /// The page shown for a revision in a language.
    fn page(&self, revision: Revision, language: &Language) -> StoreFuture<'_, Option<ShownPage>>;
    /// Deletes the records made before `before_ms`, as a prefix of the
    /// chain (up to the first record that is not that old), keeping the
    /// last deleted record's place and hash as the chain's anchor; returns
    /// how many.
    fn purge(&self, before_ms: u64) -> StoreFuture<'_, u64>;
    /// Every record in chain order with its links, and the anchor:
    /// what [`chain::verify`] checks.
    fn chain(&self) -> StoreFuture<'_, chain::Chain>;
}

/// The consent log of one policy: builds records from decisions and keeps
/// them in a store. Cloning shares the store.
#[derive(Clone)]
pub struct ConsentLog {
    store: Arc<dyn ConsentStore>,
    policy: PolicyData,
    policy_sha256: Arc<str>,
    keep_network: bool,
    keep_user_agent: bool,
    /// The (revision, language) pages this log has kept already.
    pages_kept: Arc<std::sync::Mutex<Vec<String>>>,
}

impl fmt::Debug for ConsentLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsentLog")
            .field("revision", &self.policy.revision())
            .field("policy_sha256", &self.policy_sha256)
            .field("keep_network", &self.keep_network)
            .field("keep_user_agent", &self.keep_user_agent)
            .finish_non_exhaustive()
    }
}

/// What a decision came with besides its categories.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The visitor's id, from their signed cookie
    /// ([`visitor::VisitorCookie::identify`]); `None` for a decision
    /// recorded without one, which gets a fresh id.
    pub visitor: Option<visitor::VisitorId>,
    /// The banner's own consent id, if it sent one (kept as a field).
    pub consent_id: Option<String>,
    /// The language shown.
    pub language: Option<String>,
    /// The page it was made on.
    pub page: Option<String>,
    /// The visitor's address (kept as its network, if the site opts in).
    pub address: Option<IpAddr>,
    /// The visitor's user agent (kept if the site opts in).
    pub user_agent: Option<String>,
    /// The request carried a Global Privacy Control signal (`Sec-GPC: 1`,
    /// read by [`cookie_policy::gpc::gpc_requested`]): the decision is
    /// recorded honouring it, with its [`Source`].
    pub gpc: bool,
}

/// Longest texts kept: longer ones are cut (at a character boundary).
const MAX_TEXT: usize = 2048;

impl ConsentLog {
    /// The log of policy `P` in `store`. Neither the network nor the user
    /// agent is kept unless asked ([`keep_network`](Self::keep_network),
    /// [`keep_user_agent`](Self::keep_user_agent)).
    pub fn new<P: CookiePolicy + ?Sized>(store: impl ConsentStore) -> ConsentLog {
        ConsentLog::for_policy(PolicyData::of::<P>(), store)
    }

    /// [`new`](Self::new), for a policy's data.
    pub fn for_policy(policy: PolicyData, store: impl ConsentStore) -> ConsentLog {
        ConsentLog {
            store: Arc::new(store),
            policy,
            policy_sha256: policy_sha256(&policy).into(),
            keep_network: false,
            keep_user_agent: false,
            pages_kept: Arc::default(),
        }
    }

    /// Keeps the visitor's network (`/24` for IPv4, `/48` for IPv6) with
    /// each record. The address itself is never stored.
    #[must_use]
    pub fn keep_network(mut self, keep: bool) -> Self {
        self.keep_network = keep;
        self
    }

    /// Keeps the visitor's user agent with each record.
    #[must_use]
    pub fn keep_user_agent(mut self, keep: bool) -> Self {
        self.keep_user_agent = keep;
        self
    }

    /// The store.
    pub fn store(&self) -> &dyn ConsentStore {
        &*self.store
    }

    /// The policy this log records decisions about.
    pub fn policy(&self) -> &PolicyData {
        &self.policy
    }

    /// `consent` as the server enforces it, and its [`Source`]: with a GPC
    /// signal (`gpc`), the categories the policy refuses under GPC are
    /// withdrawn unless chosen under it.
    fn gpc_source(&self, consent: Consent, gpc: bool) -> (Consent, Source) {
        if !gpc {
            return (consent, Source::Choice);
        }
        let enforced = consent.honouring_gpc(&self.policy);
        let granted_over = self
            .policy
            .gpc_refused()
            .any(|category| enforced.allows(category));
        let source = if granted_over {
            Source::GrantOverGpc
        } else {
            Source::Gpc
        };
        (enforced, source)
    }

    /// The record of `consent` decided in `context`, at the server's time.
    pub fn record_of(&self, consent: Consent, context: Context, origin: Origin) -> ConsentRecord {
        let (consent, source) = self.gpc_source(consent, context.gpc);
        let time_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
            });
        let used = self.policy.categories_used();
        // The language posted if the policy has it, else its default; the
        // policy's languages were checked by the derive.
        let site = self.policy.site();
        let language = context
            .language
            .as_deref()
            .filter(|language| site.languages().contains(language))
            .unwrap_or(site.default_language());
        let language = Language::new(language).unwrap_or(Language::EN);
        ConsentRecord {
            consent_id: context
                .visitor
                .map_or_else(generated_id, |visitor| visitor.to_string()),
            banner_consent_id: context.consent_id.filter(|id| valid_consent_id(id)),
            receipt: generated_id(),
            time_ms,
            accepted: consent.categories().collect(),
            rejected: used
                .into_iter()
                .filter(|&category| !consent.allows(category))
                .collect(),
            revision: self.policy.revision(),
            policy_sha256: self.policy_sha256.to_string(),
            language,
            page: cut(context.page.unwrap_or_default()),
            network: context.address.filter(|_| self.keep_network).map(network),
            user_agent: context.user_agent.filter(|_| self.keep_user_agent).map(cut),
            origin,
            source,
        }
    }

    /// Records a decision: keeps the page of the revision and language
    /// shown (once), then the record; resolves when both are durable.
    /// Returns the record kept.
    pub async fn record(
        &self,
        consent: Consent,
        context: Context,
        origin: Origin,
    ) -> Result<ConsentRecord, LogError> {
        let record = self.record_of(consent, context, origin);
        // PostgreSQL's text cannot hold NUL, and SQLite's tools stop at it:
        // refused here, the same on every store.
        for (field, text) in [
            ("page", Some(&record.page)),
            ("user agent", record.user_agent.as_ref()),
        ] {
            if text.is_some_and(|text| text.contains('\0')) {
                return Err(LogError::Unstorable(format!(
                    "the {field} holds a NUL byte, which no consent log stores; send it without"
                )));
            }
        }
        // The page of each revision and language is kept once: the store
        // ignores a second copy, and this log does not ask twice.
        let key = format!("{}/{}", record.revision, record.language);
        let kept = self
            .pages_kept
            .lock()
            .map(|kept| kept.contains(&key))
            .unwrap_or(false);
        if !kept {
            let page = self
                .policy
                .markdown(record.language.as_str())
                .or_else(|_| self.policy.markdown(self.policy.site().default_language()))
                .unwrap_or_default();
            self.store
                .keep_page(ShownPage {
                    revision: record.revision,
                    language: record.language.clone(),
                    policy_sha256: record.policy_sha256.clone(),
                    page,
                })
                .await?;
            if let Ok(mut kept) = self.pages_kept.lock() {
                kept.push(key);
            }
        }
        self.store.append(record.clone()).await?;
        Ok(record)
    }

    /// Deletes the records older than `retention`; returns how many.
    pub async fn purge(&self, retention: Duration) -> Result<u64, LogError> {
        let before = SystemTime::now()
            .checked_sub(retention)
            .unwrap_or(UNIX_EPOCH)
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| u64::try_from(since.as_millis()).unwrap_or(0));
        self.store.purge(before).await
    }
}

/// SHA-256 of the policy as compiled: of its JSON export, which holds every
/// field of every cookie, provider and the site, and the revision.
pub fn policy_sha256(policy: &PolicyData) -> String {
    let digest = Sha256::digest(policy.json().as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A consent id the banner could have written: 1 to 64 characters of
/// letters, digits and `-`.
fn valid_consent_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A fresh id for a decision without one, and each record's receipt: 122
/// bits from the operating system's random source ([`random`]), in UUID
/// version 4 form.
fn generated_id() -> String {
    random::uuid_v4().to_string()
}

/// The network of an address: `/24` for IPv4, `/48` for IPv6.
fn network(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            format!("{a}.{b}.{c}.0/24")
        }
        IpAddr::V6(v6) => {
            let [a, b, c, ..] = v6.segments();
            format!("{a:x}:{b:x}:{c:x}::/48")
        }
    }
}

/// `text`, cut to [`MAX_TEXT`] bytes at a character boundary.
fn cut(mut text: String) -> String {
    if text.len() > MAX_TEXT {
        let mut end = MAX_TEXT;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_never_hold_the_address() {
        assert_eq!(network("203.0.113.77".parse().unwrap()), "203.0.113.0/24");
        assert_eq!(
            network("2001:db8:85a3:8d3:1319:8a2e:370:7348".parse().unwrap()),
            "2001:db8:85a3::/48"
        );
    }

    #[test]
    fn consent_ids_are_checked_and_generated_ones_are_unique() {
        assert!(valid_consent_id("8c3a0e52-5f3b-4d3e-9a57-0a9d4a7f1b2c"));
        assert!(!valid_consent_id(""));
        assert!(!valid_consent_id("'; DROP TABLE consents; --"));
        assert!(!valid_consent_id(&"a".repeat(65)));
        let a = generated_id();
        let b = generated_id();
        assert_ne!(a, b);
        assert!(valid_consent_id(&a) && a.len() == 36, "{a}");
    }

    #[test]
    fn long_texts_are_cut_at_a_character() {
        let text = "é".repeat(MAX_TEXT);
        let cut = cut(text);
        assert!(cut.len() <= MAX_TEXT && cut.chars().all(|c| c == 'é'));
    }
}
