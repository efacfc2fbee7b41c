//! The demo site's routes, generic over the policy so that tests can serve
//! the very same code with another policy.
//!
//! The handlers set cookies without asking anyone, as real handlers do; the
//! `ConsentLayer` decides what reaches the browser. The pages load the
//! vanilla-cookieconsent banner (its published build, vendored in
//! `assets/`) with the configuration the policy exports, so the visitor's
//! click is written in the cookie the layer reads.

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, HeaderMap, HeaderValue, SET_COOKIE};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use cookie_policy::enforce::{Report, consent_from_request};
use cookie_policy::gpc::{GpcLayer, GpcService};
use cookie_policy::layer::{ConsentLayer, ConsentService};
use cookie_policy::{Category, Consent, Cookie, CookiePolicy, PolicyData, publish};
use cookie_policy_consent_log::endpoint::{
    ClientAddress, ConsentEndpoint, banner_callbacks, media_type_is,
};
use cookie_policy_consent_log::limit::DecisionLimit;
use cookie_policy_consent_log::same_origin::SameOrigin;
use cookie_policy_consent_log::visitor::VisitorCookie;
use cookie_policy_consent_log::{ConsentLog, Context, Origin};
use tower_layer::Layer as _;
use tower_service::Service as _;

const BANNER_SCRIPT: &str = include_str!("../assets/vanilla-cookieconsent/cookieconsent.umd.js");
const BANNER_STYLE: &str = include_str!("../assets/vanilla-cookieconsent/cookieconsent.css");

/// The whole site: its routes, with `ConsentLayer<P>` wrapped around the
/// router (so every response is judged, whichever route gave it and
/// whenever the route was added: `docs/consent.md`, "Where the layer
/// goes"), and `GpcLayer` around that. Serve it with axum's
/// `ServiceExt::<Request>::into_make_service` (or `_with_connect_info`).
pub type App<P> = GpcService<ConsentService<Router, P>>;

/// The site behind `ConsentLayer<P>`; `on_removal` hears of every cookie the
/// layer stops. See [`routes`] for what it serves.
pub fn app<P: CookiePolicy + 'static>(
    on_removal: impl Fn(&Report) + Send + Sync + 'static,
) -> App<P> {
    app_with_log::<P>(on_removal, None)
}

/// [`app`], recording each consent decision in `log` when there is one:
/// the banner's, posted to `POST /consent` by the callbacks
/// `/consent-callbacks.js` serves, and those the server records itself.
/// The rest of [`Decisions`] comes from the environment
/// ([`Decisions::from_env`]).
pub fn app_with_log<P: CookiePolicy + 'static>(
    on_removal: impl Fn(&Report) + Send + Sync + 'static,
    log: Option<ConsentLog>,
) -> App<P> {
    app_with::<P>(on_removal, Decisions::from_env(log))
}

/// [`app`], taking decisions as `decisions` says.
pub fn app_with<P: CookiePolicy + 'static>(
    on_removal: impl Fn(&Report) + Send + Sync + 'static,
    decisions: Decisions,
) -> App<P> {
    let consent = ConsentLayer::<P>::new().on_removal(on_removal);
    let gpc = GpcLayer::new(PolicyData::of::<P>());
    gpc.layer(consent.layer(routes_with::<P>(decisions)))
}

/// How `POST /consent` takes decisions.
#[derive(Clone, Debug)]
pub struct Decisions {
    /// Where they are recorded; none: the consent cookie only.
    pub log: Option<ConsentLog>,
    /// Which requests come from the site's own pages.
    pub same_origin: SameOrigin,
    /// The cookie that keeps the visitor's id. The demo serves plain HTTP
    /// on 127.0.0.1, where a `Secure`, `__Host-` cookie cannot be set: a
    /// public site keeps the default, and a key its instances share.
    pub visitor: VisitorCookie,
    /// How many decisions each client may make.
    pub limit: DecisionLimit,
}

impl Decisions {
    /// Decisions into `log`, configured by the environment:
    /// `PUBLIC_ORIGIN` (the origin the site is served at, judged by
    /// `Origin` when a browser sends no `Sec-Fetch-Site`; it must be
    /// right, or such browsers are refused) and `TRUSTED_PROXIES`
    /// (addresses, comma-separated: the reverse proxies whose
    /// `X-Forwarded-For` names the client).
    pub fn from_env(log: Option<ConsentLog>) -> Decisions {
        let same_origin = std::env::var("PUBLIC_ORIGIN")
            .ok()
            .and_then(|origin| SameOrigin::site(&origin).ok())
            .unwrap_or_default();
        let limit = DecisionLimit::default().trusting_proxies(
            std::env::var("TRUSTED_PROXIES")
                .unwrap_or_default()
                .split(',')
                .filter_map(|address| address.trim().parse().ok()),
        );
        Decisions {
            log,
            same_origin,
            visitor: VisitorCookie::random().plain_http(),
            limit,
        }
    }
}

