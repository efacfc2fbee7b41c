//! The policy table: which rows a policy's cookies make, under which
//! headings, in which words. Rustdoc (through the derive) and the published
//! pages (through `cookie_policy::publish`) render this one model, so they
//! cannot disagree.

use core::fmt::Write as _;
use std::collections::HashMap;

use crate::{Category, Lifetime, Wording, encoding, markdown_cell, markdown_code};

/// What the policy table needs to know of a cookie. Implemented by
/// `cookie_policy::Cookie` and by the derive's validated model.
///
/// Texts are asked for by language index: the position of a language in the
/// policy's `[site] languages`, 0 being the default.
pub trait TableCookie {
    /// The name, with a pattern's `*`.
    fn name(&self) -> &str;
    /// The provider's `id`.
    fn provider_id(&self) -> &str;
    /// The provider's name.
    fn provider_name(&self) -> &str;
    /// The category.
    fn category(&self) -> Category;
    /// The function in the language at `language`.
    fn function(&self, language: usize) -> &str;
    /// The purpose in the language at `language`.
    fn purpose(&self, language: usize) -> &str;
    /// The places on the site where the cookie is used.
    fn locations(&self) -> impl Iterator<Item = &str>;
    /// The declared lifetime.
    fn lifetime(&self) -> Option<Lifetime>;
    /// Whether the cookie needs consent.
    fn requires_consent(&self) -> bool;
}

/// A policy's cookies as the tables of its page, in one language: a
/// [`Section`] per category that has cookies, in [`Category::ALL`] order.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Table {
    /// The words the table is written in.
    pub wording: &'static Wording,
    /// One section per category that has cookies.
    pub sections: Vec<Section>,
}

/// The table of one category.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Section {
    /// The category.
    pub category: Category,
    /// Its heading, such as "Statistical cookies".
    pub heading: &'static str,
    /// The sentence under the heading.
    pub text: &'static str,
    /// The rows, in the order of their first cookie in the policy.
    pub rows: Vec<Row>,
}

/// One row: the cookies that share provider, function, locations, purpose
/// (in every language), lifetime and consent.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Row {
    /// "Service provider's name".
    pub provider: String,
    /// "Function and location": the function, then the locations.
    pub function_and_location: String,
    /// "Cookie name(s)", each as declared.
    pub names: Vec<String>,
    /// "Purposes".
    pub purpose: String,
    /// "Lifetime", in the table's language.
    pub lifetime: String,
    /// Whether the row is anonymized audience measurement, exempt from
    /// consent: its names are marked.
    pub anonymized: bool,
}

impl Table {
    /// The table of `cookies`, in the policy's language at index `language`,
    /// with the page's words from `wording`. `languages` is how many
    /// languages the policy has: rows are grouped only when their texts
    /// agree in every one of them.
    pub fn new<'c, C: TableCookie + 'c>(
        cookies: impl IntoIterator<Item = &'c C>,
        languages: usize,
        language: usize,
        wording: &'static Wording,
    ) -> Table {
        let mut sections: Vec<Section> = Category::ALL
            .into_iter()
            .map(|category| Section {
                category,
                heading: wording.category_heading(category),
                text: wording.category_text(category),
                rows: Vec::new(),
            })
            .collect();
        // (category code, row key) -> the row's index in its section.
        let mut row_of: HashMap<(u8, String), usize> = HashMap::new();
        for cookie in cookies {
            let category = cookie.category();
            let Some(section) = sections.get_mut(usize::from(encoding::category_code(category)))
            else {
                continue;
            };
            let key = (
                encoding::category_code(category),
                row_key(cookie, languages),
            );
            if let Some(row) = row_of.get(&key).and_then(|&row| section.rows.get_mut(row)) {
                row.names.push(cookie.name().to_owned());
                continue;
            }
            row_of.insert(key, section.rows.len());
            section.rows.push(Row {
                provider: cookie.provider_name().to_owned(),
                function_and_location: wording.typeset(&function_and_location(
                    cookie.function(language),
                    cookie.locations(),
                )),
                names: vec![cookie.name().to_owned()],
                purpose: wording.typeset(cookie.purpose(language)),
                lifetime: wording.lifetime(cookie.lifetime()),
                anonymized: category == Category::Statistical && !cookie.requires_consent(),
            });
        }
        sections.retain(|section| !section.rows.is_empty());
        Table { wording, sections }
    }

