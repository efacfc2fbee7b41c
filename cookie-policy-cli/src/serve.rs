//! `cookie-policy serve`: the policy enforced by a reverse proxy in front of
//! an application on any stack (`cookie-policy-proxy`). See `docs/serve.md`.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use cookie_policy_consent_log::ConsentLog;
use cookie_policy_consent_log::endpoint::ConsentEndpoint;
use cookie_policy_consent_log::same_origin::SameOrigin;
use cookie_policy_consent_log::visitor::VisitorCookie;
use cookie_policy_consent_log_postgres::PostgresStore;
use cookie_policy_consent_log_sqlite::SqliteStore;
use cookie_policy_proxy::{Config, HostHeader, Proxy, Upstream};

use crate::Outcome;
use crate::load::{LoadError, mistakes, policy_file};

/// `serve`'s flags.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The policy file.
    #[arg(long, default_value = "policy.toml")]
    policy: PathBuf,
    /// The application's address: `http://host:port`.
    #[arg(long, value_name = "URL")]
    upstream: String,
    /// Where the proxy listens: `host:port`.
    #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Judge and log every response, but remove nothing: for a first
    /// deployment.
    #[arg(long)]
    report_only: bool,
    /// Insert the banner's tags into HTML responses.
    #[arg(long)]
    inject_banner: bool,
    /// The path under which the proxy serves the consent endpoint, the
    /// banner and the policy page.
    #[arg(long, value_name = "PATH", default_value = cookie_policy_proxy::DEFAULT_PREFIX)]
    prefix: String,
    /// The consent log: a SQLite file (created if missing) or a
    /// `postgres://` URL shared by every instance.
    #[arg(long, value_name = "FILE|URL", default_value = "consents.sqlite3")]
    log: String,
    /// Send the upstream's own `host:port` as `Host` instead of the
    /// client's (which stays in `X-Forwarded-Host`).
    #[arg(long)]
    upstream_host: bool,
    /// A peer whose `X-Forwarded-*` headers are believed (a load balancer
    /// in front); repeat for several.
    #[arg(long, value_name = "IP")]
    trusted_proxy: Vec<IpAddr>,
    /// The site's public origin (`https://shop.example`): consent posts
    /// from browsers that send no `Sec-Fetch-Site` are checked against it.
    #[arg(long, value_name = "ORIGIN")]
    origin: Option<String>,
    /// A file holding the visitor cookie's signing key, 64 hex digits,
    /// shared by every instance; a random key per process when not given.
    #[arg(long, value_name = "FILE")]
    visitor_key: Option<PathBuf>,
    /// The site is served over plain HTTP (development): the visitor
    /// cookie is `cp_visitor`, without `Secure`.
    #[arg(long)]
    plain_http: bool,
    /// Seconds to connect to the upstream before answering 502.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    connect_timeout: f64,
    /// Seconds the upstream may take to send a response's headers before
    /// the proxy answers 504.
    #[arg(long, value_name = "SECONDS", default_value_t = 60.0)]
    response_timeout: f64,
    /// The largest request body forwarded, in bytes; larger ones get 413.
    #[arg(long, value_name = "BYTES", default_value_t = 10 * 1024 * 1024)]
    max_body: u64,
    /// Log warnings only (the default also logs at info level: start,
    /// shutdown, report-only findings).
    #[arg(long)]
    quiet: bool,
}

/// What is wrong with the flags: exit 2.
fn usage(message: impl core::fmt::Display, help: &str) -> Outcome {
    Outcome::Failed(format!("error: {message}\n  = help: {help}\n"))
}

fn seconds(value: f64, flag: &str) -> Result<Duration, Outcome> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|duration| !duration.is_zero())
        .ok_or_else(|| {
            usage(
                format!("{flag} {value} is not a number of seconds above 0"),
                &format!("give {flag} a duration in seconds, such as `{flag} 5`"),
            )
        })
}

