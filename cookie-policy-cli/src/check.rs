//! `cookie-policy check`: the derive's diagnostics, without a Rust build.

use std::path::Path;

use crate::Outcome;

/// Reads and checks the policy at `path` with the derive's own compiler,
/// so the messages are the ones `cargo build` would show.
pub(crate) fn check(path: &Path) -> Outcome {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => {
            return Outcome::Failed(format!(
                "error: cannot read the policy file `{}`: {error}\n  = help: give the path of a policy.toml, for example `cookie-policy check site/policy.toml`\n",
                path.display()
            ));
        }
    };
    let checked = cookie_policy_codegen::policy_text(&shown, bytes)
        .map_err(|error| vec![error])
        .and_then(|text| cookie_policy_codegen::policy(&shown, &text));
    match checked {
        Ok(policy) => Outcome::Clean(format!(
            "{shown}: {}, {}, no mistakes\n",
            counted(policy.cookies.len(), "cookie"),
            counted(policy.providers.len(), "provider"),
        )),
        Err(errors) => {
            let mut stderr = String::new();
            for error in &errors {
                stderr.push_str("error: ");
                stderr.push_str(&error.to_string());
                stderr.push_str("\n\n");
            }
            stderr.push_str(&format!(
                "error: {shown} has {}; `#[derive(CookiePolicy)]` would not compile it\n",
                counted(errors.len(), "mistake"),
            ));
            Outcome::Findings {
                stdout: String::new(),
                stderr,
            }
        }
    }
}

/// `1 cookie`, `4 cookies`.
fn counted(count: usize, noun: &str) -> String {
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {noun}{plural}")
}
