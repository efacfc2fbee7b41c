//! The seen cookies judged against the policy. Each rule is in
//! `docs/audit.md`; each finding names its passes, a page and a source.

use std::sync::OnceLock;

use cookie_policy::{Cookie, Lifetime, Party, PolicyData};
use serde::Serialize;

use super::observe::{Observations, Seen, Source};

/// What is wrong, or worth knowing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Kind {
    /// A cookie the policy does not declare.
    Undeclared,
    /// A cookie whose category the pass did not consent to.
    WithoutConsent,
    /// Needs consent and still in the jar after the visitor withdrew it.
    KeptAfterWithdrawal,
    /// Kept longer than the declared lifetime.
    LifetimeExceeded,
    /// Set in the `gpc` pass for a category the policy refuses under
    /// Global Privacy Control.
    SetDespiteGpc,
    /// A page with a `dataLayer` and no Consent Mode `default`.
    ConsentDefaultMissing,
    /// A Consent Mode `default` after the first tag (`config`, `event`,
    /// `gtm.js`).
    ConsentDefaultLate,
    /// A Consent Mode `update` that contradicts the pass's choice.
    ConsentUpdateContradicts,
    /// A `_ga*` cookie while Consent Mode's `analytics_storage` is denied.
    AnalyticsCookieWhileDenied,
    /// Set on another domain than the declared one.
    DomainMismatch,
    /// Set by a third party when declared first-party, or the reverse.
    PartyMismatch,
    /// A page whose navigation ended on another origin: not crawled.
    LeftOrigin,
    /// Declared, seen in no pass: for information.
    NeverSeen,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 13] = [
        Kind::Undeclared,
        Kind::WithoutConsent,
        Kind::KeptAfterWithdrawal,
        Kind::LifetimeExceeded,
        Kind::SetDespiteGpc,
        Kind::ConsentDefaultMissing,
        Kind::ConsentDefaultLate,
        Kind::ConsentUpdateContradicts,
        Kind::AnalyticsCookieWhileDenied,
        Kind::DomainMismatch,
        Kind::PartyMismatch,
        Kind::LeftOrigin,
        Kind::NeverSeen,
    ];

    /// Whether the finding makes the audit fail (exit 1).
    pub fn fails(self) -> bool {
        matches!(
            self,
            Kind::Undeclared
                | Kind::WithoutConsent
                | Kind::KeptAfterWithdrawal
                | Kind::LifetimeExceeded
                | Kind::SetDespiteGpc
                | Kind::ConsentDefaultLate
                | Kind::ConsentUpdateContradicts
                | Kind::AnalyticsCookieWhileDenied
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Undeclared => "undeclared",
            Kind::WithoutConsent => "without_consent",
            Kind::KeptAfterWithdrawal => "kept_after_withdrawal",
            Kind::LifetimeExceeded => "lifetime_exceeded",
            Kind::SetDespiteGpc => "set_despite_gpc",
            Kind::ConsentDefaultMissing => "consent_default_missing",
            Kind::ConsentDefaultLate => "consent_default_late",
            Kind::ConsentUpdateContradicts => "consent_update_contradicts",
            Kind::AnalyticsCookieWhileDenied => "analytics_cookie_while_denied",
            Kind::DomainMismatch => "domain_mismatch",
            Kind::PartyMismatch => "party_mismatch",
            Kind::LeftOrigin => "left_origin",
            Kind::NeverSeen => "never_seen",
        }
    }
}

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Finding {
    pub kind: Kind,
    /// The cookie's name as seen (as declared, for `never_seen`).
    pub name: String,
    /// The passes it was seen in, in pass order.
    pub passes: Vec<String>,
    /// The first page it was seen on (empty for `never_seen`).
    pub page: String,
    /// What set it, the first time: a response, a script, or the jar.
    pub source: String,
    /// What is wrong and what to do, in a sentence.
    pub message: String,
    /// For an undeclared cookie the Open Cookie Database knows: a
    /// `[[cookie]]` block to paste into policy.toml.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declaration: Option<String>,
}

