//! Every semantic check of a parsed policy, each one a spanned diagnostic.

use std::collections::HashMap;

use crate::ast::{self, CookieTable, Document, Sp, Text as TextAst};
use crate::diagnostic::{Diagnostic, Diagnostics};
use cookie_policy_core::{
    LIFETIME_FORMAT, ParseLifetimeError, RESERVED_NAMES, constant_name, is_constant_name,
    name_problem,
};

use crate::model::{
    Category, ConsentModeKey, Cookie, Gpc, IsoDate, Lifetime, Party, Policy, Provider, Signals,
    Site, Text,
};
use crate::source::Source;
use cookie_policy_core::{ConsentModeSettings, is_region_code};

/// The longest lifetime an `anonymized` cookie may have: 13 months, the
/// CNIL's audience-measurement exemption.
const ANONYMIZED_MAX_SECONDS: u64 = 13 * 2_629_746;

/// Checks a parsed document. Returns the policy only if nothing is wrong,
/// here or before (`diagnostics` was empty).
pub fn validate(
    document: Document,
    source: &Source<'_>,
    diagnostics: &mut Diagnostics,
) -> Option<Policy> {
    let mut checker = Checker {
        source,
        diagnostics,
        languages: vec!["en".to_owned()],
    };
    let site = document.site.map(|site| checker.site(site));
    // Without a readable `[site]`, cookies' locations cannot be checked:
    // the site's mistake is reported once, not again at every location.
    let site_locations = site.as_ref().map(|(_, locations)| locations.clone());
    let banner: Vec<(&'static str, Text)> = document
        .banner
        .into_iter()
        .filter_map(|(text, value)| Some((text.key(), checker.translated(value, text.key())?)))
        .collect();
    let site = site
        .and_then(|(site, _)| site)
        .map(|site| Site { banner, ..site });
    let providers = checker.providers(document.providers);
    let (cookies, consent_cookie) =
        checker.cookies(document.cookies, &providers, site_locations.as_deref());
    let providers = providers
        .into_iter()
        .map(|(provider, _)| provider)
        .collect();
    let signals = checker.signals(document.categories, document.consent_mode, document.gpc);
    if checker.diagnostics.is_empty() {
        Some(Policy {
            site: site?,
            providers,
            cookies,
            consent_cookie,
            signals,
        })
    } else {
        None
    }
}

/// A valid cookie and where its parts are, for later cross-checks.
struct CheckedCookie {
    cookie: Cookie,
    name_span: std::ops::Range<usize>,
    /// What named its constant: `const`, or the name.
    const_span: std::ops::Range<usize>,
    /// `consent = true`, when given.
    consent_span: Option<std::ops::Range<usize>>,
}

struct Checker<'s, 'd> {
    source: &'s Source<'s>,
    diagnostics: &'d mut Diagnostics,
    /// `[site] languages`, once checked: what every text is translated into.
    languages: Vec<String>,
}

impl Checker<'_, '_> {
    /// The site, if whole, and its locations, whatever else is wrong with it.
    fn site(&mut self, site: ast::SiteTable) -> (Option<Site>, Vec<String>) {
        if let Some(languages) = site.languages {
            let span = languages.span.clone();
            for language in &languages.value {
                if !cookie_policy_core::Language::is_tag(&language.value) {
                    self.diagnostics.push(
                        Diagnostic::new(
                            format!("`{}` is not a language tag", language.value),
                            language.span.clone(),
                        )
                        .help(
                            "write BCP 47 language tags such as `\"en\"`, `\"fr\"` or `\"fr-CA\"`",
                        ),
                    );
                }
            }
            let languages = self.distinct_texts(languages, "languages");
            if languages.is_empty() {
                self.diagnostics.push(
                    Diagnostic::new("`languages` cannot be empty", span)
                        .help("list the policy's languages, the default first: `languages = [\"en\", \"fr\"]`"),
                );
            } else {
                self.languages = languages;
            }
        }
        let name = site.name.and_then(|name| self.translated(name, "name"));
        let url = site.url.and_then(|url| self.url(url));
        let locations = site
            .locations
            .map(|locations| self.distinct_texts(locations, "locations"))
            .unwrap_or_default();
        let site = name.map(|name| Site {
            name,
            languages: self.languages.clone(),
            url,
            locations: locations.clone(),
            banner: Vec::new(),
        });
        (site, locations)
    }

    /// The providers that are whole, each with the span of its `id`.
    fn providers(&mut self, tables: Vec<ast::ProviderTable>) -> Vec<(Provider, Sp<String>)> {
        let mut providers: Vec<(Provider, Sp<String>)> = Vec::new();
        for table in tables {
            let id = table.id.and_then(|id| self.identifier(id, "id"));
            let name = table.name.and_then(|name| self.text(name, "name"));
            let url = table.url.and_then(|url| self.url(url));
            let (Some(id), Some(name)) = (id, name) else {
                continue;
            };
            if let Some((_, first)) = providers.iter().find(|(p, _)| p.id == id.value) {
                self.diagnostics.push(
                    Diagnostic::new(
                        format!("duplicate provider id `{}`", id.value),
                        id.span.clone(),
                    )
                    .label("declared again here")
                    .also(first.span.clone(), "first declared here")
                    .help("give each [[provider]] its own `id`, or remove one of them"),
                );
                continue;
            }
            providers.push((
                Provider {
                    id: id.value.clone(),
                    name,
                    url,
                },
                id,
            ));
        }
        providers
    }

    fn cookies(
        &mut self,
        tables: Vec<CookieTable>,
        providers: &[(Provider, Sp<String>)],
        site_locations: Option<&[String]>,
    ) -> (Vec<Cookie>, Option<usize>) {
        let mut cookies = Vec::new();
        // The cookie declared `consent = true`: its index and the flag's span.
        let mut consent_cookie: Option<(usize, std::ops::Range<usize>)> = None;
        // The first cookie that needs consent, and its name's span.
        let mut first_needing_consent: Option<(String, std::ops::Range<usize>)> = None;
        // Where each name and each constant was first declared.
        let mut names: HashMap<String, std::ops::Range<usize>> = HashMap::new();
        let mut constants: HashMap<String, (std::ops::Range<usize>, String)> = HashMap::new();
        // Whether any entry says `consent = true`, valid or not: a broken
        // consent cookie is one mistake, not also a missing one.
        let mut consent_declared = false;
        for table in tables {
            consent_declared |= table.consent.as_ref().is_some_and(|flag| flag.value);
            let Some(cookie) = self.cookie(table, providers, site_locations) else {
                continue;
            };
            let CheckedCookie {
                cookie,
                name_span,
                const_span,
                consent_span: consent_flag,
            } = cookie;
            if let Some(first) = names.get(&cookie.name) {
                self.diagnostics.push(
                    Diagnostic::new(format!("duplicate cookie `{}`", cookie.name), name_span)
                        .label("declared again here")
                        .also(first.clone(), "first declared here")
                        .help("declare each cookie once; merge the two entries"),
                );
                continue;
            }
            names.insert(cookie.name.clone(), name_span.clone());
            if let Some((first, first_name)) = constants.get(&cookie.const_name) {
                self.diagnostics.push(
                    Diagnostic::new(
                        format!(
                            "cookies `{first_name}` and `{}` would both become the constant `{}`",
                            cookie.name, cookie.const_name
                        ),
                        const_span,
                    )
                    .label(format!("`{}` here", cookie.name))
                    .also(first.clone(), format!("`{first_name}` here"))
                    .help("name one of the constants yourself: add `const = \"OTHER_NAME\"` to its [[cookie]]"),
                );
                continue;
            }
            constants.insert(cookie.const_name.clone(), (const_span, cookie.name.clone()));
            if let Some(flag) = consent_flag {
                match &consent_cookie {
                    Some((_, first)) => self.diagnostics.push(
                        Diagnostic::new("two cookies declared `consent = true`", flag.clone())
                            .label("declared again here")
                            .also(first.clone(), "first declared here")
                            .help("one cookie stores the visitor's choice: keep `consent = true` on it alone"),
                    ),
                    None => consent_cookie = Some((cookies.len(), flag)),
                }
            }
            if cookie.requires_consent && first_needing_consent.is_none() {
                first_needing_consent = Some((cookie.name.clone(), name_span));
            }
            cookies.push(cookie);
        }
        if let (false, Some((name, span))) = (consent_declared, first_needing_consent) {
            self.diagnostics.push(
                Diagnostic::new(
                    format!("`{name}` needs the visitor's consent, but no cookie stores that consent"),
                    span,
                )
                .help("add `consent = true` to the necessary, first-party cookie that stores the visitor's choice (such as `cookies_preferences`), or declare one"),
            );
        }
        (cookies, consent_cookie.map(|(index, _)| index))
    }

    /// One cookie, with the spans of its name and of what named its constant.
    fn cookie(
        &mut self,
        table: CookieTable,
        providers: &[(Provider, Sp<String>)],
        site_locations: Option<&[String]>,
    ) -> Option<CheckedCookie> {
        let name = table.name.and_then(|name| self.cookie_name(name));
        let provider = table
            .provider
            .and_then(|provider| self.provider_ref(provider, providers));
        let function = table.function.and_then(|f| self.translated(f, "function"));
        let purpose = table.purpose.and_then(|p| self.translated(p, "purpose"));
        let locations = table
            .locations
            .map(|locations| self.locations(locations, site_locations));
        let category = table.category.and_then(|c| self.category(c));
        let lifetime = table.lifetime.map(|l| self.lifetime(l));
        let party = table.party.map(|p| self.party(p));
        let domain = table.domain.and_then(|d| self.domain(d));
        let path = table.path.and_then(|p| self.cookie_path(p));
        let const_name = match (&name, table.const_name) {
            (_, Some(given)) => self.given_constant(given),
            (Some(name), None) => self.derived_constant(name),
            (None, None) => None,
        };
        let party = party.unwrap_or(Some(Party::First))?;
        let lifetime = match lifetime {
            None => None,
            Some(parsed) => Some(parsed?),
        };
        let anonymized = match table.anonymized {
            Some(flag) if flag.value => {
                self.anonymized(&flag, category?, party, lifetime)?;
                true
            }
            _ => false,
        };
        let consent = match table.consent {
            Some(flag) if flag.value => {
                Some(self.consent_flag(&flag, name.as_ref(), category?, party)?)
            }
            _ => None,
        };
        let name = name?;
        let category = category?;
        let (const_name, const_span) = const_name?;
        let requires_consent =
            !(category == Category::Necessary || (category == Category::Statistical && anonymized));
        let cookie = Cookie {
            is_pattern: name.value.ends_with('*'),
            line: self.source.position(name.span.start).line,
            name: name.value,
            provider: provider?,
            function: function?,
            locations: locations.unwrap_or(Some(Vec::new()))?,
            purpose: purpose?,
            category,
            party,
            lifetime,
            domain,
            path,
            anonymized,
            refresh: table.refresh.is_some_and(|flag| flag.value),
            requires_consent,
            const_name,
        };
        Some(CheckedCookie {
            cookie,
            name_span: name.span,
            const_span,
            consent_span: consent,
        })
    }

    /// `[categories.<name>]`, `[consent_mode]` and `[gpc]`, with every
    /// default filled in.
    fn signals(
        &mut self,
        categories: Vec<ast::CategoryTable>,
        consent_mode: Option<ast::ConsentModeTable>,
        gpc: Option<ast::GpcTable>,
    ) -> Signals {
        let mut signals = Signals::default();
        // The keys each category names explicitly, with their spans.
        let mut explicit: Vec<(Category, Vec<Sp<ConsentModeKey>>)> = Vec::new();
        for table in categories {
            let Some(category) = self.category(table.name) else {
                continue;
            };
            if let Some(meaning) = table.gpc.and_then(|gpc| self.gpc_meaning(gpc, category)) {
                for (c, slot) in Category::ALL.iter().zip(signals.gpc.iter_mut()) {
                    if *c == category {
                        *slot = meaning;
                    }
                }
            }
            if let Some(keys) = table.consent_mode {
                let keys = self.consent_mode_keys(keys);
                for (c, slot) in Category::ALL.iter().zip(signals.consent_mode.iter_mut()) {
                    if *c == category {
                        *slot = keys.iter().map(|key| key.value).collect();
                    }
                }
                explicit.push((category, keys));
            }
        }
        self.one_category_per_key(&signals, &explicit);
        if let Some(table) = consent_mode {
            if let Some(wait) = table.wait_for_update {
                signals.wait_for_update = self.wait_for_update(wait).unwrap_or_default();
            }
            if let Some(regions) = table.regions {
                signals.regions = self.regions(regions);
            }
        }
        if let Some(last_update) = gpc.and_then(|gpc| gpc.last_update) {
            signals.gpc_last_update = self.last_update(last_update);
        }
        signals
    }

    fn gpc_meaning(&mut self, gpc: Sp<String>, category: Category) -> Option<Gpc> {
        let Ok(meaning) = gpc.value.parse::<Gpc>() else {
            let diagnostic =
                Diagnostic::new(format!("unknown GPC meaning `{}`", gpc.value), gpc.span)
                    .did_you_mean(&gpc.value, Gpc::ALL.map(Gpc::as_str));
            self.diagnostics.push(diagnostic.help(
                "write `gpc = \"refuse\"` for a category a Global Privacy Control signal refuses, `gpc = \"ignore\"` for one it does not",
            ));
            return None;
        };
        if category == Category::Necessary && meaning == Gpc::Refuse {
            self.diagnostics.push(
                Diagnostic::new(
                    "necessary cookies cannot be refused, so a GPC signal cannot refuse `necessary`",
                    gpc.span,
                )
                .help("remove `gpc` from [categories.necessary]; a cookie a GPC signal should refuse is not necessary: change its `category`"),
            );
            return None;
        }
        Some(meaning)
    }

    /// The keys of one `consent_mode` list that are known, each once.
    fn consent_mode_keys(&mut self, keys: Sp<Vec<Sp<String>>>) -> Vec<Sp<ConsentModeKey>> {
        let mut parsed: Vec<Sp<ConsentModeKey>> = Vec::new();
        for key in keys.value {
            let Ok(value) = key.value.parse::<ConsentModeKey>() else {
                let names = ConsentModeKey::ALL.map(ConsentModeKey::as_str);
                let diagnostic = Diagnostic::new(
                    format!("unknown Consent Mode key `{}`", key.value),
                    key.span,
                )
                .did_you_mean(&key.value, names);
                self.diagnostics.push(diagnostic.help(format!(
                    "the Consent Mode v2 keys are {}",
                    ast::list(&names)
                )));
                continue;
            };
            if let Some(first) = parsed.iter().find(|p| p.value == value) {
                self.diagnostics.push(
                    Diagnostic::new(
                        format!("`{value}` is listed twice in `consent_mode`"),
                        key.span,
                    )
                    .also(first.span.clone(), "first listed here")
                    .help("list it once"),
                );
                continue;
            }
            parsed.push(Sp {
                value,
                span: key.span,
            });
        }
        parsed
    }

    /// A Consent Mode key is granted by one category at most: two would
    /// disagree whenever the visitor grants one and refuses the other.
    fn one_category_per_key(
        &mut self,
        signals: &Signals,
        explicit: &[(Category, Vec<Sp<ConsentModeKey>>)],
    ) {
        for (category, keys) in explicit {
            for key in keys {
                let Some(other) = Category::ALL.into_iter().find(|&other| {
                    other != *category && signals.consent_mode_keys(other).contains(&key.value)
                }) else {
                    continue;
                };
                let other_key = explicit
                    .iter()
                    .find(|(c, _)| *c == other)
                    .and_then(|(_, keys)| keys.iter().find(|k| k.value == key.value));
                // Two explicit lists: reported once, at the later one.
                if other_key.is_some_and(|first| first.span.start > key.span.start) {
                    continue;
                }
                let mut diagnostic = Diagnostic::new(
                    format!(
                        "`{}` is granted by both `{category}` and `{other}`",
                        key.value
                    ),
                    key.span.clone(),
                );
                let help = match other_key {
                    Some(first) => {
                        diagnostic = diagnostic
                            .also(first.span.clone(), format!("`{other}` grants it here"));
                        "a Consent Mode key follows one category: remove it from one of the two lists".to_owned()
                    }
                    None => format!(
                        "a Consent Mode key follows one category, and `{other}` grants `{}` by default: remove it here, or give [categories.{other}] a `consent_mode` list without it",
                        key.value
                    ),
                };
                self.diagnostics.push(diagnostic.help(help));
            }
        }
    }

    fn wait_for_update(&mut self, wait: Sp<i64>) -> Option<u32> {
        let max = ConsentModeSettings::MAX_WAIT_FOR_UPDATE;
        if let Some(ms) = u32::try_from(wait.value).ok().filter(|ms| *ms <= max) {
            return Some(ms);
        }
        self.diagnostics.push(
            Diagnostic::new(
                format!(
                    "`wait_for_update` must be from 0 to {max} milliseconds, not {}",
                    wait.value
                ),
                wait.span,
            )
            .help("write how long tags wait for the banner's consent update, in milliseconds, such as `wait_for_update = 500`"),
        );
        None
    }

    fn regions(&mut self, regions: Sp<Vec<Sp<String>>>) -> Vec<String> {
        if regions.value.is_empty() {
            self.diagnostics.push(
                Diagnostic::new("`regions` cannot be empty", regions.span).help(
                    "list the regions the consent defaults apply to, such as `regions = [\"FR\", \"US-CA\"]`, or remove `regions` for them to apply everywhere",
                ),
            );
            return Vec::new();
        }
        let mut seen: Vec<Sp<String>> = Vec::new();
        for region in regions.value {
            if !is_region_code(&region.value) {
                let mut diagnostic = Diagnostic::new(
                    format!(
                        "`{}` is not an ISO 3166 region code",
                        region.value.escape_debug()
                    ),
                    region.span,
                );
                let upper = region.value.to_ascii_uppercase();
                if is_region_code(&upper) {
                    diagnostic = diagnostic.label(format!("did you mean `\"{upper}\"`?"));
                }
                self.diagnostics.push(diagnostic.help(
                    "write a country as its ISO 3166-1 alpha-2 code in capitals, such as `\"FR\"`, or a subdivision as its ISO 3166-2 code, such as `\"US-CA\"`",
                ));
                continue;
            }
            if let Some(first) = seen.iter().find(|s| s.value == region.value) {
                self.diagnostics.push(
                    Diagnostic::new(
                        format!("`{}` is listed twice in `regions`", region.value),
                        region.span,
                    )
                    .also(first.span.clone(), "first listed here")
                    .help("list it once"),
                );
                continue;
            }
            seen.push(region);
        }
        seen.into_iter().map(|s| s.value).collect()
    }

    fn last_update(&mut self, date: Sp<String>) -> Option<IsoDate> {
        match date.value.parse::<IsoDate>() {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                self.diagnostics.push(
                    Diagnostic::new(format!("invalid `last_update`: {error}"), date.span).help(
                        "write the day the site last changed how it answers Global Privacy Control, as a TOML date: `last_update = 2026-01-31`",
                    ),
                );
                None
            }
        }
    }

    /// `consent = true` is for the one cookie that stores the visitor's
    /// choice: a necessary, first-party cookie with an exact name.
    fn consent_flag(
        &mut self,
        flag: &Sp<bool>,
        name: Option<&Sp<String>>,
        category: Category,
        party: Party,
    ) -> Option<std::ops::Range<usize>> {
        let problem = if category != Category::Necessary {
            format!(
                "`consent = true` marks the cookie that stores consent, which is necessary, and this one is {}",
                category.as_str()
            )
        } else if party != Party::First {
            "`consent = true` marks a cookie the site sets itself, and this one is third-party"
                .to_owned()
        } else if name.is_some_and(|name| name.value.ends_with('*')) {
            "`consent = true` marks one cookie, and this entry is a pattern".to_owned()
        } else {
            return Some(flag.span.clone());
        };
        self.diagnostics.push(Diagnostic::new(problem, flag.span.clone()).help(
            "put `consent = true` on the necessary, first-party cookie that stores the visitor's choice",
        ));
        None
    }

    fn cookie_name(&mut self, name: Sp<String>) -> Option<Sp<String>> {
        match name_problem(&name.value) {
            None => Some(name),
            Some(problem) => {
                self.diagnostics.push(
                    Diagnostic::new(problem, name.span).help(
                        "write the name exactly as the browser stores it; end it with `*` to declare every name that starts with the rest",
                    ),
                );
                None
            }
        }
    }

    fn provider_ref(
        &mut self,
        id: Sp<String>,
        providers: &[(Provider, Sp<String>)],
    ) -> Option<usize> {
        if let Some(index) = providers.iter().position(|(p, _)| p.id == id.value) {
            return Some(index);
        }
        let declared: Vec<&str> = providers.iter().map(|(p, _)| p.id.as_str()).collect();
        let diagnostic = Diagnostic::new(format!("unknown provider `{}`", id.value), id.span)
            .did_you_mean(&id.value, declared.iter().copied());
        let help = if declared.is_empty() {
            "no [[provider]] is declared; add one with this `id`".to_owned()
        } else {
            format!(
                "the declared providers are {}; or add a [[provider]] with this `id`",
                ast::list(&declared)
            )
        };
        self.diagnostics.push(diagnostic.help(help));
        None
    }

    fn locations(
        &mut self,
        locations: Sp<Vec<Sp<String>>>,
        site_locations: Option<&[String]>,
    ) -> Option<Vec<String>> {
        let Some(site_locations) = site_locations else {
            return Some(self.distinct_texts(locations, "locations"));
        };
        let mut ok = true;
        for location in &locations.value {
            if site_locations.contains(&location.value) {
                continue;
            }
            ok = false;
            let declared: Vec<&str> = site_locations.iter().map(String::as_str).collect();
            let diagnostic = Diagnostic::new(
                format!("unknown location `{}`", location.value),
                location.span.clone(),
            )
            .did_you_mean(&location.value, declared.iter().copied());
            let help = if declared.is_empty() {
                "declare the site's locations first: `locations = [...]` in [site]".to_owned()
            } else {
                format!(
                    "the site's locations are {}; add it to `locations` in [site] if it is new",
                    ast::list(&declared)
                )
            };
            self.diagnostics.push(diagnostic.help(help));
        }
        let distinct = self.distinct_texts(locations, "locations");
        ok.then_some(distinct)
    }

    fn category(&mut self, category: Sp<String>) -> Option<Category> {
        if let Some(found) = Category::ALL
            .into_iter()
            .find(|c| c.as_str() == category.value)
        {
            return Some(found);
        }
        let names = Category::ALL.map(Category::as_str);
        let diagnostic = Diagnostic::new(
            format!("unknown category `{}`", category.value),
            category.span,
        )
        .did_you_mean(&category.value, names);
        self.diagnostics
            .push(diagnostic.help(format!("the categories are {}", ast::list(&names))));
        None
    }

    fn lifetime(&mut self, lifetime: Sp<String>) -> Option<Lifetime> {
        match lifetime.value.parse() {
            Ok(parsed) => Some(parsed),
            Err(error) => {
                let error: ParseLifetimeError = error;
                let mut diagnostic =
                    Diagnostic::new(format!("invalid lifetime: {error}"), lifetime.span);
                if let Some(suggestion) = error.suggestion() {
                    diagnostic = diagnostic.label(format!("did you mean `\"{suggestion}\"`?"));
                }
                self.diagnostics.push(diagnostic.help(LIFETIME_FORMAT));
                None
            }
        }
    }

    fn party(&mut self, party: Sp<String>) -> Option<Party> {
        match party.value.parse() {
            Ok(parsed) => Some(parsed),
            Err(_) => {
                let other = &party.value;
                let diagnostic = Diagnostic::new(format!("unknown party `{other}`"), party.span)
                    .did_you_mean(other, Party::ALL.map(Party::keyword));
                self.diagnostics.push(diagnostic.help(
                    "write `party = \"first\"` for a cookie the site sets itself, `party = \"third\"` for one another site sets",
                ));
                None
            }
        }
    }

    fn domain(&mut self, domain: Sp<String>) -> Option<String> {
        let value = &domain.value;
        if !value.is_empty()
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ';' || c == ',')
        {
            return Some(domain.value);
        }
        self.diagnostics.push(
            Diagnostic::new(
                format!("invalid domain `{}`", value.escape_debug()),
                domain.span,
            )
            .help("write a host name such as `\".example.com\"`, or remove `domain`"),
        );
        None
    }

    fn cookie_path(&mut self, path: Sp<String>) -> Option<String> {
        let value = &path.value;
        if value.starts_with('/')
            && !value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == ';')
        {
            return Some(path.value);
        }
        self.diagnostics.push(
            Diagnostic::new(format!("invalid path `{}`", value.escape_debug()), path.span)
                .help("write the path the cookie is set on, starting with `/`, such as `\"/\"`, or remove `path`"),
        );
        None
    }

    fn anonymized(
        &mut self,
        flag: &Sp<bool>,
        category: Category,
        party: Party,
        lifetime: Option<Lifetime>,
    ) -> Option<()> {
        let problem = if category != Category::Statistical {
            format!(
                "`anonymized = true` is only for statistical cookies, and this one is {}",
                category.as_str()
            )
        } else if party != Party::First {
            "`anonymized = true` is only for first-party cookies, and this one is third-party"
                .to_owned()
        } else {
            match lifetime {
                Some(lifetime)
                    if lifetime
                        .seconds()
                        .is_some_and(|s| s > ANONYMIZED_MAX_SECONDS) =>
                {
                    format!(
                        "`anonymized = true` is only for cookies that live at most 13 months, and this one lives {lifetime}"
                    )
                }
                _ => return Some(()),
            }
        };
        self.diagnostics.push(
            Diagnostic::new(problem, flag.span.clone()).help(
                "the consent exemption for audience measurement (CNIL) covers first-party statistical cookies that live at most 13 months; remove `anonymized` if the cookie needs consent",
            ),
        );
        None
    }

    fn given_constant(&mut self, given: Sp<String>) -> Option<(String, std::ops::Range<usize>)> {
        let problem = if !is_constant_name(&given.value) {
            format!("`{}` is not an upper snake case identifier", given.value)
        } else if RESERVED_NAMES.contains(&given.value.as_str()) {
            format!("`{}` is taken by the `CookiePolicy` trait", given.value)
        } else {
            return Some((given.value, given.span));
        };
        self.diagnostics.push(
            Diagnostic::new(format!("invalid `const`: {problem}"), given.span)
                .help("write an identifier in capitals, digits and `_`, starting with a letter, such as `const = \"SESSION_ID\"`"),
        );
        None
    }

    fn derived_constant(&mut self, name: &Sp<String>) -> Option<(String, std::ops::Range<usize>)> {
        let problem = match constant_name(&name.value) {
            Some(constant) if RESERVED_NAMES.contains(&constant.as_str()) => {
                format!(
                    "the cookie `{}` would become the constant `{constant}`, which the `CookiePolicy` trait already names",
                    name.value
                )
            }
            Some(constant) => return Some((constant, name.span.clone())),
            None => format!("the cookie `{}` gives no Rust constant name", name.value),
        };
        self.diagnostics
            .push(Diagnostic::new(problem, name.span.clone()).help(
                "name the constant yourself: add `const = \"SOME_NAME\"` to this [[cookie]]",
            ));
        None
    }

    /// A text in every language: a plain string serves them all; a table
    /// must translate into each declared language, and into no other.
    fn translated(&mut self, text: Sp<TextAst>, key: &str) -> Option<Text> {
        let entries = match text.value {
            TextAst::Plain(plain) => {
                let plain = self.text(
                    Sp {
                        value: plain,
                        span: text.span,
                    },
                    key,
                )?;
                return Some(Text(vec![plain; self.languages.len()]));
            }
            TextAst::Translated(entries) => entries,
        };
        let mut ok = true;
        for (language, _) in &entries {
            if !self.languages.contains(&language.value) {
                ok = false;
                let declared: Vec<&str> = self.languages.iter().map(String::as_str).collect();
                let diagnostic = Diagnostic::new(
                    format!("`{}` is not one of the policy's languages", language.value),
                    language.span.clone(),
                )
                .did_you_mean(&language.value, declared.iter().copied());
                self.diagnostics.push(diagnostic.help(format!(
                    "the languages are {}; add it to `languages` in [site] if it is new",
                    ast::list(&declared)
                )));
            }
        }
        let mut values = Vec::new();
        for language in self.languages.clone() {
            match entries.iter().find(|(l, _)| l.value == language) {
                Some((_, value)) => values.push(self.text(value.clone(), key)),
                None => {
                    ok = false;
                    self.diagnostics.push(
                        Diagnostic::new(format!("`{key}` has no `{language}` translation"), text.span.clone())
                            .help(format!("add `{language} = \"...\"` to it: every text is translated into each of the site's languages")),
                    );
                }
            }
        }
        let values: Option<Vec<String>> = values.into_iter().collect();
        ok.then_some(Text(values?))
    }

    fn text(&mut self, text: Sp<String>, key: &str) -> Option<String> {
        if !text.value.trim().is_empty() {
            return Some(text.value);
        }
        self.diagnostics.push(
            Diagnostic::new(format!("`{key}` cannot be empty"), text.span).help(format!(
                "write the {key} as a reader of the policy should see it"
            )),
        );
        None
    }

    fn identifier(&mut self, id: Sp<String>, key: &str) -> Option<Sp<String>> {
        if !id.value.is_empty()
            && !id
                .value
                .chars()
                .any(|c| c.is_whitespace() || c.is_control())
        {
            return Some(id);
        }
        self.diagnostics.push(
            Diagnostic::new(
                format!(
                    "`{key}` must be a word without spaces, not `{}`",
                    id.value.escape_debug()
                ),
                id.span,
            )
            .help(format!("write it as `{key} = \"example\"`")),
        );
        None
    }

    fn url(&mut self, url: Sp<String>) -> Option<String> {
        let rest = url
            .value
            .strip_prefix("https://")
            .or_else(|| url.value.strip_prefix("http://"));
        if rest.is_some_and(|rest| {
            !rest.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
        }) {
            return Some(url.value);
        }
        self.diagnostics.push(
            Diagnostic::new(
                format!("`{}` is not an http(s) URL", url.value.escape_debug()),
                url.span,
            )
            .help("write an absolute address such as `\"https://example.com\"`"),
        );
        None
    }

    /// Non-empty strings, each once.
    fn distinct_texts(&mut self, texts: Sp<Vec<Sp<String>>>, key: &str) -> Vec<String> {
        let mut seen: Vec<Sp<String>> = Vec::new();
        for text in texts.value {
            if let Some(first) = seen.iter().find(|s| s.value == text.value) {
                self.diagnostics.push(
                    Diagnostic::new(
                        format!("`{}` is listed twice in `{key}`", text.value),
                        text.span,
                    )
                    .also(first.span.clone(), "first listed here")
                    .help("list it once"),
                );
                continue;
            }
            let span = text.span.clone();
            if let Some(value) = self.text(text, key) {
                seen.push(Sp { value, span });
            }
        }
        seen.into_iter().map(|s| s.value).collect()
    }
}
