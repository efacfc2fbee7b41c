use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/invalid_const.toml")]
struct Site;

fn main() {}
