use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/missing_consent_cookie.toml")]
struct Site;

fn main() {}
