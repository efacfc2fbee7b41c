use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/unknown_location.toml")]
struct Site;

fn main() {}
