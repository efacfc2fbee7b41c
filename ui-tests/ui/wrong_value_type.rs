use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/wrong_value_type.toml")]
struct Site;

fn main() {}
