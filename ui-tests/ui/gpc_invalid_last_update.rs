use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/gpc_invalid_last_update.toml")]
struct Site;

fn main() {}
