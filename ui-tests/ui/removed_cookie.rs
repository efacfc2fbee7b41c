use cookie_policy::CookiePolicy;

#[derive(CookiePolicy)]
#[cookie_policy(path = "ui/removed_cookie.toml")]
struct Site;

fn main() {
    // `csrftoken` was removed from the policy; this line must not compile.
    let _ = Site::CSRFTOKEN;
    let _ = Site::SESSIONID;
}
