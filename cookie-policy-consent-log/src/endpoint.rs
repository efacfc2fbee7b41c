//! `POST /consent`: where the banner posts each decision, as a tower
//! [`Service`] (with axum, `Router::route_service("/consent", endpoint)`).
//!
//! The body is the JSON the banner's callbacks send
//! ([`banner_callbacks`] writes them): `{"cookie": {...}, "page": "..."}`,
//! with CookieConsent's `cookie` object (`categories`, `revision`,
//! `consentId`, `languageCode`); the same fields at the top level are read
//! too. A request with `Sec-GPC: 1` is recorded honouring Global Privacy
//! Control, with its [`Source`](crate::Source); `{"gpc": true}` alone
//! records the signal itself (only with that header). The decision is
//! validated, recorded, and answered only once it is durable:
//!
//! | status | when |
//! |---|---|
//! | 201 | recorded: `{"consentId": "...", "revision": "..."}` |
//! | 400 | not JSON, or no `categories` or `revision` |
//! | 403 | not sent by a page of the site ([`SameOrigin`]) |
//! | 405 | not a `POST` |
//! | 409 | the banner's revision is not the policy's: the page is stale |
//! | 413 | a body over [`MAX_BODY`] bytes |
//! | 415 | not `application/json` (media types compared as RFC 9110 says: case-insensitive, parameters aside) |
//! | 422 | a category the policy does not have; a NUL byte in a text |
//! | 503 | the store failed; nothing was recorded |
//!
//! Only requests from the site's own pages are taken: see [`SameOrigin`]
//! for the rule and [`ConsentEndpoint::same_origin`] to configure it.
//!
//! Every error answers `{"error": "..."}` with what to do.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context as TaskContext, Poll};
use std::net::IpAddr;

use http::header::{
    ALLOW, CONTENT_LENGTH, CONTENT_TYPE, HeaderValue, REFERER, SET_COOKIE, USER_AGENT,
};
use http::{Method, Request, Response, StatusCode};
use http_body::Body;
use http_body_util::{BodyExt as _, Limited};
use tower_service::Service;

use cookie_policy::{BannerConsent, Category, ConsentError, PolicyData};

use crate::limit::DecisionLimit;
use crate::same_origin::SameOrigin;
use crate::visitor::{VisitorCookie, VisitorId};
use crate::{ConsentLog, Context, LogError, Origin};

/// The largest body read: a banner's decision is a few hundred bytes.
pub const MAX_BODY: usize = 16 * 1024;

/// The visitor's address, as a request extension the application sets
/// (from its connection info or a trusted proxy header). The log keeps its
/// network only when asked ([`ConsentLog::keep_network`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

/// The service answering `POST /consent` with a [`ConsentLog`].
#[derive(Clone, Debug)]
pub struct ConsentEndpoint {
    log: ConsentLog,
    guard: Guard,
}

/// What the endpoint checks before it records.
#[derive(Clone, Debug)]
struct Guard {
    same_origin: SameOrigin,
    visitor: VisitorCookie,
    limit: DecisionLimit,
}

impl ConsentEndpoint {
    /// The endpoint recording into `log`: requests whose `Sec-Fetch-Site`
    /// is `same-origin` ([`SameOrigin::new`]); visitors known by a cookie
    /// signed with a random key ([`VisitorCookie::random`]); each client
    /// limited by [`DecisionLimit::default`].
    pub fn new(log: ConsentLog) -> Self {
        ConsentEndpoint {
            log,
            guard: Guard {
                same_origin: SameOrigin::new(),
                visitor: VisitorCookie::random(),
                limit: DecisionLimit::default(),
            },
        }
    }

    /// The cookie that keeps visitors' ids, and its key (share the key
    /// between the instances that serve one site).
    #[must_use]
    pub fn visitor_cookie(mut self, cookie: VisitorCookie) -> Self {
        self.guard.visitor = cookie;
        self
    }

    /// The per-client limit on decisions.
    #[must_use]
    pub fn limit(mut self, limit: DecisionLimit) -> Self {
        self.guard.limit = limit;
        self
    }

