//! The one place that decides a finding's final severity: configuration overrides (`off`
//! drops it), waivers (kept but not counted), then a deterministic order.

use crate::checks::waivers::UNWAIVABLE;
use crate::context::Context;
use crate::diagnostic::{Diagnostic, Waived};
use crate::document::Document;
use crate::document::schema::{Front, Waiver};
use crate::rules::Rule;
use crate::rules::Severity;
use std::collections::HashMap;

pub(crate) fn finish(
    diagnostics: Vec<Diagnostic>,
    documents: &[Document],
    ctx: &Context,
) -> Vec<Diagnostic> {
    let mut waivers = Waivers::default();
    for doc in documents {
        waivers.add(doc, ctx);
    }
    finish_with(diagnostics, &waivers, ctx)
}

/// [`finish`] with the waivers already gathered. Applying it again to its own output changes
/// nothing, so findings finished in parts can be finished once more together.
pub(crate) fn finish_with(
    diagnostics: Vec<Diagnostic>,
    waivers: &Waivers,
    ctx: &Context,
) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter_map(|mut d| {
            d.severity = match ctx.settings.severities.get(&d.rule)? {
                Some(severity) => *severity,
                // The configuration under review must not hide its own change.
                None if d.rule == Rule::ConfigChanged => Severity::Info,
                None => return None,
            };
            if !UNWAIVABLE.contains(&d.rule) {
                d.waived = waivers.get(&d.file.name, d.rule).cloned();
            }
            Some(d)
        })
        .collect();
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.span == b.span);
    out
}

/// Valid, unexpired waivers by file name and rule.
#[derive(Debug, Default)]
pub(crate) struct Waivers {
    by_file: HashMap<String, HashMap<Rule, Waived>>,
}

impl Waivers {
    /// The valid, unexpired waivers of `doc` (of two for one rule, the later one).
    pub(crate) fn add(&mut self, doc: &Document, ctx: &Context) {
        let list: &[Waiver] = match &doc.front {
            Front::Profile(p) => &p.waivers,
            Front::Practice(p) => &p.waivers,
        };
        for w in list {
            let (Some(rule), Some(reason), Some(expires)) = (&w.rule, &w.reason, &w.expires) else {
                continue;
            };
            let Some(rule) = Rule::from_id(&rule.value) else {
                continue;
            };
            if expires.value < ctx.today {
                continue;
            }
            self.by_file
                .entry(doc.file.name.clone())
                .or_default()
                .insert(
                    rule,
                    Waived {
                        reason: reason.value.clone(),
                        expires: expires.value,
                    },
                );
        }
    }

    fn get(&self, file: &str, rule: Rule) -> Option<&Waived> {
        self.by_file.get(file)?.get(&rule)
    }
}

/// Counts of findings that count (not waived), by severity, and of the waived ones (which the
/// report's JSON leaves out).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    #[serde(skip)]
    pub waived: usize,
}

impl Counts {
    /// Whether any finding counts.
    pub(crate) fn any(&self) -> bool {
        self.errors + self.warnings + self.infos > 0
    }
}

/// The findings on the file named `name`, in the order [`finish`] gives: they are adjacent,
/// since that order starts with the file name, so finding them is a binary search rather than a
/// scan of every finding (which, once per practice, made large trees quadratic).
pub(crate) fn on_file<'a>(diagnostics: &'a [Diagnostic], name: &str) -> &'a [Diagnostic] {
    let start = diagnostics.partition_point(|d| d.file.name.as_str() < name);
    let len = diagnostics[start..].partition_point(|d| d.file.name == name);
    &diagnostics[start..start + len]
}

pub fn counts<'a>(diagnostics: impl IntoIterator<Item = &'a Diagnostic>) -> Counts {
    let mut c = Counts::default();
    for d in diagnostics {
        match (&d.waived, d.severity) {
            (Some(_), _) => c.waived += 1,
            (None, Severity::Error) => c.errors += 1,
            (None, Severity::Warning) => c.warnings += 1,
            (None, Severity::Info) => c.infos += 1,
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    /// The binary search finds exactly what a scan finds, for every name: present, absent,
    /// before the first, after the last, and a prefix of another.
    #[test]
    fn the_findings_on_a_file_are_what_a_scan_finds() {
        let names = ["a.md", "b/c.md", "b/c.md.bak", "b/d.md", "z.md"];
        let files: Vec<_> = names
            .iter()
            .map(|n| SourceFile::new((*n).to_owned(), "x".repeat(40)))
            .collect();
        let mut all: Vec<Diagnostic> = Vec::new();
        for (i, file) in files.iter().enumerate().rev() {
            for k in 0..i {
                all.push(Diagnostic::new(
                    Rule::BelowTarget,
                    file,
                    k..k + 1,
                    format!("{k}"),
                ));
            }
        }
        all.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        for name in names.iter().chain(&["", "0.md", "b/c", "b/c.mdx", "zz.md"]) {
            let scanned: Vec<&Diagnostic> = all.iter().filter(|d| d.file.name == *name).collect();
            let found: Vec<&Diagnostic> = on_file(&all, name).iter().collect();
            assert_eq!(found.len(), scanned.len(), "{name}");
            assert!(
                found
                    .iter()
                    .zip(&scanned)
                    .all(|(a, b)| std::ptr::eq(*a, *b)),
                "{name}"
            );
        }
    }
}
