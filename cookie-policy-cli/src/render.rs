//! `cookie-policy render`: the policy page or an export, from a policy file.

use std::path::Path;

use clap::ValueEnum;

use crate::Outcome;
use crate::load::{self, LoadError};

/// What `render` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// The policy page in Markdown.
    Markdown,
    /// The policy page as a standalone HTML document.
    Html,
    /// The whole policy as JSON (`"format": 1`).
    Json,
    /// IAB TCF Device Storage Disclosure JSON.
    Tcf,
    /// The vanilla-cookieconsent v3 configuration, a JavaScript module.
    Cookieconsent,
    /// The Google Consent Mode v2 `default` snippet, a script to run first
    /// in `<head>`, before any tag.
    ConsentMode,
    /// The Global Privacy Control support resource, `/.well-known/gpc.json`.
    Gpc,
}

/// Renders `format` of the policy at `policy` in `language` (the policy's
/// default language when `None`), into `output` or on stdout.
pub(crate) fn render(
    policy: &Path,
    format: Format,
    language: Option<&str>,
    output: Option<&Path>,
) -> Outcome {
    let (shown, data) = match load::policy_file(policy) {
        Ok(loaded) => loaded,
        Err(LoadError::Unreadable(message)) => return Outcome::Failed(message),
        Err(LoadError::Mistakes(errors)) => {
            return Outcome::Failed(load::mistakes(&policy.display().to_string(), &errors));
        }
    };
    let language = language.unwrap_or(data.site().default_language());
    let rendered = match format {
        Format::Markdown => data.markdown(language),
        Format::Html => data.html(language),
        Format::Json => Ok(data.json()),
        Format::Tcf => data.tcf_disclosures(language),
        Format::Cookieconsent => data.cookieconsent_config(),
        Format::ConsentMode => Ok(data.consent_mode_default()),
        Format::Gpc => Ok(data.gpc_json()),
    };
    let rendered = match rendered {
        Ok(rendered) => rendered,
        Err(error) => return Outcome::Failed(format!("error: cannot render {shown}: {error}\n")),
    };
    match output {
        None => Outcome::Clean(rendered),
        Some(path) => match std::fs::write(path, rendered) {
            Ok(()) => Outcome::Clean(String::new()),
            Err(error) => Outcome::Failed(format!(
                "error: cannot write `{}`: {error}\n  = help: give `-o` a path in a directory that exists and can be written\n",
                path.display()
            )),
        },
    }
}
