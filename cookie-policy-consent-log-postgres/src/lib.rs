//! The shared store of [`cookie_policy_consent_log`]: PostgreSQL, through
//! the application's own connection pool (`deadpool-postgres`), or one
//! [`PostgresStore::connect`] builds from a URL, for a fleet of servers that
//! keep one log.
//!
//! [`PostgresStore::new`] migrates the schema under an advisory lock, so
//! that servers starting together migrate once. One writer task per store
//! links what has queued up to the chain's head and writes it with one
//! parameterized `INSERT` (a column array per field) in one transaction,
//! under the chain's advisory lock; each record is acknowledged only after
//! that commit.

use cookie_policy::{Language, Revision};
use cookie_policy_consent_log::chain::{self, Chain, Link};
use cookie_policy_consent_log::{
    CHAIN_COLUMNS, COLUMNS, ConsentRecord, ConsentStore, LogError, PageRow, Row, ShownPage,
    StoreFuture,
};
use deadpool_postgres::GenericClient;
pub use deadpool_postgres::Pool;
use tokio::sync::{mpsc, oneshot};

/// The schema's migrations, one per version; the table `cookie_policy_schema` says which have run.
fn migrations() -> Vec<String> {
    cookie_policy_consent_log::migrations("BIGSERIAL PRIMARY KEY", "BIGINT")
}

/// An arbitrary key for `pg_advisory_xact_lock`: "cookiepo".
const MIGRATION_LOCK: i64 = 0x636f_6f6b_6965_706f;

/// The lock every writer of the chain holds while it extends it: "chainlog".
const CHAIN_LOCK: i64 = 0x6368_6169_6e6c_6f67;

/// A consent log in PostgreSQL.
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: Pool,
    appends: mpsc::UnboundedSender<Append>,
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
        link_unchained(&transaction).await.map_err(store)?;
        transaction.commit().await.map_err(store)?;
        let (appends, queue) = mpsc::unbounded_channel();
        tokio::spawn(write(pool.clone(), queue));
        Ok(PostgresStore { pool, appends })
    }

    async fn records(
        &self,
        sql: &str,
        parameter: &(dyn tokio_postgres::types::ToSql + Sync),
    ) -> Result<Vec<ConsentRecord>, LogError> {
        let client = self.pool.get().await.map_err(pool_error)?;
        let rows = client.query(sql, &[parameter]).await.map_err(store)?;
        rows.iter()
            .map(|row| ConsentRecord::try_from(read_row(row, 0).map_err(store)?))
            .collect()
    }
}

