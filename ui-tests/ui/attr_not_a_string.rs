use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = policy)]
struct Site;

fn main() {}
