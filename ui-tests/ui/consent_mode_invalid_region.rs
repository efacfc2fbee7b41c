use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/consent_mode_invalid_region.toml")]
struct Site;

fn main() {}
