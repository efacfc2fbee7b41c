//! Writes the platform's published policy files from the compiled policy:
//! `cookies.md`, `cookies.fr.md`, `cookies.html`, `cookies.fr.html`,
//! `cookies.json`, `tcf-disclosures.json`, `cookieconsent-config.js` and
//! `consent-mode-default.js` in the directory given (the repository's
//! `docs/`).
//!
//! ```text
//! cargo run -p cookie-policy --example publish --features html,serde -- docs
//! ```
//!
//! `tests/tests/publish.rs` regenerates them and fails when a checked-in
//! copy differs.

use std::path::Path;
use std::process::ExitCode;

use cookie_policy::{Platform, publish};

fn main() -> ExitCode {
    let Some(directory) = std::env::args().nth(1) else {
        eprintln!("usage: publish <directory>");
        return ExitCode::from(2);
    };
    let files = match published_files() {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    for (name, contents) in files {
        let path = Path::new(&directory).join(name);
        if let Err(error) = std::fs::write(&path, contents) {
            eprintln!("error: cannot write {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}

/// Every published file of the platform's policy, by file name.
pub fn published_files() -> Result<Vec<(&'static str, String)>, publish::PublishError> {
    Ok(vec![
        ("cookies.md", publish::markdown::<Platform>("en")?),
        ("cookies.fr.md", publish::markdown::<Platform>("fr")?),
        ("cookies.html", publish::html::<Platform>("en")?),
        ("cookies.fr.html", publish::html::<Platform>("fr")?),
        ("cookies.json", publish::json::<Platform>()),
        (
            "tcf-disclosures.json",
            publish::tcf_disclosures::<Platform>("en")?,
        ),
        (
            "cookieconsent-config.js",
            publish::cookieconsent_config::<Platform>()?,
        ),
        (
            "consent-mode-default.js",
            publish::consent_mode_default::<Platform>(),
        ),
    ])
}
