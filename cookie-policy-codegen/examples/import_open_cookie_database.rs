//! Converts the Open Cookie Database (a CSV of 2,264 real cookies,
//! Apache-2.0) into a registry in `policy.toml`'s format.
//!
//! ```text
//! cargo run -p cookie-policy-codegen --example import_open_cookie_database -- \
//!     ../shared/data/open-cookie-database/open-cookie-database.csv \
//!     cookie-policy-cli/data/open-cookie-database.toml
//! ```
//!
//! With `--check` it writes nothing and fails when the output file differs
//! from what the CSV gives (CI runs it so the fixture cannot drift).
//!
//! The mapping, row by row:
//! - `Category`: Functional, Security and Necessary -> necessary,
//!   Personalization -> functional, Analytics -> statistical, Marketing ->
//!   advertising (upstream's "Functional" means technical, essential or
//!   strictly necessary);
//! - `Wildcard match` = 1 -> the name becomes a prefix pattern, `name*`;
//! - `Data Controller` -> the provider (its privacy portal as the URL),
//!   `Platform` -> the function, `Description` -> the purpose;
//! - `Retention period` -> the lifetime where it parses (`session`, `end of
//!   session (browser)`, `<n> <unit>`); `unknown`, `forever`, `varies`... are
//!   left out;
//! - `Domain` -> third party when it says "(3rd party)", and the domain when
//!   it is a plain host name;
//! - one entry per name: the first row of a name wins, later ones are
//!   reported and dropped; names a browser cannot store (`Site History`, one
//!   ending in a tab) are reported and dropped;
//! - a constant name is given (`const`) where the derived one would be
//!   missing or taken;
//! - Cookiebot's `CookieConsent`, a necessary first-party cookie that stores
//!   the visitor's choice, is declared `consent = true`: a policy with
//!   cookies that need consent must name the cookie that stores it.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use std::process::ExitCode;

use cookie_policy_core::{Lifetime, RESERVED_NAMES, constant_name, name_problem};

