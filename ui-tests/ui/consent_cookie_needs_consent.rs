use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/consent_cookie_needs_consent.toml")]
struct Site;

fn main() {}
