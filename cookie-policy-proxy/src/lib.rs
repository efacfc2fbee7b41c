//! A reverse proxy that enforces a site's cookie policy in front of an
//! application on any stack (Django, Rails, PHP, Node): the engine of
//! `cookie-policy serve`. See `docs/serve.md` for the deployment, the
//! defaults and the threat model.
//!
//! Every response of the upstream goes through this project's own
//! [`ConsentLayer`], wrapped around the
//! upstream client as a tower service: each `Set-Cookie` is judged on its
//! own by the layer's code, an allowed one passes byte for byte, the
//! cookies a request carries whose consent was withdrawn are deleted, and
//! with [`Config::report_only`] nothing is removed and each would-be
//! removal is logged. The proxy is built on hyper 1 and hyper-util: their
//! server (HTTP/1.1 and HTTP/2 without TLS) and their pooled client.
//!
//! Under a prefix (default [`DEFAULT_PREFIX`]) the proxy answers itself:
//! the consent endpoint of `cookie-policy-consent-log`, the banner and its
//! configuration, the policy page in each language.
//!
//! ```no_run
//! use cookie_policy::PolicyData;
//! use cookie_policy_proxy::{Config, Proxy, Upstream};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let policy = PolicyData::load("policy.toml")?;
//! let config = Config::new(Upstream::parse("http://127.0.0.1:8000")?);
//! let proxy = Proxy::new(policy, config, None)?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
//! proxy.serve(listener, cookie_policy_proxy::shutdown_signal()).await?;
//! # Ok(())
//! # }
//! ```

mod body;
mod config;
mod forward;
mod inject;
mod site;

use core::convert::Infallible;
use core::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use bytes::Bytes;
use http::header::{CONTENT_LENGTH, HOST, HeaderValue};
use http::uri::{PathAndQuery, Scheme, Uri};
use http::{Method, Request, Response, StatusCode};
use http_body::Body as _;
use hyper::body::Incoming;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tower_layer::Layer as _;
use tower_service::Service as _;

use cookie_policy::PolicyData;
use cookie_policy::layer::{ConsentLayer, ConsentService};
use cookie_policy_consent_log::ConsentLog;
use cookie_policy_consent_log::endpoint::ConsentEndpoint;

pub use body::{BoxError, ProxyBody, RequestBody};
pub use config::{Config, ConfigError, DEFAULT_PREFIX, HostHeader, Limits, Upstream};
pub use site::RenderError;

use body::BodyTooLarge;

/// Why a [`Proxy`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProxyError {
    /// A configuration value was refused.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The policy's page or banner configuration could not be rendered.
    #[error(transparent)]
    Render(#[from] RenderError),
}

/// hyper's own limit on header fields, when none is set: 100.
const HYPER_MAX_HEADERS: usize = 100;

type Upstream_ = ConsentService<Client<HttpConnector, RequestBody>, PolicyData>;

/// What every connection shares.
struct Shared {
    config: Config,
    /// The policy's layer, wrapped around each upstream client.
    layer: ConsentLayer<PolicyData>,
    site: site::Site,
    /// The banner's tags, when they are injected.
    tags: Option<Arc<str>>,
}

/// The proxy: a policy, a configuration, a consent log. Cheap to clone;
/// a clone shares the pool of upstream connections (see
/// [`Proxy::with_own_pool`] for one that does not).
#[derive(Clone)]
pub struct Proxy {
    shared: Arc<Shared>,
    upstream: Upstream_,
}

impl core::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Proxy")
            .field("config", &self.shared.config)
            .finish_non_exhaustive()
    }
}

impl Proxy {
    /// A proxy enforcing `policy` in front of `config.upstream`, recording
    /// the banner's decisions in `log` (without one, the consent endpoint
    /// answers 404 and decisions live in the consent cookie only). The
    /// consent endpoint is `ConsentEndpoint::new(log)`'s defaults; give
    /// another with [`Proxy::with_endpoint`].
    pub fn new(
        policy: PolicyData,
        config: Config,
        log: Option<ConsentLog>,
    ) -> Result<Proxy, ProxyError> {
        Proxy::with_endpoint(policy, config, log.map(ConsentEndpoint::new))
    }

