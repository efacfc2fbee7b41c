//! What `#[derive(CookiePolicy)]` expands to refers to; not public API.

pub use crate::cookie::cookie;
pub use crate::index::Index;
pub use crate::text::Text;
pub use core::option::Option::{None, Some};