fn visitor_key(path: &std::path::Path) -> Result<[u8; 32], Outcome> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        usage(
            format!("cannot read the visitor key `{}`: {error}", path.display()),
            "give a file of 64 hex digits, made once with `openssl rand -hex 32 > visitor.key` and shared by every instance",
        )
    })?;
    let text = text.trim();
    let mut key = [0u8; 32];
    let valid = text.len() == 64
        && key.iter_mut().enumerate().all(|(index, byte)| {
            text.get(2 * index..2 * index + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .map(|value| *byte = value)
                .is_some()
        });
    if valid {
        Ok(key)
    } else {
        Err(usage(
            format!("the visitor key `{}` is not 64 hex digits", path.display()),
            "make one with `openssl rand -hex 32 > visitor.key`",
        ))
    }
}

/// Runs the proxy until SIGTERM or ctrl-c.
pub(crate) fn serve(args: &Args) -> Outcome {
    let upstream = match Upstream::parse(&args.upstream) {
        Ok(upstream) => upstream,
        Err(error) => return usage(error, "for example `--upstream http://127.0.0.1:8000`"),
    };
    let listen: SocketAddr = match args.listen.parse() {
        Ok(listen) => listen,
        Err(_) => {
            return usage(
                format!("--listen `{}` is not an address and port", args.listen),
                "give an IP address and a port, such as `--listen 127.0.0.1:8080` or `--listen 0.0.0.0:80`",
            );
        }
    };
    let mut config = Config::new(upstream);
    if let Err(error) = config.set_prefix(&args.prefix) {
        return usage(error, "for example `--prefix /_cookie-policy/`");
    }
    config.report_only = args.report_only;
    config.inject_banner = args.inject_banner;
    config.trusted_proxies.clone_from(&args.trusted_proxy);
    if args.upstream_host {
        config.host = HostHeader::Upstream;
    }
    config.limits.connect_timeout = match seconds(args.connect_timeout, "--connect-timeout") {
        Ok(duration) => duration,
        Err(outcome) => return outcome,
    };
    config.limits.response_header_timeout =
        match seconds(args.response_timeout, "--response-timeout") {
            Ok(duration) => duration,
            Err(outcome) => return outcome,
        };
    config.limits.max_request_body = args.max_body;
    let same_origin = match &args.origin {
        None => SameOrigin::new(),
        Some(origin) => match SameOrigin::site(origin) {
            Ok(rule) => rule,
            Err(error) => return usage(error, "for example `--origin https://shop.example`"),
        },
    };
    let mut visitor = match &args.visitor_key {
        None => VisitorCookie::random(),
        Some(path) => match visitor_key(path) {
            Ok(key) => VisitorCookie::new(key),
            Err(outcome) => return outcome,
        },
    };
    if args.plain_http {
        visitor = visitor.plain_http();
    }
    let policy = match policy_file(&args.policy) {
        Ok((_, policy)) => policy,
        Err(LoadError::Unreadable(message)) => return Outcome::Failed(message),
        Err(LoadError::Mistakes(errors)) => {
            return Outcome::Findings {
                stdout: String::new(),
                stderr: mistakes(&args.policy.display().to_string(), &errors),
            };
        }
    };
    let level = if args.quiet {
        tracing::Level::WARN
    } else {
        tracing::Level::INFO
    };
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    // The main thread's runtime opens the log, binds the listeners and
    // waits for the signal; the requests are served by one single-threaded
    // runtime per core, each accepting on the same listening socket and
    // with its own upstream pool, as nginx runs one worker process per
    // core: a connection, its upstream connection and their wake-ups stay
    // on one thread.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return Outcome::Failed(format!("error: {error}\n")),
    };
    let workers = std::thread::available_parallelism().map_or(1, usize::from);
    let started = runtime.block_on(async {
        let log = open_log(&args.log, policy).await.map_err(Outcome::Failed)?;
        let endpoint = ConsentEndpoint::new(log)
            .same_origin(same_origin)
            .visitor_cookie(visitor);
        let proxy = Proxy::with_endpoint(policy, config, Some(endpoint))
            .map_err(|error| Outcome::Failed(format!("error: {error}\n")))?;
        let listeners = listeners(listen, workers).map_err(|error| {
            usage(
                format!("cannot listen on {listen}: {error}"),
                "choose a free port with --listen, or stop what holds this one",
            )
        })?;
        Ok::<_, Outcome>((proxy, listeners))
    });
    let (proxy, listeners) = match started {
        Ok(started) => started,
        Err(outcome) => return outcome,
    };
    let address = listeners
        .first()
        .and_then(|listener| listener.local_addr().ok())
        .unwrap_or(listen);
    tracing::info!(
        "cookie-policy serve: listening on http://{address}, forwarding to {} ({} worker threads)",
        args.upstream,
        listeners.len()
    );
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let threads: Vec<_> = listeners
        .into_iter()
        .enumerate()
        .map(|(index, listener)| {
            let proxy = proxy.with_own_pool();
            let mut stopped = stopped.clone();
            std::thread::Builder::new()
                .name(format!("serve-{index}"))
                .spawn(move || -> std::io::Result<()> {
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()?;
                    runtime.block_on(async move {
                        let listener = tokio::net::TcpListener::from_std(listener)?;
                        let shutdown = async move {
                            let _ = stopped.wait_for(|stop| *stop).await;
                        };
                        proxy.serve(listener, shutdown).await
                    })
                })
        })
        .collect();
    drop(proxy);
    runtime.block_on(async {
        // A worker that ends early (it could not start) stops the others.
        let mut early = stopped.clone();
        tokio::select! {
            () = cookie_policy_proxy::shutdown_signal() => {}
            _ = early.wait_for(|stop| *stop) => {}
        }
    });
    let _ = stop.send(true);
    let mut failure = None;
    for thread in threads {
        let result = match thread {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("a worker thread panicked"))),
            Err(error) => Err(error),
        };
        if let Err(error) = result {
            failure.get_or_insert(error);
        }
    }
    match failure {
        None => Outcome::Clean(String::new()),
        Some(error) => Outcome::Failed(format!("error: {error}\n")),
    }
}

