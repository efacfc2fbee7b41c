//! Mistakes checked through `cookie_policy_codegen::policy`, the function the
//! derive calls, with the message a user sees. The `ui` test shows the same
//! messages through the compiler, one file per mistake.

use cookie_policy_tests::check;

const SITE: &str =
    "[site]\nname = \"Example\"\n\n[[provider]]\nid = \"example\"\nname = \"Example Ltd\"\n";

/// A policy with one cookie made of the usual fields plus `extra` lines.
fn with_cookie(extra: &str) -> String {
    let mut fields = vec![
        ("name", "\"session\""),
        ("provider", "\"example\""),
        ("function", "\"Authentication\""),
        ("purpose", "\"To keep the visitor signed in\""),
        ("category", "\"necessary\""),
    ];
    let extra: Vec<(&str, &str)> = extra
        .lines()
        .filter_map(|line| line.split_once(" = "))
        .collect();
    for (key, value) in &extra {
        match fields.iter_mut().find(|(k, _)| k == key) {
            Some(field) => field.1 = value,
            None => fields.push((key, value)),
        }
    }
    let body: String = fields.iter().map(|(k, v)| format!("{k} = {v}\n")).collect();
    format!("{SITE}\n[[cookie]]\n{body}")
}

/// The first line of each message.
fn errors(text: &str) -> Vec<String> {
    match check("policy.toml", text) {
        Ok(_) => Vec::new(),
        Err(messages) => messages
            .iter()
            .map(|m| m.lines().next().unwrap_or_default().to_owned())
            .collect(),
    }
}

#[test]
fn a_valid_policy_has_no_errors() {
    assert_eq!(errors(&with_cookie("")), Vec::<String>::new());
}

#[test]
fn every_value_mistake_is_named() {
    let cases = [
        ("party = \"thrid\"", "unknown party `thrid`"),
        ("domain = \"a b.com\"", "invalid domain `a b.com`"),
        ("path = \"shop\"", "invalid path `shop`"),
        (
            "lifetime = \"0 days\"",
            "invalid lifetime: a lifetime of zero is not a lifetime",
        ),
        (
            "lifetime = \"-2 days\"",
            "invalid lifetime: `-2` is not a whole number of days",
        ),
        (
            "name = \"*\"",
            "`*` alone would match every cookie; a pattern needs a prefix",
        ),
        (
            "name = \"a;b\"",
            "a browser cannot store a cookie whose name contains `;`",
        ),
        ("name = \"\"", "a cookie name cannot be empty"),
        (
            "name = \"cookies\"",
            "the cookie `cookies` would become the constant `COOKIES`, which the `CookiePolicy` trait already names",
        ),
        (
            "name = \"__\"",
            "the cookie `__` gives no Rust constant name",
        ),
        (
            "const = \"SITE\"",
            "invalid `const`: `SITE` is taken by the `CookiePolicy` trait",
        ),
        (
            "anonymized = true",
            "`anonymized = true` is only for statistical cookies, and this one is necessary",
        ),
        ("locations = [\"home\"]", "unknown location `home`"),
        (
            "anonymized = \"yes\"",
            "`anonymized` in [[cookie]] must be a boolean, not a string",
        ),
        (
            "locations = \"home\"",
            "`locations` in [[cookie]] must be an array of strings, not a string",
        ),
    ];
    for (line, message) in cases {
        assert_eq!(errors(&with_cookie(line)), [message], "{line}");
    }
}

#[test]
fn anonymized_needs_first_party_and_at_most_13_months() {
    let third = "category = \"statistical\"\nanonymized = true\nparty = \"third\"";
    assert_eq!(
        errors(&with_cookie(third)),
        ["`anonymized = true` is only for first-party cookies, and this one is third-party"]
    );
    let ok = "category = \"statistical\"\nanonymized = true\nlifetime = \"395 days\"";
    assert_eq!(errors(&with_cookie(ok)), Vec::<String>::new());
    let long = "category = \"statistical\"\nanonymized = true\nlifetime = \"14 months\"";
    assert_eq!(
        errors(&with_cookie(long)),
        [
            "`anonymized = true` is only for cookies that live at most 13 months, and this one lives 14 months"
        ]
    );
}

