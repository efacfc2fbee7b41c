//! The policy file as written: TOML parsed into spanned tables, with every
//! shape mistake (syntax, unknown key, wrong type, missing field) reported.
//!
//! Nothing here judges values; `validate` does. Fields are `Option`s so that
//! one missing field does not hide the other mistakes of its entry.

use core::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostic::{Diagnostic, Diagnostics};
use cookie_policy_core::{BannerText, closest};

/// A value and the bytes of the file it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sp<T> {
    /// The value.
    pub value: T,
    /// Its byte range in the file.
    pub span: Range<usize>,
}

/// A text field: one string for every language, or a table of translations
/// (`purpose = { en = "...", fr = "..." }`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Text {
    /// The same text in every language.
    Plain(String),
    /// Language tag and text, in file order.
    Translated(Vec<(Sp<String>, Sp<String>)>),
}

/// The whole file.
#[derive(Debug, Default)]
pub struct Document {
    /// The `[site]` table, if the file has one.
    pub site: Option<SiteTable>,
    /// Every `[[provider]]`.
    pub providers: Vec<ProviderTable>,
    /// Every `[[cookie]]`.
    pub cookies: Vec<CookieTable>,
    /// The texts of `[banner]` that the file gives, in file order.
    pub banner: Vec<(BannerText, Sp<Text>)>,
    /// Every `[categories.<name>]`, in file order.
    pub categories: Vec<CategoryTable>,
    /// `[consent_mode]`, if the file has one.
    pub consent_mode: Option<ConsentModeTable>,
    /// `[gpc]`, if the file has one.
    pub gpc: Option<GpcTable>,
}

/// One `[categories.<name>]`: what the signals mean for a category.
#[derive(Debug)]
pub struct CategoryTable {
    /// The category's name, as written (checked by `validate`).
    pub name: Sp<String>,
    /// `gpc`.
    pub gpc: Option<Sp<String>>,
    /// `consent_mode`.
    pub consent_mode: Option<Sp<Vec<Sp<String>>>>,
}

/// `[consent_mode]`.
#[derive(Debug, Default)]
pub struct ConsentModeTable {
    /// `wait_for_update`, in milliseconds (not yet range-checked).
    pub wait_for_update: Option<Sp<i64>>,
    /// `regions`.
    pub regions: Option<Sp<Vec<Sp<String>>>>,
}

/// `[gpc]`.
#[derive(Debug, Default)]
pub struct GpcTable {
    /// `last_update`: a TOML date or a string, as written.
    pub last_update: Option<Sp<String>>,
}

/// `[site]`.
#[derive(Debug, Default)]
pub struct SiteTable {
    /// `name`.
    pub name: Option<Sp<Text>>,
    /// `url`.
    pub url: Option<Sp<String>>,
    /// `locations`.
    pub locations: Option<Sp<Vec<Sp<String>>>>,
    /// `languages`.
    pub languages: Option<Sp<Vec<Sp<String>>>>,
}

/// One `[[provider]]`.
#[derive(Debug, Default)]
pub struct ProviderTable {
    /// `id`.
    pub id: Option<Sp<String>>,
    /// `name`.
    pub name: Option<Sp<String>>,
    /// `url`.
    pub url: Option<Sp<String>>,
}

/// One `[[cookie]]`.
#[derive(Debug, Default)]
pub struct CookieTable {
    /// `name`.
    pub name: Option<Sp<String>>,
    /// `provider`.
    pub provider: Option<Sp<String>>,
    /// `function`.
    pub function: Option<Sp<Text>>,
    /// `locations`.
    pub locations: Option<Sp<Vec<Sp<String>>>>,
    /// `purpose`.
    pub purpose: Option<Sp<Text>>,
    /// `category`.
    pub category: Option<Sp<String>>,
    /// `lifetime`.
    pub lifetime: Option<Sp<String>>,
    /// `party`.
    pub party: Option<Sp<String>>,
    /// `domain`.
    pub domain: Option<Sp<String>>,
    /// `path`.
    pub path: Option<Sp<String>>,
    /// `const`.
    pub const_name: Option<Sp<String>>,
    /// `anonymized`.
    pub anonymized: Option<Sp<bool>>,
    /// `consent`.
    pub consent: Option<Sp<bool>>,
    /// `refresh`.
    pub refresh: Option<Sp<bool>>,
}

