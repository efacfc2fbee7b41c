//! The policy file's text, and byte offsets turned into `line:column`.

use core::ops::Range;

/// A policy file: its text and the path to show in messages.
#[derive(Debug)]
pub struct Source<'a> {
    path: &'a str,
    text: &'a str,
    /// Byte offset of the start of each line.
    line_starts: Vec<usize>,
}

/// A 1-based position in a [`Source`], in characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub column: usize,
}

impl<'a> Source<'a> {
    /// `path` is what messages show: relative to the crate's manifest
    /// directory, never absolute.
    pub fn new(path: &'a str, text: &'a str) -> Self {
        let line_starts = core::iter::once(0)
            .chain(text.match_indices('\n').map(|(offset, _)| offset + 1))
            .collect();
        Source {
            path,
            text,
            line_starts,
        }
    }

    /// The path messages show.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The position of a byte offset; offsets past the end or inside a
    /// character are moved back to the nearest character boundary.
    pub fn position(&self, offset: usize) -> Position {
        let offset = self.floor_char_boundary(offset);
        let line_index = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let before = self
            .text
            .get(line_start..offset)
            .map_or(0, |before| before.chars().count());
        // An offset on the line's ending (`\r\n`, `\n`) points just past its
        // last character.
        let column = before.min(self.line(line_index + 1).chars().count()) + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }

    /// The text of a 1-based line, without its line ending (`\n` or `\r\n`).
    pub fn line(&self, line: usize) -> &'a str {
        let Some(&start) = line.checked_sub(1).and_then(|i| self.line_starts.get(i)) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..end).unwrap_or("");
        let line = line.strip_suffix('\n').unwrap_or(line);
        line.strip_suffix('\r').unwrap_or(line)
    }

    /// The text a span covers, or `""` if the span does not lie in the text.
    pub fn slice(&self, span: &Range<usize>) -> &'a str {
        self.text.get(span.clone()).unwrap_or("")
    }

    fn floor_char_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let source = Source::new("p.toml", "a = 1\nnamé = \"x\"\n");
        assert_eq!(source.position(0), Position { line: 1, column: 1 });
        assert_eq!(source.position(6), Position { line: 2, column: 1 });
        // After the two-byte `é` and a space, the `=` is the sixth character.
        assert_eq!(source.position(12), Position { line: 2, column: 6 });
        assert_eq!(source.line(2), "namé = \"x\"");
    }

    #[test]
    fn line_endings_are_not_columns() {
        let source = Source::new("p.toml", "ab\r\ncd\r\r\n");
        assert_eq!(source.line(1), "ab");
        assert_eq!(source.line(2), "cd\r");
        // The `\r` and the `\n` of a CRLF both point just past `b`.
        assert_eq!(source.position(2), Position { line: 1, column: 3 });
        assert_eq!(source.position(3), Position { line: 1, column: 3 });
        assert_eq!(source.position(8), Position { line: 2, column: 4 });
    }

    #[test]
    fn out_of_range_offsets_do_not_panic() {
        let source = Source::new("p.toml", "é");
        assert_eq!(source.position(1), Position { line: 1, column: 1 });
        assert_eq!(source.position(99), Position { line: 1, column: 2 });
        assert_eq!(source.line(0), "");
        assert_eq!(source.line(7), "");
    }
}
