//! A policy file loaded at run time as the library's [`PolicyData::load`]
//! loads it (`policy_text`, then [`PolicyData::from_toml`]): the same type,
//! renderers and lookups as a policy the derive compiled in. This module
//! words its errors for the command, and keeps where each cookie is
//! declared ([`Lines`]), which SARIF needs and `PolicyData` does not hold.

use std::collections::HashMap;
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
    policy_file_with_lines(path).map(|(shown, policy, _)| (shown, policy))
}

/// Where each cookie is declared in a policy file: the 1-based line of its
/// `name` key, as the derive's compiler read it (`cookie_policy_codegen`'s
/// model keeps it for rustdoc), by the declared name (a pattern with its
/// `*`). SARIF locates findings with it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Lines(HashMap<String, usize>);

impl Lines {
    /// The lines of the compiler's checked model.
    pub fn from_model(model: &cookie_policy_codegen::Policy) -> Lines {
        Lines(
            model
                .cookies
                .iter()
                .map(|cookie| (cookie.name.clone(), cookie.line))
                .collect(),
        )
    }

    /// The line of the cookie declared as `declared`, if any.
    pub fn of(&self, declared: &str) -> Option<usize> {
        self.0.get(declared).copied()
    }
}

/// [`policy_file`], and the line of each cookie's declaration. The text is
/// read once and checked by the derive's compiler, as
/// [`PolicyData::load`] checks it.
pub(crate) fn policy_file_with_lines(
    path: &Path,
) -> Result<(String, PolicyData, Lines), LoadError> {
    let shown = path.display().to_string();
    let text = cookie_policy_codegen::read_policy_file(path, &shown)
        .map_err(|source| {
            LoadError::Unreadable(format!(
                "error: cannot read the policy file `{shown}`: {source}\n  = help: give the path of a policy.toml, for example `cookie-policy check site/policy.toml`\n"
            ))
        })?
        .map_err(|error| LoadError::Mistakes(vec![error]))?;
    let model = cookie_policy_codegen::policy(&shown, &text).map_err(LoadError::Mistakes)?;
    let lines = Lines::from_model(&model);
    let policy = PolicyData::from_toml(&shown, &text).map_err(LoadError::Mistakes)?;
    Ok((shown, policy, lines))
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
