//! `report --format oscal-ar` and `--format oscal-poam`: reference integrity, allowed values,
//! determinism, and how the report's states map to OSCAL's.
//!
//! `scripts/validate-oscal` validates the same exports with compliance-trestle and the NIST
//! JSON schemas; neither checks that a `*-uuid` reference resolves or that a value is one the
//! OSCAL model allows where the schema lets any token through. [`problems`] does, and is
//! itself tested on broken exports.

use crate::common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The namespace of every property smm-lint writes.
const NS: &str = "https://github.com/smm-lint/smm-lint/ns/oscal";

const EXAMPLES: [&str; 3] = ["bottling-line", "home-camera", "ota-gateway"];

/// The values OSCAL allows for the enumerated fields we write, by the last keys of the
/// field's path (array indices skipped). Source: the allowed-values constraints of the NIST
/// OSCAL 1.2 metaschema (assessment-common, metadata and implementation-common modules), as
/// published in the OSCAL 1.2.3 JSON schemas for assessment results and POA&M.
const ALLOWED: &[(&[&str], &[&str])] = &[
    (&["target", "type"], &["statement-id", "objective-id"]),
    (
        &["target", "status", "state"],
        &["satisfied", "not-satisfied"],
    ),
    (&["target", "status", "reason"], &["pass", "fail", "other"]),
    (
        &["implementation-status", "state"],
        &[
            "implemented",
            "partial",
            "planned",
            "alternative",
            "not-applicable",
        ],
    ),
    (
        &["observations", "methods"],
        &["EXAMINE", "INTERVIEW", "TEST", "UNKNOWN"],
    ),
    (
        &["observations", "types"],
        &[
            "ssp-statement-issue",
            "control-objective",
            "mitigation",
            "finding",
            "historic",
        ],
    ),
    (
        &["risks", "status"],
        &[
            "open",
            "investigating",
            "remediating",
            "deviation-requested",
            "deviation-approved",
            "closed",
        ],
    ),
    (
        &["remediations", "lifecycle"],
        &["recommendation", "planned", "completed"],
    ),
    (&["tasks", "type"], &["milestone", "action"]),
    (
        &["hashes", "algorithm"],
        &[
            "SHA-224", "SHA-256", "SHA-384", "SHA-512", "SHA3-224", "SHA3-256", "SHA3-384",
            "SHA3-512",
        ],
    ),
];

/// What [`problems`] found, and which of the [`ALLOWED`] fields it saw at least once.
#[derive(Debug, Default)]
struct Checked {
    problems: Vec<String>,
    seen: BTreeSet<String>,
}

/// Every reference-integrity and allowed-value problem of an OSCAL document: a UUID defined
/// twice; a `*-uuid` or `#fragment` link that names no UUID of the document; a link that is
/// not a relative path; an enumerated value OSCAL does not allow; a property outside our
/// namespace; a finding whose target is not among the reviewed controls.
fn problems(doc: &Value) -> Checked {
    let mut defined: BTreeMap<String, usize> = BTreeMap::new();
    let mut references: Vec<(String, String)> = Vec::new();
    let mut checked = Checked::default();
    walk(doc, &mut Vec::new(), &mut |path, key, value| {
        let Some(text) = value.as_str() else { return };
        if key == "uuid" {
            *defined.entry(text.to_owned()).or_default() += 1;
        } else if key.ends_with("-uuid") {
            references.push((key.to_owned(), text.to_owned()));
        } else if key == "href" {
            match text.strip_prefix('#') {
                Some(fragment) => references.push(("href".to_owned(), fragment.to_owned())),
                None if !is_relative(text) => checked
                    .problems
                    .push(format!("href {text:?} is not a relative path")),
                None => {}
            }
        } else if key == "ns" && path.last().map(String::as_str) == Some("props") && text != NS {
            checked
                .problems
                .push(format!("a property in the namespace {text:?}"));
        }
        let mut full: Vec<&str> = path.iter().map(String::as_str).collect();
        full.push(key);
        for (suffix, allowed) in ALLOWED {
            if full.ends_with(suffix) {
                checked.seen.insert(suffix.join("."));
                if !allowed.contains(&text) {
                    checked.problems.push(format!(
                        "{} is {text:?}; OSCAL allows {allowed:?}",
                        suffix.join(".")
                    ));
                }
            }
        }
    });
    for (uuid, n) in &defined {
        if *n > 1 {
            checked
                .problems
                .push(format!("uuid {uuid} is defined {n} times"));
        }
    }
    for (key, uuid) in references {
        if !defined.contains_key(&uuid) {
            checked
                .problems
                .push(format!("{key} {uuid} names no uuid of the document"));
        }
    }
    checked.problems.extend(unreviewed_targets(doc));
    checked
}

