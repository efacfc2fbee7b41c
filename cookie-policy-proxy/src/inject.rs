//! `--inject-banner`: the banner's tags inserted into HTML responses as
//! they stream, by `lol_html`, through the response's content coding.
//!
//! A `gzip`, `deflate` or `br` response is decoded, rewritten and encoded
//! again with the same coding (at the encoder's fastest level), so the
//! client gets what it asked for and caches keyed on `Accept-Encoding`
//! stay right; any other coding (`zstd`, or several stacked) is passed
//! through untouched and uninjected, with a warning.

use std::io;
use std::sync::{Arc, Mutex};

use async_compression::Level;
use async_compression::tokio::bufread::{
    BrotliDecoder, BrotliEncoder, GzipDecoder, GzipEncoder, ZlibDecoder, ZlibEncoder,
};
use bytes::Bytes;
use futures_util::{StreamExt as _, TryStreamExt as _};
use http::HeaderMap;
use http::header::{CONTENT_ENCODING, CONTENT_TYPE, HeaderValue};
use http_body::Frame;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt as _, StreamBody};
use hyper::body::Incoming;
use lol_html::html_content::ContentType;
use lol_html::send::{HtmlRewriter, Settings};
use lol_html::{element, end};
use tokio::io::{AsyncRead, AsyncReadExt as _};
use tokio::sync::mpsc;
use tokio_util::io::{ReaderStream, StreamReader};

use crate::body::BoxError;

/// A content coding the proxy can decode and encode again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Coding {
    Identity,
    Gzip,
    Deflate,
    Brotli,
}

/// The response's coding, when the proxy can undo it; `None` for any
/// other (passed through uninjected).
pub(crate) fn coding(headers: &HeaderMap) -> Option<Coding> {
    let mut codings = headers.get_all(CONTENT_ENCODING).iter();
    let Some(first) = codings.next() else {
        return Some(Coding::Identity);
    };
    if codings.next().is_some() {
        return None;
    }
    let value = first.to_str().ok()?.trim();
    if value.eq_ignore_ascii_case("gzip") || value.eq_ignore_ascii_case("x-gzip") {
        Some(Coding::Gzip)
    } else if value.eq_ignore_ascii_case("deflate") {
        Some(Coding::Deflate)
    } else if value.eq_ignore_ascii_case("br") {
        Some(Coding::Brotli)
    } else if value.eq_ignore_ascii_case("identity") {
        Some(Coding::Identity)
    } else {
        None
    }
}

/// Whether the response is an HTML page.
pub(crate) fn is_html(headers: &HeaderMap) -> bool {
    cookie_policy_consent_log::endpoint::media_type_is(headers.get(CONTENT_TYPE), "text/html")
}

/// The tags that load the banner from the proxy's `prefix`.
pub(crate) fn banner_tags(prefix: &str) -> String {
    format!(
        "<link rel=\"stylesheet\" href=\"{prefix}cookieconsent.css\">\
         <script defer src=\"{prefix}cookieconsent.umd.js\"></script>\
         <script type=\"module\" src=\"{prefix}banner.js\"></script>"
    )
}

/// How many rewritten chunks may wait for the client: the stream's only
/// buffer, besides the coders' own.
const CHANNEL_CHUNKS: usize = 4;

/// How many bytes are read from the (decoded) body at a time.
const READ_CHUNK: usize = 16 * 1024;

/// `body`, decoded from `coding`, with `tags` at the start of `<head>`
/// (or of `<body>` for a page without one), encoded again.
pub(crate) fn inject(
    body: Incoming,
    coding: Coding,
    tags: Arc<str>,
) -> UnsyncBoxBody<Bytes, BoxError> {
    let input = StreamReader::new(body.into_data_stream().map_err(io::Error::other));
    let decoded: std::pin::Pin<Box<dyn AsyncRead + Send>> = match coding {
        Coding::Identity => Box::pin(input),
        Coding::Gzip => Box::pin(GzipDecoder::new(input)),
        Coding::Deflate => Box::pin(ZlibDecoder::new(input)),
        Coding::Brotli => Box::pin(BrotliDecoder::new(input)),
    };
    let (sender, receiver) = mpsc::channel::<io::Result<Bytes>>(CHANNEL_CHUNKS);
    tokio::spawn(rewrite(decoded, sender, tags));
    let rewritten = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    })
    .boxed();
    let encoded = match coding {
        Coding::Identity => rewritten,
        Coding::Gzip => ReaderStream::new(GzipEncoder::with_quality(
            StreamReader::new(rewritten),
            Level::Fastest,
        ))
        .boxed(),
        Coding::Deflate => ReaderStream::new(ZlibEncoder::with_quality(
            StreamReader::new(rewritten),
            Level::Fastest,
        ))
        .boxed(),
        Coding::Brotli => ReaderStream::new(BrotliEncoder::with_quality(
            StreamReader::new(rewritten),
            Level::Fastest,
        ))
        .boxed(),
    };
    UnsyncBoxBody::new(StreamBody::new(
        encoded.map(|item| item.map(Frame::data).map_err(BoxError::from)),
    ))
}

