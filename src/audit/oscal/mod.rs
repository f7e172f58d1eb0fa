//! OSCAL 1.2 exports of the report: assessment results ([`ar`]) and a plan of action and
//! milestones ([`poam`]), as JSON.
//!
//! Both are written from the same [`Report`] every other format shows. The shapes shared by
//! the two models (metadata, properties, findings, risks, back matter) live here; every array
//! OSCAL requires to be non-empty when present is left out when empty. Every UUID is a
//! version 5 UUID named by ids ([`uuid::named`]), so the same documents give byte-identical
//! exports. Text from the documents is untrusted: serde escapes it for JSON, Markdown fields
//! get it backslash-escaped ([`crate::text::markdown`]), and the only links written are
//! percent-encoded relative paths inside the repository and `#uuid` fragments.

pub(crate) mod ar;
pub(crate) mod poam;
mod uuid;

use super::model::*;
use crate::gap::Gap;
use serde::Serialize;

/// The OSCAL version the exports conform to (the NIST schemas they are validated against).
pub(crate) const OSCAL_VERSION: &str = "1.2.3";

/// The namespace of every property we write: the project's address, which we own.
pub(crate) const NS: &str = "https://github.com/smm-lint/smm-lint/ns/oscal";

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Metadata {
    title: String,
    last_modified: String,
    version: String,
    oscal_version: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
}

impl Metadata {
    /// Dated by the report's date (`--today`), never the clock, so that a run is repeatable.
    fn new(title: String, report: &Report) -> Metadata {
        Metadata {
            title,
            // `check_today` refused a date outside OSCAL's range before the report was built.
            last_modified: datetime(&report.generated.today, Time::Start).unwrap_or_default(),
            version: report.generated.today.clone(),
            oscal_version: OSCAL_VERSION,
            props: props(&[(
                "generator",
                format!("smm-lint {}", report.generated.smm_lint),
            )]),
        }
    }
}

/// A property in our namespace.
#[derive(Debug, Serialize)]
struct Prop {
    name: &'static str,
    ns: &'static str,
    value: String,
}

