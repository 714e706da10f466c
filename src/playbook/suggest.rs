//! "Did you mean …?" hints for typos of known keys and ids.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a, I, S>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        let c = c.as_ref();
        let d = strsim::damerau_levenshtein(&lower, &c.to_lowercase());
        // Allow about one edit per three characters, at least one, so "stakholders"
        // finds "stakeholders" but "id" does not suggest "to".
        let limit = (c.chars().count().max(word.chars().count()) / 3).max(1);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// The one way a hint is written after a message: ` — did you mean "x"?`, or nothing when no
/// candidate is close.
pub fn hint<'a, I, S>(word: &str, candidates: I) -> String
where
    I: IntoIterator<Item = &'a S>,
    S: AsRef<str> + ?Sized + 'a,
{
    did_you_mean(word, candidates)
        .map(phrase)
        .unwrap_or_default()
}

/// ` — did you mean "x"?` for a suggestion already chosen.
pub fn phrase(suggestion: &str) -> String {
    format!(" — did you mean \"{suggestion}\"?")
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, hint};

    #[test]
    fn finds_close_typos_only() {
        let keys = ["stakeholders", "severities", "roles", "id"];
        assert_eq!(did_you_mean("stakholders", &keys), Some("stakeholders"));
        assert_eq!(did_you_mean("Severities", &keys), Some("severities"));
        assert_eq!(did_you_mean("rols", &keys), Some("roles"));
        assert_eq!(did_you_mean("banana", &keys), None);
        assert_eq!(did_you_mean("to", &keys), None);
        assert_eq!(hint("rols", &keys), " — did you mean \"roles\"?");
        assert_eq!(hint("banana", &keys), "");
    }
}
