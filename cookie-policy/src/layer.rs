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
//! means the policy and the code disagree (once a minute per cookie name in
//! a process, the repeats at debug level, so that an application that sets
//! one on every response does not write a line per response); refused ones
//! at debug level.
//!
//! ```
//! use cookie_policy::Platform;
//! use cookie_policy::layer::ConsentLayer;
//!
//! let layer = ConsentLayer::<Platform>::new()
//!     .on_removal(|report| eprintln!("{} cookie(s) removed", report.removed().len()));
//! // With axum: `let app = layer.layer(router);` (`tower::Layer`), served
//! // with `axum::ServiceExt::<Request>::into_make_service(app)`.
//! # let _ = layer;
//! ```
//!
//! Where it goes: around the whole application, as above, so that every
//! response is judged. Through axum's `Router::layer`, a route added after
//! the call is not judged (axum layers the routes the router holds at
//! that moment), and each layered route is boxed once more (0.05 to 0.16
//! µs a request: `docs/performance.md`, "The consent layer").
//! `docs/consent.md`, "Where the layer goes", has both, and the test that
//! serves them.
//!
//! The same layer enforces a policy loaded at run time, a [`PolicyData`]
//! ([`ConsentLayer::for_policy`]): the code that judges each header is the
//! same, only the lookups differ (the derive's index for a compiled-in
//! policy, [`PolicyData::lookup`] for a loaded one). This is what
//! `cookie-policy serve` runs.
//!
//! ```
//! use cookie_policy::{Platform, PolicyData};
//! use cookie_policy::layer::ConsentLayer;
//!
//! let data = PolicyData::of::<Platform>(); // or PolicyData::load("policy.toml")
//! let layer = ConsentLayer::for_policy(data).report_only(true);
//! # let _ = layer;
//! ```

use core::future::Future;
use core::marker::PhantomData;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::sync::Arc;

use http::header::{COOKIE, SET_COOKIE};
use http::{Request, Response};
use tower_layer::Layer;
use tower_service::Service;

use crate::enforce::{
    Append, ConsentHeads, CookieName, CookieNames, EnforcedPolicy, Mismatch, NewChoice, Removal,
    RemovalReason, Report, consent_set_by, declared_by, filter_and_append, for_each_deletion,
    names_that_may_need_consent, read_request_consent, scan_request_cookies,
};
use crate::{Consent, CookiePolicy, PolicyData};

mod consent_cache;
mod memo;
mod request_cache;

use consent_cache::ConsentCache;
use request_cache::{CookiesRead, NamesRead, RequestCache};

type Callback = Arc<dyn Fn(&Report) + Send + Sync>;

/// Enforces policy `P` on the responses of the service it wraps: a
/// compiled-in [`CookiePolicy`] type ([`ConsentLayer::new`]) or a
/// [`PolicyData`] ([`ConsentLayer::for_policy`]).
///
/// The layer remembers what it read of the last few dozen `Cookie`
/// headers (the consent, the names of the cookies that may need it, and
/// their deletions), since a visitor's browser sends the same one with
/// every request of a page, and of the last few dozen consent values in
/// the banner's format, for a header that changed around the same consent.
/// A header or value is compared whole, byte for byte, before what was
/// read of it is used again, and the memory is bounded (64 headers, 64
/// values). Clones of a layer, and the services it makes, share that
/// memory.
pub struct ConsentLayer<P: EnforcedPolicy + ?Sized> {
    /// What the policy's lookups need: nothing for a compiled-in policy.
    held: P::Held,
    /// Judge and log, but remove and add nothing.
    report_only: bool,
    on_removal: Option<Callback>,
    /// Every category of `P`'s cookies that need consent: a consent that
    /// grants them all leaves nothing to delete.
    needing: Consent,
    /// Whether a GPC signal can change a verdict: it refuses a category of
    /// one of those cookies. Otherwise `Sec-GPC` is not looked up.
    gpc_matters: bool,
    /// What the layer built once for every request.
    shared: Arc<Shared>,
    policy: PhantomData<fn() -> P>,
}

/// What a layer builds once and its services share.
struct Shared {
    /// What the layer read of the `Cookie` headers it saw lately.
    requests: RequestCache,
    /// The consents read lately: what a `Cookie` header not remembered
    /// (one of its other cookies changed) still spares.
    cache: ConsentCache,
    /// How the names of the policy's cookies that need consent start.
    heads: ConsentHeads,
    /// The consent cookie's name.
    consent_cookie: Option<CookieName<'static>>,
}

impl<P: CookiePolicy + ?Sized> ConsentLayer<P> {
    /// A layer that enforces `P`, reading the visitor's consent from `P`'s
    /// consent cookie: nothing to configure that could disagree with the
    /// policy.
    pub fn new() -> Self {
        ConsentLayer::holding(())
    }
}

impl ConsentLayer<PolicyData> {
    /// A layer that enforces `policy`, a policy loaded at run time
    /// (`PolicyData::load`, feature `load`) or any [`PolicyData`], with
    /// the same code as [`ConsentLayer::new`] and the same consent cookie
    /// (the policy's).
    ///
    /// ```
    /// use cookie_policy::layer::ConsentLayer;
    /// use cookie_policy::{Platform, PolicyData};
    ///
    /// let layer = ConsentLayer::for_policy(PolicyData::of::<Platform>());
    /// # let _ = layer;
    /// ```
    pub fn for_policy(policy: PolicyData) -> Self {
        ConsentLayer::holding(policy)
    }
}

