//! A tower [`Layer`] that enforces a policy on every response (feature
//! `tower`).
//!
//! For each request it reads the visitor's consent from the policy's consent
//! cookie ([`CookiePolicy::CONSENT_COOKIE`]), in this crate's format or in the
//! one the CookieConsent banner writes; when the response sets that cookie
//! (the visitor just chose), the new choice is the one enforced. A request
//! with a Global Privacy Control signal (`Sec-GPC: 1`) has the categories
//! the policy refuses under GPC refused, unless the visitor granted them
//! knowing the signal ([`Consent::honouring_gpc`]); stack
//! [`GpcLayer`](crate::gpc::GpcLayer) to serve `/.well-known/gpc.json`. Then it removes every `Set-Cookie` the policy
//! does not let through ([`filter_set_cookies`](crate::enforce::filter_set_cookies)) and appends deletions for
//! the declared cookies the visitor holds without consent
//! ([`deletions`](crate::enforce::deletions)).
//! Each undeclared cookie, and each `Set-Cookie` whose `Domain` or `Path`
//! differs from the declared one, is logged as a `tracing` warning, since it
//! means the policy and the code disagree; refused ones at debug level.
//!
//! ```
//! use cookie_policy::Platform;
//! use cookie_policy::layer::ConsentLayer;
//!
//! let layer = ConsentLayer::<Platform>::new()
//!     .on_removal(|report| eprintln!("{} cookie(s) removed", report.removed().len()));
//! // With axum: `Router::new().route(...).layer(layer)`.
//! # let _ = layer;
//! ```

use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::sync::Arc;

use http::header::{COOKIE, HeaderValue, SET_COOKIE};
use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use crate::enforce::{
    ConsentHeads, Mismatch, Removal, RemovalReason, Report, consent_from_response, filter_into,
    for_each_deletion, read_request_consent,
};
use crate::{Consent, CookiePolicy};

mod consent_cache;

use consent_cache::ConsentCache;

type Callback = Arc<dyn Fn(&Report) + Send + Sync>;

/// Enforces policy `P` on the responses of the service it wraps.
///
/// The layer remembers what it read of the last few dozen consent values in
/// the banner's format, since a visitor's browser sends the same one with
/// every request: a value is compared whole, byte for byte, before what was
/// read of it is used again, and the memory is bounded (64 values). Clones
/// of a layer, and the services it makes, share that memory.
pub struct ConsentLayer<P: ?Sized> {
    on_removal: Option<Callback>,
    cache: Arc<ConsentCache>,
    /// Every category of `P`'s cookies that need consent: a consent that
    /// grants them all leaves nothing to delete.
    needing: Consent,
    /// How the names of `P`'s cookies that need consent start.
    heads: Arc<ConsentHeads>,
    policy: PhantomData<fn() -> P>,
}

impl<P: CookiePolicy + ?Sized> ConsentLayer<P> {
    /// A layer that enforces `P`, reading the visitor's consent from `P`'s
    /// consent cookie: nothing to configure that could disagree with the
    /// policy.
    pub fn new() -> Self {
        ConsentLayer {
            on_removal: None,
            cache: Arc::new(ConsentCache::new()),
            needing: P::COOKIES
                .iter()
                .filter(|cookie| cookie.requires_consent())
                .fold(Consent::necessary_only(), |needing, cookie| {
                    needing.grant(cookie.category())
                }),
            heads: Arc::new(ConsentHeads::of::<P>()),
            policy: PhantomData,
        }
    }

    /// Calls `callback` with the report of every response from which
    /// something was removed, besides logging it.
    #[must_use]
    pub fn on_removal(mut self, callback: impl Fn(&Report) + Send + Sync + 'static) -> Self {
        self.on_removal = Some(Arc::new(callback));
        self
    }
}

impl<P: CookiePolicy + ?Sized> Default for ConsentLayer<P> {
    fn default() -> Self {
        ConsentLayer::new()
    }
}

impl<P: ?Sized> Clone for ConsentLayer<P> {
    fn clone(&self) -> Self {
        ConsentLayer {
            on_removal: self.on_removal.clone(),
            cache: Arc::clone(&self.cache),
            needing: self.needing,
            heads: Arc::clone(&self.heads),
            policy: PhantomData,
        }
    }
}

impl<P: ?Sized> core::fmt::Debug for ConsentLayer<P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ConsentLayer")
            .field("on_removal", &self.on_removal.is_some())
            .finish()
    }
}

impl<S, P: CookiePolicy + ?Sized> Layer<S> for ConsentLayer<P> {
    type Service = ConsentService<S, P>;

    fn layer(&self, inner: S) -> Self::Service {
        ConsentService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`ConsentLayer`] makes.
pub struct ConsentService<S, P: ?Sized> {
    inner: S,
    layer: ConsentLayer<P>,
}

impl<S, P: CookiePolicy + ?Sized> ConsentService<S, P> {
    /// `inner`, with policy `P` enforced on its responses.
    pub fn new(inner: S) -> Self {
        ConsentService {
            inner,
            layer: ConsentLayer::new(),
        }
    }

