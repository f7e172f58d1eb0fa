//! `history`: the profile as of each commit that touched it, read from git objects.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

fn git_on(dir: &Path, day: Option<&str>, args: &[&str]) {
    git_in(dir, day, args);
}

fn git(dir: &Path, args: &[&str]) -> String {
    git_in(dir, None, args).trim().to_owned()
}

fn commit(dir: &Path, day: &str, message: &str) -> String {
    git_on(dir, Some(day), &["add", "-A"]);
    git_on(dir, Some(day), &["commit", "-qm", message]);
    git(dir, &["rev-parse", "HEAD"])
}

/// The scenario's commits, oldest first.
struct Scenario {
    dir: tempfile::TempDir,
    commits: Vec<String>,
}

/// The bottling-line profile under `line/`, then: a level raised, evidence added, a target
/// lowered, a plan date moved later, a document broken, and a commit outside the profile.
fn scenario() -> Scenario {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    copy_tree(&repo().join("fixtures/bottling-line"), &d.join("line"));
    std::fs::create_dir_all(d.join("other")).expect("mkdir");
    std::fs::write(d.join("other/notes.txt"), "x\n").expect("write");
    git_on(d, None, &["init", "-q"]);
    let mut commits = vec![commit(d, "2026-01-10", "baseline assessment")];
    git_on(d, None, &["tag", "baseline"]);
    edit(
        d,
        "line/hardening/patch-management.md",
        "current: 2/industry",
        "current: 3/industry",
    );
    commits.push(commit(d, "2026-02-10", "patch management raised"));
    edit(
        d,
        "line/enablement/access-control.md",
        "evidence:\n",
        "evidence:\n  - path: ../evidence/access-reviews.md#new-review\n    kind: review\n    reviewed: 2026-03-01\n",
    );
    commits.push(commit(d, "2026-03-10", "access review added"));
    edit(
        d,
        "line/profile.md",
        "patch-management: 2/industry",
        "patch-management: 1/industry",
    );
    commits.push(commit(d, "2026-04-10", "patch target lowered"));
    git_on(
        d,
        None,
        &["tag", "-a", "assessment-2026-q2", "-m", "second assessment"],
    );
    edit(
        d,
        "line/enablement/implementation-of-data-protection-controls.md",
        "due: 2028-04-30",
        "due: 2028-10-31",
    );
    commits.push(commit(d, "2026-05-10", "recipe signing later"));
    edit(
        d,
        "line/governance/threat-modeling.md",
        "current: 3/industry",
        "current: [3/industry",
    );
    commits.push(commit(d, "2026-06-10", "threat model half edited"));
    std::fs::write(d.join("other/notes.txt"), "y\n").expect("write");
    commit(d, "2026-07-10", "not about the profile");
    Scenario { dir, commits }
}

fn history(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["history", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("history JSON")
}

fn points(h: &Value) -> &Vec<Value> {
    h["points"].as_array().expect("points")
}

fn commits_of(h: &Value) -> Vec<String> {
    points(h)
        .iter()
        .map(|p| p["commit"].as_str().expect("commit").to_owned())
        .collect()
}

fn practice<'a>(point: &'a Value, id: &str) -> &'a Value {
    point["profiles"][0]["practices"]
        .as_array()
        .expect("practices")
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("practice {id}"))
}

fn rollup<'a>(point: &'a Value, id: &str) -> &'a Value {
    point["profiles"][0]["rollups"]
        .as_array()
        .expect("rollups")
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("rollup {id}"))
}

