//! The report of each profile: header, gap rows with their rollups, findings and waivers.

use super::evidence::{practice_evidence, profile_evidence};
use super::git::{commit_of, inputs};
use super::links::narrative_links;
use super::model::*;
use super::plan::{plan_rows, roadmap};
use crate::analysis::Analysis;
use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::document::schema::{Locator, Waiver};
use crate::model::catalogue::Tier;
use crate::model::level::Level;
use crate::online::UrlStatus;
use crate::profile::{Practice, Profile};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Builds the report; `urls` holds the results of `--online`, when it was given.
pub(crate) fn build(analysis: &Analysis<'_>, urls: Option<&BTreeMap<String, UrlStatus>>) -> Report {
    Report {
        version: VERSION,
        generated: Generated {
            today: analysis.context.today.to_string(),
            smm_lint: env!("CARGO_PKG_VERSION").to_owned(),
        },
        profiles: analysis
            .profiles
            .iter()
            .zip(findings_by_profile(analysis))
            .map(|(p, findings)| profile_report(analysis, p, &findings, urls))
            .collect(),
    }
}

/// The findings on files under each profile's directory, in the sink's order. Each file's run
/// of findings is placed once, by looking its directories up, rather than every finding being
/// tested against every profile (quadratic on a large tree with findings).
fn findings_by_profile<'d>(analysis: &'d Analysis<'_>) -> Vec<Vec<&'d Diagnostic>> {
    let mut by_dir: HashMap<&Path, Vec<usize>> = HashMap::new();
    for (i, p) in analysis.profiles.iter().enumerate() {
        by_dir.entry(p.dir.as_path()).or_default().push(i);
    }
    let mut out = vec![Vec::new(); analysis.profiles.len()];
    for run in analysis
        .diagnostics
        .chunk_by(|a, b| a.file.name == b.file.name)
    {
        let abs = crate::paths::normalize(&analysis.context.cwd.join(&run[0].file.name));
        for dir in abs.ancestors() {
            for &i in by_dir.get(dir).into_iter().flatten() {
                out[i].extend(run);
            }
        }
    }
    out
}

fn view(level: Level) -> LevelView {
    LevelView {
        level: level.comp,
        scope: level.scope,
    }
}

fn profile_report(
    analysis: &Analysis<'_>,
    p: &Profile<'_>,
    findings: &[&Diagnostic],
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
    let (commit, uncommitted_changes) = commit_of(&p.dir, &inputs(analysis, p));
    let other_findings = other_findings(findings, &domains);
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
        approval: approval(p, analysis),
        domains,
        roadmap: roadmap(analysis, p),
        evidence,
        findings: crate::sink::counts(findings.iter().copied()),
        other_findings,
        narrative: narrative(p.doc),
        waivers: waiver_rows(analysis, p.doc, &p.front.waivers),
        crosswalks: super::crosswalk::crosswalks(p, analysis.context),
        since: None,
        links: narrative_links(analysis, p.doc.path.parent()),
    }
}

