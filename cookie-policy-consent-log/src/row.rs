//! A record as a store keeps it: one row of plain columns, and the one
//! mapping between that row and a [`ConsentRecord`], which every store uses.

use cookie_policy::{Category, Language};

use crate::{ConsentRecord, LogError, Origin, ShownPage, Source};

/// The columns of a record, in the order [`Row`]'s fields and every store's
/// statements list them.
pub const COLUMNS: &str = "consent_id, time_ms, accepted, rejected, revision, policy_sha256, language, page, network, user_agent, origin, banner_consent_id, receipt, salt, personal_sha256, source";

/// The columns of a record's place in the chain ([`crate::chain`]), in the
/// order stores write them after [`COLUMNS`].
pub const CHAIN_COLUMNS: &str = "chain_seq, prev_hash, hash";

/// Every migration of the schema, oldest first, in a store's own types for
/// its row number and times: a store runs those it has not run, in one
/// transaction.
pub fn migrations(row_number: &str, integer: &str) -> Vec<String> {
    vec![
        schema_v1(row_number, integer),
        // v2: the visitor's history is the server's id; the banner's id
        // and the receipt are fields.
        "ALTER TABLE consents ADD COLUMN banner_consent_id TEXT;
         ALTER TABLE consents ADD COLUMN receipt TEXT NOT NULL DEFAULT '';"
            .to_owned(),
        // v3: the hash chain. Records written before it are linked by the
        // store when it opens (`chain_seq` NULL until then).
        format!(
            "ALTER TABLE consents ADD COLUMN salt TEXT;
             ALTER TABLE consents ADD COLUMN personal_sha256 TEXT NOT NULL DEFAULT '';
             ALTER TABLE consents ADD COLUMN chain_seq {integer};
             ALTER TABLE consents ADD COLUMN prev_hash TEXT;
             ALTER TABLE consents ADD COLUMN hash TEXT;
             CREATE UNIQUE INDEX consents_by_chain ON consents (chain_seq);
             CREATE TABLE chain_anchor (chain_seq {integer} NOT NULL, hash TEXT NOT NULL);"
        ),
        // v4: what decided the record (`Source`): the visitor's choice,
        // or a Global Privacy Control signal. Records before it were
        // choices.
        "ALTER TABLE consents ADD COLUMN source TEXT NOT NULL DEFAULT 'choice';".to_owned(),
    ]
}

/// The first schema, in a store's own types for its row number and times:
/// the records, their indexes, and the pages shown. Every store creates the
/// same tables.
///
/// ```
/// let sql = cookie_policy_consent_log::schema_v1("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER");
/// assert!(sql.starts_with("CREATE TABLE consents (\n            seq INTEGER PRIMARY KEY AUTOINCREMENT,"));
/// ```
pub fn schema_v1(row_number: &str, integer: &str) -> String {
    format!(
        "CREATE TABLE consents (
            seq {row_number},
            consent_id TEXT NOT NULL,
            time_ms {integer} NOT NULL,
            accepted TEXT NOT NULL,
            rejected TEXT NOT NULL,
            revision TEXT NOT NULL,
            policy_sha256 TEXT NOT NULL,
            language TEXT NOT NULL,
            page TEXT NOT NULL,
            network TEXT,
            user_agent TEXT,
            origin TEXT NOT NULL
        );
        CREATE INDEX consents_by_id ON consents (consent_id);
        CREATE INDEX consents_by_time ON consents (time_ms);
        CREATE TABLE pages (
            revision TEXT NOT NULL,
            language TEXT NOT NULL,
            policy_sha256 TEXT NOT NULL,
            page TEXT NOT NULL,
            PRIMARY KEY (revision, language)
        );"
    )
}

/// One record as a store's columns hold it ([`COLUMNS`], in order): text
/// and a signed 64-bit time, the types both SQLite and PostgreSQL have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// `consent_id`.
    pub consent_id: String,
    /// `time_ms`.
    pub time_ms: i64,
    /// `accepted`: category names joined by `+`.
    pub accepted: String,
    /// `rejected`: likewise.
    pub rejected: String,
    /// `revision`.
    pub revision: String,
    /// `policy_sha256`.
    pub policy_sha256: String,
    /// `language`.
    pub language: String,
    /// `page`.
    pub page: String,
    /// `network`.
    pub network: Option<String>,
    /// `user_agent`.
    pub user_agent: Option<String>,
    /// `origin`: `banner` or `server`.
    pub origin: String,
    /// `banner_consent_id`.
    pub banner_consent_id: Option<String>,
    /// `receipt`.
    pub receipt: String,
    /// `salt`: 16 random bytes in hex under which `personal_sha256` hides
    /// the page, network and user agent; `None` once they are erased.
    pub salt: Option<String>,
    /// `personal_sha256`: [`crate::chain::personal_sha256`].
    pub personal_sha256: String,
    /// `source`: `choice`, `gpc` or `grant-over-gpc` ([`crate::Source`]).
    pub source: String,
}

impl From<&ConsentRecord> for Row {
    /// The row of a record, with a fresh salt for its personal data.
    fn from(record: &ConsentRecord) -> Row {
        Row::from(record.clone())
    }
}