/// In assessment results, every finding's target is one of its result's reviewed controls.
fn unreviewed_targets(doc: &Value) -> Vec<String> {
    let results = doc["assessment-results"]["results"].as_array();
    let mut out = Vec::new();
    for result in results.into_iter().flatten() {
        let reviewed: BTreeSet<&str> = result["reviewed-controls"]["control-selections"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|s| s["include-controls"].as_array().into_iter().flatten())
            .filter_map(|c| c["control-id"].as_str())
            .collect();
        for finding in result["findings"].as_array().into_iter().flatten() {
            let target = finding["target"]["target-id"].as_str().unwrap_or("");
            if !reviewed.contains(target) {
                out.push(format!("finding target {target} is not a reviewed control"));
            }
        }
    }
    out
}

/// Calls `visit(path, key, value)` for every object member and every array item (an item
/// gets its array's key), where `path` holds the keys above it.
fn walk(value: &Value, path: &mut Vec<String>, visit: &mut dyn FnMut(&[String], &str, &Value)) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                visit(path, key, v);
                if let Value::Array(items) = v {
                    for item in items {
                        visit(path, key, item);
                    }
                }
                path.push(key.clone());
                walk(v, path, visit);
                path.pop();
            }
        }
        Value::Array(items) => {
            for item in items {
                walk(item, path, visit);
            }
        }
        _ => {}
    }
}

/// A percent-encoded relative path (and anchor): no scheme, no host, not absolute.
fn is_relative(href: &str) -> bool {
    !href.is_empty()
        && !href.starts_with('/')
        && href
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~/%#".contains(&b))
}

/// `report --format FORMAT --today TODAY PATH` in `dir`: the output as text.
fn export(dir: &Path, format: &str, path: &str) -> String {
    let out = run(dir, &["report", "--format", format, "--today", TODAY, path]);
    assert_eq!(code(&out), 0, "{format} of {path}: {}", stderr(&out));
    stdout(&out)
}

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn assert_clean(name: &str, doc: &Value) -> Checked {
    let checked = problems(doc);
    assert!(
        checked.problems.is_empty(),
        "{name}: {:#?}",
        checked.problems
    );
    checked
}

#[test]
fn the_examples_exports_resolve_every_reference_and_repeat_byte_for_byte() {
    for example in EXAMPLES {
        let path = format!("fixtures/{example}");
        for format in ["oscal-ar", "oscal-poam"] {
            let first = export(&repo(), format, &path);
            let second = export(&repo(), format, &path);
            assert!(
                first == second,
                "{format} of {example} differs between runs"
            );
            assert_clean(&format!("{format} of {example}"), &parse(&first));
        }
    }
}

