//! `Set-Cookie` filtering and deletions on hostile and malformed headers: no
//! panic, and nothing undeclared or unconsented gets through.

use cookie_policy::enforce::{MAX_DELETIONS, RemovalReason, deletions, filter_set_cookies};
use cookie_policy::{Category, Consent, CookiePolicy};
use http::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
struct Shop;

fn response(set_cookies: &[&[u8]]) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", HeaderValue::from_static("text/html"));
    for value in set_cookies {
        headers.append(SET_COOKIE, HeaderValue::from_bytes(value).unwrap());
    }
    headers
}

fn kept(headers: &HeaderMap) -> Vec<&str> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect()
}

#[test]
fn keeps_allowed_cookies_in_order_and_other_headers() {
    let mut headers = response(&[
        b"sessionid=1; Path=/",
        b"_ga=GA1; Path=/",
        b"__Host-cart=3; Path=/; Secure",
        b"_fbp=fb.1; Path=/",
        b"_pk_id.1.ab=x; Path=/",
    ]);
    let report = filter_set_cookies::<Shop>(&mut headers, Consent::necessary_only());
    assert_eq!(
        kept(&headers),
        [
            "sessionid=1; Path=/",
            "__Host-cart=3; Path=/; Secure",
            "_pk_id.1.ab=x; Path=/"
        ]
    );
    assert_eq!(headers.get("content-type").unwrap(), "text/html");
    let removed: Vec<_> = report
        .removed()
        .iter()
        .map(|r| (r.name(), r.reason()))
        .collect();
    assert_eq!(
        removed,
        [
            (
                Some("_ga"),
                RemovalReason::NotConsented(Category::Statistical)
            ),
            (
                Some("_fbp"),
                RemovalReason::NotConsented(Category::Advertising)
            ),
        ]
    );
    assert_eq!(report.undeclared().count(), 0);
}

#[test]
fn malformed_set_cookies_are_removed_and_reported() {
    let mut headers = response(&[
        b"",
        b"no-equals-sign",
        b"=value-without-name",
        b"sessionid=\xff\xfe",
        b"  ; Path=/",
        b"sessionid=ok",
    ]);
    let report = filter_set_cookies::<Shop>(&mut headers, Consent::all());
    assert_eq!(kept(&headers), ["sessionid=ok"]);
    let removed: Vec<(Option<&str>, RemovalReason)> = report
        .removed()
        .iter()
        .map(|r| (r.name(), r.reason()))
        .collect();
    // RFC 6265bis 5.7: without `=`, or with nothing before it, the browser
    // stores a cookie with an empty name; with neither name nor value, or
    // with bytes that are not text, it stores nothing.
    assert_eq!(
        removed,
        [
            (None, RemovalReason::Unparsable),
            (Some(""), RemovalReason::Undeclared),
            (Some(""), RemovalReason::Undeclared),
            (None, RemovalReason::Unparsable),
            (None, RemovalReason::Unparsable),
        ]
    );
    assert_eq!(
        report.removed()[0].to_string(),
        "a Set-Cookie header that a browser would ignore, or that is not text, was removed"
    );
    assert_eq!(
        report.removed()[1].to_string(),
        "a Set-Cookie header without a cookie name sets a nameless cookie, which a policy cannot declare; give the cookie a name"
    );
}

#[test]
fn deletions_always_pass_even_of_undeclared_cookies() {
    let mut headers = response(&[
        b"tracker=; Max-Age=0",
        b"tracker=; Max-Age=-1",
        b"tracker=; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        b"tracker=x; Expires=Fri, 01 Jan 2100 00:00:00 GMT",
        b"tracker=x; Max-Age=60",
    ]);
    let report = filter_set_cookies::<Shop>(&mut headers, Consent::necessary_only());
    assert_eq!(kept(&headers).len(), 3);
    assert_eq!(report.undeclared().count(), 2);
    assert_eq!(
        report.removed()[0].to_string(),
        "cookie `tracker` is not declared in the cookie policy; declare it in policy.toml or stop setting it"
    );
}

#[test]
fn names_are_matched_exactly() {
    let mut headers = response(&[
        b"SESSIONID=1",
        b"sessionid =1",
        b" sessionid=1",
        b"session=1",
    ]);
    let report = filter_set_cookies::<Shop>(&mut headers, Consent::all());
    // The cookie crate trims whitespace around names, as browsers do.
    assert_eq!(kept(&headers), ["sessionid =1", " sessionid=1"]);
    assert_eq!(report.undeclared().count(), 2);
}

