//! Code generation: a validated policy becomes static tables, the trait
//! implementation and one constant per cookie.
//!
//! Everything is data in three statics; the per-cookie items are constants
//! that point into them. No function, macro call or type is generated per
//! cookie, which keeps large policies cheap for rustc.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::{DeriveInput, Path};

use crate::doc_table::{constant_doc, policy_doc};
use crate::index::LookupTables;

use crate::model::{Cookie, Policy, Text};

/// A text as the slice of its translations, in the site's language order.
impl quote::ToTokens for Text {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let values = &self.0;
        tokens.extend(quote!(&[#(#values),*]));
    }
}

/// Where generated code finds things.
pub struct Target<'a> {
    /// The type the derive is on.
    pub input: &'a DeriveInput,
    /// The path of the `cookie_policy` crate.
    pub krate: &'a Path,
    /// The policy file as messages and docs name it.
    pub file: &'a str,
    /// The file's absolute path, to make the build depend on it.
    pub include_path: Option<&'a str>,
}

/// The implementation of `CookiePolicy` for `target`.
pub fn expand(policy: &Policy, index: &LookupTables, target: &Target<'_>) -> TokenStream {
    let krate = target.krate;
    let ident = &target.input.ident;
    let (impl_generics, ty_generics, where_clause) = target.input.generics.split_for_impl();

    let site = &policy.site;
    let site_name = &site.name;
    let site_url = option_str(site.url.as_deref());
    let site_locations = &site.locations;
    let banner = site
        .banner
        .iter()
        .map(|(key, text)| quote!((#key, #krate::__private::Text::__new(&__LANGUAGES, #text))));
    let languages = &site.languages;
    let language_count = Literal::usize_unsuffixed(languages.len());

    let providers = policy.providers.iter().map(|provider| {
        let id = &provider.id;
        let name = &provider.name;
        let url = option_str(provider.url.as_deref());
        quote!(#krate::Provider::__new(#id, #name, #url))
    });
    let cookies = policy.cookies.iter().map(cookie_call);
    let constants = policy.cookies.iter().enumerate().map(|(index, cookie)| {
        let doc = constant_doc(policy, cookie, target.file);
        let name = format_ident!("{}", cookie.const_name);
        let index = Literal::usize_unsuffixed(index);
        quote! {
            #[doc = #doc]
            pub const #name: &'static #krate::Cookie = &__COOKIES[#index];
        }
    });
    let provider_count = Literal::usize_unsuffixed(policy.providers.len());
    let cookie_count = Literal::usize_unsuffixed(policy.cookies.len());
    let table_doc = policy_doc(policy, target.file);
    let LookupTables {
        seed,
        exact,
        prefixes,
        prefix_filter,
        long_prefix_filter,
        short_prefixes,
        long_prefixes,
    } = index;
    let keys = policy.cookies.iter().map(Cookie::key);
    let revision = policy.revision();
    let consent_cookie = match policy.consent_cookie {
        Some(index) => {
            let index = Literal::usize_unsuffixed(index);
            quote!(::core::option::Option::Some(&__COOKIES[#index]))
        }
        None => quote!(::core::option::Option::None),
    };
    let signals = signals(policy, krate);
    let include = target.include_path.map(|path| {
        quote!(
            const _: &[u8] = include_bytes!(#path);
        )
    });

    quote! {
        const _: () = {
            #include
            use #krate::__private::cookie as __cookie;
            static __LANGUAGES: [&str; #language_count] = [#(#languages),*];
            static __SITE: #krate::SiteInfo = #krate::SiteInfo::__new(
                #krate::__private::Text::__new(&__LANGUAGES, #site_name),
                #site_url,
                &[#(#site_locations),*],
                &[#(#banner),*],
            );
            static __PROVIDERS: [#krate::Provider; #provider_count] = [#(#providers),*];
            static __COOKIES: [#krate::Cookie; #cookie_count] = [#(#cookies),*];
            static __SIGNALS: #krate::Signals = #signals;
            static __INDEX: #krate::__private::Index = #krate::__private::Index {
                cookies: &__COOKIES,
                keys: &[#(#keys),*],
                seed: #seed,
                exact: &[#(#exact),*],
                prefixes: &[#(#prefixes),*],
                prefix_filter: &[#(#prefix_filter),*],
                long_prefix_filter: &[#(#long_prefix_filter),*],
                short_prefixes: #short_prefixes,
                long_prefixes: &[#(#long_prefixes),*],
            };

            #[doc = #table_doc]
            impl #impl_generics #ident #ty_generics #where_clause {
                #(#constants)*
            }

            impl #impl_generics #krate::CookiePolicy for #ident #ty_generics #where_clause {
                const SITE: &'static #krate::SiteInfo = &__SITE;
                const PROVIDERS: &'static [#krate::Provider] = &__PROVIDERS;
                const COOKIES: &'static [#krate::Cookie] = &__COOKIES;
                const REVISION: #krate::Revision = #krate::Revision::new(#revision);
                const CONSENT_COOKIE: ::core::option::Option<&'static #krate::Cookie> = #consent_cookie;
                const SIGNALS: &'static #krate::Signals = &__SIGNALS;

                #[inline]
                fn lookup(name: &str) -> ::core::option::Option<&'static #krate::Cookie> {
                    __INDEX.lookup(name)
                }

                #[inline]
                fn __lookup_bytes(name: &[u8]) -> ::core::option::Option<&'static #krate::Cookie> {
                    __INDEX.lookup_bytes(name)
                }
            }
        };
    }
}

/// One cookie as a call of `cookie_policy::__private::cookie`, imported as
/// `__cookie`: positional, compact arguments, few tokens.
fn cookie_call(cookie: &Cookie) -> TokenStream {
    let Cookie {
        name,
        provider,
        function,
        locations,
        purpose,
        domain,
        path,
        ..
    } = cookie;
    let provider = Literal::usize_unsuffixed(*provider);
    let codes = cookie.codes();
    let category = Literal::u8_unsuffixed(codes.category);
    let (amount, unit) = (
        Literal::u32_unsuffixed(codes.lifetime_amount),
        Literal::u8_unsuffixed(codes.lifetime_unit),
    );
    let domain = domain.as_deref().unwrap_or("");
    let path = path.as_deref().unwrap_or("");
    let flags = Literal::u8_unsuffixed(codes.flags);
    quote! {
        __cookie(#name, &__PROVIDERS[#provider], &__LANGUAGES, #function, &[#(#locations),*], #purpose, #category, #amount, #unit, #domain, #path, #flags)
    }
}

/// The policy's `Signals`, as a call of its hidden constructor.
fn signals(policy: &Policy, krate: &Path) -> TokenStream {
    let signals = &policy.signals;
    let gpc = signals.gpc.iter().map(|gpc| {
        let variant = format_ident!("{}", format!("{gpc:?}"));
        quote!(#krate::Gpc::#variant)
    });
    let consent_mode = signals.consent_mode.iter().map(|keys| {
        let keys = keys.iter().map(|key| {
            let variant = format_ident!("{}", format!("{key:?}"));
            quote!(#krate::ConsentModeKey::#variant)
        });
        quote!(&[#(#keys),*])
    });
    let wait = Literal::u32_unsuffixed(signals.wait_for_update);
    let regions = &signals.regions;
    let last_update = match signals.gpc_last_update {
        Some(date) => {
            let (year, month, day) = (
                Literal::u16_unsuffixed(date.year()),
                Literal::u8_unsuffixed(date.month()),
                Literal::u8_unsuffixed(date.day()),
            );
            // Checked by `validate`: `new` returns `Some`, and a `None`
            // here would only drop the date, never fail to compile.
            quote!(#krate::IsoDate::new(#year, #month, #day))
        }
        None => quote!(::core::option::Option::None),
    };
    quote! {
        #krate::Signals::__new(
            [#(#gpc),*],
            [#(#consent_mode),*],
            #krate::ConsentModeSettings::__new(#wait, &[#(#regions),*]),
            #last_update,
        )
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}
