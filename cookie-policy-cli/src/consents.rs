//! `cookie-policy consents`: the consent log read and trimmed from the
//! command line: `export`, `show`, `purge`.

use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, SpanTotal, Timestamp, Unit};

use clap::{Subcommand, ValueEnum};
use cookie_policy::Category;
use cookie_policy_consent_log::chain;
use cookie_policy_consent_log::{ConsentRecord, ConsentStore, DEFAULT_RETENTION, Source};
use cookie_policy_consent_log_postgres::PostgresStore;
use cookie_policy_consent_log_sqlite::SqliteStore;

use crate::Outcome;

#[derive(Debug, Subcommand)]
pub(crate) enum Action {
    /// Writes the records made since a date, oldest first.
    Export {
        /// The first day exported, `YYYY-MM-DD` (UTC), or the first moment,
        /// an RFC 3339 timestamp (`2026-02-28T09:30:00Z`); every record when
        /// not given.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// `csv` or `json`.
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
    },
    /// Prints every decision of one visitor, the policy revision each was
    /// made under, and the page that was shown.
    Show {
        /// The consent id (the banner's `consentId`).
        consent_id: String,
    },
    /// Recomputes the log's hash chain and reports the first record that
    /// was edited, deleted, moved or cut off: exit 0 when whole, 1 when
    /// broken.
    Verify {
        /// A checkpoint `consents checkpoint` printed earlier: the log must
        /// still hold the chain it saw (it may only have grown).
        #[arg(long, value_name = "FILE")]
        checkpoint: Option<std::path::PathBuf>,
    },
    /// Prints the log's size and head hash, to publish or archive outside
    /// the database; `verify --checkpoint` checks the log against it later.
    Checkpoint,
    /// Deletes the records older than the retention period.
    Purge {
        /// How many days records are kept (default: 396, 13 months).
        #[arg(long, value_name = "DAYS")]
        older_than: Option<u64>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    Csv,
    Json,
}

pub(crate) fn run(log: &str, action: &Action) -> Outcome {
    // The arguments are checked before the log is opened: a wrong date is
    // the user's to fix whether or not the database answers.
    let since = match action {
        Action::Export {
            since: Some(since), ..
        } => match since_ms(since) {
            Ok(ms) => ms,
            Err(message) => return Outcome::Failed(message),
        },
        _ => 0,
    };
    let before = match action {
        Action::Purge { older_than } => match cutoff(*older_than) {
            Ok(cutoff) => cutoff,
            Err(message) => return Outcome::Failed(message),
        },
        _ => Cutoff::default(),
    };
    let checkpoint = match action {
        Action::Verify {
            checkpoint: Some(path),
        } => match read_checkpoint(path) {
            Ok(checkpoint) => Some(checkpoint),
            Err(message) => return Outcome::Failed(message),
        },
        _ => None,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return Outcome::Failed(format!("error: {error}\n")),
    };
    runtime.block_on(async {
        let store = match open(log).await {
            Ok(store) => store,
            Err(message) => return Outcome::Failed(message),
        };
        let store = &*store;
        match action {
            Action::Export { format, .. } => export(store, since, *format).await,
            Action::Show { consent_id } => show(store, consent_id).await,
            Action::Purge { .. } => purge(store, &before).await,
            Action::Verify { .. } => verify(store, checkpoint.as_ref()).await,
            Action::Checkpoint => match store.chain().await {
                Err(error) => Outcome::Failed(format!("error: {error}\n")),
                Ok(chain) => match chain::verify(&chain, None) {
                    Ok(checkpoint) => Outcome::Clean(checkpoint.to_string()),
                    Err(broken) => Outcome::Findings {
                        stdout: String::new(),
                        stderr: format!(
                            "error: the log's chain is broken, so it has no checkpoint to give: {broken}\n  = help: `cookie-policy consents verify` says where\n"
                        ),
                    },
                },
            },
        }
    })
}

/// The log at `log`: a `postgres://` URL, else a SQLite file.
async fn open(log: &str) -> Result<Box<dyn ConsentStore>, String> {
    if log.starts_with("postgres://") || log.starts_with("postgresql://") {
        let pool = PostgresStore::pool(log, 2).map_err(|error| format!("error: {error}\n"))?;
        let store = PostgresStore::new(pool).await.map_err(|error| {
            format!("error: {error}\n  = help: check that PostgreSQL is up and the URL's user may read the log\n")
        })?;
        return Ok(Box::new(store));
    }
    let path = Path::new(log);
    if !path.is_file() {
        return Err(format!(
            "error: no consent log at `{log}`\n  = help: give the SQLite file the server writes, or a postgres:// URL, with `--log`\n"
        ));
    }
    SqliteStore::open(path)
        .map(|store| Box::new(store) as Box<dyn ConsentStore>)
        .map_err(|error| format!("error: {error}\n"))
}

/// What `purge` deletes: the records before `before_ms`, `days` old.
#[derive(Default)]
struct Cutoff {
    before_ms: u64,
    days: f64,
}

/// The records older than `older_than` days (default
/// [`DEFAULT_RETENTION`]), counted back from now in UTC.
fn cutoff(older_than: Option<u64>) -> Result<Cutoff, String> {
    let retention = match older_than {
        Some(days) => i64::try_from(days)
            .ok()
            .and_then(|days| Span::new().try_days(days).ok()),
        None => Span::try_from(DEFAULT_RETENTION).ok(),
    };
    let days = retention.and_then(|span| {
        let days = span
            .total(SpanTotal::from(Unit::Day).days_are_24_hours())
            .ok()?;
        Some((span, days))
    });
    let Some((retention, days)) = days else {
        return Err(format!(
            "error: --older-than {} is more days than a calendar counts\n  = help: give the retention in days, for example --older-than 396 (13 months)\n",
            older_than.unwrap_or_default()
        ));
    };
    // Before the calendar's first day, there is nothing to delete.
    let before_ms = Timestamp::now()
        .to_zoned_datetime(TimeZone::UTC)
        .checked_sub(retention)
        .map_or(0, |before| {
            u64::try_from(before.timestamp().as_millisecond()).unwrap_or(0)
        });
    Ok(Cutoff { before_ms, days })
}

async fn purge(store: &dyn ConsentStore, cutoff: &Cutoff) -> Outcome {
    match store.purge(cutoff.before_ms).await {
        Ok(count) => Outcome::Clean(format!(
            "{} older than {} days deleted\n",
            crate::load::counted(usize::try_from(count).unwrap_or(usize::MAX), "record"),
            cutoff.days
        )),
        Err(error) => Outcome::Failed(format!("error: {error}\n")),
    }
}

async fn export(store: &dyn ConsentStore, since_ms: u64, format: ExportFormat) -> Outcome {
    let records = match store.since(since_ms).await {
        Ok(records) => records,
        Err(error) => return Outcome::Failed(format!("error: {error}\n")),
    };
    match format {
        ExportFormat::Json => Outcome::Clean(
            serde_json::to_string_pretty(&serde_json::json!({ "format": 1, "records": records }))
                .unwrap_or_default()
                + "\n",
        ),
        ExportFormat::Csv => csv(&records),
    }
}

fn csv(records: &[ConsentRecord]) -> Outcome {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "consent_id",
        "time",
        "accepted",
        "rejected",
        "revision",
        "policy_sha256",
        "language",
        "page",
        "network",
        "user_agent",
        "origin",
        "banner_consent_id",
        "receipt",
        "source",
    ];
    let mut result = writer.write_record(header);
    for record in records {
        if result.is_err() {
            break;
        }
        let cells = [
            record.consent_id.as_str(),
            &record.time_iso(),
            &Category::join(record.accepted.iter().copied(), "+"),
            &Category::join(record.rejected.iter().copied(), "+"),
            &record.revision.to_string(),
            &record.policy_sha256,
            record.language.as_str(),
            &record.page,
            record.network.as_deref().unwrap_or(""),
            record.user_agent.as_deref().unwrap_or(""),
            record.origin.as_str(),
            record.banner_consent_id.as_deref().unwrap_or(""),
            &record.receipt,
            record.source.as_str(),
        ];
        result = writer.write_record(cells.map(|cell| crate::escape::csv_cell(cell).into_owned()));
    }
    match (result, writer.into_inner()) {
        (Ok(()), Ok(bytes)) => Outcome::Clean(String::from_utf8_lossy(&bytes).into_owned()),
        _ => Outcome::Failed("error: cannot write the CSV\n".to_owned()),
    }
}