    /// [`new`](Self::new), with a consent endpoint configured by the
    /// caller (its visitor cookie's key, its rate limit, its origin rule).
    pub fn with_endpoint(
        policy: PolicyData,
        config: Config,
        endpoint: Option<ConsentEndpoint>,
    ) -> Result<Proxy, ProxyError> {
        let layer = ConsentLayer::for_policy(policy).report_only(config.report_only);
        let upstream = layer.layer(client(&config));
        let site = site::Site::new(&policy, config.prefix(), endpoint)?;
        let tags = config
            .inject_banner
            .then(|| Arc::from(inject::banner_tags(config.prefix())));
        Ok(Proxy {
            shared: Arc::new(Shared {
                config,
                layer,
                site,
                tags,
            }),
            upstream,
        })
    }

    /// The same proxy (policy, configuration, consent log, site) with a
    /// pool of upstream connections of its own: for one proxy per thread,
    /// each on its own single-threaded runtime, so that a request's client
    /// and upstream connections are driven by the same thread.
    ///
    /// ```
    /// # use cookie_policy::PolicyData;
    /// # use cookie_policy_proxy::{Config, Proxy, Upstream};
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let policy = PolicyData::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../policy.toml"))?;
    /// let proxy = Proxy::new(policy, Config::new(Upstream::parse("http://127.0.0.1:8000")?), None)?;
    /// let per_thread: Vec<Proxy> = (0..2).map(|_| proxy.with_own_pool()).collect();
    /// # assert_eq!(per_thread.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    #[must_use]
    pub fn with_own_pool(&self) -> Proxy {
        Proxy {
            shared: Arc::clone(&self.shared),
            upstream: self.shared.layer.layer(client(&self.shared.config)),
        }
    }

    /// Answers one request from `peer`: what each connection calls. Never
    /// fails: an upstream that cannot be reached is a 502 page.
    pub async fn handle(
        &self,
        peer: SocketAddr,
        request: Request<Incoming>,
    ) -> Response<ProxyBody> {
        handle(
            &self.shared,
            &self.upstream,
            &Peer::new(&self.shared.config, peer),
            request,
        )
        .await
    }

    /// Accepts connections on `listener` until `shutdown` resolves, then
    /// stops accepting and lets the requests in flight finish (at most
    /// [`Limits::shutdown_grace`]).
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl Future<Output = ()>,
    ) -> std::io::Result<()> {
        let limits = &self.shared.config.limits;
        let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.request_header_timeout)
            .max_buf_size(limits.max_header_bytes.max(8192));
        if limits.max_headers != HYPER_MAX_HEADERS {
            builder.http1().max_headers(limits.max_headers);
        }
        builder
            .http2()
            .timer(TokioTimer::new())
            .max_header_list_size(u32::try_from(limits.max_header_bytes).unwrap_or(u32::MAX));
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let (stream, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(error) => {
                        // Out of file descriptors, or a connection reset
                        // before it was accepted: wait a moment, go on.
                        tracing::warn!(%error, "accepting a connection failed");
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let _ = stream.set_nodelay(true);
            let shared = Arc::clone(&self.shared);
            let upstream = self.upstream.clone();
            let client = Arc::new(Peer::new(&shared.config, peer));
            let service = hyper::service::service_fn(move |request| {
                let shared = Arc::clone(&shared);
                let upstream = upstream.clone();
                let client = Arc::clone(&client);
                async move { Ok::<_, Infallible>(handle(&shared, &upstream, &client, request).await) }
            });
            let connection = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), service)
                .into_owned();
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                if let Err(error) = connection.await {
                    tracing::debug!(%error, %peer, "connection ended with an error");
                }
            });
        }
        drop(listener);
        tracing::info!("shutting down: waiting for the requests in flight");
        if tokio::time::timeout(limits.shutdown_grace, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("requests still in flight after the grace period were cut");
        }
        Ok(())
    }
}

/// Resolves on SIGTERM or ctrl-c (SIGINT): the shutdown a service manager
/// or a container runtime asks for.
pub async fn shutdown_signal() {
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = terminate.recv() => {}
                    () = interrupt => {}
                }
            }
            Err(_) => interrupt.await,
        }
    }
    #[cfg(not(unix))]
    interrupt.await;
}

/// The peer of a connection, worked out once for all its requests.
struct Peer {
    address: SocketAddr,
    /// Whether its `X-Forwarded-*` are believed.
    trusted: bool,
    /// Its address as an `X-Forwarded-For` value.
    header: Option<HeaderValue>,
}

impl Peer {
    fn new(config: &Config, address: SocketAddr) -> Peer {
        Peer {
            address,
            trusted: config.trusted_proxies.contains(&address.ip()),
            header: HeaderValue::try_from(address.ip().to_string()).ok(),
        }
    }
}

