//! `cookie-policy consents`: the consent log read and trimmed from the
//! command line: `export`, `show`, `purge`.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Subcommand, ValueEnum};
use cookie_policy::consent_log::sqlite::SqliteStore;
use cookie_policy::consent_log::{ConsentRecord, ConsentStore, DEFAULT_RETENTION};

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

pub(crate) fn run(log: &Path, action: &Action) -> Outcome {
    if !log.is_file() {
        return Outcome::Failed(format!(
            "error: no consent log at `{}`\n  = help: give the SQLite file the server writes with `--log PATH`\n",
            log.display()
        ));
    }
    let store = match SqliteStore::open(log) {
        Ok(store) => store,
        Err(error) => return Outcome::Failed(format!("error: {error}\n")),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().build() {
        Ok(runtime) => runtime,
        Err(error) => return Outcome::Failed(format!("error: {error}\n")),
    };
    runtime.block_on(async {
        match action {
            Action::Export { since, format } => export(&store, since.as_deref(), *format).await,
            Action::Show { consent_id } => show(&store, consent_id).await,
            Action::Purge { older_than } => {
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
                        crate::load::counted(
                            usize::try_from(count).unwrap_or(usize::MAX),
                            "record"
                        ),
                        retention.as_secs() / 86_400
                    )),
                    Err(error) => Outcome::Failed(format!("error: {error}\n")),
                }
            }
        }
    })
}

async fn export(store: &SqliteStore, since: Option<&str>, format: ExportFormat) -> Outcome {
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
            &iso_time(record.time_ms),
            &join(&record.accepted),
            &join(&record.rejected),
            &record.revision,
            &record.policy_sha256,
            &record.language,
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

async fn show(store: &SqliteStore, consent_id: &str) -> Outcome {
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
    let mut pages_shown: Vec<(String, String)> = Vec::new();
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
            iso_time(record.time_ms),
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
        let key = (record.revision.clone(), record.language.clone());
        if !pages_shown.contains(&key) {
            pages_shown.push(key);
        }
    }
    for (revision, language) in pages_shown {
        match store.page(&revision, &language).await {
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

/// `2026-11-30T09:00:00Z` for a time in milliseconds.
fn iso_time(ms: u64) -> String {
    let seconds = ms / 1000;
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let rest = seconds % 86_400;
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
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
            assert_eq!(iso_time(seconds * 1000), format!("{date}T00:00:00Z"));
        }
        for bad in ["2026-13-01", "2026-1-1", "yesterday", "2026-01-01-01", ""] {
            assert_eq!(day_start_ms(bad), None, "{bad}");
        }
    }
}
