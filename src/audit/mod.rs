//! The auditors' toolkit: `report` (the maturity profile for humans) and `evidence` (the index
//! of every evidence item with its status), built from the same analysis as `check`.

pub mod commands;
pub mod csv;
pub mod html;
pub mod markdown;
pub mod model;
pub mod narrative;

use crate::analysis::Analysis;
use crate::checks::evidence::{Target, assess};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Document;
use crate::document::schema::{Evidence, Front, Locator, Waiver};
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
/// files its documents cite, or when a cited file is ignored by git (so in no commit), so that
/// a report never passes for a commit it does not match.
fn commit_of(dir: &Path, inputs: &Inputs) -> (String, Option<bool>) {
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
    let status = |extra: &[&str], paths: &[PathBuf]| -> Option<bool> {
        if paths.is_empty() {
            return Some(false);
        }
        git(dir)
            .arg("status")
            .args(["--porcelain", "-z"])
            .args(extra)
            .arg("--")
            .args(paths)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| !o.stdout.is_empty())
    };
    let changed = status(&[], &inputs.all)
        .and_then(|c| Some(c || status(&["--ignored=matching"], &inputs.files)?));
    match changed {
        Some(false) => (head, Some(false)),
        Some(true) => (format!("{head} + uncommitted changes"), Some(true)),
        None => (format!("{head} (work tree state unknown)"), None),
    }
}

/// What `git status` is asked about.
struct Inputs {
    /// The profile's directory and every file the report is built from outside it.
    all: Vec<PathBuf>,
    /// The cited files themselves, wherever they are (an ignored one is in no commit).
    files: Vec<PathBuf>,
}

/// What the report is built from, for `git status`: the profile's directory, the catalogue
/// file it names, and every local evidence path its documents cite inside the repository, each
/// also at the place its symbolic links lead to (git looks at a link, not at its target).
fn inputs(analysis: &Analysis<'_>, p: &Profile<'_>) -> Inputs {
    let cwd = &analysis.settings.cwd;
    let local = |base: &Path, written: &str| {
        let path = written.trim().split('#').next().unwrap_or_default();
        crate::paths::normalize(&cwd.join(base).join(path))
    };
    let mut files = Vec::new();
    if let Some(model) = p
        .front
        .model
        .as_ref()
        .filter(|m| m.value.trim() != crate::model::catalogue::BUILTIN_ID)
    {
        files.push(local(&p.dir, model.value.trim()));
    }
    for practice in &p.practices {
        let base = practice.doc.path.parent().unwrap_or(&p.dir);
        for item in &practice.front.evidence {
            if let Some(Locator::Path(written)) = &item.locator {
                files.push(local(base, &written.value));
            }
        }
    }
    let canonical_root = analysis.settings.cache.canonical(&p.repo_root);
    let resolved: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| f.canonicalize().ok())
        .filter_map(|c| {
            c.strip_prefix(&canonical_root)
                .ok()
                .map(|r| p.repo_root.join(r))
        })
        .collect();
    files.extend(resolved);
    // Paths outside the repository are not git's to judge (and `evidence-outside-repo` says so).
    files.retain(|path| path.starts_with(&p.repo_root) && path != &p.repo_root);
    files.sort();
    files.dedup();
    // Paths below the profile's directory are covered by it, for changes.
    let mut all: Vec<PathBuf> = files
        .iter()
        .filter(|f| !f.starts_with(&p.dir))
        .cloned()
        .collect();
    all.push(p.dir.clone());
    all.sort();
    Inputs { all, files }
}

