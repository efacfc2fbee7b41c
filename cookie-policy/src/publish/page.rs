//! What a policy page says, in a language, whatever it is written in: the
//! one model Markdown and HTML are rendered from.

use crate::{Category, Cookie, CookiePolicy, Lifetime, TimeUnit};

/// Why a page could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PublishError {
    /// The page's own texts exist in English and French only.
    #[error("pages are written in `en` and `fr`, not `{0}`; ask for one of those")]
    UnsupportedLanguage(String),
    /// The policy is not translated into the language asked for.
    #[error(
        "the policy is written in {available}, not `{language}`; add `{language}` to `[site] languages` and translate its texts"
    )]
    PolicyNotTranslated {
        /// The language asked for.
        language: String,
        /// The policy's languages, listed.
        available: String,
    },
}

/// The page's own texts in one language.
pub(crate) struct Strings {
    pub language: &'static str,
    pub title: &'static str,
    pub what_is_a_cookie: &'static str,
    pub what_is_a_cookie_text: &'static str,
    pub kinds: &'static str,
    pub kinds_list: [(&'static str, &'static str); 4],
    pub cookies_used: &'static str,
    pub columns: [&'static str; 5],
    pub not_stated: &'static str,
    pub anonymized: &'static str,
    pub no_cookies: &'static str,
    pub revision: &'static str,
}

const EN: Strings = Strings {
    language: "en",
    title: "Cookie policy",
    what_is_a_cookie: "What is a cookie?",
    what_is_a_cookie_text: "A cookie is a small text file that a website stores on your device when you visit it. It lets the site remember information about your visit, such as your language or that you are signed in.",
    kinds: "The kinds of cookies",
    kinds_list: [
        (
            "Necessary cookies",
            "are needed for the site to work: they can save a shopping cart, log-in information or interface preferences. They do not require your consent.",
        ),
        (
            "Statistical cookies",
            "measure the site's audience. They require your consent, except anonymized audience measurement by the site itself.",
        ),
        (
            "First-party cookies",
            "are set by the site you are visiting.",
        ),
        (
            "Third-party cookies",
            "are set by another site, through content this site embeds. Unless they are necessary, they require your consent.",
        ),
    ],
    cookies_used: "The cookies of this site",
    columns: [
        "Service provider's name",
        "Function and location",
        "Cookie name(s)",
        "Purposes",
        "Lifetime",
    ],
    not_stated: "not stated",
    anonymized: "anonymized, no consent needed",
    no_cookies: "This site sets no cookie.",
    revision: "Policy revision",
};

const FR: Strings = Strings {
    language: "fr",
    title: "Politique relative aux cookies",
    what_is_a_cookie: "Qu'est-ce qu'un cookie ?",
    what_is_a_cookie_text: "Un cookie est un petit fichier texte qu'un site web enregistre sur votre appareil lorsque vous le consultez. Il permet au site de se souvenir d'informations sur votre visite, comme votre langue ou le fait que vous êtes connecté.",
    kinds: "Les types de cookies",
    kinds_list: [
        (
            "Les cookies nécessaires",
            "sont indispensables au fonctionnement du site : ils peuvent enregistrer un panier, des informations de connexion ou des préférences d'interface. Ils ne nécessitent pas votre consentement.",
        ),
        (
            "Les cookies statistiques",
            "mesurent l'audience du site. Ils nécessitent votre consentement, sauf la mesure d'audience anonymisée faite par le site lui-même.",
        ),
        (
            "Les cookies internes",
            "sont déposés par le site que vous consultez.",
        ),
        (
            "Les cookies tiers",
            "sont déposés par un autre site, au travers de contenus que ce site intègre. Sauf s'ils sont nécessaires, ils nécessitent votre consentement.",
        ),
    ],
    cookies_used: "Les cookies de ce site",
    columns: [
        "Nom du prestataire de service",
        "Fonction et localisation",
        "Nom(s) du cookie",
        "Finalités",
        "Durée de conservation",
    ],
    not_stated: "non précisée",
    anonymized: "anonymisé, sans consentement",
    no_cookies: "Ce site ne dépose aucun cookie.",
    revision: "Révision de la politique",
};

impl Strings {
    pub fn category_heading(&self, category: Category) -> &'static str {
        match (self.language, category) {
            ("fr", Category::Necessary) => "Cookies nécessaires",
            ("fr", Category::Functional) => "Cookies fonctionnels",
            ("fr", Category::Statistical) => "Cookies statistiques",
            ("fr", Category::Advertising) => "Cookies publicitaires",
            (_, Category::Necessary) => "Necessary cookies",
            (_, Category::Functional) => "Functional cookies",
            (_, Category::Statistical) => "Statistical cookies",
            (_, Category::Advertising) => "Advertising cookies",
        }
    }

