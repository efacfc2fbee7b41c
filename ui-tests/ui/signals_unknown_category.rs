use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/signals_unknown_category.toml")]
struct Site;

fn main() {}