impl<P: EnforcedPolicy + ?Sized> ConsentLayer<P> {
    fn holding(held: P::Held) -> Self {
        let data = P::__data(&held);
        let cookies = data.cookies();
        let needing = cookies
            .iter()
            .filter(|cookie| cookie.requires_consent())
            .fold(Consent::necessary_only(), |needing, cookie| {
                needing.grant(cookie.category())
            });
        ConsentLayer {
            held,
            report_only: false,
            on_removal: None,
            needing,
            gpc_matters: data.gpc_refused().any(|category| needing.allows(category)),
            shared: Arc::new(Shared {
                requests: RequestCache::new(),
                cache: ConsentCache::new(),
                heads: ConsentHeads::of(cookies),
                consent_cookie: data
                    .consent_cookie()
                    .map(|cookie| CookieName::new(cookie.name().as_bytes())),
            }),
            policy: PhantomData,
        }
    }

    /// With `true`, the layer judges every response as usual and logs
    /// (`tracing`, at `info` level, target `cookie_policy::layer`) each
    /// `Set-Cookie` it would remove and each deletion it would add, but
    /// leaves the response untouched: the report-only mode of a first
    /// deployment, as CSP's `Content-Security-Policy-Report-Only`. The
    /// [`on_removal`](Self::on_removal) callback still sees what would have
    /// been removed.
    #[must_use]
    pub fn report_only(mut self, report_only: bool) -> Self {
        self.report_only = report_only;
        self
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

impl<P: EnforcedPolicy + ?Sized> Clone for ConsentLayer<P> {
    fn clone(&self) -> Self {
        ConsentLayer {
            held: self.held.clone(),
            report_only: self.report_only,
            on_removal: self.on_removal.clone(),
            needing: self.needing,
            gpc_matters: self.gpc_matters,
            shared: Arc::clone(&self.shared),
            policy: PhantomData,
        }
    }
}

impl<P: EnforcedPolicy + ?Sized> core::fmt::Debug for ConsentLayer<P> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ConsentLayer")
            .field("report_only", &self.report_only)
            .field("on_removal", &self.on_removal.is_some())
            .finish()
    }
}

impl<S, P: EnforcedPolicy + ?Sized> Layer<S> for ConsentLayer<P> {
    type Service = ConsentService<S, P>;

