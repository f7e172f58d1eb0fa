//! Applies the unified diff that `--diff` prints, exactly: every context and removed line must
//! match the file byte for byte, and lines outside the hunks are copied unchanged. A fix that
//! changed a byte `--diff` did not announce makes the result differ from the file `--fix` wrote.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

/// The files named in `diff` (paths relative to `dir`, as `--diff` prints them), patched.
pub fn apply(dir: &Path, diff: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let lines: Vec<&[u8]> = diff.split_inclusive(|&b| b == b'\n').collect();
    let mut out = BTreeMap::new();
    let mut i = 0;
    while i < lines.len() {
        let name = header(lines[i], b"--- a/").ok_or(format!("line {}: no `--- a/`", i + 1))?;
        header(lines.get(i + 1).copied().unwrap_or(b""), b"+++ b/")
            .filter(|n| *n == name)
            .ok_or(format!("line {}: no matching `+++ b/`", i + 2))?;
        i += 2;
        let before = std::fs::read(dir.join(&name)).map_err(|e| format!("{name}: {e}"))?;
        let old: Vec<&[u8]> = before.split_inclusive(|&b| b == b'\n').collect();
        let mut new: Vec<u8> = Vec::new();
        let mut copied = 0;
        while i < lines.len() && lines[i].starts_with(b"@@ ") {
            let (start, mut old_left, mut new_left) =
                hunk_header(lines[i]).ok_or(format!("line {}: bad hunk header", i + 1))?;
            i += 1;
            // `-0,0` (an empty file) starts at 0, others are 1-based.
            let start = start.saturating_sub(1);
            if start < copied || start > old.len() {
                return Err(format!("{name}: hunk at {start} out of order"));
            }
            old[copied..start]
                .iter()
                .for_each(|l| new.extend_from_slice(l));
            copied = start;
            while old_left + new_left > 0 {
                let kind = *lines
                    .get(i)
                    .and_then(|l| l.first())
                    .ok_or(format!("{name}: the hunk ends early"))?;
                match kind {
                    b' ' if old_left > 0 && new_left > 0 => {
                        (old_left, new_left) = (old_left - 1, new_left - 1)
                    }
                    b'-' if old_left > 0 => old_left -= 1,
                    b'+' if new_left > 0 => new_left -= 1,
                    _ => return Err(format!("line {}: not a line of the hunk", i + 1)),
                }
                let mut text = lines[i][1..].to_vec();
                i += 1;
                // "\ No newline at end of file" belongs to the line before it.
                if lines.get(i).is_some_and(|l| l.starts_with(b"\\")) {
                    if text.last() == Some(&b'\n') {
                        text.pop();
                    }
                    i += 1;
                }
                if kind == b'+' {
                    new.extend_from_slice(&text);
                    continue;
                }
                let have = old.get(copied).copied().unwrap_or(b"");
                if have != text.as_slice() {
                    return Err(format!(
                        "{name}:{}: the diff says {:?}, the file has {:?}",
                        copied + 1,
                        String::from_utf8_lossy(&text),
                        String::from_utf8_lossy(have)
                    ));
                }
                if kind == b' ' {
                    new.extend_from_slice(have);
                }
                copied += 1;
            }
        }
        old[copied..].iter().for_each(|l| new.extend_from_slice(l));
        out.insert(name, new);
    }
    Ok(out)
}

fn header(line: &[u8], prefix: &[u8]) -> Option<String> {
    let rest = line.strip_prefix(prefix)?;
    let rest = rest.strip_suffix(b"\n").unwrap_or(rest);
    Some(String::from_utf8_lossy(rest).into_owned())
}

/// The old start line and the old and new line counts of `@@ -START[,COUNT] +START[,COUNT] @@`.
fn hunk_header(line: &[u8]) -> Option<(usize, usize, usize)> {
    let text = std::str::from_utf8(line).ok()?;
    let mut ranges = text.strip_prefix("@@ -")?.split(' ');
    let range = |r: &str| -> Option<(usize, usize)> {
        match r.split_once(',') {
            Some((start, count)) => Some((start.parse().ok()?, count.parse().ok()?)),
            None => Some((r.parse().ok()?, 1)),
        }
    };
    let (start, old) = range(ranges.next()?)?;
    let (_, new) = range(ranges.next()?.strip_prefix('+')?)?;
    Some((start, old, new))
}
