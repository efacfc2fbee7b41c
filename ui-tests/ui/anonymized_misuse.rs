use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/anonymized_misuse.toml")]
struct Site;

fn main() {}
