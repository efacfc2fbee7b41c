//! Header rewriting between the client and the upstream: hop-by-hop
//! headers, `X-Forwarded-*`.

use http::HeaderMap;
use http::header::{
    CONNECTION, FORWARDED, HOST, HeaderName, HeaderValue, PROXY_AUTHENTICATE, PROXY_AUTHORIZATION,
    TE, TRAILER, TRANSFER_ENCODING, UPGRADE,
};

static X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
static X_FORWARDED_PROTO: HeaderName = HeaderName::from_static("x-forwarded-proto");
static X_FORWARDED_HOST: HeaderName = HeaderName::from_static("x-forwarded-host");
static KEEP_ALIVE: HeaderName = HeaderName::from_static("keep-alive");
static PROXY_CONNECTION: HeaderName = HeaderName::from_static("proxy-connection");

/// The headers that concern one connection only (RFC 9110 7.6.1, and the
/// older ones still seen): never forwarded.
fn hop_by_hop() -> [&'static HeaderName; 9] {
    [
        &CONNECTION,
        &KEEP_ALIVE,
        &PROXY_CONNECTION,
        &TE,
        &TRAILER,
        &TRANSFER_ENCODING,
        &UPGRADE,
        &PROXY_AUTHENTICATE,
        &PROXY_AUTHORIZATION,
    ]
}

/// Whether a `Connection` header lists `token` (case-insensitively).
fn connection_lists(headers: &HeaderMap, token: &str) -> bool {
    headers
        .get_all(CONNECTION)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|listed| listed.trim().eq_ignore_ascii_case(token))
}

/// The `Upgrade` a request or response asks for, when its `Connection`
/// lists `upgrade`: what a WebSocket handshake carries.
pub(crate) fn upgrade(headers: &HeaderMap) -> Option<HeaderValue> {
    let upgrade = headers.get(UPGRADE)?;
    connection_lists(headers, "upgrade").then(|| upgrade.clone())
}

/// Whether `name` is one of [`hop_by_hop`]'s: a comparison of the
/// standard names' tags, and of two short strings.
fn is_hop_by_hop(name: &HeaderName) -> bool {
    hop_by_hop().contains(&name)
}

/// Removes the hop-by-hop headers and every header the `Connection`
/// headers name; with `upgrade`, puts back `Connection: upgrade` and that
/// `Upgrade`, as a proxy passing the upgrade on must.
///
/// One pass over the names finds out whether there is anything to do:
/// most requests carry no hop-by-hop header, and their map is then not
/// searched once per hop-by-hop name.
pub(crate) fn strip_hop_by_hop(headers: &mut HeaderMap, upgrade: Option<HeaderValue>) {
    // Which of the hop-by-hop names are present, one bit each.
    let mut present = 0u16;
    for name in headers.keys() {
        if let Some(index) = hop_by_hop().iter().position(|hop| *hop == name) {
            present |= 1 << index;
        }
    }
    if upgrade.is_none() && present == 0 {
        return;
    }
    // `Connection` is the first of `hop_by_hop`.
    if present & 1 != 0 {
        // The names a `Connection` header lists beyond the hop-by-hop ones
        // (removed below anyway) and `close`: usually none, and then
        // nothing is allocated.
        let mut listed: Vec<HeaderName> = Vec::new();
        for token in headers
            .get_all(&CONNECTION)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
        {
            let token = token.trim();
            if token.is_empty() || token.eq_ignore_ascii_case("close") {
                continue;
            }
            match HeaderName::from_bytes(token.as_bytes()) {
                // `Connection: close, host` must not take the Host away.
                Ok(name) if name != HOST && !is_hop_by_hop(&name) => listed.push(name),
                _ => {}
            }
        }
        for name in listed {
            headers.remove(&name);
        }
    }
    for (index, name) in hop_by_hop().into_iter().enumerate() {
        if present & (1 << index) != 0 {
            headers.remove(name);
        }
    }
    if let Some(upgrade) = upgrade {
        headers.insert(CONNECTION, HeaderValue::from_static("upgrade"));
        headers.insert(UPGRADE, upgrade);
    }
}

