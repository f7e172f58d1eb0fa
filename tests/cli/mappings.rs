//! Crosswalks: mapping files selected with `mappings:` (format problems at their lines, paths
//! that lead out of the repository refused unread, limits), the report's crosswalk section, the
//! evidence CSV's `requirements` column and `unknown-requirement`.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

const PROFILE_WITH_MAPPING: &str = "---\nprofile: demo\nsystem: Demo gateway\nindustry: energy\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\nmappings: [MAPPING]\n---\n# Demo\n";

const GOOD_MAPPING: &str = "framework: PLANT-SEC\nversion: \"1\"\nrequirements:\n  - id: PAT-01\n    title: Patches are applied in a planned window\nentries:\n  - practice: patch-management\n    level: 1\n    requirement: PAT-01\n";

fn git_init(dir: &Path) {
    let status = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(dir)
        .status()
        .expect("git runs");
    assert!(status.success());
}

/// The minimal tree, its profile selecting `mapping`, in a git repository of its own.
fn tree_selecting(dir: &Path, mapping: &str) {
    minimal_tree(dir);
    git_init(dir);
    write_tree(
        dir,
        &[(
            "profile.md",
            &PROFILE_WITH_MAPPING.replace("MAPPING", mapping),
        )],
    );
}

/// `rule path:line message` of every finding, and the help by message.
fn findings_with_messages(json: &Value) -> Vec<(String, String, String)> {
    diagnostics(json)
        .iter()
        .map(|d| {
            (
                format!(
                    "{} {}:{}",
                    d["rule"].as_str().unwrap_or("?"),
                    d["path"].as_str().unwrap_or("?"),
                    d["line"]
                ),
                d["message"].as_str().unwrap_or("").to_owned(),
                d["help"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

fn report_json(dir: &Path) -> Value {
    let out = run(dir, &["report", "--format", "json", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("report JSON")
}

#[test]
fn every_problem_of_a_mapping_file_is_a_finding_at_its_line() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    tree_selecting(dir, "mappings/plant.yaml");
    let mapping = "\
framework: PLANT-SEC
version: \"1\"
publisher: us
requirements:
  - id: PAT-01
    title: Patches are applied in a planned window
  - id: PAT-02
    title: Patches are tested before rollout
  - id: PAT-01
    title: listed twice
entries:
  - practice: patch-managment
    level: 1
    requirement: PAT-01
  - practice: patch-management
    level: 5
    requirement: PAT-01
  - practice: patch-management
    level: 2/general
    requirement: PAT-01
  - practice: patch-management
    level: 1
    requirement: PAT-03
  - practice: patch-management
    level: 1
    requirement: PAT-01
    role: fulfils
  - practice: patch-management
    level: 1
    requirement: PAT-01
    weight: 3
  - practice: hardening
    level: 1
    requirement: PAT-02
  - practice: patch-management
    level: 1
    requirement: PAT-01
  - practice: patch-management
    level: 1
    requirement: PAT-01
";
    write_tree(dir, &[("mappings/plant.yaml", mapping)]);
    let (_, json) = check_json(dir, &[]);
    let found = findings_with_messages(&json);
    let at: Vec<&str> = found.iter().map(|(a, _, _)| a.as_str()).collect();
    let f = "catalogue-invalid mappings/plant.yaml";
    assert_eq!(
        at,
        vec![
            format!("{f}:3"),  // publisher: unknown key
            format!("{f}:9"),  // PAT-01 listed twice
            format!("{f}:12"), // patch-managment
            format!("{f}:16"), // level 5
            format!("{f}:19"), // level 2/general
            format!("{f}:23"), // PAT-03 not listed
            format!("{f}:27"), // role fulfils
            format!("{f}:31"), // weight: unknown key
            format!("{f}:32"), // hardening is a domain
            format!("{f}:39"), // the same relation again
        ],
        "{found:#?}"
    );
    let text = |i: usize| format!("{} {}", found[i].1, found[i].2);
    assert!(text(0).contains("did you mean `title`?") || text(0).contains("known keys here"));
    assert!(
        text(2).contains("did you mean `patch-management`"),
        "{}",
        text(2)
    );
    assert!(text(3).contains("from 1 to 4"), "{}", text(3));
    assert!(
        text(5).contains("did you mean `PAT-01` or `PAT-02`?"),
        "{}",
        text(5)
    );
    assert!(text(6).contains("`supports` or `satisfies`"), "{}", text(6));
    assert!(text(8).contains("not a practice"), "{}", text(8));
    assert!(text(9).contains("related twice"), "{}", text(9));
    // The valid entry is still used: the crosswalk relates PAT-01 through it.
    let report = report_json(dir);
    let ids: Vec<&str> = report["profiles"][0]["crosswalks"][0]["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(ids, vec!["PAT-01"]);
}

#[test]
fn a_mapping_without_framework_or_not_yaml_is_not_used() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    tree_selecting(dir, "mappings/plant.yaml");
    write_tree(
        dir,
        &[(
            "mappings/plant.yaml",
            "version: \"1\"\nrequirements: []\nentries: []\n",
        )],
    );
    let (code, json) = check_json(dir, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        vec!["catalogue-invalid mappings/plant.yaml:1"]
    );
    assert!(
        diagnostics(&json)[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("missing `framework`"))
    );
    assert!(report_json(dir)["profiles"][0].get("crosswalks").is_none());

    write_tree(dir, &[("mappings/plant.yaml", "framework: [unclosed\n")]);
    let (code, json) = check_json(dir, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&json),
        vec!["catalogue-invalid mappings/plant.yaml:1"]
    );
}

/// A mapping path that leads out of the repository, whichever way, is a finding at the
/// profile's value, and the file outside is never read: it holds a mapping whose own problem
/// would be a finding in it.
#[test]
fn a_mapping_path_leading_out_of_the_repository_is_refused_unread() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let outside = tmp.path().join("outside");
    write_tree(
        &outside,
        &[(
            "plant.yaml",
            &format!("{GOOD_MAPPING}read_me: if this is reported, the file was read\n"),
        )],
    );
    let outside_file = outside.join("plant.yaml");
    let absolute = outside_file.to_str().expect("UTF-8 path").to_owned();
    let mut cases = vec![
        ("absolute", absolute.clone(), "is absolute"),
        (
            "dot-dot",
            "../outside/plant.yaml".to_owned(),
            "does not exist inside the repository",
        ),
    ];
    if cfg!(unix) {
        cases.push((
            "symlink",
            "mappings/link.yaml".to_owned(),
            "does not exist inside the repository",
        ));
    }
    for (name, value, says) in cases {
        let repo_dir = tmp.path().join(format!("repo-{name}"));
        tree_selecting(&repo_dir, &value);
        #[cfg(unix)]
        if name == "symlink" {
            std::fs::create_dir_all(repo_dir.join("mappings")).expect("dir");
            std::os::unix::fs::symlink(&outside_file, repo_dir.join("mappings/link.yaml"))
                .expect("symlink");
        }
        let (code, json) = check_json(&repo_dir, &[]);
        assert_eq!(code, 1, "{name}");
        let found = findings_with_messages(&json);
        assert_eq!(
            found.iter().map(|(a, _, _)| a.as_str()).collect::<Vec<_>>(),
            vec!["catalogue-invalid profile.md:10"],
            "{name}: {found:#?}"
        );
        assert!(found[0].1.contains(says), "{name}: {}", found[0].1);
        assert!(
            !json.to_string().contains("read_me"),
            "{name}: the file outside was read"
        );
        assert!(
            report_json(&repo_dir)["profiles"][0]
                .get("crosswalks")
                .is_none(),
            "{name}"
        );
    }
}

#[test]
fn a_builtin_mapping_is_selected_by_name() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    tree_selecting(dir, "builtin:exampel");
    let (code, json) = check_json(dir, &[]);
    assert_eq!(code, 1);
    let found = findings_with_messages(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "unknown-id profile.md:10");
    assert!(
        found[0].2.contains("did you mean `builtin:example`?"),
        "{found:#?}"
    );

    tree_selecting(dir, "builtin:example");
    let (code, json) = check_json(dir, &[]);
    assert_eq!((code, findings(&json)), (0, Vec::<String>::new()));
    let report = report_json(dir);
    let crosswalk = &report["profiles"][0]["crosswalks"][0];
    assert_eq!(crosswalk["framework"], "EXAMPLE-PSB");
    assert_eq!(crosswalk["source"], "builtin:example");
}

/// Limits are closed: a file over the size limit, or with more entries than allowed, is a
/// finding and is not used.
#[test]
fn a_mapping_over_a_limit_is_not_used() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    tree_selecting(dir, "mappings/plant.yaml");
    let big = format!("{GOOD_MAPPING}# {}\n", "x".repeat(1024 * 1024));
    write_tree(dir, &[("mappings/plant.yaml", &big)]);
    let (_, json) = check_json(dir, &[]);
    let found = findings_with_messages(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "catalogue-invalid profile.md:10");
    assert!(
        found[0].1.contains("larger than 1048576 bytes"),
        "{found:#?}"
    );

    let mut many = GOOD_MAPPING.to_owned();
    for _ in 0..5_001 {
        many.push_str("  - {practice: patch-management, level: 1, requirement: PAT-01}\n");
    }
    write_tree(dir, &[("mappings/plant.yaml", &many)]);
    let started = std::time::Instant::now();
    let (_, json) = check_json(dir, &[]);
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let found = findings_with_messages(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "catalogue-invalid mappings/plant.yaml:1");
    assert!(
        found[0].1.contains("5002 entries; the limit is 5000"),
        "{found:#?}"
    );
    assert!(report_json(dir)["profiles"][0].get("crosswalks").is_none());
}

fn fixture(case: &str) -> std::path::PathBuf {
    repo().join("fixtures/rules/unknown-requirement").join(case)
}

/// The fixture claims patch management at level 1: PAT-01 (level 1) relates, PAT-02 (level
/// 2) does not, and VUL-01 does not because vulnerability assessment does not apply.
#[test]
fn the_crosswalk_lists_the_requirements_the_claims_reach_and_their_citations() {
    let report = report_json(&fixture("pass"));
    let crosswalks = report["profiles"][0]["crosswalks"]
        .as_array()
        .expect("crosswalks");
    assert_eq!(crosswalks.len(), 1);
    let c = &crosswalks[0];
    assert_eq!(c["framework"], "PLANT-SEC");
    assert_eq!(c["version"], "1");
    assert_eq!(c["source"], "mappings/plant.yaml");
    assert_eq!(c["listed"], 3);
    assert_eq!(c["cited"], 1);
    let requirements = c["requirements"].as_array().expect("requirements");
    assert_eq!(requirements.len(), 1, "{requirements:#?}");
    let r = &requirements[0];
    assert_eq!(r["id"], "PAT-01");
    assert_eq!(r["title"], "Patches are applied in a planned window");
    assert_eq!(r["related"][0]["practice"], "patch-management");
    assert_eq!(r["related"][0]["level"], 1);
    assert_eq!(r["related"][0]["claimed"], "1/general");
    assert_eq!(r["related"][0]["role"], "satisfies");
    assert_eq!(
        r["cited_by"][0]["document"],
        "hardening/patch-management.md"
    );
    assert_eq!(r["cited_by"][0]["line"], 7);
    assert_eq!(
        r["cited_by"][0]["evidence"],
        "../evidence/patching.md#monthly-window"
    );

    let md = stdout(&run(
        &fixture("pass"),
        &["report", "--format", "md", "--today", TODAY],
    ));
    assert!(md.contains("## Crosswalk: PLANT-SEC 1\n"), "{md}");
    assert!(md.contains("1 of the 3 requirements it lists relate to the claimed levels; evidence cites 1 of them."), "{md}");
    assert!(md.contains("| `PAT-01` | Patches are applied in a planned window | Patch management (1/general ≥ 1, satisfies) | `../evidence/patching.md#monthly-window` (`hardening/patch-management.md:7`) |"), "{md}");
    let html = stdout(&run(
        &fixture("pass"),
        &["report", "--format", "html", "--today", TODAY],
    ));
    assert!(
        html.contains("<h3 id=\"p1-crosswalk-0\">Crosswalk: PLANT-SEC 1</h3>"),
        "{html}"
    );
    assert!(html.contains("<td class=\"nowrap\"><code>PAT-01</code></td>"));
}

/// The failing case cites an id the mapping does not list: no requirement counts as cited.
#[test]
fn a_citation_of_an_unknown_id_cites_nothing() {
    let report = report_json(&fixture("fail"));
    let c = &report["profiles"][0]["crosswalks"][0];
    assert_eq!(c["cited"], 0);
    assert_eq!(c["requirements"][0]["cited_by"], Value::Array(Vec::new()));
}

#[test]
fn the_bottling_line_example_shows_the_builtin_example_crosswalk() {
    let report = report_json(&repo().join("fixtures/bottling-line"));
    let c = &report["profiles"][0]["crosswalks"][0];
    assert_eq!(c["framework"], "EXAMPLE-PSB");
    assert_eq!(c["listed"], 15);
    let ids: Vec<&str> = c["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .map(|r| r["id"].as_str().unwrap_or("?"))
        .collect();
    // Threat modelling is claimed at 3: RSK-02 (level 3) relates. Patch management and asset
    // change management are claimed at 2: PAT-01 and AST-02 (level 3) do not.
    assert!(ids.contains(&"RSK-02"), "{ids:?}");
    assert!(
        !ids.contains(&"PAT-01") && !ids.contains(&"AST-02"),
        "{ids:?}"
    );
    assert_eq!(ids.len(), 12, "{ids:?}");
}

#[test]
fn the_evidence_csv_ends_with_the_requirements_column() {
    let out = run(
        &fixture("pass"),
        &["evidence", "--format", "csv", "--today", TODAY],
    );
    let csv = stdout(&out);
    let mut lines = csv.lines();
    let header = lines.next().expect("header");
    // The columns before it are those consumers already read by position.
    assert_eq!(
        header,
        "profile,practice,claimed,kind,location,anchor,reviewed,age_days,standard,pin,status,document,line,evidence,waived,repo_path,note,requirements"
    );
    let row = lines.next().expect("a row");
    assert!(
        row.starts_with("demo-gateway,patch-management,1/general,"),
        "{row}"
    );
    assert!(row.ends_with(",PLANT-SEC PAT-01"), "{row}");

    // Without mappings the column is there and empty.
    let tmp = tempfile::tempdir().expect("temp dir");
    minimal_tree(tmp.path());
    let csv = stdout(&run(
        tmp.path(),
        &["evidence", "--format", "csv", "--today", TODAY],
    ));
    let row = csv.lines().nth(1).expect("a row");
    assert!(row.ends_with(','), "{row}");
    assert_eq!(row.matches(',').count(), 17, "{row}");
}

/// Only values that name a selected mapping's framework are checked: the framework alone,
/// another framework, and a longer framework name sharing the prefix pass; the longest name
/// that fits is the one meant.
#[test]
fn unknown_requirement_checks_only_citations_of_a_selected_framework() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    tree_selecting(dir, "mappings/plant.yaml");
    let practice = "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n    standard: PLANT-SEC\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    standard: PLANT-SECURE 9\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    standard: ISO/IEC 27001:2022 A.8.8\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    standard: \"PLANT-SEC PAT-01\"\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    standard: \"PLANT-SEC:pat-01\"\n---\n# Patch management\n";
    write_tree(
        dir,
        &[
            ("mappings/plant.yaml", GOOD_MAPPING),
            ("hardening/patch-management.md", practice),
        ],
    );
    let (code, json) = check_json(dir, &[]);
    assert_eq!(code, 0);
    let found = findings_with_messages(&json);
    assert_eq!(
        found.iter().map(|(a, _, _)| a.as_str()).collect::<Vec<_>>(),
        vec!["unknown-requirement hardening/patch-management.md:21"],
        "{found:#?}"
    );
    assert!(found[0].2.contains("did you mean `PAT-01`?"), "{found:#?}");
}

/// A `standard:` value must name one mapping: a second mapping of the same framework is a
/// finding at its value and is not used; a profile selects at most 16 mappings.
#[test]
fn one_mapping_per_framework_and_at_most_sixteen() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path();
    tree_selecting(
        dir,
        "builtin:example, mappings/plant.yaml, mappings/again.yaml",
    );
    write_tree(
        dir,
        &[
            ("mappings/plant.yaml", GOOD_MAPPING),
            (
                "mappings/again.yaml",
                &GOOD_MAPPING.replace("PLANT-SEC", "EXAMPLE-PSB"),
            ),
        ],
    );
    let (_, json) = check_json(dir, &[]);
    let found = findings_with_messages(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].0, "catalogue-invalid profile.md:10");
    assert!(
        found[0]
            .1
            .contains("maps framework `EXAMPLE-PSB` too, which `builtin:example` already maps"),
        "{found:#?}"
    );
    let report = report_json(dir);
    let frameworks: Vec<&str> = report["profiles"][0]["crosswalks"]
        .as_array()
        .expect("crosswalks")
        .iter()
        .map(|c| c["framework"].as_str().unwrap_or("?"))
        .collect();
    assert_eq!(frameworks, vec!["EXAMPLE-PSB", "PLANT-SEC"]);

    let mut files = Vec::new();
    for i in 0..17 {
        files.push((
            format!("mappings/m{i}.yaml"),
            GOOD_MAPPING.replace("PLANT-SEC", &format!("F{i}")),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    write_tree(dir, &refs);
    let list: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    tree_selecting(dir, &list.join(", "));
    let (_, json) = check_json(dir, &[]);
    let found = findings_with_messages(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0].1.contains("at most 16 mappings"), "{found:#?}");
    let report = report_json(dir);
    assert_eq!(
        report["profiles"][0]["crosswalks"].as_array().map(Vec::len),
        Some(16)
    );
}

#[test]
fn evidence_whose_file_does_not_exist_cites_no_requirement_even_waived() {
    let dir = tempfile::tempdir().expect("temp dir");
    tree_selecting(dir.path(), "mappings/plant.yaml");
    write_tree(
        dir.path(),
        &[
            ("mappings/plant.yaml", GOOD_MAPPING),
            (
                "hardening/patch-management.md",
                "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n  - path: ../evidence/not-there.md\n    kind: test\n    reviewed: 2026-09-15\n    standard: \"PLANT-SEC PAT-01\"\nwaivers:\n  - rule: evidence-not-found\n    reason: The test log moves to the wiki next month\n    expires: 2027-01-31\n---\n# Patch management\n",
            ),
        ],
    );
    let (code, json) = check_json(dir.path(), &[]);
    assert_eq!(code, 0, "{json:#}");
    let report = report_json(dir.path());
    let c = &report["profiles"][0]["crosswalks"][0];
    assert_eq!(c["requirements"][0]["id"], "PAT-01", "{c:#}");
    assert_eq!(c["cited"], 0, "{c:#}");
    assert_eq!(c["requirements"][0]["cited_by"], Value::Array(Vec::new()));
}

#[test]
fn a_framework_name_in_another_case_or_spacing_is_still_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    tree_selecting(dir.path(), "m/a.yaml");
    write_tree(
        dir.path(),
        &[(
            "m/a.yaml",
            "framework: IEC 62443\nversion: \"1\"\nrequirements:\n  - id: SR 1.1\n    title: t\n  - id: \"SR 1.2\"\n    title: u\nentries:\n  - {practice: patch-management, level: 1, requirement: SR 1.1}\n",
        )],
    );
    let doc = dir.path().join("hardening/patch-management.md");
    let original = std::fs::read_to_string(&doc).expect("read");
    let with_standard = |standard: &str| {
        let text = original.replace(
            "    reviewed: 2026-09-15\n",
            &format!("    reviewed: 2026-09-15\n    standard: \"{standard}\"\n"),
        );
        std::fs::write(&doc, text).expect("write");
        let (_, json) = check_json(dir.path(), &[]);
        findings_with_messages(&json)
            .into_iter()
            .filter(|(at, _, _)| at.starts_with("unknown-requirement "))
            .map(|(_, message, help)| (message, help))
            .collect::<Vec<_>>()
    };
    for standard in ["iec 62443 SR 9", "IEC  62443 SR 9", "Iec 62443: SR 9"] {
        let found = with_standard(standard);
        assert_eq!(found.len(), 1, "{standard}: {found:?}");
        assert!(found[0].0.contains("`SR 9`"), "{standard}: {found:?}");
    }
    // A listed id cites it whatever the framework name's case; the id itself is compared as
    // the mapping writes it, a case-only difference suggested.
    assert_eq!(with_standard("iec  62443 SR 1.1"), Vec::new());
    let report = report_json(dir.path());
    assert_eq!(report["profiles"][0]["crosswalks"][0]["cited"], 1);
    let found = with_standard("IEC 62443 sr 1.1");
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].1.contains("`SR 1.1`"), "{found:?}");
    // Another framework whose name starts alike is not this one.
    assert_eq!(with_standard("IEC 62443-2-1 SR 9"), Vec::new());
    assert_eq!(with_standard("IEC62443 SR 9"), Vec::new());
}
