//! Markdown cells, shared by the rustdoc tables the derive writes and the
//! policy pages `cookie-policy` renders.

/// Text made safe for a Markdown table cell: no HTML, no emphasis, no link,
/// no cell break, on one line.
///
/// ```
/// use cookie_policy_core::markdown_cell;
///
/// assert_eq!(markdown_cell("a|b<script>\nc_d"), "a\\|b&lt;script&gt; c\\_d");
/// ```
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A cookie name as inline code in a table cell, or as escaped text when a
/// backtick makes inline code impossible.
///
/// ```
/// use cookie_policy_core::markdown_code;
///
/// assert_eq!(markdown_code("a|b"), "`a\\|b`");
/// assert_eq!(markdown_code("a`b"), "a\\`b");
/// ```
pub fn markdown_code(name: &str) -> String {
    if name.contains('`') || name.contains(['\n', '\r']) {
        markdown_cell(name)
    } else {
        format!("`{}`", name.replace('|', "\\|"))
    }
}
