use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(paht = "policy.toml")]
struct Site;

fn main() {}
