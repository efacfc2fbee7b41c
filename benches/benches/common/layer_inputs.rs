//! The layer benches' request and response: what a returning visitor's
//! browser sends, and what the handler sets.

use axum_consent::Site;
use cookie_policy::Consent;

/// The handler's four `Set-Cookie`s: a session, a CSRF token, a Matomo
/// visitor id and an undeclared Google Analytics cookie.
pub const SET_COOKIES: [&str; 4] = [
    "sessionid=s3ss10n; Path=/; HttpOnly; SameSite=Lax",
    "csrftoken=t0k3n; Path=/; SameSite=Lax",
    "_pk_id.1.f00d=visitor.1700000000; Path=/; Max-Age=34186698",
    "_ga=GA1.1.123.456; Path=/; Max-Age=63072000",
];

/// The six cookies a returning visitor sends, the banner's consent among
/// them: statistics accepted when `statistics`, else refused (the Matomo
/// cookie set before is still in the jar: the layer must delete it).
pub fn cookie_header(statistics: bool) -> String {
    let revision = Consent::banner_revision::<Site>();
    let categories = if statistics {
        r#""necessary","statistical""#
    } else {
        r#""necessary""#
    };
    let consent = format!(
        "{{\"categories\":[{categories}],\"revision\":{revision},\"data\":null,\"consentTimestamp\":\"2026-11-30T06:00:00.000Z\",\"consentId\":\"8c3a0e52-5f3b-4d3e-9a57-0a9d4a7f1b2c\",\"services\":{{\"necessary\":[],\"statistical\":[]}},\"languageCode\":\"en\",\"lastConsentTimestamp\":\"2026-11-30T06:00:00.000Z\",\"expirationTime\":1780000000000}}"
    );
    let encoded: String = consent
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!(
        "sessionid=s3ss10n; csrftoken=t0k3n; django_language=fr; _pk_id.1.f00d=visitor.1700000000; _ga=GA1.1.123.456; cookies_preferences={encoded}"
    )
}

/// What the visitor who refused sends once the layer's deletion has taken:
/// the five other cookies, statistics refused, no Matomo cookie left.
#[allow(dead_code, reason = "`layer.rs` reads it, `layer_parts.rs` does not")]
pub fn cookie_header_after_deletion() -> String {
    let header = cookie_header(false);
    let matomo = "_pk_id.1.f00d=visitor.1700000000; ";
    assert!(
        header.contains(matomo),
        "the refused visitor holds the Matomo cookie"
    );
    header.replace(matomo, "")
}
