//! Where `ConsentLayer` goes in an axum app, judged over a real connection
//! on 127.0.0.1: wrapped around the whole router, it judges every response
//! the app gives, whatever route gave it and whenever the route was added;
//! through `Router::layer`, a route added or merged after the call is not
//! judged, and an undeclared cookie it sets reaches the client
//! (`docs/consent.md`, "Where the layer goes").

use axum::Router;
use axum::http::header::{HeaderMap, HeaderValue, SET_COOKIE};
use axum::routing::get;
use cookie_policy::Platform;
use cookie_policy::layer::ConsentLayer;
use tower_layer::Layer as _;

/// A handler that sets the platform's session and an undeclared `_ga`.
async fn sets_cookies() -> (HeaderMap, &'static str) {
    let mut headers = HeaderMap::new();
    headers.append(SET_COOKIE, HeaderValue::from_static("sessionid=s; Path=/"));
    headers.append(
        SET_COOKIE,
        HeaderValue::from_static("_ga=GA1.1.1.1; Path=/"),
    );
    (headers, "ok")
}

/// The names of the cookies a path's response sets, as a client receives
/// them from the server at `base`.
async fn set_names(base: &str, path: &str) -> Vec<String> {
    let response = reqwest::get(format!("{base}{path}")).await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    crate::local_server::set_cookie_names(&response)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn around_the_router_every_route_is_judged_through_router_layer_a_later_one_is_not() {
    // Wrapped around the router: the routes added in any order, a router
    // merged in, all judged.
    let merged = Router::new().route("/merged", get(sets_cookies));
    let router = Router::new()
        .route("/", get(sets_cookies))
        .route("/late", get(sets_cookies))
        .merge(merged);
    let base = crate::local_server::serve(ConsentLayer::<Platform>::new().layer(router)).await;
    for path in ["/", "/late", "/merged"] {
        assert_eq!(set_names(&base, path).await, ["sessionid"], "{path}");
    }

    // Through `Router::layer`: a route added or merged after the call
    // escapes.
    let merged = Router::new().route("/merged", get(sets_cookies));
    let router = Router::new()
        .route("/", get(sets_cookies))
        .layer(ConsentLayer::<Platform>::new())
        .route("/late", get(sets_cookies))
        .merge(merged);
    let base = crate::local_server::serve(router).await;
    assert_eq!(set_names(&base, "/").await, ["sessionid"]);
    for path in ["/late", "/merged"] {
        assert_eq!(set_names(&base, path).await, ["sessionid", "_ga"], "{path}");
    }
}
