//! [`Config`]: where the proxy forwards, what it serves, its limits.

use std::net::IpAddr;
use std::time::Duration;

use http::uri::{Authority, Scheme, Uri};

/// Why a [`Config`] value was refused. Each message says what to give
/// instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The upstream is not an `http://host:port` URL.
    #[error(
        "the upstream `{0}` is not an http:// URL with a host; give the application's address, e.g. `http://127.0.0.1:8000`"
    )]
    Upstream(String),
    /// The upstream has a path or a query.
    #[error(
        "the upstream `{0}` has a path or a query; give only `http://host:port`: requests keep their own path"
    )]
    UpstreamPath(String),
    /// The upstream is `https://`.
    #[error(
        "the upstream `{0}` is https://; the proxy speaks plain HTTP to an application on the same machine or network: give its http:// address"
    )]
    UpstreamTls(String),
    /// The prefix does not start with `/`, holds characters a path cannot,
    /// or is `/` alone (which would hide the whole application).
    #[error(
        "the prefix `{0}` is not a path under `/` of its own; give one such as `/_cookie-policy/`"
    )]
    Prefix(String),
}

/// The application behind the proxy: `http://host:port`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upstream {
    authority: Authority,
}

impl Upstream {
    /// Reads `http://host:port` (the port defaults to 80; a trailing `/` is
    /// allowed).
    ///
    /// ```
    /// use cookie_policy_proxy::Upstream;
    ///
    /// assert_eq!(Upstream::parse("http://127.0.0.1:8000").unwrap().authority(), "127.0.0.1:8000");
    /// assert!(Upstream::parse("127.0.0.1:8000").is_err());
    /// assert!(Upstream::parse("http://127.0.0.1:8000/app").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Upstream, ConfigError> {
        let uri: Uri = text
            .parse()
            .map_err(|_| ConfigError::Upstream(text.to_owned()))?;
        match uri.scheme() {
            Some(scheme) if *scheme == Scheme::HTTP => {}
            Some(scheme) if *scheme == Scheme::HTTPS => {
                return Err(ConfigError::UpstreamTls(text.to_owned()));
            }
            _ => return Err(ConfigError::Upstream(text.to_owned())),
        }
        let authority = uri
            .authority()
            .filter(|authority| !authority.host().is_empty())
            .ok_or_else(|| ConfigError::Upstream(text.to_owned()))?;
        if authority.as_str().contains('@') {
            return Err(ConfigError::Upstream(text.to_owned()));
        }
        if uri
            .path_and_query()
            .is_some_and(|path| path.as_str() != "/")
        {
            return Err(ConfigError::UpstreamPath(text.to_owned()));
        }
        Ok(Upstream {
            authority: authority.clone(),
        })
    }

    /// `host:port`, as the upstream's `Host` header says it when the
    /// proxy rewrites `Host`.
    pub fn authority(&self) -> &str {
        self.authority.as_str()
    }

    pub(crate) fn authority_value(&self) -> &Authority {
        &self.authority
    }
}

/// What the upstream sees as `Host`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HostHeader {
    /// The client's `Host`, as sent (the default): the application sees the
    /// site's own name, as behind nginx with `proxy_set_header Host $host`,
    /// so Django's `ALLOWED_HOSTS` and CSRF origin checks work unchanged.
    #[default]
    Keep,
    /// The upstream's `host:port`; the client's is still in
    /// `X-Forwarded-Host`.
    Upstream,
}

