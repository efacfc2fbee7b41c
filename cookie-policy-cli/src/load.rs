//! A policy file loaded at run time, by the library's
//! [`PolicyData::load`]: the same type, renderers and lookups as a policy
//! the derive compiled in. This module words its errors for the command.

use std::path::Path;

use cookie_policy::{PolicyData, PolicyFileError};

/// Why a policy could not be loaded.
pub(crate) enum LoadError {
    /// The file could not be read: bad input (exit 2).
    Unreadable(String),
    /// The file has mistakes, each displayed as the compiler shows it.
    Mistakes(Vec<PolicyFileError>),
}

/// Reads, checks and loads the policy file at `path`.
pub(crate) fn policy_file(path: &Path) -> Result<(String, PolicyData), LoadError> {
    let shown = path.display().to_string();
    match PolicyData::load(path) {
        Ok(policy) => Ok((shown, policy)),
        Err(cookie_policy::LoadError::Unreadable { source, .. }) => {
            Err(LoadError::Unreadable(format!(
                "error: cannot read the policy file `{shown}`: {source}\n  = help: give the path of a policy.toml, for example `cookie-policy check site/policy.toml`\n"
            )))
        }
        Err(cookie_policy::LoadError::Mistakes { mistakes, .. }) => {
            Err(LoadError::Mistakes(mistakes))
        }
    }
}

/// The mistakes of a policy file, as `cargo build` prints them, and a count.
pub(crate) fn mistakes(shown: &str, errors: &[PolicyFileError]) -> String {
    let mut out = String::new();
    for error in errors {
        out.push_str("error: ");
        out.push_str(&error.to_string());
        out.push_str("\n\n");
    }
    out.push_str(&format!(
        "error: {shown} has {}; `#[derive(CookiePolicy)]` would not compile it\n",
        counted(errors.len(), "mistake"),
    ));
    out
}

/// `1 cookie`, `4 cookies`, `2 passes`.
pub(crate) fn counted(count: usize, noun: &str) -> String {
    match (count, noun.ends_with('s')) {
        (1, _) => format!("{count} {noun}"),
        (_, true) => format!("{count} {noun}es"),
        (_, false) => format!("{count} {noun}s"),
    }
}