const TOP_KEYS: &[&str] = &[
    "site",
    "provider",
    "cookie",
    "banner",
    "categories",
    "consent_mode",
    "gpc",
];
const CATEGORY_KEYS: &[&str] = &["gpc", "consent_mode"];
const CONSENT_MODE_KEYS: &[&str] = &["wait_for_update", "regions"];
const GPC_KEYS: &[&str] = &["last_update"];

const SITE_KEYS: &[&str] = &["name", "url", "locations", "languages"];
const PROVIDER_KEYS: &[&str] = &["id", "name", "url"];
const COOKIE_KEYS: &[&str] = &[
    "name",
    "provider",
    "function",
    "locations",
    "purpose",
    "category",
    "lifetime",
    "party",
    "domain",
    "path",
    "const",
    "anonymized",
    "consent",
    "refresh",
];

/// Parses the text, reporting every syntax and shape mistake. With a syntax
/// error nothing else is reported: the tree after it is a guess.
pub fn parse(text: &str, diagnostics: &mut Diagnostics) -> Document {
    let (root, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for error in errors {
            let span = error.span().unwrap_or(0..0);
            diagnostics.push(
                Diagnostic::new(
                    format!("invalid TOML: {}", error.message().trim_end()),
                    span,
                )
                .help("fix the TOML syntax; the format is described in docs/policy-format.md"),
            );
        }
        return Document::default();
    }
    let root_span = root.span();
    let mut reader = Reader { diagnostics };
    let root = root.into_inner();
    let suggested = reader.check_keys(&root, TOP_KEYS, "the file's top level");
    let mut document = Document::default();
    match root.get("site") {
        Some(site) => document.site = reader.site(site),
        None if suggested.contains(&"site") => {}
        None => reader.diagnostics.push(
            Diagnostic::new(
                "missing the `[site]` table",
                root_span.start..root_span.start,
            )
            .help("add a `[site]` table with at least `name = \"...\"`"),
        ),
    }
    for table in reader.array_of_tables(&root, "provider") {
        document.providers.push(reader.provider(table));
    }
    for table in reader.array_of_tables(&root, "cookie") {
        document.cookies.push(reader.cookie(table));
    }
    if let Some(banner) = root.get("banner") {
        document.banner = reader.banner(banner);
    }
    if let Some(categories) = root.get("categories") {
        document.categories = reader.categories(categories);
    }
    if let Some(consent_mode) = root.get("consent_mode") {
        document.consent_mode = reader.consent_mode(consent_mode);
    }
    if let Some(gpc) = root.get("gpc") {
        document.gpc = reader.gpc(gpc);
    }
    document
}

type Table<'i> = Spanned<DeValue<'i>>;

struct Reader<'d> {
    diagnostics: &'d mut Diagnostics,
}

