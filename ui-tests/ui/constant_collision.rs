use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/constant_collision.toml")]
struct Site;

fn main() {}