/// `count` handles on one listening socket on `listen`, in non-blocking
/// mode, one for each worker's runtime: whichever worker is free accepts
/// the next connection. One socket rather than one per worker with
/// `SO_REUSEPORT`, so that a port another process holds, even another
/// `serve`, is refused as before instead of shared.
fn listeners(listen: SocketAddr, count: usize) -> std::io::Result<Vec<std::net::TcpListener>> {
    let socket = if listen.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(listen)?;
    let listener = socket.listen(1024)?.into_std()?;
    let mut listeners = Vec::with_capacity(count.max(1));
    for _ in 1..count.max(1) {
        listeners.push(listener.try_clone()?);
    }
    listeners.push(listener);
    Ok(listeners)
}

/// The consent log at `log`: a `postgres://` URL, else a SQLite file,
/// created if missing.
async fn open_log(log: &str, policy: cookie_policy::PolicyData) -> Result<ConsentLog, String> {
    if log.starts_with("postgres://") || log.starts_with("postgresql://") {
        let pool = PostgresStore::pool(log, 8).map_err(|error| format!("error: {error}\n"))?;
        let store = PostgresStore::new(pool).await.map_err(|error| {
            format!("error: {error}\n  = help: check that PostgreSQL is up and that the URL's user may create tables\n")
        })?;
        return Ok(ConsentLog::for_policy(policy, store));
    }
    let store = SqliteStore::open(log).map_err(|error| {
        format!("error: {error}\n  = help: give --log a SQLite file in a directory the proxy may write, or a postgres:// URL\n")
    })?;
    Ok(ConsentLog::for_policy(policy, store))
}