    /// The rule that decides which requests come from the site's own
    /// pages: give it the site's public origin so that browsers that send
    /// no `Sec-Fetch-Site` are judged by `Origin`.
    #[must_use]
    pub fn same_origin(mut self, rule: SameOrigin) -> Self {
        self.guard.same_origin = rule;
        self
    }
}

/// Whether a `Content-Type` names `essence` (`type/subtype`), compared as
/// RFC 9110 section 8.3.1 says: case-insensitively, parameters aside.
///
/// ```
/// use cookie_policy_consent_log::endpoint::media_type_is;
/// use http::HeaderValue;
///
/// let json = HeaderValue::from_static("Application/JSON; charset=utf-8");
/// assert!(media_type_is(Some(&json), "application/json"));
/// assert!(!media_type_is(Some(&HeaderValue::from_static("text/plain")), "application/json"));
/// ```
pub fn media_type_is(content_type: Option<&HeaderValue>, essence: &str) -> bool {
    content_type
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or_default().trim())
        .is_some_and(|found| found.eq_ignore_ascii_case(essence))
}

/// The `onFirstConsent` and `onChange` callbacks that post each decision
/// to the endpoint at `path`, as a JavaScript module to import beside the
/// banner's configuration (a configuration exported as data cannot hold
/// functions):
///
/// ```js
/// import config from "/cookieconsent-config.js";
/// import callbacks from "/consent-callbacks.js";
/// CookieConsent.run({ ...config, ...callbacks });
/// ```
///
/// `onConsent` is not used: the banner calls it on every page load once a
/// choice exists, which would record one decision many times.
pub fn banner_callbacks(path: &str) -> String {
    let path = serde_json::to_string(path).unwrap_or_else(|_| "\"/consent\"".to_owned());
    format!(
        r#"// Posts each consent decision to the site's consent log ({path}), generated by cookie-policy.
const post = ({{ cookie }}) =>
  fetch({path}, {{
    method: "POST",
    headers: {{ "Content-Type": "application/json" }},
    body: JSON.stringify({{ cookie, page: location.href }}),
    credentials: "same-origin",
    keepalive: true,
  }});
// A browser that sends Global Privacy Control: its signal is recorded once
// per session, when the banner first asks (the server records it only with
// the `Sec-GPC: 1` header the browser sends).
if (navigator.globalPrivacyControl === true) {{
  window.addEventListener("cc:onModalReady", ({{ detail }}) => {{
    if (!detail || detail.modalName !== "consentModal" || sessionStorage.getItem("cookie-policy-gpc")) return;
    sessionStorage.setItem("cookie-policy-gpc", "1");
    fetch({path}, {{
      method: "POST",
      headers: {{ "Content-Type": "application/json" }},
      body: JSON.stringify({{ gpc: true, page: location.href, language: document.documentElement.lang }}),
      credentials: "same-origin",
      keepalive: true,
    }});
  }});
}}
export default {{ onFirstConsent: post, onChange: post }};
"#
    )
}

fn answer(status: StatusCode, body: &serde_json::Value) -> Response<String> {
    let mut response = Response::new(body.to_string());
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn refuse(status: StatusCode, message: impl Into<String>) -> Response<String> {
    answer(status, &serde_json::json!({ "error": message.into() }))
}

impl<B> Service<Request<B>> for ConsentEndpoint
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Response = Response<String>;
    type Error = core::convert::Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response<String>, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut TaskContext<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let log = self.log.clone();
        let guard = self.guard.clone();
        Box::pin(async move {
            let (visitor, set_cookie) = guard.visitor.identify(request.headers());
            let mut response = handle(&log, &guard, visitor, request).await;
            // A new visitor gets their id, whatever the answer.
            if let Some(set_cookie) = set_cookie {
                response.headers_mut().append(SET_COOKIE, set_cookie);
            }
            Ok(response)
        })
    }
}

