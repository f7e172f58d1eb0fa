//! The report as OSCAL assessment results: one result per profile, a finding per practice,
//! an observation per evidence item and per finding of `check`, a risk per waiver.

use super::uuid::named;
use super::*;

#[derive(Debug, Serialize)]
struct Document {
    #[serde(rename = "assessment-results")]
    assessment_results: AssessmentResults,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct AssessmentResults {
    uuid: String,
    metadata: Metadata,
    import_ap: ImportAp,
    results: Vec<AssessmentResult>,
    back_matter: BackMatter,
}

/// OSCAL requires a link to the assessment plan. smm-lint has none: the link is a fragment
/// naming a back-matter resource that says so and links the profile documents assessed.
#[derive(Debug, Serialize)]
struct ImportAp {
    href: String,
    remarks: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct AssessmentResult {
    uuid: String,
    title: String,
    description: String,
    start: String,
    end: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    reviewed_controls: ReviewedControls,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    observations: Vec<Observation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    risks: Vec<Risk>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings: Vec<Finding>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct ReviewedControls {
    control_selections: Vec<ControlSelection>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct ControlSelection {
    #[serde(skip_serializing_if = "Option::is_none")]
    include_all: Option<IncludeAll>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    include_controls: Vec<SelectControl>,
}

#[derive(Debug, Serialize)]
struct IncludeAll {}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct SelectControl {
    control_id: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Observation {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    methods: Vec<&'static str>,
    types: Vec<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    relevant_evidence: Vec<RelevantEvidence>,
    collected: String,
}

#[derive(Debug, Serialize)]
struct RelevantEvidence {
    #[serde(skip_serializing_if = "Option::is_none")]
    href: Option<String>,
    description: String,
}

/// The assessment results of every profile in `report`, as pretty JSON.
pub(crate) fn render(report: &Report) -> Result<String, serde_json::Error> {
    let keys = profile_keys(report);
    let mut resources = vec![plan_resource(report, &keys)];
    let mut results: Vec<AssessmentResult> = report
        .profiles
        .iter()
        .zip(&keys)
        .map(|(p, key)| result(report, p, key, &mut resources))
        .collect();
    if results.is_empty() {
        results.push(no_profile(report));
    }
    let document = Document {
        assessment_results: AssessmentResults {
            uuid: named(&["assessment-results", &keys.join("\0")]),
            metadata: Metadata::new(title(report), report),
            import_ap: ImportAp {
                href: format!("#{}", resources[0].uuid),
                remarks: "smm-lint assesses profile documents, not an OSCAL assessment plan: \
                          the resource this points at names them."
                    .to_owned(),
            },
            results,
            back_matter: BackMatter { resources },
        },
    };
    serde_json::to_string_pretty(&document).map(|s| s + "\n")
}

fn title(report: &Report) -> String {
    let ids: Vec<String> = report.profiles.iter().map(|p| markup(&p.id)).collect();
    if ids.is_empty() {
        "SMM assessment results: no profile found".to_owned()
    } else {
        format!("SMM assessment results: {}", ids.join(", "))
    }
}

/// The resource `import-ap` points at: the profile documents assessed.
fn plan_resource(report: &Report, keys: &[String]) -> Resource {
    Resource {
        uuid: named(&["assessment-plan", &keys.join("\0")]),
        title: "The SMM profiles assessed by smm-lint".to_owned(),
        rlinks: report
            .profiles
            .iter()
            .filter_map(profile_href)
            .map(|href| Rlink {
                href,
                hashes: Vec::new(),
            })
            .collect(),
        remarks: Some(
            "Targets, claimed levels and evidence are kept in these Markdown documents.".to_owned(),
        ),
    }
}

fn result(
    report: &Report,
    p: &ProfileReport,
    key: &str,
    resources: &mut Vec<Resource>,
) -> AssessmentResult {
    let today = &report.generated.today;
    let mut observations = observations(p, key, today, resources);
    check_findings(p, key, today, &mut observations);
    let risks = risks(p, key);
    let findings: Vec<Finding> = practices(p)
        .map(|row| {
            let related = |of: &[(&str, String)]| -> Vec<String> {
                of.iter()
                    .filter(|(doc, _)| Some(*doc) == row.document.as_deref())
                    .map(|(_, uuid)| uuid.clone())
                    .collect()
            };
            finding(
                key,
                row,
                related(&observations.links),
                related(&risks.links),
            )
        })
        .collect();
    let start = practices(p)
        .filter_map(|r| r.assessed.as_deref())
        .filter(|a| a <= &today.as_str())
        .min()
        .unwrap_or(today);
    let selections = findings
        .iter()
        .map(|f| SelectControl {
            control_id: f.target.target_id.clone(),
        })
        .collect::<Vec<_>>();
    AssessmentResult {
        uuid: named(&["result", key]),
        title: format!("SMM profile {}", markup(&p.id)),
        description: description(p),
        start: datetime(start, Time::Start)
            .or_else(|| datetime(today, Time::Start))
            .unwrap_or_default(),
        end: datetime(today, Time::End).unwrap_or_default(),
        props: props(&[
            ("profile", p.id.clone()),
            ("model", p.model.clone()),
            ("industry", p.industry.clone().unwrap_or_default()),
            ("commit", p.commit.clone()),
        ]),
        reviewed_controls: ReviewedControls {
            control_selections: vec![if selections.is_empty() {
                ControlSelection {
                    include_all: Some(IncludeAll {}),
                    include_controls: Vec::new(),
                }
            } else {
                ControlSelection {
                    include_all: None,
                    include_controls: selections,
                }
            }],
        },
        observations: observations.items,
        risks: risks.items,
        findings,
    }
}

/// OSCAL requires at least one result: when the paths hold practice documents but no profile,
/// one that says so, with nothing assessed.
fn no_profile(report: &Report) -> AssessmentResult {
    let today = &report.generated.today;
    AssessmentResult {
        uuid: named(&["result", "no profile"]),
        title: "No profile found".to_owned(),
        description: "The paths hold practice documents but no profile document: no target \
                      to assess them against."
            .to_owned(),
        start: datetime(today, Time::Start).unwrap_or_default(),
        end: datetime(today, Time::End).unwrap_or_default(),
        props: Vec::new(),
        reviewed_controls: ReviewedControls {
            control_selections: vec![ControlSelection {
                include_all: Some(IncludeAll {}),
                include_controls: Vec::new(),
            }],
        },
        observations: Vec::new(),
        risks: Vec::new(),
        findings: Vec::new(),
    }
}

fn description(p: &ProfileReport) -> String {
    let mut lines = vec![format!("The SMM profile {}.", markup(&p.id))];
    if let Some(system) = &p.system {
        lines.push(format!("System: {}.", markup(system)));
    }
    if let Some(owner) = &p.owner {
        lines.push(format!("Owner: {}.", markup(owner)));
    }
    lines.join("\n\n")
}

/// Items written for a profile, each with the document it comes from, so that the finding of
/// the practice that document claims can refer to it.
struct Linked<'a, T> {
    items: Vec<T>,
    links: Vec<(&'a str, String)>,
}

/// The OSCAL method of examining an evidence item of `kind`: running a test or a tool is
/// `TEST`; reading a policy, procedure, record or review is `EXAMINE`.
fn method(kind: Option<&str>) -> &'static str {
    match kind {
        Some("test" | "tool") => "TEST",
        _ => "EXAMINE",
    }
}

/// One observation per evidence item; a back-matter resource for each item that is a file in
/// the repository (its link, and its SHA-256 when a pin matches the file).
fn observations<'a>(
    p: &'a ProfileReport,
    key: &str,
    today: &str,
    resources: &mut Vec<Resource>,
) -> Linked<'a, Observation> {
    let mut seen: Vec<(&str, String)> = Vec::new();
    let mut linked = Linked {
        items: Vec::new(),
        links: Vec::new(),
    };
    for row in &p.evidence {
        let locator = match &row.anchor {
            Some(anchor) => format!("{}#{anchor}", row.target),
            None => row.target.clone(),
        };
        let n = seen
            .iter()
            .filter(|(practice, l)| *practice == row.practice && *l == locator)
            .count();
        seen.push((&row.practice, locator.clone()));
        let uuid = named(&["observation", key, &row.practice, &locator, &n.to_string()]);
        let resource = evidence_resource(row, &uuid, &locator);
        let evidence = RelevantEvidence {
            href: resource.as_ref().map(|r| format!("#{}", r.uuid)),
            description: format!("Cited as {}", markup(&locator)),
        };
        resources.extend(resource);
        let kind = row.kind.as_deref();
        linked.links.push((row.document.as_str(), uuid.clone()));
        linked.items.push(Observation {
            uuid,
            title: format!(
                "Evidence ({}) for {}",
                markup(kind.unwrap_or("no kind")),
                markup(&row.practice)
            ),
            description: row.note.as_deref().map_or_else(
                || {
                    format!(
                        "An evidence item of the practice {}.",
                        markup(&row.practice)
                    )
                },
                markup,
            ),
            props: props(&[
                ("practice", row.practice.clone()),
                ("kind", row.kind.clone().unwrap_or_default()),
                ("evidence-status", row.status.label().to_owned()),
                ("pin", row.pin.label().to_owned()),
                ("reviewed", row.reviewed.clone().unwrap_or_default()),
                ("standard", row.standard.clone().unwrap_or_default()),
                ("locator", locator),
                ("waived", if row.waived { "true" } else { "" }.to_owned()),
            ]),
            methods: vec![method(kind)],
            types: vec!["control-objective"],
            relevant_evidence: vec![evidence],
            collected: row
                .reviewed
                .as_deref()
                .and_then(|r| datetime(r, Time::Start))
                .or_else(|| datetime(today, Time::Start))
                .unwrap_or_default(),
        });
    }
    linked
}

/// One observation of type `finding` per finding of `check` on the profile's documents (waived
/// ones too, marked so): what the tool found, linked from the finding of the practice whose
/// document it is on.
fn check_findings<'a>(
    p: &'a ProfileReport,
    key: &str,
    today: &str,
    linked: &mut Linked<'a, Observation>,
) {
    let written = practices(p)
        .flat_map(|row| row.finding_list.iter().map(move |f| (row.id.as_str(), f)))
        .chain(p.other_findings.iter().map(|f| ("profile", f)));
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (owner, f) in written {
        let n = seen
            .iter()
            .filter(|s| **s == (owner, f.rule.as_str()))
            .count();
        seen.push((owner, &f.rule));
        let uuid = named(&["check-finding", key, owner, &f.rule, &n.to_string()]);
        linked.links.push((f.document.as_str(), uuid.clone()));
        linked.items.push(Observation {
            uuid,
            title: format!("{} ({}) on {}", markup(&f.rule), f.severity, markup(owner)),
            description: format!("{}: {}", markup(&f.document), markup(&f.message)),
            props: props(&[
                ("rule", f.rule.clone()),
                ("severity", f.severity.clone()),
                ("document", f.document.clone()),
                ("line", f.line.to_string()),
                (
                    "waived",
                    if f.waived.is_some() { "true" } else { "" }.to_owned(),
                ),
            ]),
            methods: vec!["TEST"],
            types: vec!["finding"],
            relevant_evidence: Vec::new(),
            collected: datetime(today, Time::Start).unwrap_or_default(),
        });
    }
}

/// The resource of an evidence item that is a file in the repository: its relative link, and
/// its SHA-256 when the item's pin matches the file.
fn evidence_resource(row: &EvidenceRow, observation: &str, locator: &str) -> Option<Resource> {
    row.repo_path.as_ref()?;
    let href = relative_href(row.href.as_deref())?;
    Some(Resource {
        uuid: named(&["evidence-file", observation]),
        title: markup(row.repo_path.as_deref().unwrap_or(locator)),
        rlinks: vec![Rlink {
            href,
            hashes: row
                .sha256
                .iter()
                .map(|value| Hash {
                    algorithm: "SHA-256",
                    value: value.clone(),
                })
                .collect(),
        }],
        remarks: None,
    })
}

/// The OSCAL status of a waiver: in force, the deviation is approved; expired, the risk is
/// open again; with a key missing, it was asked for but is not in force.
fn waiver_status(state: WaiverState) -> &'static str {
    match state {
        WaiverState::Active => "deviation-approved",
        WaiverState::Expired => "open",
        WaiverState::Invalid => "deviation-requested",
    }
}

