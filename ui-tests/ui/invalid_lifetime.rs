use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/invalid_lifetime.toml")]
struct Site;

fn main() {}
