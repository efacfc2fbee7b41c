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
use crate::index::IndexTables;
use crate::model::{Category, Cookie, Lifetime, Party, Policy, TimeUnit};

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
pub fn expand(policy: &Policy, index: &IndexTables, target: &Target<'_>) -> TokenStream {
    let krate = target.krate;
    let ident = &target.input.ident;
    let (impl_generics, ty_generics, where_clause) = target.input.generics.split_for_impl();

    let site = &policy.site;
    let site_name = &site.name;
    let site_url = option_str(site.url.as_deref());
    let site_locations = &site.locations;

    let providers = policy.providers.iter().map(|provider| {
        let id = &provider.id;
        let name = &provider.name;
        let url = option_str(provider.url.as_deref());
        quote!(#krate::Provider::__new(#id, #name, #url))
    });
    let cookies = policy
        .cookies
        .iter()
        .map(|cookie| cookie_parts(cookie, krate));
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
    let IndexTables {
        seed,
        exact,
        prefixes,
        prefix_lengths,
    } = index;
    let revision = policy.revision();
    let include = target.include_path.map(|path| {
        quote!(
            const _: &[u8] = include_bytes!(#path);
        )
    });

    quote! {
        const _: () = {
            #include
            static __SITE: #krate::SiteInfo =
                #krate::SiteInfo::__new(#site_name, #site_url, &[#(#site_locations),*]);
            static __PROVIDERS: [#krate::Provider; #provider_count] = [#(#providers),*];
            static __COOKIES: [#krate::Cookie; #cookie_count] = [#(#cookies),*];
            static __INDEX: #krate::__private::Index = #krate::__private::Index {
                cookies: &__COOKIES,
                seed: #seed,
                exact: &[#(#exact),*],
                prefixes: &[#(#prefixes),*],
                prefix_lengths: &[#(#prefix_lengths),*],
            };

            #[doc = #table_doc]
            impl #impl_generics #ident #ty_generics #where_clause {
                #(#constants)*
            }

            impl #impl_generics #krate::CookiePolicy for #ident #ty_generics #where_clause {
                const SITE: &'static #krate::SiteInfo = &__SITE;
                const PROVIDERS: &'static [#krate::Provider] = &__PROVIDERS;
                const COOKIES: &'static [#krate::Cookie] = &__COOKIES;
                const REVISION: u64 = #revision;

                #[inline]
                fn lookup(name: &str) -> ::core::option::Option<&'static #krate::Cookie> {
                    __INDEX.lookup(name)
                }
            }
        };
    }
}

fn cookie_parts(cookie: &Cookie, krate: &Path) -> TokenStream {
    let Cookie {
        name,
        is_pattern,
        provider,
        function,
        locations,
        purpose,
        category,
        party,
        lifetime,
        domain,
        path,
        anonymized,
        requires_consent,
        ..
    } = cookie;
    let provider = Literal::usize_unsuffixed(*provider);
    let category = match category {
        Category::Necessary => quote!(Necessary),
        Category::Functional => quote!(Functional),
        Category::Statistical => quote!(Statistical),
        Category::Advertising => quote!(Advertising),
    };
    let party = match party {
        Party::First => quote!(First),
        Party::Third => quote!(Third),
    };
    let lifetime = match lifetime {
        None => quote!(::core::option::Option::None),
        Some(Lifetime::Session) => quote!(::core::option::Option::Some(#krate::Lifetime::Session)),
        Some(Lifetime::Fixed { amount, unit }) => {
            let unit = match unit {
                TimeUnit::Second => quote!(Second),
                TimeUnit::Minute => quote!(Minute),
                TimeUnit::Hour => quote!(Hour),
                TimeUnit::Day => quote!(Day),
                TimeUnit::Week => quote!(Week),
                TimeUnit::Month => quote!(Month),
                TimeUnit::Year => quote!(Year),
            };
            quote!(::core::option::Option::Some(#krate::Lifetime::Fixed {
                amount: #amount,
                unit: #krate::TimeUnit::#unit,
            }))
        }
    };
    let domain = option_str(domain.as_deref());
    let path = option_str(path.as_deref());
    quote! {
        #krate::Cookie::__from_parts(#krate::__private::CookieParts {
            name: #name,
            is_pattern: #is_pattern,
            provider: &__PROVIDERS[#provider],
            function: #function,
            locations: &[#(#locations),*],
            purpose: #purpose,
            category: #krate::Category::#category,
            party: #krate::Party::#party,
            lifetime: #lifetime,
            domain: #domain,
            path: #path,
            anonymized: #anonymized,
            requires_consent: #requires_consent,
        })
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}