#[test]
fn every_commit_that_touched_the_profile_is_a_point_newest_first_with_its_levels() {
    let s = scenario();
    let d = s.dir.path();
    let status_before = git(d, &["status", "--porcelain"]);
    let index_before = std::fs::read(d.join(".git/index")).expect("index");
    let h = history(d, &["line"]);
    let mut expected = s.commits.clone();
    expected.reverse();
    assert_eq!(
        commits_of(&h),
        expected,
        "the commit outside the profile is no point"
    );
    assert_eq!(h["truncated"], false);
    let p = points(&h);
    let dates: Vec<&str> = p
        .iter()
        .map(|p| p["date"].as_str().expect("date"))
        .collect();
    assert_eq!(
        dates,
        [
            "2026-06-10",
            "2026-05-10",
            "2026-04-10",
            "2026-03-10",
            "2026-02-10",
            "2026-01-10"
        ]
    );
    assert_eq!(p[5]["subject"], "baseline assessment");
    assert_eq!(p[5]["tags"], serde_json::json!(["baseline"]));
    assert_eq!(p[2]["tags"], serde_json::json!(["assessment-2026-q2"]));
    assert_eq!(p[0]["profiles"][0]["path"], "line/profile.md");

    // Levels raised: patch management from 2/industry to 3/industry.
    let patch: Vec<(&Value, &Value)> = p
        .iter()
        .map(|p| {
            let pm = practice(p, "patch-management");
            (&pm["target"], &pm["current"])
        })
        .collect();
    assert_eq!(patch[5], (&"2/industry".into(), &"2/industry".into()));
    assert_eq!(patch[4], (&"2/industry".into(), &"3/industry".into()));
    // The target lowered at the fourth commit.
    assert_eq!(patch[2], (&"1/industry".into(), &"3/industry".into()));
    assert_eq!(practice(&p[4], "patch-management")["gap"], "above");
    assert_eq!(practice(&p[5], "patch-management")["gap"], "met");

    // Evidence added at the third commit.
    let locators = |point: &Value| -> Vec<String> {
        point["profiles"][0]["evidence"]
            .as_array()
            .expect("evidence")
            .iter()
            .filter(|e| e["practice"] == "access-control")
            .map(|e| e["locator"].as_str().expect("locator").to_owned())
            .collect()
    };
    assert!(!locators(&p[4]).contains(&"../evidence/access-reviews.md#new-review".to_owned()));
    assert!(locators(&p[3]).contains(&"../evidence/access-reviews.md#new-review".to_owned()));
    assert_eq!(locators(&p[3]).len(), locators(&p[4]).len() + 1);

    // The plan date moved later at the fifth commit.
    let due = |point: &Value| -> Value {
        point["profiles"][0]["plan"]
            .as_array()
            .expect("plan")
            .iter()
            .find(|i| i["practice"] == "implementation-of-data-protection-controls")
            .expect("the plan item")["due"]
            .clone()
    };
    assert_eq!(due(&p[2]), "2028-04-30");
    assert_eq!(due(&p[1]), "2028-10-31");

    // The broken document: unparsed, its levels and the rollups above it unknown.
    assert_eq!(
        p[0]["unparsed"],
        serde_json::json!(["line/governance/threat-modeling.md"])
    );
    let tm = practice(&p[0], "threat-modeling");
    assert_eq!(tm["document"], "unparsed");
    assert_eq!(tm["current"], Value::Null);
    assert_eq!(tm["target"], "3/industry", "the target is the profile's");
    assert_eq!(
        rollup(&p[0], "threat-modeling-and-risk-assessment")["current"],
        Value::Null
    );
    assert_eq!(rollup(&p[0], "governance")["current"], Value::Null);
    assert_eq!(practice(&p[1], "threat-modeling")["current"], "3/industry");
    assert_eq!(practice(&p[1], "threat-modeling")["document"], "parsed");
    assert!(rollup(&p[1], "governance")["current"].is_string());
    assert_eq!(p[1]["unparsed"], serde_json::json!([]));

    assert_eq!(git(d, &["status", "--porcelain"]), status_before);
    assert_eq!(
        std::fs::read(d.join(".git/index")).expect("index"),
        index_before,
        "the index is not written"
    );
}

#[test]
fn since_a_ref_starts_after_it_and_keeps_its_state_as_the_oldest_point() {
    let s = scenario();
    let d = s.dir.path();
    let h = history(d, &["line", "--since", &s.commits[2]]);
    let mut expected: Vec<String> = s.commits[2..].to_vec();
    expected.reverse();
    assert_eq!(commits_of(&h), expected);
    let h = history(d, &["line/profile.md", "--since", "baseline"]);
    assert_eq!(commits_of(&h).len(), 6);
    assert_eq!(commits_of(&h)[5], s.commits[0]);
}

#[test]
fn since_a_date_keeps_the_commits_dated_on_or_after_it() {
    let s = scenario();
    let h = history(s.dir.path(), &["line", "--since", "2026-03-10"]);
    let mut expected: Vec<String> = s.commits[2..].to_vec();
    expected.reverse();
    assert_eq!(commits_of(&h), expected);
}

