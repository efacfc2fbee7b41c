use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/reserved_constant.toml")]
struct Site;

fn main() {}
