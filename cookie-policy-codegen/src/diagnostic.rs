//! Errors that point into the policy file, collected so one build reports
//! every mistake.

use core::fmt::Write as _;
use core::ops::Range;

use crate::source::Source;

/// One mistake in a policy file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong, in one line.
    pub message: String,
    /// Where, as a byte range of the file, with a short label.
    pub primary: Label,
    /// Other places worth showing (the first of two duplicates).
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

/// A byte range of the file and what to say under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// The bytes it points at.
    pub span: Range<usize>,
    /// Printed after the carets; may be empty.
    pub text: String,
}

impl Diagnostic {
    /// A mistake at `span`.
    pub fn new(message: impl Into<String>, span: Range<usize>) -> Self {
        Diagnostic {
            message: message.into(),
            primary: Label {
                span,
                text: String::new(),
            },
            secondary: Vec::new(),
            help: None,
        }
    }

    /// Sets the text under the carets.
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.primary.text = text.into();
        self
    }

    /// Labels the carets "did you mean `x`?" when one of `candidates` is a
    /// plausible typo of `word`.
    pub fn did_you_mean<'c>(
        self,
        word: &str,
        candidates: impl IntoIterator<Item = &'c str>,
    ) -> Self {
        match cookie_policy_core::closest(word, candidates) {
            Some(suggestion) => self.label(format!("did you mean `{suggestion}`?")),
            None => self,
        }
    }

    /// Adds another place to show.
    pub fn also(mut self, span: Range<usize>, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    /// Says how to fix it.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The message as the compiler shows it, in rustc's own layout:
    ///
    /// ```text
    /// unknown category `statisticl`
    ///   --> policy.toml:14:12
    ///    |
    /// 14 | category = "statisticl"
    ///    |            ^^^^^^^^^^^^ did you mean `statistical`?
    ///    |
    ///    = help: the categories are `necessary`, `functional`, ...
    /// ```
    pub fn render(&self, source: &Source<'_>) -> String {
        let labels = core::iter::once(&self.primary).chain(&self.secondary);
        let gutter = labels
            .clone()
            .map(|label| source.position(label.span.start).line.to_string().len())
            .max()
            .unwrap_or(1);
        let pad = " ".repeat(gutter);
        let mut out = self.message.clone();
        for label in labels {
            let start = source.position(label.span.start);
            // Control characters would move the terminal's cursor: shown as spaces.
            let line: String = source
                .line(start.line)
                .chars()
                .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
                .collect();
            let _ = write!(
                out,
                "\n{pad}--> {}:{}:{}\n{pad} |\n{:>gutter$} | {line}\n{pad} | ",
                source.path(),
                start.line,
                start.column,
                start.line,
            );
            let indent: String = line
                .chars()
                .take(start.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            let covered = source.slice(&label.span).lines().next().unwrap_or("");
            let carets = covered.chars().count().max(1);
            let _ = write!(out, "{indent}{}", "^".repeat(carets));
            if !label.text.is_empty() {
                let _ = write!(out, " {}", label.text);
            }
        }
        if let Some(help) = &self.help {
            let _ = write!(out, "\n{pad} |\n{pad} = help: {help}");
        }
        out
    }
}

/// Every mistake found in one file, in the order found (serde_derive's `Ctxt`).
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a mistake and goes on.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.list.push(diagnostic);
    }

    /// Whether no mistake was recorded.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The mistakes, sorted by their place in the file.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.list.sort_by_key(|d| d.primary.span.start);
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc() {
        let text = "[[cookie]]\ncategory = \"statisticl\"\n";
        let source = Source::new("policy.toml", text);
        let start = text.find('"').unwrap();
        let diagnostic = Diagnostic::new("unknown category `statisticl`", start..start + 12)
            .label("did you mean `statistical`?")
            .help("the categories are `necessary`, `functional`, `statistical` and `advertising`");
        assert_eq!(
            diagnostic.render(&source),
            "unknown category `statisticl`
 --> policy.toml:2:12
  |
2 | category = \"statisticl\"
  |            ^^^^^^^^^^^^ did you mean `statistical`?
  |
  = help: the categories are `necessary`, `functional`, `statistical` and `advertising`"
        );
    }
}
