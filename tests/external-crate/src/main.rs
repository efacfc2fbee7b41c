//! A user's crate: its own policy.toml, compiled by the derive.

use cookie_policy::{Category, Cookie, CookiePolicy};

/// The shop's cookie policy.
#[derive(CookiePolicy)]
#[cookie_policy(path = "policy.toml")]
pub struct Shop;

fn count<P: CookiePolicy>() -> usize {
    P::COOKIES.len()
}

fn main() {
    let session: &'static Cookie = Shop::SESSIONID;
    println!("cookies: {}", count::<Shop>());
    println!("session: {} {}", session.name(), session.category());
    println!(
        "_ga_XYZ: {}",
        Shop::lookup("_ga_XYZ").map_or("undeclared", Cookie::name)
    );
    println!(
        "statistical: {}",
        Shop::by_category(Category::Statistical).count()
    );
    println!(
        "needs consent: {}",
        Shop::COOKIES.iter().filter(|c| c.requires_consent()).count()
    );
}