/// Reads the decoded page, rewrites it, sends the rewritten chunks.
async fn rewrite(
    mut decoded: std::pin::Pin<Box<dyn AsyncRead + Send>>,
    sender: mpsc::Sender<io::Result<Bytes>>,
    tags: Arc<str>,
) {
    let output = Arc::new(Mutex::new(Vec::<u8>::new()));
    let sink = {
        let output = Arc::clone(&output);
        move |chunk: &[u8]| {
            if let Ok(mut output) = output.lock() {
                output.extend_from_slice(chunk);
            }
        }
    };
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let (head_done, body_done, end_done) = (Arc::clone(&done), Arc::clone(&done), done);
    let (head_tags, body_tags, end_tags) = (Arc::clone(&tags), Arc::clone(&tags), tags);
    let settings = Settings::new_send()
        .append_element_content_handler(element!("head", move |head| {
            if !head_done.swap(true, std::sync::atomic::Ordering::Relaxed) {
                head.prepend(&head_tags, ContentType::Html);
            }
            Ok(())
        }))
        .append_element_content_handler(element!("body", move |body| {
            if !body_done.swap(true, std::sync::atomic::Ordering::Relaxed) {
                body.prepend(&body_tags, ContentType::Html);
            }
            Ok(())
        }))
        .append_document_content_handler(end!(move |end| {
            // A fragment with neither `<head>` nor `<body>` gets the tags at
            // its end: a browser still runs them.
            if !end_done.swap(true, std::sync::atomic::Ordering::Relaxed) {
                end.append(&end_tags, ContentType::Html);
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, sink);
    let mut buffer = vec![0; READ_CHUNK];
    let take = |output: &Mutex<Vec<u8>>| {
        output
            .lock()
            .map(|mut output| Bytes::from(std::mem::take(&mut *output)))
            .unwrap_or_default()
    };
    loop {
        let read = match decoded.read(&mut buffer).await {
            Ok(read) => read,
            Err(error) => {
                tracing::warn!(%error, "the upstream's HTML could not be read or decoded; the response is cut");
                let _ = sender.send(Err(error)).await;
                return;
            }
        };
        if read == 0 {
            break;
        }
        if let Err(error) = rewriter.write(buffer.get(..read).unwrap_or_default()) {
            tracing::warn!(%error, "the upstream's HTML could not be rewritten; the response is cut");
            let _ = sender.send(Err(io::Error::other(error.to_string()))).await;
            return;
        }
        let chunk = take(&output);
        if !chunk.is_empty() && sender.send(Ok(chunk)).await.is_err() {
            // The client went away.
            return;
        }
    }
    if let Err(error) = rewriter.end() {
        tracing::warn!(%error, "the upstream's HTML could not be rewritten; the response is cut");
        let _ = sender.send(Err(io::Error::other(error.to_string()))).await;
        return;
    }
    let chunk = take(&output);
    if !chunk.is_empty() {
        let _ = sender.send(Ok(chunk)).await;
    }
}

/// A strong `ETag` made weak: the rewritten bytes differ from the
/// upstream's, though the page means the same.
pub(crate) fn weaken_etag(headers: &mut HeaderMap) {
    if let Some(etag) = headers.get(http::header::ETAG)
        && !etag.as_bytes().starts_with(b"W/")
    {
        let mut weak = b"W/".to_vec();
        weak.extend_from_slice(etag.as_bytes());
        if let Ok(weak) = HeaderValue::from_bytes(&weak) {
            headers.insert(http::header::ETAG, weak);
        }
    }
}
