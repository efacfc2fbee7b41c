//! What is emitted beside the errors when the policy cannot be compiled: an
//! empty implementation of the trait, so that code using the type generically
//! does not add a second wave of errors to the real ones.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, Path};

/// `errors` plus an empty `impl CookiePolicy`.
pub fn fallback(input: &DeriveInput, krate: &Path, errors: TokenStream) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #errors
        const _: () = {
            impl #impl_generics #krate::CookiePolicy for #ident #ty_generics #where_clause {
                const SITE: &'static #krate::SiteInfo =
                    &#krate::SiteInfo::__new(
                        #krate::__private::Text::__new(&["en"], &[""]),
                        ::core::option::Option::None,
                        &[],
                        &[],
                    );
                const PROVIDERS: &'static [#krate::Provider] = &[];
                const COOKIES: &'static [#krate::Cookie] = &[];
                const REVISION: #krate::Revision = #krate::Revision::new(0);
                const CONSENT_COOKIE: ::core::option::Option<&'static #krate::Cookie> =
                    ::core::option::Option::None;
                const SIGNALS: &'static #krate::Signals = &#krate::Signals::DEFAULT;
                fn lookup(_: &str) -> ::core::option::Option<&'static #krate::Cookie> {
                    ::core::option::Option::None
                }
            }
        };
    }
}
