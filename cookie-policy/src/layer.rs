//! A tower [`Layer`] that enforces a policy on every response (feature
//! `tower`).
//!
//! For each request it reads the visitor's consent from the policy's consent
//! cookie ([`CookiePolicy::CONSENT_COOKIE`]), in this crate's format or in the
//! one the CookieConsent banner writes; when the response sets that cookie
//! (the visitor just chose), the new choice is the one enforced. Then it removes every `Set-Cookie` the policy
//! does not let through ([`filter_set_cookies`]) and appends deletions for
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
    RemovalReason, Report, consent_from_response, deletions_for, filter_set_cookies, scan_request,
};
use crate::{Consent, CookiePolicy};

type Callback = Arc<dyn Fn(&Report) + Send + Sync>;

/// Enforces policy `P` on the responses of the service it wraps.
pub struct ConsentLayer<P: ?Sized> {
    on_removal: Option<Callback>,
    policy: PhantomData<fn() -> P>,
}

impl<P: CookiePolicy + ?Sized> ConsentLayer<P> {
    /// A layer that enforces `P`, reading the visitor's consent from `P`'s
    /// consent cookie: nothing to configure that could disagree with the
    /// policy.
    pub fn new() -> Self {
        ConsentLayer {
            on_removal: None,
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
        let scan = scan_request::<P>(request.headers());
        if let Some(problem) = scan.problem {
            tracing::debug!(%problem, "consent cookie not usable; enforcing necessary cookies only");
        }
        // Kept for the deletions, only when the request holds cookies that
        // need consent: cloning a HeaderValue only bumps a count.
        let request_cookies = if scan.held == Consent::necessary_only() {
            Vec::new()
        } else {
            request.headers().get_all(COOKIE).iter().cloned().collect()
        };
        ResponseFuture {
            inner: self.inner.call(request),
            consent: scan.consent,
            held: scan.held,
            request_cookies,
            layer: self.layer.clone(),
        }
    }
}

pin_project_lite::pin_project! {
    /// The future of [`ConsentService`]'s responses.
    pub struct ResponseFuture<F, P: ?Sized> {
        #[pin]
        inner: F,
        consent: Consent,
        held: Consent,
        request_cookies: Vec<HeaderValue>,
        layer: ConsentLayer<P>,
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
        let consent = consent_from_response::<P>(headers).unwrap_or(*this.consent);
        let report = filter_set_cookies::<P>(headers, consent);
        if !consent.covers(*this.held) {
            for deletion in deletions_for::<P>(this.request_cookies.iter(), consent) {
                headers.append(SET_COOKIE, deletion);
            }
        }
        if !report.is_empty() {
            for removal in report.removed() {
                match removal.reason() {
                    RemovalReason::Undeclared | RemovalReason::Unparsable => {
                        tracing::warn!(cookie = removal.name(), "{removal}");
                    }
                    RemovalReason::NotConsented(_) => {
                        tracing::debug!(cookie = removal.name(), "{removal}");
                    }
                }
            }
            for mismatch in report.mismatches() {
                tracing::warn!(cookie = mismatch.name(), "{mismatch}");
            }
            if let Some(callback) = &this.layer.on_removal {
                callback(&report);
            }
        }
        Poll::Ready(Ok(response))
    }
}