async fn handle<B>(
    log: &ConsentLog,
    guard: &Guard,
    visitor: VisitorId,
    request: Request<B>,
) -> Response<String>
where
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    if request.method() != Method::POST {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "post the decision: this endpoint takes POST only",
        );
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("POST"));
        return response;
    }
    if let Err(refused) = guard.same_origin.check(request.headers()) {
        return refuse(StatusCode::FORBIDDEN, refused.to_string());
    }
    let client = guard.limit.client(
        request.headers(),
        request.extensions().get::<ClientAddress>().copied(),
    );
    if !guard.limit.take(client) {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            "too many decisions from this client; the earlier ones are kept: try again later",
        );
    }
    let (parts, body) = request.into_parts();
    if !media_type_is(parts.headers.get(CONTENT_TYPE), "application/json") {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the decision as JSON, with `Content-Type: application/json`",
        );
    }
    let too_long = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "a decision is at most {MAX_BODY} bytes; post CookieConsent's `cookie` object only"
            ),
        )
    };
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|length| length > MAX_BODY) {
        return too_long();
    }
    let bytes = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<http_body_util::LengthLimitError>() => return too_long(),
        Err(_) => return refuse(StatusCode::BAD_REQUEST, "the body could not be read"),
    };
    // The common case, read without a tree of the body: a banner's valid
    // decision, with categories the policy offers. Anything else (an
    // error, a GPC signal) is read again below by the general reader,
    // which says what is wrong.
    if let Some(posted) = Posted::read(&bytes)
        && !(posted.gpc && posted.cookie.is_none())
    {
        let policy = log.policy();
        let decision = posted.cookie.map_or(&bytes[..], |raw| raw.get().as_bytes());
        if let Ok(banner) = BannerConsent::from_json_for(decision, policy)
            && offered(&banner, policy)
        {
            return record_banner(log, guard, visitor, &parts, banner, posted.page).await;
        }
    }
    let posted: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(posted) => posted,
        Err(error) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                format!(
                    "the body is not the JSON of a decision ({error}); post `{{\"cookie\": <CookieConsent's cookie>, \"page\": location.href}}`"
                ),
            );
        }
    };
    if posted.get("gpc") == Some(&serde_json::Value::Bool(true)) && posted.get("cookie").is_none() {
        return gpc_signal(log, guard, visitor, &parts, &posted).await;
    }
    // CookieConsent's `cookie` object, or its fields at the top level.
    let decision = posted.get("cookie").unwrap_or(&posted);
    let page = posted
        .get("page")
        .and_then(serde_json::Value::as_str)
        .map(str::to_owned);
    let policy = log.policy();
    let banner = serde_json::to_vec(decision)
        .map_err(|_| ConsentError::Malformed)
        .and_then(|json| BannerConsent::from_json_for(&json, policy));
    let banner = match banner {
        Ok(banner) => banner,
        Err(ConsentError::Stale { recorded, current }) => {
            return refuse(
                StatusCode::CONFLICT,
                format!(
                    "the banner showed revision {recorded} of the policy, and the policy is now at {current}: reload the page and choose again"
                ),
            );
        }
        Err(ConsentError::UnknownCategory) => return unknown_category(decision, policy),
        Err(_) => {
            let message = if !decision
                .get("categories")
                .is_some_and(serde_json::Value::is_array)
            {
                "the decision has no `categories` (an array of names): post CookieConsent's `cookie` object, as the generated callbacks do"
            } else if !decision
                .get("revision")
                .is_some_and(serde_json::Value::is_u64)
            {
                "the decision has no `revision` (a number): configure the banner with the policy's exported configuration"
            } else {
                "the decision is not CookieConsent's `cookie` object: post it as the generated callbacks do"
            };
            return refuse(StatusCode::BAD_REQUEST, message);
        }
    };
    // The log records only the categories the banner offers: those the
    // policy has cookies for.
    if !offered(&banner, policy) {
        return unknown_category(decision, policy);
    }
    record_banner(log, guard, visitor, &parts, banner, page).await
}

/// Whether every category of `banner` is one the policy has cookies for.
fn offered(banner: &BannerConsent, policy: &PolicyData) -> bool {
    let used = policy.categories_used();
    banner
        .consent
        .categories()
        .all(|category| used.contains(&category))
}

