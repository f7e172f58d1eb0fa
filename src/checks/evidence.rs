//! Evidence items: evidence-not-found, evidence-anchor-not-found, evidence-outside-repo,
//! evidence-stale, evidence-changed, evidence-insufficient.
//!
//! [`assess`] decides the state of one item; the diagnostics here and the auditors' evidence
//! index are both read off it, so the two never disagree.

use super::files::{self, Resolved};
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::document::schema::{Evidence, Locator, PracticeFront};
use crate::model::evidence::ItemFacts;
use crate::rules::Rule;
use crate::text::excerpt;
use crate::yaml::Spanned;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What is known about where an evidence item points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// No usable `path` or `url` (already a schema finding).
    Nothing,
    Url,
    Outside(Resolved),
    Missing,
    /// A directory, FIFO or device: not evidence.
    NotAFile(PathBuf),
    File {
        path: PathBuf,
        /// `Some(false)` when the anchor is not a heading of the Markdown file.
        anchor_found: Option<bool>,
        /// The content's SHA-256, computed only when the item has a pin.
        sha256: Option<String>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Assessment {
    pub(crate) target: Target,
    /// The path as written, without its anchor, and the anchor.
    pub(crate) raw: String,
    pub(crate) anchor: Option<String>,
    /// `Some((age, allowed))` when `reviewed` is older than its kind allows.
    pub(crate) stale: Option<(i64, u32)>,
}

impl Assessment {
    /// Whether the item can count toward a level: it points at a file inside the repository,
    /// or at a URL.
    pub(crate) fn resolves(&self) -> bool {
        matches!(self.target, Target::Url | Target::File { .. })
    }

    /// Whether the item is usable evidence: it resolves and its `reviewed` date is not after
    /// today. The one rule for what counts toward a level, covers an indicator and cites a
    /// requirement; a waiver of the item's finding does not make it usable.
    pub(crate) fn usable(&self, item: &Evidence, ctx: &Context) -> bool {
        self.resolves() && item.reviewed.as_ref().is_none_or(|r| r.value <= ctx.today)
    }

    pub(crate) fn pin_state(&self, item: &Evidence) -> PinState {
        match (&item.sha256, &self.target) {
            (None, _) => PinState::None,
            (
                Some(pin),
                Target::File {
                    sha256: Some(actual),
                    ..
                },
            ) if actual.eq_ignore_ascii_case(pin.value.trim()) => PinState::Ok,
            (Some(_), _) => PinState::Changed,
        }
    }
}

/// Whether an item's `sha256` pin matches its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "kebab-case")]
pub(crate) enum PinState {
    /// The item has no pin.
    None,
    Ok,
    /// The file's content differs from the pin, or there is no file to compare.
    Changed,
}

impl PinState {
    pub(crate) fn label(self) -> &'static str {
        match self {
            PinState::None => "none",
            PinState::Ok => "ok",
            PinState::Changed => "changed",
        }
    }
}

impl std::fmt::Display for PinState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

pub(crate) fn assess(
    doc: &Document,
    item: &Evidence,
    repo_root: &Path,
    ctx: &Context,
) -> Assessment {
    let stale = stale_age(item, ctx);
    let path = match &item.locator {
        None => {
            return Assessment {
                target: Target::Nothing,
                raw: String::new(),
                anchor: None,
                stale,
            };
        }
        Some(Locator::Url(u)) => {
            return Assessment {
                target: Target::Url,
                raw: u.value.trim().to_owned(),
                anchor: None,
                stale,
            };
        }
        Some(Locator::Path(p)) => p,
    };
    let (raw, anchor) = files::split_anchor(path.value.trim());
    let anchor = anchor.filter(|a| !a.is_empty()).map(str::to_owned);
    let dir = doc.path.parent().unwrap_or(repo_root);
    let resolved = if raw.is_empty() {
        Resolved::Found(doc.path.clone())
    } else {
        files::resolve(raw, dir, repo_root, false, &ctx.cache)
    };
    let target = match resolved {
        Resolved::Outside | Resolved::LinkOutside => Target::Outside(resolved),
        Resolved::Missing => Target::Missing,
        Resolved::Found(p) if !ctx.cache.is_file(&p) => Target::NotAFile(p),
        Resolved::Found(p) => {
            let anchor_found = anchor
                .as_deref()
                .and_then(|a| files::cached_anchors(&p, ctx).map(|set| files::has_anchor(&set, a)));
            let sha256 = item
                .sha256
                .as_ref()
                .and_then(|_| ctx.cache.sha256(&p, || sha256_of(&p)));
            Target::File {
                path: p,
                anchor_found,
                sha256,
            }
        }
    };
    Assessment {
        target,
        raw: raw.to_owned(),
        anchor,
        stale,
    }
}

