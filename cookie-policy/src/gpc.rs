//! Global Privacy Control on the server (feature `http`): the `Sec-GPC`
//! request header read as the W3C GPC draft says ([`gpc_requested`]), and
//! (feature `tower`) [`GpcLayer`], which answers
//! `GET /.well-known/gpc.json` with [`PolicyData::gpc_json`](crate::PolicyData::gpc_json).
//!
//! What the signal does to a visitor's consent is
//! [`Consent::honouring_gpc`](crate::Consent::honouring_gpc): the
//! categories the policy refuses under GPC are refused until the visitor
//! explicitly grants them afterwards. [`ConsentLayer`](crate::layer::ConsentLayer)
//! applies it to every request that carries the signal. `docs/consent.md`
//! has the design and its threat model.

use http::HeaderMap;
use http::header::HeaderName;

/// `Sec-GPC`, the request header of Global Privacy Control.
pub const SEC_GPC: HeaderName = HeaderName::from_static("sec-gpc");

/// Where a site publishes its GPC support resource (RFC 8615).
pub const WELL_KNOWN_PATH: &str = "/.well-known/gpc.json";

/// The media type the GPC draft requires for the support resource.
pub const MEDIA_TYPE: &str = "application/json";

/// Whether a request carries a Global Privacy Control signal, as the W3C
/// GPC draft ("The Sec-GPC Header Field for HTTP Requests") says a server
/// must read it: a `Sec-GPC` field whose value is exactly `1`; with several
/// `Sec-GPC` fields, the signal is on when at least one is exactly `1`; any
/// other value is ignored, as if the field were absent.
///
/// ```
/// use cookie_policy::gpc::gpc_requested;
/// use http::{HeaderMap, HeaderValue};
///
/// let mut headers = HeaderMap::new();
/// assert!(!gpc_requested(&headers));
/// headers.insert("sec-gpc", HeaderValue::from_static("1"));
/// assert!(gpc_requested(&headers));
/// headers.insert("sec-gpc", HeaderValue::from_static("true"));
/// assert!(!gpc_requested(&headers));
/// ```
pub fn gpc_requested(headers: &HeaderMap) -> bool {
    headers
        .get_all(SEC_GPC)
        .iter()
        .any(|value| value.as_bytes() == b"1")
}

#[cfg(feature = "tower")]
pub use service::{GpcFuture, GpcLayer, GpcService};

#[cfg(feature = "tower")]
mod service {
    use core::future::Future;
    use core::pin::Pin;
    use core::task::{Context, Poll};
    use std::sync::Arc;

    use http::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
    use http::{Method, Request, Response, StatusCode};
    use tower_layer::Layer;
    use tower_service::Service;

    use super::{MEDIA_TYPE, WELL_KNOWN_PATH};
    use crate::PolicyData;

    /// A tower layer that answers `GET` and `HEAD /.well-known/gpc.json`
    /// with the policy's [GPC support resource](PolicyData::gpc_json)
    /// (`Content-Type: application/json`) and passes every other request
    /// to the service it wraps. Another method on that path gets 405.
    ///
    /// Stack it with [`ConsentLayer`](crate::layer::ConsentLayer); its
    /// answers set no cookie. The wrapped service's body type must be
    /// buildable from a `String` (axum's `Body`, `String`, `Full<Bytes>`).
    ///
    /// ```
    /// use cookie_policy::gpc::GpcLayer;
    /// use cookie_policy::layer::ConsentLayer;
    /// use cookie_policy::{Platform, PolicyData};
    ///
    /// let gpc = GpcLayer::new(PolicyData::of::<Platform>());
    /// let consent = ConsentLayer::<Platform>::new();
    /// // With axum: `Router::new().route(...).layer(consent).layer(gpc)`.
    /// # let _ = (gpc, consent);
    /// ```
    #[derive(Clone, Debug)]
    pub struct GpcLayer {
        // Written once; every service the layer makes shares it.
        json: Arc<str>,
    }

