//! "Did you mean" suggestions, ranked by the ratio of `similar`'s close-match utility: twice the
//! characters two strings have in common (in order) over their total length.
//!
//! Names, headings and ids come from documents a pull request controls, so the work is bounded:
//! a word longer than [`MAX_WORD_CHARS`] gets no suggestion; candidates whose length alone keeps
//! them below the cutoff are dropped; the rest are ranked by the character pairs (bigrams) they
//! share with the word, a cheap measure, and only the best [`MAX_COMPARED`] of them
//! ([`MAX_COMPARED_NEAREST`] for the nearest ones, which have no cutoff) get a ratio. The ratio
//! itself is computed bit-parallel, in time linear in the candidate's length (a diff of two
//! strings of the same characters costs the product of their lengths). With the handful to few
//! hundred candidates of ordinary input every candidate gets a ratio, so the suggestions are the
//! ones `similar::get_close_matches` gives.

use std::collections::HashMap;

/// Words longer than this (in characters) get no suggestion: nobody mistypes a 300-character id.
pub(crate) const MAX_WORD_CHARS: usize = 256;
/// At most this many candidates are compared by ratio for one word.
pub(crate) const MAX_COMPARED: usize = 200;
/// At most this many candidates are compared by ratio for the nearest ones, however far: that
/// help is given for every unknown id, with no cutoff to filter on first.
pub(crate) const MAX_COMPARED_NEAREST: usize = 50;

/// Candidates prepared once for many look-ups: their lengths and bigram signatures.
#[derive(Debug, Clone, Default)]
pub(crate) struct Candidates {
    items: Vec<Candidate>,
}

#[derive(Debug, Clone)]
struct Candidate {
    text: String,
    chars: usize,
    bigrams: Bigrams,
}

/// The set of a string's character pairs, hashed into 256 bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Bigrams([u64; 4]);

impl Bigrams {
    fn of(text: &str) -> Bigrams {
        let mut bits = [0u64; 4];
        let mut chars = text.chars();
        let Some(mut prev) = chars.next() else {
            return Bigrams(bits);
        };
        for c in chars {
            let h = (u32::from(prev).wrapping_mul(0x9E37_79B1) ^ u32::from(c))
                .wrapping_mul(0x85EB_CA6B)
                >> 24;
            bits[(h >> 6) as usize] |= 1 << (h & 63);
            prev = c;
        }
        Bigrams(bits)
    }

    fn count(self) -> u32 {
        self.0.iter().map(|w| w.count_ones()).sum()
    }

    /// Dice's coefficient of the two sets, 0 to 1.
    fn similarity(self, other: Bigrams) -> f32 {
        let shared: u32 = self
            .0
            .iter()
            .zip(other.0)
            .map(|(a, b)| (a & b).count_ones())
            .sum();
        let total = self.count() + other.count();
        if total == 0 {
            0.0
        } else {
            2.0 * shared as f32 / total as f32
        }
    }
}

/// The highest ratio two strings of these lengths can have: it is reached only when the shorter
/// one is wholly inside the longer.
fn length_bound(a: usize, b: usize) -> f32 {
    if a + b == 0 {
        1.0
    } else {
        2.0 * a.min(b) as f32 / (a + b) as f32
    }
}

