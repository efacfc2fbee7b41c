//! How long a cookie lives: [`Lifetime`] and its [`TimeUnit`].

use core::fmt;
use core::time::Duration;

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

#[cfg(test)]
mod tests {
    use super::*;

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
