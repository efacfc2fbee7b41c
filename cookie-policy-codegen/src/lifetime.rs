//! The `lifetime` mini-language: `"session"` or `"<amount> <unit>"`.

use crate::model::{Lifetime, TimeUnit};
use crate::suggest::closest;

/// Why a lifetime did not parse, and what would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LifetimeError {
    /// What is wrong.
    pub message: String,
    /// A corrected lifetime, when one is plausible.
    pub suggestion: Option<String>,
}

/// How a lifetime is written, for error messages.
pub const LIFETIME_FORMAT: &str = "write `\"session\"` or `\"<number> <unit>\"` such as `\"13 months\"`; \
     the units are seconds, minutes, hours, days, weeks, months and years (singular or plural)";

/// Parses a lifetime as `policy.toml` writes it.
///
/// ```
/// use cookie_policy_codegen::lifetime::parse_lifetime;
/// use cookie_policy_codegen::model::{Lifetime, TimeUnit};
///
/// assert_eq!(parse_lifetime("session"), Ok(Lifetime::Session));
/// assert_eq!(
///     parse_lifetime("2 weeks"),
///     Ok(Lifetime::Fixed { amount: 2, unit: TimeUnit::Week })
/// );
/// assert!(parse_lifetime("2 weaks").unwrap_err().suggestion == Some("2 weeks".into()));
/// ```
pub fn parse_lifetime(text: &str) -> Result<Lifetime, LifetimeError> {
    let fail = |message: String, suggestion: Option<String>| {
        Err(LifetimeError {
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

    fn fixed(amount: u32, unit: TimeUnit) -> Result<Lifetime, LifetimeError> {
        Ok(Lifetime::Fixed { amount, unit })
    }

    #[test]
    fn accepts_singular_plural_and_spacing() {
        assert_eq!(parse_lifetime("1 year"), fixed(1, TimeUnit::Year));
        assert_eq!(parse_lifetime("12 months"), fixed(12, TimeUnit::Month));
        assert_eq!(
            parse_lifetime("  30   seconds "),
            fixed(30, TimeUnit::Second)
        );
        assert_eq!(parse_lifetime("1 days"), fixed(1, TimeUnit::Day));
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
            assert!(parse_lifetime(text).is_err(), "{text:?} parsed");
        }
        let error = parse_lifetime("0 days").unwrap_err();
        assert_eq!(error.message, "a lifetime of zero is not a lifetime");
        let error = parse_lifetime("99999999999 days").unwrap_err();
        assert_eq!(error.message, "`99999999999` days is too long a lifetime");
        assert_eq!(
            parse_lifetime("sesion").unwrap_err().suggestion.as_deref(),
            Some("session")
        );
    }
}