    fn layer(&self, inner: S) -> Self::Service {
        ConsentService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`ConsentLayer`] makes.
pub struct ConsentService<S, P: EnforcedPolicy + ?Sized> {
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

impl<S: Clone, P: EnforcedPolicy + ?Sized> Clone for ConsentService<S, P> {
    fn clone(&self) -> Self {
        ConsentService {
            inner: self.inner.clone(),
            layer: self.layer.clone(),
        }
    }
}

impl<S: core::fmt::Debug, P: EnforcedPolicy + ?Sized> core::fmt::Debug for ConsentService<S, P> {
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
    P: EnforcedPolicy + ?Sized,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, P>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
        let shared = &self.layer.shared;
        let data = P::__data(&self.layer.held);
        // One pass over the `Cookie` headers, or what the last one of the
        // same bytes gave: the consent, the names of the cookies that may
        // need it, and their deletions under that consent (the response
        // may record a new choice: they are then worked out again).
        let held = &self.layer.held;
        let needing = self.layer.needing;
        let CookiesRead {
            consent,
            problem,
            names,
        } = shared
            .requests
            .read(request.headers().get_all(COOKIE), |headers| {
                let mut names = CookieNames::default();
                let consent_value = scan_request_cookies(
                    headers,
                    shared.consent_cookie,
                    Some(&shared.heads),
                    &mut names,
                );
                let (consent, problem) =
                    read_request_consent(consent_value, |value| shared.cache.read(&data, value));
                CookiesRead::new(consent, problem, names, needing, declared_by::<P>(held))
            });
        if let Some(problem) = problem {
            tracing::debug!(%problem, "consent cookie not usable; enforcing necessary cookies only");
        }
        // Global Privacy Control: `docs/consent.md`, "GPC". Withdrawing a
        // category no cookie of the policy needs consent for changes no
        // verdict, so the header is read only when the policy has one.
        let gpc = self.layer.gpc_matters && crate::gpc::gpc_requested(request.headers());
        let consent = honouring_gpc(&data, consent, gpc);
        // More names than fit (a crafted header, most likely): the headers
        // are kept (cloning a value hyper parsed bumps a count) and read
        // again, so a request never makes the layer hold more than them.
        let overflow = names
            .as_ref()
            .is_some_and(|names| names.names.overflowed())
            .then(|| Overflow {
                headers: request.headers().get_all(COOKIE).iter().cloned().collect(),
                shared: Arc::clone(shared),
            });
        ResponseFuture {
            inner: self.inner.call(request),
            held: self.layer.held.clone(),
            report_only: self.layer.report_only,
            consent,
            gpc,
            names,
            overflow,
            needing,
            on_removal: self.layer.on_removal.clone(),
            policy: PhantomData,
        }
    }
}

/// A request's `Cookie` headers, kept when they name more cookies that
/// may need consent than [`CookieNames`] holds, and the heads to read
/// those names with again.
struct Overflow {
    headers: Vec<http::HeaderValue>,
    shared: Arc<Shared>,
}

pin_project_lite::pin_project! {
    /// The future of [`ConsentService`]'s responses.
    pub struct ResponseFuture<F, P>
    where
        P: EnforcedPolicy,
        P: ?Sized,
    {
        #[pin]
        inner: F,
        held: P::Held,
        report_only: bool,
        consent: Consent,
        gpc: bool,
        // The names of the request's cookies that may need consent, with
        // their deletions (`call`).
        names: Option<Arc<NamesRead>>,
        overflow: Option<Overflow>,
        needing: Consent,
        on_removal: Option<Callback>,
        policy: PhantomData<fn() -> P>,
    }
}

impl<F, P, ResBody, E> Future for ResponseFuture<F, P>
where
    F: Future<Output = Result<Response<ResBody>, E>>,
    P: EnforcedPolicy + ?Sized,
{
    type Output = Result<Response<ResBody>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = match this.inner.poll(cx) {
            Poll::Ready(Ok(response)) => response,
            other => return other,
        };
        let held = &*this.held;
        let report_only = *this.report_only;
        // Report-only: the filter works on a copy of the headers it reads
        // (cloning a `HeaderValue` bumps a count), the response is untouched.
        let mut copy = report_only.then(|| judged_headers(response.headers()));
        let headers = match copy.as_mut() {
            Some(copy) => copy,
            None => response.headers_mut(),
        };
        let data = P::__data(held);
        // A response that sets the consent cookie records the visitor's new
        // choice: the filter judges with it (`docs/consent.md`).
        let gpc = *this.gpc;
        let read_choice = |headers: &http::HeaderMap| {
            consent_set_by(&data, headers).map(|set| honouring_gpc(&data, set, gpc))
        };
        let new_choice = || {
            Some(NewChoice {
                name: data.consent_cookie()?.name().as_bytes(),
                read: &read_choice,
            })
        };
        // A `Domain` or `Path` other than the declared one is looked for
        // only where someone would hear of it: the callback, or a log that
        // writes `log_mismatches`' events.
        let mut mismatches = Vec::new();
        let mismatches_heard = this.on_removal.is_some()
            || tracing::enabled!(tracing::Level::WARN)
            || tracing::enabled!(tracing::Level::DEBUG);
        let log: fn(&Removal) = if report_only {
            log_would_remove
        } else {
            log_removal
        };
        // The deletions of the cookies the visitor holds without consent,
        // judged with the consent the filter judged with (the response may
        // record a new choice), added after the kept headers.
        let overflow = this.overflow.as_ref();
        // Nothing to delete without a name that may need consent (a new
        // visitor's request carries none), nor under a consent that covers
        // every cookie that needs it.
        let deletions = this.names.as_deref().map(|names| Append {
            unless: *this.needing,
            add: |consent: Consent, add: &mut dyn FnMut(http::HeaderValue)| {
                let named = Named::<P> {
                    held,
                    names,
                    overflow,
                };
                add_deletions(named, consent, report_only, add);
            },
        });
        // A report is built only for a callback; otherwise each removal is
        // logged and dropped as it goes.
        let mut removed = Vec::new();
        match this.on_removal {
            Some(_) => filter_and_append::<P>(
                held,
                headers,
                *this.consent,
                new_choice(),
                &mut |removal| removed.push(removal),
                Some(&mut mismatches),
                deletions,
            ),
            None => filter_and_append::<P>(
                held,
                headers,
                *this.consent,
                new_choice(),
                &mut |removal| log(&removal),
                mismatches_heard.then_some(&mut mismatches),
                deletions,
            ),
        };
        if let Some(callback) = this.on_removal {
            for removal in &removed {
                log(removal);
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

/// What a response's deletions are worked out from: the names of the
/// request's cookies that may need consent (with the deletions worked out
/// for its consent), or, past what they hold, the request's `Cookie`
/// headers (`overflow`).
struct Named<'a, P: EnforcedPolicy + ?Sized> {
    held: &'a P::Held,
    names: &'a NamesRead,
    overflow: Option<&'a Overflow>,
}

/// The deletions of the cookies `named` names that the visitor holds
/// without `consent`: those worked out with the names when they were for
/// `consent` (a count bumped for each), else worked out now
/// ([`work_out_deletions`]); handed to `add`, or logged in report-only
/// mode.
#[inline(always)]
fn add_deletions<P: EnforcedPolicy + ?Sized>(
    named: Named<'_, P>,
    consent: Consent,
    report_only: bool,
    add: &mut dyn FnMut(http::HeaderValue),
) {
    let mut emit = |deletion: http::HeaderValue| {
        if report_only {
            log_would_add(&deletion);
        } else {
            add(deletion);
        }
    };
    match &named.names.deletions {
        Some(deletions) if named.names.consent == consent => {
            deletions.iter().cloned().for_each(emit);
        }
        _ => work_out_deletions(named, consent, &mut emit),
    }
}

/// [`add_deletions`] for a response judged with another consent than the
/// request's (it records a new choice, or a GPC signal withdraws a
/// category), or for names read again from the headers: out of the way of
/// the common path.
#[cold]
#[inline(never)]
fn work_out_deletions<P: EnforcedPolicy + ?Sized>(
    named: Named<'_, P>,
    consent: Consent,
    emit: &mut dyn FnMut(http::HeaderValue),
) {
    let declared = declared_by::<P>(named.held);
    match named.overflow {
        None => for_each_deletion(named.names.names.iter(), consent, declared, emit),
        Some(overflow) => for_each_deletion(
            names_that_may_need_consent(&overflow.headers, &overflow.shared.heads),
            consent,
            declared,
            emit,
        ),
    }
}

/// Report-only: the deletion the layer would have added.
#[cold]
fn log_would_add(deletion: &http::HeaderValue) {
    tracing::info!(
        deletion = deletion.to_str().unwrap_or_default(),
        "report-only: would add a deletion of a cookie the visitor has not consented to"
    );
}

/// `consent` for a request that carries a GPC signal (`gpc`): the
/// categories the policy refuses under GPC withdrawn unless the visitor
/// granted them knowing it ([`Consent::honouring_gpc`]).
fn honouring_gpc(policy: &crate::PolicyData, consent: Consent, gpc: bool) -> Consent {
    if gpc {
        consent.honouring_gpc(policy)
    } else {
        consent
    }
}

/// The headers the filter reads, copied: every `Set-Cookie` and the `Date`.
fn judged_headers(headers: &http::HeaderMap) -> http::HeaderMap {
    let mut copy = http::HeaderMap::new();
    for value in headers.get_all(SET_COOKIE) {
        copy.append(SET_COOKIE, value.clone());
    }
    if let Some(date) = headers.get(http::header::DATE) {
        copy.insert(http::header::DATE, date.clone());
    }
    copy
}

/// Logs, in report-only mode, a `Set-Cookie` that would have been removed.
fn log_would_remove(removal: &Removal) {
    tracing::info!(
        cookie = removal.name(),
        header = removal.header().to_str().unwrap_or("(not text)"),
        "report-only: would remove: {removal}"
    );
}

/// Logs a removal: a warning when the policy and the code disagree (once
/// a minute per cookie name, see [`first_this_minute`]), at debug level
/// when the visitor refused the cookie.
fn log_removal(removal: &Removal) {
    // The throttle (a clock read and a hash) only when a warning would be
    // written at all.
    let warn = matches!(
        removal.reason(),
        RemovalReason::Undeclared | RemovalReason::Unparsable
    ) && tracing::enabled!(tracing::Level::WARN)
        && first_this_minute(0, removal.name().unwrap_or_default());
    if warn {
        tracing::warn!(cookie = removal.name(), "{removal}");
    } else {
        tracing::debug!(cookie = removal.name(), "{removal}");
    }
}

/// Logs each `Set-Cookie` let through whose `Domain` or `Path` is not the
/// declared one.
fn log_mismatches(mismatches: &[Mismatch]) {
    // The condition `log_removal` writes too: a function shared by both
    // made a response 40 to 130 instructions dearer in the build measured.
    for mismatch in mismatches {
        // The throttle (a clock read and a hash) only when a warning would
        // be written at all, as in `log_removal`.
        if tracing::enabled!(tracing::Level::WARN) && first_this_minute(1, mismatch.name()) {
            tracing::warn!(cookie = mismatch.name(), "{mismatch}");
        } else {
            tracing::debug!(cookie = mismatch.name(), "{mismatch}");
        }
    }
}

/// How many (kind, name) pairs the warnings' throttle tells apart.
const WARNING_SLOTS: usize = 64;

/// The last minute a warning of each slot's (kind, name) was written,
/// tagged with the pair's hash.
static WARNED: [std::sync::atomic::AtomicU64; WARNING_SLOTS] =
    [const { std::sync::atomic::AtomicU64::new(0) }; WARNING_SLOTS];

/// Whether a warning about cookie `name` (of `kind`) is the first this
/// minute in this process. An application that sets an undeclared cookie
/// on every response would otherwise write one line per response (behind
/// `cookie-policy serve`, thousands a second); the repeats go to debug
/// level. Pairs that share a slot may each be warned about more often,
/// never less than once a minute.
fn first_this_minute(kind: u64, name: &str) -> bool {
    use std::sync::atomic::Ordering;
    let hash = cookie_policy_core::hash(name.as_bytes(), 0x6c61_7965_7200 | kind);
    let minute = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |since| since.as_secs() / 60);
    // The hash's high half tags the slot's owner, the low half is the
    // minute (plus one, so that no mark is the empty slot's 0).
    let mark = (hash & 0xffff_ffff_0000_0000) | ((minute + 1) & 0xffff_ffff);
    let Some(slot) = WARNED.get((hash % WARNING_SLOTS as u64) as usize) else {
        return true;
    };
    slot.swap(mark, Ordering::Relaxed) != mark
}

#[cfg(test)]
mod tests {
    use core::convert::Infallible;
    use core::future::{Future, Ready, ready};
    use core::task::{Context, Poll, Waker};

    use http::header::SET_COOKIE;
    use http::{HeaderValue, Request, Response};
    use tower_layer::Layer;
    use tower_service::Service;

    use super::{ConsentLayer, first_this_minute};

    #[derive(crate::CookiePolicy)]
    #[cookie_policy(path = "../tests/fixtures/shop.toml")]
    struct Shop;

    /// A service that answers with these `Set-Cookie`s.
    struct Respond(Vec<HeaderValue>);

    impl Service<Request<()>> for Respond {
        type Response = Response<()>;
        type Error = Infallible;
        type Future = Ready<Result<Response<()>, Infallible>>;
        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
            Poll::Ready(Ok(()))
        }
        fn call(&mut self, _: Request<()>) -> Self::Future {
            let mut response = Response::new(());
            for value in &self.0 {
                response.headers_mut().append(SET_COOKIE, value.clone());
            }
            ready(Ok(response))
        }
    }

    /// `service`'s response to `request`, which it answers at once.
    fn respond<S>(service: &mut S, request: Request<()>) -> Response<()>
    where
        S: Service<Request<()>, Response = Response<()>, Error = Infallible>,
    {
        let mut future = core::pin::pin!(service.call(request));
        match future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(Ok(response)) => response,
            Poll::Ready(Err(never)) => match never {},
            Poll::Pending => panic!("the response is ready"),
        }
    }

