use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/no_such_policy.toml")]
struct Site;

fn main() {}