#[test]
fn a_finding_per_practice_with_its_evidence_as_observations() {
    let doc = parse(&export(&repo(), "oscal-ar", "fixtures/bottling-line"));
    let ar = &doc["assessment-results"];
    assert_eq!(ar["metadata"]["last-modified"], "2026-11-21T00:00:00Z");
    assert_eq!(ar["metadata"]["oscal-version"], "1.2.3");
    let results = ar["results"].as_array().expect("results");
    assert_eq!(results.len(), 1, "one result per profile");
    let result = &results[0];
    let findings = result["findings"].as_array().expect("findings");
    let report = parse(&export(&repo(), "json", "fixtures/bottling-line"));
    let practices: Vec<&Value> = report["profiles"][0]["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .flat_map(|d| d["subdomains"].as_array().expect("subdomains"))
        .flat_map(|s| s["practices"].as_array().expect("practices"))
        .collect();
    assert_eq!(findings.len(), practices.len(), "a finding per practice");
    let patch = findings
        .iter()
        .find(|f| f["target"]["target-id"] == "patch-management")
        .expect("the patch-management finding");
    assert_eq!(patch["target"]["type"], "objective-id");
    assert_eq!(patch["target"]["status"]["state"], "satisfied");
    assert_eq!(prop(patch, "target").as_deref(), Some("2/industry"));
    assert_eq!(prop(patch, "current").as_deref(), Some("2/industry"));
    let related = patch["related-observations"].as_array().expect("evidence");
    assert_eq!(
        related.len(),
        5,
        "the five evidence items of patch-management"
    );
    // Evidence items are observations of type control-objective; lint findings are another type.
    let observations: Vec<&Value> = result["observations"]
        .as_array()
        .expect("observations")
        .iter()
        .filter(|o| o["types"][0] == "control-objective")
        .collect();
    assert_eq!(
        observations.len(),
        report["profiles"][0]["evidence"]
            .as_array()
            .expect("evidence")
            .len(),
        "an observation per evidence item"
    );
}

/// The value of the property `name` of an OSCAL object.
fn prop(object: &Value, name: &str) -> Option<String> {
    object["props"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
        .map(str::to_owned)
}

/// A repository with every state the exports map: a practice below its target with a plan
/// (one item done, one to come), waivers in force, expired and incomplete, a pinned evidence
/// file, a URL, a path outside the repository, a practice that does not apply, practices with
/// no claim, and Markdown and HTML in the documents' text.
fn states_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("create .git");
    write_tree(
        dir.path(),
        &[
            (
                "profile.md",
                "---\nprofile: demo\nsystem: \"Demo [gateway](javascript:alert(1)) <script>x</script>\"\nindustry: energy\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 1/general\n  patch-management: 2/general\nwaivers:\n  - rule: unknown-key\n    reason: Incomplete on purpose\n---\n# Demo\n",
            ),
            (
                "hardening/patch-management.md",
                "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n    note: \"See [here](javascript:alert(1)) <img src=x onerror=alert(1)>\"\n  - url: https://tickets.example.com/SEC-1\n    kind: review\n    reviewed: 2026-09-20\n  - path: /etc/hostname\n    kind: record\n    reviewed: 2026-09-20\nwaivers:\n  - rule: evidence-outside-repo\n    reason: The host file is read on the device\n    expires: 2027-01-31\n  - rule: evidence-not-found\n    reason: Lapsed\n    expires: 2026-01-31\nplan:\n  - level: 1/general\n    due: 2026-03-31\n    action: Write the monthly window down\n  - level: 2/general\n    due: 2027-06-30\n    action: \"Automate the [rollout](javascript:x)\"\n    owner: ops\n---\n# Patch management\n",
            ),
            (
                "hardening/vulnerability-assessment.md",
                "---\npractice: vulnerability-assessment\napplicable: false\nrationale: \"No software of our own: *all* from the vendor\"\ncurrent: 0/general\n---\n# Vulnerability assessment\n",
            ),
            (
                "evidence/patching.md",
                "# Patching\n\n## Monthly window\n\nFirst Tuesday.\n",
            ),
        ],
    );
    let pinned = run(dir.path(), &["pin", "--today", TODAY, "."]);
    assert!(code(&pinned) < 2, "pin: {}", stderr(&pinned));
    dir
}

/// The elements of `doc` under the array `key` anywhere, as a flat list.
fn all<'a>(doc: &'a Value, key: &str) -> Vec<&'a Value> {
    let mut out = Vec::new();
    collect(doc, key, &mut out);
    out
}

