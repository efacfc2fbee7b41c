//! The validated policy: what `validate` returns and `expand` turns into code.
//!
//! Every value here has been checked; the only thing left to do with it is to
//! write it out. Categories, parties and lifetimes are `cookie-policy-core`'s,
//! the same types the generated code uses.

pub use cookie_policy_core::{Category, Lifetime, Party, TimeUnit};

/// A checked policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `[site]`.
    pub site: Site,
    /// `[[provider]]`, in file order.
    pub providers: Vec<Provider>,
    /// `[[cookie]]`, in file order.
    pub cookies: Vec<Cookie>,
}

/// `[site]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// `name`.
    pub name: String,
    /// `url`.
    pub url: Option<String>,
    /// `locations`.
    pub locations: Vec<String>,
}

/// One `[[provider]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// `id`.
    pub id: String,
    /// `name`.
    pub name: String,
    /// `url`.
    pub url: Option<String>,
}

/// One `[[cookie]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cookie {
    /// `name`, with the `*` of a pattern.
    pub name: String,
    /// Whether `name` ends with `*`.
    pub is_pattern: bool,
    /// Index into [`Policy::providers`].
    pub provider: usize,
    /// `function`.
    pub function: String,
    /// `locations`.
    pub locations: Vec<String>,
    /// `purpose`.
    pub purpose: String,
    /// `category`.
    pub category: Category,
    /// `party`.
    pub party: Party,
    /// `lifetime`.
    pub lifetime: Option<Lifetime>,
    /// `domain`.
    pub domain: Option<String>,
    /// `anonymized`.
    pub anonymized: bool,
    /// Decided from the category, `anonymized`, party and lifetime.
    pub requires_consent: bool,
    /// The generated constant's name.
    pub const_name: String,
    /// The 1-based line of the `name` key, for docs.
    pub line: usize,
}

impl Cookie {
    /// The bytes names are compared with: the name, or a pattern's prefix.
    pub fn key(&self) -> &str {
        if self.is_pattern {
            self.name.strip_suffix('*').unwrap_or(&self.name)
        } else {
            &self.name
        }
    }
}
