use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/duplicate_provider.toml")]
struct Site;

fn main() {}
