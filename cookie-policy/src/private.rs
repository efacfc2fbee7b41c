//! What `#[derive(CookiePolicy)]` expands to refers to; not public API.

pub use crate::cookie::CookieParts;
pub use crate::index::Index;
pub use core::option::Option::{None, Some};