async fn show(store: &dyn ConsentStore, consent_id: &str) -> Outcome {
    let records = match store.decisions(consent_id).await {
        Ok(records) => records,
        Err(error) => return Outcome::Failed(format!("error: {error}\n")),
    };
    if records.is_empty() {
        return Outcome::Findings {
            stdout: String::new(),
            stderr: format!(
                "error: no decision with the consent id `{}`\n  = help: the id is the banner's `consentId`, in the visitor's consent cookie; `cookie-policy consents export` lists them\n",
                crate::escape::terminal(consent_id)
            ),
        };
    }
    // Every stored field is escaped: the log holds what browsers sent.
    let field = |text: &str| crate::escape::terminal(text).into_owned();
    let mut out = String::new();
    let mut pages_shown: Vec<(cookie_policy::Revision, cookie_policy::Language)> = Vec::new();
    for (index, record) in records.iter().enumerate() {
        let join = |categories: &[Category]| {
            if categories.is_empty() {
                "none".to_owned()
            } else {
                Category::join(categories.iter().copied(), ", ")
            }
        };
        out.push_str(&format!(
            "decision {} of {}: {}\n  accepted: {}\n  rejected: {}\n  policy revision {} (SHA-256 {})\n  language {}, page {}\n  recorded by the {}\n  decided by {}\n",
            index + 1,
            records.len(),
            record.time_iso(),
            join(&record.accepted),
            join(&record.rejected),
            record.revision,
            field(&record.policy_sha256),
            field(record.language.as_str()),
            if record.page.is_empty() { "not given".to_owned() } else { field(&record.page) },
            record.origin.as_str(),
            match record.source {
                Source::Choice => "the visitor's choice",
                Source::Gpc => "a Global Privacy Control signal (source gpc)",
                Source::GrantOverGpc =>
                    "the visitor's explicit grant over a Global Privacy Control signal (source grant-over-gpc)",
            },
        ));
        if let Some(network) = &record.network {
            out.push_str(&format!("  network {}\n", field(network)));
        }
        if let Some(agent) = &record.user_agent {
            out.push_str(&format!("  user agent {}\n", field(agent)));
        }
        let key = (record.revision, record.language.clone());
        if !pages_shown.contains(&key) {
            pages_shown.push(key);
        }
    }
    for (revision, language) in pages_shown {
        let page = store.page(revision, &language).await;
        let (revision, language) = (revision.to_string(), field(language.as_str()));
        match page {
            Ok(Some(page)) => out.push_str(&format!(
                "\n--- the page shown: revision {revision}, language {language} ---\n{}",
                crate::escape::terminal_lines(&page.page)
            )),
            _ => out.push_str(&format!(
                "\n--- no page kept for revision {revision}, language {language} ---\n"
            )),
        }
    }
    Outcome::Clean(out)
}

