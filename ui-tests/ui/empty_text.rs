use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/empty_text.toml")]
struct Site;

fn main() {}