#[test]
fn thousands_of_huge_set_cookies() {
    let big = format!("_ga_X={}; Path=/", "v".repeat(64 * 1024));
    let declared = format!("sessionid={}", "v".repeat(64 * 1024));
    let mut values: Vec<Vec<u8>> = (0..5_000)
        .map(|i| format!("junk{i}=1").into_bytes())
        .collect();
    values.push(big.into_bytes());
    values.push(declared.clone().into_bytes());
    let refs: Vec<&[u8]> = values.iter().map(Vec::as_slice).collect();
    let mut headers = response(&refs);
    let report = filter_set_cookies::<Shop>(&mut headers, Consent::necessary_only());
    // Browsers ignore a cookie whose name and value exceed 4,096 bytes, so
    // even the declared one goes.
    assert!(kept(&headers).is_empty());
    assert_eq!(report.removed().len(), 5_002);
    assert_eq!(report.removed()[5_001].reason(), RemovalReason::Unparsable);
}

/// RFC 6265bis 5.7 step 7 (and Chromium): a cookie whose name and value
/// together pass 4,096 bytes is ignored, so a declared one that passes it
/// goes too; one at the limit stays, however the header around it is laid
/// out (blanks the browser trims, attributes after it).
#[test]
fn a_declared_cookie_stays_up_to_the_size_limit_and_goes_past_it() {
    const LIMIT: usize = 4096;
    let name = "sessionid";
    for (value_bytes, stays) in [(LIMIT - name.len(), true), (LIMIT - name.len() + 1, false)] {
        let value = "v".repeat(value_bytes);
        for (index, layout) in [
            format!("{name}={value}"),
            format!("{name} = {value} "),
            format!("{name}={value}; Path=/; HttpOnly"),
            format!("\t{name}={value}\t; Secure"),
        ]
        .iter()
        .enumerate()
        {
            let mut headers = response(&[layout.as_bytes()]);
            let report = filter_set_cookies::<Shop>(&mut headers, Consent::necessary_only());
            assert_eq!(
                kept(&headers).len(),
                usize::from(stays),
                "value of {value_bytes} bytes, layout {index}"
            );
            if !stays {
                assert_eq!(report.removed()[0].reason(), RemovalReason::Unparsable);
            }
        }
    }
}

#[test]
fn withdrawn_cookies_are_deleted_with_their_domain_and_path() {
    let mut request = HeaderMap::new();
    request.insert(
        COOKIE,
        HeaderValue::from_static(
            "sessionid=1; _ga=GA1; _ga_ABC=2; _ga=again; tracker=3; _pk_id.1.ab=4; theme=dark",
        ),
    );
    let deleted: Vec<String> = deletions::<Shop>(&request, Consent::necessary_only())
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        deleted,
        [
            "_ga=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=.shop.example",
            "_ga_ABC=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Domain=.shop.example",
            "theme=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/",
        ]
    );
    assert!(deletions::<Shop>(&request, Consent::all()).is_empty());
}

#[test]
fn malformed_and_huge_cookie_headers() {
    let mut request = HeaderMap::new();
    for value in [
        &b""[..],
        b";;;",
        b"no-equals",
        b"=",
        b"\xff\xfe=1",
        b"theme",
    ] {
        request.append(COOKIE, HeaderValue::from_bytes(value).unwrap());
    }
    // A pair without `=` names no cookie (browsers read `theme` as an empty
    // name with the value `theme`): nothing to delete.
    assert!(deletions::<Shop>(&request, Consent::necessary_only()).is_empty());
    request.append(COOKIE, HeaderValue::from_static(" theme = dark ;"));
    assert_eq!(
        deletions::<Shop>(&request, Consent::necessary_only()).len(),
        1
    );

    let many: String = (0..10_000).map(|i| format!("_ga_{i}=x; ")).collect();
    let mut request = HeaderMap::new();
    request.insert(COOKIE, HeaderValue::from_str(&many).unwrap());
    assert_eq!(
        deletions::<Shop>(&request, Consent::necessary_only()).len(),
        MAX_DELETIONS
    );
}

