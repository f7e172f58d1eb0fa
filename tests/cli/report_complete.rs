//! What the report carries beyond counts: per practice the assessor, findings with their
//! locations, waivers with their state, the not-applicable rationale, plan items with owners,
//! the catalogue's level texts and the narrative; per profile the owner and narrative; evidence
//! links that resolve; and an evidence index that lists every cited item.

use crate::common::*;
use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_json::Value;
use std::path::Path;

const WAIVER_REASON: &str = "The window log heading is renamed in the next release";
const PROFILE_NARRATIVE: &str = "The cell runs three shifts a day";
const PRACTICE_NARRATIVE: &str = "Patches wait for the vendor's qualification";
const RATIONALE: &str = "The gateway holds no data of its own";

/// A repository with one profile under `sys/`: patch-management below its target with a
/// waived finding, an unwaived one and an expired waiver; an n/a practice; a duplicate, an
/// unknown id and a document with a schema error, each citing evidence; and a practice
/// document outside any profile.
fn tree(dir: &Path) {
    std::fs::create_dir(dir.join(".git")).expect("repository root");
    write_tree(
        dir,
        &[
            (
                "sys/profile.md",
                "---\nprofile: demo\nsystem: Demo gateway\nindustry: energy\nowner: ot-lead@example.com\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 2/general\n---\n# Demo\n\nThe cell runs three shifts a day.\n\n<script>alert('profile')</script>\n",
            ),
            (
                "sys/hardening/patch-management.md",
                "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nassessor: k.novak@example.com\nevidence:\n  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n    note: Agreed with the line vendor\n  - path: ../evidence/patching.md#window-log\n    kind: record\n    reviewed: 2026-09-15\n  - path: ../evidence/missing.md\n    kind: record\n    reviewed: 2026-09-15\nplan:\n  - level: 2/general\n    due: 2027-03-31\n    action: Test patches in the lab first\n    owner: j.smith@example.com\nwaivers:\n  - rule: evidence-anchor-not-found\n    reason: The window log heading is renamed in the next release\n    expires: 2027-06-30\n  - rule: link-broken\n    reason: Old wiki\n    expires: 2026-01-01\n---\n# Patch management\n\nPatches wait for the vendor's qualification.\n\n<script>alert(1)</script>\n\nInline <img src=https://tracker.example/p.png> and [click](javascript:alert(2))\n",
            ),
            (
                "sys/hardening/zz-copy-of-patch-management.md",
                "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/duplicate.md\n    kind: record\n    reviewed: 2026-09-15\n---\n",
            ),
            (
                "sys/hardening/unknown.md",
                "---\npractice: zzz-no-such-practice\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/unknown.md\n    kind: record\n    reviewed: 2026-09-15\n---\n",
            ),
            (
                "sys/hardening/vulnerability-assessment.md",
                "---\npractice: vulnerability-assessment\ncurrent: banana\nassessed: 2026-10-01\nevidence:\n  - path: ../evidence/erroneous.md\n    kind: record\n    reviewed: 2026-09-15\n---\n",
            ),
            (
                "sys/enablement/security-model-and-policy-for-data.md",
                "---\npractice: security-model-and-policy-for-data\napplicable: false\nrationale: The gateway holds no data of its own\n---\n",
            ),
            (
                "other/orphan.md",
                "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-01\nevidence:\n  - path: ../sys/evidence/orphan.md\n    kind: record\n    reviewed: 2026-09-15\n---\n",
            ),
            (
                "sys/evidence/patching.md",
                "# Patching\n\n## Monthly window\n\nFirst Tuesday.\n",
            ),
            ("sys/evidence/duplicate.md", "# Duplicate\n"),
            ("sys/evidence/unknown.md", "# Unknown\n"),
            ("sys/evidence/erroneous.md", "# Erroneous\n"),
            ("sys/evidence/orphan.md", "# Orphan\n"),
        ],
    );
}

fn report(dir: &Path, format: &str, extra: &[&str]) -> String {
    let mut args = vec!["report", "sys", "--format", format, "--today", TODAY];
    args.extend_from_slice(extra);
    let out = run(dir, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

fn practice<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["profiles"][0]["domains"]
        .as_array()
        .expect("domains")
        .iter()
        .flat_map(|d| d["subdomains"].as_array().expect("subdomains"))
        .flat_map(|s| s["practices"].as_array().expect("practices"))
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("practice {id}"))
}