/// The slack on a declared lifetime: one day, or 1 % of it if more, for
/// the time between the response and the reading, and rounding.
fn tolerance(declared: u64) -> u64 {
    (declared / 100).max(DAY.as_secs())
}

/// A day of a cookie's life: `Max-Age` counts seconds, not calendar days.
const DAY: core::time::Duration = jiff::SignedDuration::from_hours(24).unsigned_abs();

/// Whether a cookie of `domain` belongs to the site at `site`: one
/// domain-matches the other (RFC 6265bis 5.1.3), so `www.shop.test` and
/// `shop.test` are one party and `ads.tracker.test` another. Without the
/// Public Suffix List: see docs/audit.md.
pub(crate) fn same_party(site: &str, domain: &str) -> bool {
    let (site, domain) = (site.to_ascii_lowercase(), domain.to_ascii_lowercase());
    let within = |longer: &str, shorter: &str| {
        longer == shorter
            || longer
                .strip_suffix(shorter)
                .is_some_and(|head| head.ends_with('.'))
    };
    within(&site, &domain) || within(&domain, &site)
}

/// The findings, sorted by kind, then name.
pub(crate) fn judge(policy: &PolicyData, observed: &Observations) -> Vec<Finding> {
    let mut findings: Vec<Finding> = Vec::new();
    let mut add = |kind: Kind, seen: &Seen, message: String, declaration: Option<String>| {
        let pass = observed
            .passes
            .get(seen.pass)
            .map_or_else(String::new, |pass| pass.name.clone());
        match findings
            .iter_mut()
            .find(|finding| finding.kind == kind && finding.name == seen.name)
        {
            Some(finding) => {
                if !finding.passes.contains(&pass) {
                    finding.passes.push(pass);
                }
            }
            None => findings.push(Finding {
                kind,
                name: seen.name.clone(),
                passes: vec![pass],
                page: seen.page.clone(),
                source: seen.source.to_string(),
                message,
                declaration,
            }),
        }
    };
    for seen in &observed.cookies {
        let Some(declared) = policy.lookup(&seen.name) else {
            let (message, declaration) = undeclared(policy, &seen.name);
            add(Kind::Undeclared, seen, message, declaration);
            continue;
        };
        let pass = observed.passes.get(seen.pass);
        let consent = pass.map(super::Pass::consent).unwrap_or_default();
        if pass.is_some_and(|pass| pass.withdraw)
            && seen.source == Source::Jar
            && declared.requires_consent()
        {
            let message = kept_after_withdrawal(declared, seen, &observed.site);
            add(Kind::KeptAfterWithdrawal, seen, message, None);
        }
        if declared.requires_consent() && !consent.allows(declared.category()) {
            add(
                Kind::WithoutConsent,
                seen,
                format!(
                    "`{}` is {} and needs consent, which this pass did not give; set it only after the visitor accepts {} cookies",
                    seen.name,
                    declared.category(),
                    declared.category()
                ),
                None,
            );
        }
        if pass.is_some_and(|pass| pass.gpc) && policy.gpc_refuses(declared.category()) {
            add(
                Kind::SetDespiteGpc,
                seen,
                format!(
                    "`{}` is {}, which the policy refuses under Global Privacy Control, and was set while the browser sent `Sec-GPC: 1` with no consent given; treat the signal as a refusal of {} cookies until the visitor grants them",
                    seen.name,
                    declared.category(),
                    declared.category()
                ),
                None,
            );
        }
        if let Some(message) = lifetime_exceeded(declared, seen) {
            add(Kind::LifetimeExceeded, seen, message, None);
        }
        if let Some(message) = domain_mismatch(declared, seen) {
            add(Kind::DomainMismatch, seen, message, None);
        }
        let seen_party = if same_party(&observed.site, seen.cookie_domain()) {
            Party::First
        } else {
            Party::Third
        };
        if seen_party != declared.party() {
            add(
                Kind::PartyMismatch,
                seen,
                format!(
                    "`{}` is declared {}-party but was set on `{}`, a {}-party domain for `{}`; correct `party` in policy.toml, or set it from where it is declared",
                    seen.name,
                    party(declared.party()),
                    seen.cookie_domain(),
                    party(seen_party),
                    observed.site,
                ),
                None,
            );
        }
    }
    for left in &observed.left_origin {
        let pass = observed
            .passes
            .get(left.pass)
            .map_or_else(String::new, |pass| pass.name.clone());
        match findings
            .iter_mut()
            .find(|finding| finding.kind == Kind::LeftOrigin && finding.name == left.landed)
        {
            Some(finding) => {
                if !finding.passes.contains(&pass) {
                    finding.passes.push(pass);
                }
            }
            None => findings.push(Finding {
                kind: Kind::LeftOrigin,
                name: left.landed.clone(),
                passes: vec![pass],
                page: left.page.clone(),
                source: format!("navigation to {}", left.landed),
                message: format!(
                    "{} led the browser to {}, another origin: the audit did not crawl it; audit it with its own URL if it belongs to the site",
                    left.page, left.landed
                ),
                declaration: None,
            }),
        }
    }
    for read in &observed.data_layers {
        let pass = observed
            .passes
            .get(read.pass)
            .map_or_else(String::new, |pass| pass.name.clone());
        for found in super::tags::judge(policy, read, &pass) {
            match findings
                .iter_mut()
                .find(|finding| finding.kind == found.kind && finding.name == found.name)
            {
                Some(finding) => {
                    if !finding.passes.contains(&pass) {
                        finding.passes.push(pass.clone());
                    }
                }
                None => findings.push(Finding {
                    kind: found.kind,
                    name: found.name,
                    passes: vec![pass.clone()],
                    page: read.page.clone(),
                    source: "window.dataLayer".to_owned(),
                    message: found.message,
                    declaration: None,
                }),
            }
        }
    }
    for cookie in policy.cookies() {
        if !observed
            .cookies
            .iter()
            .any(|seen| cookie.matches(&seen.name))
        {
            findings.push(Finding {
                kind: Kind::NeverSeen,
                name: cookie.name().to_owned(),
                passes: Vec::new(),
                page: String::new(),
                source: String::new(),
                message: format!(
                    "`{}` is declared but was seen in no pass: the crawl may not reach the page that sets it, or the policy declares a cookie the site no longer sets",
                    cookie.name()
                ),
                declaration: None,
            });
        }
    }
    findings.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    findings
}

