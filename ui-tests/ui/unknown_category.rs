use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/unknown_category.toml")]
struct Site;

fn main() {}