impl From<ConsentRecord> for Row {
    /// The row of a record, with a fresh salt for its personal data; its
    /// texts are moved, not copied (a store's `append` owns the record).
    fn from(record: ConsentRecord) -> Row {
        let salt = crate::random::uuid_v4().simple().to_string();
        let personal_sha256 = crate::chain::personal_sha256(
            &salt,
            &record.page,
            record.network.as_deref(),
            record.user_agent.as_deref(),
        );
        Row {
            salt: Some(salt),
            personal_sha256,
            time_ms: i64::try_from(record.time_ms).unwrap_or(i64::MAX),
            accepted: Category::join(record.accepted.iter().copied(), "+"),
            rejected: Category::join(record.rejected.iter().copied(), "+"),
            revision: record.revision.to_string(),
            language: record.language.to_string(),
            origin: record.origin.as_str().to_owned(),
            source: record.source.as_str().to_owned(),
            consent_id: record.consent_id,
            policy_sha256: record.policy_sha256,
            page: record.page,
            network: record.network,
            user_agent: record.user_agent,
            banner_consent_id: record.banner_consent_id,
            receipt: record.receipt,
        }
    }
}

impl TryFrom<Row> for ConsentRecord {
    type Error = LogError;

    /// The record a row holds. A row no writer of this crate could have
    /// written (a negative time, an unknown category or origin) is an
    /// error that names the record, never a guess.
    fn try_from(row: Row) -> Result<ConsentRecord, LogError> {
        let corrupt = |what: &str| {
            LogError::Store(format!(
                "the record of `{}` has {what}: the log was changed outside cookie-policy",
                row.consent_id
            ))
        };
        let time_ms = u64::try_from(row.time_ms).map_err(|_| corrupt("a negative time"))?;
        let accepted =
            categories_of(&row.accepted).ok_or_else(|| corrupt("an unknown accepted category"))?;
        let rejected =
            categories_of(&row.rejected).ok_or_else(|| corrupt("an unknown rejected category"))?;
        let revision = row
            .revision
            .parse()
            .map_err(|_| corrupt("a revision that is not 16 hex digits"))?;
        let language =
            Language::new(&row.language).map_err(|_| corrupt("a language that is no tag"))?;
        let origin = match row.origin.as_str() {
            "banner" => Origin::Banner,
            "server" => Origin::Server,
            _ => return Err(corrupt("an unknown origin")),
        };
        let source = Source::ALL
            .into_iter()
            .find(|source| source.as_str() == row.source)
            .ok_or_else(|| corrupt("an unknown source"))?;
        Ok(ConsentRecord {
            consent_id: row.consent_id,
            time_ms,
            accepted,
            rejected,
            revision,
            policy_sha256: row.policy_sha256,
            language,
            page: row.page,
            network: row.network,
            user_agent: row.user_agent,
            origin,
            banner_consent_id: row.banner_consent_id,
            receipt: row.receipt,
            source,
        })
    }
}

/// A page shown, as the `pages` table holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRow {
    /// `revision`.
    pub revision: String,
    /// `language`.
    pub language: String,
    /// `policy_sha256`.
    pub policy_sha256: String,
    /// `page`.
    pub page: String,
}

impl From<&ShownPage> for PageRow {
    fn from(shown: &ShownPage) -> PageRow {
        PageRow {
            revision: shown.revision.to_string(),
            language: shown.language.to_string(),
            policy_sha256: shown.policy_sha256.clone(),
            page: shown.page.clone(),
        }
    }
}

impl TryFrom<PageRow> for ShownPage {
    type Error = LogError;

    fn try_from(row: PageRow) -> Result<ShownPage, LogError> {
        let corrupt = |what: &str| {
            LogError::Store(format!(
                "a page shown has {what}: the log was changed outside cookie-policy"
            ))
        };
        Ok(ShownPage {
            revision: row
                .revision
                .parse()
                .map_err(|_| corrupt("a revision that is not 16 hex digits"))?,
            language: Language::new(&row.language)
                .map_err(|_| corrupt("a language that is no tag"))?,
            policy_sha256: row.policy_sha256,
            page: row.page,
        })
    }
}

/// The categories of a column (names joined by `+`); `None` on a name that is
/// no category.
fn categories_of(text: &str) -> Option<Vec<Category>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    text.split('+').map(|name| name.parse().ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> ConsentRecord {
        ConsentRecord {
            consent_id: "8c3a0e52-5f3b-4d3e-9a57-0a9d4a7f1b2c".into(),
            time_ms: 1_780_000_000_123,
            accepted: vec![Category::Necessary, Category::Statistical],
            rejected: vec![Category::Advertising],
            revision: "00000000000000ff".parse().unwrap(),
            policy_sha256: "ab".repeat(32),
            language: Language::new("fr").unwrap(),
            page: "https://shop.test/".into(),
            network: Some("203.0.113.0/24".into()),
            user_agent: None,
            origin: Origin::Server,
            banner_consent_id: Some("8c3a0e52".into()),
            receipt: "0b5f0e2a-6c55-4e0c-9a57-3a9d4a7f1b2c".into(),
            source: Source::Gpc,
        }
    }

    #[test]
    fn a_record_survives_its_row() {
        let row = Row::from(&record());
        assert_eq!(row.accepted, "necessary+statistical");
        assert_eq!(ConsentRecord::try_from(row).unwrap(), record());
        let mut none = record();
        none.rejected.clear();
        assert_eq!(ConsentRecord::try_from(Row::from(&none)).unwrap(), none);
    }

    #[test]
    fn a_row_no_writer_made_is_an_error() {
        for change in [
            (|row: &mut Row| row.time_ms = -1) as fn(&mut Row),
            |row| row.accepted = "necessary+tracking".into(),
            |row| row.origin = "attacker".into(),
            |row| row.source = "browser".into(),
            |row| row.revision = "ff".into(),
            |row| row.language = "<script>".into(),
        ] {
            let mut row = Row::from(&record());
            change(&mut row);
            let error = ConsentRecord::try_from(row).unwrap_err().to_string();
            assert!(
                error.contains("8c3a0e52") && error.contains("outside cookie-policy"),
                "{error}"
            );
        }
    }
}
