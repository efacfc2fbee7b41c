//! The embedded store of [`cookie_policy_consent_log`]: one SQLite file, in
//! WAL mode, with its schema migrated on open.
//!
//! It links SQLite through `rusqlite` 0.32, whose `libsqlite3-sys` 0.30 is
//! the one `sqlx` 0.8 links: an application that already uses sqlx with
//! SQLite can add this store (cargo builds one crate per native library).
//!
//! Writes go through one writer thread that commits what has queued up in
//! one transaction (under load, after waiting up to 0.3 ms for more) and
//! then answers each waiting request: a record is acknowledged only once
//! its transaction is committed. With WAL and
//! `synchronous = NORMAL`, a commit survives the process being killed; pass
//! [`Durability::Full`] to survive a power loss too, at the cost of an
//! `fsync` per transaction. Reads open their own connection, which WAL lets
//! run beside the writer, on tokio's blocking threads: never on the task
//! that awaits them. Every statement is parameterized.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tokio::sync::oneshot;

use cookie_policy::{Language, Revision};
use cookie_policy_consent_log::chain::{self, Chain, Link};
use cookie_policy_consent_log::{
    CHAIN_COLUMNS, COLUMNS, ConsentRecord, ConsentStore, LogError, PageRow, Row, ShownPage,
    StoreFuture,
};

/// The schema's migrations, one per version; `PRAGMA user_version` says which have run.
fn migrations() -> Vec<String> {
    cookie_policy_consent_log::migrations("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER")
}

/// The most writes committed in one transaction.
const BATCH: usize = 512;

/// How long a batch waits for more jobs under load ([`write`]).
const GATHER: Duration = Duration::from_micros(300);

/// The batch a writer under load waits for, at most [`GATHER`].
const GATHER_UNTIL: usize = 24;

/// How hard a commit is pushed to disk.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous = NORMAL`: a commit survives the process being killed.
    #[default]
    Normal,
    /// `synchronous = FULL`: a commit survives a power loss too.
    Full,
}

enum Job {
    /// A record's row, salted and its personal data digested by the
    /// caller: only the chain's link is left to the writer.
    Append(Box<Row>),
    Page(ShownPage),
    Purge(u64),
}

type Reply = oneshot::Sender<Result<u64, LogError>>;

/// A consent log in a SQLite file.
///
/// ```
/// use cookie_policy::{Consent, Platform};
/// use cookie_policy_consent_log::{ConsentLog, Context, Origin};
/// use cookie_policy_consent_log_sqlite::SqliteStore;
///
/// # let dir = std::env::temp_dir().join(format!("cookie-policy-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let store = SqliteStore::open(dir.join("consents.sqlite")).unwrap();
/// let log = ConsentLog::new::<Platform>(store);
/// # let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// # runtime.block_on(async {
/// let record = log.record(Consent::necessary_only(), Context::default(), Origin::Server).await.unwrap();
/// let kept = log.store().decisions(&record.consent_id).await.unwrap();
/// assert_eq!(kept, [record]);
/// # });
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct SqliteStore {
    path: PathBuf,
    jobs: mpsc::Sender<(Job, Reply)>,
}

impl SqliteStore {
    /// Opens (or creates) the log at `path`, migrating its schema, with
    /// [`Durability::Normal`].
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore, LogError> {
        SqliteStore::open_with(path, Durability::Normal)
    }

