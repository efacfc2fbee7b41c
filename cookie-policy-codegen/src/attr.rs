//! The macro's own arguments: `#[cookie_policy(path = "...", crate = "...")]`.

use syn::{DeriveInput, LitStr, Path};

/// What `#[cookie_policy(...)]` says.
pub struct Attributes {
    /// The policy file, relative to the crate's manifest directory.
    pub path: LitStr,
    /// Where `cookie_policy` is, for a renamed dependency; `::cookie_policy`
    /// by default.
    pub krate: Path,
}

/// Reads the `#[cookie_policy]` attributes, reporting every mistake at once.
pub fn parse(input: &DeriveInput) -> syn::Result<Attributes> {
    let mut path: Option<LitStr> = None;
    let mut krate: Option<Path> = None;
    let mut errors: Option<syn::Error> = None;
    let mut push = |error: syn::Error| match &mut errors {
        Some(errors) => errors.combine(error),
        None => errors = Some(error),
    };
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("cookie_policy"))
    {
        let result = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("path") {
                let value: LitStr = meta.value()?.parse().map_err(|e| {
                    syn::Error::new(e.span(), "`path` must be a string literal, such as path = \"policy.toml\"")
                })?;
                if path.is_some() {
                    return Err(meta.error("`path` is given twice; name one policy file"));
                }
                if std::path::Path::new(&value.value()).is_absolute() || value.value().starts_with('/') {
                    return Err(syn::Error::new(
                        value.span(),
                        "`path` must be relative to the directory of the crate's Cargo.toml, not absolute, so the crate builds on every machine",
                    ));
                }
                if value.value().is_empty() {
                    return Err(syn::Error::new(value.span(), "`path` is empty; name the policy file, such as path = \"policy.toml\""));
                }
                path = Some(value);
                Ok(())
            } else if meta.path.is_ident("crate") {
                let value: LitStr = meta.value()?.parse()?;
                krate = Some(value.parse().map_err(|_| {
                    syn::Error::new(value.span(), "`crate` must be a path, such as crate = \"::cookie_policy\"")
                })?);
                Ok(())
            } else {
                let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
                let hint = match cookie_policy_core::closest(&key, ["path", "crate"]) {
                    Some(known) => format!("; did you mean `{known}`?"),
                    None => String::new(),
                };
                Err(meta.error(format!(
                    "unknown argument `{key}` in #[cookie_policy(...)]: the arguments are `path` and `crate`{hint}"
                )))
            }
        });
        if let Err(error) = result {
            push(error);
        }
    }
    if let Some(errors) = errors {
        return Err(errors);
    }
    let Some(path) = path else {
        return Err(syn::Error::new_spanned(
            &input.ident,
            "#[derive(CookiePolicy)] needs the policy file: add #[cookie_policy(path = \"policy.toml\")], with the path relative to the directory of the crate's Cargo.toml",
        ));
    };
    Ok(Attributes {
        path,
        krate: krate.unwrap_or_else(|| syn::parse_quote!(::cookie_policy)),
    })
}
