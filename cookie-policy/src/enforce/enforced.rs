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
/// which may have been loaded at run time ([`PolicyData::load`], feature
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

    /// The declared cookie a cookie called `name` is:
    /// [`CookiePolicy::lookup`].
    #[doc(hidden)]
    fn __lookup(held: &Self::Held, name: &str) -> Option<&'static Cookie>;

    /// The policy's data ([`PolicyData::of`] for a compiled-in policy).
    #[doc(hidden)]
    fn __data(held: &Self::Held) -> PolicyData;

    /// [`CookiePolicy::permits`].
    #[doc(hidden)]
    #[inline]
    fn __permits(held: &Self::Held, name: &str, consent: Consent) -> Verdict {
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
    fn __lookup((): &(), name: &str) -> Option<&'static Cookie> {
        P::lookup(name)
    }

    #[inline]
    fn __data((): &()) -> PolicyData {
        PolicyData::of::<P>()
    }

    #[inline]
    fn __permits((): &(), name: &str, consent: Consent) -> Verdict {
        P::permits(name, consent)
    }
}

impl EnforcedPolicy for PolicyData {
    type Held = PolicyData;

    #[inline]
    fn __lookup(held: &PolicyData, name: &str) -> Option<&'static Cookie> {
        held.lookup(name)
    }

    #[inline]
    fn __data(held: &PolicyData) -> PolicyData {
        *held
    }
}
