//! How long a cookie lives: [`Lifetime`] and its [`TimeUnit`].

use core::fmt;
use core::str::FromStr;
use core::time::Duration;

use crate::suggest::closest;

/// A unit of a cookie's declared lifetime.
///
/// Months and years are calendar averages (a month is 30.436875 days, a year
/// 365.2425 days), so that "13 months" and "395 days" compare as a reader of the
/// policy expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TimeUnit {
    /// One second.
    Second,
    /// 60 seconds.
    Minute,
    /// 60 minutes.
    Hour,
    /// 24 hours.
    Day,
    /// 7 days.
    Week,
    /// An average Gregorian month: 2,629,746 seconds.
    Month,
    /// An average Gregorian year: 31,556,952 seconds.
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

    /// The unit's length in seconds.
    pub const fn seconds(self) -> u64 {
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

    /// The singular English name: `"second"` … `"year"`.
    pub const fn singular(self) -> &'static str {
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
}

/// How long a cookie is kept by the browser, as the policy declares it.
///
/// Written in `policy.toml` as `lifetime = "session"` or
/// `lifetime = "<n> <unit>"` (units `second` to `year`, singular or plural).
/// It keeps the amount and unit as declared, so it displays as written.
///
/// ```
/// use cookie_policy_core::{Lifetime, TimeUnit};
/// use std::time::Duration;
///
/// let lifetime = Lifetime::Fixed { amount: 2, unit: TimeUnit::Week };
/// assert_eq!(lifetime.to_string(), "2 weeks");
/// assert_eq!(lifetime.duration(), Some(Duration::from_secs(14 * 86_400)));
/// assert_eq!(Lifetime::Session.duration(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lifetime {
    /// Deleted when the browser session ends.
    Session,
    /// Kept for a fixed time after it is set.
    Fixed {
        /// How many units (at least 1).
        amount: u32,
        /// The unit the policy wrote.
        unit: TimeUnit,
    },
}

impl Lifetime {
    /// The lifetime in seconds; `None` for a session cookie.
    pub const fn seconds(self) -> Option<u64> {
        match self {
            Lifetime::Session => None,
            // u32 * at most 31_556_952 always fits in u64.
            Lifetime::Fixed { amount, unit } => Some(amount as u64 * unit.seconds()),
        }
    }

    /// The lifetime as a [`Duration`]; `None` for a session cookie.
    pub const fn duration(self) -> Option<Duration> {
        match self.seconds() {
            Some(seconds) => Some(Duration::from_secs(seconds)),
            None => None,
        }
    }
}

impl fmt::Display for Lifetime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Lifetime::Session => f.write_str("session"),
            Lifetime::Fixed { amount: 1, unit } => write!(f, "1 {}", unit.singular()),
            Lifetime::Fixed { amount, unit } => write!(f, "{amount} {}s", unit.singular()),
        }
    }
}

/// Why a lifetime did not parse, and what would: the error of
/// `"..".parse::<Lifetime>()`.
///
/// ```
/// use cookie_policy_core::Lifetime;
///
/// let error = "2 weaks".parse::<Lifetime>().unwrap_err();
/// assert_eq!(error.to_string(), "`weaks` is not a unit of time");
/// assert_eq!(error.suggestion(), Some("2 weeks"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseLifetimeError {
    message: String,
    suggestion: Option<String>,
}

impl ParseLifetimeError {
    /// A corrected lifetime, when one is plausible (`"2 weeks"` for
    /// `"2 weaks"`, `"session"` for `"0 days"`).
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion.as_deref()
    }
}

/// How a lifetime is written, for error messages.
pub const LIFETIME_FORMAT: &str = "write `\"session\"` or `\"<number> <unit>\"` such as `\"13 months\"`; \
     the units are seconds, minutes, hours, days, weeks, months and years (singular or plural)";

/// Parses a lifetime as `policy.toml` writes it: `"session"` or
/// `"<amount> <unit>"`, the unit singular or plural.
///
/// ```
/// use cookie_policy_core::{Lifetime, TimeUnit};
///
/// assert_eq!("session".parse(), Ok(Lifetime::Session));
/// assert_eq!("2 weeks".parse(), Ok(Lifetime::Fixed { amount: 2, unit: TimeUnit::Week }));
/// assert!("forever".parse::<Lifetime>().is_err());
/// ```
impl FromStr for Lifetime {
    type Err = ParseLifetimeError;

