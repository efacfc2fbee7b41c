//! Builds the `phf::Map`s the lookup benchmark compares against, from the
//! same registries the derive compiles.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    let mut code = String::new();
    let mut arms = String::new();
    for (ident, path) in [
        ("OCD", "../cookie-policy-cli/data/open-cookie-database.toml"),
        ("SYNTHETIC_100", "fixtures/synthetic-100.toml"),
        ("SYNTHETIC_1000", "fixtures/synthetic-1000.toml"),
        ("SYNTHETIC_10000", "fixtures/synthetic-10000.toml"),
    ] {
        println!("cargo::rerun-if-changed={path}");
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let policy = cookie_policy_codegen::policy(path, &text).unwrap_or_else(|errors| {
            let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("{}", errors.join("\n"))
        });
        for patterns in [false, true] {
            let mut map = phf_codegen::Map::new();
            for (index, cookie) in policy.cookies.iter().enumerate() {
                if cookie.is_pattern == patterns {
                    map.entry(cookie.key(), index.to_string());
                }
            }
            let name = format!("{ident}_{}", if patterns { "PREFIXES" } else { "EXACT" });
            let _ = writeln!(
                code,
                "static {name}: phf::Map<&'static str, usize> = {};",
                map.build()
            );
        }
        let _ = writeln!(
            arms,
            "        {:?} => (&{ident}_EXACT, &{ident}_PREFIXES),",
            policy.site.name.default_text()
        );
    }
    let _ = write!(
        code,
        "/// The exact and prefix maps of the policy whose site has this name.\npub fn maps(site: &str) -> (&'static phf::Map<&'static str, usize>, &'static phf::Map<&'static str, usize>) {{\n    match site {{\n{arms}        _ => panic!(\"no phf maps for {{site}}\"),\n    }}\n}}\n"
    );
    std::fs::write(Path::new(&out_dir).join("phf_maps.rs"), code).unwrap_or_else(|e| panic!("{e}"));
}
