use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/consent_mode_key_in_two_categories.toml")]
struct Site;

fn main() {}
