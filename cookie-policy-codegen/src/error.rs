//! [`Error`]: one mistake in a policy file, as the compiler shows it.

use core::fmt;
use core::ops::Range;

use crate::diagnostic::Diagnostic;
use crate::source::Source;

/// One mistake in a policy file: what is wrong, where, and, displayed, the
/// whole message in rustc's layout, with the quoted line and the fix.
///
/// ```
/// let errors = cookie_policy_codegen::policy("policy.toml", "[site]\nname = 3\n").unwrap_err();
/// assert_eq!(errors[0].message(), "`name` in [site] must be a string, not an integer");
/// assert_eq!(errors[0].to_string().lines().nth(1), Some(" --> policy.toml:2:8"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    message: String,
    line: usize,
    column: usize,
    spans: Vec<Range<usize>>,
    rendered: String,
}

impl Error {
    pub(crate) fn new(diagnostic: &Diagnostic, source: &Source<'_>) -> Error {
        let position = source.position(diagnostic.primary.span.start);
        Error {
            message: diagnostic.message.clone(),
            line: position.line,
            column: position.column,
            spans: core::iter::once(&diagnostic.primary)
                .chain(&diagnostic.secondary)
                .map(|label| label.span.clone())
                .collect(),
            rendered: diagnostic.render(source),
        }
    }

    /// A mistake of the file as a whole, such as its size: placed at 1:1,
    /// with no span.
    pub(crate) fn whole_file(message: String) -> Error {
        Error {
            rendered: message.clone(),
            message,
            line: 1,
            column: 1,
            spans: Vec::new(),
        }
    }

    /// What is wrong, in one line, without the position.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The 1-based line of the mistake.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The 1-based column of the mistake, in characters.
    pub fn column(&self) -> usize {
        self.column
    }

    /// The byte ranges of the file the message points at, the mistake
    /// first (then, for instance, the first of two duplicates).
    pub fn spans(&self) -> &[Range<usize>] {
        &self.spans
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rendered)
    }
}

impl std::error::Error for Error {}
