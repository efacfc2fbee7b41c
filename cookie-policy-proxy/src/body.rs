//! The bodies the proxy streams: a request body with a size limit, and the
//! responses' bodies (the upstream's, one the proxy wrote, a rewritten
//! one).

use core::pin::Pin;
use core::task::{Context, Poll};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use http_body_util::Full;
use http_body_util::combinators::UnsyncBoxBody;
use hyper::body::Incoming;

/// The error a body stream ends with.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A request body grew past the limit.
#[derive(Debug, thiserror::Error)]
#[error("the request body is larger than the proxy's limit of {0} bytes")]
pub(crate) struct BodyTooLarge(pub(crate) u64);

pin_project_lite::pin_project! {
    /// A client's request body, streamed to the upstream, cut with
    /// [`BodyTooLarge`] once it passes `limit` bytes.
    pub struct RequestBody {
        #[pin]
        inner: Incoming,
        remaining: u64,
        limit: u64,
    }
}

impl RequestBody {
    pub(crate) fn new(inner: Incoming, limit: u64) -> RequestBody {
        RequestBody {
            inner,
            remaining: limit,
            limit,
        }
    }
}

impl Body for RequestBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.project();
        match this.inner.poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    let length = data.len() as u64;
                    if length > *this.remaining {
                        return Poll::Ready(Some(Err(Box::new(BodyTooLarge(*this.limit)))));
                    }
                    *this.remaining -= length;
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(error))) => Poll::Ready(Some(Err(Box::new(error)))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

pin_project_lite::pin_project! {
    /// A response's body: the upstream's, streamed as it comes (or
    /// rewritten as it streams, the banner injected), or one the proxy
    /// wrote (an error page, an asset).
    pub struct ProxyBody {
        #[pin]
        inner: Inner,
    }
}

pin_project_lite::pin_project! {
    #[project = InnerProjection]
    enum Inner {
        Upstream { #[pin] body: Incoming },
        Full { #[pin] body: Full<Bytes> },
        Rewritten { #[pin] body: UnsyncBoxBody<Bytes, BoxError> },
    }
}

impl ProxyBody {
    pub(crate) fn full(bytes: impl Into<Bytes>) -> ProxyBody {
        ProxyBody {
            inner: Inner::Full {
                body: Full::new(bytes.into()),
            },
        }
    }

    pub(crate) fn upstream(body: Incoming) -> ProxyBody {
        ProxyBody {
            inner: Inner::Upstream { body },
        }
    }

    pub(crate) fn rewritten(body: UnsyncBoxBody<Bytes, BoxError>) -> ProxyBody {
        ProxyBody {
            inner: Inner::Rewritten { body },
        }
    }
}

impl core::fmt::Debug for ProxyBody {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let kind = match self.inner {
            Inner::Upstream { .. } => "upstream",
            Inner::Full { .. } => "full",
            Inner::Rewritten { .. } => "rewritten",
        };
        f.debug_tuple("ProxyBody").field(&kind).finish()
    }
}

impl Body for ProxyBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        match self.project().inner.project() {
            InnerProjection::Upstream { body } => body
                .poll_frame(cx)
                .map(|frame| frame.map(|frame| frame.map_err(BoxError::from))),
            InnerProjection::Full { body } => body
                .poll_frame(cx)
                .map(|frame| frame.map(|frame| frame.map_err(BoxError::from))),
            InnerProjection::Rewritten { body } => body.poll_frame(cx),
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.inner {
            Inner::Upstream { body } => body.is_end_stream(),
            Inner::Full { body } => body.is_end_stream(),
            Inner::Rewritten { body } => body.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.inner {
            Inner::Upstream { body } => body.size_hint(),
            Inner::Full { body } => body.size_hint(),
            Inner::Rewritten { body } => body.size_hint(),
        }
    }
}
