//! `check --fix` and `--diff`: the safe fixes, applied so that every byte outside the edited
//! spans stays as it was (comments, order, quoting, line endings, a byte order mark).

use crate::diagnostic::{Diagnostic, Edit};
use crate::error::Fatal;
use crate::paths;
use crate::profile::Profile;
use crate::settings::Settings;
use crate::source::SourceFile;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The new content of one file.
#[derive(Debug)]
pub struct FileFix {
    pub path: PathBuf,
    pub name: String,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
    pub edits: usize,
}

/// Every fix to make: those of the findings (waived ones are left as they are) and aliases
/// written as canonical ids.
pub fn plan(diagnostics: &[Diagnostic], profiles: &[Profile<'_>], cwd: &Path) -> Vec<FileFix> {
    let mut by_file: BTreeMap<String, (Arc<SourceFile>, Vec<Edit>)> = BTreeMap::new();
    let mut add = |file: &Arc<SourceFile>, edit: Edit| {
        by_file
            .entry(file.name.clone())
            .or_insert_with(|| (Arc::clone(file), Vec::new()))
            .1
            .push(edit);
    };
    for d in diagnostics.iter().filter(|d| d.waived.is_none()) {
        if let Some(edit) = &d.fix {
            add(&d.file, edit.clone());
        }
    }
    for p in profiles {
        let cat = &p.catalogue;
        for t in &p.front.targets {
            if let Some(found) = cat.find(&t.id.value).filter(|f| f.via_alias) {
                add(
                    &p.doc.file,
                    Edit::scalar(&p.doc.file, t.id.span.clone(), &cat.entry(found.index).id),
                );
            }
        }
        for practice in &p.practices {
            let id = &practice.front.practice;
            if let Some(found) = cat.find(&id.value).filter(|f| f.via_alias) {
                add(
                    &practice.doc.file,
                    Edit::scalar(
                        &practice.doc.file,
                        id.span.clone(),
                        &cat.entry(found.index).id,
                    ),
                );
            }
        }
    }
    by_file
        .into_values()
        .filter_map(|(file, edits)| fix_file(&file, edits, cwd))
        .collect()
}

/// Applies `edits` to the file as it is on disk, or `None` when the text read is not exactly
/// the file's (invalid UTF-8 was replaced, or the file changed meanwhile): then nothing is
/// safe to write.
pub fn fix_file(file: &SourceFile, mut edits: Vec<Edit>, cwd: &Path) -> Option<FileFix> {
    let path = paths::normalize(&cwd.join(&file.name));
    let before = std::fs::read(&path).ok()?;
    let (bom, body) = match before.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (&before[..3], rest),
        None => (&before[..0], &before[..]),
    };
    if body != file.text.as_bytes() {
        return None;
    }
    edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
    edits.dedup();
    let mut text = file.text.clone();
    let mut applied = 0;
    let mut floor = usize::MAX;
    for edit in edits {
        // Overlapping edits: keep the later one; the next run of --fix picks up the rest.
        if edit.span.end > floor || text.get(edit.span.clone()).is_none() {
            continue;
        }
        if text[edit.span.clone()] != edit.replacement {
            text.replace_range(edit.span.clone(), &edit.replacement);
            applied += 1;
        }
        floor = edit.span.start;
    }
    let mut after = bom.to_vec();
    after.extend_from_slice(text.as_bytes());
    (applied > 0).then(|| FileFix {
        path,
        name: file.name.clone(),
        before,
        after,
        edits: applied,
    })
}

/// The unified diff of one file's fix.
/// The diff is shown on a terminal: control characters from the document are escaped, line
/// breaks kept.
pub fn diff(fix: &FileFix) -> String {
    let before = String::from_utf8_lossy(&fix.before);
    let after = String::from_utf8_lossy(&fix.after);
    let name = crate::text::one_line(&fix.name);
    let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    crate::text::keep_lines(&diff)
}

/// A fixed file that was not written, and why.
#[derive(Debug)]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

/// Writes every fixed file, each atomically and only inside its repository. A file whose
/// path leads out of the repository is skipped; the others are still written.
pub fn write(fixes: &[FileFix], settings: &Settings) -> Result<Vec<Skipped>, Fatal> {
    let mut skipped = Vec::new();
    let mut failed = Vec::new();
    for f in fixes {
        let root = settings.write_root(&f.path);
        match crate::write::document(&f.path, &root, &f.after) {
            Ok(()) => {}
            Err(e) if e.is_refusal() => skipped.push(Skipped {
                name: f.name.clone(),
                reason: e.describe(&settings.cwd),
            }),
            Err(e) => failed.push(e.describe(&settings.cwd)),
        }
    }
    if failed.is_empty() {
        return Ok(skipped);
    }
    failed.extend(
        skipped
            .iter()
            .map(|s| format!("skipped {}: {}", s.name, s.reason)),
    );
    Err(Fatal::new(failed.join("\n")))
}