#[test]
fn json_carries_every_practice_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    tree(dir.path());
    let json: Value = serde_json::from_str(&report(dir.path(), "json", &[])).expect("JSON");
    let profile = &json["profiles"][0];
    assert_eq!(profile["owner"], "ot-lead@example.com");
    assert!(
        profile["narrative"]
            .as_str()
            .is_some_and(|n| n.contains(PROFILE_NARRATIVE))
    );
    let p = practice(&json, "patch-management");
    assert_eq!(p["assessor"], "k.novak@example.com");
    assert_eq!(p["assessed"], "2026-10-01");
    assert_eq!(p["target_description"]["name"], "Ad hoc");
    assert_eq!(p["current_description"]["name"], "Minimum");
    assert!(
        p["target_description"]["action"]
            .as_str()
            .is_some_and(|a| a.contains("maintenance windows")),
        "{}",
        p["target_description"]
    );
    let findings = p["finding_list"].as_array().expect("finding list");
    let missing = findings
        .iter()
        .find(|f| f["rule"] == "evidence-not-found")
        .expect("the missing file's finding");
    assert!(
        missing["message"]
            .as_str()
            .is_some_and(|m| m.contains("missing.md"))
    );
    assert_eq!(missing["line"], 14);
    assert!(
        missing["document"]
            .as_str()
            .is_some_and(|d| d.ends_with("patch-management.md"))
    );
    assert!(missing["waived"].is_null());
    let anchor = findings
        .iter()
        .find(|f| f["rule"] == "evidence-anchor-not-found")
        .expect("the waived finding");
    assert_eq!(anchor["waived"], WAIVER_REASON);
    let waivers = p["waivers"].as_array().expect("waivers");
    assert_eq!(waivers.len(), 2);
    assert_eq!(waivers[0]["rule"], "evidence-anchor-not-found");
    assert_eq!(waivers[0]["reason"], WAIVER_REASON);
    assert_eq!(waivers[0]["expires"], "2027-06-30");
    assert_eq!(waivers[0]["state"], "active");
    assert_eq!(waivers[1]["state"], "expired");
    let plan = p["plan"].as_array().expect("plan");
    assert_eq!(plan[0]["owner"], "j.smith@example.com");
    assert_eq!(plan[0]["due"], "2027-03-31");
    assert_eq!(plan[0]["action"], "Test patches in the lab first");
    assert!(
        p["narrative"]
            .as_str()
            .is_some_and(|n| n.contains(PRACTICE_NARRATIVE))
    );
    let na = practice(&json, "security-model-and-policy-for-data");
    assert_eq!(na["applicable"], false);
    assert_eq!(na["rationale"], RATIONALE);
}

#[test]
fn markdown_carries_every_practice_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    tree(dir.path());
    let md = report(dir.path(), "md", &[]);
    // Markdown escapes punctuation: compare on the text with the escapes removed.
    let plain = md.replace('\\', "");
    for expected in [
        "Owner | ot-lead@example.com",
        "Assessor: k.novak@example.com",
        "Assessed: 2026-10-01",
        "Target: 2/general — Ad hoc",
        "Current: 1/general — Minimum",
        "`evidence-not-found`",
        "does not exist",
        "`sys/hardening/patch-management.md:14`",
        "| Test patches in the lab first | j.smith@example.com |",
        WAIVER_REASON,
        "2027-06-30 | active",
        "2026-01-01 | expired",
        "j.smith@example.com",
        "Test patches in the lab first",
        RATIONALE,
        PROFILE_NARRATIVE,
        PRACTICE_NARRATIVE,
    ] {
        assert!(plain.contains(expected), "{expected:?} missing from:\n{md}");
    }
}

#[test]
fn html_carries_every_practice_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    tree(dir.path());
    let html = report(dir.path(), "html", &[]);
    for expected in [
        "ot-lead@example.com",
        "k.novak@example.com",
        "<strong>Ad hoc</strong>",
        "<strong>Minimum</strong>",
        "evidence-not-found",
        "sys/<wbr>hardening/<wbr>patch-management.md:14",
        "<td>Test patches in the lab first</td><td>j.smith@example.com</td>",
        "The window log heading is renamed in the next release",
        "2027-06-30",
        "active",
        "expired",
        "j.smith@example.com",
        "Test patches in the lab first",
        RATIONALE,
        PROFILE_NARRATIVE,
        "Patches wait for the vendor&#39;s qualification",
    ] {
        assert!(
            html.contains(expected),
            "{expected:?} missing from the page"
        );
    }
}

