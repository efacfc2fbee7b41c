use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/not_utf8.toml")]
struct Site;

fn main() {}