/// Properties from (name, value) pairs; a value that is blank is left out (OSCAL values are
/// non-empty, trimmed and on one line).
fn props<S: AsRef<str>>(pairs: &[(&'static str, S)]) -> Vec<Prop> {
    pairs
        .iter()
        .filter_map(|(name, value)| {
            plain(value.as_ref()).map(|value| Prop {
                name,
                ns: NS,
                value,
            })
        })
        .collect()
}

/// Document text as an OSCAL string: whitespace runs (line breaks included) become one space,
/// trimmed; `None` when nothing is left.
fn plain(text: &str) -> Option<String> {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!joined.is_empty()).then_some(joined)
}

/// Document text for a Markdown field: on one line, with everything Markdown could act on
/// escaped, so a title or note can never become a link, an image or HTML in a viewer.
fn markup(text: &str) -> String {
    crate::text::markdown(text.trim())
}

/// Refuses a report date (`--today`) that OSCAL's date-time type cannot hold: the exports are
/// dated by it (`last-modified`, a result's `end`), and a required date left empty or made up
/// would make an invalid or a false document.
pub(crate) fn check_today(today: &str) -> Result<(), crate::error::Fatal> {
    if datetime(today, Time::Start).is_some() {
        return Ok(());
    }
    Err(crate::error::Fatal::new(format!(
        "--today {today} is outside the years 1900–2999 that OSCAL's dates can hold"
    ))
    .help("give a --today from 1900-01-01 to 2999-12-31 for the OSCAL formats"))
}

/// Which end of a day a date stands for.
#[derive(Debug, Clone, Copy)]
enum Time {
    Start,
    End,
}

/// A date (`YYYY-MM-DD`) as an OSCAL date-time in UTC; `None` outside the years 1900–2999,
/// which OSCAL's date-time type does not accept.
fn datetime(date: &str, time: Time) -> Option<String> {
    let year: u32 = date.get(..4)?.parse().ok()?;
    if !(1900..=2999).contains(&year) || crate::date::Date::parse(date).is_err() {
        return None;
    }
    let clock = match time {
        Time::Start => "00:00:00",
        Time::End => "23:59:59",
    };
    Some(format!("{date}T{clock}Z"))
}

#[derive(Debug, Serialize)]
struct BackMatter {
    resources: Vec<Resource>,
}

#[derive(Debug, Serialize)]
struct Resource {
    uuid: String,
    title: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    rlinks: Vec<Rlink>,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Rlink {
    href: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hashes: Vec<Hash>,
}

#[derive(Debug, Serialize)]
struct Hash {
    algorithm: &'static str,
    value: String,
}

/// A link we may write: a percent-encoded path relative to the export (never absolute, never
/// another host, never a scheme).
fn relative_href(href: Option<&str>) -> Option<String> {
    href.filter(|h| !h.starts_with('/') && super::links::is_relative_href(h))
        .map(str::to_owned)
}

/// The link to the profile document from the export's directory, when it can be written as a
/// relative path.
fn profile_href(p: &ProfileReport) -> Option<String> {
    let base = p.links.base.as_deref()?;
    let file = std::path::Path::new(&p.path).file_name()?.to_string_lossy();
    let file = crate::text::percent_encode(&file, b"-._~");
    let href = if base == "." {
        file
    } else {
        format!("{base}/{file}")
    };
    relative_href(Some(&href))
}

/// Each profile's key for the UUIDs: its id, with `#2`, `#3`… for a repeated id, so that two
/// profiles with one id still get distinct UUIDs.
fn profile_keys(report: &Report) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    report
        .profiles
        .iter()
        .map(|p| {
            let n = seen.iter().filter(|s| **s == p.id).count();
            seen.push(&p.id);
            if n == 0 {
                p.id.clone()
            } else {
                format!("{}#{}", p.id, n + 1)
            }
        })
        .collect()
}

/// Every practice row of a profile, in catalogue order.
fn practices(p: &ProfileReport) -> impl Iterator<Item = &PracticeRow> {
    p.domains
        .iter()
        .flat_map(|d| &d.subdomains)
        .flat_map(|s| &s.practices)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Finding {
    uuid: String,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    target: FindingTarget,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_observations: Vec<RelatedObservation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_risks: Vec<RelatedRisk>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct FindingTarget {
    #[serde(rename = "type")]
    kind: &'static str,
    target_id: String,
    status: ObjectiveStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    implementation_status: Option<ImplementationStatus>,
}

#[derive(Debug, Serialize)]
struct ObjectiveStatus {
    state: &'static str,
    reason: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Debug, Serialize)]
struct ImplementationStatus {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    remarks: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedObservation {
    observation_uuid: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct RelatedRisk {
    risk_uuid: String,
}

/// The UUID of a practice's finding: the same in the assessment results and the POA&M.
fn finding_uuid(profile: &str, practice: &str) -> String {
    uuid::named(&["finding", profile, practice])
}

/// A practice's objective status in OSCAL terms.
pub(super) struct Objective {
    pub(super) state: &'static str,
    pub(super) reason: &'static str,
    /// The practice does not apply (`implementation-status` `not-applicable`).
    not_applicable: bool,
    remarks: Option<String>,
}

impl Objective {
    pub(super) fn satisfied(&self) -> bool {
        self.state == "satisfied"
    }
}

/// How a practice reads as an OSCAL objective status; it agrees with `check`. A practice that
/// meets or exceeds its target is `satisfied` (`pass`) only when its document has no unwaived
/// error: a claim `check` fails (a level without the evidence it requires, say) is
/// `not-satisfied` (`fail`), with the rules in the remarks. Unwaived warnings leave it
/// satisfied (they do not fail `check` either) and are named in the remarks. Short of the
/// target is `not-satisfied` (`fail`). A practice that does not apply is `satisfied` for the
/// reason `other`, with the implementation status `not-applicable` (nothing is owed); so is a
/// practice whose target is level 0 and that claims nothing (`check` asks nothing of it). Any
/// other practice with no target or no claimed level is `not-satisfied` for the reason
/// `other`: nothing shows it is met.
pub(super) fn objective(row: &PracticeRow) -> Objective {
    let (state, reason, not_applicable, remark) = match row.gap {
        Gap::Met | Gap::Above => ("satisfied", "pass", false, None),
        Gap::Below { .. } => ("not-satisfied", "fail", false, None),
        Gap::NoClaim if row.target.is_some_and(|t| t.level == 0) => (
            "satisfied",
            "other",
            false,
            Some("The target is level 0: nothing is owed, and no level is claimed.".to_owned()),
        ),
        Gap::NoClaim => (
            "not-satisfied",
            "other",
            false,
            Some("No target or no claimed current level.".to_owned()),
        ),
        Gap::NotApplicable => (
            "satisfied",
            "other",
            true,
            Some(match &row.rationale {
                Some(r) => format!("Not applicable: {}", markup(r)),
                None => "Not applicable.".to_owned(),
            }),
        ),
    };
    let errors = counting_rules(row, "error");
    let warnings = counting_rules(row, "warning");
    let (state, reason) = if state == "satisfied" && !errors.is_empty() {
        ("not-satisfied", "fail")
    } else {
        (state, reason)
    };
    let mut remarks: Vec<String> = remark.into_iter().collect();
    if !errors.is_empty() {
        remarks.push(format!(
            "`check` fails the practice: {}.",
            errors.join(", ")
        ));
    }
    if !warnings.is_empty() {
        remarks.push(format!("`check` warns: {}.", warnings.join(", ")));
    }
    Objective {
        state,
        reason,
        not_applicable,
        remarks: (!remarks.is_empty()).then(|| remarks.join(" ")),
    }
}

/// The rules of the unwaived findings of `severity` on the practice's document, each once, in
/// order, as escaped code.
fn counting_rules(row: &PracticeRow, severity: &str) -> Vec<String> {
    let mut rules: Vec<String> = Vec::new();
    for f in &row.finding_list {
        let rule = format!("`{}`", markup(&f.rule));
        if f.waived.is_none() && f.severity == severity && !rules.contains(&rule) {
            rules.push(rule);
        }
    }
    rules
}

/// A practice's finding: its target and current levels as properties, its state, and the
/// observations and risks that bear on it.
fn finding(
    profile: &str,
    row: &PracticeRow,
    observations: Vec<String>,
    risks: Vec<String>,
) -> Finding {
    let Objective {
        state,
        reason,
        not_applicable,
        remarks,
    } = objective(row);
    let level = |l: Option<LevelView>| l.map_or_else(|| "none".to_owned(), |l| l.to_string());
    Finding {
        uuid: finding_uuid(profile, &row.id),
        title: format!("{} ({})", markup(&row.name), markup(&row.id)),
        description: format!(
            "Target {}, current {}: {}.",
            level(row.target),
            level(row.current),
            row.gap
        ),
        props: props(&[
            ("practice", row.id.clone()),
            ("target", level(row.target)),
            ("current", level(row.current)),
            ("gap", row.gap.to_string()),
            ("applicable", row.applicable.to_string()),
            ("assessed", row.assessed.clone().unwrap_or_default()),
            (
                "evidence-ok",
                format!("{}/{}", row.evidence_ok, row.evidence_total),
            ),
        ]),
        target: FindingTarget {
            kind: "objective-id",
            target_id: token(&row.id),
            status: ObjectiveStatus {
                state,
                reason,
                remarks,
            },
            implementation_status: not_applicable.then_some(ImplementationStatus {
                state: "not-applicable",
                remarks: None,
            }),
        },
        related_observations: observations
            .into_iter()
            .map(|observation_uuid| RelatedObservation { observation_uuid })
            .collect(),
        related_risks: risks
            .into_iter()
            .map(|risk_uuid| RelatedRisk { risk_uuid })
            .collect(),
    }
}

/// An id as an OSCAL token (an XML NCName): catalogue ids already are; anything else has its
/// other characters replaced by `-` and, when it does not start with a letter or `_`, a `_`
/// in front.
fn token(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Risk {
    uuid: String,
    title: String,
    description: String,
    statement: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    deadline: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    remediations: Vec<Response>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Response {
    uuid: String,
    lifecycle: &'static str,
    title: String,
    description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    props: Vec<Prop>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tasks: Vec<Task>,
}

#[derive(Debug, Serialize)]
struct Task {
    uuid: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    timing: Option<Timing>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "kebab-case")]
struct Timing {
    on_date: OnDate,
}

#[derive(Debug, Serialize)]
struct OnDate {
    date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_what_oscal_accepts_are_left_out() {
        assert_eq!(
            datetime("2026-11-21", Time::Start).as_deref(),
            Some("2026-11-21T00:00:00Z")
        );
        assert_eq!(
            datetime("2026-11-21", Time::End).as_deref(),
            Some("2026-11-21T23:59:59Z")
        );
        assert_eq!(datetime("0999-01-01", Time::Start), None);
        assert_eq!(datetime("3000-01-01", Time::Start), None);
        assert_eq!(datetime("2026-02-30", Time::Start), None);
        assert_eq!(datetime("soon", Time::Start), None);
    }

    #[test]
    fn values_are_trimmed_single_lines_and_never_empty() {
        assert_eq!(plain("  a\n b\u{2028}c  ").as_deref(), Some("a b c"));
        assert_eq!(plain(" \n\t "), None);
        assert!(props(&[("x", " "), ("y", "1")]).len() == 1);
    }

    #[test]
    fn markup_text_cannot_form_a_link_or_html() {
        let m = markup("[x](javascript:alert(1)) <b>\nnext");
        assert!(!m.contains("[x]("), "{m}");
        assert!(!m.contains("<b>"), "{m}");
        assert!(!m.contains('\n'), "{m}");
    }

    #[test]
    fn ids_become_tokens() {
        assert_eq!(token("patch-management"), "patch-management");
        assert_eq!(token("9 lives"), "_9-lives");
        assert_eq!(token("a:b"), "a-b");
    }

    #[test]
    fn only_relative_hrefs_are_written() {
        assert_eq!(
            relative_href(Some("../e/x.md#a")).as_deref(),
            Some("../e/x.md#a")
        );
        assert_eq!(relative_href(Some("/etc/passwd")), None);
        assert_eq!(relative_href(Some("//host/x")), None);
        assert_eq!(relative_href(Some("javascript:alert(1)")), None);
        assert_eq!(relative_href(Some("https://example.com/")), None);
        assert_eq!(relative_href(None), None);
    }
}