    impl GpcLayer {
        /// The layer serving `policy`'s support resource.
        pub fn new(policy: PolicyData) -> GpcLayer {
            GpcLayer {
                json: Arc::from(policy.gpc_json()),
            }
        }
    }

    impl<S> Layer<S> for GpcLayer {
        type Service = GpcService<S>;

        fn layer(&self, inner: S) -> GpcService<S> {
            GpcService {
                inner,
                json: Arc::clone(&self.json),
            }
        }
    }

    /// The service [`GpcLayer`] makes.
    #[derive(Clone, Debug)]
    pub struct GpcService<S> {
        inner: S,
        json: Arc<str>,
    }

    impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for GpcService<S>
    where
        S: Service<Request<ReqBody>, Response = Response<ResBody>>,
        ResBody: From<String>,
    {
        type Response = Response<ResBody>;
        type Error = S::Error;
        type Future = GpcFuture<S::Future, ResBody>;

        fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
            self.inner.poll_ready(cx)
        }

        fn call(&mut self, request: Request<ReqBody>) -> Self::Future {
            if request.uri().path() != WELL_KNOWN_PATH {
                return GpcFuture {
                    inner: Some(self.inner.call(request)),
                    answer: None,
                };
            }
            let method = request.method();
            let (status, body) = if method == Method::GET {
                (StatusCode::OK, String::from(&*self.json))
            } else if method == Method::HEAD {
                (StatusCode::OK, String::new())
            } else {
                (StatusCode::METHOD_NOT_ALLOWED, String::new())
            };
            let mut response = Response::new(ResBody::from(body));
            *response.status_mut() = status;
            let headers = response.headers_mut();
            if status == StatusCode::OK {
                headers.insert(CONTENT_TYPE, HeaderValue::from_static(MEDIA_TYPE));
                headers.insert(CACHE_CONTROL, HeaderValue::from_static("max-age=86400"));
            } else {
                headers.insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
            }
            GpcFuture {
                inner: None,
                answer: Some(response),
            }
        }
    }

    pin_project_lite::pin_project! {
        /// The future of [`GpcService`]'s responses: the wrapped service's,
        /// or the support resource.
        pub struct GpcFuture<F, B> {
            #[pin]
            inner: Option<F>,
            answer: Option<Response<B>>,
        }
    }

    impl<F, B, E> Future for GpcFuture<F, B>
    where
        F: Future<Output = Result<Response<B>, E>>,
    {
        type Output = Result<Response<B>, E>;

        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
            let this = self.project();
            if let Some(answer) = this.answer.take() {
                return Poll::Ready(Ok(answer));
            }
            match this.inner.as_pin_mut() {
                Some(inner) => inner.poll(cx),
                // Polled again after it answered: it never does, as a
                // future is not polled after `Ready`; pending is harmless.
                None => Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use http::{HeaderMap, HeaderValue};

    use super::{SEC_GPC, gpc_requested};

    fn headers(values: &[&[u8]]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(SEC_GPC, HeaderValue::from_bytes(value).unwrap());
        }
        headers
    }

    /// The draft's example request (`Sec-GPC: 1`) and its rules: exactly
    /// the character "1"; with several fields, any one exactly "1".
    #[test]
    fn the_header_as_the_draft_reads_it() {
        assert!(gpc_requested(&headers(&[b"1"])));
        assert!(gpc_requested(&headers(&[b"0", b"1"])));
        assert!(gpc_requested(&headers(&[b"foo", b"1", b"bar"])));
        assert!(!gpc_requested(&headers(&[])));
        for value in [
            &b"0"[..],
            b"",
            b"true",
            b"01",
            b"1.0",
            b"1,1",
            b"\xb9",
            b"one",
        ] {
            assert!(!gpc_requested(&headers(&[value])), "{value:?}");
        }
        assert!(!gpc_requested(&headers(&[b"0", b"2"])));
        // Another header's `1` is not the signal.
        let mut other = HeaderMap::new();
        other.insert("sec-gpcx", HeaderValue::from_static("1"));
        other.insert("dnt", HeaderValue::from_static("1"));
        assert!(!gpc_requested(&other));
    }
}