/// One risk per waiver written in the profile's documents.
fn risks<'a>(p: &'a ProfileReport, key: &str) -> Linked<'a, Risk> {
    let mut linked = Linked {
        items: Vec::new(),
        links: Vec::new(),
    };
    let written = practices(p)
        .flat_map(|row| row.waivers.iter().map(move |w| (row.id.as_str(), w)))
        .chain(p.waivers.iter().map(|w| ("profile", w)));
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (owner, w) in written {
        let rule = w.rule.as_deref().unwrap_or("");
        let n = seen.iter().filter(|s| **s == (owner, rule)).count();
        seen.push((owner, rule));
        let uuid = named(&["waiver", key, owner, rule, &n.to_string()]);
        let rule_words = if rule.is_empty() {
            "no rule named".to_owned()
        } else {
            markup(rule)
        };
        let until = w
            .expires
            .as_deref()
            .map_or_else(String::new, |e| format!(" until {}", markup(e)));
        linked.links.push((w.document.as_str(), uuid.clone()));
        linked.items.push(Risk {
            uuid,
            title: format!("Waiver of {rule_words} on {}", markup(owner)),
            description: w
                .reason
                .as_deref()
                .map_or_else(|| "No reason given.".to_owned(), markup),
            statement: format!(
                "Findings of {rule_words} on {} are waived{until} ({}).",
                markup(&w.document),
                w.state.label()
            ),
            props: props(&[
                ("rule", rule.to_owned()),
                ("waiver-state", w.state.label().to_owned()),
                ("expires", w.expires.clone().unwrap_or_default()),
            ]),
            status: waiver_status(w.state),
            deadline: w.expires.as_deref().and_then(|e| datetime(e, Time::End)),
            remediations: Vec::new(),
        });
    }
    linked
}