/// Milliseconds since the epoch at `--since`: the start (UTC) of a day
/// `YYYY-MM-DD`, or an RFC 3339 timestamp. Before 1970 is 0: every record.
fn since_ms(since: &str) -> Result<u64, String> {
    let start = if is_day(since) {
        since
            .parse::<Date>()
            .and_then(|day| day.to_zoned_datetime(TimeZone::UTC))
            .map(|start| start.timestamp())
            .map_err(|error| not_a_day(since, &error))?
    } else {
        since.parse::<Timestamp>().map_err(|error| {
            if matches!(since.get(10..11), Some("T" | "t" | " ")) {
                // A timestamp, wrongly written: jiff says what is wrong.
                not_a_moment(since, &error.to_string())
            } else {
                not_a_moment(
                    since,
                    "it is neither a day, YYYY-MM-DD, nor a moment, RFC 3339",
                )
            }
        })?
    };
    Ok(u64::try_from(start.as_millisecond()).unwrap_or(0))
}

/// Whether `text` has the shape `YYYY-MM-DD`, digits and dashes.
fn is_day(text: &str) -> bool {
    text.len() == 10
        && text.bytes().enumerate().all(|(at, byte)| match at {
            4 | 7 => byte == b'-',
            _ => byte.is_ascii_digit(),
        })
}

/// Why `YYYY-MM-DD` is no day of the calendar, which jiff knows.
fn not_a_day(since: &str, error: &jiff::Error) -> String {
    let number = |range: core::ops::Range<usize>| since.get(range)?.parse::<i16>().ok();
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return not_a_date(since, &error.to_string(), &today());
    };
    let first = i8::try_from(month)
        .ok()
        .and_then(|month| Date::new(year, month, 1).ok());
    match first {
        None => not_a_date(
            since,
            &format!("there is no month {month:02}; months are 01 to 12"),
            &today(),
        ),
        Some(first) if day == 0 => not_a_date(since, "days are numbered from 01", &first),
        Some(first) => not_a_date(
            since,
            &format!(
                "{} has {} days",
                first.strftime("%B %Y"),
                first.days_in_month()
            ),
            &first.last_of_month(),
        ),
    }
}

fn not_a_date(since: &str, reason: &str, example: &Date) -> String {
    format!(
        "error: --since {} is not a date: {reason}\n  = help: write --since YYYY-MM-DD, for example --since {example}\n",
        crate::escape::terminal(since)
    )
}

fn not_a_moment(since: &str, reason: &str) -> String {
    let today = today();
    format!(
        "error: --since {} is not a date: {reason}\n  = help: write --since YYYY-MM-DD, for example --since {today}, or an RFC 3339 timestamp with its offset, for example --since {today}T09:30:00Z\n",
        crate::escape::terminal(since)
    )
}