    /// [`open`](Self::open), with the durability given.
    pub fn open_with(
        path: impl AsRef<Path>,
        durability: Durability,
    ) -> Result<SqliteStore, LogError> {
        let path = path.as_ref().to_owned();
        let mut connection = Connection::open(&path).map_err(|error| opening(&path, &error))?;
        let synchronous = match durability {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        };
        // Switching a new file to WAL takes an exclusive lock, for which
        // SQLite does not always wait on the busy timeout: several
        // processes opening one new log at once can each be told the
        // database is locked. Such an open is tried again, for as long as
        // the busy timeout.
        let started = Instant::now();
        loop {
            let opened = connection
                .execute_batch(&format!(
                    "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous};"
                ))
                .and_then(|()| migrate(&mut connection));
            match opened {
                Ok(()) => break,
                Err(error) if is_busy(&error) && started.elapsed() < Duration::from_secs(5) => {
                    thread::sleep(Duration::from_millis(10));
                }
                Err(error) => return Err(opening(&path, &error)),
            }
        }
        let (jobs, queue) = mpsc::channel();
        thread::Builder::new()
            .name("consent-log-sqlite".to_owned())
            .spawn(move || write(connection, &queue))
            .map_err(|error| LogError::Store(format!("cannot start the writer: {error}")))?;
        Ok(SqliteStore { path, jobs })
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn submit(&self, job: Job) -> StoreFuture<'_, u64> {
        let (reply, answer) = oneshot::channel();
        let sent = self.jobs.send((job, reply));
        Box::pin(async move {
            sent.map_err(|_| LogError::Closed)?;
            answer.await.map_err(|_| LogError::Closed)?
        })
    }

    /// Runs `read` on a connection of its own, on a blocking thread.
    fn read<T: Send + 'static>(
        &self,
        read: impl FnOnce(&Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> StoreFuture<'_, T> {
        let path = self.path.clone();
        Box::pin(async move {
            tokio::task::spawn_blocking(move || {
                let connection = Connection::open(&path)?;
                connection.execute_batch("PRAGMA busy_timeout = 5000;")?;
                read(&connection)
            })
            .await
            .map_err(|error| LogError::Store(format!("the reading thread failed: {error}")))?
            .map_err(store)
        })
    }

    /// The records `sql` selects ([`COLUMNS`], in order) with one parameter.
    fn records(
        &self,
        sql: String,
        parameter: impl rusqlite::ToSql + Send + 'static,
    ) -> StoreFuture<'_, Vec<ConsentRecord>> {
        let rows = self.read(move |connection| {
            let mut statement = connection.prepare(&sql)?;
            let rows = statement.query_map([parameter], |row| read_row(row, 0))?;
            rows.collect::<rusqlite::Result<Vec<Row>>>()
        });
        Box::pin(async move {
            rows.await?
                .into_iter()
                .map(ConsentRecord::try_from)
                .collect()
        })
    }
}

