//! `cookie-policy consents`: the consent log read and trimmed from the
//! command line: `export`, `show`, `purge`.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Subcommand, ValueEnum};
use cookie_policy_consent_log_postgres::PostgresStore;
use cookie_policy_consent_log_sqlite::SqliteStore;
use cookie_policy_consent_log::{ConsentRecord, ConsentStore, DEFAULT_RETENTION};

use crate::Outcome;

#[derive(Debug, Subcommand)]
pub(crate) enum Action {
    /// Writes the records made since a date, oldest first.
    Export {
        /// The first day exported, `YYYY-MM-DD` (UTC); every record when not
        /// given.
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
            Action::Export { since, format } => export(store, since.as_deref(), *format).await,
            Action::Show { consent_id } => show(store, consent_id).await,
            Action::Purge { older_than } => purge(store, *older_than).await,
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

async fn purge(store: &dyn ConsentStore, older_than: Option<u64>) -> Outcome {
    let retention = older_than.map_or(DEFAULT_RETENTION, |days| {
        Duration::from_secs(days.saturating_mul(86_400))
    });
    let before = SystemTime::now()
        .checked_sub(retention)
        .unwrap_or(UNIX_EPOCH)
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| u64::try_from(since.as_millis()).unwrap_or(0));
    match store.purge(before).await {
        Ok(count) => Outcome::Clean(format!(
            "{} older than {} days deleted\n",
            crate::load::counted(usize::try_from(count).unwrap_or(usize::MAX), "record"),
            retention.as_secs() / 86_400
        )),
        Err(error) => Outcome::Failed(format!("error: {error}\n")),
    }
}

async fn export(store: &dyn ConsentStore, since: Option<&str>, format: ExportFormat) -> Outcome {
    let since_ms = match since.map(day_start_ms) {
        None => 0,
        Some(Some(ms)) => ms,
        Some(None) => {
            return Outcome::Failed(format!(
                "error: `{}` is not a date\n  = help: write it as YYYY-MM-DD, for example `--since 2026-01-31`\n",
                since.unwrap_or_default()
            ));
        }
    };
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
    ];
    let mut result = writer.write_record(header);
    for record in records {
        if result.is_err() {
            break;
        }
        let join = |categories: &[cookie_policy::Category]| {
            categories
                .iter()
                .map(|c| c.as_str())
                .collect::<Vec<_>>()
                .join("+")
        };
        result = writer.write_record([
            record.consent_id.as_str(),
            &record.time_iso(),
            &join(&record.accepted),
            &join(&record.rejected),
            &record.revision.to_string(),
            &record.policy_sha256,
            record.language.as_str(),
            &record.page,
            record.network.as_deref().unwrap_or(""),
            record.user_agent.as_deref().unwrap_or(""),
            record.origin.as_str(),
        ]);
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
                "error: no decision with the consent id `{consent_id}`\n  = help: the id is the banner's `consentId`, in the visitor's consent cookie; `cookie-policy consents export` lists them\n"
            ),
        };
    }
    let mut out = String::new();
    let mut pages_shown: Vec<(cookie_policy::Revision, cookie_policy::Language)> = Vec::new();
    for (index, record) in records.iter().enumerate() {
        let join = |categories: &[cookie_policy::Category]| {
            let names: Vec<&str> = categories.iter().map(|c| c.as_str()).collect();
            if names.is_empty() {
                "none".to_owned()
            } else {
                names.join(", ")
            }
        };
        out.push_str(&format!(
            "decision {} of {}: {}\n  accepted: {}\n  rejected: {}\n  policy revision {} (SHA-256 {})\n  language {}, page {}\n  recorded by the {}\n",
            index + 1,
            records.len(),
            record.time_iso(),
            join(&record.accepted),
            join(&record.rejected),
            record.revision,
            record.policy_sha256,
            record.language,
            if record.page.is_empty() { "not given" } else { &record.page },
            record.origin.as_str(),
        ));
        if let Some(network) = &record.network {
            out.push_str(&format!("  network {network}\n"));
        }
        if let Some(agent) = &record.user_agent {
            out.push_str(&format!("  user agent {agent}\n"));
        }
        let key = (record.revision, record.language.clone());
        if !pages_shown.contains(&key) {
            pages_shown.push(key);
        }
    }
    for (revision, language) in pages_shown {
        match store.page(revision, &language).await {
            Ok(Some(page)) => out.push_str(&format!(
                "\n--- the page shown: revision {revision}, language {language} ---\n{}",
                page.page
            )),
            _ => out.push_str(&format!(
                "\n--- no page kept for revision {revision}, language {language} ---\n"
            )),
        }
    }
    Outcome::Clean(out)
}

/// Milliseconds since the epoch at the start (UTC) of `YYYY-MM-DD`.
fn day_start_ms(date: &str) -> Option<u64> {
    let mut parts = date.split('-');
    let (Some(year), Some(month), Some(day), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    let (year, month, day): (i64, i64, i64) =
        (year.parse().ok()?, month.parse().ok()?, day.parse().ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || year < 1970 {
        return None;
    }
    // Howard Hinnant's days-from-civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let year_of_era = y - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    u64::try_from(days).ok()?.checked_mul(86_400_000)
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
        ] {
            assert_eq!(day_start_ms(date), Some(seconds * 1000), "{date}");
        }
        for bad in ["2026-13-01", "2026-1-1", "yesterday", "2026-01-01-01", ""] {
            assert_eq!(day_start_ms(bad), None, "{bad}");
        }
    }
}