    /// The `Set-Cookie`s of `service`'s response to `request`, in order.
    fn set_cookies<S>(service: &mut S, request: Request<()>) -> Vec<HeaderValue>
    where
        S: Service<Request<()>, Response = Response<()>, Error = Infallible>,
    {
        let response = respond(service, request);
        response
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .cloned()
            .collect()
    }

    /// Through the layer, a response that records the visitor's choice is
    /// judged by it: what the choice grants stays, before or after the
    /// consent cookie, what it refuses goes, with or without a callback.
    #[test]
    fn a_response_that_records_a_choice_is_judged_by_it() {
        use std::sync::{Arc, Mutex};

        use crate::{Category, Consent};

        let chosen = Consent::necessary_only()
            .grant(Category::Statistical)
            .to_cookie_value::<Shop>();
        let consent_cookie = format!("cookies_preferences={chosen}; Path=/");
        let sent = ["_fbp=1", "_ga=1", consent_cookie.as_str(), "_gid=1"]
            .map(|header| HeaderValue::from_str(header).unwrap());
        for with_callback in [false, true] {
            let seen: Arc<Mutex<Vec<String>>> = Arc::default();
            let sink = Arc::clone(&seen);
            let layer = ConsentLayer::<Shop>::new();
            let layer = if with_callback {
                layer.on_removal(move |report| {
                    let names = report.removed().iter().filter_map(|removal| removal.name());
                    sink.lock().unwrap().extend(names.map(str::to_owned));
                })
            } else {
                layer
            };
            let mut service = layer.layer(Respond(sent.to_vec()));
            let response = respond(&mut service, Request::new(()));
            let kept: Vec<&str> = response
                .headers()
                .get_all(SET_COOKIE)
                .iter()
                .map(|value| value.to_str().unwrap().split('=').next().unwrap())
                .collect();
            assert_eq!(
                kept,
                ["_ga", "cookies_preferences", "_gid"],
                "{with_callback}"
            );
            let expected: &[&str] = if with_callback { &["_fbp"] } else { &[] };
            assert_eq!(*seen.lock().unwrap(), expected);
        }
    }