fn party(party: Party) -> &'static str {
    match party {
        Party::First => "first",
        Party::Third => "third",
    }
}

/// The message of a cookie the jar kept after the withdrawal: the
/// `Set-Cookie` that expires it, with the Domain and Path it has.
fn kept_after_withdrawal(declared: &Cookie, seen: &Seen, site: &str) -> String {
    let path = seen.path.as_deref().unwrap_or("/");
    let domain = seen
        .domain
        .as_deref()
        .map(|domain| format!("; Domain={domain}"))
        .unwrap_or_default();
    let mut message = format!(
        "`{}` is {} and was still in the browser after the visitor withdrew consent (on `{}`, path `{path}`); ",
        seen.name,
        declared.category(),
        seen.cookie_domain(),
    );
    if !same_party(site, seen.cookie_domain()) {
        message.push_str(&format!(
            "it belongs to another party's domain, which the site's server cannot expire: have that party expire it when consent is withdrawn (`Set-Cookie: {}=; Max-Age=0{domain}; Path={path}`)",
            seen.name
        ));
        return message;
    }
    message.push_str(&format!(
        "expire it from the server when consent is withdrawn, with the Domain and Path it was set with: `Set-Cookie: {}=; Max-Age=0{domain}; Path={path}`; cookie_policy's ConsentLayer sends this for the Domain and Path policy.toml declares",
        seen.name
    ));
    let declared_path = declared.path().unwrap_or("/");
    let declared_domain = declared
        .domain()
        .map(|domain| domain.trim_start_matches('.').to_ascii_lowercase());
    if declared_path != path || declared_domain != seen.domain {
        message.push_str(&format!(
            ", but it declares path `{declared_path}` and {}: declare the path and domain the cookie is set with",
            declared_domain.map_or_else(|| "no domain".to_owned(), |d| format!("domain `{d}`"))
        ));
    }
    message
}