fn collect<'a>(value: &'a Value, key: &str, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == key {
                    out.extend(v.as_array().into_iter().flatten());
                }
                collect(v, key, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, key, out)),
        _ => {}
    }
}

#[test]
fn every_state_maps_to_a_value_oscal_allows_and_every_reference_resolves() {
    let dir = states_tree();
    let text = export(dir.path(), "oscal-ar", ".");
    let doc = parse(&text);
    let checked = assert_clean("assessment results", &doc);
    let poam_text = export(dir.path(), "oscal-poam", ".");
    let poam = parse(&poam_text);
    let checked_poam = assert_clean("POA&M", &poam);
    // The checker looked at every enumerated field we write: it is not passing vacuously.
    let seen: BTreeSet<&String> = checked.seen.iter().chain(&checked_poam.seen).collect();
    let expected: BTreeSet<String> = ALLOWED.iter().map(|(s, _)| s.join(".")).collect();
    assert_eq!(seen, expected.iter().collect(), "fields seen");

    let findings = all(&doc, "findings");
    let finding = |id: &str| {
        *findings
            .iter()
            .find(|f| f["target"]["target-id"] == id)
            .unwrap_or_else(|| panic!("no finding for {id}"))
    };
    let patch = finding("patch-management");
    assert_eq!(patch["target"]["status"]["state"], "not-satisfied");
    assert_eq!(patch["target"]["status"]["reason"], "fail");
    // Marked not applicable against a target of 1/general: `check` fails it, so it is not
    // satisfied, though it still does not apply.
    let na = finding("vulnerability-assessment");
    assert_eq!(na["target"]["status"]["state"], "not-satisfied");
    assert_eq!(na["target"]["status"]["reason"], "fail");
    assert_eq!(
        na["target"]["implementation-status"]["state"],
        "not-applicable"
    );
    let no_claim = finding("monitoring-practices");
    assert_eq!(no_claim["target"]["status"]["state"], "not-satisfied");
    assert_eq!(no_claim["target"]["status"]["reason"], "other");

    // What `check` found on the practice's document: observations of type `finding`, linked
    // from the practice's finding, a waived one marked so.
    let observations = all(&doc, "observations");
    let related: Vec<&Value> = patch["related-observations"]
        .as_array()
        .expect("related observations")
        .iter()
        .map(|r| &r["observation-uuid"])
        .collect();
    let checks: Vec<&&Value> = observations
        .iter()
        .filter(|o| o["types"][0] == "finding" && related.contains(&&o["uuid"]))
        .collect();
    assert!(
        checks.iter().any(
            |o| prop(o, "rule").as_deref() == Some("evidence-outside-repo")
                && prop(o, "waived").as_deref() == Some("true")
        ),
        "{checks:#?}"
    );

    // Waivers: in force, expired, incomplete.
    let risks = all(&doc, "risks");
    let risk = |rule: &str| {
        *risks
            .iter()
            .find(|r| prop(r, "rule").as_deref() == Some(rule))
            .unwrap_or_else(|| panic!("no risk for the waiver of {rule}"))
    };
    let active = risk("evidence-outside-repo");
    assert_eq!(active["status"], "deviation-approved");
    assert_eq!(active["deadline"], "2027-01-31T23:59:59Z");
    assert_eq!(risk("evidence-not-found")["status"], "open");
    assert_eq!(risk("unknown-key")["status"], "deviation-requested");
    let patch_risks: Vec<&str> = patch["related-risks"]
        .as_array()
        .expect("the practice's waivers")
        .iter()
        .filter_map(|r| r["risk-uuid"].as_str())
        .collect();
    assert_eq!(patch_risks.len(), 2, "the two waivers of patch-management");

    // The pinned file's hash; links only to files inside the repository, relatively.
    let resources = all(&doc, "resources");
    let hashes = all(&doc, "hashes");
    assert_eq!(hashes.len(), 1, "the one pinned item: {hashes:?}");
    assert_eq!(hashes[0]["algorithm"], "SHA-256");
    assert_eq!(hashes[0]["value"].as_str().map(str::len), Some(64));
    let hrefs: Vec<&str> = all(&doc, "rlinks")
        .iter()
        .filter_map(|l| l["href"].as_str())
        .collect();
    assert!(
        hrefs.contains(&"evidence/patching.md#monthly-window"),
        "{hrefs:?}"
    );
    assert!(!text.contains("\"href\": \"/"), "an absolute link");
    // A URL is recorded as text, never linked (problems() holds every href to a relative path).
    assert!(
        all(&doc, "observations")
            .iter()
            .any(|o| prop(o, "locator").as_deref() == Some("https://tickets.example.com/SEC-1")),
        "{resources:?}"
    );

    // Document text can never become a link, emphasis or HTML in a Markdown field: the
    // brackets and stars are escaped, and every `<` is (a backslash before it).
    for text in [&text, &poam_text] {
        for needle in ["[here](", "[gateway](", "[rollout](", "*all*"] {
            assert!(!text.contains(needle), "{needle} in the export");
        }
        for (at, _) in text.match_indices('<') {
            assert!(
                text[..at].ends_with('\\'),
                "an unescaped < in the export: {}",
                &text[at.saturating_sub(80)..(at + 20).min(text.len())]
            );
        }
    }
    assert!(text.contains(r"\\<img"), "the note's text is kept, escaped");
    assert!(
        poam_text.contains(r"\\[rollout\\]"),
        "the action's text is kept, escaped"
    );
}