/// The data set's cookie that stores the visitor's consent choice.
const CONSENT_COOKIE: &str = "CookieConsent";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let paths: Vec<&String> = args.iter().filter(|a| *a != "--check").collect();
    let [csv_path, out_path] = paths.as_slice() else {
        eprintln!(
            "usage: import_open_cookie_database [--check] <open-cookie-database.csv> <out.toml>"
        );
        return ExitCode::from(2);
    };
    let toml = match convert(csv_path) {
        Ok(toml) => toml,
        Err(error) => {
            eprintln!("error: {csv_path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    if check {
        return match std::fs::read_to_string(out_path) {
            Ok(existing) if existing == toml => ExitCode::SUCCESS,
            _ => {
                eprintln!(
                    "{out_path} is not what {csv_path} converts to; regenerate it (see the top of this example)"
                );
                ExitCode::FAILURE
            }
        };
    }
    if let Err(error) = std::fs::write(out_path, toml) {
        eprintln!("error: cannot write {out_path}: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

struct Row {
    platform: String,
    category: String,
    name: String,
    domain: String,
    description: String,
    retention: String,
    controller: String,
    portal: String,
    wildcard: bool,
}

fn read_rows(path: &str) -> Result<Vec<Row>, Box<dyn std::error::Error>> {
    let mut reader = csv::Reader::from_path(path)?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("no column `{name}`"))
    };
    let columns = [
        column("Platform")?,
        column("Category")?,
        column("Cookie / Data Key name")?,
        column("Domain")?,
        column("Description")?,
        column("Retention period")?,
        column("Data Controller")?,
        column("User Privacy & GDPR Rights Portals")?,
        column("Wildcard match")?,
    ];
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        let field = |i: usize| {
            let column = columns.get(i).and_then(|&column| record.get(column));
            column.unwrap_or("").to_owned()
        };
        rows.push(Row {
            platform: field(0),
            category: field(1),
            name: field(2),
            domain: field(3),
            description: field(4),
            retention: field(5),
            controller: field(6),
            portal: field(7),
            wildcard: field(8).trim() == "1",
        });
    }
    Ok(rows)
}

fn convert(csv_path: &str) -> Result<String, Box<dyn std::error::Error>> {
    let rows = read_rows(csv_path)?;
    let mut providers: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
    let mut names = HashSet::new();
    let mut constants: HashSet<String> = RESERVED_NAMES.iter().map(|c| c.to_string()).collect();
    let mut cookies = String::new();
    let (mut dropped_duplicates, mut dropped_invalid, mut count) = (0, 0, 0);
    for row in &rows {
        let name = if row.wildcard {
            format!("{}*", row.name)
        } else {
            row.name.clone()
        };
        if let Some(problem) = name_problem(&name) {
            eprintln!("dropped {:?}: {problem}", row.name);
            dropped_invalid += 1;
            continue;
        }
        if !names.insert(name.clone()) {
            eprintln!(
                "dropped a later row for {name:?} ({}): the first row of a name wins",
                row.platform
            );
            dropped_duplicates += 1;
            continue;
        }
        let controller = or(&row.controller, or(&row.platform, "Unknown"));
        let provider_id = slug(controller);
        providers
            .entry(provider_id.clone())
            .or_insert_with(|| (controller.trim().to_owned(), url(&row.portal)));
        let category = match row.category.trim() {
            "Functional" | "Security" | "Necessary" => "necessary",
            "Personalization" => "functional",
            "Analytics" => "statistical",
            "Marketing" => "advertising",
            other => return Err(format!("unknown category `{other}` for {name:?}").into()),
        };
        let mut entry = String::new();
        let _ = writeln!(entry, "\n[[cookie]]\nname = {}", quote(&name));
        let _ = writeln!(entry, "provider = {}", quote(&provider_id));
        let _ = writeln!(
            entry,
            "function = {}",
            quote(or(&row.platform, "Not stated"))
        );
        let purpose = or(
            &row.description,
            "Not described in the Open Cookie Database",
        );
        let _ = writeln!(entry, "purpose = {}", quote(purpose));
        let _ = writeln!(entry, "category = \"{category}\"");
        if let Some(lifetime) = lifetime(&row.retention) {
            let _ = writeln!(entry, "lifetime = \"{lifetime}\"");
        }
        if row.domain.contains("(3rd party)") {
            entry.push_str("party = \"third\"\n");
        } else if name == CONSENT_COOKIE {
            entry.push_str("consent = true\n");
        }
        let domain = row.domain.replace("(3rd party)", "");
        let domain = domain.trim();
        if !domain.is_empty()
            && domain
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            let _ = writeln!(entry, "domain = {}", quote(domain));
        }
        match constant_name(&name).filter(|c| !constants.contains(c)) {
            Some(constant) => {
                constants.insert(constant);
            }
            None => {
                let base = constant_name(&name).unwrap_or_else(|| "COOKIE".to_owned());
                let constant = (2..)
                    .map(|n| format!("{base}_{n}"))
                    .find(|c| !constants.contains(c))
                    .unwrap_or_default();
                let _ = writeln!(entry, "const = {}", quote(&constant));
                constants.insert(constant);
            }
        }
        cookies.push_str(&entry);
        count += 1;
    }
    eprintln!(
        "{count} cookies from {} rows: {dropped_duplicates} later duplicates and {dropped_invalid} invalid names dropped; {} providers",
        rows.len(),
        providers.len()
    );
    let mut out = String::from(HEADER);
    for (id, (name, url)) in &providers {
        let _ = write!(
            out,
            "\n[[provider]]\nid = {}\nname = {}\n",
            quote(id),
            quote(name)
        );
        if let Some(url) = url {
            let _ = writeln!(out, "url = {}", quote(url));
        }
    }
    out.push_str(&cookies);
    Ok(out)
}

const HEADER: &str = "\
# The Open Cookie Database as a cookie-policy registry.
#
# Converted from the Open Cookie Database (https://github.com/jkwakman/Open-Cookie-Database,
# snapshot of commit 0ee5a17, 2026-01-21), Copyright its contributors, licensed under
# the Apache License 2.0: see open-cookie-database.LICENSE beside this file.
# Generated by cookie-policy-codegen/examples/import_open_cookie_database.rs; do not edit.

[site]
name = \"Open Cookie Database\"
url = \"https://github.com/jkwakman/Open-Cookie-Database\"
";

fn or<'a>(text: &'a str, default: &'a str) -> &'a str {
    if text.trim().is_empty() {
        default
    } else {
        text.trim()
    }
}

fn lifetime(retention: &str) -> Option<String> {
    let retention = retention.trim().to_lowercase();
    if retention == "end of session (browser)" {
        return Some("session".to_owned());
    }
    retention
        .parse::<Lifetime>()
        .ok()
        .map(|lifetime| lifetime.to_string())
}

fn url(portal: &str) -> Option<String> {
    let portal = portal.trim();
    let valid = (portal.starts_with("https://") || portal.starts_with("http://"))
        && !portal.chars().any(|c| c.is_whitespace() || c.is_control());
    valid.then(|| portal.to_owned())
}

/// `Google LLC` -> `google-llc`.
fn slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_owned();
    if slug.is_empty() {
        "unknown".to_owned()
    } else {
        slug
    }
}

/// A TOML basic string.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
