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