impl Candidates {
    pub(crate) fn new<'a>(candidates: impl IntoIterator<Item = &'a str>) -> Candidates {
        Candidates {
            items: candidates
                .into_iter()
                .map(|text| Candidate {
                    text: text.to_owned(),
                    chars: text.chars().count(),
                    bigrams: Bigrams::of(text),
                })
                .collect(),
        }
    }

    /// The indexes of the candidates worth a ratio for `word`, at most `max`, best first by the
    /// cheap measure (ties in input order). `cutoff` drops those whose length alone keeps them
    /// below it.
    fn shortlist(&self, word: &str, cutoff: f32, max: usize) -> Vec<usize> {
        if too_long(word) {
            return Vec::new();
        }
        let chars = word.chars().count();
        let bigrams = Bigrams::of(word);
        let mut ranked: Vec<(f32, usize)> = self
            .items
            .iter()
            .enumerate()
            .filter(|(_, c)| length_bound(chars, c.chars) >= cutoff)
            .map(|(i, c)| (bigrams.similarity(c.bigrams), i))
            .collect();
        if ranked.len() > max {
            let by_rank =
                |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
            ranked.select_nth_unstable_by(max, by_rank);
            ranked.truncate(max);
            ranked.sort_by(by_rank);
        }
        ranked.into_iter().map(|(_, i)| i).collect()
    }

    /// The shortlisted candidates with their ratio to `word`.
    fn scored(&self, word: &str, cutoff: f32, max: usize) -> Vec<(f32, usize)> {
        let pattern = Pattern::new(word);
        self.shortlist(word, cutoff, max)
            .into_iter()
            .map(|i| (pattern.ratio(&self.items[i].text), i))
            .collect()
    }

    /// Up to `n` candidates whose ratio to `word` is at least `cutoff`, best first (ties in
    /// alphabetical order).
    pub(crate) fn close(&self, word: &str, n: usize, cutoff: f32) -> Vec<String> {
        let mut close: Vec<(u32, &str)> = self
            .scored(word, cutoff, MAX_COMPARED)
            .into_iter()
            .filter(|&(ratio, _)| ratio >= cutoff)
            // Ratios compared as `similar::get_close_matches` compares them, so that ties fall
            // the same way.
            .map(|(ratio, i)| {
                (
                    (ratio * u32::MAX as f32) as u32,
                    self.items[i].text.as_str(),
                )
            })
            .collect();
        close.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        close
            .into_iter()
            .take(n)
            .map(|(_, t)| t.to_owned())
            .collect()
    }

    /// The `n` candidates nearest to `word` by ratio, however far (ties in input order).
    pub(crate) fn nearest(&self, word: &str, n: usize) -> Vec<String> {
        let mut scored = self.scored(word, 0.0, MAX_COMPARED_NEAREST);
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored
            .into_iter()
            .take(n)
            .map(|(_, i)| self.items[i].text.clone())
            .collect()
    }
}

/// A word prepared for ratios against many candidates: where each of its characters occurs,
/// as bit masks, one 64-bit word per 64 characters.
struct Pattern {
    chars: usize,
    words: usize,
    masks: HashMap<char, Vec<u64>>,
}

impl Pattern {
    fn new(word: &str) -> Pattern {
        let chars = word.chars().count();
        let words = chars.div_ceil(64).max(1);
        let mut masks: HashMap<char, Vec<u64>> = HashMap::new();
        for (i, c) in word.chars().enumerate() {
            masks.entry(c).or_insert_with(|| vec![0; words])[i / 64] |= 1 << (i % 64);
        }
        Pattern {
            chars,
            words,
            masks,
        }
    }

    /// The length of the longest common subsequence of the word and `other`, by the
    /// bit-parallel method: each character of `other` updates a bit row of the word's length
    /// with one addition and one subtraction, so the cost is `other`'s length times the words of
    /// the row, never the product of the two lengths.
    fn common(&self, other: &str) -> usize {
        // A zero bit at position i marks a step of the common subsequence ending there.
        let mut row = vec![u64::MAX; self.words];
        for c in other.chars() {
            let Some(mask) = self.masks.get(&c) else {
                continue;
            };
            let (mut carry, mut borrow) = (false, false);
            for (r, &m) in row.iter_mut().zip(mask) {
                let matched = *r & m;
                let (sum, c1) = r.overflowing_add(matched);
                let (sum, c2) = sum.overflowing_add(u64::from(carry));
                let (diff, b1) = r.overflowing_sub(matched);
                let (diff, b2) = diff.overflowing_sub(u64::from(borrow));
                (carry, borrow) = (c1 || c2, b1 || b2);
                *r = sum | diff;
            }
        }
        let mut zeros = 0;
        for (w, r) in row.iter().enumerate() {
            let bits = (self.chars - w * 64).min(64);
            let live = if bits == 64 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            };
            zeros += (!r & live).count_ones() as usize;
        }
        zeros
    }

    /// `similar`'s ratio: twice the characters in common over both lengths.
    fn ratio(&self, other: &str) -> f32 {
        let total = self.chars + other.chars().count();
        if total == 0 {
            1.0
        } else {
            2.0 * self.common(other) as f32 / total as f32
        }
    }
}

/// Whether `word` is too long for suggestions: checked before preparing the candidates, which
/// costs their total length.
fn too_long(word: &str) -> bool {
    word.chars().nth(MAX_WORD_CHARS).is_some()
}

/// Up to `n` candidates close to `word`, best first.
pub(crate) fn close(word: &str, candidates: &[&str], n: usize) -> Vec<String> {
    if too_long(word) {
        return Vec::new();
    }
    Candidates::new(candidates.iter().copied()).close(word, n, 0.7)
}

/// Candidates so close to `word` that it is surely a typo of them.
#[cfg(test)]
fn very_close(word: &str, candidates: &[&str]) -> Vec<String> {
    if too_long(word) {
        return Vec::new();
    }
    Candidates::new(candidates.iter().copied()).close(word, 3, 0.85)
}