/// The top level of a decision's body, read without a tree of values (a
/// `serde_json::Value` of each body, then the decision written out again
/// for [`BannerConsent`], was a tenth of the endpoint's time): the banner's
/// `cookie` object as it was sent, `page` when it is a string, whether
/// `gpc` is `true`. `None` when the body is not an object or names one of
/// these keys twice; the general reader then takes it.
struct Posted<'a> {
    cookie: Option<&'a serde_json::value::RawValue>,
    page: Option<String>,
    gpc: bool,
}

impl<'a> Posted<'a> {
    fn read(body: &'a [u8]) -> Option<Posted<'a>> {
        use serde::Deserializer as _;
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        let posted = (&mut deserializer).deserialize_map(PostedVisitor).ok()?;
        deserializer.end().ok()?;
        Some(posted)
    }
}

struct PostedVisitor;

impl<'de> serde::de::Visitor<'de> for PostedVisitor {
    type Value = Posted<'de>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a decision's JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Posted<'de>, A::Error> {
        use serde::de::Error as _;
        let mut posted = Posted {
            cookie: None,
            page: None,
            gpc: false,
        };
        let mut seen = [false; 3];
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = match &*key {
                "cookie" => 0,
                "page" => 1,
                "gpc" => 2,
                // Read as the general reader reads it, so that a body one
                // refuses the other refuses too.
                _ => {
                    map.next_value::<serde_json::Value>()?;
                    continue;
                }
            };
            if seen.get(slot).copied().unwrap_or(true) {
                return Err(A::Error::custom("a key given twice"));
            }
            if let Some(seen) = seen.get_mut(slot) {
                *seen = true;
            }
            match slot {
                0 => posted.cookie = Some(map.next_value()?),
                1 => {
                    posted.page = match map.next_value()? {
                        serde_json::Value::String(page) => Some(page),
                        _ => None,
                    }
                }
                _ => {
                    posted.gpc =
                        map.next_value::<serde_json::Value>()? == serde_json::Value::Bool(true)
                }
            }
        }
        Ok(posted)
    }
}

/// Records the banner's decision for `visitor`, or answers with the
/// receipt of the same decision recorded before.
async fn record_banner(
    log: &ConsentLog,
    guard: &Guard,
    visitor: VisitorId,
    parts: &http::request::Parts,
    banner: BannerConsent,
    page: Option<String>,
) -> Response<String> {
    let digest = decision_digest(&banner, log.policy(), &parts.headers);
    // A decision posted with a GPC signal, from the site's own page, was
    // made in the banner that showed the signal's refusal: its grants are
    // explicit (the banner marks its cookie too, but after the callback
    // that posts it has run). `docs/consent.md`, "GPC".
    let gpc = cookie_policy::gpc::gpc_requested(&parts.headers);
    let consent = if gpc {
        banner.consent.chosen_under_gpc()
    } else {
        banner.consent
    };
    let context = context(
        parts,
        visitor,
        banner.consent_id,
        banner.language,
        page,
        gpc,
    );
    record_once(
        log,
        guard,
        (visitor, digest),
        consent,
        context,
        "a consent decision",
    )
    .await
}

/// What a request tells of a decision's context: the page (the one
/// posted, else the `Referer`), the client's address and user agent.
fn context(
    parts: &http::request::Parts,
    visitor: VisitorId,
    consent_id: Option<String>,
    language: Option<String>,
    page: Option<String>,
    gpc: bool,
) -> Context {
    let header = |name| {
        parts
            .headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
            .map(str::to_owned)
    };
    Context {
        visitor: Some(visitor),
        consent_id,
        language,
        page: page.or_else(|| header(REFERER)),
        address: parts
            .extensions
            .get::<ClientAddress>()
            .map(|address| address.0),
        user_agent: header(USER_AGENT),
        gpc,
    }
}

