use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/invalid_cookie_name.toml")]
struct Site;

fn main() {}
