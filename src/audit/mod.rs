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
use crate::profile::{Practice, Profile};
use model::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

/// `git` with pathspecs read literally (a document's path is never a glob or magic) and no
/// optional locks (a report does not refresh the index).
fn git(dir: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new("git");
    cmd.args(["--literal-pathspecs", "--no-optional-locks", "-C"])
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    cmd
}

/// The commit the report describes: `git rev-parse HEAD`, followed by ` + uncommitted changes`
/// when the work tree differs from it in the profile's directory (its documents) or in the
/// files its documents cite, so that a report never passes for a commit it does not match.
fn commit_of(dir: &Path, inputs: &[PathBuf]) -> (String, Option<bool>) {
    let head = git(dir)
        .args(["rev-parse", "--verify", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|s| !s.is_empty());
    let Some(head) = head else {
        return ("not in git".to_owned(), None);
    };
    // The paths follow `--`: whatever a document writes, git reads it as a path.
    let status = git(dir)
        .args(["status", "--porcelain", "-z", "--"])
        .args(inputs)
        .output()
        .ok()
        .filter(|o| o.status.success());
    match status {
        Some(o) if o.stdout.is_empty() => (head, Some(false)),
        Some(_) => (format!("{head} + uncommitted changes"), Some(true)),
        None => (format!("{head} (work tree state unknown)"), None),
    }
}

/// What the report is built from, for `git status`: the profile's directory, the catalogue
/// file it names, and every local evidence path its documents cite inside the repository.
fn inputs(analysis: &Analysis<'_>, p: &Profile<'_>) -> Vec<PathBuf> {
    let mut paths = vec![p.dir.clone()];
    let cwd = &analysis.settings.cwd;
    let local = |base: &Path, written: &str| {
        let path = written.trim().split('#').next().unwrap_or_default();
        crate::paths::normalize(&cwd.join(base).join(path))
    };
    if let Some(model) = p
        .front
        .model
        .as_ref()
        .filter(|m| m.value.trim() != crate::model::catalogue::BUILTIN_ID)
    {
        paths.push(local(&p.dir, model.value.trim()));
    }
    for practice in &p.practices {
        let base = practice.doc.path.parent().unwrap_or(&p.dir);
        for item in &practice.front.evidence {
            if let Some(Locator::Path(written)) = &item.locator {
                paths.push(local(base, &written.value));
            }
        }
    }
    // Paths outside the repository are not git's to judge (and `evidence-outside-repo` says so);
    // paths below the profile's directory are already covered by it.
    paths.retain(|path| {
        path.starts_with(&p.repo_root) && (path == &p.dir || !path.starts_with(&p.dir))
    });
    paths.sort();
    paths.dedup();
    paths
}

fn profile_report(
    analysis: &Analysis<'_>,
    p: &Profile<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> ProfileReport {
    let cat = &p.catalogue;
    let mut evidence = Vec::new();
    let mut domains = Vec::new();
    let rolled = crate::gap::rollups(p);
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
                rollup: rollup(p, &rolled, sub),
                practices,
            });
        }
        domains.push(DomainReport {
            rollup: rollup(p, &rolled, domain),
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
    let (commit, uncommitted_changes) = commit_of(&p.dir, &inputs(analysis, p));
    ProfileReport {
        id: p.front.id.value.clone(),
        path: p.doc.file.name.clone(),
        system: p.front.system.as_ref().map(|s| s.value.clone()),
        industry: p.front.industry.as_ref().map(|s| s.value.clone()),
        model: cat.id.clone(),
        model_file,
        owner: p.front.owner.as_ref().map(|s| s.value.clone()),
        commit,
        uncommitted_changes,
        domains,
        roadmap: roadmap(analysis, p),
        evidence,
        findings: counts(analysis.diagnostics.iter().filter(in_profile)),
    }
}

/// A domain's or subdomain's rollups, as [`crate::gap::rollups`] computes them for every format.
fn rollup(p: &Profile<'_>, rolled: &crate::gap::Rollups, entry: usize) -> Rollup {
    let cat = &p.catalogue;
    Rollup {
        id: cat.entry(entry).id.clone(),
        name: cat.entry(entry).name.clone(),
        target: rolled.target[entry].map(|l| l.to_string()),
        current: rolled.current[entry].map(|l| l.to_string()),
    }
}

fn find<'p, 'a>(p: &'p Profile<'a>, entry: usize) -> Option<&'p Practice<'a>> {
    crate::gap::practice_doc(p, entry)
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
    let applicable = crate::gap::applicable(doc);
    // A practice that does not apply has no current level, not level 0.
    let current = doc
        .and_then(|d| d.front.current.as_ref())
        .map(|c| c.value)
        .filter(|_| applicable);
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
        gap_levels: if applicable {
            i32::from(current.map_or(0, |c| c.comp)) - i32::from(target.map_or(0, |t| t.comp))
        } else {
            0
        },
        applicable,
        rationale: doc
            .filter(|_| !applicable)
            .and_then(|d| d.front.rationale.as_ref())
            .map(|r| r.value.clone()),
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