    /// `Sec-GPC: 1` refuses what the policy refuses under GPC where the
    /// policy has cookies of it (the shop's advertising ones), and is not
    /// looked up where it has none (the demo site: statistics only, GPC
    /// refusing advertising), where it could change nothing.
    #[test]
    fn gpc_is_read_where_it_can_change_a_verdict() {
        use crate::{Category, Consent, CookiePolicy};

        #[derive(crate::CookiePolicy)]
        #[cookie_policy(path = "../examples/axum-consent/policy.toml")]
        struct Site;

        fn kept<P: crate::CookiePolicy>(set_cookie: &str, gpc: bool) -> bool {
            let consent = Consent::all().to_cookie_value::<P>();
            let mut request =
                Request::builder().header("cookie", format!("cookies_preferences={consent}"));
            if gpc {
                request = request.header("sec-gpc", "1");
            }
            let request = request.body(()).unwrap();
            let mut service = ConsentLayer::<P>::new()
                .layer(Respond(vec![HeaderValue::from_str(set_cookie).unwrap()]));
            let response = respond(&mut service, request);
            response.headers().get(SET_COOKIE).is_some()
        }

        assert!(ConsentLayer::<Shop>::new().gpc_matters);
        assert!(
            Shop::lookup("_fbp").is_some_and(|cookie| cookie.category() == Category::Advertising)
        );
        assert!(kept::<Shop>("_fbp=1; Path=/", false));
        assert!(!kept::<Shop>("_fbp=1; Path=/", true));

        assert!(!ConsentLayer::<Site>::new().gpc_matters);
        assert!(
            !Site::COOKIES
                .iter()
                .any(|cookie| cookie.category() == Category::Advertising)
        );
        assert!(kept::<Site>("_pk_id.1.f00d=1; Path=/", false));
        assert!(kept::<Site>("_pk_id.1.f00d=1; Path=/", true));
    }

