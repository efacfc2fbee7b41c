use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
struct Site;

fn main() {}
