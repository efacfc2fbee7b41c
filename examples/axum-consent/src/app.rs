//! The demo site's routes, generic over the policy so that tests can serve
//! the very same code with another policy.
//!
//! The handlers set cookies without asking anyone, as real handlers do; the
//! `ConsentLayer` decides what reaches the browser.

use axum::Router;
use axum::extract::RawQuery;
use axum::http::header::{HeaderMap, HeaderValue, SET_COOKIE};
use axum::response::IntoResponse;
use axum::routing::get;
use cookie_policy::enforce::{Report, consent_from_request};
use cookie_policy::layer::ConsentLayer;
use cookie_policy::{Category, Consent, CookiePolicy};

/// The site: `GET /` sets cookies, `POST /consent?accept=...` records the
/// visitor's choice in `P`'s consent cookie, `GET /consent` shows it.
/// `on_removal` hears of every cookie the layer stops.
pub fn app<P: CookiePolicy + 'static>(
    on_removal: impl Fn(&Report) + Send + Sync + 'static,
) -> Router {
    let layer = ConsentLayer::<P>::new().on_removal(on_removal);
    routes::<P>().layer(layer)
}

/// The same routes without the layer, to compare (`benches/benches/layer.rs`).
pub fn routes<P: CookiePolicy + 'static>() -> Router {
    Router::new()
        .route("/", get(home))
        .route("/consent", get(show_consent::<P>).post(record_consent::<P>))
}

/// A page that sets what a real page sets: a session, a CSRF token, a Matomo
/// visitor id, and a Google Analytics cookie nobody declared.
async fn home() -> impl IntoResponse {
    let mut headers = HeaderMap::new();
    for cookie in [
        "sessionid=s3ss10n; Path=/; HttpOnly; SameSite=Lax",
        "csrftoken=t0k3n; Path=/; SameSite=Lax",
        "_pk_id.1.f00d=visitor.1700000000; Path=/; Max-Age=34186698",
        "_ga=GA1.1.123.456; Path=/; Max-Age=63072000",
    ] {
        headers.append(SET_COOKIE, HeaderValue::from_static(cookie));
    }
    (headers, "home\n")
}

/// `POST /consent?accept=statistical+functional`: records exactly the
/// categories listed (none: necessary only).
async fn record_consent<P: CookiePolicy>(RawQuery(query): RawQuery) -> impl IntoResponse {
    let Some(consent_cookie) = P::CONSENT_COOKIE else {
        return (
            axum::http::StatusCode::NOT_FOUND,
            HeaderMap::new(),
            "this policy has no consent cookie: no cookie needs consent\n".to_owned(),
        );
    };
    let accepted = query
        .as_deref()
        .and_then(|query| {
            query
                .split('&')
                .find_map(|pair| pair.strip_prefix("accept="))
        })
        .unwrap_or("");
    let mut consent = Consent::necessary_only();
    for name in accepted
        .split(['+', ',', ' '])
        .filter(|name| !name.is_empty())
    {
        match name.parse::<Category>() {
            Ok(category) => consent = consent.grant(category),
            Err(error) => {
                return (
                    axum::http::StatusCode::BAD_REQUEST,
                    HeaderMap::new(),
                    format!("{error}\n"),
                );
            }
        }
    }
    let max_age = consent_cookie
        .lifetime()
        .and_then(|lifetime| lifetime.seconds())
        .unwrap_or(15_552_000);
    let value = format!(
        "{}={}; Path=/; Max-Age={max_age}; SameSite=Lax",
        consent_cookie.name(),
        consent.to_cookie_value::<P>()
    );
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&value) {
        headers.append(SET_COOKIE, value);
    }
    (
        axum::http::StatusCode::OK,
        headers,
        format!("{consent:?}\n"),
    )
}

/// `GET /consent`: the consent the request carries.
async fn show_consent<P: CookiePolicy>(headers: HeaderMap) -> String {
    let (consent, problem) = consent_from_request::<P>(&headers);
    match problem {
        Some(problem) => format!("{consent:?} ({problem})\n"),
        None => format!("{consent:?}\n"),
    }
}
