//! Integration tests of `cookie-policy` live in `tests/`. This library
//! makes the Rust examples of the README and of the guides doc tests, so the
//! documentation cannot drift from the code, and holds the tests' helpers.

/// The Chromium the browser tests drive, found once per test process by
/// [`cookie_policy_chromium::Chromium::find`] (`CHROME`, else `chromium` on
/// the `PATH`), with its sandbox decided once too.
///
/// The tests that call it are `#[ignore = "needs chromium (apt-get install
/// -y chromium)"]`: run (`--include-ignored`, as `.ci/run` does) without a
/// Chromium, they fail with that message; they never pass without a browser.
pub fn chromium() -> &'static cookie_policy_chromium::Chromium {
    static CHROMIUM: std::sync::OnceLock<cookie_policy_chromium::Chromium> =
        std::sync::OnceLock::new();
    CHROMIUM.get_or_init(|| {
        cookie_policy_chromium::Chromium::find(None)
            .unwrap_or_else(|error| panic!("needs chromium (apt-get install -y chromium): {error}"))
    })
}

pub mod browser;

/// [`cookie_policy_codegen::policy`], with each error as the compiler
/// prints it.
pub fn check(path: &str, text: &str) -> Result<cookie_policy_codegen::Policy, Vec<String>> {
    cookie_policy_codegen::policy(path, text)
        .map_err(|errors| errors.iter().map(ToString::to_string).collect())
}

#[doc = include_str!("../../README.md")]
pub mod readme {}

#[doc = include_str!("../../docs/policy-format.md")]
pub mod policy_format {}

#[doc = include_str!("../../docs/consent.md")]
pub mod consent {}

#[doc = include_str!("../../docs/publishing.md")]
pub mod publishing {}

/// What a browser does with one `Set-Cookie` header, by RFC 6265bis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// A session cookie.
    Session,
    /// A persistent cookie kept this many seconds.
    Seconds(u64),
    /// Nothing kept: an existing cookie of that name is deleted.
    Deletion,
}

/// 400 days, the longest a browser keeps a cookie.
pub const MAX_AGE_CAP: u64 = 400 * 86_400;

/// One `Set-Cookie` case: the header, for a cookie called `c`; what RFC
/// 6265bis (draft 20) says a browser stores, and the step that says so; and
/// what Chromium stores when it disagrees.
#[derive(Clone, Copy, Debug)]
pub struct SetCookieCase {
    /// The header's value.
    pub header: &'static str,
    /// What the RFC says is stored.
    pub rfc: Stored,
    /// The step of the RFC that decides.
    pub step: &'static str,
    /// What Chromium stores instead, where it disagrees with the RFC.
    pub chromium: Option<Stored>,
}

const fn case(header: &'static str, rfc: Stored, step: &'static str) -> SetCookieCase {
    SetCookieCase {
        header,
        rfc,
        step,
        chromium: None,
    }
}