#[test]
fn tags_keeps_only_the_tagged_commits() {
    let s = scenario();
    let h = history(s.dir.path(), &["line", "--tags"]);
    assert_eq!(commits_of(&h), [s.commits[3].clone(), s.commits[0].clone()]);
}

#[test]
fn max_commits_cuts_the_oldest_and_says_so() {
    let s = scenario();
    let h = history(s.dir.path(), &["line", "--max-commits", "2"]);
    assert_eq!(commits_of(&h), [s.commits[5].clone(), s.commits[4].clone()]);
    assert_eq!(h["truncated"], true);
    let h = history(s.dir.path(), &["line", "--max-commits", "6"]);
    assert_eq!(h["truncated"], false);
    let out = run(s.dir.path(), &["history", "--max-commits", "10001"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn outside_git_or_without_commits_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("fixtures/bottling-line"), dir.path());
    let out = run(dir.path(), &["history", "--format", "json"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("needs a git work tree"),
        "{}",
        stderr(&out)
    );
    git_on(dir.path(), None, &["init", "-q"]);
    let out = run(dir.path(), &["history", "--format", "json"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("no commits"), "{}", stderr(&out));
    git_on(dir.path(), Some("2026-01-01"), &["add", "-A"]);
    git_on(dir.path(), Some("2026-01-01"), &["commit", "-qm", "one"]);
    let out = run(dir.path(), &["history", "--since", "no-such-ref"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("neither a date"), "{}", stderr(&out));
}

#[test]
fn hostile_paths_huge_blobs_and_odd_subjects_are_read_safely() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    git_on(d, None, &["init", "-q"]);
    // A profile in a directory whose name holds a newline.
    let odd = d.join("odd\nname");
    std::fs::create_dir_all(&odd).expect("mkdir");
    std::fs::write(
        odd.join("profile.md"),
        "---\nprofile: odd\ntargets:\n  governance: 1/general\n---\n",
    )
    .expect("write");
    std::fs::write(
        odd.join("threat-modeling.md"),
        "---\npractice: threat-modeling\ncurrent: 1/general\n---\n",
    )
    .expect("write");
    commit(d, "2026-01-01", "odd profile");
    // The practice document grows past the size limit: unknown at that point, not guessed.
    let mut huge = String::from("---\npractice: threat-modeling\ncurrent: 2/general\n---\n");
    huge.push_str(&"padding line\n".repeat(100_000));
    std::fs::write(odd.join("threat-modeling.md"), huge).expect("write");
    git_on(d, Some("2026-02-01"), &["add", "-A"]);
    std::fs::write(d.join("message"), b"subject \xff\xfe not UTF-8\n").expect("write");
    git_on(d, Some("2026-02-01"), &["commit", "-q", "-F", "message"]);
    std::fs::remove_file(d.join("message")).expect("rm");
    let h = history(d, &[]);
    let p = points(&h);
    assert_eq!(p.len(), 2);
    assert_eq!(p[1]["profiles"][0]["path"], "odd\nname/profile.md");
    assert_eq!(practice(&p[1], "threat-modeling")["current"], "1/general");
    assert_eq!(
        p[0]["unparsed"],
        serde_json::json!(["odd\nname/threat-modeling.md"])
    );
    assert_eq!(practice(&p[0], "threat-modeling")["document"], "unparsed");
    assert_eq!(practice(&p[0], "threat-modeling")["current"], Value::Null);
    let subject = p[0]["subject"].as_str().expect("subject");
    assert!(subject.starts_with("subject "), "{subject:?}");
    // Git re-encodes the bytes (as Latin-1) or they are replaced: text either way.
    assert!(subject.ends_with(" not UTF-8"), "{subject:?}");
}

#[test]
fn output_goes_through_the_writer() {
    let s = scenario();
    let d = s.dir.path();
    let out = run(
        d,
        &["history", "line", "--format", "json", "--output", "h.json"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = std::fs::read_to_string(d.join("h.json")).expect("written");
    let h: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(points(&h).len(), 6);
}

/// A first assessment, then a level raised, a level lowered and evidence added, then a commit
/// that changes only prose.
fn assessed_twice() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    copy_tree(&repo().join("fixtures/bottling-line"), d);
    git_on(d, None, &["init", "-q"]);
    let mut commits = vec![commit(d, "2026-01-10", "first assessment")];
    edit(
        d,
        "hardening/patch-management.md",
        "current: 2/industry",
        "current: 3/industry",
    );
    edit(
        d,
        "governance/threat-modeling.md",
        "current: 3/industry",
        "current: 2/industry",
    );
    edit(
        d,
        "enablement/access-control.md",
        "evidence:\n",
        "evidence:\n  - path: ../evidence/access-reviews.md#new-review\n    kind: review\n    reviewed: 2026-03-01\n",
    );
    commits.push(commit(d, "2026-02-10", "second assessment"));
    edit(
        d,
        "profile.md",
        "This profile covers",
        "This profile describes",
    );
    commits.push(commit(d, "2026-03-10", "wording"));
    (dir, commits)
}

fn report_json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["report", "--format", "json", "--today", TODAY];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("report JSON")
}

#[test]
fn the_report_compares_with_the_previous_assessment_by_default() {
    let (dir, commits) = assessed_twice();
    let d = dir.path();
    let index_before = std::fs::read(d.join(".git/index")).expect("index");
    let r = report_json(d, &[]);
    let since = &r["profiles"][0]["since"];
    assert_eq!(
        since["commit"],
        commits[0].as_str(),
        "the prose-only commit is no assessment"
    );
    assert_eq!(since["date"], "2026-01-10");
    assert_eq!(
        since["raised"],
        serde_json::json!([{"practice": "patch-management", "name": "Patch management", "from": "2/industry", "to": "3/industry"}])
    );
    assert_eq!(since["lowered"][0]["practice"], "threat-modeling");
    assert_eq!(since["gaps_opened"][0]["practice"], "threat-modeling");
    assert_eq!(since["gaps_opened"][0]["to"], "1 level below");
    assert_eq!(
        since["evidence_added"],
        serde_json::json!([{"practice": "access-control", "locator": "../evidence/access-reviews.md#new-review"}])
    );
    assert_eq!(since["evidence_removed"], serde_json::json!([]));
    let md = stdout(&run(d, &["report", "--today", TODAY]));
    assert!(md.contains("## Since the last assessment"), "{md}");
    assert!(
        md.contains("Patch management 2/industry → 3/industry"),
        "{md}"
    );
    let html = stdout(&run(d, &["report", "--format", "html", "--today", TODAY]));
    assert!(html.contains("Since the last assessment"));
    assert!(html.contains(
        "Threat modeling <span class=\"id\">threat-modeling</span>: 3/industry → 2/industry"
    ));
    assert_eq!(
        std::fs::read(d.join(".git/index")).expect("index"),
        index_before
    );
    assert_eq!(git(d, &["status", "--porcelain"]), "");

    // The newest point's rollups are the report's, domain by domain and subdomain by subdomain.
    let h = history(d, &[]);
    let newest = &points(&h)[0];
    let mut compared = 0;
    for domain in r["profiles"][0]["domains"].as_array().expect("domains") {
        let rows = std::iter::once(domain).chain(domain["subdomains"].as_array().expect("subs"));
        for row in rows {
            let id = row["id"].as_str().expect("id");
            let point = rollup(newest, id);
            assert_eq!(point["target"], row["target"], "{id}");
            assert_eq!(point["current"], row["current"], "{id}");
            compared += 1;
        }
    }
    assert!(compared > 10, "{compared}");
}

#[test]
fn the_report_compares_with_the_ref_or_date_given() {
    let (dir, commits) = assessed_twice();
    let d = dir.path();
    let r = report_json(d, &["--since", &commits[1]]);
    let since = &r["profiles"][0]["since"];
    assert_eq!(since["commit"], commits[1].as_str());
    assert_eq!(since["raised"], serde_json::json!([]));
    let md = stdout(&run(
        d,
        &["report", "--today", TODAY, "--since", &commits[1]],
    ));
    assert!(md.contains("No level, target or evidence changed."), "{md}");
    let r = report_json(d, &["--since", "2026-02-01"]);
    assert_eq!(r["profiles"][0]["since"]["commit"], commits[0].as_str());
    let out = run(d, &["report", "--since", "no-such-ref"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn outside_git_the_report_has_no_since_section() {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo().join("fixtures/bottling-line"), dir.path());
    let r = report_json(dir.path(), &[]);
    assert!(r["profiles"][0].get("since").is_none());
    let md = stdout(&run(dir.path(), &["report", "--today", TODAY]));
    assert!(!md.contains("Since the last assessment"));
}

#[test]
fn each_point_uses_its_own_commits_catalogue_file_not_the_disks() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    copy_tree(&repo().join("fixtures/rules/catalogue-invalid/pass"), d);
    git_on(d, None, &["init", "-q"]);
    commit(d, "2026-01-10", "catalogue with two training practices");
    let path = d.join("catalogue.yaml");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str(
        "  - id: incident-drills\n    subdomain: training\n    name: Incident drills\n    aliases: []\n    objective: Rehearse the response to an incident.\n",
    );
    std::fs::write(&path, text).expect("write");
    commit(d, "2026-02-10", "a third training practice");
    // A third commit without the catalogue file: the profile cannot be built there.
    std::fs::rename(&path, d.join("moved.yaml")).expect("mv");
    commit(d, "2026-03-10", "catalogue moved away");
    // The work tree's catalogue is gone: the points must not depend on it.
    std::fs::remove_file(d.join("moved.yaml")).expect("rm");
    let h = history(d, &[]);
    let p = points(&h);
    assert_eq!(p.len(), 3);
    assert_eq!(p[0]["profiles"], serde_json::json!([]));
    assert_eq!(p[0]["unparsed"], serde_json::json!(["profile.md"]));
    let p = &p[1..];
    let ids = |point: &Value| -> Vec<String> {
        point["profiles"][0]["practices"]
            .as_array()
            .expect("practices")
            .iter()
            .map(|x| x["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert!(ids(&p[0]).contains(&"incident-drills".to_owned()));
    assert!(!ids(&p[1]).contains(&"incident-drills".to_owned()));
    assert!(ids(&p[1]).contains(&"security-awareness-training".to_owned()));
    assert_eq!(
        practice(&p[1], "security-awareness-training")["target"],
        "1/general"
    );
}

#[test]
fn a_shallow_clone_is_marked_truncated_and_says_how_to_fetch_the_rest() {
    let s = scenario();
    let clone = tempfile::tempdir().expect("temp dir");
    let url = format!("file://{}", s.dir.path().display());
    git_on(
        clone.path(),
        None,
        &["clone", "-q", "--depth", "2", &url, "shallow"],
    );
    let d = clone.path().join("shallow");
    let out = run(&d, &["history", "line", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let h: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(h["truncated"], true);
    assert!(points(&h).len() <= 2, "{}", points(&h).len());
    assert!(stderr(&out).contains("fetch-depth: 0"), "{}", stderr(&out));
    let full = history(s.dir.path(), &["line"]);
    assert_eq!(full["truncated"], false);
}

#[test]
fn each_point_uses_its_own_commits_configuration() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    git_on(d, None, &["init", "-q"]);
    std::fs::write(
        d.join("profile.md"),
        "---\nprofile: small\ntargets:\n  governance: 1/general\n---\n",
    )
    .expect("write");
    std::fs::write(
        d.join("threat-modeling.md"),
        format!(
            "---\npractice: threat-modeling\ncurrent: 1/general\n---\n{}",
            "Body text.\n".repeat(40)
        ),
    )
    .expect("write");
    commit(d, "2026-01-01", "profile");
    // A configuration that lowers the size limit below the practice document's size.
    std::fs::write(d.join(".smm-lint.yaml"), "limits:\n  max_file_bytes: 200\n").expect("write");
    commit(d, "2026-02-01", "a small size limit");
    std::fs::write(d.join(".smm-lint.yaml"), "limits: [not, a, map]\n").expect("write");
    commit(d, "2026-03-01", "a configuration that does not parse");
    // The work tree's configuration is removed: the run's own settings are the defaults.
    std::fs::remove_file(d.join(".smm-lint.yaml")).expect("rm");
    let h = history(d, &[]);
    let p = points(&h);
    assert_eq!(p.len(), 3);
    assert_eq!(practice(&p[2], "threat-modeling")["current"], "1/general");
    assert_eq!(practice(&p[1], "threat-modeling")["document"], "unparsed");
    assert_eq!(p[1]["unparsed"], serde_json::json!(["threat-modeling.md"]));
    // Unparsable there: the defaults apply, and the configuration is named.
    assert_eq!(practice(&p[0], "threat-modeling")["current"], "1/general");
    assert_eq!(p[0]["unparsed"], serde_json::json!([".smm-lint.yaml"]));
}

#[test]
fn a_blob_git_cannot_give_is_listed_not_left_out() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    git_on(d, None, &["init", "-q"]);
    std::fs::write(
        d.join("profile.md"),
        "---\nprofile: small\ntargets:\n  governance: 1/general\n---\n",
    )
    .expect("write");
    std::fs::write(
        d.join("threat-modeling.md"),
        "---\npractice: threat-modeling\ncurrent: 1/general\n---\n",
    )
    .expect("write");
    commit(d, "2026-01-01", "profile");
    let id = git(d, &["rev-parse", "HEAD:threat-modeling.md"]);
    let object = d.join(".git/objects").join(&id[..2]).join(&id[2..]);
    std::fs::remove_file(object).expect("the loose object");
    let h = history(d, &[]);
    let p = points(&h);
    assert_eq!(p[0]["unparsed"], serde_json::json!(["threat-modeling.md"]));
    assert_eq!(practice(&p[0], "threat-modeling")["current"], Value::Null);
}

/// The SMM cycle in one repository: targets set and approved, levels raised (one gap closed),
/// evidence added, a target lowered without a new sign-off, a plan date moved later and a level
/// lowered (one gap opened). The history gives each point's values in JSON and CSV and the
/// derived facts; `check` reports the stale sign-off at its line with the changed target; and
/// nothing in the work tree or the index changes.
#[test]
fn the_assessment_cycle_shows_in_the_history_the_facts_and_the_stale_sign_off() {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    copy_tree(&repo().join("fixtures/bottling-line"), &d.join("line"));
    git_on(d, None, &["init", "-q"]);
    let monitoring = "line/hardening/monitoring-practices.md";
    edit(d, monitoring, "current: 2/general", "current: 1/general");
    let approved = run(
        d,
        &[
            "approve",
            "--by",
            "Dana Reyes",
            "--date",
            "2026-01-09",
            "--today",
            "2026-01-10",
            "line",
        ],
    );
    assert_eq!(code(&approved), 0, "{}", stderr(&approved));
    let mut commits = vec![commit(d, "2026-01-10", "targets set and approved")];
    edit(
        d,
        "line/hardening/patch-management.md",
        "current: 2/industry",
        "current: 3/industry",
    );
    edit(d, monitoring, "current: 1/general", "current: 2/general");
    commits.push(commit(d, "2026-02-10", "patching and monitoring raised"));
    edit(
        d,
        "line/enablement/access-control.md",
        "evidence:\n",
        "evidence:\n  - path: ../evidence/access-reviews.md\n    kind: review\n    reviewed: 2026-03-01\n",
    );
    commits.push(commit(d, "2026-03-10", "access review added"));
    edit(
        d,
        "line/profile.md",
        "patch-management: 2/industry",
        "patch-management: 1/industry",
    );
    commits.push(commit(d, "2026-04-10", "patch target lowered"));
    edit(
        d,
        "line/enablement/implementation-of-data-protection-controls.md",
        "due: 2028-04-30",
        "due: 2028-10-31",
    );
    edit(
        d,
        "line/hardening/vulnerability-assessment.md",
        "current: 2/general",
        "current: 1/general",
    );
    commits.push(commit(
        d,
        "2026-05-10",
        "recipe signing later, scanning lapsed",
    ));
    let status_before = git(d, &["status", "--porcelain"]);
    let index_before = std::fs::read(d.join(".git/index")).expect("index");

    let h = history(d, &["line"]);
    let mut newest_first = commits.clone();
    newest_first.reverse();
    assert_eq!(commits_of(&h), newest_first);
    let p = points(&h);
    let current = |i: usize, id: &str| practice(&p[i], id)["current"].clone();
    let target = |i: usize, id: &str| practice(&p[i], id)["target"].clone();
    assert_eq!(current(4, "monitoring-practices"), "1/general");
    assert_eq!(
        practice(&p[4], "monitoring-practices")["gap"],
        "1 level below"
    );
    assert_eq!(current(3, "monitoring-practices"), "2/general");
    assert_eq!(current(4, "patch-management"), "2/industry");
    assert_eq!(current(3, "patch-management"), "3/industry");
    assert_eq!(target(2, "patch-management"), "2/industry");
    assert_eq!(target(1, "patch-management"), "1/industry");
    assert_eq!(current(0, "vulnerability-assessment"), "1/general");

    let facts = &h["facts"];
    let changed = |id: &str| -> Value {
        facts["last_changed"]
            .as_array()
            .expect("last_changed")
            .iter()
            .find(|c| c["practice"] == id)
            .unwrap_or_else(|| panic!("a last change of {id}: {facts}"))
            .clone()
    };
    assert_eq!(changed("patch-management")["commit"], commits[1].as_str());
    assert_eq!(changed("patch-management")["from"], "2/industry");
    assert_eq!(changed("patch-management")["to"], "3/industry");
    assert_eq!(changed("vulnerability-assessment")["date"], "2026-05-10");
    let practices_in = |key: &str| -> Vec<String> {
        facts[key]
            .as_array()
            .expect("facts")
            .iter()
            .map(|g| g["practice"].as_str().expect("practice").to_owned())
            .collect()
    };
    assert_eq!(practices_in("gaps_closed"), ["monitoring-practices"]);
    assert_eq!(practices_in("gaps_opened"), ["vulnerability-assessment"]);
    let slipped = facts["slipped"].as_array().expect("slipped");
    assert_eq!(slipped.len(), 1, "{facts}");
    assert_eq!(
        slipped[0]["practice"],
        "implementation-of-data-protection-controls"
    );
    assert_eq!(slipped[0]["first_due"], "2028-04-30");
    assert_eq!(slipped[0]["last_due"], "2028-10-31");
    assert_eq!(slipped[0]["times"], 1);

    // The same values as tidy CSV: one row per point and practice.
    let csv = run(d, &["history", "--format", "csv", "line"]);
    assert_eq!(code(&csv), 0, "{}", stderr(&csv));
    let csv = stdout(&csv);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "commit",
            "date",
            "tags",
            "profile",
            "domain",
            "subdomain",
            "practice",
            "target",
            "current",
            "applicable",
            "gap",
            "document"
        ]
    );
    assert_eq!(rows.len(), 1 + 5 * 18, "a row per point and practice");
    let cell = |commit: &str, id: &str, column: usize| -> String {
        rows.iter()
            .find(|r| r[0] == commit && r[6] == id)
            .unwrap_or_else(|| panic!("a row for {id} at {commit}"))[column]
            .to_owned()
    };
    assert_eq!(cell(&commits[0], "monitoring-practices", 8), "1/general");
    assert_eq!(cell(&commits[1], "monitoring-practices", 8), "2/general");
    assert_eq!(cell(&commits[3], "patch-management", 7), "1/industry");
    assert_eq!(cell(&commits[3], "patch-management", 9), "yes");

    // The target lowered without a new sign-off: a warning at the approval.
    let profile = std::fs::read_to_string(d.join("line/profile.md")).expect("profile");
    let line = 1 + profile
        .lines()
        .position(|l| l.starts_with("approved:"))
        .expect("approve wrote the approval");
    let check = run(
        d,
        &["check", "--format", "json", "--today", "2026-05-11", "line"],
    );
    let report: Value = serde_json::from_str(&stdout(&check)).expect("check JSON");
    let stale: Vec<&Value> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|f| f["rule"] == "approval-stale")
        .collect();
    assert_eq!(stale.len(), 1, "{report}");
    assert_eq!(stale[0]["path"], "line/profile.md");
    assert_eq!(stale[0]["line"], line);
    let message = stale[0]["message"].as_str().expect("message");
    assert!(
        message.contains("\"Dana Reyes\" on 2026-01-09"),
        "{message}"
    );
    assert!(
        message.contains("patch-management: 2/industry → 1/industry"),
        "{message}"
    );

    for format in ["md", "html"] {
        let out = run(d, &["history", "--format", format, "line"]);
        assert_eq!(code(&out), 0, "{format}: {}", stderr(&out));
        assert!(stdout(&out).contains("Patch management"), "{format}");
    }
    assert_eq!(git(d, &["status", "--porcelain"]), status_before);
    assert_eq!(
        std::fs::read(d.join(".git/index")).expect("index"),
        index_before,
        "the index is untouched"
    );
}
