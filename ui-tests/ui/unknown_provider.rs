use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/unknown_provider.toml")]
struct Site;

fn main() {}
