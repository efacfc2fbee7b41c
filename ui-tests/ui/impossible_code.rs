// The generated statics decode the derive's codes at compile time; a code
// that decodes to nothing stops the build instead of becoming a default.
static PROVIDER: cookie_policy::Provider = cookie_policy::Provider::__new("p", "P", None);
static COOKIE: cookie_policy::Cookie = cookie_policy::__private::cookie(
    "c", &PROVIDER, &["en"], &["f"], &[], &["p"], 9, 0, 0, "", "", 0,
);

fn main() {
    let _ = &COOKIE;
}
