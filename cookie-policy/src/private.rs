//! What `#[derive(CookiePolicy)]` expands to refers to; not public API.

pub use crate::cookie::{ANONYMIZED, CookieParts, PATTERN, REQUIRES_CONSENT, THIRD_PARTY, cookie};
pub use crate::index::Index;
pub use crate::text::Text;
pub use core::option::Option::{None, Some};