#[test]
fn evidence_links_are_written_from_the_output_files_directory() {
    let dir = states_tree();
    std::fs::create_dir(dir.path().join("out")).expect("create out/");
    let out = run(
        dir.path(),
        &[
            "report",
            "--format",
            "oscal-ar",
            "--today",
            TODAY,
            "--output",
            "out/ar.json",
            ".",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(dir.path().join("out/ar.json")).expect("the export");
    let doc = parse(&text);
    assert_clean("assessment results in out/", &doc);
    let hrefs: Vec<&str> = all(&doc, "rlinks")
        .iter()
        .filter_map(|l| l["href"].as_str())
        .collect();
    assert!(
        hrefs.contains(&"../evidence/patching.md#monthly-window"),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"../profile.md"), "{hrefs:?}");
}

#[test]
fn the_roadmap_becomes_poam_items_with_milestones() {
    let dir = states_tree();
    let doc = parse(&export(dir.path(), "oscal-poam", "."));
    let poam = &doc["plan-of-action-and-milestones"];
    let items = poam["poam-items"].as_array().expect("poam-items");
    let planned: Vec<&Value> = items.iter().filter(|i| prop(i, "due").is_some()).collect();
    assert_eq!(planned.len(), 2, "an item per plan item: {items:#?}");
    let risk_of = |item: &Value| item["related-risks"][0]["risk-uuid"].clone();
    assert_eq!(
        risk_of(planned[0]),
        risk_of(planned[1]),
        "one risk per practice"
    );
    let risk = poam["risks"]
        .as_array()
        .expect("risks")
        .iter()
        .find(|r| r["uuid"] == risk_of(planned[0]))
        .expect("the practice's risk");
    assert_eq!(risk["status"], "open");
    let lifecycles: Vec<&Value> = all(risk, "remediations")
        .iter()
        .map(|r| &r["lifecycle"])
        .collect();
    assert_eq!(lifecycles, ["completed", "planned"]);
    let dates: Vec<&Value> = all(risk, "tasks")
        .iter()
        .map(|t| &t["timing"]["on-date"]["date"])
        .collect();
    assert_eq!(dates, ["2026-03-31T23:59:59Z", "2027-06-30T23:59:59Z"]);
    // Linked to the practice's finding, defined in the same document.
    for item in &planned {
        let finding = &item["related-findings"][0]["finding-uuid"];
        assert!(
            poam["findings"]
                .as_array()
                .expect("findings")
                .iter()
                .any(|f| &f["uuid"] == finding),
            "{item:#?}"
        );
    }
    // The same practice's finding has the same UUID in both documents.
    let ar = parse(&export(dir.path(), "oscal-ar", "."));
    let in_ar = all(&ar, "findings")
        .into_iter()
        .find(|f| f["target"]["target-id"] == "patch-management")
        .map(|f| f["uuid"].clone());
    assert_eq!(
        in_ar.as_ref(),
        Some(&planned[0]["related-findings"][0]["finding-uuid"])
    );
}

#[test]
fn practice_documents_without_a_profile_still_make_valid_documents() {
    let dir = repo().join("fixtures/rules/profile-missing/fail");
    let ar = parse(&export(&dir, "oscal-ar", "."));
    assert_clean("assessment results", &ar);
    let results = ar["assessment-results"]["results"]
        .as_array()
        .expect("results");
    assert_eq!(results.len(), 1, "OSCAL requires a result: {results:#?}");
    assert_eq!(results[0]["title"], "No profile found");
    let poam = parse(&export(&dir, "oscal-poam", "."));
    assert_clean("POA&M", &poam);
    let items = poam["plan-of-action-and-milestones"]["poam-items"]
        .as_array()
        .expect("poam-items");
    assert_eq!(items.len(), 1, "OSCAL requires a POA&M item: {items:#?}");
}

/// The bottling-line assessment results with `edit` applied.
fn broken(edit: impl FnOnce(&mut Value)) -> Checked {
    let mut doc = parse(&export(&repo(), "oscal-ar", "fixtures/bottling-line"));
    edit(&mut doc);
    problems(&doc)
}

fn first_finding(doc: &mut Value) -> &mut Value {
    &mut doc["assessment-results"]["results"][0]["findings"][0]
}

#[test]
fn the_checker_catches_a_dangling_or_repeated_uuid() {
    let dangling = broken(|doc| {
        first_finding(doc)["related-observations"][0]["observation-uuid"] =
            "00000000-0000-5000-8000-000000000000".into();
    });
    assert!(
        dangling
            .problems
            .iter()
            .any(|p| p.contains("observation-uuid 00000000-0000-5000-8000-000000000000")),
        "{:?}",
        dangling.problems
    );
    let repeated = broken(|doc| {
        let uuid = doc["assessment-results"]["results"][0]["uuid"].clone();
        first_finding(doc)["uuid"] = uuid;
    });
    assert!(
        repeated
            .problems
            .iter()
            .any(|p| p.contains("defined 2 times")),
        "{:?}",
        repeated.problems
    );
    let fragment = broken(|doc| {
        doc["assessment-results"]["import-ap"]["href"] =
            "#00000000-0000-5000-8000-000000000001".into();
    });
    assert!(
        fragment.problems.iter().any(|p| p.starts_with("href ")),
        "{:?}",
        fragment.problems
    );
}

#[test]
fn the_checker_catches_values_oscal_does_not_allow() {
    let state = broken(|doc| {
        first_finding(doc)["target"]["status"]["state"] = "partially-satisfied".into();
    });
    assert_eq!(state.problems.len(), 1, "{:?}", state.problems);
    assert!(state.problems[0].contains("partially-satisfied"));
    let method = broken(|doc| {
        doc["assessment-results"]["results"][0]["observations"][0]["methods"][0] = "GUESS".into();
    });
    assert_eq!(method.problems.len(), 1, "{:?}", method.problems);
    let risk = broken(|doc| {
        doc["assessment-results"]["results"][0]["risks"] = serde_json::json!([{"uuid": "00000000-0000-5000-8000-000000000002", "status": "in-progress",
                "remediations": [{"uuid": "00000000-0000-5000-8000-000000000003", "lifecycle": "someday"}]}]);
    });
    assert_eq!(risk.problems.len(), 2, "{:?}", risk.problems);
    let outside = broken(|doc| {
        doc["assessment-results"]["back-matter"]["resources"][0]["rlinks"] =
            serde_json::json!([{"href": "/etc/passwd"}, {"href": "https://example.com/"}]);
    });
    assert_eq!(outside.problems.len(), 2, "{:?}", outside.problems);
    let namespace = broken(|doc| {
        first_finding(doc)["props"][0]["ns"] = "https://example.com/ns".into();
    });
    assert_eq!(namespace.problems.len(), 1, "{:?}", namespace.problems);
    let unreviewed = broken(|doc| {
        first_finding(doc)["target"]["target-id"] = "not-a-practice".into();
    });
    assert_eq!(unreviewed.problems.len(), 1, "{:?}", unreviewed.problems);
}

/// Every UUID the README shows in its OSCAL excerpts is one the bottling-line exports hold, so
/// that the excerpts stay real.
#[test]
fn the_readme_excerpts_are_from_the_bottling_line_exports() {
    let readme = std::fs::read_to_string(repo().join("README.md")).expect("README.md");
    let start = readme
        .find("### OSCAL: assessment results")
        .expect("the README's OSCAL section");
    let section = &readme[start..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let exports = [
        export(&repo(), "oscal-ar", "fixtures/bottling-line"),
        export(&repo(), "oscal-poam", "fixtures/bottling-line"),
    ]
    .concat();
    let uuids: Vec<&str> = section
        .split(|c: char| !(c.is_ascii_hexdigit() || c == '-'))
        .filter(|w| w.len() == 36 && w.matches('-').count() == 4)
        .collect();
    assert!(uuids.len() >= 8, "the README shows {uuids:?}");
    for uuid in uuids {
        assert!(
            exports.contains(uuid),
            "{uuid} is in no bottling-line export"
        );
    }
}

/// The assessment results' finding on `practice` in `dir`.
fn ar_finding(dir: &Path, practice: &str) -> Value {
    let doc = parse(&export(dir, "oscal-ar", "."));
    all(&doc, "findings")
        .into_iter()
        .find(|f| f["target"]["target-id"] == practice)
        .cloned()
        .unwrap_or_else(|| panic!("no finding for {practice}"))
}

#[test]
fn a_claim_check_fails_for_its_evidence_is_not_satisfied() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("create .git");
    minimal_tree(dir.path());
    // Level 4 claimed with no evidence at all: `check` fails it (evidence-insufficient).
    write_tree(
        dir.path(),
        &[(
            "hardening/patch-management.md",
            "---\npractice: patch-management\ncurrent: 4/general\nassessed: 2026-10-01\n---\n# Patch management\n",
        )],
    );
    let (rc, json) = check_json(dir.path(), &[]);
    assert_eq!(rc, 1, "check fails the claim");
    assert!(
        findings(&json)
            .iter()
            .any(|f| f.starts_with("evidence-insufficient ")),
        "{json:#}"
    );

    let finding = ar_finding(dir.path(), "patch-management");
    let status = &finding["target"]["status"];
    assert_eq!(status["state"], "not-satisfied", "{finding:#}");
    assert_eq!(status["reason"], "fail");
    let remarks = status["remarks"].as_str().expect("remarks");
    assert!(remarks.contains("evidence-insufficient"), "{remarks}");
    // It owes something: the POA&M has an open item for it.
    let poam = parse(&export(dir.path(), "oscal-poam", "."));
    assert!(
        all(&poam, "poam-items").iter().any(|i| i["title"]
            .as_str()
            .is_some_and(|t| t.contains("patch-management"))),
        "{poam:#}"
    );
}

#[test]
fn a_waived_error_or_a_warning_leaves_a_met_claim_satisfied() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("create .git");
    minimal_tree(dir.path());
    write_tree(
        dir.path(),
        &[(
            "hardening/patch-management.md",
            "---\npractice: patch-management\ncurrent: 4/general\nassessed: 2026-10-01\nwaivers:\n  - rule: evidence-insufficient\n    reason: Evidence is being gathered\n    expires: 2027-01-31\n---\n# Patch management\n",
        )],
    );
    let finding = ar_finding(dir.path(), "patch-management");
    assert_eq!(
        finding["target"]["status"]["state"], "satisfied",
        "{finding:#}"
    );
    assert_eq!(finding["target"]["status"]["reason"], "pass");

    // A warning (stale evidence) does not fail `check`: satisfied, the rule in the remarks.
    minimal_tree(dir.path());
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read");
    std::fs::write(
        &doc,
        text.replace("reviewed: 2026-09-15", "reviewed: 2023-09-15"),
    )
    .expect("write");
    let (rc, json) = check_json(dir.path(), &[]);
    assert_eq!(rc, 0, "{json:#}");
    let finding = ar_finding(dir.path(), "patch-management");
    let status = &finding["target"]["status"];
    assert_eq!(status["state"], "satisfied", "{finding:#}");
    assert_eq!(status["reason"], "pass");
    assert!(
        status["remarks"]
            .as_str()
            .is_some_and(|r| r.contains("evidence-stale")),
        "{finding:#}"
    );
}

