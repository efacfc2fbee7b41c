//! Cookie names: which ones a browser can store, and the constant each one
//! becomes.

/// The names of the items of `cookie_policy::CookiePolicy`, which a cookie's
/// constant would shadow: the derive refuses a constant named after one.
///
/// This list mirrors the trait; `tests/tests/reserved_names.rs` parses the
/// trait's source and fails when the two differ, so a new trait item cannot
/// be forgotten here.
pub const RESERVED_NAMES: [&str; 12] = [
    "SITE",
    "PROVIDERS",
    "COOKIES",
    "REVISION",
    "CONSENT_COOKIE",
    "SIGNALS",
    "lookup",
    "__lookup_bytes",
    "permits",
    "by_category",
    "by_provider",
    "provider",
];

/// Why a browser cannot store a cookie called `name` (a trailing `*` makes
/// it a prefix pattern), or `None` when it can.
///
/// ```
/// use cookie_policy_core::name_problem;
///
/// assert_eq!(name_problem("_ga_*"), None);
/// assert_eq!(
///     name_problem("a b").as_deref(),
///     Some("a browser cannot store a cookie whose name contains a space")
/// );
/// ```
pub fn name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        return Some("a cookie name cannot be empty".to_owned());
    }
    if name == "*" {
        return Some("`*` alone would match every cookie; a pattern needs a prefix".to_owned());
    }
    if let Some(star) = name.find('*').filter(|&star| star + 1 != name.len()) {
        let before = name.get(..star).unwrap_or_default();
        return Some(format!(
            "`*` may only end a cookie name, as in `_ga_*`; `{name}` has one at character {}",
            before.chars().count() + 1
        ));
    }
    let bad = name
        .chars()
        .find(|&c| c.is_whitespace() || c.is_control() || c == ';' || c == '=');
    bad.map(|c| {
        format!(
            "a browser cannot store a cookie whose name contains {}",
            match c {
                ';' => "`;`".to_owned(),
                '=' => "`=`".to_owned(),
                ' ' => "a space".to_owned(),
                c if c.is_whitespace() => format!("whitespace ({})", c.escape_unicode()),
                c => format!("the control character {}", c.escape_unicode()),
            }
        )
    })
}

/// The constant a cookie name becomes, by the documented rule:
///
/// 1. drop a pattern's trailing `*`;
/// 2. cut the name into words at every character that is not an ASCII letter
///    or digit, and where a lower-case letter or digit is followed by an
///    upper-case letter;
/// 3. join the words in upper case with `_`;
/// 4. add `_PREFIX` for a pattern.
///
/// `None` when no identifier comes out (no word, or a leading digit).
///
/// ```
/// use cookie_policy_core::constant_name;
///
/// assert_eq!(constant_name("django_language").as_deref(), Some("DJANGO_LANGUAGE"));
/// assert_eq!(constant_name("_ga_*").as_deref(), Some("GA_PREFIX"));
/// assert_eq!(constant_name("cookieConsent").as_deref(), Some("COOKIE_CONSENT"));
/// assert_eq!(constant_name("__Host-csrf").as_deref(), Some("HOST_CSRF"));
/// assert_eq!(constant_name("1P_JAR"), None);
/// ```
pub fn constant_name(name: &str) -> Option<String> {
    let (stem, is_pattern) = match name.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (name, false),
    };
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut previous_lower_or_digit = false;
    for c in stem.chars() {
        if !c.is_ascii_alphanumeric() {
            words.push(core::mem::take(&mut word));
            previous_lower_or_digit = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower_or_digit {
            words.push(core::mem::take(&mut word));
        }
        previous_lower_or_digit = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_uppercase());
    }
    words.push(word);
    words.retain(|word| !word.is_empty());
    if is_pattern && !words.is_empty() {
        words.push("PREFIX".to_owned());
    }
    let constant = words.join("_");
    match constant.chars().next() {
        Some(first) if first.is_ascii_uppercase() => Some(constant),
        _ => None,
    }
}

/// Whether `name` is an upper snake case identifier, as `const = ".."`
/// must be: `SESSION_ID`.
///
/// ```
/// assert!(cookie_policy_core::is_constant_name("SESSION_ID"));
/// assert!(!cookie_policy_core::is_constant_name("session_id"));
/// ```
pub fn is_constant_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_accept_non_token_names() {
        for name in [
            "a0_users:sess",
            "barometric[cuid]",
            "crisp-client/",
            "_ga_*",
            "é",
        ] {
            assert_eq!(name_problem(name), None, "{name}");
        }
    }

    #[test]
    fn rejects_what_browsers_cannot_store() {
        let cases = [
            ("", "a cookie name cannot be empty"),
            (
                "a b",
                "a browser cannot store a cookie whose name contains a space",
            ),
            (
                "a;b",
                "a browser cannot store a cookie whose name contains `;`",
            ),
            (
                "a=b",
                "a browser cannot store a cookie whose name contains `=`",
            ),
            (
                "a\tb",
                "a browser cannot store a cookie whose name contains whitespace (\\u{9})",
            ),
            (
                "a\u{7f}",
                "a browser cannot store a cookie whose name contains the control character \\u{7f}",
            ),
            (
                "_g*a",
                "`*` may only end a cookie name, as in `_ga_*`; `_g*a` has one at character 3",
            ),
        ];
        for (name, message) in cases {
            assert_eq!(name_problem(name).as_deref(), Some(message), "{name:?}");
        }
    }

    #[test]
    fn constant_names() {
        let cases = [
            ("sessionid", Some("SESSIONID")),
            ("AWSALBCORS", Some("AWSALBCORS")),
            ("_gat_UA-1234", Some("GAT_UA_1234")),
            ("utm2Source", Some("UTM2_SOURCE")),
            ("__", None),
            ("é", None),
            ("*", None),
        ];
        for (name, constant) in cases {
            assert_eq!(constant_name(name).as_deref(), constant, "{name:?}");
        }
        assert!(is_constant_name("SESSION_ID2"));
        assert!(!is_constant_name("SessionId"));
        assert!(!is_constant_name("_X"));
        assert!(!is_constant_name(""));
    }
}
