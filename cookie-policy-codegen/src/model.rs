//! The validated policy: what `validate` returns and `expand` turns into code.
//!
//! Every value here has been checked; the only thing left to do with it is to
//! write it out.

/// A checked policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// `[site]`.
    pub site: Site,
    /// `[[provider]]`, in file order.
    pub providers: Vec<Provider>,
    /// `[[cookie]]`, in file order.
    pub cookies: Vec<Cookie>,
}

/// `[site]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Site {
    /// `name`.
    pub name: String,
    /// `url`.
    pub url: Option<String>,
    /// `locations`.
    pub locations: Vec<String>,
}

/// One `[[provider]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    /// `id`.
    pub id: String,
    /// `name`.
    pub name: String,
    /// `url`.
    pub url: Option<String>,
}

/// One `[[cookie]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cookie {
    /// `name`, with the `*` of a pattern.
    pub name: String,
    /// Whether `name` ends with `*`.
    pub is_pattern: bool,
    /// Index into [`Policy::providers`].
    pub provider: usize,
    /// `function`.
    pub function: String,
    /// `locations`.
    pub locations: Vec<String>,
    /// `purpose`.
    pub purpose: String,
    /// `category`.
    pub category: Category,
    /// `party`.
    pub party: Party,
    /// `lifetime`.
    pub lifetime: Option<Lifetime>,
    /// `domain`.
    pub domain: Option<String>,
    /// `anonymized`.
    pub anonymized: bool,
    /// Decided from the category, `anonymized`, party and lifetime.
    pub requires_consent: bool,
    /// The generated constant's name.
    pub const_name: String,
    /// The 1-based line of the `name` key, for docs.
    pub line: usize,
}

impl Cookie {
    /// The bytes names are compared with: the name, or a pattern's prefix.
    pub fn key(&self) -> &str {
        if self.is_pattern {
            self.name.strip_suffix('*').unwrap_or(&self.name)
        } else {
            &self.name
        }
    }
}

/// `category`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// `"necessary"`.
    Necessary,
    /// `"functional"`.
    Functional,
    /// `"statistical"`.
    Statistical,
    /// `"advertising"`.
    Advertising,
}

impl Category {
    /// In page order.
    pub const ALL: [Category; 4] = [
        Category::Necessary,
        Category::Functional,
        Category::Statistical,
        Category::Advertising,
    ];

    /// As written in TOML.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Necessary => "necessary",
            Category::Functional => "functional",
            Category::Statistical => "statistical",
            Category::Advertising => "advertising",
        }
    }

    /// The variant's name in `cookie_policy::Category`.
    pub fn variant(self) -> &'static str {
        match self {
            Category::Necessary => "Necessary",
            Category::Functional => "Functional",
            Category::Statistical => "Statistical",
            Category::Advertising => "Advertising",
        }
    }
}

/// `party`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    /// `"first"`.
    First,
    /// `"third"`.
    Third,
}

/// `lifetime`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// `"session"`.
    Session,
    /// `"<amount> <unit>"`.
    Fixed {
        /// At least 1.
        amount: u32,
        /// The unit.
        unit: TimeUnit,
    },
}

impl Lifetime {
    /// Seconds, with months and years as calendar averages; `None` for a
    /// session.
    pub fn seconds(self) -> Option<u64> {
        match self {
            Lifetime::Session => None,
            Lifetime::Fixed { amount, unit } => Some(u64::from(amount) * unit.seconds()),
        }
    }
}

impl core::fmt::Display for Lifetime {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match *self {
            Lifetime::Session => f.write_str("session"),
            Lifetime::Fixed { amount: 1, unit } => write!(f, "1 {}", unit.singular()),
            Lifetime::Fixed { amount, unit } => write!(f, "{amount} {}s", unit.singular()),
        }
    }
}

/// A lifetime's unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    /// 1 s.
    Second,
    /// 60 s.
    Minute,
    /// 3,600 s.
    Hour,
    /// 86,400 s.
    Day,
    /// 604,800 s.
    Week,
    /// 2,629,746 s: an average Gregorian month.
    Month,
    /// 31,556,952 s: an average Gregorian year.
    Year,
}

impl TimeUnit {
    /// Every unit, shortest first.
    pub const ALL: [TimeUnit; 7] = [
        TimeUnit::Second,
        TimeUnit::Minute,
        TimeUnit::Hour,
        TimeUnit::Day,
        TimeUnit::Week,
        TimeUnit::Month,
        TimeUnit::Year,
    ];

    /// Must equal `cookie_policy::TimeUnit::seconds`.
    pub fn seconds(self) -> u64 {
        match self {
            TimeUnit::Second => 1,
            TimeUnit::Minute => 60,
            TimeUnit::Hour => 3_600,
            TimeUnit::Day => 86_400,
            TimeUnit::Week => 604_800,
            TimeUnit::Month => 2_629_746,
            TimeUnit::Year => 31_556_952,
        }
    }

    /// `"second"` ... `"year"`.
    pub fn singular(self) -> &'static str {
        match self {
            TimeUnit::Second => "second",
            TimeUnit::Minute => "minute",
            TimeUnit::Hour => "hour",
            TimeUnit::Day => "day",
            TimeUnit::Week => "week",
            TimeUnit::Month => "month",
            TimeUnit::Year => "year",
        }
    }

    /// The variant's name in `cookie_policy::TimeUnit`.
    pub fn variant(self) -> &'static str {
        match self {
            TimeUnit::Second => "Second",
            TimeUnit::Minute => "Minute",
            TimeUnit::Hour => "Hour",
            TimeUnit::Day => "Day",
            TimeUnit::Week => "Week",
            TimeUnit::Month => "Month",
            TimeUnit::Year => "Year",
        }
    }
}