/// The sign-off on the profile's targets, as `check` judges it (`approval-stale`).
fn approval(p: &Profile<'_>, analysis: &Analysis<'_>) -> ApprovalView {
    use crate::approval::{Changes, Status};
    let view = |state, a: Option<&crate::document::schema::Approval>| ApprovalView {
        state,
        by: a.map(|a| a.by.value.clone()),
        date: a.map(|a| a.date.value.to_string()),
        changes: Vec::new(),
        changes_unknown: None,
    };
    match crate::approval::status(p, analysis.context) {
        Status::Missing => view(ApprovalState::Missing, None),
        Status::Unreadable => view(ApprovalState::Invalid, None),
        Status::Current(a) => view(ApprovalState::Current, Some(a)),
        Status::Stale { approval, changes } => {
            let mut stale = view(ApprovalState::Stale, Some(approval));
            match changes {
                Changes::Listed(changes) => {
                    stale.changes = changes
                        .into_iter()
                        .map(|c| TargetChange {
                            id: c.id,
                            approved: c.approved,
                            now: c.now,
                        })
                        .collect();
                }
                Changes::Unknown(why) => stale.changes_unknown = Some(why),
            }
            stale
        }
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
    let levels = crate::gap::PracticeLevels::of(p, entry);
    let (target, current, applicable) = (levels.target, levels.current, levels.applicable);
    let mut ok = 0;
    let mut total = 0;
    if let Some(d) = doc {
        for row in practice_evidence(analysis, p.front.id.value.as_str(), p, d, urls) {
            total += 1;
            if row.status.counts_as_ok() {
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
        gap: levels.gap(),
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
        findings: crate::sink::counts(
            name.as_deref()
                .map_or(&[][..], |n| crate::sink::on_file(&analysis.diagnostics, n)),
        ),
        document: name,
        assessor: doc
            .and_then(|d| d.front.assessor.as_ref())
            .map(|a| a.value.clone()),
        target_description: describe(target),
        current_description: describe(current),
        indicators: match (doc, current) {
            (Some(d), Some(c)) if applicable => {
                indicator_rows(cat.entry(entry), d, c.comp, analysis.context)
            }
            _ => Vec::new(),
        },
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

/// The indicators of `level` in catalogue order, each with the evidence items of the practice
/// document that cite it.
fn indicator_rows(
    entry: &crate::model::catalogue::Entry,
    practice: &Practice<'_>,
    level: u8,
    ctx: &crate::context::Context,
) -> Vec<IndicatorRow> {
    let file = &practice.doc.file;
    entry
        .indicators_of(level)
        .iter()
        .map(|indicator| {
            let cited_by: Vec<Citation> = practice
                .front
                .evidence
                .iter()
                .filter(|e| e.indicators.iter().any(|c| c.value.trim() == indicator.id))
                .filter(|e| crate::checks::evidence::usable(practice.doc, e, ctx))
                .map(|e| Citation {
                    evidence: match &e.locator {
                        Some(Locator::Path(p) | Locator::Url(p)) => p.value.clone(),
                        None => String::new(),
                    },
                    document: file.name.clone(),
                    line: file.position(e.span.start).line,
                })
                .collect();
            IndicatorRow {
                id: indicator.id.clone(),
                text: indicator.text.clone(),
                covered: !cited_by.is_empty(),
                cited_by,
            }
        })
        .collect()
}

/// The findings of the profile's documents that no practice section shows: the profile
/// document's, a duplicate's, an unknown id's.
fn other_findings(findings: &[&Diagnostic], domains: &[DomainReport]) -> Vec<FindingRow> {
    let shown: Vec<&str> = domains
        .iter()
        .flat_map(|d| &d.subdomains)
        .flat_map(|s| &s.practices)
        .filter_map(|r| r.document.as_deref())
        .collect();
    findings
        .iter()
        .filter(|d| !shown.contains(&d.file.name.as_str()))
        .map(|d| finding_row(d))
        .collect()
}

fn finding_row(d: &Diagnostic) -> FindingRow {
    FindingRow {
        rule: d.rule.id().to_owned(),
        severity: d.severity.name().to_owned(),
        message: d.message.clone(),
        document: d.file.name.clone(),
        line: d.file.position(d.span.start).line,
        waived: d.waived.as_ref().map(|w| w.reason.clone()),
    }
}

/// Every finding on `doc`, waived ones included, in the sink's order.
fn finding_rows(analysis: &Analysis<'_>, doc: &Document) -> Vec<FindingRow> {
    crate::sink::on_file(&analysis.diagnostics, &doc.file.name)
        .iter()
        .map(finding_row)
        .collect()
}

fn waiver_rows(analysis: &Analysis<'_>, doc: &Document, waivers: &[Waiver]) -> Vec<WaiverRow> {
    let today = analysis.context.today;
    waivers
        .iter()
        .map(|w| WaiverRow {
            rule: w.rule.as_ref().map(|r| r.value.clone()),
            reason: w.reason.as_ref().map(|r| r.value.clone()),
            expires: w.expires.as_ref().map(|e| e.value.to_string()),
            state: match &w.expires {
                _ if !w.missing.is_empty() => WaiverState::Invalid,
                Some(e) if e.value < today => WaiverState::Expired,
                Some(_) => WaiverState::Active,
                None => WaiverState::Invalid,
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