    /// A [`ConsentLayer`] that wraps services in `ConsentService`.
    pub fn layer() -> ConsentLayer<P> {
        ConsentLayer::new()
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// The wrapped service, unwrapped.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Clone, P: ?Sized> Clone for ConsentService<S, P> {
    fn clone(&self) -> Self {
        ConsentService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S: core::fmt::Debug, P: ?Sized> core::fmt::Debug for ConsentService<S, P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ConsentService")
            .field("inner", &self.inner)
            .field("layer", &self.layer)
            .finish()
    }
}

impl<S, P, ReqBody, ResBody> Service<Request<ReqBody>> for ConsentService<S, P>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    P: CookiePolicy + ?Sized,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, P>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let cache = &self.layer.cache;
        let (consent, problem) =
            read_request_consent::<P>(request.headers(), |value| cache.read::<P>(value));
        if let Some(problem) = problem {
            tracing::debug!(%problem, "consent cookie not usable; enforcing necessary cookies only");
        }
        // Global Privacy Control: `docs/consent.md`, "GPC".
        let gpc = crate::gpc::gpc_requested(request.headers());
        let consent = honouring_gpc::<P>(consent, gpc);
        // Kept for the deletions, which depend on the consent the response
        // leaves (it may record a new choice). Cloning a HeaderValue that
        // hyper parsed only bumps a count (one built from owned bytes is
        // promoted once, an allocation); browsers send one `Cookie` header
        // over HTTP/1.1.
        let mut cookie_headers = request.headers().get_all(COOKIE).iter();
        let request_cookies = RequestCookies {
            first: cookie_headers.next().cloned(),
            rest: cookie_headers.cloned().collect(),
        };
        // Only a visitor who sends cookies and refused something will
        // likely need deletions; when the response withdraws consent
        // instead, they are computed without this shortcut.
        let heads = (request_cookies.first.is_some() && !consent.covers(self.layer.needing))
            .then(|| Arc::clone(&self.layer.heads));
        ResponseFuture {
            inner: self.inner.call(request),
            consent,
            gpc,
            request_cookies,
            needing: self.layer.needing,
            heads,
            on_removal: self.layer.on_removal.clone(),
            policy: PhantomData,
        }
    }
}

/// The values of a request's `Cookie` headers: the first one without an
/// allocation.
struct RequestCookies {
    first: Option<HeaderValue>,
    rest: Vec<HeaderValue>,
}

pin_project_lite::pin_project! {
    /// The future of [`ConsentService`]'s responses.
    pub struct ResponseFuture<F, P: ?Sized> {
        #[pin]
        inner: F,
        consent: Consent,
        gpc: bool,
        request_cookies: RequestCookies,
        needing: Consent,
        heads: Option<Arc<ConsentHeads>>,
        on_removal: Option<Callback>,
        policy: PhantomData<fn() -> P>,
    }
}

impl<F, P, ResBody, E> Future for ResponseFuture<F, P>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
    P: CookiePolicy + ?Sized,
{
    type Output = Result<Response<ResBody>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = match this.inner.poll(cx) {
            Poll::Ready(Ok(response)) => response,
            other => return other,
        };
        let headers = response.headers_mut();
        let consent = consent_from_response::<P>(headers)
            .map_or(*this.consent, |set| honouring_gpc::<P>(set, *this.gpc));
        let mut mismatches = Vec::new();
        // A report is built only for a callback; otherwise each removal is
        // logged and dropped as it goes.
        let mut removed = Vec::new();
        match this.on_removal {
            Some(_) => filter_into::<P>(
                headers,
                consent,
                &mut |removal| removed.push(removal),
                &mut mismatches,
            ),
            None => filter_into::<P>(headers, consent, &mut log_removal, &mut mismatches),
        }
        if !consent.covers(*this.needing) {
            let cookies = this.request_cookies;
            for_each_deletion::<P>(
                cookies.first.iter().chain(&cookies.rest),
                consent,
                this.heads.as_deref(),
                |deletion| {
                    headers.append(SET_COOKIE, deletion);
                },
            );
        }
        if let Some(callback) = this.on_removal {
            for removal in &removed {
                log_removal(removal);
            }
            log_mismatches(&mismatches);
            let report = Report::new(removed, mismatches);
            if !report.is_empty() {
                callback(&report);
            }
        } else {
            log_mismatches(&mismatches);
        }
        Poll::Ready(Ok(response))
    }
}

/// `consent` for a request that carries a GPC signal (`gpc`): the
/// categories `P` refuses under GPC withdrawn unless the visitor granted
/// them knowing it ([`Consent::honouring_gpc`]).
fn honouring_gpc<P: CookiePolicy + ?Sized>(consent: Consent, gpc: bool) -> Consent {
    if gpc {
        consent.honouring_gpc(&crate::PolicyData::of::<P>())
    } else {
        consent
    }
}

/// Logs a removal: a warning when the policy and the code disagree, at
/// debug level when the visitor refused the cookie.
fn log_removal(removal: impl core::borrow::Borrow<Removal>) {
    let removal = removal.borrow();
    match removal.reason() {
        RemovalReason::Undeclared | RemovalReason::Unparsable => {
            tracing::warn!(cookie = removal.name(), "{removal}");
        }
        RemovalReason::NotConsented(_) => {
            tracing::debug!(cookie = removal.name(), "{removal}");
        }
    }
}

/// Logs each `Set-Cookie` let through whose `Domain` or `Path` is not the
/// declared one.
fn log_mismatches(mismatches: &[Mismatch]) {
    for mismatch in mismatches {
        tracing::warn!(cookie = mismatch.name(), "{mismatch}");
    }
}
