//! The shared store (feature `postgres`): PostgreSQL, through the
//! application's own connection pool (`deadpool-postgres`), for a fleet of
//! servers that keep one log.
//!
//! [`PostgresStore::new`] migrates the schema under an advisory lock, so
//! that servers starting together migrate once. Each record is one
//! parameterized `INSERT`, committed before it is acknowledged; PostgreSQL's
//! own group commit makes concurrent commits share their WAL flush.

use deadpool_postgres::Pool;
use tokio_postgres::Row;

use super::{
    COLUMNS, ConsentRecord, ConsentStore, LogError, Origin, ShownPage, StoreFuture, categories_of,
    categories_text,
};

/// The schema's migrations, one per version; the table `cookie_policy_schema` says which have run.
fn migrations() -> [String; 1] {
    [super::schema_v1("BIGSERIAL PRIMARY KEY", "BIGINT")]
}

/// An arbitrary key for `pg_advisory_xact_lock`: "cookiepo".
const MIGRATION_LOCK: i64 = 0x636f_6f6b_6965_706f;

/// A consent log in PostgreSQL.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: Pool,
}

impl PostgresStore {
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
            .get(0);
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
        Ok(rows.iter().map(record).collect())
    }
}

fn record(row: &Row) -> ConsentRecord {
    let origin: String = row.get(10);
    ConsentRecord {
        consent_id: row.get(0),
        time_ms: u64::try_from(row.get::<_, i64>(1)).unwrap_or(0),
        accepted: categories_of(row.get(2)),
        rejected: categories_of(row.get(3)),
        revision: row.get(4),
        policy_sha256: row.get(5),
        language: row.get(6),
        page: row.get(7),
        network: row.get(8),
        user_agent: row.get(9),
        origin: if origin == "server" {
            Origin::Server
        } else {
            Origin::Banner
        },
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
                    "INSERT INTO consents ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
                ))
                .await
                .map_err(store)?;
            client
                .execute(
                    &statement,
                    &[
                        &record.consent_id,
                        &i64::try_from(record.time_ms).unwrap_or(i64::MAX),
                        &categories_text(&record.accepted),
                        &categories_text(&record.rejected),
                        &record.revision,
                        &record.policy_sha256,
                        &record.language,
                        &record.page,
                        &record.network,
                        &record.user_agent,
                        &record.origin.as_str(),
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
            client
                .execute(
                    &statement,
                    &[
                        &page.revision,
                        &page.language,
                        &page.policy_sha256,
                        &page.page,
                    ],
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

    fn page(&self, revision: &str, language: &str) -> StoreFuture<'_, Option<ShownPage>> {
        let (revision, language) = (revision.to_owned(), language.to_owned());
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let row = client
                .query_opt(
                    "SELECT revision, language, policy_sha256, page FROM pages WHERE revision = $1 AND language = $2",
                    &[&revision, &language],
                )
                .await
                .map_err(store)?;
            Ok(row.map(|row| ShownPage {
                revision: row.get(0),
                language: row.get(1),
                policy_sha256: row.get(2),
                page: row.get(3),
            }))
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