#[test]
fn raw_html_in_a_narrative_is_text_in_html_and_markdown() {
    let dir = tempfile::tempdir().expect("temp dir");
    tree(dir.path());
    let html = report(dir.path(), "html", &[]);
    assert!(!html.contains("<script"), "a script element in the page");
    assert!(!html.contains("<img"), "an image in the page");
    // The target may be named in a finding's message, never written as a link.
    assert!(!html.contains("href=\"javascript"), "a javascript: link");
    assert!(
        html.contains(" and click</p>"),
        "the link text stays, as text"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;script&gt;alert(&#39;profile&#39;)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=https://tracker.example/p.png&gt;"));

    let md = report(dir.path(), "md", &[]);
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(&md, options) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in:\n{md}"),
            Event::Start(Tag::Image { dest_url, .. }) => panic!("an image {dest_url:?}"),
            Event::Start(Tag::Link { dest_url, .. }) => assert!(
                dest_url.starts_with("sys/evidence/"),
                "a link {dest_url:?} that is not the report's own"
            ),
            _ => {}
        }
    }
    assert!(md.replace('\\', "").contains("<script>alert(1)</script>"));
}

#[test]
fn evidence_links_resolve_from_where_the_report_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    tree(dir.path());
    let json: Value = serde_json::from_str(&report(dir.path(), "json", &[])).expect("JSON");
    let first = json["profiles"][0]["evidence"]
        .as_array()
        .expect("evidence")
        .iter()
        .find(|r| r["anchor"] == "monthly-window")
        .expect("the first item");
    assert_eq!(first["repo_path"], "sys/evidence/patching.md");
    assert_eq!(first["href"], "sys/evidence/patching.md#monthly-window");

    std::fs::create_dir(dir.path().join("out")).expect("out dir");
    report(dir.path(), "md", &["--output", "out/report.md"]);
    let md = std::fs::read_to_string(dir.path().join("out/report.md")).expect("report");
    assert!(
        md.contains("[`sys/evidence/patching.md#monthly-window`](../sys/evidence/patching.md#monthly-window)"),
        "{md}"
    );
    let target = dir.path().join("out").join("../sys/evidence/patching.md");
    assert!(target.is_file(), "the link resolves");

    report(dir.path(), "html", &["--output", "out/report.html"]);
    let html = std::fs::read_to_string(dir.path().join("out/report.html")).expect("report");
    assert!(html.contains("<a href=\"../sys/evidence/patching.md#monthly-window\">"));
    // The missing file has no link: it shows as written.
    assert!(!html.contains("href=\"../sys/evidence/missing.md\""));
}

#[test]
fn the_evidence_index_lists_every_cited_item_with_the_waived_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    tree(dir.path());
    let out = run(
        dir.path(),
        &["evidence", ".", "--format", "json", "--today", TODAY],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    let rows = json["evidence"].as_array().expect("rows");
    let by_target = |suffix: &str| {
        rows.iter()
            .find(|r| r["target"].as_str().is_some_and(|t| t.ends_with(suffix)))
            .unwrap_or_else(|| panic!("{suffix} is not in the index: {rows:#?}"))
    };
    assert_eq!(by_target("duplicate.md")["practice"], "patch-management");
    assert_eq!(by_target("unknown.md")["practice"], "zzz-no-such-practice");
    assert_eq!(
        by_target("erroneous.md")["practice"],
        "vulnerability-assessment"
    );
    assert_eq!(by_target("orphan.md")["profile"], "");
    assert_eq!(rows.len(), 7, "{rows:#?}");
    let waived: Vec<bool> = rows
        .iter()
        .filter(|r| {
            r["document"]
                .as_str()
                .is_some_and(|d| d.ends_with("/patch-management.md"))
        })
        .map(|r| r["waived"] == true)
        .collect();
    assert_eq!(
        waived,
        [false, true, false],
        "only the anchor item is waived"
    );

    let out = run(
        dir.path(),
        &["evidence", ".", "--format", "csv", "--today", TODAY],
    );
    let csv = stdout(&out);
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    assert_eq!(header[4], "location", "the column once called target");
    assert!(!header.contains(&"target"));
    let waived_at = header
        .iter()
        .position(|h| *h == "waived")
        .expect("waived column");
    let anchor_row = csv
        .lines()
        .find(|l| l.contains("#window-log"))
        .expect("the waived item's row");
    assert_eq!(anchor_row.split(',').nth(waived_at), Some("yes"));
    for name in ["duplicate.md", "unknown.md", "erroneous.md", "orphan.md"] {
        assert!(csv.contains(name), "{name} missing from the CSV");
    }
    let note_at = header
        .iter()
        .position(|h| *h == "note")
        .expect("note column");
    let first = csv
        .lines()
        .find(|l| l.contains("#monthly-window"))
        .expect("the first item's row");
    assert_eq!(
        first.split(',').nth(note_at),
        Some("Agreed with the line vendor")
    );

    let out = run(
        dir.path(),
        &["evidence", ".", "--format", "md", "--today", TODAY],
    );
    let md = stdout(&out);
    assert!(md.contains("| waived |"));
    for name in ["duplicate.md", "unknown.md", "erroneous.md", "orphan.md"] {
        assert!(md.contains(name), "{name} missing from the Markdown index");
    }
}

