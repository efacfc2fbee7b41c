use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "/etc/policy.toml")]
struct Site;

fn main() {}