/// The `n` candidates nearest to `word` by similarity, however far (ties in input order).
#[cfg(test)]
fn nearest(word: &str, candidates: &[&str], n: usize) -> Vec<String> {
    if too_long(word) {
        return Vec::new();
    }
    Candidates::new(candidates.iter().copied()).nearest(word, n)
}

/// "did you mean `a` or `b`?" for the candidates close to `word`, else `otherwise`.
pub(crate) fn did_you_mean(word: &str, candidates: &[&str], otherwise: &str) -> String {
    let close = close(word, candidates, 3);
    if close.is_empty() {
        otherwise.to_owned()
    } else {
        format!("did you mean {}?", quoted(&close))
    }
}

/// The one key closest to `key` with a similarity of at least `cutoff` (0 to 1), if any.
pub(crate) fn close_keys(key: &str, allowed: &[&'static str], cutoff: f32) -> Vec<String> {
    similar::get_close_matches(key, allowed, 1, cutoff)
        .into_iter()
        .map(str::to_owned)
        .collect()
}

/// `a`, `b` or `c`, for messages.
pub(crate) fn quoted(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shuffled(seed: u64, len: usize) -> String {
        // The same characters in a different order each time: the shape that makes a diff slow.
        let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789".chars().collect();
        let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        let mut out: Vec<char> = (0..len).map(|i| alphabet[i % alphabet.len()]).collect();
        for i in (1..out.len()).rev() {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            out.swap(i, (state >> 33) as usize % (i + 1));
        }
        out.into_iter().collect()
    }

    #[test]
    fn typical_typos_are_suggested_as_before() {
        let ids = ["patch-management", "hardening", "governance", "enablement"];
        assert_eq!(close("patch-managment", &ids, 3), ["patch-management"]);
        assert_eq!(very_close("hardning", &ids), ["hardening"]);
        assert_eq!(nearest("zzz-gov", &ids, 1), ["governance"]);
        assert!(close("zzzz", &ids, 3).is_empty());
    }

    #[test]
    fn same_results_as_the_ratio_alone_for_few_candidates() {
        let names: Vec<String> = (0..150).map(|i| format!("record-{i:04}.txt")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        for word in ["record-0042.tx", "recrd-0100.txt", "rec-12.txt", "x"] {
            let plain: Vec<String> = similar::get_close_matches(word, &refs, 3, 0.7)
                .into_iter()
                .map(str::to_owned)
                .collect();
            assert_eq!(close(word, &refs, 3), plain, "{word}");
        }
    }

    #[test]
    fn long_words_get_no_suggestion() {
        let word = "a".repeat(MAX_WORD_CHARS + 1);
        assert!(close(&word, &[word.as_str()], 3).is_empty());
        assert!(nearest(&word, &["a"], 3).is_empty());
    }

    #[test]
    fn many_candidates_are_cut_to_the_best_by_bigrams() {
        let mut names: Vec<String> = (0..5000).map(|i| shuffled(i, 40)).collect();
        names.push("practice-number-4242".to_owned());
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let candidates = Candidates::new(refs.iter().copied());
        assert!(
            candidates
                .shortlist("practice-numbr-4242", 0.0, MAX_COMPARED)
                .len()
                <= MAX_COMPARED
        );
        assert_eq!(
            candidates.nearest("practice-numbr-4242", 1),
            ["practice-number-4242"]
        );
    }

    #[test]
    fn ratios_are_those_of_a_diff() {
        let mut state = 7u64;
        let mut next = |n: u64| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) % n
        };
        for _ in 0..3000 {
            let mut word = || -> String {
                let len = next(150);
                let alphabet = 1 + next(8) as u8;
                (0..len)
                    .map(|_| char::from(b'a' + next(u64::from(alphabet)) as u8))
                    .collect()
            };
            let (a, b) = (word(), word());
            let by_diff = similar::TextDiff::from_chars(a.as_str(), b.as_str()).ratio();
            assert_eq!(Pattern::new(&a).ratio(&b), by_diff, "{a} / {b}");
        }
        assert_eq!(Pattern::new("").ratio(""), 1.0);
        assert_eq!(Pattern::new("é-ü").ratio("é_ü"), 2.0 * 2.0 / 6.0);
    }

    #[test]
    fn long_shuffled_candidates_are_cheap() {
        let names: Vec<String> = (0..1000).map(|i| shuffled(i, 250)).collect();
        let candidates = Candidates::new(names.iter().map(String::as_str));
        let word = shuffled(99_999, 250);
        let start = std::time::Instant::now();
        for _ in 0..10 {
            let _ = candidates.close(&word, 3, 0.7);
            let _ = candidates.nearest(&word, 3);
        }
        assert!(start.elapsed() < std::time::Duration::from_secs(10));
    }
}
