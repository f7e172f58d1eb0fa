//! Links from the report to the files it cites, written from the directory the report is
//! written to.

use super::model::*;
use crate::analysis::Analysis;
use std::path::Path;

/// Where a document in `dir` is: its relative links are written from the report's directory
/// once that is known ([`link_from`]), and may climb only as far as the repository root.
pub(super) fn narrative_links(analysis: &Analysis<'_>, dir: Option<&Path>) -> NarrativeLinks {
    let climb = dir.map_or(0, |d| {
        let root = analysis.context.repo_root(d);
        d.strip_prefix(&root).map_or(0, |r| r.components().count())
    });
    NarrativeLinks {
        dir: dir.map(Path::to_path_buf),
        base: None,
        climb,
    }
}

/// Fills each row's `href`: the link to its file from `dir` (absolute), percent-encoded.
pub(crate) fn link_from(report: &mut Report, dir: &Path) {
    let base = |links: &mut NarrativeLinks| {
        links.base = links
            .dir
            .as_ref()
            .map(|d| percent_encode(&crate::paths::display(d, dir)));
    };
    for p in &mut report.profiles {
        set_links(&mut p.evidence, dir);
        base(&mut p.links);
        for d in &mut p.domains {
            for s in &mut d.subdomains {
                for r in &mut s.practices {
                    base(&mut r.links);
                }
            }
        }
    }
}

pub(crate) fn set_links(rows: &mut [EvidenceRow], dir: &Path) {
    for row in rows {
        row.href = row.resolved.as_ref().map(|file| {
            let mut href = percent_encode(&crate::paths::display(file, dir));
            if let Some(anchor) = &row.anchor {
                href.push('#');
                href.push_str(&percent_encode(anchor));
            }
            href
        });
    }
}

/// Whether `href` holds only what [`set_links`] writes: a percent-encoded relative path and
/// anchor (letters, digits, `-._~/`, `%` and `#`), so no scheme such as `javascript:` can form,
/// and not `//`, which a browser reads as another host. The writers link nothing else.
pub(crate) fn is_relative_href(href: &str) -> bool {
    !href.is_empty()
        && !href.starts_with("//")
        && href
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~/%#".contains(&b))
}

/// Keeps letters, digits and `-._~/`; every other byte becomes `%XX`.
fn percent_encode(text: &str) -> String {
    crate::text::percent_encode(text, b"-._~/")
}