impl ConsentStore for SqliteStore {
    fn append(&self, record: ConsentRecord) -> StoreFuture<'_, ()> {
        // The salt and the personal digest are made here, on the caller's
        // task, so that the one writer does only what needs the chain's
        // head.
        let done = self.submit(Job::Append(Box::new(Row::from(record))));
        Box::pin(async move { done.await.map(|_| ()) })
    }

    fn keep_page(&self, page: ShownPage) -> StoreFuture<'_, ()> {
        let done = self.submit(Job::Page(page));
        Box::pin(async move { done.await.map(|_| ()) })
    }

    fn decisions(&self, consent_id: &str) -> StoreFuture<'_, Vec<ConsentRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM consents WHERE consent_id = ?1 ORDER BY seq");
        self.records(sql, consent_id.to_owned())
    }

    fn since(&self, since_ms: u64) -> StoreFuture<'_, Vec<ConsentRecord>> {
        let sql = format!("SELECT {COLUMNS} FROM consents WHERE time_ms >= ?1 ORDER BY seq");
        let since = i64::try_from(since_ms).unwrap_or(i64::MAX);
        self.records(sql, since)
    }

    fn page(&self, revision: Revision, language: &Language) -> StoreFuture<'_, Option<ShownPage>> {
        let (revision, language) = (revision.to_string(), language.to_string());
        let found = self.read(move |connection| {
            connection
                .query_row(
                    "SELECT revision, language, policy_sha256, page FROM pages WHERE revision = ?1 AND language = ?2",
                    params![revision, language],
                    |row| {
                        Ok(PageRow {
                            revision: row.get(0)?,
                            language: row.get(1)?,
                            policy_sha256: row.get(2)?,
                            page: row.get(3)?,
                        })
                    },
                )
                .optional()
        });
        Box::pin(async move { found.await?.map(ShownPage::try_from).transpose() })
    }

    fn purge(&self, before_ms: u64) -> StoreFuture<'_, u64> {
        self.submit(Job::Purge(before_ms))
    }

    fn chain(&self) -> StoreFuture<'_, Chain> {
        self.read(|connection| {
            let anchor = connection
                .query_row("SELECT chain_seq, hash FROM chain_anchor", [], |row| {
                    Ok((
                        u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0),
                        row.get(1)?,
                    ))
                })
                .optional()?;
            let mut statement = connection.prepare(&format!(
                "SELECT {CHAIN_COLUMNS}, {COLUMNS} FROM consents ORDER BY chain_seq"
            ))?;
            let links = statement
                .query_map([], |row| {
                    Ok(Link {
                        seq: u64::try_from(row.get::<_, Option<i64>>(0)?.unwrap_or(0)).unwrap_or(0),
                        prev_hash: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                        hash: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                        row: read_row(row, 3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Chain { anchor, links })
        })
    }
}

fn store(error: rusqlite::Error) -> LogError {
    LogError::Store(error.to_string())
}

/// Whether `error` is SQLite's "the database is busy" or "locked".
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn opening(path: &Path, error: &rusqlite::Error) -> LogError {
    LogError::Store(format!(
        "cannot open the consent log `{}`: {error}",
        path.display()
    ))
}

/// Runs the migrations not yet run. The version is read and the
/// migrations run in one `IMMEDIATE` transaction, which holds the file's
/// write lock from its start: processes opening a new log together migrate
/// it once, one after the other.
fn migrate(connection: &mut Connection) -> rusqlite::Result<()> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let version: i64 = transaction.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    let done = usize::try_from(version).unwrap_or(0);
    let migrations = migrations();
    if done < migrations.len() {
        for migration in migrations.iter().skip(done) {
            transaction.execute_batch(migration)?;
        }
        transaction.execute_batch(&format!("PRAGMA user_version = {}", migrations.len()))?;
        link_unchained(&transaction)?;
    }
    transaction.commit()
}