fn profile_report(
    analysis: &Analysis<'_>,
    p: &Profile<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> ProfileReport {
    let cat = &p.catalogue;
    let evidence = profile_evidence(analysis, p, urls);
    let mut domains = Vec::new();
    let rolled = crate::gap::rollups(p);
    for domain in cat.of_tier(Tier::Domain).collect::<Vec<_>>() {
        let mut subdomains = Vec::new();
        for &sub in &cat.entry(domain).children {
            let practices = cat
                .entry(sub)
                .children
                .iter()
                .map(|&e| practice_row(analysis, p, e, urls))
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
    let other_findings = other_findings(analysis, &domains, in_profile);
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
        other_findings,
        narrative: narrative(p.doc),
        waivers: waiver_rows(analysis, p.doc, &p.front.waivers),
        links: narrative_links(analysis, p.doc.path.parent()),
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
        for row in practice_evidence(analysis, p.front.id.value.as_str(), p, d, urls) {
            total += 1;
            if matches!(row.status, "ok" | "reachable" | "unchecked-url" | "unknown") {
                ok += 1;
            }
        }
    }
    let name = doc.map(|d| d.doc.file.name.clone());
    let describe = |level: Option<Level>| level.and_then(|l| level_text(cat, entry, l.comp));
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
        assessor: doc
            .and_then(|d| d.front.assessor.as_ref())
            .map(|a| a.value.clone()),
        target_description: describe(target),
        current_description: describe(current),
        finding_list: doc.map_or_else(Vec::new, |d| finding_rows(analysis, d.doc)),
        waivers: doc.map_or_else(Vec::new, |d| waiver_rows(analysis, d.doc, &d.front.waivers)),
        plan: doc.map_or_else(Vec::new, |d| plan_rows(analysis, p, d)),
        narrative: doc.and_then(|d| narrative(d.doc)),
        links: narrative_links(analysis, doc.and_then(|d| d.doc.path.parent())),
    }
}

/// The catalogue's name and meaning of `level`, with the practice's action for it.
fn level_text(
    cat: &crate::model::catalogue::Catalogue,
    entry: usize,
    level: u8,
) -> Option<LevelText> {
    let info = cat.levels.get(usize::from(level))?;
    Some(LevelText {
        level,
        name: info.name.clone(),
        meaning: info.meaning.clone(),
        action: cat.entry(entry).actions.get(&level).cloned(),
    })
}

/// The findings of the profile's documents that no practice section shows: the profile
/// document's, a duplicate's, an unknown id's.
fn other_findings(
    analysis: &Analysis<'_>,
    domains: &[DomainReport],
    in_profile: impl Fn(&&Diagnostic) -> bool,
) -> Vec<FindingRow> {
    let shown: Vec<&str> = domains
        .iter()
        .flat_map(|d| &d.subdomains)
        .flat_map(|s| &s.practices)
        .filter_map(|r| r.document.as_deref())
        .collect();
    analysis
        .diagnostics
        .iter()
        .filter(in_profile)
        .filter(|d| !shown.contains(&d.file.name.as_str()))
        .map(finding_row)
        .collect()
}

fn finding_row(d: &Diagnostic) -> FindingRow {
    FindingRow {
        rule: d.rule.id(),
        severity: d.severity.name(),
        message: d.message.clone(),
        document: d.file.name.clone(),
        line: d.file.position(d.span.start).line,
        waived: d.waived.as_ref().map(|w| w.reason.clone()),
    }
}

/// Every finding on `doc`, waived ones included, in the sink's order.
fn finding_rows(analysis: &Analysis<'_>, doc: &Document) -> Vec<FindingRow> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.file.name == doc.file.name)
        .map(finding_row)
        .collect()
}

fn waiver_rows(analysis: &Analysis<'_>, doc: &Document, waivers: &[Waiver]) -> Vec<WaiverRow> {
    let today = analysis.settings.today;
    waivers
        .iter()
        .map(|w| WaiverRow {
            rule: w.rule.as_ref().map(|r| r.value.clone()),
            reason: w.reason.as_ref().map(|r| r.value.clone()),
            expires: w.expires.as_ref().map(|e| e.value.to_string()),
            state: match &w.expires {
                _ if !w.missing.is_empty() => "invalid",
                Some(e) if e.value < today => "expired",
                Some(_) => "active",
                None => "invalid",
            },
            document: doc.file.name.clone(),
            line: doc.file.position(w.span.start).line,
        })
        .collect()
}

/// The Markdown body after the front matter, trimmed; `None` when there is none.
fn narrative(doc: &Document) -> Option<String> {
    let text = &doc.file.text;
    let body = match crate::yaml::frontmatter::split(text) {
        crate::yaml::frontmatter::Split::Fenced { body, .. } => text.get(body)?,
        _ => return None,
    };
    let body = body.trim();
    (!body.is_empty()).then(|| body.to_owned())
}

/// Evidence rows of every practice document of the profile: in catalogue order, duplicates
/// next to each other, then documents with an unknown id. Documents with findings are listed
/// too: an auditor needs every item that is cited, valid or not.
fn profile_evidence(
    analysis: &Analysis<'_>,
    p: &Profile<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> Vec<EvidenceRow> {
    let order = p.catalogue.ordered();
    let mut practices: Vec<&Practice<'_>> = p.practices.iter().collect();
    practices.sort_by_key(|d| {
        let at = d
            .entry
            .and_then(|e| order.iter().position(|&o| o == e))
            .unwrap_or(usize::MAX);
        (at, d.doc.file.name.clone())
    });
    practices
        .into_iter()
        .flat_map(|d| practice_evidence(analysis, &p.front.id.value, p, d, urls))
        .collect()
}

fn practice_evidence(
    analysis: &Analysis<'_>,
    profile: &str,
    p: &Profile<'_>,
    d: &Practice<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> Vec<EvidenceRow> {
    let id = d.entry.map_or_else(
        || d.front.practice.value.clone(),
        |e| p.catalogue.entry(e).id.clone(),
    );
    document_evidence(analysis, profile, &id, d, urls)
}

/// Evidence rows of one practice document, whichever profile it belongs to (if any).
fn document_evidence(
    analysis: &Analysis<'_>,
    profile: &str,
    practice: &str,
    d: &Practice<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> Vec<EvidenceRow> {
    let (doc, front) = (d.doc, d.front);
    let root = analysis
        .settings
        .repo_root(doc.path.parent().unwrap_or(&analysis.settings.cwd));
    let waived = waived_offsets(analysis, doc);
    front
        .evidence
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let end = front.evidence.get(i + 1).map_or_else(
                || item_end(&doc.file.text, item.span.start),
                |n| n.span.start,
            );
            let mut row = evidence_row(analysis, profile, practice, d, item, &root, urls);
            row.waived = waived.iter().any(|&o| (item.span.start..end).contains(&o));
            row
        })
        .collect()
}

/// Where the findings waived on `doc` start.
fn waived_offsets(analysis: &Analysis<'_>, doc: &Document) -> Vec<usize> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.file.name == doc.file.name && d.waived.is_some())
        .map(|d| d.span.start)
        .collect()
}

/// The end of the last evidence item starting at `start`: the next line that is not indented
/// (the next top-level key, or the closing `---`).
fn item_end(text: &str, start: usize) -> usize {
    let mut at = text[start..]
        .find('\n')
        .map_or(text.len(), |n| start + n + 1);
    while at < text.len() {
        let line = &text[at..];
        if !line.starts_with([' ', '\t', '-', '\n', '\r']) || line.starts_with("---") {
            return at;
        }
        at = line.find('\n').map_or(text.len(), |n| at + n + 1);
    }
    text.len()
}

/// The evidence of practice documents that belong to no profile (already a finding), so that
/// the evidence index still lists every cited item.
fn orphan_evidence(
    analysis: &Analysis<'_>,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> Vec<EvidenceRow> {
    let in_profile = |doc: &Document| {
        analysis
            .profiles
            .iter()
            .any(|p| p.practices.iter().any(|d| std::ptr::eq(d.doc, doc)))
    };
    analysis
        .documents
        .iter()
        .filter(|doc| !in_profile(doc))
        .filter_map(|doc| match &doc.front {
            Front::Practice(front) => Some(document_evidence(
                analysis,
                "",
                &front.practice.value,
                &Practice {
                    doc,
                    front,
                    entry: None,
                },
                urls,
            )),
            Front::Profile(_) => None,
        })
        .flatten()
        .collect()
}

/// Every evidence item of the analysed documents: the profiles' first, then those of practice
/// documents outside any profile.
pub fn all_evidence(report: Report, analysis: &Analysis<'_>) -> Vec<EvidenceRow> {
    let mut rows: Vec<EvidenceRow> = report
        .profiles
        .into_iter()
        .flat_map(|p| p.evidence)
        .collect();
    rows.extend(orphan_evidence(analysis, analysis.urls.as_ref()));
    rows
}

/// Where a document in `dir` is: its relative links are written from the report's directory
/// once that is known ([`link_from`]), and may climb only as far as the repository root.
fn narrative_links(analysis: &Analysis<'_>, dir: Option<&Path>) -> NarrativeLinks {
    let climb = dir.map_or(0, |d| {
        let root = analysis.settings.repo_root(d);
        d.strip_prefix(&root).map_or(0, |r| r.components().count())
    });
    NarrativeLinks {
        dir: dir.map(Path::to_path_buf),
        base: None,
        climb,
    }
}

/// Fills each row's `href`: the link to its file from `dir` (absolute), percent-encoded.
pub fn link_from(report: &mut Report, dir: &Path) {
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

pub fn set_links(rows: &mut [EvidenceRow], dir: &Path) {
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

/// Keeps letters, digits and `-._~/`; every other byte becomes `%XX`.
fn percent_encode(text: &str) -> String {
    crate::text::percent_encode(text, b"-._~/")
}

fn evidence_row(
    analysis: &Analysis<'_>,
    profile: &str,
    practice_id: &str,
    practice: &Practice<'_>,
    item: &Evidence,
    root: &Path,
    urls: Option<&BTreeMap<String, UrlStatus>>,
) -> EvidenceRow {
    let settings = analysis.settings;
    let (doc, front) = (practice.doc, practice.front);
    let a = assess(doc, item, root, settings);
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
    let line = doc.file.position(item.span.start).line;
    let resolved = match &a.target {
        Target::File { path, .. } => Some(crate::paths::normalize(path)),
        _ => None,
    };
    EvidenceRow {
        profile: profile.to_owned(),
        practice: practice_id.to_owned(),
        claimed: front.current.as_ref().map(|c| c.value.to_string()),
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
        document: doc.file.name.clone(),
        line,
        waived: false,
        repo_path: resolved
            .as_ref()
            .filter(|f| f.starts_with(root))
            .map(|f| crate::paths::display(f, root)),
        href: None,
        note: item.note.as_ref().map(|n| n.value.clone()),
        resolved,
    }
}

fn roadmap(analysis: &Analysis<'_>, p: &Profile<'_>) -> Vec<PlanRow> {
    let mut rows: Vec<PlanRow> = p
        .practices
        .iter()
        .flat_map(|practice| plan_rows(analysis, p, practice))
        .collect();
    rows.sort_by(|a, b| (&a.due, &a.practice).cmp(&(&b.due, &b.practice)));
    rows
}

/// The plan items of one practice document, in the order written.
fn plan_rows(analysis: &Analysis<'_>, p: &Profile<'_>, practice: &Practice<'_>) -> Vec<PlanRow> {
    let today = analysis.settings.today;
    let current = practice.front.current.as_ref().map(|c| c.value);
    let id = practice.entry.map_or_else(
        || practice.front.practice.value.clone(),
        |e| p.catalogue.entry(e).id.clone(),
    );
    let name = practice
        .entry
        .map_or_else(|| id.clone(), |e| p.catalogue.entry(e).name.clone());
    practice
        .front
        .plan
        .iter()
        .map(|item| {
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
            PlanRow {
                practice: id.clone(),
                name: name.clone(),
                level: item.level.as_ref().map(|l| l.value.to_string()),
                due: due.map(|d| d.to_string()),
                action: item.action.as_ref().map(|a| a.value.clone()),
                status,
                document: practice.doc.file.name.clone(),
                line: practice.doc.file.position(item.span.start).line,
                owner: item.owner.as_ref().map(|o| o.value.clone()),
            }
        })
        .collect()
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