fn lifetime_exceeded(declared: &Cookie, seen: &Seen) -> Option<String> {
    let limit = declared.lifetime()?;
    let kept = seen.lifetime?;
    let exceeded = match limit {
        Lifetime::Session => true,
        Lifetime::Fixed { .. } => {
            let seconds = limit.seconds().unwrap_or(u64::MAX);
            kept.as_secs() > seconds.saturating_add(tolerance(seconds))
        }
    };
    exceeded.then(|| {
        format!(
            "`{}` is kept for {} but declared for {limit}; shorten its Max-Age or Expires, or declare the lifetime it has",
            seen.name,
            in_days(kept.as_secs()),
        )
    })
}

fn in_days(seconds: u64) -> String {
    let days = i64::try_from(seconds)
        .ok()
        .and_then(|seconds| jiff::Span::new().try_seconds(seconds).ok())
        .and_then(|span| {
            span.total(jiff::SpanTotal::from(jiff::Unit::Day).days_are_24_hours())
                .ok()
        });
    match days {
        Some(days) if days >= 2.0 => format!("{} days", days.floor()),
        _ => format!("{seconds} seconds"),
    }
}

fn domain_mismatch(declared: &Cookie, seen: &Seen) -> Option<String> {
    let expected = declared
        .domain()
        .map(|domain| domain.trim_start_matches('.').to_ascii_lowercase());
    let matches = match (&expected, &seen.domain) {
        (Some(expected), Some(domain)) => expected == domain,
        (Some(_), None) => false,
        // A cookie declared without a domain is host-only on the site;
        // a third party's may carry its own domain.
        (None, Some(_)) => declared.party() == Party::Third,
        (None, None) => true,
    };
    (!matches).then(|| {
        let sent = seen
            .domain
            .as_deref()
            .map_or_else(|| format!("host-only on `{}`", seen.host), |d| format!("`Domain={d}`"));
        let wanted = declared
            .domain()
            .map_or_else(|| "no domain (host-only)".to_owned(), |d| format!("`domain = \"{d}\"`"));
        format!(
            "`{}` is set with {sent}, but the policy declares {wanted}; set it as declared or correct policy.toml",
            seen.name
        )
    })
}

/// The Open Cookie Database, shipped as a policy file, loaded once.
fn open_cookie_database() -> Option<&'static PolicyData> {
    static DATABASE: OnceLock<Option<PolicyData>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let text = include_str!("../../data/open-cookie-database.toml");
            PolicyData::from_toml("open-cookie-database.toml", text).ok()
        })
        .as_ref()
}

/// The message of an undeclared cookie, and a declaration to paste when
/// the Open Cookie Database knows it.
fn undeclared(policy: &PolicyData, name: &str) -> (String, Option<String>) {
    let known = open_cookie_database().and_then(|database| database.lookup(name));
    let message = match known {
        Some(cookie) => format!(
            "`{name}` is not declared in the policy; the Open Cookie Database knows it as {}'s \"{}\" ({}): declare it (below) or stop setting it",
            cookie.provider().name(),
            cookie.function(),
            cookie.category()
        ),
        None => format!(
            "`{name}` is not declared in the policy; declare it in policy.toml or stop setting it"
        ),
    };
    (
        message,
        known.map(|cookie| declaration(policy, name, cookie)),
    )
}