/// The writer: takes what has queued up, commits it in one transaction,
/// then answers each job.
///
/// Under load (the last batch had more than one job), a batch that is not
/// yet [`GATHER_UNTIL`] jobs long waits up to [`GATHER`] for more: each
/// commit writes every page it dirtied to the WAL (the table's last leaf,
/// a leaf per index, the sequence), whatever the batch's size, so larger
/// batches write fewer pages per record. Under the bench's 64 clients,
/// batches grew from 7.8 to 20.5 jobs on average (`docs/performance.md`).
/// A lone request is committed at once.
fn write(mut connection: Connection, queue: &mpsc::Receiver<(Job, Reply)>) {
    let mut last_len = 0;
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        if last_len > 1 {
            let deadline = Instant::now() + GATHER;
            while batch.len() < GATHER_UNTIL {
                let left = deadline.saturating_duration_since(Instant::now());
                match queue.recv_timeout(left) {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        last_len = batch.len();
        let results = commit(&mut connection, &batch);
        for ((_, reply), result) in batch.into_iter().zip(results) {
            let _ = reply.send(result);
        }
    }
}

/// Runs the batch in one transaction; each job's result, all errors if the
/// commit fails.
fn commit(connection: &mut Connection, batch: &[(Job, Reply)]) -> Vec<Result<u64, LogError>> {
    let run = |connection: &mut Connection| -> rusqlite::Result<Vec<u64>> {
        // IMMEDIATE: the write lock from the start, so the chain's head is
        // read and extended by one writer at a time, across processes too.
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut counts = Vec::with_capacity(batch.len());
        let mut head = chain_head(&transaction)?;
        {
            let mut insert = transaction.prepare_cached(&format!(
                "INSERT INTO consents ({COLUMNS}, {CHAIN_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
            ))?;
            let mut page = transaction.prepare_cached(
                "INSERT OR IGNORE INTO pages (revision, language, policy_sha256, page) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (job, _) in batch {
                let count = match job {
                    Job::Append(row) => {
                        // The link is made from the row in place: the
                        // same hash `chain::next_link` makes, no copy.
                        let (seq, prev_hash, hash) = chain::next_hash(
                            head.as_ref().map(|(seq, hash)| (*seq, hash.as_str())),
                            row,
                        );
                        let count = insert.execute(params![
                            row.consent_id,
                            row.time_ms,
                            row.accepted,
                            row.rejected,
                            row.revision,
                            row.policy_sha256,
                            row.language,
                            row.page,
                            row.network,
                            row.user_agent,
                            row.origin,
                            row.banner_consent_id,
                            row.receipt,
                            row.salt,
                            row.personal_sha256,
                            row.source,
                            i64::try_from(seq).unwrap_or(i64::MAX),
                            prev_hash,
                            hash,
                        ])?;
                        head = Some((seq, hash));
                        count
                    }
                    Job::Page(shown) => {
                        let row = PageRow::from(shown);
                        page.execute(params![
                            row.revision,
                            row.language,
                            row.policy_sha256,
                            row.page
                        ])?
                    }
                    Job::Purge(before) => purge_prefix(&transaction, *before)?,
                };
                counts.push(count as u64);
            }
        }
        transaction.commit()?;
        Ok(counts)
    };
    match run(connection) {
        Ok(counts) => counts.into_iter().map(Ok).collect(),
        Err(error) => batch
            .iter()
            .map(|_| Err(LogError::Store(error.to_string())))
            .collect(),
    }
}

/// The last record's place and hash; the anchor's when every record was
/// purged; `None` for a log that never had one.
fn chain_head(connection: &Connection) -> rusqlite::Result<Option<(u64, String)>> {
    // Cached: it runs once per batch.
    let last = connection
        .prepare_cached(
            "SELECT chain_seq, hash FROM consents WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1",
        )?
        .query_row([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))
        .optional()?;
    let last = match last {
        Some(last) => Some(last),
        None => connection
            .query_row("SELECT chain_seq, hash FROM chain_anchor", [], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .optional()?,
    };
    Ok(last.map(|(seq, hash)| (u64::try_from(seq).unwrap_or(0), hash)))
}

/// Deletes the records made before `before_ms`, as a prefix of the chain:
/// everything before the first record that is not that old. The last
/// deleted record's place and hash become the anchor the rest links to.
fn purge_prefix(connection: &Connection, before_ms: u64) -> rusqlite::Result<usize> {
    let before = i64::try_from(before_ms).unwrap_or(i64::MAX);
    let first_kept: Option<i64> = connection.query_row(
        "SELECT MIN(chain_seq) FROM consents WHERE time_ms >= ?1",
        [before],
        |row| row.get(0),
    )?;
    let boundary = match first_kept {
        Some(first) => connection
            .query_row(
                "SELECT chain_seq, hash FROM consents WHERE chain_seq < ?1 ORDER BY chain_seq DESC LIMIT 1",
                [first],
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
            )
            .optional()?,
        None => connection
            .query_row(
                "SELECT chain_seq, hash FROM consents ORDER BY chain_seq DESC LIMIT 1",
                [],
                |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)),
            )
            .optional()?,
    };
    let Some((last, hash)) = boundary else {
        return Ok(0);
    };
    let deleted = connection.execute("DELETE FROM consents WHERE chain_seq <= ?1", [last])?;
    connection.execute("DELETE FROM chain_anchor", [])?;
    connection.execute(
        "INSERT INTO chain_anchor (chain_seq, hash) VALUES (?1, ?2)",
        params![last, hash],
    )?;
    Ok(deleted)
}

/// Links the records written before the chain existed (schema v3), in the
/// order they were written, after the current head.
fn link_unchained(connection: &Connection) -> rusqlite::Result<()> {
    let mut head = chain_head(connection)?;
    let mut select = connection.prepare(&format!(
        "SELECT seq, {COLUMNS} FROM consents WHERE chain_seq IS NULL ORDER BY seq"
    ))?;
    let rows = select
        .query_map([], |row| Ok((row.get::<_, i64>(0)?, read_row(row, 1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut update = connection
        .prepare("UPDATE consents SET chain_seq = ?1, prev_hash = ?2, hash = ?3 WHERE seq = ?4")?;
    for (seq, row) in rows {
        let link = chain::next_link(head.as_ref().map(|(s, h)| (*s, h.as_str())), row);
        update.execute(params![
            i64::try_from(link.seq).unwrap_or(i64::MAX),
            link.prev_hash,
            link.hash,
            seq
        ])?;
        head = Some((link.seq, link.hash));
    }
    Ok(())
}

/// A [`Row`] from the columns of [`COLUMNS`], starting at `first`.
fn read_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<Row> {
    Ok(Row {
        consent_id: row.get(first)?,
        time_ms: row.get(first + 1)?,
        accepted: row.get(first + 2)?,
        rejected: row.get(first + 3)?,
        revision: row.get(first + 4)?,
        policy_sha256: row.get(first + 5)?,
        language: row.get(first + 6)?,
        page: row.get(first + 7)?,
        network: row.get(first + 8)?,
        user_agent: row.get(first + 9)?,
        origin: row.get(first + 10)?,
        banner_consent_id: row.get(first + 11)?,
        receipt: row.get(first + 12)?,
        salt: row.get(first + 13)?,
        personal_sha256: row.get(first + 14)?,
        source: row.get(first + 15)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A log written at schema v3, before the `source` column: opened
    /// now, it is migrated, its records are choices, and its chain, linked
    /// by v3 at open, still verifies, with a GPC record appended after.
    #[tokio::test]
    async fn a_v3_log_migrates_to_sources() {
        let dir = std::env::temp_dir().join(format!("cookie-policy-v3-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("consents.sqlite");
        {
            let connection = Connection::open(&path).unwrap();
            for migration in migrations().iter().take(3) {
                connection.execute_batch(migration).unwrap();
            }
            connection.execute_batch("PRAGMA user_version = 3").unwrap();
            connection
                .execute(
                    "INSERT INTO consents (consent_id, time_ms, accepted, rejected, revision, policy_sha256, language, page, origin, receipt, personal_sha256) VALUES ('old', 1780000000000, 'necessary', 'statistical', '00000000000000ff', ?1, 'en', '', 'banner', 'r-1', '')",
                    [&"ab".repeat(32)],
                )
                .unwrap();
            // Linked as v3 linked it, at an open before this one.
            let genesis = "00".repeat(32);
            let row = Row {
                consent_id: "old".into(),
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
                receipt: "r-1".into(),
                salt: None,
                personal_sha256: String::new(),
                source: "choice".into(),
            };
            let hash = chain::record_hash(1, &genesis, &row);
            connection
                .execute(
                    "UPDATE consents SET chain_seq = 1, prev_hash = ?1, hash = ?2",
                    [&genesis, &hash],
                )
                .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        let records = store.since(0).await.unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].source, cookie_policy_consent_log::Source::Choice);
        let mut gpc = records[0].clone();
        gpc.source = cookie_policy_consent_log::Source::Gpc;
        gpc.receipt = "r-2".into();
        store.append(gpc).await.unwrap();
        let records = store.since(0).await.unwrap();
        assert_eq!(records[1].source, cookie_policy_consent_log::Source::Gpc);
        let chain = store.chain().await.unwrap();
        chain::verify(&chain, None).unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Eight first opens of one new log at once all succeed, and the log
    /// has one schema: the version is read and the migrations run under
    /// one write lock.
    #[test]
    fn concurrent_first_opens_migrate_once() {
        let dir = std::env::temp_dir().join(format!("cookie-policy-opens-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("consents.sqlite");
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(8));
        let opens: Vec<_> = (0..8)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                thread::spawn(move || {
                    barrier.wait();
                    SqliteStore::open(&path).map(|_| ())
                })
            })
            .collect();
        for open in opens {
            open.join().unwrap().unwrap();
        }
        let connection = Connection::open(&path).unwrap();
        let version: i64 = connection
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap();
        assert_eq!(usize::try_from(version).unwrap(), migrations().len());
        let tables: i64 = connection
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('consents', 'pages', 'chain_anchor')",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(tables, 3);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
