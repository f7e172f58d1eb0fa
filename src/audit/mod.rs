//! The auditors' toolkit: `report` (the maturity profile for humans) and `evidence` (the index
//! of every evidence item with its status), built from the same analysis as `check`.

pub mod commands;
pub mod csv;
pub mod html;
pub mod markdown;
pub mod model;

use crate::analysis::Analysis;
use crate::checks::evidence::{Target, assess};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::schema::{Evidence, Locator};
use crate::model::catalogue::Tier;
use crate::model::level::Level;
use crate::online::UrlStatus;
use crate::profile::{Practice, Profile, rollup_marks};
use model::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Plan items due within this many days are "due soon".
const DUE_SOON_DAYS: i64 = 90;

/// Builds the report; `urls` holds the results of `--online`, when it was given.
pub fn build(analysis: &Analysis<'_>, urls: Option<&BTreeMap<String, UrlStatus>>) -> Report {
    Report {
        version: VERSION,
        generated: Generated {
            today: analysis.settings.today.to_string(),
            smm_lint: env!("CARGO_PKG_VERSION"),
        },
        profiles: analysis
            .profiles
            .iter()
            .map(|p| profile_report(analysis, p, urls))
            .collect(),
    }
}

fn view(level: Level) -> LevelView {
    LevelView {
        level: level.comp,
        scope: level.scope.name(),
    }
}

fn counts<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> Counts {
    let mut c = Counts::default();
    for d in diagnostics.filter(|d| d.waived.is_none()) {
        match d.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
    }
    c
}

fn commit_of(dir: &Path) -> String {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "HEAD"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "not in git".to_owned())
}

