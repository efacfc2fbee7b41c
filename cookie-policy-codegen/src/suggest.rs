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

/// Levenshtein distance, counting characters, with ASCII case differences counted
/// as no typo at all: `Necessary` is closest to `necessary`.
#[allow(
    clippy::indexing_slicing,
    reason = "every index is at most b.len(), and both rows have b.len() + 1 cells"
)]
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(!ca.eq_ignore_ascii_case(&cb));
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
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
    }

    #[test]
    fn does_not_suggest_unrelated_words() {
        assert_eq!(closest("marketing", CATEGORIES), None);
        assert_eq!(closest("", CATEGORIES), None);
    }
}
