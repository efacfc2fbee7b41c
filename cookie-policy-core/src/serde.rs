//! `Serialize` for the shared types (feature `serde`), as `cookie-policy`'s
//! JSON output writes them.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::{Category, Lifetime, Party};

/// `"necessary"` ... `"advertising"`.
impl Serialize for Category {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// `"first"` or `"third"`, as in `policy.toml`.
impl Serialize for Party {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.keyword())
    }
}

/// `{"text": "2 weeks", "seconds": 1209600}`; `seconds` is `null` for a
/// session cookie.
impl Serialize for Lifetime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut lifetime = serializer.serialize_struct("Lifetime", 2)?;
        lifetime.serialize_field("text", &self.to_string())?;
        lifetime.serialize_field("seconds", &self.seconds())?;
        lifetime.end()
    }
}

impl Serialize for crate::Revision {
    /// As its 16 hex digits.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Serialize for crate::Language {
    /// As its tag.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}