/// Today in UTC, for examples.
fn today() -> Date {
    Timestamp::now().to_zoned_datetime(TimeZone::UTC).date()
}

/// A checkpoint file, as `consents checkpoint` wrote it.
fn read_checkpoint(path: &Path) -> Result<chain::Checkpoint, String> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        format!(
            "error: cannot read the checkpoint `{}`: {error}\n  = help: give the file `cookie-policy consents checkpoint > FILE` wrote\n",
            path.display()
        )
    })?;
    text.parse().map_err(|error| {
        format!(
            "error: `{}` is {error}\n",
            crate::escape::terminal(&path.display().to_string())
        )
    })
}

/// `consents verify`: the chain from its anchor, and against a checkpoint.
async fn verify(store: &dyn ConsentStore, checkpoint: Option<&chain::Checkpoint>) -> Outcome {
    let chain = match store.chain().await {
        Ok(chain) => chain,
        Err(error) => return Outcome::Failed(format!("error: {error}\n")),
    };
    let erased = chain
        .links
        .iter()
        .filter(|link| link.row.salt.as_deref().is_none_or(str::is_empty))
        .count();
    match chain::verify(&chain, checkpoint) {
        Ok(now) => {
            let mut out = format!(
                "the consent log's chain is whole: {} record(s) kept, {} in all{}\n",
                chain.links.len(),
                now.size,
                match checkpoint {
                    Some(checkpoint) => format!(
                        "; it holds the checkpoint's {} record(s) unchanged",
                        checkpoint.size
                    ),
                    None => String::new(),
                }
            );
            if let Some((seq, _)) = &chain.anchor {
                out.push_str(&format!(
                    "records 1 to {seq} were purged by retention; the chain starts after them\n"
                ));
            }
            if erased > 0 {
                out.push_str(&format!(
                    "{erased} record(s) have no salt: their page, network and user agent were erased, or written before the chain, and are not checked\n"
                ));
            }
            out.push_str(&now.to_string());
            Outcome::Clean(out)
        }
        Err(broken) => Outcome::Findings {
            stdout: String::new(),
            stderr: format!(
                "error: the consent log was tampered with: {broken}\n  = help: restore the log from a backup and compare; the records before this one verify\n"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against GNU `date -u -d DATE +%s`.
    #[test]
    fn dates_agree_with_gnu_date() {
        for (date, seconds) in [
            ("1970-01-01", 0),
            ("2000-02-29", 951_782_400),
            ("2024-03-01", 1_709_251_200),
            ("2026-11-30", 1_795_996_800),
            ("2026-11-30T00:00:00Z", 1_795_996_800),
            ("2026-11-30T01:30:00+01:30", 1_795_996_800),
            ("1969-12-31", 0),
        ] {
            assert_eq!(since_ms(date), Ok(seconds * 1000), "{date}");
        }
    }

    #[test]
    fn impossible_dates_say_why() {
        for (bad, reason) in [
            (
                "2026-02-31",
                "February 2026 has 28 days\n  = help: write --since YYYY-MM-DD, for example --since 2026-02-28\n",
            ),
            (
                "2024-02-30",
                "February 2024 has 29 days\n  = help: write --since YYYY-MM-DD, for example --since 2024-02-29\n",
            ),
            ("2026-04-31", "April 2026 has 30 days\n"),
            ("2026-13-01", "there is no month 13; months are 01 to 12\n"),
            ("2026-01-00", "days are numbered from 01\n"),
            (
                "2026-1-1",
                "it is neither a day, YYYY-MM-DD, nor a moment, RFC 3339\n",
            ),
            ("yesterday", "it is neither"),
            ("", "it is neither"),
            ("2026-01-01-01", "it is neither"),
            ("2026-01-01T10:00:00", "offset"),
        ] {
            let message = since_ms(bad).err().unwrap_or_default();
            assert!(
                message.starts_with(&format!("error: --since {bad} is not a date: ")),
                "{message}"
            );
            assert!(message.contains(reason), "{bad}: {message}");
        }
    }

    #[test]
    fn purge_counts_back_in_days() {
        let Ok(default) = cutoff(None) else {
            panic!("no default retention")
        };
        assert!((default.days - 396.0).abs() < f64::EPSILON);
        let Ok(month) = cutoff(Some(30)) else {
            panic!("30 days")
        };
        assert!((month.days - 30.0).abs() < f64::EPSILON);
        assert!(month.before_ms > default.before_ms);
        assert!(cutoff(Some(u64::MAX)).is_err());
    }
}
