use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/star_not_at_end.toml")]
struct Site;

fn main() {}