/// The table of `Set-Cookie` cases. The library is checked against the RFC
/// column in `tests/tests/set_cookie_rfc.rs`; Chromium is checked against
/// it, or against its own column where it disagrees, in `tests/tests/banner.rs`.
///
/// Where Chromium and the RFC disagree, the library follows the RFC: in
/// every such case neither reading is a deletion that the other reads as a
/// cookie kept, so the filter's verdict (keep a deletion, judge anything
/// else by the cookie's name) is the same under both.
pub const SET_COOKIE_CASES: &[SetCookieCase] = &[
    case(
        "c=1",
        Stored::Session,
        "5.8.3 step 3: neither Max-Age nor Expires",
    ),
    case(
        "c=1; Max-Age=3600",
        Stored::Seconds(3600),
        "5.7.2: now plus delta-seconds",
    ),
    case(
        "c=1; Max-Age=0",
        Stored::Deletion,
        "5.7.2: delta-seconds <= 0 is the earliest date",
    ),
    case(
        "c=1; Max-Age=-1",
        Stored::Deletion,
        "5.7.2: `-` then DIGIT is allowed",
    ),
    case(
        "c=1; MAX-AGE=0",
        Stored::Deletion,
        "5.7: attribute names are case-insensitive",
    ),
    case(
        "c=1;Max-Age = 0 ",
        Stored::Deletion,
        "5.7: WSP around names and values removed",
    ),
    case(
        "c=1; Max-Age=0; Max-Age=3600",
        Stored::Seconds(3600),
        "5.8.3: the last Max-Age",
    ),
    case(
        "c=1; Max-Age=3600; Max-Age=0",
        Stored::Deletion,
        "5.8.3: the last Max-Age",
    ),
    case(
        "c=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=3600",
        Stored::Seconds(3600),
        "5.8.3: Max-Age wins over Expires",
    ),
    case(
        "c=1; Max-Age=3600; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        Stored::Seconds(3600),
        "5.8.3: Max-Age wins over Expires, in any order",
    ),
    case(
        "c=1; Max-Age=abc; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        Stored::Deletion,
        "5.7.2: an invalid Max-Age is ignored, so Expires decides",
    ),
    case(
        "c=1; Max-Age=1e3",
        Stored::Session,
        "5.7.2: a non-DIGIT after the first character",
    ),
    case(
        "c=1; Max-Age=0x10",
        Stored::Session,
        "5.7.2: a non-DIGIT character",
    ),
    case(
        "c=1; Max-Age=",
        Stored::Session,
        "5.7.2: an empty value is ignored",
    ),
    case(
        "c=1; Max-Age=99999999999",
        Stored::Seconds(MAX_AGE_CAP),
        "5.7.2: capped at 400 days",
    ),
    case(
        "c=1; Expires=Wed, 09 Jun 2100 10:18:14 GMT",
        Stored::Seconds(MAX_AGE_CAP),
        "5.7.1: capped at 400 days",
    ),
    case(
        "c=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        Stored::Deletion,
        "5.7.1: a past date",
    ),
    case(
        "c=1; Expires=junk",
        Stored::Session,
        "5.7.1: a value that is no date is ignored",
    ),
    case(
        "c=1; expires=Thu, 01-Jan-1970 00:00:01 GMT",
        Stored::Deletion,
        "5.1.1: `-` is a delimiter",
    ),
    case(
        "c=1; Expires=Thu, 01 Jan 70 00:00:00 GMT",
        Stored::Deletion,
        "5.1.1: years 70-99 are 19xx",
    ),
    case(
        "c=1; Expires=1 Jan 1970 00:00:00",
        Stored::Deletion,
        "5.1.1: no weekday or zone needed",
    ),
    case(
        "c=1; Expires=Thu, 01 Jan 1601 00:00:00 GMT",
        Stored::Deletion,
        "5.1.1: 1601 is the earliest year",
    ),
    // Chromium takes the last Expires even when it is no date (and then has
    // none): a session cookie where the RFC deletes. The filter counts a
    // header as a deletion only when both readings delete.
    SetCookieCase {
        header: "c=1; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Expires=junk",
        rfc: Stored::Deletion,
        step: "5.8.3: the last Expires that parsed",
        chromium: Some(Stored::Session),
    },
    // Likewise with Max-Age: Chromium takes the last, invalid one.
    SetCookieCase {
        header: "c=1; Max-Age=0; Max-Age=abc",
        rfc: Stored::Deletion,
        step: "5.7.2 and 5.8.3: an invalid Max-Age is ignored; the last valid one",
        chromium: Some(Stored::Session),
    },
    case(
        "c=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        Stored::Deletion,
        "5.8.3: the last Expires",
    ),
    // Chromium reads Max-Age with a signed-integer parser that takes a
    // leading `+`; the RFC ignores the attribute. Neither deletes.
    SetCookieCase {
        header: "c=1; Max-Age=+5",
        rfc: Stored::Session,
        step: "5.7.2: the first character is neither DIGIT nor `-`",
        chromium: Some(Stored::Seconds(5)),
    },
];

/// A fresh, empty directory for a test, unique to this test process:
/// `cookie-policy-<name>-<pid>` in the temporary directory, emptied first.
/// The test removes it when done.
pub fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("cookie-policy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("{}: {error}", dir.display()));
    dir
}

/// The code blocks fenced as `fence` (`sh`, `text`...) of the section of a
/// Markdown document under `heading` (such as `"## The command line"`), up
/// to the next heading of its level, in order: how a test runs what a doc
/// shows. Fails, naming the heading, when the document has no such
/// section.
pub fn doc_blocks<'d>(doc: &'d str, heading: &str, fence: &str) -> Vec<&'d str> {
    let section = doc
        .split(&format!("\n{heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("the document has no \"{heading}\""));
    let level = heading.split(' ').next().unwrap_or_default();
    let section = section
        .split(&format!("\n{level} "))
        .next()
        .unwrap_or_default();
    section
        .split(&format!("```{fence}\n"))
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or_default())
        .collect()
}

/// The PostgreSQL server the consent-log tests use:
/// `COOKIE_POLICY_POSTGRES` (a `postgres://` URL; `.ci/run` starts Debian's
/// PostgreSQL on loopback and sets it).
///
/// The tests that call it are `#[ignore = "needs PostgreSQL
/// (COOKIE_POLICY_POSTGRES=postgres://...)"]`: run without it
/// (`--include-ignored`), they fail with that message.
pub fn postgres_url() -> String {
    std::env::var("COOKIE_POLICY_POSTGRES").unwrap_or_else(|_| {
        panic!("needs PostgreSQL (COOKIE_POLICY_POSTGRES=postgres://...): it is not set; .ci/run starts PostgreSQL and sets it")
    })
}

/// A schema name for a test, unique to this test process.
pub fn postgres_schema(name: &str) -> String {
    format!("{name}_{}", std::process::id())
}

/// `url` with its connections' `search_path` set to `schema`.
pub fn postgres_url_in(url: &str, schema: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}options=-c%20search_path%3D{schema}")
}

/// A pool on `url` whose connections work in a fresh schema `schema`
/// (dropped and created again), so that tests running together do not
/// share tables.
pub async fn postgres_pool(url: &str, schema: &str) -> cookie_policy_consent_log_postgres::Pool {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|error| panic!("PostgreSQL at {url}: {error}"));
    tokio::spawn(connection);
    client
        .batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};"
        ))
        .await
        .unwrap_or_else(|error| panic!("{error}"));
    cookie_policy_consent_log_postgres::PostgresStore::pool(&postgres_url_in(url, schema), 16)
        .unwrap_or_else(|error| panic!("{error}"))
}