/// A row of [`COLUMNS`]; a column of another type is an error, never a panic.
fn read_row(row: &tokio_postgres::Row, first: usize) -> Result<Row, tokio_postgres::Error> {
    Ok(Row {
        consent_id: row.try_get(first)?,
        time_ms: row.try_get(first + 1)?,
        accepted: row.try_get(first + 2)?,
        rejected: row.try_get(first + 3)?,
        revision: row.try_get(first + 4)?,
        policy_sha256: row.try_get(first + 5)?,
        language: row.try_get(first + 6)?,
        page: row.try_get(first + 7)?,
        network: row.try_get(first + 8)?,
        user_agent: row.try_get(first + 9)?,
        origin: row.try_get(first + 10)?,
        banner_consent_id: row.try_get(first + 11)?,
        receipt: row.try_get(first + 12)?,
        salt: row.try_get(first + 13)?,
        personal_sha256: row.try_get(first + 14)?,
        source: row.try_get(first + 15)?,
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
        let (reply, answer) = oneshot::channel();
        // The salt and the personal digest are made here, on the caller's
        // task: the chain's writer does only what needs the head.
        let sent = self.appends.send((Row::from(record), reply));
        Box::pin(async move {
            sent.map_err(|_| LogError::Closed)?;
            answer.await.map_err(|_| LogError::Closed)?
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
            let mut client = self.pool.get().await.map_err(pool_error)?;
            let transaction = client.transaction().await.map_err(store)?;
            transaction
                .execute("SELECT pg_advisory_xact_lock($1)", &[&CHAIN_LOCK])
                .await
                .map_err(store)?;
            let before = i64::try_from(before_ms).unwrap_or(i64::MAX);
            let first_kept: Option<i64> = transaction
                .query_one(
                    "SELECT MIN(chain_seq) FROM consents WHERE time_ms >= $1",
                    &[&before],
                )
                .await
                .and_then(|row| row.try_get(0))
                .map_err(store)?;
            let boundary = transaction
                .query_opt(
                    "SELECT chain_seq, hash FROM consents WHERE chain_seq < COALESCE($1, 9223372036854775807) ORDER BY chain_seq DESC LIMIT 1",
                    &[&first_kept],
                )
                .await
                .map_err(store)?;
            let Some(boundary) = boundary else {
                return Ok(0);
            };
            let (last, hash): (i64, String) = (
                boundary.try_get(0).map_err(store)?,
                boundary.try_get(1).map_err(store)?,
            );
            let deleted = transaction
                .execute("DELETE FROM consents WHERE chain_seq <= $1", &[&last])
                .await
                .map_err(store)?;
            transaction
                .execute("DELETE FROM chain_anchor", &[])
                .await
                .map_err(store)?;
            transaction
                .execute(
                    "INSERT INTO chain_anchor (chain_seq, hash) VALUES ($1, $2)",
                    &[&last, &hash],
                )
                .await
                .map_err(store)?;
            transaction.commit().await.map_err(store)?;
            Ok(deleted)
        })
    }

    fn chain(&self) -> StoreFuture<'_, Chain> {
        Box::pin(async move {
            let client = self.pool.get().await.map_err(pool_error)?;
            let anchor = client
                .query_opt("SELECT chain_seq, hash FROM chain_anchor", &[])
                .await
                .map_err(store)?
                .map(|row| -> Result<(u64, String), tokio_postgres::Error> {
                    Ok((
                        u64::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0),
                        row.try_get(1)?,
                    ))
                })
                .transpose()
                .map_err(store)?;
            let rows = client
                .query(
                    &format!("SELECT {CHAIN_COLUMNS}, {COLUMNS} FROM consents ORDER BY chain_seq"),
                    &[],
                )
                .await
                .map_err(store)?;
            let links = rows
                .iter()
                .map(|row| -> Result<Link, tokio_postgres::Error> {
                    Ok(Link {
                        seq: u64::try_from(row.try_get::<_, Option<i64>>(0)?.unwrap_or(0))
                            .unwrap_or(0),
                        prev_hash: row.try_get::<_, Option<String>>(1)?.unwrap_or_default(),
                        hash: row.try_get::<_, Option<String>>(2)?.unwrap_or_default(),
                        row: read_row(row, 3)?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(store)?;
            Ok(Chain { anchor, links })
        })
    }
}

type Append = (Row, oneshot::Sender<Result<(), LogError>>);

/// The most records committed in one transaction.
const BATCH: usize = 512;

/// The chain's writer: takes what has queued up, links it after the head
/// and commits it in one transaction under the chain's advisory lock (so
/// that every server writing to this database extends one chain, never a
/// fork), then answers each append.
async fn write(pool: Pool, mut queue: mpsc::UnboundedReceiver<Append>) {
    while let Some(first) = queue.recv().await {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match queue.try_recv() {
                Ok(append) => batch.push(append),
                Err(_) => break,
            }
        }
        let (rows, replies): (Vec<Row>, Vec<_>) = batch.into_iter().unzip();
        let result = commit(&pool, rows).await;
        for reply in replies {
            let _ = reply.send(result.clone());
        }
    }
}

/// Appends `records` to the chain in one transaction.
async fn commit(pool: &Pool, rows: Vec<Row>) -> Result<(), LogError> {
    let mut client = pool.get().await.map_err(pool_error)?;
    let transaction = client.transaction().await.map_err(store)?;
    transaction
        .execute("SELECT pg_advisory_xact_lock($1)", &[&CHAIN_LOCK])
        .await
        .map_err(store)?;
    let mut head = chain_head(&transaction).await.map_err(store)?;
    // The whole batch in one statement, one round trip: a column of each
    // field, unnested in the batch's order (its `seq`s follow it).
    let insert = transaction
        .prepare_cached(&format!(
            "INSERT INTO consents ({COLUMNS}, {CHAIN_COLUMNS}) SELECT {COLUMNS}, {CHAIN_COLUMNS} FROM UNNEST($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::bigint[], $18::text[], $19::text[]) WITH ORDINALITY AS batch ({COLUMNS}, {CHAIN_COLUMNS}, place) ORDER BY place"
        ))
        .await
        .map_err(store)?;
    let mut columns = Columns::with_capacity(rows.len());
    for row in rows {
        let link = chain::next_link(head.as_ref().map(|(seq, hash)| (*seq, hash.as_str())), row);
        head = Some((link.seq, link.hash.clone()));
        columns.push(link);
    }
    transaction
        .execute(&insert, &columns.parameters())
        .await
        .map_err(store)?;
    transaction.commit().await.map_err(store)
}

/// A batch of links as columns ([`COLUMNS`], then [`CHAIN_COLUMNS`]), one
/// array parameter each.
struct Columns {
    consent_id: Vec<String>,
    time_ms: Vec<i64>,
    accepted: Vec<String>,
    rejected: Vec<String>,
    revision: Vec<String>,
    policy_sha256: Vec<String>,
    language: Vec<String>,
    page: Vec<String>,
    network: Vec<Option<String>>,
    user_agent: Vec<Option<String>>,
    origin: Vec<String>,
    banner_consent_id: Vec<Option<String>>,
    receipt: Vec<String>,
    salt: Vec<Option<String>>,
    personal_sha256: Vec<String>,
    source: Vec<String>,
    chain_seq: Vec<i64>,
    prev_hash: Vec<String>,
    hash: Vec<String>,
}

impl Columns {
    /// The columns as the statement's parameters, in its order.
    fn parameters(&self) -> [&(dyn tokio_postgres::types::ToSql + Sync); 19] {
        [
            &self.consent_id,
            &self.time_ms,
            &self.accepted,
            &self.rejected,
            &self.revision,
            &self.policy_sha256,
            &self.language,
            &self.page,
            &self.network,
            &self.user_agent,
            &self.origin,
            &self.banner_consent_id,
            &self.receipt,
            &self.salt,
            &self.personal_sha256,
            &self.source,
            &self.chain_seq,
            &self.prev_hash,
            &self.hash,
        ]
    }

    fn with_capacity(size: usize) -> Columns {
        Columns {
            consent_id: Vec::with_capacity(size),
            time_ms: Vec::with_capacity(size),
            accepted: Vec::with_capacity(size),
            rejected: Vec::with_capacity(size),
            revision: Vec::with_capacity(size),
            policy_sha256: Vec::with_capacity(size),
            language: Vec::with_capacity(size),
            page: Vec::with_capacity(size),
            network: Vec::with_capacity(size),
            user_agent: Vec::with_capacity(size),
            origin: Vec::with_capacity(size),
            banner_consent_id: Vec::with_capacity(size),
            receipt: Vec::with_capacity(size),
            salt: Vec::with_capacity(size),
            personal_sha256: Vec::with_capacity(size),
            source: Vec::with_capacity(size),
            chain_seq: Vec::with_capacity(size),
            prev_hash: Vec::with_capacity(size),
            hash: Vec::with_capacity(size),
        }
    }

    fn push(&mut self, link: Link) {
        let Link {
            seq,
            prev_hash,
            hash,
            row,
        } = link;
        self.consent_id.push(row.consent_id);
        self.time_ms.push(row.time_ms);
        self.accepted.push(row.accepted);
        self.rejected.push(row.rejected);
        self.revision.push(row.revision);
        self.policy_sha256.push(row.policy_sha256);
        self.language.push(row.language);
        self.page.push(row.page);
        self.network.push(row.network);
        self.user_agent.push(row.user_agent);
        self.origin.push(row.origin);
        self.banner_consent_id.push(row.banner_consent_id);
        self.receipt.push(row.receipt);
        self.salt.push(row.salt);
        self.personal_sha256.push(row.personal_sha256);
        self.source.push(row.source);
        self.chain_seq.push(i64::try_from(seq).unwrap_or(i64::MAX));
        self.prev_hash.push(prev_hash);
        self.hash.push(hash);
    }
}

/// The last record's place and hash, else the anchor's.
async fn chain_head(
    client: &impl GenericClient,
) -> Result<Option<(u64, String)>, tokio_postgres::Error> {
    let last = client
        .query_opt(
            "SELECT chain_seq, hash FROM consents WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1",
            &[],
        )
        .await?;
    let last = match last {
        Some(row) => Some(row),
        None => {
            client
                .query_opt("SELECT chain_seq, hash FROM chain_anchor", &[])
                .await?
        }
    };
    last.map(|row| {
        Ok((
            u64::try_from(row.try_get::<_, i64>(0)?).unwrap_or(0),
            row.try_get(1)?,
        ))
    })
    .transpose()
}

/// Links the records written before the chain existed, in order.
async fn link_unchained(client: &impl GenericClient) -> Result<(), tokio_postgres::Error> {
    let mut head = chain_head(client).await?;
    let rows = client
        .query(
            &format!("SELECT seq, {COLUMNS} FROM consents WHERE chain_seq IS NULL ORDER BY seq"),
            &[],
        )
        .await?;
    for row in &rows {
        let seq: i64 = row.try_get(0)?;
        let link = chain::next_link(
            head.as_ref().map(|(s, h)| (*s, h.as_str())),
            read_row(row, 1)?,
        );
        let chain_seq = i64::try_from(link.seq).unwrap_or(i64::MAX);
        client
            .execute(
                "UPDATE consents SET chain_seq = $1, prev_hash = $2, hash = $3 WHERE seq = $4",
                &[&chain_seq, &link.prev_hash, &link.hash, &seq],
            )
            .await?;
        head = Some((link.seq, link.hash));
    }
    Ok(())
}
