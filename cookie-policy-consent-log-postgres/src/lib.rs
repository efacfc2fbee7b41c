//! The shared store of [`cookie_policy_consent_log`]: PostgreSQL, through
//! the application's own connection pool (`deadpool-postgres`), or one
//! [`PostgresStore::connect`] builds from a URL, for a fleet of servers that
//! keep one log.
//!
//! [`PostgresStore::new`] migrates the schema under an advisory lock, so
//! that servers starting together migrate once. Each record is one
//! parameterized `INSERT`, committed before it is acknowledged; PostgreSQL's
//! own group commit makes concurrent commits share their WAL flush.

use cookie_policy::{Language, Revision};
use cookie_policy_consent_log::{
    COLUMNS, ConsentRecord, ConsentStore, LogError, PageRow, Row, ShownPage, StoreFuture,
};
pub use deadpool_postgres::Pool;

/// The schema's migrations, one per version; the table `cookie_policy_schema` says which have run.
fn migrations() -> Vec<String> {
    cookie_policy_consent_log::migrations("BIGSERIAL PRIMARY KEY", "BIGINT")
}

/// An arbitrary key for `pg_advisory_xact_lock`: "cookiepo".
const MIGRATION_LOCK: i64 = 0x636f_6f6b_6965_706f;

/// A consent log in PostgreSQL.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl PostgresStore {
    /// A pool of up to `size` connections to the database `url` names
    /// (`postgres://user:password@host:port/database`), without TLS: for a
    /// server on loopback or a private network. Connections are made when
    /// first needed; [`new`](Self::new) makes the first.
    ///
    /// ```
    /// let error = cookie_policy_consent_log_postgres::PostgresStore::pool("mysql://x", 4).unwrap_err();
    /// assert!(error.to_string().contains("postgres://user:password@host:port/database"), "{error}");
    /// ```
    pub fn pool(url: &str, size: usize) -> Result<Pool, LogError> {
        let config: tokio_postgres::Config = url.parse().map_err(|error| {
            LogError::Store(format!(
                "`{}` is not a PostgreSQL URL ({error}); write postgres://user:password@host:port/database",
                redacted(url)
            ))
        })?;
        let manager = deadpool_postgres::Manager::new(config, tokio_postgres::NoTls);
        Pool::builder(manager)
            .max_size(size.max(1))
            .build()
            .map_err(|error| LogError::Store(format!("cannot build the pool: {error}")))
    }

    /// The log in the database `url` names, on a pool of 16 connections
    /// ([`pool`](Self::pool)), its schema migrated.
    pub async fn connect(url: &str) -> Result<PostgresStore, LogError> {
        PostgresStore::new(PostgresStore::pool(url, 16)?).await
    }

    /// The log in the database `pool` connects to, its schema migrated.
    pub async fn new(pool: Pool) -> Result<PostgresStore, LogError> {
        let mut client = pool.get().await.map_err(pool_error)?;
        let transaction = client.transaction().await.map_err(store)?;
        transaction
            .execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
            .await
            .map_err(store)?;
        transaction
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS cookie_policy_schema (version INTEGER NOT NULL)",
            )
            .await
            .map_err(store)?;
        let done: i32 = transaction
            .query_one(
                "SELECT COALESCE(MAX(version), 0) FROM cookie_policy_schema",
                &[],
            )
            .await
            .map_err(store)?
            .try_get(0)
            .map_err(store)?;
        for (index, migration) in migrations()
            .iter()
            .enumerate()
            .skip(usize::try_from(done).unwrap_or(0))
        {
            transaction.batch_execute(migration).await.map_err(store)?;
            let version = i32::try_from(index + 1).unwrap_or(i32::MAX);
            transaction
                .execute(
                    "INSERT INTO cookie_policy_schema (version) VALUES ($1)",
                    &[&version],
                )
                .await
                .map_err(store)?;
        }
        transaction.commit().await.map_err(store)?;
        Ok(PostgresStore { pool })
    }

    async fn records(
        &self,
        sql: &str,
        parameter: &(dyn tokio_postgres::types::ToSql + Sync),
    ) -> Result<Vec<ConsentRecord>, LogError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let rows = client.query(sql, &[parameter]).await.map_err(store)?;
        rows.iter()
            .map(|row| ConsentRecord::try_from(read_row(row).map_err(store)?))
            .collect()
    }
}