/// The routes, without the layer (`benches/benches/layer.rs` compares):
///
/// | route | what |
/// |---|---|
/// | `GET /`, `GET /fr/` | a page in English or French that sets cookies and shows the banner |
/// | `GET /cookies`, `GET /fr/cookies` | the policy page |
/// | `GET /cookieconsent-config.js` | the banner's configuration, exported from the policy |
/// | `GET /assets/cookieconsent.umd.js`, `.css` | the banner's published build |
/// | `POST /consent` (JSON) | the banner's decision, into the consent log |
/// | `POST /consent?accept=statistical+functional` | records a choice without the banner |
/// | `GET /consent` | the consent the request carries |
/// | `GET /consent-callbacks.js` | the banner's callbacks posting to `/consent` (empty without a log) |
/// | `GET /.well-known/gpc.json` | the GPC support resource (served by [`GpcLayer`], with the consent layer in [`app`]) |
pub fn routes<P: CookiePolicy + 'static>() -> Router {
    routes_with_log::<P>(None)
}

/// [`routes`], with the consent log.
pub fn routes_with_log<P: CookiePolicy + 'static>(log: Option<ConsentLog>) -> Router {
    routes_with::<P>(Decisions::from_env(log))
}

/// [`routes`], taking decisions as `decisions` says.
pub fn routes_with<P: CookiePolicy + 'static>(decisions: Decisions) -> Router {
    let Decisions {
        log,
        same_origin,
        visitor,
        limit,
    } = decisions;
    let callbacks = if log.is_some() {
        banner_callbacks("/consent")
    } else {
        "export default {};\n".to_owned()
    };
    Router::new()
        .route("/", get(|| home::<P>("en")))
        .route("/fr/", get(|| home::<P>("fr")))
        .route("/cookies", get(|| policy_page::<P>("en")))
        .route("/fr/cookies", get(|| policy_page::<P>("fr")))
        .route("/cookieconsent-config.js", get(banner_config::<P>))
        .route(
            "/assets/cookieconsent.umd.js",
            get(|| async { asset("text/javascript", BANNER_SCRIPT) }),
        )
        .route(
            "/assets/cookieconsent.css",
            get(|| async { asset("text/css", BANNER_STYLE) }),
        )
        .route(
            "/consent-callbacks.js",
            get(move || async move { asset("text/javascript", callbacks) }),
        )
        .route(
            "/consent",
            get(show_consent::<P>).post(move |request: Request| {
                decide::<P>(log, same_origin, visitor, limit, request)
            }),
        )
        .layer(axum::middleware::from_fn(client_address))
}

/// `POST /consent`, from the site's own pages only ([`SameOrigin`]): the
/// banner's JSON to the log's endpoint; a form post (or an empty body) is
/// the native flow, `?accept=`; any other body is refused (415).
async fn decide<P: CookiePolicy>(
    log: Option<ConsentLog>,
    same_origin: SameOrigin,
    visitor: VisitorCookie,
    limit: DecisionLimit,
    request: Request,
) -> Response {
    if let Err(refused) = same_origin.check(request.headers()) {
        return (StatusCode::FORBIDDEN, format!("{refused}\n")).into_response();
    }
    let content_type = request.headers().get(CONTENT_TYPE);
    let json = media_type_is(content_type, "application/json");
    let form =
        content_type.is_none() || media_type_is(content_type, "application/x-www-form-urlencoded");
    match (json, form, log) {
        (true, _, Some(log)) => {
            let mut endpoint = ConsentEndpoint::new(log)
                .same_origin(same_origin)
                .visitor_cookie(visitor)
                .limit(limit);
            let Ok(response) = endpoint.call(request).await;
            response.map(Body::from)
        }
        (true, _, None) => {
            (StatusCode::NOT_FOUND, "this site keeps no consent log\n").into_response()
        }
        (false, true, log) => {
            let (parts, _) = request.into_parts();
            record_consent::<P>(log, &visitor, parts.uri.query(), &parts.headers).await
        }
        (false, false, _) => (
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "post the banner's decision as application/json, or a form to /consent?accept=...\n",
        )
            .into_response(),
    }
}