    /// The deletions worked out with a request's names are for its consent:
    /// a response judged with another (it records a new choice; a GPC
    /// signal that withdraws a category takes the same path) adds the
    /// deletions of that one, each request sent twice (read, then
    /// remembered). The oracle is `deletions` under the consent the
    /// response is judged with.
    #[test]
    fn deletions_follow_the_consent_the_response_is_judged_with() {
        use crate::enforce::deletions;
        use crate::{Category, Consent, CookiePolicy};

        let consent_cookie = Shop::CONSENT_COOKIE.map(|cookie| cookie.name()).unwrap();
        let statistics = Consent::necessary_only().grant(Category::Statistical);
        let functional = Consent::necessary_only().grant(Category::Functional);
        let cases = [
            // (the request's consent, the choice the response records, the
            // consent judged with, how many deletions it calls for)
            (
                statistics,
                Some(Consent::necessary_only()),
                Consent::necessary_only(),
                2,
            ),
            (Consent::necessary_only(), Some(statistics), statistics, 1),
            (functional, Some(statistics), statistics, 1),
            (statistics, None, statistics, 1),
            (
                Consent::necessary_only(),
                None,
                Consent::necessary_only(),
                2,
            ),
        ];
        for (request_consent, choice, judged, count) in cases {
            let header = format!(
                "_ga=1; theme=dark; {consent_cookie}={}",
                request_consent.to_cookie_value::<Shop>()
            );
            let set: Vec<HeaderValue> = choice
                .iter()
                .map(|choice| {
                    let value = choice.to_cookie_value::<Shop>();
                    HeaderValue::from_str(&format!("{consent_cookie}={value}; Path=/")).unwrap()
                })
                .collect();
            let mut service = ConsentLayer::<Shop>::new().layer(Respond(set.clone()));
            for _ in 0..2 {
                let request = Request::builder()
                    .header("cookie", &header)
                    .body(())
                    .unwrap();
                let expected: Vec<HeaderValue> = set
                    .iter()
                    .cloned()
                    .chain(deletions::<Shop>(request.headers(), judged))
                    .collect();
                assert_eq!(expected.len(), set.len() + count, "{expected:?}");
                let sent = set_cookies(&mut service, request);
                assert_eq!(sent, expected, "{request_consent:?} {choice:?}");
            }
        }
    }

    /// A request whose cookies come in several `Cookie` headers (HTTP/2
    /// and HTTP/3 clients may split them), which the layer reads each time
    /// rather than remembers, is judged as the same cookies in one header:
    /// its consent decides what is kept, and its refused cookies are
    /// deleted as `deletions` says, request after request.
    #[test]
    fn a_request_split_into_several_cookie_headers_is_read_as_one() {
        use crate::enforce::deletions;
        use crate::{Category, Consent, CookiePolicy};

        let consent_cookie = Shop::CONSENT_COOKIE.map(|cookie| cookie.name()).unwrap();
        let set = ["sessionid=1", "theme=light", "tracker=4"].map(HeaderValue::from_static);
        let mut service = ConsentLayer::<Shop>::new().layer(Respond(set.to_vec()));
        for consent in [
            Consent::necessary_only(),
            Consent::necessary_only().grant(Category::Functional),
        ] {
            let value = consent.to_cookie_value::<Shop>();
            let pieces = [
                "_ga=1; theme=dark".to_owned(),
                format!("{consent_cookie}={value}"),
            ];
            let split = || {
                let mut request = Request::builder();
                for piece in &pieces {
                    request = request.header("cookie", piece);
                }
                request.body(()).unwrap()
            };
            let joined = Request::builder()
                .header("cookie", pieces.join("; "))
                .body(())
                .unwrap();
            let kept = if consent.allows(Category::Functional) {
                2
            } else {
                1
            };
            let expected: Vec<HeaderValue> = set[..kept]
                .iter()
                .cloned()
                .chain(deletions::<Shop>(split().headers(), consent))
                .collect();
            // Not a comparison of nothing: a cookie kept or two, and the
            // refused ones deleted.
            assert_eq!(expected.len(), 3, "{expected:?}");
            for _ in 0..3 {
                for request in [split(), joined.clone()] {
                    let sent = set_cookies(&mut service, request);
                    assert_eq!(sent, expected, "{consent:?}");
                }
            }
        }
    }

    /// A request carrying thousands of cookies that may need consent (the
    /// names kept past the inline room, in the one buffer): the layer adds
    /// the deletions `deletions` computes from the whole header, which
    /// reads every pair, in order, and at most `MAX_DELETIONS` of them:
    /// the first 128 names, each once.
    #[test]
    fn thousands_of_cookies_to_delete_are_bounded_and_in_order() {
        use crate::Consent;
        use crate::enforce::{MAX_DELETIONS, deletions};

        let names: Vec<String> = (0..10_000).map(|i| format!("_ga_{}", i % 5_000)).collect();
        let header = names
            .iter()
            .map(|name| format!("{name}=x"))
            .collect::<Vec<_>>()
            .join("; ");
        let request = Request::builder()
            .header("cookie", &header)
            .body(())
            .unwrap();
        let expected = deletions::<Shop>(request.headers(), Consent::necessary_only());
        assert_eq!(expected.len(), MAX_DELETIONS);
        let mut service = ConsentLayer::<Shop>::new().layer(Respond(Vec::new()));
        let response = respond(&mut service, request);
        let added: Vec<&HeaderValue> = response.headers().get_all(SET_COOKIE).iter().collect();
        assert_eq!(added, expected.iter().collect::<Vec<_>>());
        for (deletion, name) in added.iter().zip(&names) {
            let deleted = deletion.to_str().unwrap().split('=').next().unwrap();
            assert_eq!(deleted, name);
        }
    }

