//! Every string of the report model, poisoned, reaches neither page as markup.

use super::model::*;
use serde_json::Value;

const PAYLOAD: &str = "<script>x</script>\"'&";

fn text(what: &str) -> String {
    format!("{what} text")
}

fn some(what: &str) -> Option<String> {
    Some(text(what))
}

fn level(level: u8) -> Option<LevelView> {
    Some(LevelView {
        level,
        scope: Scope::Industry,
    })
}

fn level_text(level: u8) -> Option<LevelText> {
    Some(LevelText {
        level,
        name: text("level name"),
        meaning: text("level meaning"),
        action: some("level action"),
    })
}

fn finding() -> FindingRow {
    FindingRow {
        rule: text("rule"),
        severity: text("severity"),
        message: text("message"),
        document: text("finding document"),
        line: 3,
        waived: some("waiver reason"),
    }
}

fn waiver() -> WaiverRow {
    WaiverRow {
        rule: some("waived rule"),
        reason: some("reason"),
        expires: some("expires"),
        state: WaiverState::Active,
        document: text("waiver document"),
        line: 4,
    }
}

fn plan() -> PlanRow {
    PlanRow {
        practice: text("plan practice"),
        name: text("plan name"),
        level: some("plan level"),
        due: some("due"),
        action: some("plan action"),
        status: PlanStatus::Done,
        document: text("plan document"),
        line: 5,
        owner: some("plan owner"),
    }
}

fn evidence() -> EvidenceRow {
    EvidenceRow {
        profile: text("evidence profile"),
        practice: text("evidence practice"),
        claimed: some("claimed"),
        kind: some("kind"),
        target: text("evidence target"),
        anchor: some("anchor"),
        reviewed: some("reviewed"),
        age_days: Some(10),
        standard: some("standard"),
        pin: PinState::Changed,
        status: EvidenceStatus::Changed,
        document: text("evidence document"),
        line: 6,
        waived: true,
        repo_path: some("repo path"),
        href: some("href"),
        note: some("note"),
        requirements: vec![text("requirement")],
        resolved: None,
        sha256: None,
    }
}

fn crosswalk() -> Crosswalk {
    Crosswalk {
        framework: text("framework"),
        version: text("framework version"),
        title: some("framework title"),
        note: some("mapping note"),
        source: text("mapping source"),
        listed: 3,
        cited: 1,
        requirements: vec![CrosswalkRequirement {
            id: text("requirement id"),
            title: text("requirement title"),
            related: vec![CrosswalkRelation {
                practice: text("related practice"),
                name: text("related name"),
                level: 2,
                claimed: text("related claim"),
                role: text("role"),
            }],
            cited_by: vec![CrosswalkCitation {
                practice: text("citing practice"),
                evidence: text("citing evidence"),
                document: text("citing document"),
                line: 4,
            }],
        }],
    }
}

fn rollup(what: &str) -> Rollup {
    Rollup {
        id: text(what),
        name: text(what),
        target: some("rollup target"),
        current: some("rollup current"),
    }
}

fn practice(applicable: bool) -> PracticeRow {
    PracticeRow {
        id: text("practice id"),
        name: text("practice name"),
        target: level(3),
        current: level(2),
        gap: if applicable {
            Gap::Below {
                levels: 1,
                scope: Some((Scope::General, Scope::Industry)),
            }
        } else {
            Gap::NotApplicable
        },
        gap_levels: -1,
        applicable,
        rationale: some("rationale"),
        assessed: some("assessed"),
        evidence_ok: 0,
        evidence_total: 1,
        findings: Counts {
            errors: 1,
            ..Counts::default()
        },
        document: some("practice document"),
        assessor: some("assessor"),
        target_description: level_text(3),
        current_description: level_text(2),
        indicators: vec![IndicatorRow {
            id: text("indicator id"),
            text: text("indicator text"),
            covered: true,
            cited_by: vec![Citation {
                evidence: text("citing evidence"),
                document: text("citing document"),
                line: 7,
            }],
        }],
        finding_list: vec![finding()],
        waivers: vec![waiver()],
        plan: vec![plan()],
        narrative: some("practice narrative"),
        links: NarrativeLinks::default(),
    }
}