fn profile_report(
    analysis: &Analysis<'_>,
    p: &Profile<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> ProfileReport {
    let cat = &p.catalogue;
    let mut evidence = Vec::new();
    let mut domains = Vec::new();
    for domain in cat.of_tier(Tier::Domain).collect::<Vec<_>>() {
        let mut subdomains = Vec::new();
        for &sub in &cat.entry(domain).children {
            let practices = cat
                .entry(sub)
                .children
                .iter()
                .map(|&e| practice_row(analysis, p, e, urls, &mut evidence))
                .collect();
            subdomains.push(SubdomainReport {
                rollup: rollup(p, sub),
                practices,
            });
        }
        domains.push(DomainReport {
            rollup: rollup(p, domain),
            subdomains,
        });
    }
    let model_file = p
        .front
        .model
        .as_ref()
        .map(|m| m.value.clone())
        .filter(|m| m != crate::model::catalogue::BUILTIN_ID);
    let in_profile = |d: &&Diagnostic| {
        let abs = crate::paths::normalize(&analysis.settings.cwd.join(&d.file.name));
        abs.starts_with(&p.dir)
    };
    ProfileReport {
        id: p.front.id.value.clone(),
        path: p.doc.file.name.clone(),
        system: p.front.system.as_ref().map(|s| s.value.clone()),
        industry: p.front.industry.as_ref().map(|s| s.value.clone()),
        model: cat.id.clone(),
        model_file,
        owner: p.front.owner.as_ref().map(|s| s.value.clone()),
        commit: commit_of(&p.dir),
        domains,
        roadmap: roadmap(analysis, p),
        evidence,
        findings: counts(analysis.diagnostics.iter().filter(in_profile)),
    }
}

/// A parent's target with its `+` marks, and the rollup of its practices' current states:
/// the level every practice reaches, with `+` where some go beyond it.
fn rollup(p: &Profile<'_>, entry: usize) -> Rollup {
    let cat = &p.catalogue;
    let target = p.targets.effective[entry].map(|t| {
        rollup_marks(cat, &p.targets.effective, entry, t.base())
            .0
            .to_string()
    });
    let currents: Vec<Level> = cat
        .descendants(entry)
        .into_iter()
        .filter(|&e| cat.entry(e).tier == Tier::Practice)
        .map(|e| {
            find(p, e)
                .and_then(|d| d.front.current.as_ref())
                .map_or(Level::new(0, crate::model::level::Scope::General), |c| {
                    c.value
                })
        })
        .collect();
    let current = currents
        .iter()
        .map(|l| l.comp)
        .min()
        .zip(currents.iter().map(|l| l.scope).min())
        .map(|(comp, scope)| {
            Level {
                comp,
                comp_plus: currents.iter().any(|l| l.comp > comp),
                scope,
                scope_plus: currents.iter().any(|l| l.scope > scope),
            }
            .to_string()
        });
    Rollup {
        id: cat.entry(entry).id.clone(),
        name: cat.entry(entry).name.clone(),
        target,
        current,
    }
}

fn find<'p, 'a>(p: &'p Profile<'a>, entry: usize) -> Option<&'p Practice<'a>> {
    p.practices.iter().find(|d| d.entry == Some(entry))
}

fn practice_row(
    analysis: &Analysis<'_>,
    p: &Profile<'_>,
    entry: usize,
    urls: Option<&BTreeMap<String, UrlStatus>>,
    evidence: &mut Vec<EvidenceRow>,
) -> PracticeRow {
    let cat = &p.catalogue;
    let doc = find(p, entry);
    let target = p.targets.effective[entry].map(Level::base);
    let current = doc.and_then(|d| d.front.current.as_ref()).map(|c| c.value);
    let applicable = doc
        .and_then(|d| d.front.applicable.as_ref())
        .is_none_or(|a| a.value);
    let mut ok = 0;
    let mut total = 0;
    if let Some(d) = doc {
        let root = analysis
            .settings
            .repo_root(d.doc.path.parent().unwrap_or(&analysis.settings.cwd));
        for item in &d.front.evidence {
            let row = evidence_row(analysis, p, d, item, &root, urls);
            total += 1;
            if matches!(row.status, "ok" | "reachable" | "unchecked-url" | "unknown") {
                ok += 1;
            }
            evidence.push(row);
        }
    }
    let name = doc.map(|d| d.doc.file.name.clone());
    PracticeRow {
        id: cat.entry(entry).id.clone(),
        name: cat.entry(entry).name.clone(),
        target: target.map(view),
        current: current.map(view),
        gap: crate::gap::describe(target, current, applicable),
        gap_levels: i32::from(current.map_or(0, |c| c.comp))
            - i32::from(target.map_or(0, |t| t.comp)),
        applicable,
        assessed: doc
            .and_then(|d| d.front.assessed.as_ref())
            .map(|a| a.value.to_string()),
        evidence_ok: ok,
        evidence_total: total,
        findings: counts(
            analysis
                .diagnostics
                .iter()
                .filter(|d| Some(&d.file.name) == name.as_ref()),
        ),
        document: name,
    }
}

fn evidence_row(
    analysis: &Analysis<'_>,
    p: &Profile<'_>,
    practice: &Practice<'_>,
    item: &Evidence,
    root: &Path,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> EvidenceRow {
    let settings = analysis.settings;
    let a = assess(practice.doc, item, root, settings);
    let pin = a.pin_state(item);
    let status = match &a.target {
        Target::Nothing | Target::Missing | Target::NotAFile(_) => "missing",
        Target::Outside(_) => "outside-repo",
        Target::Url => urls
            .and_then(|u| u.get(&a.raw))
            .map_or("unchecked-url", UrlStatus::label),
        Target::File {
            anchor_found: Some(false),
            ..
        } => "anchor-missing",
        Target::File { .. } if pin == "changed" => "changed",
        Target::File { .. } if a.stale.is_some() => "stale",
        Target::File { .. } => "ok",
    };
    let status = if status == "reachable" && a.stale.is_some() {
        "stale"
    } else {
        status
    };
    let line = practice.doc.file.position(item.span.start).line;
    EvidenceRow {
        profile: p.front.id.value.clone(),
        practice: practice.entry.map_or_else(
            || practice.front.practice.value.clone(),
            |e| p.catalogue.entry(e).id.clone(),
        ),
        claimed: practice.front.current.as_ref().map(|c| c.value.to_string()),
        kind: item.kind.as_ref().map(|k| k.value.clone()),
        target: a.raw.clone(),
        anchor: a.anchor.clone(),
        reviewed: item.reviewed.as_ref().map(|r| r.value.to_string()),
        age_days: item
            .reviewed
            .as_ref()
            .map(|r| r.value.days_until(settings.today)),
        standard: item.standard.as_ref().map(|s| s.value.clone()),
        pin,
        status,
        document: practice.doc.file.name.clone(),
        line,
    }
}

fn roadmap(analysis: &Analysis<'_>, p: &Profile<'_>) -> Vec<PlanRow> {
    let today = analysis.settings.today;
    let mut rows = Vec::new();
    for practice in &p.practices {
        let current = practice.front.current.as_ref().map(|c| c.value);
        for item in &practice.front.plan {
            let due = item.due.as_ref().map(|d| d.value);
            let reached = match (current, &item.level) {
                (Some(c), Some(l)) => c.meets(l.value),
                _ => false,
            };
            let status = match due {
                Some(d) if d < today && !reached => "overdue",
                Some(d) if d < today => "done",
                Some(d) if today.days_until(d) <= DUE_SOON_DAYS => "due-soon",
                _ => "later",
            };
            let id = practice.entry.map_or_else(
                || practice.front.practice.value.clone(),
                |e| p.catalogue.entry(e).id.clone(),
            );
            let name = practice
                .entry
                .map_or_else(|| id.clone(), |e| p.catalogue.entry(e).name.clone());
            rows.push(PlanRow {
                practice: id,
                name,
                level: item.level.as_ref().map(|l| l.value.to_string()),
                due: due.map(|d| d.to_string()),
                action: item.action.as_ref().map(|a| a.value.clone()),
                status,
                document: practice.doc.file.name.clone(),
                line: practice.doc.file.position(item.span.start).line,
            });
        }
    }
    rows.sort_by(|a, b| (&a.due, &a.practice).cmp(&(&b.due, &b.practice)));
    rows
}

/// The URLs cited as evidence by the analysed profiles.
pub fn evidence_urls(analysis: &Analysis<'_>) -> Vec<String> {
    let mut urls: Vec<String> = analysis
        .profiles
        .iter()
        .flat_map(|p| p.practices.iter())
        .flat_map(|d| d.front.evidence.iter())
        .filter_map(|e| match &e.locator {
            Some(Locator::Url(u)) => Some(u.value.trim().to_owned()),
            _ => None,
        })
        .collect();
    urls.sort();
    urls.dedup();
    urls
}