impl Reader<'_> {
    fn site(&mut self, value: &Table<'_>) -> Option<SiteTable> {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type("site", value, "a table", "[site]");
            return None;
        };
        let span = value.span();
        let what = "[site]";
        let misspelt = self.check_keys(table, SITE_KEYS, what);
        Some(SiteTable {
            name: self.required_text(table, "name", what, &span, &misspelt),
            url: self.string(table, "url", what),
            locations: self.strings(table, "locations", what),
            languages: self.strings(table, "languages", what),
        })
    }

    fn banner(&mut self, value: &Table<'_>) -> Vec<(BannerText, Sp<Text>)> {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type("banner", value, "a table", "[banner]");
            return Vec::new();
        };
        let span = value.span();
        let what = "[banner]";
        self.check_keys(table, &BannerText::ALL.map(BannerText::key), what);
        BannerText::ALL
            .into_iter()
            .filter(|text| table.get(text.key()).is_some())
            .filter_map(|text| {
                let value = self.required_text(table, text.key(), what, &span, &[])?;
                Some((text, value))
            })
            .collect()
    }

    /// `[categories]`: one table per category, each name kept for
    /// `validate` to check.
    fn categories(&mut self, value: &Table<'_>) -> Vec<CategoryTable> {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type("categories", value, "a table", "the file's top level");
            return Vec::new();
        };
        let mut categories = Vec::new();
        for (name, entry) in table.iter() {
            let name = Sp {
                value: name.get_ref().to_string(),
                span: name.span(),
            };
            let what = format!("[categories.{}]", name.value);
            let DeValue::Table(entry) = entry.get_ref() else {
                self.wrong_type(&name.value, entry, "a table", "[categories]");
                continue;
            };
            self.check_keys(entry, CATEGORY_KEYS, &what);
            categories.push(CategoryTable {
                gpc: self.string(entry, "gpc", &what),
                consent_mode: self.strings(entry, "consent_mode", &what),
                name,
            });
        }
        categories
    }

    fn consent_mode(&mut self, value: &Table<'_>) -> Option<ConsentModeTable> {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type("consent_mode", value, "a table", "the file's top level");
            return None;
        };
        let what = "[consent_mode]";
        self.check_keys(table, CONSENT_MODE_KEYS, what);
        Some(ConsentModeTable {
            wait_for_update: self.integer(table, "wait_for_update", what),
            regions: self.strings(table, "regions", what),
        })
    }

    fn gpc(&mut self, value: &Table<'_>) -> Option<GpcTable> {
        let DeValue::Table(table) = value.get_ref() else {
            self.wrong_type("gpc", value, "a table", "the file's top level");
            return None;
        };
        let what = "[gpc]";
        self.check_keys(table, GPC_KEYS, what);
        let last_update = table
            .get("last_update")
            .and_then(|value| match value.get_ref() {
                DeValue::Datetime(date) => Some(Sp {
                    value: date.to_string(),
                    span: value.span(),
                }),
                DeValue::String(text) => Some(Sp {
                    value: text.to_string(),
                    span: value.span(),
                }),
                _ => {
                    self.wrong_type("last_update", value, "a date", what);
                    None
                }
            });
        Some(GpcTable { last_update })
    }

    fn provider(&mut self, (table, span): (&DeTable<'_>, Range<usize>)) -> ProviderTable {
        let what = "[[provider]]";
        let misspelt = self.check_keys(table, PROVIDER_KEYS, what);
        ProviderTable {
            id: self.required_string(table, "id", what, &span, &misspelt),
            name: self.required_string(table, "name", what, &span, &misspelt),
            url: self.string(table, "url", what),
        }
    }

    fn cookie(&mut self, (table, span): (&DeTable<'_>, Range<usize>)) -> CookieTable {
        let what = "[[cookie]]";
        let misspelt = self.check_keys(table, COOKIE_KEYS, what);
        CookieTable {
            name: self.required_string(table, "name", what, &span, &misspelt),
            provider: self.required_string(table, "provider", what, &span, &misspelt),
            function: self.required_text(table, "function", what, &span, &misspelt),
            locations: self.strings(table, "locations", what),
            purpose: self.required_text(table, "purpose", what, &span, &misspelt),
            category: self.required_string(table, "category", what, &span, &misspelt),
            lifetime: self.string(table, "lifetime", what),
            party: self.string(table, "party", what),
            domain: self.string(table, "domain", what),
            path: self.string(table, "path", what),
            const_name: self.string(table, "const", what),
            anonymized: self.bool(table, "anonymized", what),
            consent: self.bool(table, "consent", what),
            refresh: self.bool(table, "refresh", what),
        }
    }

    /// The tables of `[[key]]`, each with its span.
    fn array_of_tables<'t, 'i>(
        &mut self,
        root: &'t DeTable<'i>,
        key: &str,
    ) -> Vec<(&'t DeTable<'i>, Range<usize>)> {
        let Some(value) = root.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(array) = value.get_ref() else {
            self.wrong_type(key, value, "an array of tables", "the file's top level");
            return Vec::new();
        };
        let mut tables = Vec::new();
        for item in array.iter() {
            match item.get_ref() {
                DeValue::Table(table) => tables.push((table, item.span())),
                _ => self.wrong_type(key, item, "a table", "the file's top level"),
            }
        }
        tables
    }

    /// Reports unknown keys; returns the known keys it suggested instead.
    fn check_keys<'k>(
        &mut self,
        table: &DeTable<'_>,
        allowed: &[&'k str],
        what: &str,
    ) -> Vec<&'k str> {
        let mut suggested = Vec::new();
        for key in table.keys() {
            let name = key.get_ref().as_ref();
            if allowed.contains(&name) {
                continue;
            }
            if let Some(suggestion) = closest(name, allowed.iter().copied()) {
                suggested.push(suggestion);
            }
            let diagnostic = Diagnostic::new(format!("unknown key `{name}` in {what}"), key.span())
                .did_you_mean(name, allowed.iter().copied());
            self.diagnostics
                .push(diagnostic.help(format!("the keys of {what} are {}", list(allowed))));
        }
        suggested
    }

    fn required_string(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        what: &str,
        table_span: &Range<usize>,
        misspelt: &[&str],
    ) -> Option<Sp<String>> {
        // A misspelt key already said "did you mean `key`?".
        if table.get(key).is_none() && misspelt.contains(&key) {
            return None;
        }
        if table.get(key).is_none() {
            self.diagnostics.push(
                Diagnostic::new(
                    format!("missing `{key}` in this {what}"),
                    table_span.clone(),
                )
                .help(format!("add `{key} = {}` to it", example_value(key))),
            );
            return None;
        }
        self.string(table, key, what)
    }

    /// A required text: a string, or a table of translations.
    fn required_text(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        what: &str,
        table_span: &Range<usize>,
        misspelt: &[&str],
    ) -> Option<Sp<Text>> {
        let value = table.get(key);
        let Some(DeValue::Table(translations)) = value.map(Spanned::get_ref) else {
            let plain = self.required_string(table, key, what, table_span, misspelt)?;
            return Some(Sp {
                value: Text::Plain(plain.value),
                span: plain.span,
            });
        };
        let span = value.map_or(0..0, Spanned::span);
        let mut entries = Vec::new();
        let mut whole = true;
        for (language, text) in translations.iter() {
            match text.get_ref() {
                DeValue::String(string) => entries.push((
                    Sp {
                        value: language.get_ref().to_string(),
                        span: language.span(),
                    },
                    Sp {
                        value: string.to_string(),
                        span: text.span(),
                    },
                )),
                _ => {
                    whole = false;
                    self.wrong_type(key, text, "a string", what);
                }
            }
        }
        // A translation of the wrong type is reported once, not again as missing.
        whole.then_some(Sp {
            value: Text::Translated(entries),
            span,
        })
    }

    fn string(&mut self, table: &DeTable<'_>, key: &str, what: &str) -> Option<Sp<String>> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::String(text) => Some(Sp {
                value: text.to_string(),
                span: value.span(),
            }),
            _ => {
                self.wrong_type(key, value, "a string", what);
                None
            }
        }
    }

    fn strings(
        &mut self,
        table: &DeTable<'_>,
        key: &str,
        what: &str,
    ) -> Option<Sp<Vec<Sp<String>>>> {
        let value = table.get(key)?;
        let DeValue::Array(array) = value.get_ref() else {
            self.wrong_type(key, value, "an array of strings", what);
            return None;
        };
        let mut strings = Vec::new();
        for item in array.iter() {
            match item.get_ref() {
                DeValue::String(text) => strings.push(Sp {
                    value: text.to_string(),
                    span: item.span(),
                }),
                _ => self.wrong_type(key, item, "a string", what),
            }
        }
        Some(Sp {
            value: strings,
            span: value.span(),
        })
    }

    fn integer(&mut self, table: &DeTable<'_>, key: &str, what: &str) -> Option<Sp<i64>> {
        let value = table.get(key)?;
        let parsed = match value.get_ref() {
            DeValue::Integer(integer) => {
                i64::from_str_radix(integer.as_str(), integer.radix()).ok()
            }
            _ => None,
        };
        match parsed {
            Some(number) => Some(Sp {
                value: number,
                span: value.span(),
            }),
            None => {
                self.wrong_type(key, value, "an integer", what);
                None
            }
        }
    }

    fn bool(&mut self, table: &DeTable<'_>, key: &str, what: &str) -> Option<Sp<bool>> {
        let value = table.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(flag) => Some(Sp {
                value: *flag,
                span: value.span(),
            }),
            _ => {
                self.wrong_type(key, value, "a boolean", what);
                None
            }
        }
    }

    fn wrong_type(&mut self, key: &str, value: &Table<'_>, expected: &str, what: &str) {
        self.diagnostics.push(
            Diagnostic::new(
                format!(
                    "`{key}` in {what} must be {expected}, not {}",
                    article(value.get_ref().type_str())
                ),
                value.span(),
            )
            .help(how_to_write(key, what)),
        );
    }
}

