//! Serving an app on 127.0.0.1 for the end-to-end tests: an axum `Router`,
//! or a service wrapped around one (`axum_consent::app::App`), as
//! `axum::serve` serves it, with the peer's address known (the consent
//! endpoint reads it).

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::ServiceExt as _;
use axum::extract::Request;
use axum::response::Response;
use tower_service::Service;

/// Serves the app `app` makes for the port it is served on (a site needs
/// its own origin); returns the port.
pub(crate) async fn serve_on_port<S>(app: impl FnOnce(u16) -> S) -> u16
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = app(port).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    port
}

/// Serves `app`; returns its base URL, `http://127.0.0.1:<port>`.
pub(crate) async fn serve<S>(app: S) -> String
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    S::Future: Send,
{
    let port = serve_on_port(|_| app).await;
    format!("http://127.0.0.1:{port}")
}

/// The names of the cookies a response sets, in order, as a client
/// receives them.
pub(crate) fn set_cookie_names(response: &reqwest::Response) -> Vec<String> {
    response
        .headers()
        .get_all(axum::http::header::SET_COOKIE)
        .iter()
        .map(|value| {
            let header = value.to_str().unwrap();
            header.split('=').next().unwrap().to_owned()
        })
        .collect()
}