/// Records `consent` for the visitor of `decision` (its id, and the digest
/// of what it decided), unless the same decision was recorded before:
/// 201 with the new record's receipt, or 200 with the earlier one's.
/// `what` names the decision in the log when the store fails.
async fn record_once(
    log: &ConsentLog,
    guard: &Guard,
    (visitor, digest): (VisitorId, u64),
    consent: cookie_policy::Consent,
    context: Context,
    what: &str,
) -> Response<String> {
    // The same decision again from the same visitor: the first receipt.
    if let Some(receipt) = guard.limit.repeated(visitor, digest) {
        return answer(
            StatusCode::OK,
            &serde_json::json!({ "receipt": receipt, "revision": log.policy().revision(), "repeated": true }),
        );
    }
    match log.record(consent, context, Origin::Banner).await {
        Ok(record) => {
            guard.limit.remember(visitor, digest, &record.receipt);
            answer(
                StatusCode::CREATED,
                &serde_json::json!({ "receipt": record.receipt, "revision": record.revision }),
            )
        }
        Err(LogError::Unstorable(message)) => refuse(StatusCode::UNPROCESSABLE_ENTITY, message),
        Err(error) => {
            tracing::error!(%error, "{what} was not recorded");
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "the decision could not be recorded; try again",
            )
        }
    }
}

/// `{"gpc": true, "page": "...", "language": "..."}`: the banner's first
/// page under a Global Privacy Control signal, before any choice. The
/// signal is the visitor's opt-out request: recorded as necessary only
/// (the categories the policy refuses under GPC refused, the others not
/// yet granted), source [`Source::Gpc`](crate::Source::Gpc). Only with
/// `Sec-GPC: 1` on the request (400 otherwise): a page cannot record a
/// signal its browser did not send.
async fn gpc_signal(
    log: &ConsentLog,
    guard: &Guard,
    visitor: VisitorId,
    parts: &http::request::Parts,
    posted: &serde_json::Value,
) -> Response<String> {
    if !cookie_policy::gpc::gpc_requested(&parts.headers) {
        return refuse(
            StatusCode::BAD_REQUEST,
            "a Global Privacy Control decision comes with the browser's `Sec-GPC: 1` header, and this request has none",
        );
    }
    let policy = log.policy();
    let text = |key: &str| {
        posted
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned)
    };
    let digest = {
        let text = format!("gpc/{}", policy.revision());
        let digest = <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes());
        digest
            .iter()
            .take(8)
            .fold(0, |hash, &byte| hash << 8 | u64::from(byte))
    };
    let context = context(parts, visitor, None, text("language"), text("page"), true);
    record_once(
        log,
        guard,
        (visitor, digest),
        cookie_policy::Consent::necessary_only(),
        context,
        "a GPC decision",
    )
    .await
}

