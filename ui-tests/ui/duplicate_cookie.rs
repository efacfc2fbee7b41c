use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/duplicate_cookie.toml")]
struct Site;

fn main() {}