#[test]
fn shape_mistakes_in_the_file() {
    assert_eq!(errors(""), ["missing the `[site]` table"]);
    assert_eq!(
        errors(&format!("{SITE}\n[cookie]\nname = \"x\"\n")),
        ["`cookie` in the file's top level must be an array of tables, not a table"]
    );
    assert_eq!(
        errors(&format!("{SITE}\n[[cookies]]\nname = \"x\"\n")),
        ["unknown key `cookies` in the file's top level"]
    );
    assert_eq!(
        errors("[site]\nname = \"x\"\nurl = \"shop.example\"\nlocations = [\"a\", \"a\"]\n"),
        [
            "`shop.example` is not an http(s) URL",
            "`a` is listed twice in `locations`"
        ]
    );
    assert_eq!(
        errors(&format!(
            "{SITE}\n[[provider]]\nid = \"two words\"\nname = \"x\"\n"
        )),
        ["`id` must be a word without spaces, not `two words`"]
    );
}

#[test]
fn every_mistake_of_a_file_is_reported_at_once() {
    let text = format!(
        "{SITE}\n[[cookie]]\nname = \"a\"\nprovider = \"nobody\"\nfunction = \"\"\npurpose = \"p\"\ncategory = \"tasty\"\nlifetime = \"soon\"\n\n[[cookie]]\nname = \"a\"\nprovider = \"example\"\nfunction = \"f\"\npurpose = \"p\"\ncategory = \"necessary\"\ncolour = \"blue\"\n"
    );
    assert_eq!(
        errors(&text),
        [
            "unknown provider `nobody`",
            "`function` cannot be empty",
            "unknown category `tasty`",
            "invalid lifetime: `soon` is not a lifetime",
            "unknown key `colour` in [[cookie]]",
        ]
    );
}