/// 422, naming the first category of `decision` that the policy does not
/// offer.
fn unknown_category(decision: &serde_json::Value, policy: &PolicyData) -> Response<String> {
    let used = policy.categories_used();
    let unknown = decision
        .get("categories")
        .and_then(serde_json::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(serde_json::Value::as_str)
        .find(|name| {
            name.parse::<Category>()
                .map_or(true, |category| !used.contains(&category))
        })
        .unwrap_or_default();
    let shown: String = unknown.chars().take(64).collect();
    refuse(
        StatusCode::UNPROCESSABLE_ENTITY,
        format!(
            "unknown category `{shown}`: this policy's categories are {}",
            Category::join(used, ", ")
        ),
    )
}

/// What makes two decisions the same: categories, revision, language and
/// whether a GPC signal came with it.
fn decision_digest(banner: &BannerConsent, policy: &PolicyData, headers: &http::HeaderMap) -> u64 {
    let text = format!(
        "{:?}/{}/{}/{}",
        banner.consent,
        policy.revision(),
        banner.language.as_deref().unwrap_or(""),
        cookie_policy::gpc::gpc_requested(headers)
    );
    let digest = <sha2::Sha256 as sha2::Digest>::digest(text.as_bytes());
    digest
        .iter()
        .take(8)
        .fold(0, |hash, &byte| hash << 8 | u64::from(byte))
}

#[cfg(test)]
mod tests {
    use cookie_policy::{Consent, Platform};

    use super::*;

    /// What the general reader makes of a body: the decision and the page,
    /// `None` where it answers with an error or a GPC signal.
    fn general(body: &[u8], policy: &PolicyData) -> Option<(BannerConsent, Option<String>)> {
        let posted: serde_json::Value = serde_json::from_slice(body).ok()?;
        if posted.get("gpc") == Some(&serde_json::Value::Bool(true))
            && posted.get("cookie").is_none()
        {
            return None;
        }
        let decision = posted.get("cookie").unwrap_or(&posted);
        let banner =
            BannerConsent::from_json_for(&serde_json::to_vec(decision).ok()?, policy).ok()?;
        let page = posted
            .get("page")
            .and_then(serde_json::Value::as_str)
            .map(str::to_owned);
        offered(&banner, policy).then_some((banner, page))
    }

    /// The endpoint's fast reader, as `handle` uses it.
    fn fast(body: &[u8], policy: &PolicyData) -> Option<(BannerConsent, Option<String>)> {
        let posted =
            Posted::read(body).filter(|posted| !(posted.gpc && posted.cookie.is_none()))?;
        let decision = posted.cookie.map_or(body, |raw| raw.get().as_bytes());
        let banner = BannerConsent::from_json_for(decision, policy).ok()?;
        offered(&banner, policy).then_some((banner, posted.page))
    }

    /// The fast reader takes a body only when the general reader (a
    /// `serde_json::Value`, the decision written out again) reads the same
    /// decision and page from it; else it leaves the body to it.
    #[test]
    fn the_fast_reader_reads_what_the_general_reader_reads() {
        let policy = PolicyData::of::<Platform>();
        let revision = Consent::banner_revision::<Platform>();
        let cookie = format!(
            r#"{{"categories":["necessary"],"revision":{revision},"consentId":"8c3a","languageCode":"fr"}}"#
        );
        let bodies = [
            format!(r#"{{"cookie":{cookie},"page":"https://shop.test/"}}"#),
            format!(
                r#"{{"page":"https://shop.test/","cookie":{cookie},"other":[1,{{"a":null}}]}}"#
            ),
            format!(r#"{{"coo\u006bie":{cookie},"page":"https://shop.test/\u00e9"}}"#),
            format!(r#"{{"cookie":{cookie},"page":7}}"#),
            format!(r#"{{"cookie":{cookie},"gpc":true}}"#),
            // The decision's fields at the top level.
            format!(
                r#"{{"categories":["necessary"],"revision":{revision},"page":"https://shop.test/"}}"#
            ),
            // Keys given twice: the general reader keeps the last.
            format!(r#"{{"cookie":{cookie},"page":"a","page":"b"}}"#),
            format!(r#"{{"cookie":null,"cookie":{cookie}}}"#),
            format!(
                r#"{{"cookie":{{"categories":7,"categories":["necessary"],"revision":{revision}}}}}"#
            ),
            // Not decisions, or not the policy's.
            format!(r#"{{"cookie":null,"categories":["necessary"],"revision":{revision}}}"#),
            format!(
                r#"{{"cookie":{}}}"#,
                cookie.replace("necessary", "advertising")
            ),
            format!(
                r#"{{"cookie":{}}}"#,
                cookie.replace(&revision.to_string(), "1")
            ),
            r#"{"gpc":true,"page":"https://shop.test/"}"#.to_owned(),
            format!(r#"{{"cookie":{cookie},"x":1e400}}"#),
            format!(r#"[{cookie}]"#),
            format!(r#"{{"cookie":{cookie}}} trailing"#),
            "{}".to_owned(),
        ];
        let mut taken = 0;
        for body in &bodies {
            let general = general(body.as_bytes(), &policy);
            if let Some(fast) = fast(body.as_bytes(), &policy) {
                assert_eq!(Some(fast), general, "{body}");
                taken += 1;
            }
        }
        // The well-formed bodies are read fast.
        assert_eq!(taken, 6);
    }
}
