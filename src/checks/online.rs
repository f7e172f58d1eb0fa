//! `evidence-url-unreachable`: the evidence URLs of every practice, checked over HTTP(S) once
//! each (only with `--online`).

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::document::schema::{Front, Locator};
use crate::online::{self, UrlStatus};
use crate::rules::Rule;
use crate::yaml::Spanned;
use std::collections::BTreeMap;

/// `--online`: checks every evidence URL once, and reports those that answer an error.
pub(crate) fn check(
    documents: &[Document],
    options: &online::Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, UrlStatus> {
    let cited: Vec<(&Document, &Spanned<String>)> = documents
        .iter()
        .filter_map(|d| match &d.front {
            Front::Practice(p) => Some((d, p)),
            Front::Profile(_) => None,
        })
        .flat_map(|(d, p)| {
            p.evidence.iter().filter_map(move |e| match &e.locator {
                Some(Locator::Url(u)) => Some((d, u)),
                _ => None,
            })
        })
        .collect();
    let urls: Vec<String> = cited
        .iter()
        .map(|(_, u)| u.value.trim().to_owned())
        .collect();
    let results = online::check_all(&urls, options);
    report_deadline(&results, options);
    for (doc, url) in cited {
        if let Some(UrlStatus::Unreachable(reason)) = results.get(url.value.trim()) {
            diagnostics.push(
                Diagnostic::new(
                    Rule::EvidenceUrlUnreachable,
                    &doc.file,
                    url.span.clone(),
                    format!(
                        "`{}` is unreachable: {}",
                        crate::text::excerpt(url.value.trim()),
                        crate::text::excerpt(reason)
                    ),
                )
                .help("fix or replace the link, or keep a copy of the evidence in the repository"),
            );
        }
    }
    results
}

/// URLs cut by the run's deadline are `unknown`, which fails nothing: say so once on stderr,
/// so a run that checked little does not look like a run that found everything fine.
fn report_deadline(results: &BTreeMap<String, UrlStatus>, options: &online::Options) {
    let past = online::past_deadline(options.deadline);
    let cut = results.values().filter(|s| **s == past).count();
    if cut > 0 {
        crate::log::info(&format!(
            "--online: {} not checked within the deadline of {} s (reported as unknown); raise it with --online-deadline",
            crate::text::plural(cut, "URL was", "URLs were"),
            options.deadline.as_secs()
        ));
    }
}
