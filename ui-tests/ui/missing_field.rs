use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/missing_field.toml")]
struct Site;

fn main() {}
