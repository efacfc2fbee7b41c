//! Prints the platform's cookie table, from the policy compiled into
//! `cookie_policy::Platform`: the same sections, rows and words as its
//! rustdoc and its published page, aligned for a terminal.
//!
//! ```text
//! cargo run --example cookie_table        # English
//! cargo run --example cookie_table -- fr  # French
//! ```

use std::process::ExitCode;

use cookie_policy::{CookiePolicy, Platform, publish};

fn main() -> ExitCode {
    let language = std::env::args().nth(1).unwrap_or_else(|| "en".to_owned());
    let table = match publish::table::<Platform>(&language) {
        Ok(table) => table,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    let site = Platform::SITE;
    println!("{}", site.name_text().get(&language).unwrap_or(site.name()));
    if let Some(url) = site.url() {
        println!("{url}");
    }
    let header = table.wording.columns.map(str::to_owned);
    for section in &table.sections {
        println!("\n{}\n{}\n", section.heading, section.text);
        let rows: Vec<[String; 5]> = section
            .rows
            .iter()
            .map(|row| {
                [
                    row.provider.clone(),
                    row.function_and_location.clone(),
                    row.names_cell(table.wording, str::to_owned),
                    row.purpose.clone(),
                    row.lifetime.clone(),
                ]
            })
            .collect();
        let mut widths = header.clone().map(|cell| cell.chars().count());
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: &[String; 5]| {
            let cells: Vec<String> = cells
                .iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            format!("| {} |", cells.join(" | ")).trim_end().to_owned()
        };
        println!("{}", line(&header));
        let rule: Vec<String> = widths.iter().map(|&width| "-".repeat(width)).collect();
        println!("|-{}-|", rule.join("-|-"));
        for row in &rows {
            println!("{}", line(row));
        }
    }
    ExitCode::SUCCESS
}
