//! `cookie-policy check`: the derive's diagnostics, without a Rust build.

use std::path::Path;

use crate::Outcome;
use crate::load::{self, LoadError};

/// Reads and checks the policy at `path` with the derive's own compiler,
/// so the messages are the ones `cargo build` would show.
pub(crate) fn check(path: &Path) -> Outcome {
    match load::policy_file(path) {
        Ok((shown, policy)) => Outcome::Clean(format!(
            "{shown}: {}, {}, no mistakes\n",
            load::counted(policy.cookies().len(), "cookie"),
            load::counted(policy.providers().len(), "provider"),
        )),
        Err(LoadError::Unreadable(message)) => Outcome::Failed(message),
        Err(LoadError::Mistakes(errors)) => Outcome::Findings {
            stdout: String::new(),
            stderr: load::mistakes(&path.display().to_string(), &errors),
        },
    }
}
