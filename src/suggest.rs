//! "Did you mean" suggestions, from `similar`'s close-match utility.

/// Up to `n` candidates close to `word`, best first.
pub fn close(word: &str, candidates: &[&str], n: usize) -> Vec<String> {
    similar::get_close_matches(word, candidates, n, 0.7)
        .into_iter()
        .map(str::to_owned)
        .collect()
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
