//! Prints the platform's cookie table, from the policy compiled into
//! `cookie_policy::Platform`.
//!
//! ```text
//! cargo run --example cookie_table
//! ```

use cookie_policy::{CookiePolicy, Platform};

fn main() {
    let site = Platform::SITE;
    println!("Cookies of {}", site.name());
    if let Some(url) = site.url() {
        println!("{url}");
    }
    println!();
    let header = [
        "Service provider's name",
        "Function and location",
        "Cookie name",
        "Purposes",
        "Category",
        "Lifetime",
        "Consent",
    ];
    let rows: Vec<[String; 7]> = Platform::COOKIES
        .iter()
        .map(|cookie| {
            let function = match cookie.locations() {
                [] => cookie.function().to_owned(),
                locations => format!("{} ({})", cookie.function(), locations.join(", ")),
            };
            [
                cookie.provider().name().to_owned(),
                function,
                cookie.name().to_owned(),
                cookie.purpose().to_owned(),
                cookie.category().to_string(),
                cookie
                    .lifetime()
                    .map_or_else(|| "-".to_owned(), |l| l.to_string()),
                if cookie.requires_consent() {
                    "required"
                } else {
                    "not required"
                }
                .to_owned(),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|column| {
            rows.iter()
                .map(|row| row[column].chars().count())
                .chain([header[column].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let print_row = |cells: Vec<&str>| {
        let line: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(cell, &width)| format!("{cell:<width$}"))
            .collect();
        println!("| {} |", line.join(" | "));
    };
    print_row(header.to_vec());
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    println!("|-{}-|", rule.join("-|-"));
    for row in &rows {
        print_row(row.iter().map(String::as_str).collect());
    }
}
