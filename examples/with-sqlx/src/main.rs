//! The application's own sqlx pool and the consent log's store, on one
//! SQLite library, in one program.

use cookie_policy::{Consent, Platform};
use cookie_policy_consent_log::{ConsentLog, Context, Origin};
use cookie_policy_consent_log_sqlite::SqliteStore;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("with-sqlx-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=rwc", dir.join("app.db").display())).await?;
    let (version,): (String,) = sqlx::query_as("SELECT sqlite_version()").fetch_one(&pool).await?;
    let log = ConsentLog::new::<Platform>(SqliteStore::open(dir.join("consents.sqlite"))?);
    let record = log
        .record(Consent::necessary_only(), Context::default(), Origin::Server)
        .await?;
    println!("sqlx and the consent log share SQLite {version}; recorded {}", record.receipt);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
