//! "Did you mean ...?": the nearest known word to a misspelt one.

/// The candidate closest to `word` by edit distance, if it is close enough to
/// be a plausible typo (at most a third of the word's length, and at least 1).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance (optimal string alignment: insertions, deletions,
/// substitutions and swaps of neighbours each count 1), counting characters,
/// with ASCII case differences counted as no typo at all: `Necessary` is
/// closest to `necessary`, `paht` to `path`.
#[allow(
    clippy::indexing_slicing,
    reason = "i <= a.len() and j <= b.len(), and the rows have b.len() + 1 cells"
)]
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let same = |x: char, y: char| x.eq_ignore_ascii_case(&y);
    // Three rows of the distance matrix: i - 2, i - 1 and i.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let substitution = previous[j - 1] + usize::from(!same(a[i - 1], b[j - 1]));
            let mut best = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            if i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]) {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        core::mem::swap(&mut before, &mut previous);
        core::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATEGORIES: [&str; 4] = ["necessary", "functional", "statistical", "advertising"];

    #[test]
    fn finds_typos() {
        assert_eq!(closest("statisticl", CATEGORIES), Some("statistical"));
        assert_eq!(closest("Necessary", CATEGORIES), Some("necessary"));
        assert_eq!(closest("categry", ["category", "name"]), Some("category"));
        assert_eq!(closest("paht", ["path", "crate"]), Some("path"));
    }

    #[test]
    fn does_not_suggest_unrelated_words() {
        assert_eq!(closest("marketing", CATEGORIES), None);
        assert_eq!(closest("", CATEGORIES), None);
    }
}