#[test]
fn duplicates_point_at_both_places() {
    let text = format!(
        "{SITE}\n[[cookie]]\nname = \"a\"\nprovider = \"example\"\nfunction = \"f\"\npurpose = \"p\"\ncategory = \"necessary\"\n\n[[cookie]]\nname = \"a\"\nprovider = \"example\"\nfunction = \"f\"\npurpose = \"p\"\ncategory = \"necessary\"\n"
    );
    let messages = check("policy.toml", &text).unwrap_err();
    assert_eq!(messages.len(), 1);
    assert!(
        messages[0].contains("--> policy.toml:16:8"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("--> policy.toml:9:8"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].contains("first declared here"),
        "{}",
        messages[0]
    );
}

#[test]
fn odd_inputs_give_errors_not_panics() {
    let inputs = [
        "\u{feff}[site]\nname = \"x\"",
        "[site",
        "site = 3",
        "[[site]]\nname = \"x\"",
        "cookie = [1, 2]",
        "[site]\nname = \"x\"\n[[cookie]]\n",
        "\0\0\0",
        "[site]\nname = \"x\"\n[[provider]]\nid = 1\nname = []\n",
        "a = { b = { c = { d = { e = 1 } } } }",
    ];
    for input in inputs {
        let result = check("policy.toml", input);
        if let Err(messages) = result {
            assert!(
                messages.iter().all(|m| m.contains("--> policy.toml:")),
                "{input:?}: {messages:?}"
            );
        }
    }
}

#[test]
fn translation_mistakes() {
    let two = "[site]\nname = \"x\"\nlanguages = [\"en\", \"fr\"]\n\n[[provider]]\nid = \"example\"\nname = \"E\"\n\n[[cookie]]\nname = \"a\"\nprovider = \"example\"\nfunction = \"f\"\ncategory = \"necessary\"\n";
    assert_eq!(
        errors(&format!("{two}purpose = {{ en = \"p\", fr = \"p\" }}\n")),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(&format!("{two}purpose = {{ en = \"p\" }}\n")),
        ["`purpose` has no `fr` translation"]
    );
    assert_eq!(
        errors(&format!(
            "{two}purpose = {{ en = \"p\", fr = \"p\", de = \"p\" }}\n"
        )),
        ["`de` is not one of the policy's languages"]
    );
    assert_eq!(
        errors(&format!("{two}purpose = {{ en = \"p\", fr = \" \" }}\n")),
        ["`purpose` cannot be empty"]
    );
    assert_eq!(
        errors(&format!("{two}purpose = {{ en = \"p\", fr = 3 }}\n")),
        ["`purpose` in [[cookie]] must be a string, not an integer"]
    );
    // A plain string is the text in every language.
    assert_eq!(
        errors(&format!("{two}purpose = \"p\"\n")),
        Vec::<String>::new()
    );
    assert_eq!(
        errors("[site]\nname = \"x\"\nlanguages = [\"English\"]\n"),
        ["`English` is not a language tag"]
    );
    assert_eq!(
        errors("[site]\nname = \"x\"\nlanguages = []\n"),
        ["`languages` cannot be empty"]
    );
}

#[test]
fn a_site_without_a_name_is_one_error_not_one_per_location() {
    let text = "[site]\nlocations = [\"shop\", \"checkout\"]\n\n[[provider]]\nid = \"example\"\nname = \"Example Ltd\"\n\n[[cookie]]\nname = \"session\"\nprovider = \"example\"\nfunction = \"Authentication\"\nlocations = [\"shop\", \"checkout\"]\npurpose = \"To keep the visitor signed in\"\ncategory = \"necessary\"\n";
    let errors = errors(text);
    assert_eq!(errors, ["missing `name` in this [site]"]);
}

#[test]
fn a_bad_language_tag_is_pointed_at_itself() {
    let text = "[site]\nname = \"Example\"\nlanguages = [\"en\", \"French\", \"fr\"]\n";
    let messages = check("policy.toml", text).unwrap_err();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let lines: Vec<&str> = messages[0].lines().collect();
    assert_eq!(lines[0], "`French` is not a language tag");
    assert_eq!(lines[1], " --> policy.toml:3:20");
    assert_eq!(
        lines[4], "  |                    ^^^^^^^^",
        "{}",
        messages[0]
    );
}

#[test]
fn one_cookie_stores_consent() {
    let consent = "[[cookie]]\nname = \"prefs\"\nprovider = \"example\"\nfunction = \"Consent\"\npurpose = \"To remember the choice\"\ncategory = \"necessary\"\nconsent = true\n";
    let text = format!("{SITE}\n{consent}\n{}", consent.replace("prefs", "prefs2"));
    assert_eq!(errors(&text), ["two cookies declared `consent = true`"]);
    let third_party = format!(
        "{SITE}\n{}",
        consent.replace("consent = true", "party = \"third\"\nconsent = true")
    );
    assert_eq!(
        errors(&third_party),
        ["`consent = true` marks a cookie the site sets itself, and this one is third-party"]
    );
    assert_eq!(errors(&format!("{SITE}\n{consent}")), Vec::<String>::new());
}

#[test]
fn banner_texts_are_checked_like_every_text() {
    let text = format!("{SITE}\n[banner]\ntitel = \"Cookies\"\naccept_all = 3\n");
    assert_eq!(
        errors(&text),
        [
            "unknown key `titel` in [banner]",
            "`accept_all` in [banner] must be a string, not an integer"
        ]
    );
    let text = "[site]\nname = \"Example\"\nlanguages = [\"en\", \"fr\"]\n\n[banner]\ntitle = { en = \"Cookies\" }\n";
    assert_eq!(errors(text), ["`title` has no `fr` translation"]);
}