#[test]
fn a_target_of_level_0_with_no_document_owes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("create .git");
    minimal_tree(dir.path());
    let (rc, json) = check_json(dir.path(), &[]);
    assert_eq!(rc, 0, "{json:#}");

    // governance is 0/general: its practices are owed nothing.
    let finding = ar_finding(dir.path(), "security-program-management");
    assert_eq!(
        finding["target"]["status"]["state"], "satisfied",
        "{finding:#}"
    );
    assert_eq!(finding["target"]["status"]["reason"], "other");
    let poam = parse(&export(dir.path(), "oscal-poam", "."));
    let items = all(&poam, "poam-items");
    assert_eq!(
        items.len(),
        1,
        "only the \"No open items\" item: {items:#?}"
    );
    assert!(
        all(&poam, "risks").iter().all(|r| r["status"] != "open"),
        "{poam:#}"
    );
}

#[test]
fn a_today_outside_the_years_oscal_dates_hold_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("create .git");
    minimal_tree(dir.path());
    for today in ["3000-01-01", "1899-12-31"] {
        for format in ["oscal-ar", "oscal-poam"] {
            let out = run(
                dir.path(),
                &["report", "--format", format, "--today", today, "."],
            );
            assert_eq!(code(&out), 2, "{format} --today {today}: {}", stdout(&out));
            assert!(
                stdout(&out).is_empty(),
                "nothing is exported: {}",
                stdout(&out)
            );
            assert!(
                stderr(&out).contains("1900") && stderr(&out).contains("2999"),
                "{}",
                stderr(&out)
            );
        }
    }
    // The years at the edges are exported, and other formats take any date.
    for today in ["1900-01-01", "2999-12-31"] {
        let out = run(
            dir.path(),
            &["report", "--format", "oscal-ar", "--today", today, "."],
        );
        assert_eq!(code(&out), 0, "--today {today}: {}", stderr(&out));
        let doc = parse(&stdout(&out));
        assert_eq!(
            doc["assessment-results"]["metadata"]["last-modified"],
            format!("{today}T00:00:00Z")
        );
    }
    let out = run(
        dir.path(),
        &["report", "--format", "md", "--today", "3000-01-01", "."],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}
