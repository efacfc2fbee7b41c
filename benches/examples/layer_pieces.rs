//! Where the consent layer's time goes, piece by piece, in release:
//! `cargo run --release -p cookie-policy-benches --example layer_pieces [piece]`.
use std::time::Instant;

use axum::http::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use axum_consent::Site;
use cookie_policy::Consent;

fn main() {
    let only = std::env::args().nth(1);
    let revision = Consent::banner_revision::<Site>();
    let consent = format!(
        "%7B%22categories%22%3A%5B%22necessary%22%2C%22statistical%22%5D%2C%22revision%22%3A{revision}%2C%22consentId%22%3A%228c3a%22%7D"
    );
    let n = 200_000;
    let time = |label: &str, f: &mut dyn FnMut()| {
        if only.as_deref().is_some_and(|only| !label.starts_with(only)) {
            return;
        }
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        println!("{label}: {:?}", t.elapsed() / n);
    };
    time("read banner value", &mut || {
        std::hint::black_box(
            Consent::read_cookie_value::<Site>(std::hint::black_box(&consent)).ok(),
        );
    });
    let mut request = HeaderMap::new();
    request.insert(COOKIE, HeaderValue::from_str(&format!("sessionid=s; csrftoken=t; django_language=fr; _pk_id.1.f00d=v; _ga=g; cookies_preferences={consent}")).unwrap_or(HeaderValue::from_static("")));
    time("consent_from_request", &mut || {
        std::hint::black_box(cookie_policy::enforce::consent_from_request::<Site>(
            std::hint::black_box(&request),
        ));
    });
    let headers = || {
        let mut h = HeaderMap::new();
        for c in [
            "sessionid=s3ss10n; Path=/; HttpOnly; SameSite=Lax",
            "csrftoken=t0k3n; Path=/; SameSite=Lax",
            "_pk_id.1.f00d=visitor.1700000000; Path=/; Max-Age=34186698",
            "_ga=GA1.1.123.456; Path=/; Max-Age=63072000",
        ] {
            h.append(SET_COOKIE, HeaderValue::from_static(c));
        }
        h
    };
    time("building 4 headers", &mut || {
        std::hint::black_box(headers());
    });
    time("filter (with building)", &mut || {
        let mut h = headers();
        std::hint::black_box(cookie_policy::enforce::filter_set_cookies::<Site>(
            &mut h,
            Consent::all(),
        ));
    });
    time("consent_from_response (with building)", &mut || {
        std::hint::black_box(cookie_policy::enforce::consent_from_response::<Site>(
            &headers(),
        ));
    });
}