/// A row of [`COLUMNS`]; a column of another type is an error, never a panic.
fn read_row(row: &tokio_postgres::Row) -> Result<Row, tokio_postgres::Error> {
    Ok(Row {
        consent_id: row.try_get(0)?,
        time_ms: row.try_get(1)?,
        accepted: row.try_get(2)?,
        rejected: row.try_get(3)?,
        revision: row.try_get(4)?,
        policy_sha256: row.try_get(5)?,
        language: row.try_get(6)?,
        page: row.try_get(7)?,
        network: row.try_get(8)?,
        user_agent: row.try_get(9)?,
        origin: row.try_get(10)?,
        banner_consent_id: row.try_get(11)?,
        receipt: row.try_get(12)?,
    })
}

/// `url` without its password, to show in a message.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let (head, tail) = url.split_at(at);
            match head.get(scheme + 3..).and_then(|user| user.find(':')) {
                Some(colon) => {
                    format!("{}:***{tail}", head.get(..scheme + 3 + colon).unwrap_or(""))
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn store(error: tokio_postgres::Error) -> LogError {
    LogError::Store(error.to_string())
}

fn pool_error(error: deadpool_postgres::PoolError) -> LogError {
    LogError::Store(format!("no connection from the pool: {error}"))
}

impl ConsentStore for PostgresStore {
    fn append(&self, record: ConsentRecord) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let statement = client
                .prepare_cached(&format!(
                    "INSERT INTO consents ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
                ))
                .await
                .map_err(store)?;
            let row = Row::from(&record);
            client
                .execute(
                    &statement,
                    &[
                        &row.consent_id,
                        &row.time_ms,
                        &row.accepted,
                        &row.rejected,
                        &row.revision,
                        &row.policy_sha256,
                        &row.language,
                        &row.page,
                        &row.network,
                        &row.user_agent,
                        &row.origin,
                        &row.banner_consent_id,
                        &row.receipt,
                    ],
                )
                .await
                .map_err(store)?;
            Ok(())
        })
    }

    fn keep_page(&self, page: ShownPage) -> StoreFuture<'_, ()> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let statement = client
                .prepare_cached(
                    "INSERT INTO pages (revision, language, policy_sha256, page) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                )
                .await
                .map_err(store)?;
            let row = PageRow::from(&page);
            client
                .execute(
                    &statement,
                    &[&row.revision, &row.language, &row.policy_sha256, &row.page],
                )
                .await
                .map_err(store)?;
            Ok(())
        })
    }

    fn decisions(&self, consent_id: &str) -> StoreFuture<'_, Vec<ConsentRecord>> {
        let consent_id = consent_id.to_owned();
        Box::pin(async move {
            let sql = format!("SELECT {COLUMNS} FROM consents WHERE consent_id = $1 ORDER BY seq");
            self.records(&sql, &consent_id).await
        })
    }

    fn since(&self, since_ms: u64) -> StoreFuture<'_, Vec<ConsentRecord>> {
        Box::pin(async move {
            let sql = format!("SELECT {COLUMNS} FROM consents WHERE time_ms >= $1 ORDER BY seq");
            let since = i64::try_from(since_ms).unwrap_or(i64::MAX);
            self.records(&sql, &since).await
        })
    }

    fn page(&self, revision: Revision, language: &Language) -> StoreFuture<'_, Option<ShownPage>> {
        let (revision, language) = (revision.to_string(), language.to_string());
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let row = client
                .query_opt(
                    "SELECT revision, language, policy_sha256, page FROM pages WHERE revision = $1 AND language = $2",
                    &[&revision, &language],
                )
                .await
                .map_err(store)?;
            let Some(row) = row else {
                return Ok(None);
            };
            let row = PageRow {
                revision: row.try_get(0).map_err(store)?,
                language: row.try_get(1).map_err(store)?,
                policy_sha256: row.try_get(2).map_err(store)?,
                page: row.try_get(3).map_err(store)?,
            };
            ShownPage::try_from(row).map(Some)
        })
    }

    fn purge(&self, before_ms: u64) -> StoreFuture<'_, u64> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let before = i64::try_from(before_ms).unwrap_or(i64::MAX);
            client
                .execute("DELETE FROM consents WHERE time_ms < $1", &[&before])
                .await
                .map_err(store)
        })
    }
}
