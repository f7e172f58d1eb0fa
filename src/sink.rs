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
    let waivers = active_waivers(documents, ctx);
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
                d.waived = waivers.get(&(d.file.name.as_str(), d.rule)).cloned();
            }
            Some(d)
        })
        .collect();
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.span == b.span);
    out
}

/// Valid, unexpired waivers by (file name, rule).
fn active_waivers<'a>(
    documents: &'a [Document],
    ctx: &Context,
) -> HashMap<(&'a str, Rule), Waived> {
    let mut map = HashMap::new();
    for doc in documents {
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
            map.insert(
                (doc.file.name.as_str(), rule),
                Waived {
                    reason: reason.value.clone(),
                    expires: expires.value,
                },
            );
        }
    }
    map
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