/// Whether `item` of `doc` is usable evidence ([`Assessment::usable`]).
pub(crate) fn usable(doc: &Document, item: &Evidence, ctx: &Context) -> bool {
    let repo_root = ctx.repo_root(doc.path.parent().unwrap_or(&ctx.cwd));
    assess(doc, item, &repo_root, ctx).usable(item, ctx)
}

pub(crate) fn check(
    doc: &Document,
    front: &PracticeFront,
    repo_root: &Path,
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    let mut usable: Vec<ItemFacts<'_>> = Vec::new();
    let mut misplaced = false;
    for item in &front.evidence {
        let a = assess(doc, item, repo_root, ctx);
        if let Some(Locator::Path(path)) = &item.locator {
            misplaced |= report_path(doc, item, path, &a, repo_root, ctx, out);
        }
        if let (Some((age, max)), Some(kind), Some(reviewed)) =
            (a.stale, &item.kind, &item.reviewed)
        {
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
        if let (true, Some(kind)) = (a.usable(item, ctx), &item.kind) {
            usable.push(ItemFacts {
                kind: &kind.value,
                reviewed: item.reviewed.as_ref().map(|r| r.value),
                has_standard: item.standard.is_some(),
            });
        }
    }
    // A file cited in a form that is not read is one finding; whether the evidence suffices is
    // judged once the path is written so that it is read.
    if !misplaced {
        insufficient(doc, front, &usable, ctx, out);
    }
}

/// A path that names a file of the repository in a form that is not read: absolute, or with
/// `\\` for `/`. The rule, message and help that say how to write it.
fn misplaced_path(
    target: &Target,
    raw: &str,
    dir: &Path,
    repo_root: &Path,
    cache: &crate::cache::Cache,
) -> Option<(Rule, String, String)> {
    let shown = excerpt(raw);
    match target {
        // Saying "absolute" tells nothing about the file system; the relative form is offered
        // only for a file that resolves inside the repository.
        Target::Outside(_) if Path::new(raw).is_absolute() => Some((
            Rule::EvidenceOutsideRepo,
            format!("`{shown}` is an absolute path, which is not read"),
            match files::relative_form(raw, dir, repo_root, cache) {
                Some(relative) => format!(
                    "the file is in the repository; write its path relative to this document: `{}`",
                    excerpt(&relative)
                ),
                None => "evidence paths are relative to the document, and evidence lives in the repository: copy it in, or cite it with `url:`".to_owned(),
            },
        )),
        Target::Missing => files::with_slashes(raw, dir, repo_root, cache).map(|slashed| {
            (
                Rule::EvidenceNotFound,
                format!("`{shown}` does not exist"),
                format!(
                    "write paths with `/`, also on Windows: `{}` exists",
                    excerpt(&slashed)
                ),
            )
        }),
        _ => None,
    }
}

fn report_path(
    doc: &Document,
    item: &Evidence,
    path: &Spanned<String>,
    a: &Assessment,
    repo_root: &Path,
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) -> bool {
    let shown = excerpt(&a.raw);
    let at = |rule, message: String| Diagnostic::new(rule, &doc.file, path.span.clone(), message);
    let dir = doc.path.parent().unwrap_or(Path::new("."));
    let cache = &ctx.cache;
    if let Some(d) = misplaced_path(&a.target, &a.raw, dir, repo_root, cache) {
        out.push(at(d.0, d.1).label("not read").help(d.2));
        return true;
    }
    match &a.target {
        Target::Outside(resolved) => out.push(
            at(
                Rule::EvidenceOutsideRepo,
                format!(
                    "`{shown}` {}",
                    resolved.outside_reason().unwrap_or_default()
                ),
            )
            .label("not read")
            .help("evidence must live in the repository: copy it in, or cite it with `url:`"),
        ),
        Target::Missing => {
            let nearby = files::nearby(&a.raw, dir, repo_root, &ctx.cache);
            let names: Vec<&str> = nearby.iter().map(String::as_str).collect();
            out.push(
                at(Rule::EvidenceNotFound, format!("`{shown}` does not exist"))
                    .label("no such file")
                    .help(crate::text::suggest::did_you_mean(
                        &a.raw,
                        &names,
                        "paths are relative to this document; fix the path or add the file",
                    )),
            );
        }
        Target::NotAFile(p) => {
            let what = if p.is_dir() {
                "a directory"
            } else {
                "not a regular file"
            };
            out.push(
                at(Rule::EvidenceNotFound, format!("`{shown}` is {what}"))
                    .label("not a file")
                    .help("evidence is a file: point at the document, record or report itself"),
            );
        }
        Target::File {
            path: found,
            anchor_found,
            sha256,
        } => {
            // Sized only when the anchors could not be read: a stat per cited file otherwise.
            let unread_anchor = a.anchor.as_ref().filter(|_| anchor_found.is_none());
            if let Some((anchor, size)) = unread_anchor
                .and_then(|anchor| Some((anchor, files::too_large_for_anchors(found, ctx)?)))
            {
                out.push(files::anchor_unchecked(
                    &doc.file,
                    path.span.clone(),
                    anchor,
                    &a.raw,
                    size,
                    ctx.settings.max_file_bytes,
                ));
            }
            if let (Some(false), Some(anchor)) = (anchor_found, &a.anchor) {
                out.push(
                    at(
                        Rule::EvidenceAnchorNotFound,
                        format!("`#{}` is not a heading in `{shown}`", excerpt(anchor)),
                    )
                    .label("no such heading")
                    .help(files::anchor_help(found, anchor, ctx)),
                );
            }
            if let (Some(pin), Some(actual)) = (&item.sha256, sha256) {
                if !actual.eq_ignore_ascii_case(pin.value.trim()) {
                    out.push(
                        Diagnostic::new(
                            Rule::EvidenceChanged,
                            &doc.file,
                            pin.span.clone(),
                            format!("`{shown}` changed since it was pinned"),
                        )
                        .label(format!("now {}", &actual[..12]))
                        .help("review the changed evidence, then update the pin (`smm-lint pin`)"),
                    );
                }
            }
        }
        Target::Nothing | Target::Url => {}
    }
    false
}

/// The SHA-256 of a file's content, as lowercase hex.
pub(crate) fn sha256_of(path: &Path) -> Option<String> {
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

fn stale_age(item: &Evidence, ctx: &Context) -> Option<(i64, u32)> {
    let (kind, reviewed) = (item.kind.as_ref()?, item.reviewed.as_ref()?);
    let max = *ctx.settings.evidence.max_age_days.get(&kind.value)?;
    let age = reviewed.value.days_until(ctx.today);
    (age > i64::from(max)).then_some((age, max))
}

fn insufficient(
    doc: &Document,
    front: &PracticeFront,
    usable: &[ItemFacts<'_>],
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    if front.applicable.as_ref().is_some_and(|a| !a.value) || front.evidence_unread {
        return;
    }
    let Some(current) = &front.current else {
        return;
    };
    let missing = ctx
        .settings
        .evidence
        .missing(current.value.comp, usable, ctx.today);
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
