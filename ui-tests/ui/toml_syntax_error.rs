use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/toml_syntax_error.toml")]
struct Site;

fn main() {}