/// The help that shows a key written right.
fn how_to_write(key: &str, what: &str) -> String {
    if what == "[categories]" {
        return format!("write it as a `[categories.{key}]` table");
    }
    match key {
        "site" => "write it as a `[site]` table".to_owned(),
        "categories" => "write it as `[categories.advertising]` tables".to_owned(),
        "consent_mode" | "gpc" if what == "the file's top level" => {
            format!("write it as a `[{key}]` table")
        }
        "provider" | "cookie" => format!("write each entry as a `[[{key}]]` table"),
        _ => format!("write it as `{key} = {}`", example_value(key)),
    }
}

/// A plausible value for a key, as TOML.
fn example_value(key: &str) -> &'static str {
    match key {
        "locations" => "[\"front office\", \"back office\"]",
        "languages" => "[\"en\", \"fr\"]",
        "category" => "\"necessary\"",
        "lifetime" => "\"2 weeks\"",
        "party" => "\"first\"",
        "domain" => "\".example.com\"",
        "path" => "\"/\"",
        "const" => "\"SESSION_ID\"",
        "anonymized" | "consent" | "refresh" => "true",
        "gpc" => "\"refuse\"",
        "consent_mode" => "[\"ad_storage\", \"ad_user_data\"]",
        "wait_for_update" => "500",
        "regions" => "[\"FR\", \"US-CA\"]",
        "last_update" => "2026-01-31",
        "url" => "\"https://example.com\"",
        "id" => "\"example\"",
        _ => "\"...\"",
    }
}

fn article(type_name: &str) -> String {
    match type_name.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {type_name}"),
        _ => format!("a {type_name}"),
    }
}

/// `` `a`, `b` and `c` ``; past a dozen words, the first ten and how many
/// more.
pub(crate) fn list(words: &[&str]) -> String {
    let quoted =
        |words: &[&str]| -> Vec<String> { words.iter().map(|w| format!("`{w}`")).collect() };
    if let (Some(first), 16..) = (words.get(..10), words.len()) {
        return format!("{} and {} more", quoted(first).join(", "), words.len() - 10);
    }
    match words {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [init @ .., last] => format!("{} and `{last}`", quoted(init).join(", ")),
    }
}
