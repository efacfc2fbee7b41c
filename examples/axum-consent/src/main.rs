//! An axum server whose every response is checked against its cookie policy,
//! and whose visitors' decisions are kept in a consent log.
//!
//! ```text
//! cargo run -p axum-consent
//! curl -i http://127.0.0.1:3000/                                   # sessionid, csrftoken only
//! curl -i -X POST 'http://127.0.0.1:3000/consent?accept=statistical'
//! curl -i -H 'Cookie: cookies_preferences=<value from above>' http://127.0.0.1:3000/   # + _pk_id
//! ```
//!
//! `_ga` never reaches the browser: the policy does not declare it, and the
//! server logs a warning each time a handler tries.
//!
//! Environment: `ADDRESS` (default `127.0.0.1:3000`; port 0 picks one, and
//! the line `listening on http://...` says which), `CONSENT_LOG` (the SQLite
//! file of the consent log, default `consents.sqlite` in the system's
//! temporary directory; or a `postgres://` URL, whose schema is migrated).

use std::net::SocketAddr;

use axum::extract::Request;
use axum_consent::{Site, app};
use cookie_policy_consent_log::ConsentLog;
use cookie_policy_consent_log_postgres::PostgresStore;
use cookie_policy_consent_log_sqlite::SqliteStore;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let target = std::env::var("CONSENT_LOG").unwrap_or_else(|_| {
        std::env::temp_dir()
            .join("consents.sqlite")
            .display()
            .to_string()
    });
    let log = if target.starts_with("postgres://") {
        let store = PostgresStore::connect(&target)
            .await
            .map_err(std::io::Error::other)?;
        ConsentLog::new::<Site>(store)
    } else {
        ConsentLog::new::<Site>(SqliteStore::open(&target).map_err(std::io::Error::other)?)
    };
    let app = app::app_with_log::<Site>(
        |report| {
            for removal in report.removed() {
                eprintln!("stopped: {removal}");
            }
        },
        Some(log),
    );
    let address = std::env::var("ADDRESS").unwrap_or_else(|_| "127.0.0.1:3000".to_owned());
    let listener = tokio::net::TcpListener::bind(&address).await?;
    println!("listening on http://{}", listener.local_addr()?);
    println!("consent log: {target}");
    axum::serve(
        listener,
        axum::ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(app),
    )
    .await
}
