//! TEMPORARY: the gpc branch's PolicyData signals API, until it is merged.
#![allow(dead_code)]
use cookie_policy::{Category, PolicyData};

pub(crate) struct Key(&'static str);
impl Key {
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

pub(crate) trait Signals {
    fn gpc_refuses(&self, category: Category) -> bool;
    fn gpc_refused(&self) -> std::vec::IntoIter<Category>;
    fn consent_mode_keys(&self, category: Category) -> &'static [Key];
}

impl Signals for PolicyData {
    fn gpc_refuses(&self, category: Category) -> bool {
        category == Category::Advertising
    }
    fn gpc_refused(&self) -> std::vec::IntoIter<Category> {
        vec![Category::Advertising].into_iter()
    }
    fn consent_mode_keys(&self, category: Category) -> &'static [Key] {
        match category {
            Category::Necessary => &[Key("security_storage")],
            Category::Functional => &[Key("functionality_storage"), Key("personalization_storage")],
            Category::Statistical => &[Key("analytics_storage")],
            Category::Advertising => &[
                Key("ad_storage"),
                Key("ad_user_data"),
                Key("ad_personalization"),
            ],
        }
    }
}
