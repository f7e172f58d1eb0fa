//! The roadmap as an OSCAL plan of action and milestones: per practice with plan items or a
//! gap, its finding and a risk whose remediations are the plan items (each due date a
//! milestone); a POA&M item per plan item, and one per gap that no plan item addresses.

use super::uuid::named;
use super::*;

#[derive(Debug, Serialize)]
struct Document {
    #[serde(rename = "plan-of-action-and-milestones")]
    poam: Poam,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Poam {
    uuid: String,
    metadata: Metadata,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    risks: Vec<Risk>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<Finding>,
    poam_items: Vec<PoamItem>,
    #[serde(skip_serializing_if = "Option::is_none")]
    back_matter: Option<BackMatter>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct PoamItem {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_findings: Vec<RelatedFinding>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_risks: Vec<RelatedRisk>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedFinding {
    finding_uuid: String,
}

/// What one practice contributes: its finding, its risk, its POA&M items.
#[derive(Default)]
struct Parts {
    findings: Vec<Finding>,
    risks: Vec<Risk>,
    items: Vec<PoamItem>,
}

/// The plan of action and milestones of every profile in `report`, as pretty JSON.
pub(crate) fn render(report: &Report) -> Result<String, serde_json::Error> {
    let keys = profile_keys(report);
    let mut parts = Parts::default();
    for (p, key) in report.profiles.iter().zip(&keys) {
        profile(p, key, &mut parts);
    }
    if parts.items.is_empty() {
        // OSCAL requires at least one POA&M item.
        parts.items.push(PoamItem {
            uuid: named(&["poam-item", "none", &keys.join("\0")]),
            title: "No open items".to_owned(),
            description: "No practice has a plan item or is short of its target.".to_owned(),
            props: Vec::new(),
            related_findings: Vec::new(),
            related_risks: Vec::new(),
            remarks: None,
        });
    }
    let ids: Vec<String> = report.profiles.iter().map(|p| markup(&p.id)).collect();
    let resources: Vec<Resource> = report
        .profiles
        .iter()
        .zip(&keys)
        .filter_map(|(p, key)| {
            let href = profile_href(p)?;
            Some(Resource {
                uuid: named(&["profile-document", key]),
                title: format!("The SMM profile {}", markup(&p.id)),
                rlinks: vec![Rlink {
                    href,
                    hashes: Vec::new(),
                }],
                remarks: None,
            })
        })
        .collect();
    let document = Document {
        poam: Poam {
            uuid: named(&["poam", &keys.join("\0")]),
            metadata: Metadata::new(
                if ids.is_empty() {
                    "SMM plan of action and milestones: no profile found".to_owned()
                } else {
                    format!("SMM plan of action and milestones: {}", ids.join(", "))
                },
                report,
            ),
            risks: parts.risks,
            findings: parts.findings,
            poam_items: parts.items,
            back_matter: (!resources.is_empty()).then_some(BackMatter { resources }),
        },
    };
    serde_json::to_string_pretty(&document).map(|s| s + "\n")
}

/// Whether the practice owes something: it has a target and its objective is not satisfied
/// (short of the target, or a claim `check` fails).
fn is_gap(row: &PracticeRow) -> bool {
    row.target.is_some() && !objective(row).satisfied()
}

fn profile(p: &ProfileReport, key: &str, parts: &mut Parts) {
    let mut claimed: Vec<&PlanRow> = Vec::new();
    for row in practices(p) {
        let plan: Vec<&PlanRow> = p
            .roadmap
            .iter()
            .filter(|r| row.document.as_deref() == Some(r.document.as_str()))
            .collect();
        claimed.extend(&plan);
        if plan.is_empty() && !is_gap(row) {
            continue;
        }
        let risk = gap_risk(key, &row.id, &row.name, Some(row), &plan);
        let finding = super::finding(key, row, Vec::new(), vec![risk.uuid.clone()]);
        push_items(key, &row.id, &plan, Some(&finding.uuid), &risk.uuid, parts);
        parts.findings.push(finding);
        parts.risks.push(risk);
    }
    // Plan items of documents no practice row shows (an unknown id, a duplicate): a risk and
    // items each, without a finding.
    let mut rest: Vec<&PlanRow> = p
        .roadmap
        .iter()
        .filter(|r| !claimed.iter().any(|c| std::ptr::eq(*c, *r)))
        .collect();
    rest.sort_by(|a, b| (&a.document, a.line).cmp(&(&b.document, b.line)));
    let mut documents: Vec<&str> = rest.iter().map(|r| r.document.as_str()).collect();
    documents.dedup();
    for document in documents {
        let plan: Vec<&PlanRow> = rest
            .iter()
            .copied()
            .filter(|r| r.document == document)
            .collect();
        let Some(first) = plan.first() else { continue };
        let owner = format!("{}\0{document}", first.practice);
        let risk = gap_risk(key, &owner, &first.name, None, &plan);
        push_items(key, &owner, &plan, None, &risk.uuid, parts);
        parts.risks.push(risk);
    }
}

/// A plan item's UUID: named by the practice, its level, due date and action, and how many
/// identical items came before it.
fn plan_uuids(key: &str, owner: &str, plan: &[&PlanRow]) -> Vec<String> {
    let mut seen: Vec<[&str; 3]> = Vec::new();
    plan.iter()
        .map(|r| {
            let id = [
                r.level.as_deref().unwrap_or(""),
                r.due.as_deref().unwrap_or(""),
                r.action.as_deref().unwrap_or(""),
            ];
            let n = seen.iter().filter(|s| **s == id).count();
            seen.push(id);
            named(&["plan", key, owner, id[0], id[1], id[2], &n.to_string()])
        })
        .collect()
}

/// The risk of a practice's gap; its remediations are the plan items, each due date a
/// milestone.
fn gap_risk(
    key: &str,
    owner: &str,
    name: &str,
    row: Option<&PracticeRow>,
    plan: &[&PlanRow],
) -> Risk {
    let practice = owner.split('\0').next().unwrap_or(owner);
    let level = |l: Option<LevelView>| l.map_or_else(|| "none".to_owned(), |l| l.to_string());
    let open = row.is_none_or(is_gap);
    let remediations = plan
        .iter()
        .zip(plan_uuids(key, owner, plan))
        .map(|(r, uuid)| remediation(r, uuid))
        .collect();
    Risk {
        uuid: named(&["gap", key, owner]),
        title: format!(
            "{} {} ({})",
            if open {
                "Gap on"
            } else {
                "Plan beyond the target of"
            },
            markup(name),
            markup(practice)
        ),
        description: match row {
            Some(row) => format!(
                "Target {}, current {}: {}.",
                level(row.target),
                level(row.current),
                row.gap
            ),
            None => {
                "A practice document that no catalogue practice of the profile shows.".to_owned()
            }
        },
        statement: if open {
            format!(
                "The practice {} is not shown to meet its target (short of it, or `check` fails the claim).",
                markup(practice)
            )
        } else {
            format!(
                "The practice {} meets its target; the plan goes further.",
                markup(practice)
            )
        },
        props: props(&[("practice", practice.to_owned())]),
        status: if open { "open" } else { "closed" },
        deadline: plan
            .iter()
            .filter_map(|r| r.due.as_deref())
            .max()
            .and_then(|d| datetime(d, Time::End)),
        remediations,
    }
}

/// A plan item as a remediation: `completed` once its due date passed with its level reached,
/// else `planned`; its due date is its milestone.
fn remediation(r: &PlanRow, uuid: String) -> Response {
    let level = r.level.as_deref().unwrap_or("a higher level");
    let tasks = r
        .due
        .as_deref()
        .and_then(|d| datetime(d, Time::End))
        .map(|date| Task {
            uuid: named(&["milestone", &uuid]),
            kind: "milestone",
            title: format!(
                "Reach {} by {}",
                markup(level),
                markup(r.due.as_deref().unwrap_or(""))
            ),
            timing: Some(Timing {
                on_date: OnDate { date },
            }),
        })
        .into_iter()
        .collect();
    Response {
        lifecycle: if r.status == PlanStatus::Done {
            "completed"
        } else {
            "planned"
        },
        title: format!("Reach {} in {}", markup(level), markup(&r.practice)),
        description: r
            .action
            .as_deref()
            .map_or_else(|| "No action written.".to_owned(), markup),
        props: plan_props(r),
        tasks,
        uuid,
    }
}

fn plan_props(r: &PlanRow) -> Vec<Prop> {
    props(&[
        ("practice", r.practice.clone()),
        ("level", r.level.clone().unwrap_or_default()),
        ("due", r.due.clone().unwrap_or_default()),
        ("plan-status", r.status.label().to_owned()),
        ("owner", r.owner.clone().unwrap_or_default()),
    ])
}

/// The POA&M items of one practice: one per plan item, or one for its gap when it has none.
fn push_items(
    key: &str,
    owner: &str,
    plan: &[&PlanRow],
    finding: Option<&str>,
    risk: &str,
    parts: &mut Parts,
) {
    let practice = owner.split('\0').next().unwrap_or(owner);
    let related_findings = || {
        finding
            .map(|f| RelatedFinding {
                finding_uuid: f.to_owned(),
            })
            .into_iter()
            .collect()
    };
    let related_risks = || {
        vec![RelatedRisk {
            risk_uuid: risk.to_owned(),
        }]
    };
    if plan.is_empty() {
        parts.items.push(PoamItem {
            uuid: named(&["poam-item", key, owner, "gap"]),
            title: format!("Close the gap on {}", markup(practice)),
            description: format!(
                "The practice {} is not shown to meet its target (short of it, or `check` fails the claim).",
                markup(practice)
            ),
            props: props(&[("practice", practice.to_owned())]),
            related_findings: related_findings(),
            related_risks: related_risks(),
            remarks: Some("No plan item addresses it yet.".to_owned()),
        });
        return;
    }
    for (r, uuid) in plan.iter().zip(plan_uuids(key, owner, plan)) {
        let level = r.level.as_deref().unwrap_or("a higher level");
        let due = r
            .due
            .as_deref()
            .map_or_else(String::new, |d| format!(" by {}", markup(d)));
        parts.items.push(PoamItem {
            uuid: named(&["poam-item", &uuid]),
            title: r.action.as_deref().and_then(plain).map_or_else(
                || format!("Reach {} in {}", markup(level), markup(practice)),
                |a| markup(&a),
            ),
            description: format!(
                "Reach {} in the practice {}{due}.",
                markup(level),
                markup(practice)
            ),
            props: plan_props(r),
            related_findings: related_findings(),
            related_risks: related_risks(),
            remarks: None,
        });
    }
}
