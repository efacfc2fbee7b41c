//! `cargo doc` and the published page show the same tables: the rustdoc the
//! derive writes on the policy type and the Markdown page rendered at run
//! time agree heading for heading and row for row, on the platform's policy
//! and on the 25-cookie shop fixture.

use cookie_policy::{CookiePolicy, Platform, publish};

#[derive(CookiePolicy)]
#[cookie_policy(path = "fixtures/shop.toml")]
struct Shop;

/// The documentation the derive puts on the generated `impl` block, read
/// back from the expansion's tokens.
fn rustdoc_of_policy(path: &str, text: &str) -> String {
    let tokens = cookie_policy_codegen::tokens(path, text).expect("a valid policy");
    let file: syn::File = syn::parse2(tokens).expect("the expansion parses");
    let mut docs = Vec::new();
    for item in &file.items {
        let syn::Item::Const(constant) = item else {
            continue;
        };
        let syn::Expr::Block(block) = &*constant.expr else {
            continue;
        };
        for statement in &block.block.stmts {
            let syn::Stmt::Item(syn::Item::Impl(implementation)) = statement else {
                continue;
            };
            if implementation.trait_.is_some() {
                continue;
            }
            for attribute in &implementation.attrs {
                if let syn::Meta::NameValue(doc) = &attribute.meta
                    && doc.path.is_ident("doc")
                    && let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }) = &doc.value
                {
                    docs.push(text.value());
                }
            }
        }
    }
    assert_eq!(docs.len(), 1, "one doc attribute on the inherent impl");
    docs.remove(0)
}

/// The tables' lines, from the first category heading on, with heading
/// levels dropped: `# Necessary cookies` and `### Necessary cookies` are the
/// same heading at different depths of their documents.
fn table_lines(text: &str, first_heading: &str, end: Option<&str>) -> Vec<String> {
    let heading = format!("# {first_heading}\n");
    let start = text
        .find(&heading)
        .unwrap_or_else(|| panic!("no `{heading}` in:\n{text}"));
    let text = &text[start..];
    let text = end
        .and_then(|end| text.find(end).map(|i| &text[..i]))
        .unwrap_or(text);
    text.lines()
        .map(|line| line.trim_start_matches('#').trim().to_owned())
        .filter(|line| !line.is_empty())
        .collect()
}

fn assert_same_tables<P: CookiePolicy>(path: &str, text: &str) {
    let language = P::SITE.default_language();
    let rustdoc = rustdoc_of_policy(path, text);
    let page = publish::markdown::<P>(language).expect("the page renders");
    let first_heading = publish::table::<P>(language).unwrap().sections[0].heading;
    let revision = publish::Wording::for_language(language).unwrap().revision;
    let from_rustdoc = table_lines(&rustdoc, first_heading, None);
    let from_page = table_lines(&page, first_heading, Some(revision));
    assert!(
        from_page
            .iter()
            .filter(|line| line.starts_with('|'))
            .count()
            > 2
    );
    assert_eq!(from_rustdoc, from_page);
}

#[test]
fn rustdoc_and_the_page_show_the_platforms_table() {
    assert_same_tables::<Platform>("policy.toml", include_str!("../../policy.toml"));
}

#[test]
fn rustdoc_and_the_page_show_the_shops_tables() {
    assert_same_tables::<Shop>("fixtures/shop.toml", include_str!("../fixtures/shop.toml"));
    let page = publish::markdown::<Shop>("en").unwrap();
    assert!(
        page.matches("\n### ").count() >= 3,
        "several categories:\n{page}"
    );
}