/// A report with every optional field present and every list non-empty, so that its JSON
/// holds every string field of the model.
fn full_report() -> Report {
    Report {
        version: VERSION,
        generated: Generated {
            today: text("today"),
            smm_lint: text("version"),
        },
        profiles: vec![ProfileReport {
            id: text("profile id"),
            path: text("profile path"),
            system: some("system"),
            industry: some("industry"),
            model: text("model"),
            model_file: some("model file"),
            owner: some("owner"),
            commit: text("commit"),
            uncommitted_changes: Some(true),
            approval: ApprovalView {
                state: ApprovalState::Stale,
                by: some("approver"),
                date: some("approval date"),
                changes: vec![TargetChange {
                    id: text("changed target"),
                    approved: some("approved level"),
                    now: some("level now"),
                }],
                changes_unknown: some("why unknown"),
            },
            domains: vec![DomainReport {
                rollup: rollup("domain"),
                subdomains: vec![SubdomainReport {
                    rollup: rollup("subdomain"),
                    practices: vec![practice(true), practice(false)],
                }],
            }],
            roadmap: vec![plan()],
            evidence: vec![evidence()],
            findings: Counts {
                warnings: 2,
                ..Counts::default()
            },
            other_findings: vec![finding()],
            narrative: some("profile narrative"),
            waivers: vec![waiver()],
            crosswalks: vec![crosswalk()],
            since: None,
            links: NarrativeLinks::default(),
        }],
    }
}

/// Where each string of `value` is, as JSON pointers.
fn string_leaves(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::String(_) => out.push(at),
        Value::Array(items) => {
            assert!(!items.is_empty(), "the fixture leaves {at} empty");
            for (i, item) in items.iter().enumerate() {
                string_leaves(item, format!("{at}/{i}"), out);
            }
        }
        Value::Object(fields) => {
            for (key, item) in fields {
                string_leaves(item, format!("{at}/{key}"), out);
            }
        }
        Value::Null => panic!("the fixture leaves {at} absent"),
        Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The report with the payload in every string field that holds free text. A string the
/// model does not take back (a state's or a scope's name) is left as it was: those are enums,
/// written from fixed words.
fn poisoned() -> (Report, Vec<String>, Vec<String>) {
    let mut value = serde_json::to_value(full_report()).expect("serialize");
    let mut leaves = Vec::new();
    string_leaves(&value, String::new(), &mut leaves);
    let (mut poisoned, mut fixed) = (Vec::new(), Vec::new());
    for at in leaves {
        let slot = value.pointer_mut(&at).expect("leaf");
        let before = std::mem::replace(slot, Value::String(PAYLOAD.to_owned()));
        if serde_json::from_value::<Report>(value.clone()).is_ok() {
            poisoned.push(at);
        } else {
            *value.pointer_mut(&at).expect("leaf") = before;
            fixed.push(at);
        }
    }
    let report = serde_json::from_value(value).expect("deserialize");
    (report, poisoned, fixed)
}

#[test]
fn every_string_field_is_poisoned_except_the_enums() {
    let (_, poisoned, fixed) = poisoned();
    for at in &fixed {
        let key = at.rsplit('/').next().unwrap_or_default();
        assert!(
            ["gap", "status", "pin", "state", "scope"].contains(&key),
            "{at} is free text the model did not take back"
        );
    }
    // Every field name that holds text in the model today (the fixture leaving none absent or
    // empty is checked by `string_leaves`).
    let mut kinds: Vec<&str> = poisoned
        .iter()
        .map(|at| at.rsplit('/').next().unwrap_or_default())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert!(kinds.len() >= 38, "{} kinds: {kinds:?}", kinds.len());
}

#[test]
fn no_string_of_the_model_reaches_the_html_as_markup() {
    let (report, _, _) = poisoned();
    let html = super::html::render(&report);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains(PAYLOAD));
    assert!(html.contains("&lt;script&gt;x&lt;/script&gt;&quot;&#39;&amp;"));
}

/// A link target that is not the percent-encoded relative path the builder writes is never
/// written as a link, whatever fills it.
#[test]
fn an_evidence_link_that_is_not_a_relative_path_is_not_a_link() {
    for href in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,x",
        "//evil.example/x",
    ] {
        let mut report = full_report();
        for row in &mut report.profiles[0].evidence {
            row.href = Some(href.to_owned());
        }
        let html = super::html::render(&report);
        assert!(!html.contains(&format!("href=\"{href}")), "{href}: {html}");
        let md = super::markdown::evidence(&report.profiles[0].evidence);
        assert!(!md.contains(&format!("]({href}")), "{href}: {md}");
    }
}

#[test]
fn no_string_of_the_model_reaches_the_markdown_as_markup() {
    let (report, _, _) = poisoned();
    for md in [
        super::markdown::report(&report),
        super::markdown::evidence(&report.profiles[0].evidence),
    ] {
        for line in md.lines() {
            // Inside a code span (between backticks) text is shown as written.
            let outside: String = line.split('`').step_by(2).collect();
            let unescaped = outside
                .char_indices()
                .any(|(i, c)| c == '<' && !outside[..i].ends_with('\\'));
            assert!(!unescaped, "{line}");
        }
        assert!(md.contains("\\<script\\>x\\</script\\>\"'\\&"), "{md}");
    }
}
