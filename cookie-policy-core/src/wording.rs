//! The words of a policy page in one language: [`Wording`].

use crate::{BannerText, Category, Lifetime};

/// The texts a policy page, its tables and the rustdoc tables are written
/// with, in one language. The policy's own texts (purposes, functions) come
/// from `policy.toml`; these are the page's.
///
/// ```
/// use cookie_policy_core::{Category, Lifetime, TimeUnit, Wording};
///
/// let french = Wording::for_language("fr").unwrap();
/// assert_eq!(french.category_heading(Category::Statistical), "Cookies statistiques");
/// let thirteen_months = Lifetime::Fixed { amount: 13, unit: TimeUnit::Month };
/// assert_eq!(french.lifetime(Some(thirteen_months)), "13 mois");
/// assert!(Wording::for_language("de").is_none());
/// ```
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Wording {
    /// The language tag: `"en"` or `"fr"`.
    pub language: &'static str,
    /// The page's title.
    pub title: &'static str,
    /// The heading of the paragraph that explains cookies.
    pub what_is_a_cookie: &'static str,
    /// That paragraph.
    pub what_is_a_cookie_text: &'static str,
    /// The heading of the list of kinds of cookies.
    pub kinds: &'static str,
    /// That list: (kind, explanation).
    pub kinds_list: [(&'static str, &'static str); 4],
    /// The heading above the tables.
    pub cookies_used: &'static str,
    /// The tables' column headers.
    pub columns: [&'static str; 5],
    /// A lifetime the policy does not state.
    pub not_stated: &'static str,
    /// The mark after the names of anonymized audience-measurement cookies.
    pub anonymized: &'static str,
    /// What a page says of a policy without cookies.
    pub no_cookies: &'static str,
    /// "Policy revision", before the revision's hexadecimal value.
    pub revision: &'static str,
    /// The consent banner's cookie table headers: name, domain, lifetime,
    /// purpose.
    pub banner_columns: [&'static str; 4],
    categories: [(&'static str, &'static str); 4],
    banner: [&'static str; 9],
    /// The banner's Global Privacy Control notice, `{categories}` standing
    /// for the refused categories; with the word that joins the last two.
    gpc_notice: (&'static str, &'static str),
    session: &'static str,
    units: [(&'static str, &'static str); 7],
}

impl Wording {
    /// English.
    pub const EN: Wording = Wording {
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
        categories: [
            (
                "Necessary cookies",
                "Needed for the site to work. They do not require your consent.",
            ),
            (
                "Functional cookies",
                "They remember your choices beyond what is necessary. They require your consent.",
            ),
            (
                "Statistical cookies",
                "They measure the site's audience. They require your consent, except those marked anonymized.",
            ),
            (
                "Advertising cookies",
                "Advertising and tracking. They require your consent.",
            ),
        ],
        banner_columns: ["Cookie", "Domain", "Lifetime", "Purpose"],
        banner: [
            "We use cookies",
            "Some cookies are needed for this site to work. With your consent, we also use others, described in our cookie policy. You can change your choice at any time.",
            "Accept all",
            "Reject all",
            "Manage preferences",
            "Cookie preferences",
            "Choose which cookies this site may use. Necessary cookies are always on: the site cannot work without them.",
            "Save preferences",
            "Close",
        ],
        gpc_notice: (
            "Your browser sends a Global Privacy Control signal, which this site honours: {categories} are refused unless you accept them yourself.",
            "and",
        ),
        session: "session",
        units: [
            ("second", "seconds"),
            ("minute", "minutes"),
            ("hour", "hours"),
            ("day", "days"),
            ("week", "weeks"),
            ("month", "months"),
            ("year", "years"),
        ],
    };

    /// French.
    pub const FR: Wording = Wording {
        language: "fr",
        title: "Politique relative aux cookies",
        what_is_a_cookie: "Qu'est-ce qu'un cookie\u{a0}?",
        what_is_a_cookie_text: "Un cookie est un petit fichier texte qu'un site web enregistre sur votre appareil lorsque vous le consultez. Il permet au site de se souvenir d'informations sur votre visite, comme votre langue ou le fait que vous êtes connecté.",
        kinds: "Les types de cookies",
        kinds_list: [
            (
                "Les cookies nécessaires",
                "sont indispensables au fonctionnement du site\u{a0}: ils peuvent enregistrer un panier, des informations de connexion ou des préférences d'interface. Ils ne nécessitent pas votre consentement.",
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
        categories: [
            (
                "Cookies nécessaires",
                "Indispensables au fonctionnement du site. Ils ne nécessitent pas votre consentement.",
            ),
            (
                "Cookies fonctionnels",
                "Ils retiennent vos choix au-delà du nécessaire. Ils nécessitent votre consentement.",
            ),
            (
                "Cookies statistiques",
                "Ils mesurent l'audience du site. Ils nécessitent votre consentement, sauf ceux marqués anonymisés.",
            ),
            (
                "Cookies publicitaires",
                "Publicité et suivi. Ils nécessitent votre consentement.",
            ),
        ],
        banner_columns: ["Cookie", "Domaine", "Durée de conservation", "Finalité"],
        banner: [
            "Nous utilisons des cookies",
            "Certains cookies sont indispensables au fonctionnement de ce site. Avec votre consentement, nous en utilisons d'autres, décrits dans notre politique relative aux cookies. Vous pouvez modifier votre choix à tout moment.",
            "Tout accepter",
            "Tout refuser",
            "Personnaliser",
            "Préférences en matière de cookies",
            "Choisissez les cookies que ce site peut utiliser. Les cookies nécessaires sont toujours actifs\u{a0}: le site ne peut pas fonctionner sans eux.",
            "Enregistrer mes choix",
            "Fermer",
        ],
        gpc_notice: (
            "Votre navigateur envoie un signal Global Privacy Control, que ce site respecte : les {categories} sont refusés, sauf si vous les acceptez vous-même.",
            "et",
        ),
        session: "session",
        units: [
            ("seconde", "secondes"),
            ("minute", "minutes"),
            ("heure", "heures"),
            ("jour", "jours"),
            ("semaine", "semaines"),
            ("mois", "mois"),
            ("an", "ans"),
        ],
    };

    /// The wording of `language`, if pages are written in it (`"en"`, `"fr"`).
    pub fn for_language(language: &str) -> Option<&'static Wording> {
        match language {
            "en" => Some(&Wording::EN),
            "fr" => Some(&Wording::FR),
            _ => None,
        }
    }

    /// The heading of a category's table: "Statistical cookies".
    #[allow(
        clippy::indexing_slicing,
        reason = "a category's discriminant is below 4, the array's length"
    )]
    pub const fn category_heading(&self, category: Category) -> &'static str {
        self.categories[category as usize].0
    }

    /// The sentence under a category's heading: what the category is for and
    /// whether it needs consent.
    #[allow(
        clippy::indexing_slicing,
        reason = "a category's discriminant is below 4, the array's length"
    )]
    pub const fn category_text(&self, category: Category) -> &'static str {
        self.categories[category as usize].1
    }

    /// The built-in wording of a banner text, which `[banner]` in
    /// `policy.toml` may replace.
    #[allow(
        clippy::indexing_slicing,
        reason = "a banner text's discriminant is below 9, the array's length"
    )]
    pub const fn banner(&self, text: BannerText) -> &'static str {
        self.banner[text as usize]
    }

    /// What the banner says to a visitor whose browser sends a Global
    /// Privacy Control signal: that the site honours it, and which
    /// `categories` it refuses until the visitor accepts them (their
    /// headings, in lower case). Typeset for the language.
    ///
    /// ```
    /// use cookie_policy_core::{Category, Wording};
    ///
    /// let notice = Wording::EN.gpc_notice(&[Category::Statistical, Category::Advertising]);
    /// assert!(notice.contains(": statistical cookies and advertising cookies are refused"), "{notice}");
    /// let avis = Wording::FR.gpc_notice(&[Category::Advertising]);
    /// assert!(avis.contains("respecte\u{a0}: les cookies publicitaires sont refusés"), "{avis}");
    /// ```
    pub fn gpc_notice(&self, categories: &[Category]) -> String {
        let names: Vec<String> = categories
            .iter()
            .map(|&category| {
                let heading = self.category_heading(category);
                let mut chars = heading.chars();
                chars.next().map_or_else(String::new, |first| {
                    first.to_lowercase().chain(chars).collect()
                })
            })
            .collect();
        let (template, and) = self.gpc_notice;
        let listed = match names.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {and} {last}", init.join(", ")),
        };
        self.typeset(&template.replace("{categories}", &listed))
    }

    /// `text` with this language's spacing rules applied: in French, a space
    /// before `:`, `;`, `?` or `!` becomes a no-break space, so the mark
    /// never starts a line.
    ///
    /// ```
    /// use cookie_policy_core::Wording;
    ///
    /// assert_eq!(Wording::FR.typeset("Pourquoi ? Parce que : ceci"), "Pourquoi\u{a0}? Parce que\u{a0}: ceci");
    /// assert_eq!(Wording::FR.typeset("https://a.b 10:30"), "https://a.b 10:30");
    /// assert_eq!(Wording::EN.typeset("Why ?"), "Why ?");
    /// ```
    pub fn typeset(&self, text: &str) -> String {
        if self.language != "fr" {
            return text.to_owned();
        }
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == ' '
                && chars
                    .peek()
                    .is_some_and(|next| matches!(next, ':' | ';' | '?' | '!'))
            {
                out.push('\u{a0}');
            } else {
                out.push(c);
            }
        }
        out
    }

    /// A lifetime as a reader of this language writes it: "13 months",
    /// "13 mois", "session", or [`not_stated`](Wording::not_stated).
    #[allow(
        clippy::indexing_slicing,
        reason = "a unit's discriminant is below 7, the array's length"
    )]
    pub fn lifetime(&self, lifetime: Option<Lifetime>) -> String {
        match lifetime {
            None => self.not_stated.to_owned(),
            Some(Lifetime::Session) => self.session.to_owned(),
            Some(Lifetime::Fixed { amount, unit }) => {
                let (singular, plural) = self.units[unit as usize];
                format!("{amount} {}", if amount == 1 { singular } else { plural })
            }
        }
    }
}
