//! The public policy page and the exports for consent tools, rendered from a
//! compiled policy: no TOML is read at run time, and no copy can drift.
//!
//! | output | function | feature |
//! |---|---|---|
//! | the policy table, to render yourself | [`table`] | none |
//! | Markdown page | [`markdown`] | none |
//! | standalone HTML page | `html` | `html` |
//! | the whole policy as JSON | `json` | `serde` |
//! | IAB TCF Device Storage Disclosure | `tcf_disclosures` | `serde` |
//! | vanilla-cookieconsent v3 configuration, a JavaScript module | `cookieconsent_config` | `serde` |
//! | Google Consent Mode v2 `default` snippet, a script for `<head>` | [`consent_mode_default`] | none |
//!
//! Pages are written in English (`"en"`) or French (`"fr"`), and the policy
//! must be translated into the language asked for (`[site] languages`).
//!
//! ```
//! use cookie_policy::{Platform, publish};
//!
//! let page = publish::markdown::<Platform>("fr").unwrap();
//! assert!(page.starts_with("# Politique relative aux cookies"));
//! assert!(page.contains("| Opendatasoft | Authentification (front office, back office) | `sessionid` |"));
//! assert!(publish::markdown::<Platform>("de").is_err());
//! ```

pub(crate) mod consent_mode;
pub(crate) mod markdown;
mod page;

use crate::{CookiePolicy, PolicyData};

#[cfg(feature = "serde")]
pub(crate) mod cookieconsent;
#[cfg(feature = "html")]
pub(crate) mod html;
#[cfg(feature = "serde")]
pub(crate) mod json;

pub use consent_mode::consent_mode_default;
pub use cookie_policy_core::{Row, Section, Table, Wording};
pub use markdown::markdown;
pub use page::PublishError;

/// The policy table of `P` in `language` (`"en"` or `"fr"`): the sections,
/// rows and words that every page and the rustdoc of `P` show, to render
/// another way.
///
/// ```
/// use cookie_policy::{Platform, publish};
///
/// let table = publish::table::<Platform>("en").unwrap();
/// let necessary = &table.sections[0];
/// assert_eq!(necessary.heading, "Necessary cookies");
/// assert_eq!(necessary.rows[0].names, ["sessionid"]);
/// assert_eq!(table.wording.columns[0], "Service provider's name");
/// ```
pub fn table<P: CookiePolicy + ?Sized>(language: &str) -> Result<Table, PublishError> {
    page::Page::new(&PolicyData::of::<P>(), language).map(|page| page.table)
}

#[cfg(feature = "serde")]
pub use cookieconsent::cookieconsent_config;
#[cfg(feature = "html")]
pub use html::{STYLESHEET, html};
#[cfg(feature = "serde")]
pub use json::{json, tcf_disclosures};