    /// The deletions the layer adds are the ones `deletions` builds,
    /// request after request, under every consent, whether they were worked
    /// out with the request's names (a header naming a few cookies that may
    /// need consent, read once, then remembered: each is sent twice) or
    /// the names are read again from the header (one naming more than the
    /// layer holds, or a name longer than it holds): for declared names with
    /// their `Domain` and `Path`, `__Host-` and `__Secure-` ones, pattern
    /// ones and undeclared ones. They follow what the response keeps,
    /// whether it set nothing or the filter rebuilt its `Set-Cookie`s (one
    /// kept, one undeclared removed).
    #[test]
    fn deletions_are_the_ones_built() {
        use crate::enforce::deletions;
        use crate::{Category, Consent, CookiePolicy};

        let mut names: Vec<String> = Vec::new();
        // The consent cookie aside: the request sends it once, last.
        let consent_cookie = Shop::CONSENT_COOKIE.map(|cookie| cookie.name());
        for cookie in Shop::COOKIES {
            let name = cookie.name().trim_end_matches('*');
            if Some(name) == consent_cookie {
                continue;
            }
            names.push(name.to_owned());
            names.extend((0..3).map(|i| format!("{name}.{i}.f00d")));
            names.push(format!("__Host-{name}"));
            names.push(format!("__Secure-{name}"));
        }
        names.push(format!("_ga{}", "x".repeat(64)));
        let consents = [Consent::necessary_only()]
            .into_iter()
            .chain(Category::ALL.map(|category| Consent::necessary_only().grant(category)));
        let set = [
            HeaderValue::from_static("sessionid=1"),
            HeaderValue::from_static("tracker=1"),
        ];
        let layer = ConsentLayer::<Shop>::new();
        let mut services = [
            (layer.layer(Respond(Vec::new())), Vec::new()),
            (layer.layer(Respond(set.to_vec())), set[..1].to_vec()),
        ];
        let mut deleted = 0;
        let (mut few, mut many) = (0, 0);
        for round in 0..60 {
            let (service, kept) = &mut services[round % 2];
            for consent in consents.clone() {
                // A different part of the names each time, in a different
                // order: a few names, or half of them.
                let mut named: Vec<&String> = names.iter().skip(round).step_by(2).collect();
                let len = named.len();
                named.rotate_left(round * 7 % len);
                match round % 6 {
                    5 => many += 1,
                    count => {
                        named.truncate(count + 1);
                        few += 1;
                    }
                }
                let header = named
                    .iter()
                    .map(|name| format!("{name}=1"))
                    .chain([format!(
                        "cookies_preferences={}",
                        consent.to_cookie_value::<Shop>()
                    )])
                    .collect::<Vec<_>>()
                    .join("; ");
                let request = Request::builder()
                    .header("cookie", header)
                    .body(())
                    .unwrap();
                let added = deletions::<Shop>(request.headers(), consent);
                deleted += added.len();
                let expected: Vec<&HeaderValue> = kept.iter().chain(&added).collect();
                for _ in 0..2 {
                    let response = respond(service, request.clone());
                    let sent: Vec<&HeaderValue> =
                        response.headers().get_all(SET_COOKIE).iter().collect();
                    assert_eq!(sent, expected, "{consent:?}");
                }
            }
        }
        // The comparisons are of deletions, many of them, of both kinds.
        assert!(
            deleted > 300 && few >= 250 && many >= 50,
            "{deleted} {few} {many}"
        );
    }

