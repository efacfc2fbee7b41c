//! `cookie-policy check`: the derive's diagnostics, without a Rust build.

use std::path::Path;

use clap::ValueEnum;

use crate::Outcome;
use crate::audit::sarif;
use crate::load::{self, LoadError};

/// How `check` writes what it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// The compiler's text: the mistakes on standard error, a line on
    /// standard output when there are none.
    Text,
    /// SARIF 2.1.0 on standard output, one result per mistake (none when
    /// the policy is right), for code scanning.
    Sarif,
}

/// Reads and checks the policy at `path` with the derive's own compiler,
/// so the messages are the ones `cargo build` would show.
pub(crate) fn check(path: &Path, format: Format) -> Outcome {
    let shown = path.display().to_string();
    match (load::policy_file(path), format) {
        (Ok((shown, policy)), Format::Text) => Outcome::Clean(format!(
            "{shown}: {}, {}, no mistakes\n",
            load::counted(policy.cookies().len(), "cookie"),
            load::counted(policy.providers().len(), "provider"),
        )),
        (Ok(_), Format::Sarif) => Outcome::Clean(sarif::check(&shown, &[])),
        (Err(LoadError::Unreadable(message)), _) => Outcome::Failed(message),
        (Err(LoadError::Mistakes(errors)), Format::Text) => Outcome::Findings {
            stdout: String::new(),
            stderr: load::mistakes(&shown, &errors),
        },
        (Err(LoadError::Mistakes(errors)), Format::Sarif) => Outcome::Findings {
            stdout: sarif::check(&shown, &errors),
            stderr: String::new(),
        },
    }
}