/// Sets `X-Forwarded-For`, `-Proto` and `-Host` for a request from the
/// peer whose address is `peer` (as a header value).
///
/// From a trusted peer (a load balancer), its chain is kept and the peer
/// appended, and its `-Proto` and `-Host` are kept when present. From any
/// other peer, whatever it sent is replaced: `X-Forwarded-For: <peer>`,
/// `X-Forwarded-Proto: http` (the proxy listens on plain HTTP),
/// `X-Forwarded-Host: <Host>`; its `Forwarded` header is removed, since
/// nothing vouches for it either.
pub(crate) fn set_forwarded(headers: &mut HeaderMap, peer: Option<&HeaderValue>, trusted: bool) {
    let peer_text = peer.and_then(|peer| peer.to_str().ok()).unwrap_or_default();
    if trusted {
        let mut chain = String::new();
        for value in headers.get_all(&X_FORWARDED_FOR) {
            if let Ok(value) = value.to_str() {
                let value = value.trim();
                if !value.is_empty() {
                    chain.push_str(value);
                    chain.push_str(", ");
                }
            }
        }
        chain.push_str(peer_text);
        if let Ok(chain) = HeaderValue::try_from(chain) {
            headers.insert(X_FORWARDED_FOR.clone(), chain);
        }
    } else if let Some(peer) = peer {
        // A clone of a value made once per connection: a count bumped.
        headers.insert(X_FORWARDED_FOR.clone(), peer.clone());
    } else {
        headers.remove(&X_FORWARDED_FOR);
    }
    if !(trusted && headers.contains_key(&X_FORWARDED_PROTO)) {
        headers.insert(X_FORWARDED_PROTO.clone(), HeaderValue::from_static("http"));
    }
    if !(trusted && headers.contains_key(&X_FORWARDED_HOST)) {
        match headers.get(HOST).cloned() {
            Some(host) => {
                headers.insert(X_FORWARDED_HOST.clone(), host);
            }
            None => {
                headers.remove(&X_FORWARDED_HOST);
            }
        }
    }
    if !trusted {
        headers.remove(FORWARDED);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_listed_headers_go_and_host_stays() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("shop.test"));
        headers.insert(
            CONNECTION,
            HeaderValue::from_static("close, X-Secret , host"),
        );
        headers.insert("x-secret", HeaderValue::from_static("1"));
        headers.insert("keep-alive", HeaderValue::from_static("timeout=5"));
        headers.insert("x-kept", HeaderValue::from_static("1"));
        strip_hop_by_hop(&mut headers, None);
        let names: Vec<&str> = headers.keys().map(HeaderName::as_str).collect();
        assert_eq!(names, ["host", "x-kept"]);
    }

    #[test]
    fn every_hop_by_hop_header_goes_whichever_way_it_is_named() {
        // A naive oracle: the names RFC 9110 7.6.1 and the older practice
        // call hop-by-hop, plus whatever `Connection` lists.
        let hop = [
            "connection",
            "keep-alive",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "proxy-authenticate",
            "proxy-authorization",
        ];
        for value in [
            "keep-alive",
            "Keep-Alive, x-a",
            "close",
            "upgrade, X-A ,, te",
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(HOST, HeaderValue::from_static("shop.test"));
            headers.insert(CONNECTION, HeaderValue::from_static(value));
            for name in &hop[1..] {
                headers.insert(*name, HeaderValue::from_static("1"));
            }
            headers.insert("x-a", HeaderValue::from_static("1"));
            headers.insert("x-kept", HeaderValue::from_static("1"));
            strip_hop_by_hop(&mut headers, None);
            let lists_x_a = value.to_ascii_lowercase().contains("x-a");
            let expected: Vec<&str> = ["host", "x-a", "x-kept"]
                .into_iter()
                .filter(|name| *name != "x-a" || !lists_x_a)
                .collect();
            // Removal reorders a `HeaderMap`: compared as sets.
            let mut names: Vec<&str> = headers.keys().map(HeaderName::as_str).collect();
            names.sort_unstable();
            assert_eq!(names, expected, "Connection: {value}");
        }
        // Nothing hop-by-hop: the map is left as it was.
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("shop.test"));
        headers.append("set-cookie", HeaderValue::from_static("a=1"));
        headers.append("set-cookie", HeaderValue::from_static("b=2"));
        let before = headers.clone();
        strip_hop_by_hop(&mut headers, None);
        assert_eq!(headers, before);
        // An upgrade passed on is put back.
        strip_hop_by_hop(&mut headers, Some(HeaderValue::from_static("websocket")));
        assert_eq!(headers["connection"], "upgrade");
        assert_eq!(headers["upgrade"], "websocket");
    }

    #[test]
    fn an_untrusted_chain_is_replaced_and_a_trusted_one_extended() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("shop.test"));
        headers.insert("x-forwarded-for", HeaderValue::from_static("6.6.6.6"));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        let mut untrusted = headers.clone();
        let peer = HeaderValue::from_static("10.0.0.9");
        set_forwarded(&mut untrusted, Some(&peer), false);
        assert_eq!(untrusted["x-forwarded-for"], "10.0.0.9");
        assert_eq!(untrusted["x-forwarded-proto"], "http");
        assert_eq!(untrusted["x-forwarded-host"], "shop.test");
        set_forwarded(&mut headers, Some(&peer), true);
        assert_eq!(headers["x-forwarded-for"], "6.6.6.6, 10.0.0.9");
        assert_eq!(headers["x-forwarded-proto"], "https");
    }
}