    pub fn category_text(&self, category: Category) -> &'static str {
        match (self.language, category) {
            ("fr", Category::Necessary) => {
                "Indispensables au fonctionnement du site. Ils ne nécessitent pas votre consentement."
            }
            ("fr", Category::Functional) => {
                "Ils retiennent vos choix au-delà du nécessaire. Ils nécessitent votre consentement."
            }
            ("fr", Category::Statistical) => {
                "Ils mesurent l'audience du site. Ils nécessitent votre consentement, sauf ceux marqués anonymisés."
            }
            ("fr", Category::Advertising) => {
                "Publicité et suivi. Ils nécessitent votre consentement."
            }
            (_, Category::Necessary) => {
                "Needed for the site to work. They do not require your consent."
            }
            (_, Category::Functional) => {
                "They remember your choices beyond what is necessary. They require your consent."
            }
            (_, Category::Statistical) => {
                "They measure the site's audience. They require your consent, except those marked anonymized."
            }
            (_, Category::Advertising) => "Advertising and tracking. They require your consent.",
        }
    }

    /// A lifetime as a reader of this language writes it.
    pub fn lifetime(&self, lifetime: Option<Lifetime>) -> String {
        let Some(lifetime) = lifetime else {
            return self.not_stated.to_owned();
        };
        let Lifetime::Fixed { amount, unit } = lifetime else {
            return "session".to_owned();
        };
        if self.language != "fr" {
            return lifetime.to_string();
        }
        let (singular, plural) = match unit {
            TimeUnit::Second => ("seconde", "secondes"),
            TimeUnit::Minute => ("minute", "minutes"),
            TimeUnit::Hour => ("heure", "heures"),
            TimeUnit::Day => ("jour", "jours"),
            TimeUnit::Week => ("semaine", "semaines"),
            TimeUnit::Month => ("mois", "mois"),
            TimeUnit::Year => ("an", "ans"),
        };
        format!("{amount} {}", if amount == 1 { singular } else { plural })
    }
}

/// One row of a category's table: cookies that share provider, function,
/// locations, purpose, lifetime and consent, as on the published page.
pub(crate) struct Row {
    pub provider: &'static str,
    pub function_and_location: String,
    pub names: Vec<&'static str>,
    pub purpose: &'static str,
    pub lifetime: String,
    pub anonymized: bool,
}

impl Row {
    /// The "Cookie name(s)" cell: each name as `code` writes it, joined,
    /// marked when the row is anonymized audience measurement.
    pub fn names_cell(&self, strings: &Strings, code: impl Fn(&str) -> String) -> String {
        let names: Vec<String> = self.names.iter().map(|name| code(name)).collect();
        let names = names.join(", ");
        if self.anonymized {
            format!("{names} ({})", strings.anonymized)
        } else {
            names
        }
    }
}

/// The page of policy `P` in `language`.
pub(crate) struct Page {
    pub strings: &'static Strings,
    pub site_name: &'static str,
    pub site_url: Option<&'static str>,
    pub revision: u64,
    pub sections: Vec<(Category, Vec<Row>)>,
}

impl Page {
    pub fn new<P: CookiePolicy + ?Sized>(language: &str) -> Result<Page, PublishError> {
        let strings = match language {
            "en" => &EN,
            "fr" => &FR,
            other => return Err(PublishError::UnsupportedLanguage(other.to_owned())),
        };
        let site = P::SITE;
        let Some(site_name) = site.name_text().get(language) else {
            return Err(PublishError::PolicyNotTranslated {
                language: language.to_owned(),
                available: site.languages().join(", "),
            });
        };
        let sections = Category::ALL
            .into_iter()
            .map(|category| (category, rows(P::by_category(category), strings)))
            .filter(|(_, rows)| !rows.is_empty())
            .collect();
        Ok(Page {
            strings,
            site_name,
            site_url: site.url(),
            revision: P::REVISION,
            sections,
        })
    }
}

fn rows(cookies: impl Iterator<Item = &'static Cookie>, strings: &Strings) -> Vec<Row> {
    let language = strings.language;
    let mut rows: Vec<(&'static Cookie, Row)> = Vec::new();
    for cookie in cookies {
        let anonymized = cookie.category() == Category::Statistical && !cookie.requires_consent();
        let same = |first: &&'static Cookie| {
            first.provider() == cookie.provider()
                && first.function_text() == cookie.function_text()
                && first.locations() == cookie.locations()
                && first.purpose_text() == cookie.purpose_text()
                && first.lifetime() == cookie.lifetime()
                && first.requires_consent() == cookie.requires_consent()
        };
        if let Some((_, row)) = rows.iter_mut().find(|(first, _)| same(first)) {
            row.names.push(cookie.name());
            continue;
        }
        let function = cookie.function_in(language).unwrap_or(cookie.function());
        let function_and_location = match cookie.locations() {
            [] => function.to_owned(),
            locations => format!("{function} ({})", locations.join(", ")),
        };
        rows.push((
            cookie,
            Row {
                provider: cookie.provider().name(),
                function_and_location,
                names: vec![cookie.name()],
                purpose: cookie.purpose_in(language).unwrap_or(cookie.purpose()),
                lifetime: strings.lifetime(cookie.lifetime()),
                anonymized,
            },
        ));
    }
    rows.into_iter().map(|(_, row)| row).collect()
}
