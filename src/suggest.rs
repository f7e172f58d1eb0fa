//! "Did you mean" suggestions, from `similar`'s close-match utility.

/// Up to `n` candidates close to `word`, best first.
pub fn close(word: &str, candidates: &[&str], n: usize) -> Vec<String> {
    similar::get_close_matches(word, candidates, n, 0.7)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// Candidates so close to `word` that it is surely a typo of them.
pub fn very_close(word: &str, candidates: &[&str]) -> Vec<String> {
    similar::get_close_matches(word, candidates, 3, 0.85)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// The `n` candidates nearest to `word` by similarity, however far (ties in input order).
pub fn nearest(word: &str, candidates: &[&str], n: usize) -> Vec<String> {
    let mut scored: Vec<(f32, usize)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| (similar::TextDiff::from_chars(word, *c).ratio(), i))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(n)
        .map(|(_, i)| candidates[i].to_owned())
        .collect()
}

/// "did you mean `a` or `b`?" for the candidates close to `word`, else `otherwise`.
pub fn did_you_mean(word: &str, candidates: &[&str], otherwise: &str) -> String {
    let close = close(word, candidates, 3);
    if close.is_empty() {
        otherwise.to_owned()
    } else {
        format!("did you mean {}?", quoted(&close))
    }
}

/// "did you mean …?" for a rule id, else a pointer to the list of rules.
pub fn rule_help(id: &str) -> String {
    let ids: Vec<&str> = crate::rules::Rule::ALL.iter().map(|r| r.id()).collect();
    did_you_mean(id, &ids, "`smm-lint rules` lists every rule")
}

/// `a`, `b` or `c`, for messages.
pub fn quoted(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