/// The pooled HTTP client to the upstream, with `config`'s limits.
fn client(config: &Config) -> Client<HttpConnector, RequestBody> {
    let mut connector = HttpConnector::new();
    connector.set_connect_timeout(Some(config.limits.connect_timeout));
    connector.set_nodelay(true);
    connector.enforce_http(true);
    let mut client = Client::builder(TokioExecutor::new());
    client
        .pool_idle_timeout(config.limits.pool_idle_timeout)
        .pool_timer(TokioTimer::new())
        .timer(TokioTimer::new())
        .http1_max_buf_size(config.limits.max_header_bytes.max(8192))
        .set_host(true);
    // hyper's own limit is the default's 100, parsed into a stack array;
    // setting it, even to 100, makes hyper fill a buffer of that many
    // entries on every parse (6% of a request's instructions).
    if config.limits.max_headers != HYPER_MAX_HEADERS {
        client.http1_max_headers(config.limits.max_headers);
    }
    client.build(connector)
}

/// A short HTML page for an error the proxy answers itself.
fn error_page(status: StatusCode, message: &'static str) -> Response<ProxyBody> {
    let reason = status.canonical_reason().unwrap_or("Error");
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{code} {reason}</title></head>\n<body><h1>{code} {reason}</h1><p>{message}</p></body></html>\n",
        code = status.as_u16(),
    );
    let mut response = Response::new(ProxyBody::full(page));
    *response.status_mut() = status;
    response.headers_mut().insert(
        http::header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response.headers_mut().insert(
        http::header::CACHE_CONTROL,
        HeaderValue::from_static("no-store"),
    );
    response
}

fn too_large(limit: u64) -> Response<ProxyBody> {
    let _ = limit;
    error_page(
        StatusCode::PAYLOAD_TOO_LARGE,
        "The request body is larger than this site accepts.",
    )
}

/// Whether the error, or one of its causes, is the request body's limit.
fn body_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(error) = cause {
        if error.is::<BodyTooLarge>() {
            return true;
        }
        cause = error.source();
    }
    false
}

async fn handle(
    shared: &Shared,
    upstream: &Upstream_,
    peer: &Peer,
    mut request: Request<Incoming>,
) -> Response<ProxyBody> {
    let config = &shared.config;
    if request.uri().path() == cookie_policy::gpc::WELL_KNOWN_PATH {
        return shared.site.gpc(&request);
    }
    if let Some(rest) = request.uri().path().strip_prefix(config.prefix()) {
        let rest = rest.to_owned();
        let client = client_address(peer, &request);
        return shared.site.answer(&rest, request, client).await;
    }
    // A request that announces a body too large is refused before
    // anything is forwarded.
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|length| length > config.limits.max_request_body) {
        return too_large(config.limits.max_request_body);
    }
    let upgrade = forward::upgrade(request.headers());
    let client_upgrade = upgrade.as_ref().map(|_| hyper::upgrade::on(&mut request));
    let (mut parts, body) = request.into_parts();
    let client_version = parts.version;
    // A body whose length hyper did not read from one `Content-Length`
    // (chunked) is forwarded chunked: a `Content-Length` beside it would
    // let the upstream frame the request differently.
    if body.size_hint().exact().is_none() {
        parts.headers.remove(CONTENT_LENGTH);
    }
    // The client's Host, before anything changes it: HTTP/2 carries it in
    // the URI's authority.
    if !parts.headers.contains_key(HOST)
        && let Some(authority) = parts.uri.authority()
        && let Ok(host) = HeaderValue::from_str(authority.as_str())
    {
        parts.headers.insert(HOST, host);
    }
    forward::strip_hop_by_hop(&mut parts.headers, upgrade.clone());
    forward::set_forwarded(&mut parts.headers, peer.header.as_ref(), peer.trusted);
    if config.host == HostHeader::Upstream
        && let Ok(host) = HeaderValue::from_str(config.upstream.authority())
    {
        parts.headers.insert(HOST, host);
    }
    let mut uri = http::uri::Parts::default();
    uri.scheme = Some(Scheme::HTTP);
    uri.authority = Some(config.upstream.authority_value().clone());
    uri.path_and_query = Some(
        parts
            .uri
            .path_and_query()
            .cloned()
            .unwrap_or_else(|| PathAndQuery::from_static("/")),
    );
    parts.uri = match Uri::from_parts(uri) {
        Ok(uri) => uri,
        Err(_) => {
            return error_page(
                StatusCode::BAD_REQUEST,
                "The request's target cannot be forwarded.",
            );
        }
    };
    parts.version = http::Version::HTTP_11;
    let head = parts.method == Method::HEAD;
    let upstream_request = Request::from_parts(
        parts,
        RequestBody::new(body, config.limits.max_request_body),
    );
    let mut upstream = upstream.clone();
    let response = match tokio::time::timeout(
        config.limits.response_header_timeout,
        upstream.call(upstream_request),
    )
    .await
    {
        Ok(Ok(response)) => response,
        Ok(Err(error)) => {
            if body_too_large(&error) {
                return too_large(config.limits.max_request_body);
            }
            tracing::warn!(error = %error_chain(&error), upstream = config.upstream.authority(), "the upstream could not be reached");
            return error_page(
                StatusCode::BAD_GATEWAY,
                "The application behind this site cannot be reached. Try again in a moment.",
            );
        }
        Err(_) => {
            tracing::warn!(
                upstream = config.upstream.authority(),
                timeout = ?config.limits.response_header_timeout,
                "the upstream sent no response in time"
            );
            return error_page(
                StatusCode::GATEWAY_TIMEOUT,
                "The application behind this site took too long to answer. Try again in a moment.",
            );
        }
    };
    let (mut parts, body) = response.into_parts();
    // The client's connection speaks its own version, whatever the
    // upstream's (an HTTP/1.0 application's answer goes out as 1.1).
    parts.version = client_version;
    if parts.status == StatusCode::SWITCHING_PROTOCOLS {
        return switch_protocols(parts, body, client_upgrade);
    }
    forward::strip_hop_by_hop(&mut parts.headers, None);
    let body = match &shared.tags {
        Some(tags)
            if !head
                && inject::is_html(&parts.headers)
                && !matches!(
                    parts.status,
                    StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT
                )
                && !parts.status.is_informational() =>
        {
            match inject::coding(&parts.headers) {
                Some(coding) => {
                    parts.headers.remove(CONTENT_LENGTH);
                    parts.headers.remove(http::header::ACCEPT_RANGES);
                    inject::weaken_etag(&mut parts.headers);
                    ProxyBody::rewritten(inject::inject(body, coding, Arc::clone(tags)))
                }
                None => {
                    tracing::warn!(
                        encoding = ?parts.headers.get(http::header::CONTENT_ENCODING),
                        "an HTML response in a content coding the proxy cannot decode was passed through without the banner"
                    );
                    ProxyBody::upstream(body)
                }
            }
        }
        _ => ProxyBody::upstream(body),
    };
    Response::from_parts(parts, body)
}