#[test]
fn findings_of_documents_without_a_practice_section_are_listed() {
    let dir = tempfile::tempdir().expect("temp dir");
    tree(dir.path());
    let json: Value = serde_json::from_str(&report(dir.path(), "json", &[])).expect("JSON");
    let other = json["profiles"][0]["other_findings"]
        .as_array()
        .expect("other findings");
    let rules: Vec<(&str, &str)> = other
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("?"),
                f["document"].as_str().unwrap_or("?"),
            )
        })
        .collect();
    assert!(
        rules.contains(&("unknown-id", "sys/hardening/unknown.md")),
        "{rules:?}"
    );
    assert!(
        rules
            .iter()
            .any(|(_, d)| *d == "sys/hardening/zz-copy-of-patch-management.md"),
        "{rules:?}"
    );
    let md = report(dir.path(), "md", &[]);
    assert!(md.contains("## Other findings"));
    assert!(md.contains("`sys/hardening/unknown.md:2`"), "{md}");
    let html = report(dir.path(), "html", &[]);
    assert!(html.contains("<h4>Other findings</h4>"));
    assert!(html.contains("sys/<wbr>hardening/<wbr>unknown.md:2"));
}

/// A directory name is chosen by the pull request: a profile directory named
/// `javascript:…` must not turn the narrative's relative links into script, and a relative link
/// that climbs out of the repository is not kept.
#[test]
fn narrative_links_take_no_scheme_from_a_directory_and_stay_in_the_repository() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("repository root");
    let hostile = "javascript:alert(document.domain)";
    minimal_tree(&dir.path().join(hostile));
    let profile = dir.path().join(hostile).join("profile.md");
    let text = std::fs::read_to_string(&profile).expect("read");
    std::fs::write(
        &profile,
        format!("{text}\nSee [the policy](policy.md) and [a secret](../../../../etc/passwd).\n"),
    )
    .expect("write");
    let out = run(
        dir.path(),
        &[
            "report",
            "--format",
            "html",
            "--output",
            "report.html",
            "--today",
            TODAY,
            hostile,
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let html = std::fs::read_to_string(dir.path().join("report.html")).expect("the report");
    let hrefs: Vec<&str> = html
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(
        hrefs
            .iter()
            .all(|h| !h.to_ascii_lowercase().starts_with("javascript:")),
        "{hrefs:?}"
    );
    assert!(
        hrefs.contains(&"javascript%3Aalert%28document.domain%29/policy.md"),
        "{hrefs:?}"
    );
    assert!(hrefs.iter().all(|h| !h.contains("passwd")), "{hrefs:?}");
}

/// A narrative in the Markdown report is a block quote of text: lines that would make a heading
/// (a setext underline), a list or a rule stay text.
#[test]
fn a_markdown_narrative_makes_no_heading_list_or_rule() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("repository root");
    minimal_tree(dir.path());
    let profile = dir.path().join("profile.md");
    let text = std::fs::read_to_string(&profile).expect("read");
    std::fs::write(
        &profile,
        format!("{text}\nAll practices met\n===\n\nAlso met\n---\n\n- one\n+ two\n1. three\n2) four\n\n- - -\n"),
    )
    .expect("write");
    let out = run(
        dir.path(),
        &["report", ".", "--format", "md", "--today", TODAY],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let md = stdout(&out);
    // Inside the narrative's block quote, only paragraphs of text.
    let mut quoted = 0usize;
    let mut quoted_text = String::new();
    for event in Parser::new_ext(&md, Options::all()) {
        match event {
            Event::Start(Tag::BlockQuote(_)) => quoted += 1,
            Event::End(pulldown_cmark::TagEnd::BlockQuote(_)) => quoted -= 1,
            Event::Start(Tag::Heading { .. } | Tag::List(_) | Tag::Item) if quoted > 0 => {
                panic!("a heading or list from the narrative:\n{md}")
            }
            Event::Rule if quoted > 0 => panic!("a rule from the narrative:\n{md}"),
            Event::Text(t) if quoted > 0 => quoted_text.push_str(&t),
            _ => {}
        }
    }
    assert!(quoted_text.contains("All practices met"), "{quoted_text}");
    assert!(quoted_text.contains("==="), "{quoted_text}");
    assert!(quoted_text.contains("1. three"), "{quoted_text}");
    assert!(md.contains("All practices met"), "{md}");
}