/// A `[[cookie]]` block for policy.toml (and its `[[provider]]` when the
/// policy lacks it), from the database's entry: texts in every language of
/// the policy (the database's English, to translate), TOML strings written
/// as JSON strings, which TOML basic strings accept.
fn declaration(policy: &PolicyData, name: &str, cookie: &Cookie) -> String {
    let quote = |text: &str| serde_json::to_string(text).unwrap_or_default();
    let languages = policy.site().languages();
    let text = |value: &str| {
        if languages.len() > 1 {
            let entries: Vec<String> = languages
                .iter()
                .map(|language| format!("{language} = {}", quote(value)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        } else {
            quote(value)
        }
    };
    let mut block = String::new();
    let provider = cookie.provider();
    if !policy.providers().iter().any(|p| p.id() == provider.id()) {
        block.push_str(&format!(
            "[[provider]]\nid = {}\nname = {}\n",
            quote(provider.id()),
            quote(provider.name())
        ));
        if let Some(url) = provider.url() {
            block.push_str(&format!("url = {}\n", quote(url)));
        }
        block.push('\n');
    }
    if languages.len() > 1 {
        block.push_str("# The Open Cookie Database's English: translate the texts.\n");
    }
    // A pattern of the database names the cookie seen, exactly.
    let declared_name = if cookie.is_pattern() {
        cookie.name()
    } else {
        name
    };
    block.push_str(&format!(
        "[[cookie]]\nname = {}\nprovider = {}\nfunction = {}\npurpose = {}\ncategory = \"{}\"\n",
        quote(declared_name),
        quote(provider.id()),
        text(cookie.function()),
        text(cookie.purpose()),
        cookie.category(),
    ));
    if let Some(lifetime) = cookie.lifetime() {
        block.push_str(&format!("lifetime = \"{lifetime}\"\n"));
    }
    if cookie.party() == Party::Third {
        block.push_str("party = \"third\"\n");
    }
    block
}

#[cfg(test)]
mod tests {
    use core::time::Duration;

    use cookie_policy::Platform;

    use super::*;

    #[test]
    fn parties_are_told_apart_by_domain_matching() {
        for (site, domain, same) in [
            ("www.shop.test", "www.shop.test", true),
            ("www.shop.test", "shop.test", true),
            ("shop.test", "www.shop.test", true),
            ("WWW.Shop.Test", "shop.test", true),
            ("www.shop.test", "ads.tracker.test", false),
            ("www.shop.test", "hop.test", false),
            ("www.shop.test", "test", true),
            ("127.0.0.1", "127.0.0.1", true),
        ] {
            assert_eq!(same_party(site, domain), same, "{site} {domain}");
        }
    }

    fn seen(name: &str, lifetime: Option<Duration>) -> Seen {
        Seen {
            pass: 0,
            page: "http://www.shop.test/".to_owned(),
            name: name.to_owned(),
            domain: None,
            host: "www.shop.test".to_owned(),
            path: None,
            lifetime,
            source: Source::Jar,
        }
    }

    /// `sessionid` is declared for 2 weeks: 1,209,600 s, with a day of
    /// slack (1 % is less).
    #[test]
    fn lifetimes_have_a_day_of_slack_or_one_percent() {
        let declared = Platform::SESSIONID;
        let limit = 1_209_600 + 86_400;
        for (kept, exceeded) in [
            (None, false),
            (Some(limit), false),
            (Some(limit + 1), true),
            (Some(400 * 86_400), true),
        ] {
            let seen = seen("sessionid", kept.map(Duration::from_secs));
            assert_eq!(
                lifetime_exceeded(declared, &seen).is_some(),
                exceeded,
                "{kept:?}"
            );
        }
        assert_eq!(tolerance(31_556_952), 315_569);
        assert_eq!(tolerance(1_209_600), 86_400);
    }

    #[test]
    fn lifetimes_are_written_in_whole_days() {
        assert_eq!(in_days(400 * 86_400), "400 days");
        assert_eq!(in_days(3 * 86_400 + 5), "3 days");
        assert_eq!(in_days(2 * 86_400), "2 days");
        assert_eq!(in_days(2 * 86_400 - 1), "172799 seconds");
        assert_eq!(in_days(0), "0 seconds");
    }
}
