//! The names the derive refuses for a cookie's constant are exactly the
//! items of the `CookiePolicy` trait, read from the trait's own source: a
//! new trait item cannot be forgotten in `RESERVED_NAMES`.

use std::collections::BTreeSet;

#[test]
fn reserved_names_are_the_items_of_the_trait() {
    let source = include_str!("../../cookie-policy/src/policy.rs");
    let file = syn::parse_file(source).expect("policy.rs parses");
    let trait_items: BTreeSet<String> = file
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Trait(item) if item.ident == "CookiePolicy" => Some(&item.items),
            _ => None,
        })
        .flatten()
        .filter_map(|item| match item {
            syn::TraitItem::Const(item) => Some(item.ident.to_string()),
            syn::TraitItem::Fn(item) => Some(item.sig.ident.to_string()),
            syn::TraitItem::Type(item) => Some(item.ident.to_string()),
            _ => None,
        })
        .collect();
    assert!(trait_items.contains("REVISION"), "{trait_items:?}");
    let reserved: BTreeSet<String> = cookie_policy_core::RESERVED_NAMES
        .iter()
        .map(|name| (*name).to_owned())
        .collect();
    assert_eq!(reserved, trait_items);
}
