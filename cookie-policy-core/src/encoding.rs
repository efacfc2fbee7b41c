//! The compact encoding between what `#[derive(CookiePolicy)]` writes and the
//! `cookie_policy::Cookie` it builds: one `u8` per category, a `(u32, u8)`
//! pair per lifetime and a byte of flags, so that a large policy is few
//! tokens for rustc.
//!
//! Both sides call the functions here: the derive encodes with
//! [`category_code`], [`lifetime_code`] and [`flags`], and the generated
//! static decodes with [`category`] and [`lifetime`] at compile time. A code
//! that decodes to nothing is not defaulted: `cookie_policy`'s constructor
//! panics, and since it runs in a static's initializer, that is a compile
//! error.
//!
//! ```
//! use cookie_policy_core::encoding;
//! use cookie_policy_core::{Category, Lifetime, TimeUnit};
//!
//! for category in Category::ALL {
//!     assert_eq!(encoding::category(encoding::category_code(category)), Some(category));
//! }
//! let lifetime = Some(Lifetime::Fixed { amount: 13, unit: TimeUnit::Month });
//! let (amount, unit) = encoding::lifetime_code(lifetime);
//! assert_eq!(encoding::lifetime(amount, unit), Some(lifetime));
//! assert_eq!(encoding::category(9), None);
//! ```

use crate::{Category, Lifetime, Party, TimeUnit};

/// Flag: the entry is a prefix pattern (`_ga_*`).
pub const PATTERN: u8 = 1;
/// Flag: set by another site ([`Party::Third`]).
pub const THIRD_PARTY: u8 = 1 << 1;
/// Flag: declared `anonymized = true`.
pub const ANONYMIZED: u8 = 1 << 2;
/// Flag: needs the visitor's consent.
pub const REQUIRES_CONSENT: u8 = 1 << 3;
/// Flag: declared `refresh = true`: the site renews the cookie's expiry.
pub const REFRESH: u8 = 1 << 4;
/// Every flag bit; a byte with another bit set is not a valid encoding.
pub const ALL_FLAGS: u8 = PATTERN | THIRD_PARTY | ANONYMIZED | REQUIRES_CONSENT | REFRESH;

/// The code of `category`: its index in [`Category::ALL`].
pub const fn category_code(category: Category) -> u8 {
    category as u8
}

/// The category whose code is `code`, or `None` for a code no category has.
pub const fn category(code: u8) -> Option<Category> {
    match code {
        0 => Some(Category::Necessary),
        1 => Some(Category::Functional),
        2 => Some(Category::Statistical),
        3 => Some(Category::Advertising),
        _ => None,
    }
}

/// The `(amount, unit)` code of a declared lifetime: unit 0 is "not stated",
/// 1 the session, and 2 to 8 [`TimeUnit::ALL`] from seconds to years.
pub const fn lifetime_code(lifetime: Option<Lifetime>) -> (u32, u8) {
    match lifetime {
        None => (0, 0),
        Some(Lifetime::Session) => (0, 1),
        Some(Lifetime::Fixed { amount, unit }) => (amount, unit as u8 + 2),
    }
}

/// The lifetime whose code is `(amount, unit)`: `Some(None)` for "not
/// stated", `None` when the pair is no lifetime's code (an unknown unit, an
/// amount beside no unit or the session, or a fixed amount of zero).
pub const fn lifetime(amount: u32, unit: u8) -> Option<Option<Lifetime>> {
    let unit = match unit {
        0 | 1 if amount != 0 => return None,
        0 => return Some(None),
        1 => return Some(Some(Lifetime::Session)),
        _ if amount == 0 => return None,
        2 => TimeUnit::Second,
        3 => TimeUnit::Minute,
        4 => TimeUnit::Hour,
        5 => TimeUnit::Day,
        6 => TimeUnit::Week,
        7 => TimeUnit::Month,
        8 => TimeUnit::Year,
        _ => return None,
    };
    Some(Some(Lifetime::Fixed { amount, unit }))
}

/// The flags of a cookie, as [`flags`] packs them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Flags {
    /// A prefix pattern.
    pub is_pattern: bool,
    /// Who sets it.
    pub party: Party,
    /// `anonymized = true`.
    pub anonymized: bool,
    /// Needs consent.
    pub requires_consent: bool,
    /// `refresh = true`.
    pub refresh: bool,
}

/// The flag byte of a cookie.
pub const fn flags(flags: Flags) -> u8 {
    (flags.is_pattern as u8 * PATTERN)
        | (matches!(flags.party, Party::Third) as u8 * THIRD_PARTY)
        | (flags.anonymized as u8 * ANONYMIZED)
        | (flags.requires_consent as u8 * REQUIRES_CONSENT)
        | (flags.refresh as u8 * REFRESH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lifetime_round_trips_and_nothing_else_decodes() {
        let mut lifetimes = vec![None, Some(Lifetime::Session)];
        for unit in TimeUnit::ALL {
            for amount in [1, 13, u32::MAX] {
                lifetimes.push(Some(Lifetime::Fixed { amount, unit }));
            }
        }
        for lifetime in lifetimes {
            let (amount, unit) = lifetime_code(lifetime);
            assert_eq!(super::lifetime(amount, unit), Some(lifetime));
        }
        for (amount, unit) in [(1, 0), (1, 1), (0, 2), (1, 9), (0, 255)] {
            assert_eq!(super::lifetime(amount, unit), None, "({amount}, {unit})");
        }
    }

    #[test]
    fn codes_are_distinct_and_invalid_codes_decode_to_nothing() {
        let codes: Vec<u8> = Category::ALL.into_iter().map(category_code).collect();
        assert_eq!(codes, [0, 1, 2, 3]);
        assert!((4..=u8::MAX).all(|code| category(code).is_none()));
        let all = Flags {
            is_pattern: true,
            party: Party::Third,
            anonymized: true,
            requires_consent: true,
            refresh: true,
        };
        assert_eq!(flags(all), ALL_FLAGS);
        assert_eq!(flags(Flags::default()), 0);
    }
}
