//! Outputs that are safe to open: text for a terminal in which a stored
//! field cannot drive the terminal, and CSV cells a spreadsheet does not
//! run as formulas.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` for a terminal: every control character (C0 but for none, DEL,
/// C1) written as Rust writes it in a string, `\u{1b}`, so that a field
/// cannot move the cursor, change colours or retitle the window.
pub(crate) fn terminal(text: &str) -> Cow<'_, str> {
    escape(text, |_| false)
}

/// `text` for a terminal, keeping its line breaks: for a text of several
/// lines that the command prints as such (the policy page shown).
pub(crate) fn terminal_lines(text: &str) -> Cow<'_, str> {
    escape(text, |c| c == '\n')
}

fn escape(text: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && !keep(c);
    if !text.contains(unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A CSV cell a spreadsheet shows as text: one that starts with `=`, `+`,
/// `-`, `@`, tab, carriage return or line feed, which spreadsheets read as
/// a formula (OWASP, "CSV Injection"), gets a leading `'`. The CSV writer
/// quotes the cell when it needs to.
pub(crate) fn csv_cell(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r', '\n']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_for_a_terminal() {
        assert_eq!(terminal("plain, é, 😀"), "plain, é, 😀");
        assert_eq!(
            terminal("\u{1b}[31mred\u{7}\r\n\t\u{7f}\u{9b}2J"),
            "\\u{1b}[31mred\\u{7}\\u{d}\\u{a}\\u{9}\\u{7f}\\u{9b}2J"
        );
        assert_eq!(terminal_lines("a\nb\u{1b}\r\n"), "a\nb\\u{1b}\\u{d}\n");
    }

    #[test]
    fn formulas_become_text() {
        for cell in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx"] {
            assert_eq!(csv_cell(cell), format!("'{cell}"));
        }
        for cell in ["", "a=1", "1-2", "'=1", "http://x/"] {
            assert_eq!(csv_cell(cell), cell);
        }
    }
}