/// Timeouts and size limits. Every one has a default, documented on its
/// field and in `docs/serve.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// How long connecting to the upstream may take: 5 s. Past it, 502.
    pub connect_timeout: Duration,
    /// How long the upstream may take to send a response's headers once
    /// the request is sent: 60 s (nginx's `proxy_read_timeout`). Past it,
    /// 504. The body then streams with no overall deadline (a download may
    /// be long).
    pub response_header_timeout: Duration,
    /// How long a client may take to send a request's headers: 30 s.
    /// Past it the connection is closed.
    pub request_header_timeout: Duration,
    /// The most bytes of a request's or an upstream response's head
    /// (request or status line and headers): 64 KiB. Past it, a client
    /// gets 431; a response past it is answered 502. hyper checks it
    /// between reads of the connection, so a head that arrives in large
    /// reads may pass up to twice this, never more.
    pub max_header_bytes: usize,
    /// The most header fields in a request or an upstream response: 100.
    /// Past it, a client gets 431; a response past it is answered 502.
    pub max_headers: usize,
    /// The most bytes of a request body: 10 MiB. A larger
    /// `Content-Length` is answered 413 before anything is forwarded; a
    /// chunked body that grows past it is cut and answered 413.
    pub max_request_body: u64,
    /// How long a graceful shutdown waits for requests in flight: 30 s.
    pub shutdown_grace: Duration,
    /// How long an idle upstream connection is kept for reuse: 90 s.
    pub pool_idle_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect_timeout: Duration::from_secs(5),
            response_header_timeout: Duration::from_secs(60),
            request_header_timeout: Duration::from_secs(30),
            max_header_bytes: 64 * 1024,
            max_headers: 100,
            max_request_body: 10 * 1024 * 1024,
            shutdown_grace: Duration::from_secs(30),
            pool_idle_timeout: Duration::from_secs(90),
        }
    }
}

/// The default path prefix of what the proxy serves itself.
pub const DEFAULT_PREFIX: &str = "/_cookie-policy/";

/// How the proxy runs: where it forwards, how it enforces, what it serves
/// under [`prefix`](Config::prefix), its limits.
///
/// ```
/// use cookie_policy_proxy::{Config, Upstream};
///
/// let mut config = Config::new(Upstream::parse("http://127.0.0.1:8000").unwrap());
/// config.report_only = true;
/// assert_eq!(config.prefix(), "/_cookie-policy/");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Config {
    /// Where requests go.
    pub upstream: Upstream,
    /// What the upstream sees as `Host`.
    pub host: HostHeader,
    /// Judge and log, but remove nothing: see
    /// `ConsentLayer::report_only`.
    pub report_only: bool,
    /// Insert the banner's tags into `text/html` responses.
    pub inject_banner: bool,
    /// Peers whose `X-Forwarded-For`, `-Proto` and `-Host` are believed
    /// (a load balancer in front of the proxy): their chain is extended
    /// with the peer's address. From any other peer these headers are
    /// replaced. Empty by default.
    pub trusted_proxies: Vec<IpAddr>,
    /// Timeouts and limits.
    pub limits: Limits,
    prefix: String,
}

impl Config {
    /// The defaults, forwarding to `upstream`.
    pub fn new(upstream: Upstream) -> Config {
        Config {
            upstream,
            host: HostHeader::Keep,
            report_only: false,
            inject_banner: false,
            trusted_proxies: Vec::new(),
            limits: Limits::default(),
            prefix: DEFAULT_PREFIX.to_owned(),
        }
    }

    /// The prefix of what the proxy serves itself, with its trailing `/`.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Sets the prefix: a path that starts with `/`, of at least one
    /// segment; a trailing `/` is added when missing.
    ///
    /// ```
    /// use cookie_policy_proxy::{Config, Upstream};
    ///
    /// let mut config = Config::new(Upstream::parse("http://127.0.0.1:8000").unwrap());
    /// config.set_prefix("/consent-ui").unwrap();
    /// assert_eq!(config.prefix(), "/consent-ui/");
    /// assert!(config.set_prefix("/").is_err());
    /// assert!(config.set_prefix("consent").is_err());
    /// ```
    pub fn set_prefix(&mut self, prefix: &str) -> Result<(), ConfigError> {
        let valid = prefix.starts_with('/')
            && !prefix.trim_matches('/').is_empty()
            && !prefix.contains("//")
            && prefix.bytes().all(|byte| {
                byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'_' | b'.' | b'~')
            })
            && !prefix
                .split('/')
                .any(|segment| segment == "." || segment == "..");
        if !valid {
            return Err(ConfigError::Prefix(prefix.to_owned()));
        }
        self.prefix = if prefix.ends_with('/') {
            prefix.to_owned()
        } else {
            format!("{prefix}/")
        };
        Ok(())
    }
}