    /// Every section as Markdown: a heading of `level` (1 for `#`), the
    /// category's sentence, then the table. Every text from the policy is
    /// escaped: it cannot add Markdown, HTML or a table cell.
    ///
    /// ```
    /// use cookie_policy_core::{Category, Lifetime, Table, TableCookie, Wording};
    ///
    /// struct Session;
    /// impl TableCookie for Session {
    ///     fn name(&self) -> &str { "sessionid" }
    ///     fn provider_id(&self) -> &str { "ods" }
    ///     fn provider_name(&self) -> &str { "Opendatasoft" }
    ///     fn category(&self) -> Category { Category::Necessary }
    ///     fn function(&self, _: usize) -> &str { "Authentication" }
    ///     fn purpose(&self, _: usize) -> &str { "To keep you signed in" }
    ///     fn locations(&self) -> impl Iterator<Item = &str> { ["front office"].into_iter() }
    ///     fn lifetime(&self) -> Option<Lifetime> { Some(Lifetime::Session) }
    ///     fn requires_consent(&self) -> bool { false }
    /// }
    ///
    /// let table = Table::new([&Session], 1, 0, &Wording::EN);
    /// assert_eq!(
    ///     table.to_markdown(3).lines().last(),
    ///     Some("| Opendatasoft | Authentication (front office) | `sessionid` | To keep you signed in | session |")
    /// );
    /// ```
    pub fn to_markdown(&self, level: usize) -> String {
        let hashes = "#".repeat(level.max(1));
        let columns = self.wording.columns;
        let mut out = String::new();
        for section in &self.sections {
            let _ = write!(
                out,
                "\n{hashes} {}\n\n{}\n\n| {} |\n|{}\n",
                section.heading,
                section.text,
                columns.join(" | "),
                "---|".repeat(columns.len())
            );
            for row in &section.rows {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    markdown_cell(&row.provider),
                    markdown_cell(&row.function_and_location),
                    row.names_cell(self.wording, markdown_code),
                    markdown_cell(&row.purpose),
                    markdown_cell(&row.lifetime),
                );
            }
        }
        out
    }
}

impl Row {
    /// The "Cookie name(s)" cell: each name as `code` writes it, joined with
    /// commas, then the anonymized mark when the row is anonymized.
    pub fn names_cell(&self, wording: &Wording, code: impl Fn(&str) -> String) -> String {
        let names: Vec<String> = self.names.iter().map(|name| code(name)).collect();
        let names = names.join(", ");
        if self.anonymized {
            format!("{names} ({})", wording.anonymized)
        } else {
            names
        }
    }
}

/// What decides a row: provider, every translation of function and purpose,
/// locations, lifetime and consent. Each text is written after its length,
/// so no text can pass for two.
fn row_key<C: TableCookie + ?Sized>(cookie: &C, languages: usize) -> String {
    let mut key = String::new();
    let mut push = |text: &str| {
        let _ = write!(key, "{}:{text}", text.len());
    };
    push(cookie.provider_id());
    for language in 0..languages.max(1) {
        push(cookie.function(language));
        push(cookie.purpose(language));
    }
    for location in cookie.locations() {
        push(location);
    }
    let (amount, unit) = encoding::lifetime_code(cookie.lifetime());
    let _ = write!(key, "|{amount}/{unit}/{}", cookie.requires_consent());
    key
}

/// "Authentication (front office, back office)"; a function that already
/// ends in parentheses, such as "API (CSRF)", takes its locations after a
/// dash instead, so a cell never reads "API (CSRF) (front office)".
fn function_and_location<'a>(function: &str, locations: impl Iterator<Item = &'a str>) -> String {
    let locations: Vec<&str> = locations.collect();
    match (locations.is_empty(), function.trim_end().ends_with(')')) {
        (true, _) => function.to_owned(),
        (false, false) => format!("{function} ({})", locations.join(", ")),
        (false, true) => format!("{function} — {}", locations.join(", ")),
    }
}
