//! [`EnforcedPolicy`]: what enforcement judges with, a policy compiled in
//! or one loaded at run time.

use crate::{Consent, Cookie, CookiePolicy, PolicyData, Verdict};

mod sealed {
    pub trait Sealed {}
    impl<P: crate::CookiePolicy + ?Sized> Sealed for P {}
    impl Sealed for crate::PolicyData {}
}

/// A policy the enforcement code can judge responses with: any
/// [`CookiePolicy`] type, compiled in by the derive, or a [`PolicyData`],
/// which may have been loaded at run time (`PolicyData::load`, feature
/// `load`).
///
/// The same code runs for both. A compiled-in policy is a type: the layer
/// holds nothing for it ([`Held`](Self::Held) is `()`) and its lookups are
/// the derive's, inlined. A `PolicyData` is a value the layer holds and
/// asks.
///
/// This trait is sealed: it is implemented for every `CookiePolicy` and for
/// `PolicyData`, and nothing else.
///
/// ```
/// use cookie_policy::enforce::EnforcedPolicy;
/// use cookie_policy::{Platform, PolicyData};
///
/// fn enforceable<P: EnforcedPolicy + ?Sized>() {}
/// enforceable::<Platform>();
/// enforceable::<PolicyData>();
/// ```
pub trait EnforcedPolicy: sealed::Sealed {
    /// What a layer holds to judge with: nothing for a compiled-in policy,
    /// the [`PolicyData`] for a loaded one.
    type Held: Clone + Send + Sync + 'static;

    /// The declared cookie a cookie called `name` (its bytes) is:
    /// [`CookiePolicy::lookup`].
    #[doc(hidden)]
    fn __lookup(held: &Self::Held, name: &[u8]) -> Option<&'static Cookie>;

    /// The policy's data ([`PolicyData::of`] for a compiled-in policy).
    #[doc(hidden)]
    fn __data(held: &Self::Held) -> PolicyData;

    /// [`CookiePolicy::permits`].
    #[doc(hidden)]
    #[inline]
    fn __permits(held: &Self::Held, name: &[u8], consent: Consent) -> Verdict {
        match Self::__lookup(held, name) {
            None => Verdict::Undeclared,
            Some(cookie) if consent.permits(cookie) => Verdict::Allowed(cookie),
            Some(cookie) => Verdict::Refused {
                cookie,
                missing: cookie.category(),
            },
        }
    }
}

impl<P: CookiePolicy + ?Sized> EnforcedPolicy for P {
    type Held = ();

    #[inline]
    fn __lookup((): &(), name: &[u8]) -> Option<&'static Cookie> {
        P::__lookup_bytes(name)
    }

    #[inline]
    fn __data((): &()) -> PolicyData {
        PolicyData::of::<P>()
    }
}

impl EnforcedPolicy for PolicyData {
    type Held = PolicyData;

    #[inline]
    fn __lookup(held: &PolicyData, name: &[u8]) -> Option<&'static Cookie> {
        held.lookup_bytes(name)
    }

    #[inline]
    fn __data(held: &PolicyData) -> PolicyData {
        *held
    }
}

#[cfg(all(test, feature = "load"))]
mod tests {
    use http::header::{HeaderMap, HeaderValue, SET_COOKIE};

    use crate::enforce::{cookie_names, declared_by, filter_into, for_each_deletion};
    use crate::{Category, Consent, CookiePolicy, PolicyData};

    /// The tests' shop, compiled in.
    #[derive(crate::CookiePolicy)]
    #[cookie_policy(path = "../tests/fixtures/shop.toml")]
    struct Shop;

    /// The filter and the deletions give the same answers for the shop
    /// compiled in and the same file loaded at run time (looked up by a
    /// scan, not the derive's index), on every declared name, prefixes and
    /// extensions of it, and undeclared ones, under every consent.
    #[test]
    fn a_loaded_policy_is_judged_as_the_compiled_one() {
        let loaded = PolicyData::load("../tests/fixtures/shop.toml").unwrap();
        let mut names: Vec<String> = vec!["_ga".into(), "tracker".into(), String::new()];
        for cookie in Shop::COOKIES {
            let name = cookie.name().trim_end_matches('*');
            names.push(name.to_owned());
            names.push(format!("{name}x1"));
            names.push(name.chars().take(3).collect());
        }
        // The loaded policy's lookups (the derive's tables, built at run
        // time) against a naive scan: an exact name, else the longest
        // pattern prefix.
        for name in &names {
            let naive = loaded
                .cookies()
                .iter()
                .find(|cookie| !cookie.is_pattern() && cookie.name() == name)
                .or_else(|| {
                    loaded
                        .cookies()
                        .iter()
                        .filter(|cookie| {
                            cookie.is_pattern()
                                && name.starts_with(cookie.name().trim_end_matches('*'))
                        })
                        .max_by_key(|cookie| cookie.name().len())
                });
            assert_eq!(
                loaded.lookup(name).map(|cookie| cookie.name()),
                naive.map(|cookie| cookie.name()),
                "{name}"
            );
        }
        let consents = [Consent::necessary_only(), Consent::all()]
            .into_iter()
            .chain(Category::ALL.map(|category| Consent::necessary_only().grant(category)));
        for consent in consents {
            let mut headers = HeaderMap::new();
            for name in &names {
                let header = format!("{name}=v; Path=/");
                headers.append(SET_COOKIE, HeaderValue::from_str(&header).unwrap());
            }
            let mut compiled = headers.clone();
            let (mut removed_compiled, mut removed_loaded) = (Vec::new(), Vec::new());
            filter_into::<Shop>(
                &(),
                &mut compiled,
                consent,
                None,
                &mut |removal| removed_compiled.push(removal),
                Some(&mut Vec::new()),
            );
            filter_into::<PolicyData>(
                &loaded,
                &mut headers,
                consent,
                None,
                &mut |removal| removed_loaded.push(removal),
                Some(&mut Vec::new()),
            );
            assert_eq!(compiled, headers);
            assert_eq!(removed_compiled, removed_loaded);
            let request = HeaderValue::from_str(
                &names
                    .iter()
                    .filter(|name| !name.is_empty())
                    .map(|name| format!("{name}=1"))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
            .unwrap();
            let (mut deleted_compiled, mut deleted_loaded) = (Vec::new(), Vec::new());
            for_each_deletion(
                cookie_names([&request]),
                consent,
                declared_by::<Shop>(&()),
                |header| {
                    deleted_compiled.push(header);
                },
            );
            for_each_deletion(
                cookie_names([&request]),
                consent,
                declared_by::<PolicyData>(&loaded),
                |header| {
                    deleted_loaded.push(header);
                },
            );
            assert_eq!(deleted_compiled, deleted_loaded);
            // `tracker` is undeclared: the comparison is never of nothing.
            assert!(!removed_loaded.is_empty());
        }
    }
}
