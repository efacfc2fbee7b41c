use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/consent_mode_wait_out_of_range.toml")]
struct Site;

fn main() {}