/// A page that sets what a real page sets: a session, a CSRF token, a Matomo
/// visitor id (with the path and domain the policy declares, HttpOnly so
/// only the server can delete it), and a Google Analytics cookie nobody
/// declared. A Matomo script, marked for the banner, sets a second Matomo
/// cookie once statistics are accepted.
async fn home<P: CookiePolicy>(language: &'static str) -> impl IntoResponse {
    let mut headers = HeaderMap::new();
    let visitor = with_declared_attributes::<P>(
        "_pk_id.1.f00d=visitor.1700000000; Max-Age=34186698; HttpOnly; SameSite=Lax",
    );
    for cookie in [
        "sessionid=s3ss10n; Path=/; HttpOnly; SameSite=Lax".to_owned(),
        "csrftoken=t0k3n; Path=/; SameSite=Lax".to_owned(),
        visitor,
        "_ga=GA1.1.123.456; Path=/; Max-Age=63072000".to_owned(),
    ]
    .into_iter()
    .chain(
        // Google Ads' conversion cookie, where the policy declares it
        // (advertising: what a Global Privacy Control signal refuses).
        P::lookup("_gcl_au")
            .map(|_| "_gcl_au=1.1.42.1700000000; Path=/; Max-Age=7776000".to_owned()),
    ) {
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(SET_COOKIE, value);
        }
    }
    let (title, policy_link, preferences) = match language {
        "fr" => (
            "Accueil",
            "Politique relative aux cookies",
            "Gérer les cookies",
        ),
        _ => ("Home", "Cookie policy", "Manage cookies"),
    };
    let prefix = if language == "en" { "" } else { "/fr" };
    let page = format!(
        r#"<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/assets/cookieconsent.css">
<script src="/assets/cookieconsent.umd.js"></script>
<script type="module">
  import config from "/cookieconsent-config.js";
  import callbacks from "/consent-callbacks.js";
  CookieConsent.run({{ ...config, ...callbacks }});
</script>
</head>
<body>
<h1>{title}</h1>
<p><a href="{prefix}/cookies">{policy_link}</a></p>
<p><button type="button" data-cc="show-preferencesModal">{preferences}</button></p>
<script type="text/plain" data-category="statistical">
  document.cookie = "_pk_ses.1.f00d=1; Path=/; Max-Age=1800; SameSite=Lax";
</script>
</body>
</html>
"#
    );
    (headers, Html(page))
}

/// `header` with the `Path` and `Domain` that `P` declares for its cookie.
fn with_declared_attributes<P: CookiePolicy>(header: &str) -> String {
    let name = header.split('=').next().unwrap_or_default();
    let mut header = header.to_owned();
    if let Some(cookie) = P::lookup(name) {
        if let Some(path) = cookie.path() {
            header.push_str("; Path=");
            header.push_str(path);
        }
        if let Some(domain) = cookie.domain() {
            header.push_str("; Domain=");
            header.push_str(domain);
        }
    }
    header
}

async fn policy_page<P: CookiePolicy>(language: &'static str) -> Response {
    match publish::html::<P>(language) {
        Ok(page) => Html(page).into_response(),
        Err(error) => (StatusCode::NOT_FOUND, format!("{error}\n")).into_response(),
    }
}

async fn banner_config<P: CookiePolicy>() -> Response {
    match publish::cookieconsent_config::<P>() {
        Ok(module) => asset("text/javascript", module),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{error}\n")).into_response(),
    }
}

fn asset(content_type: &'static str, body: impl Into<String>) -> Response {
    let mut response = body.into().into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// `POST /consent?accept=statistical+functional`: records exactly the
/// categories listed (none: necessary only), in this crate's own format,
/// and in the consent log when there is one.
async fn record_consent<P: CookiePolicy>(
    log: Option<ConsentLog>,
    visitor: &VisitorCookie,
    query: Option<&str>,
    request: &HeaderMap,
) -> Response {
    let Some(consent_cookie) = P::CONSENT_COOKIE else {
        return (
            StatusCode::NOT_FOUND,
            "this policy has no consent cookie: no cookie needs consent\n",
        )
            .into_response();
    };
    let accepted = query
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
            Err(error) => return (StatusCode::BAD_REQUEST, format!("{error}\n")).into_response(),
        }
    }
    // Posted from the site's page with a GPC signal: the visitor chose
    // knowing it, so what it grants is an explicit grant.
    if cookie_policy::gpc::gpc_requested(request) {
        consent = consent.chosen_under_gpc();
    }
    let mut headers = HeaderMap::new();
    if let Some(log) = log {
        let (id, set_cookie) = visitor.identify(request);
        headers.extend(set_cookie.map(|value| (SET_COOKIE, value)));
        let context = Context {
            visitor: Some(id),
            page: request
                .get(axum::http::header::REFERER)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned),
            gpc: cookie_policy::gpc::gpc_requested(request),
            ..Context::default()
        };
        if let Err(error) = log.record(consent, context, Origin::Server).await {
            return (StatusCode::SERVICE_UNAVAILABLE, format!("{error}\n")).into_response();
        }
    }
    if let Ok(value) = HeaderValue::from_str(&consent_header::<P>(consent_cookie, consent)) {
        headers.append(SET_COOKIE, value);
    }
    (headers, format!("{consent:?}\n")).into_response()
}

/// The `Set-Cookie` that stores `consent` in the consent cookie.
fn consent_header<P: CookiePolicy>(consent_cookie: &Cookie, consent: Consent) -> String {
    let max_age = PolicyData::of::<P>().consent_lifetime().as_secs();
    format!(
        "{}={}; Path=/; Max-Age={max_age}; SameSite=Lax",
        consent_cookie.name(),
        consent.to_cookie_value::<P>()
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

/// Puts the peer's address, when the server knows it
/// (`into_make_service_with_connect_info`), where the consent endpoint reads
/// it: each client's decisions are counted by it.
async fn client_address(mut request: Request, next: axum::middleware::Next) -> Response {
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        request.extensions_mut().insert(ClientAddress(peer));
    }
    next.run(request).await
}
