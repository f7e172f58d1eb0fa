//! Links in a document's body: link-broken.

use super::files::{self, Resolved};
use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::paths;
use crate::rules::Rule;
use crate::text::excerpt;
use std::path::Path;

pub(crate) fn check(doc: &Document, repo_root: &Path, ctx: &Context, out: &mut Vec<Diagnostic>) {
    let dir = doc.path.parent().unwrap_or(repo_root);
    for link in &doc.body.links {
        let dest = link.dest.trim();
        if dest.is_empty() || has_scheme(dest) || dest.starts_with("//") {
            continue;
        }
        let (raw, anchor) = files::split_anchor(dest);
        let raw = paths::percent_decode(raw);
        let broken = |message: String| {
            Diagnostic::new(Rule::LinkBroken, &doc.file, link.span.clone(), message)
        };
        if raw.is_empty() {
            if let Some(a) =
                anchor.filter(|a| !a.is_empty() && !files::has_anchor(&doc.body.anchors, a))
            {
                out.push(
                    broken(format!(
                        "`#{}` is not a heading in this document",
                        excerpt(a)
                    ))
                    .label("no such heading"),
                );
            }
            continue;
        }
        let resolved = files::resolve(&raw, dir, repo_root, true, &ctx.cache);
        match resolved {
            Resolved::Outside | Resolved::LinkOutside => out.push(
                broken(format!(
                    "`{}` {}",
                    excerpt(&raw),
                    resolved.outside_reason().unwrap_or_default()
                ))
                .help("link to files inside the repository, or use a full URL"),
            ),
            Resolved::Missing => out
                .push(broken(format!("`{}` does not exist", excerpt(&raw))).label("no such file")),
            Resolved::Found(found) => {
                let Some(a) = anchor.filter(|a| !a.is_empty()) else {
                    continue;
                };
                let Some(anchors) = files::cached_anchors(&found, ctx) else {
                    if let Some(size) = files::too_large_for_anchors(&found, ctx) {
                        out.push(files::anchor_unchecked(
                            &doc.file,
                            link.span.clone(),
                            a,
                            &raw,
                            size,
                            ctx.settings.max_file_bytes,
                        ));
                    }
                    continue;
                };
                if !files::has_anchor(&anchors, a) {
                    out.push(
                        broken(format!(
                            "`#{}` is not a heading in `{}`",
                            excerpt(a),
                            excerpt(&raw)
                        ))
                        .label("no such heading"),
                    );
                }
            }
        }
    }
}

/// `https:`, `mailto:` and the like: a scheme is letters, digits, `+`, `-`, `.` before `:`.
fn has_scheme(dest: &str) -> bool {
    dest.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}