    /// A `Cookie` header the layer remembers is read as a new one would
    /// be, against a client that chooses its headers: the responses of one
    /// layer, to each header many times in a changing order, are those of
    /// a layer that has seen nothing. Headers that differ only where the
    /// slot's hash does not look (same length, same start, middle and
    /// end) share a slot and replace each other in it; they name cookies
    /// to delete or not, and carry every consent.
    #[test]
    fn remembered_cookie_headers_are_read_as_new_ones() {
        use super::request_cache::sample;
        use crate::{Category, Consent};

        let consents: Vec<Consent> = [Consent::necessary_only(), Consent::all()]
            .into_iter()
            .chain(Category::ALL.map(|category| Consent::necessary_only().grant(category)))
            .collect();
        let pad = "p".repeat(200);
        let headers: Vec<Vec<String>> = consents
            .iter()
            .map(|consent| {
                // Declared names that need consent, or undeclared ones of
                // the same length, at the same place.
                [
                    ("_ga", "_fbp"),
                    ("_gz", "_fbp"),
                    ("_ga", "_fbq"),
                    ("_gz", "_fbq"),
                ]
                .map(|(first, second)| {
                    format!(
                        "sessionid=0123456789abcdef; {first}=1; {second}=2; pad={pad}; \
                             cookies_preferences={}; theme=dark-mode-everywhere",
                        consent.to_cookie_value::<Shop>()
                    )
                })
                .to_vec()
            })
            .collect();
        for colliding in &headers {
            for header in colliding {
                assert_eq!(header.len(), colliding[0].len());
                assert_eq!(sample(header.as_bytes()), sample(colliding[0].as_bytes()));
            }
        }
        let set = ["sessionid=1", "_ga=2", "_fbp=3", "tracker=4"].map(HeaderValue::from_static);
        let layer = ConsentLayer::<Shop>::new();
        let mut service = layer.layer(Respond(set.to_vec()));
        let request = |header: &str| {
            Request::builder()
                .header("cookie", header)
                .body(())
                .unwrap()
        };
        let all: Vec<&String> = headers.iter().flatten().collect();
        let mut deleted = 0;
        for round in 0..3 {
            let mut order = all.clone();
            order.rotate_left(round * 5);
            if round == 1 {
                order.reverse();
            }
            for header in order {
                let mut fresh = ConsentLayer::<Shop>::new().layer(Respond(set.to_vec()));
                let expected = set_cookies(&mut fresh, request(header));
                deleted += expected
                    .iter()
                    .filter(|value| {
                        value
                            .to_str()
                            .is_ok_and(|value| value.contains("Max-Age=0"))
                    })
                    .count();
                for _ in 0..2 {
                    let got = set_cookies(&mut service, request(header));
                    assert_eq!(got, expected, "{header}");
                }
                assert!(layer.shared.requests.holds(header.as_bytes()));
            }
        }
        // The comparison is not of nothing: cookies were kept, removed and
        // deleted, as the consents say.
        assert!(deleted > 0);
    }

    /// A `Domain` other than the declared one reaches the callback's
    /// report, and the log when a subscriber writes the layer's warnings
    /// (the only two places it is heard of, and so the only two cases in
    /// which it is looked for).
    #[test]
    fn a_domain_mismatch_reaches_the_callback_and_the_log() {
        use std::sync::{Arc, Mutex};

        use crate::Consent;

        /// A subscriber that keeps the messages of the events it sees.
        struct Messages(Arc<Mutex<Vec<String>>>);

        impl tracing::Subscriber for Messages {
            fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
                true
            }
            fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
                tracing::span::Id::from_u64(1)
            }
            fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
            fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
            fn event(&self, event: &tracing::Event<'_>) {
                struct Message<'m>(&'m mut String);
                impl tracing::field::Visit for Message<'_> {
                    fn record_debug(
                        &mut self,
                        field: &tracing::field::Field,
                        value: &dyn core::fmt::Debug,
                    ) {
                        if field.name() == "message" {
                            *self.0 = format!("{value:?}");
                        }
                    }
                }
                let mut message = String::new();
                event.record(&mut Message(&mut message));
                self.0.lock().unwrap().push(message);
            }
            fn enter(&self, _: &tracing::span::Id) {}
            fn exit(&self, _: &tracing::span::Id) {}
        }

        let request = || {
            let consent = Consent::all().to_cookie_value::<Shop>();
            Request::builder()
                .header("cookie", format!("cookies_preferences={consent}"))
                .body(())
                .unwrap()
        };
        let sent = || {
            Respond(vec![HeaderValue::from_static(
                "_ga=1; Domain=other.example",
            )])
        };
        let expected = "cookie `_ga` is set with `Domain=other.example`, but the policy declares `domain = \".shop.example\"`; set it as declared, or correct policy.toml, or deletions will miss it";

        let reports: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = Arc::clone(&reports);
        let mut service = ConsentLayer::<Shop>::new()
            .on_removal(move |report| {
                let mismatches = report.mismatches().iter().map(ToString::to_string);
                sink.lock().unwrap().extend(mismatches);
            })
            .layer(sent());
        let response = respond(&mut service, request());
        assert_eq!(response.headers().get_all(SET_COOKIE).iter().count(), 1);
        assert_eq!(*reports.lock().unwrap(), [expected]);

        let logged: Arc<Mutex<Vec<String>>> = Arc::default();
        let subscriber = Messages(Arc::clone(&logged));
        let mut service = ConsentLayer::<Shop>::new().layer(sent());
        let response =
            tracing::subscriber::with_default(subscriber, || respond(&mut service, request()));
        assert_eq!(response.headers().get_all(SET_COOKIE).iter().count(), 1);
        assert!(
            logged
                .lock()
                .unwrap()
                .iter()
                .any(|message| message == expected),
            "{:?}",
            logged.lock().unwrap()
        );
    }

    /// A name is warned about once a minute: the first time, not the next;
    /// another name, or another kind of warning, on its own.
    #[test]
    fn warnings_are_throttled_per_name() {
        let name = "throttle-test-cookie";
        assert!(first_this_minute(0, name));
        assert!(!first_this_minute(0, name));
        assert!(first_this_minute(1, name));
        assert!(first_this_minute(0, "throttle-test-other"));
    }
}
