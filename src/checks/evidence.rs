//! Evidence items: evidence-not-found, evidence-anchor-not-found, evidence-outside-repo,
//! evidence-stale, evidence-changed, evidence-insufficient.

use super::files::{self, Resolved};
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::document::schema::{Evidence, Locator, PracticeFront};
use crate::model::evidence::ItemFacts;
use crate::model::level::one_line;
use crate::rules::Rule;
use crate::settings::Settings;
use sha2::{Digest, Sha256};
use std::path::Path;

pub fn check(
    doc: &Document,
    front: &PracticeFront,
    repo_root: &Path,
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) {
    let dir = doc.path.parent().unwrap_or(repo_root);
    let mut usable: Vec<ItemFacts<'_>> = Vec::new();
    for item in &front.evidence {
        let ok = match &item.locator {
            Some(Locator::Path(path)) => check_path(doc, item, path, dir, repo_root, settings, out),
            Some(Locator::Url(_)) => true,
            None => false,
        };
        stale(doc, item, settings, out);
        let in_future = item
            .reviewed
            .as_ref()
            .is_some_and(|r| r.value > settings.today);
        if let (true, false, Some(kind)) = (ok, in_future, &item.kind) {
            usable.push(ItemFacts {
                kind: &kind.value,
                reviewed: item.reviewed.as_ref().map(|r| r.value),
                has_standard: item.standard.is_some(),
            });
        }
    }
    insufficient(doc, front, &usable, settings, out);
}

/// Returns whether the item points at something that exists inside the repository.
fn check_path(
    doc: &Document,
    item: &Evidence,
    path: &crate::document::fields::Sp<String>,
    dir: &Path,
    repo_root: &Path,
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let (raw, anchor) = files::split_anchor(path.value.trim());
    let shown = one_line(raw);
    let resolved = if raw.is_empty() {
        Resolved::Found(doc.path.clone())
    } else {
        files::resolve(raw, dir, repo_root, false)
    };
    let found = match resolved {
        Resolved::Outside | Resolved::LinkOutside => {
            let why = resolved.outside_reason().unwrap_or_default();
            out.push(
                Diagnostic::new(
                    Rule::EvidenceOutsideRepo,
                    &doc.file,
                    path.span.clone(),
                    format!("`{shown}` {why}"),
                )
                .label("not read")
                .help("evidence must live in the repository: copy it in, or cite it with `url:`"),
            );
            return false;
        }
        Resolved::Missing => {
            out.push(
                Diagnostic::new(
                    Rule::EvidenceNotFound,
                    &doc.file,
                    path.span.clone(),
                    format!("`{}` does not exist", one_line(raw)),
                )
                .label("no such file")
                .help(crate::suggest::did_you_mean(
                    raw,
                    &files::nearby(raw, dir)
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>(),
                    "paths are relative to this document; fix the path or add the file",
                )),
            );
            return false;
        }
        Resolved::Found(p) if p.is_file() => p,
        Resolved::Found(p) => {
            let what = if p.is_dir() {
                "a directory"
            } else {
                "not a regular file"
            };
            out.push(
                Diagnostic::new(
                    Rule::EvidenceNotFound,
                    &doc.file,
                    path.span.clone(),
                    format!("`{}` is {what}", one_line(raw)),
                )
                .label("not a file")
                .help("evidence is a file: point at the document, record or report itself"),
            );
            return false;
        }
    };
    if let Some(anchor) = anchor.filter(|a| !a.is_empty()) {
        if let Some(anchors) = files::anchors(&found, settings.max_file_bytes) {
            if !files::has_anchor(&anchors, anchor) {
                let mut known: Vec<&str> = anchors.iter().map(String::as_str).collect();
                known.sort_unstable();
                let help = crate::suggest::did_you_mean(
                    anchor,
                    &known,
                    "an anchor is the GitHub id of a heading in that file: lowercase, punctuation dropped, spaces as `-`",
                );
                out.push(
                    Diagnostic::new(
                        Rule::EvidenceAnchorNotFound,
                        &doc.file,
                        path.span.clone(),
                        format!(
                            "`#{}` is not a heading in `{}`",
                            one_line(anchor),
                            one_line(raw)
                        ),
                    )
                    .label("no such heading")
                    .help(help),
                );
            }
        }
    }
    if let (Some(pin), Some(actual)) = (
        &item.sha256,
        item.sha256.as_ref().and_then(|_| sha256_of(&found)),
    ) {
        if !actual.eq_ignore_ascii_case(pin.value.trim()) {
            out.push(
                Diagnostic::new(
                    Rule::EvidenceChanged,
                    &doc.file,
                    pin.span.clone(),
                    format!("`{}` changed since it was pinned", one_line(raw)),
                )
                .label(format!("now {}", &actual[..12]))
                .help(
                    "review the changed evidence, then update the pin to the new content's SHA-256",
                ),
            );
        }
    }
    true
}

fn sha256_of(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Some(
        hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

fn stale(doc: &Document, item: &Evidence, settings: &Settings, out: &mut Vec<Diagnostic>) {
    let (Some(kind), Some(reviewed)) = (&item.kind, &item.reviewed) else {
        return;
    };
    let Some(&max) = settings.evidence.max_age_days.get(&kind.value) else {
        return;
    };
    let age = reviewed.value.days_until(settings.today);
    if age > i64::from(max) {
        out.push(
            Diagnostic::new(
                Rule::EvidenceStale,
                &doc.file,
                reviewed.span.clone(),
                format!(
                    "{} evidence reviewed {age} days ago; the allowed age is {max} days",
                    kind.value
                ),
            )
            .help("review the evidence again and update `reviewed`"),
        );
    }
}

fn insufficient(
    doc: &Document,
    front: &PracticeFront,
    usable: &[ItemFacts<'_>],
    settings: &Settings,
    out: &mut Vec<Diagnostic>,
) {
    if front.applicable.as_ref().is_some_and(|a| !a.value) {
        return;
    }
    let Some(current) = &front.current else {
        return;
    };
    let missing = settings
        .evidence
        .missing(current.value.comp, usable, settings.today);
    if missing.is_empty() {
        return;
    }
    out.push(
        Diagnostic::new(
            Rule::EvidenceInsufficient,
            &doc.file,
            current.span.clone(),
            format!(
                "level {} is claimed without the evidence it requires",
                current.value.comp
            ),
        )
        .label("claimed here")
        .help(format!("missing: {}", missing.join("; "))),
    );
}