/// Found by fuzzing (`fuzz/fuzz_targets/headers.rs`): attribute names are
/// case-insensitive, so `max-age=0` deletes like `Max-Age=0`, and a deletion
/// of an undeclared cookie passes. (The fuzz target's own check was
/// case-sensitive; the filter was right.)
#[test]
fn lower_case_attributes_are_understood() {
    let mut headers = response(&[
        b"seosiinsd=abc; Path=/;max-Age=0",
        b"theme=dark; expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ]);
    let report = filter_set_cookies::<Shop>(&mut headers, Consent::necessary_only());
    assert_eq!(kept(&headers).len(), 2);
    assert!(report.is_empty());
}

/// A header that the RFC reads as a deletion but Chromium keeps (the last
/// `Expires` is no date, so Chromium stores a session cookie) is no
/// deletion: a cookie that needs consent does not slip through.
#[test]
fn a_deletion_must_delete_in_chromium_too() {
    let mut headers = response(&[
        b"_ga=GA1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Expires=junk",
        b"_fbp=fb; Max-Age=0; Max-Age=abc",
        b"_fbp=fb; Max-Age=0",
    ]);
    let report = filter_set_cookies::<Shop>(&mut headers, Consent::necessary_only());
    assert_eq!(kept(&headers), ["_fbp=fb; Max-Age=0"]);
    assert_eq!(report.removed().len(), 2);
}

/// A kept `Set-Cookie` whose Domain or Path is not the declared one is
/// reported, with a message that says what to do.
#[test]
fn domain_and_path_other_than_declared_are_reported() {
    let mut headers = response(&[
        b"_ga=GA1; Domain=.other.example; Max-Age=60",
        b"_ga=GA1; domain=SHOP.example; Max-Age=60",
        b"_ga=GA1; Max-Age=60",
    ]);
    let report = filter_set_cookies::<Shop>(&mut headers, Consent::all());
    assert_eq!(
        kept(&headers).len(),
        3,
        "mismatches are kept, only reported"
    );
    let messages: Vec<String> = report
        .mismatches()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        messages,
        [
            "cookie `_ga` is set with `Domain=other.example`, but the policy declares `domain = \".shop.example\"`; set it as declared, or correct policy.toml, or deletions will miss it",
            "cookie `_ga` is set with no Domain, but the policy declares `domain = \".shop.example\"`; set it as declared, or correct policy.toml, or deletions will miss it",
        ]
    );
    assert!(!report.is_empty());
}

/// A hostile or misconfigured server sends a `Date` far in the future.
/// Chromium deletes a cookie whose `Expires` is at or before that `Date`,
/// but the RFC compares `Expires` with the browser's clock: an `Expires`
/// between now and the `Date` is a deletion for Chromium and a stored
/// cookie for the RFC, so a refused cookie with it is removed. Only an
/// `Expires` that both readings put in the past passes as a deletion.
#[test]
fn a_far_future_date_header_lets_no_refused_cookie_through() {
    let mut headers = response(&[
        b"_ga=GA1; Expires=Fri, 01 Jan 2077 00:00:00 GMT",
        b"_fbp=fb; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    ]);
    headers.insert(
        http::header::DATE,
        HeaderValue::from_static("Fri, 01 Jan 2100 00:00:00 GMT"),
    );
    let report = filter_set_cookies::<Shop>(&mut headers, Consent::necessary_only());
    assert_eq!(
        kept(&headers),
        ["_fbp=fb; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]
    );
    let removed: Vec<_> = report.removed().iter().map(|r| r.name()).collect();
    assert_eq!(removed, [Some("_ga")]);
}

/// A cookie whose bytes are not UTF-8 (another application's, or one set
/// by a script) hides neither the consent cookie nor the cookies after it:
/// only that pair is skipped. Before, the whole `Cookie` header was, and
/// the visitor was treated as having consented to nothing.
#[test]
fn a_cookie_that_is_not_utf8_hides_neither_the_consent_nor_the_others() {
    let consent = Consent::necessary_only().grant(Category::Statistical);
    let consent_cookie = Shop::CONSENT_COOKIE.expect("the shop has a consent cookie");
    let header = [
        b"zz_note=caf\xe9; ".as_slice(),
        consent_cookie.name().as_bytes(),
        b"=",
        consent.to_cookie_value::<Shop>().as_bytes(),
        b"; _fbp=fb.1",
    ]
    .concat();
    let mut request = HeaderMap::new();
    request.insert(COOKIE, HeaderValue::from_bytes(&header).unwrap());
    let (read, problem) = cookie_policy::enforce::consent_from_request::<Shop>(&request);
    assert_eq!((read, problem), (consent, None));
    let pairs: Vec<(&str, &str)> =
        cookie_policy::enforce::request_cookies(request.get_all(COOKIE)).collect();
    assert_eq!(pairs.len(), 2, "{pairs:?}");
    assert_eq!(pairs[1], ("_fbp", "fb.1"));
    // `_fbp` is advertising, not consented to: deleted, as it would be
    // without the pair before it.
    let deleted = deletions::<Shop>(&request, consent);
    assert_eq!(deleted.len(), 1, "{deleted:?}");
    assert!(deleted[0].to_str().unwrap().starts_with("_fbp=;"));
}
