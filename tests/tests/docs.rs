//! Every TOML example in the guide is a valid policy.

use cookie_policy_tests::check;

#[test]
fn every_toml_example_in_the_guide_is_a_valid_policy() {
    let guide = [
        include_str!("../../docs/policy-format.md"),
        include_str!("../../docs/publishing.md"),
    ]
    .concat();
    let blocks: Vec<&str> = guide
        .split("```toml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap())
        .collect();
    assert!(!blocks.is_empty());
    for block in blocks {
        if let Err(messages) = check("docs/policy-format.md", block) {
            panic!("{}", messages.join("\n\n"));
        }
    }
}

#[test]
fn the_platform_policy_is_valid() {
    let policy = check("policy.toml", include_str!("../../policy.toml")).unwrap();
    assert_eq!(policy.cookies.len(), 4);
}

/// docs/publishing.md's sketch of the JSON export names every key the
/// export has, and no other: its keys, read from the sketch, against the
/// keys of the platform's export as the library renders it, at every
/// level. Its revision is the platform's.
#[test]
fn the_json_sketch_names_the_exports_keys() {
    use std::collections::BTreeSet;
    let doc = include_str!("../../docs/publishing.md");
    let sketch = cookie_policy_tests::doc_blocks(doc, "## JSON (`format` 1)", "text")[0];
    let sketched: BTreeSet<&str> = sketch
        .split('"')
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|pair| pair[1].trim_start().starts_with(':'))
        .map(|pair| pair[0])
        .collect();
    fn keys(value: &serde_json::Value, into: &mut BTreeSet<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    into.insert(key.clone());
                    keys(value, into);
                }
            }
            serde_json::Value::Array(values) => values.iter().for_each(|value| keys(value, into)),
            _ => {}
        }
    }
    let export: serde_json::Value =
        serde_json::from_str(&cookie_policy::publish::json::<cookie_policy::Platform>()).unwrap();
    let mut exported = BTreeSet::new();
    keys(&export, &mut exported);
    assert_eq!(
        sketched,
        exported.iter().map(String::as_str).collect::<BTreeSet<_>>()
    );
    let revision = <cookie_policy::Platform as cookie_policy::CookiePolicy>::REVISION.to_string();
    assert!(
        sketch.contains(&format!("\"revision\": \"{revision}\"")),
        "{revision}"
    );
}
