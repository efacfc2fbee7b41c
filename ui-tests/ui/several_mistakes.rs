use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/several_mistakes.toml")]
struct Site;

fn main() {}