/// A `101 Switching Protocols` (a WebSocket handshake accepted): both
/// connections are taken over from hyper once the answer is sent, and
/// bytes are copied both ways until either side closes.
fn switch_protocols(
    mut parts: http::response::Parts,
    body: Incoming,
    client_upgrade: Option<hyper::upgrade::OnUpgrade>,
) -> Response<ProxyBody> {
    let Some(client_upgrade) = client_upgrade else {
        return error_page(
            StatusCode::BAD_GATEWAY,
            "The application switched protocols without being asked to.",
        );
    };
    let mut upstream_response = Response::new(body);
    *upstream_response.extensions_mut() = core::mem::take(&mut parts.extensions);
    let upstream_upgrade = hyper::upgrade::on(&mut upstream_response);
    tokio::spawn(async move {
        match tokio::try_join!(client_upgrade, upstream_upgrade) {
            Ok((client, upstream)) => {
                let mut client = TokioIo::new(client);
                let mut upstream = TokioIo::new(upstream);
                if let Err(error) = tokio::io::copy_bidirectional(&mut client, &mut upstream).await
                {
                    tracing::debug!(%error, "an upgraded connection ended with an error");
                }
            }
            Err(error) => tracing::warn!(%error, "a protocol switch could not be completed"),
        }
    });
    let upgrade = forward::upgrade(&parts.headers);
    forward::strip_hop_by_hop(&mut parts.headers, upgrade);
    Response::from_parts(parts, ProxyBody::full(Bytes::new()))
}

/// The client's address as the consent endpoint's limit sees it: the
/// peer, or, from a trusted proxy, the last address it forwarded for.
fn client_address(peer: &Peer, request: &Request<Incoming>) -> IpAddr {
    if peer.trusted
        && let Some(forwarded) = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .filter_map(|address| address.trim().parse::<IpAddr>().ok())
            .next_back()
    {
        return forwarded;
    }
    peer.address.ip()
}

/// An error and its causes, on one line.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(error) = cause {
        text.push_str(": ");
        text.push_str(&error.to_string());
        cause = error.source();
    }
    text
}
