use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/gpc_refuses_necessary.toml")]
struct Site;

fn main() {}
