//! The public policy page and the exports for consent tools, rendered from a
//! compiled policy: no TOML is read at run time, and no copy can drift.
//!
//! | output | function | feature |
//! |---|---|---|
//! | Markdown page | [`markdown`] | none |
//! | standalone HTML page | `html` | `html` |
//! | the whole policy as JSON | `json` | `serde` |
//! | IAB TCF Device Storage Disclosure | `tcf_disclosures` | `serde` |
//! | CookieConsent v3 configuration | `cookieconsent_config` | `serde` |
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

mod markdown;
mod page;

#[cfg(feature = "html")]
mod html;
#[cfg(feature = "serde")]
mod json;

pub use markdown::markdown;
pub use page::PublishError;

#[cfg(feature = "html")]
pub use html::html;
#[cfg(feature = "serde")]
pub use json::{cookieconsent_config, json, tcf_disclosures};
