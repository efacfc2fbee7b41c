//! An axum server whose every response is checked against its cookie policy.
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

use axum_consent::{Site, app};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app = app::app::<Site>(|report| {
        for removal in report.removed() {
            eprintln!("stopped: {removal}");
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