    fn from_str(text: &str) -> Result<Lifetime, ParseLifetimeError> {
        parse(text)
    }
}

fn parse(text: &str) -> Result<Lifetime, ParseLifetimeError> {
    let fail = |message: String, suggestion: Option<String>| {
        Err(ParseLifetimeError {
            message,
            suggestion,
        })
    };
    let mut words = text.split_whitespace();
    let (Some(first), second, None) = (words.next(), words.next(), words.next()) else {
        return fail(format!("`{text}` is not a lifetime"), None);
    };
    let Some(unit_word) = second else {
        if first == "session" {
            return Ok(Lifetime::Session);
        }
        let suggestion = closest(first, ["session"]).map(str::to_owned);
        return fail(format!("`{text}` is not a lifetime"), suggestion);
    };
    let unit = TimeUnit::ALL.into_iter().find(|unit| {
        let singular = unit.singular();
        unit_word == singular || unit_word.strip_suffix('s') == Some(singular)
    });
    let Some(unit) = unit else {
        let names = TimeUnit::ALL
            .iter()
            .flat_map(|unit| [unit.singular().to_owned(), format!("{}s", unit.singular())]);
        let names: Vec<String> = names.collect();
        let suggestion = closest(unit_word, names.iter().map(String::as_str))
            .map(|unit| format!("{first} {unit}"));
        return fail(format!("`{unit_word}` is not a unit of time"), suggestion);
    };
    if !first.bytes().all(|b| b.is_ascii_digit()) {
        return fail(
            format!("`{first}` is not a whole number of {}s", unit.singular()),
            None,
        );
    }
    let Ok(amount) = first.parse::<u32>() else {
        return fail(
            format!("`{first}` {}s is too long a lifetime", unit.singular()),
            None,
        );
    };
    if amount == 0 {
        return fail(
            "a lifetime of zero is not a lifetime".to_owned(),
            Some("session".to_owned()),
        );
    }
    Ok(Lifetime::Fixed { amount, unit })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(amount: u32, unit: TimeUnit) -> Result<Lifetime, ParseLifetimeError> {
        Ok(Lifetime::Fixed { amount, unit })
    }

    #[test]
    fn accepts_singular_plural_and_spacing() {
        assert_eq!(parse("1 year"), fixed(1, TimeUnit::Year));
        assert_eq!(parse("12 months"), fixed(12, TimeUnit::Month));
        assert_eq!(parse("  30   seconds "), fixed(30, TimeUnit::Second));
        assert_eq!(parse("1 days"), fixed(1, TimeUnit::Day));
    }

    #[test]
    fn rejects_what_is_not_a_lifetime() {
        for text in [
            "",
            "forever",
            "2",
            "weeks",
            "two weeks",
            "-1 day",
            "1.5 days",
            "2 weeks ago",
            "2 Weeks",
        ] {
            assert!(parse(text).is_err(), "{text:?} parsed");
        }
        let error = parse("0 days").unwrap_err();
        assert_eq!(error.message, "a lifetime of zero is not a lifetime");
        let error = parse("99999999999 days").unwrap_err();
        assert_eq!(error.message, "`99999999999` days is too long a lifetime");
        assert_eq!(parse("sesion").unwrap_err().suggestion(), Some("session"));
    }

    #[test]
    fn displays_singular_and_plural() {
        let one = Lifetime::Fixed {
            amount: 1,
            unit: TimeUnit::Year,
        };
        let six = Lifetime::Fixed {
            amount: 6,
            unit: TimeUnit::Month,
        };
        assert_eq!(one.to_string(), "1 year");
        assert_eq!(six.to_string(), "6 months");
        assert_eq!(Lifetime::Session.to_string(), "session");
    }

    #[test]
    fn largest_lifetime_does_not_overflow() {
        let longest = Lifetime::Fixed {
            amount: u32::MAX,
            unit: TimeUnit::Year,
        };
        assert_eq!(longest.seconds(), Some(u64::from(u32::MAX) * 31_556_952));
    }
}
