//! `report --format xlsx`: exit codes, refusals, byte-identical runs, and the workbook's parts
//! (sheets, frozen headers, filters, no formula from document text). The values are read back
//! with openpyxl by `scripts/validate-xlsx`.

use crate::common::*;
use std::io::Read;
use std::path::Path;

/// `report --format xlsx --today TODAY --output OUTPUT [extra…]` in `dir`.
fn xlsx(dir: &Path, output: &Path, extra: &[&str]) -> std::process::Output {
    let output = output.to_str().expect("a UTF-8 temp path");
    let mut args = vec!["report", "--format", "xlsx", "--output", output];
    if !extra.contains(&"--today") {
        args.extend(["--today", TODAY]);
    }
    args.extend_from_slice(extra);
    run(dir, &args)
}

/// Every part of the workbook at `path`, by name.
fn parts(path: &Path) -> std::collections::BTreeMap<String, String> {
    let file = std::fs::File::open(path).expect("the workbook exists");
    let mut zip = zip::ZipArchive::new(file).expect("the workbook is a ZIP archive");
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    names
        .into_iter()
        .map(|name| {
            let mut text = String::new();
            zip.by_name(&name)
                .expect("a listed part")
                .read_to_string(&mut text)
                .expect("a part is UTF-8 XML");
            (name, text)
        })
        .collect()
}

/// The bottling line, with the plan action and an evidence note of one practice replaced.
fn hostile_tree(dir: &Path, action: &str, note: &str) {
    copy_tree(&repo().join("fixtures/bottling-line"), dir);
    let doc = dir.join("enablement/implementation-of-data-protection-controls.md");
    let text = std::fs::read_to_string(&doc).expect("read the practice");
    let text = text
        .replace(
            "action: Sign recipes at the MES gateway and verify the signature on the HMI before loading.",
            &format!("action: {action}"),
        )
        .replace(
            "note: Review of the recipe integrity test result.",
            &format!("note: {note}"),
        );
    std::fs::write(&doc, text).expect("write the practice");
}

#[test]
fn without_output_the_workbook_is_refused_before_any_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let out = run(
        dir.path(),
        &["report", "--format", "xlsx", "--today", TODAY],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "nothing binary on stdout");
    assert!(
        stderr(&out).contains("binary workbook") && stderr(&out).contains("--output"),
        "{}",
        stderr(&out)
    );
    // Refused before the tree is read: even a path that does not exist gets the same answer.
    let out = run(
        dir.path(),
        &[
            "report",
            "no-such-dir",
            "--format",
            "xlsx",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("binary workbook"), "{}", stderr(&out));
}

#[test]
fn the_workbook_is_written_and_the_same_bytes_on_every_run() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (out_dir.path().join("a.xlsx"), out_dir.path().join("b.xlsx"));
    let first = xlsx(&repo(), &a, &["fixtures/bottling-line"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    assert!(
        first.stdout.is_empty(),
        "the workbook goes to the file only"
    );
    // A second apart, so that a clock in the bytes would show.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let second = xlsx(&repo(), &b, &["fixtures/bottling-line"]);
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let (a, b) = (std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    assert!(a.starts_with(b"PK\x03\x04"), "a ZIP archive");
    assert!(a == b, "two runs give the same bytes");
}

#[test]
fn the_creation_date_is_the_report_date() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let (a, b) = (out_dir.path().join("a.xlsx"), out_dir.path().join("b.xlsx"));
    let first = xlsx(&repo(), &a, &["fixtures/bottling-line"]);
    assert_eq!(code(&first), 0, "{}", stderr(&first));
    let second = xlsx(
        &repo(),
        &b,
        &["fixtures/bottling-line", "--today", "2027-03-04"],
    );
    assert_eq!(code(&second), 0, "{}", stderr(&second));
    let core = |p: &Path| parts(p)["docProps/core.xml"].clone();
    assert!(
        core(&a).contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-21T00:00:00Z"),
        "{}",
        core(&a)
    );
    assert!(
        core(&b).contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2027-03-04T00:00:00Z"),
        "{}",
        core(&b)
    );
}

#[test]
fn every_sheet_has_a_frozen_header_and_a_filter() {
    let out_dir = tempfile::tempdir().expect("temp dir");
    let path = out_dir.path().join("report.xlsx");
    let out = xlsx(&repo(), &path, &["fixtures/bottling-line"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let parts = parts(&path);
    let workbook = &parts["xl/workbook.xml"];
    let mut at = 0;
    for name in ["Gap", "Roadmap", "Evidence", "Findings", "Profiles"] {
        let found = workbook[at..]
            .find(&format!("<sheet name=\"{name}\""))
            .unwrap_or_else(|| panic!("sheet {name} in order: {workbook}"));
        at += found + 1;
    }
    for n in 1..=5 {
        let sheet = &parts[&format!("xl/worksheets/sheet{n}.xml")];
        assert!(
            sheet.contains(
                "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
            ),
            "sheet {n}: frozen header row"
        );
        assert!(sheet.contains("<autoFilter ref=\"A1:"), "sheet {n}: filter");
        assert!(sheet.contains("<col "), "sheet {n}: column widths");
    }
    // The roadmap's due date is a number in a date format, not text.
    let roadmap = &parts["xl/worksheets/sheet2.xml"];
    let due = roadmap.find("<c r=\"G2\"").expect("a due cell");
    let cell = &roadmap[due..due + roadmap[due..].find("</c>").expect("cell end")];
    assert!(!cell.contains("t=\"s\""), "due is not a string: {cell}");
    assert!(
        cell.contains("<v>46873</v>"),
        "2028-04-30 as Excel's day 46873: {cell}"
    );
    assert!(
        parts["xl/styles.xml"].contains("formatCode=\"yyyy-mm-dd\""),
        "a date format"
    );
}

#[test]
fn document_text_is_never_a_formula_and_illegal_characters_are_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    hostile_tree(
        dir.path(),
        r#""=HYPERLINK(\"https://attacker.example/\",\"click\")""#,
        r#""+cmd|' /C calc'!A0 \a bell \x1b[31m red""#,
    );
    let path = dir.path().join("report.xlsx");
    let out = xlsx(dir.path(), &path, &["."]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let parts = parts(&path);
    for (name, text) in &parts {
        assert!(
            !text.contains("<f>") && !text.contains("<f "),
            "{name}: a formula"
        );
        assert!(
            !text.contains(['\u{7}', '\u{1b}']),
            "{name}: a control character"
        );
    }
    let strings = &parts["xl/sharedStrings.xml"];
    assert!(
        strings.contains("=HYPERLINK(&quot;https://attacker.example/&quot;,&quot;click&quot;)")
            || strings.contains("=HYPERLINK(\"https://attacker.example/\",\"click\")"),
        "the action, as text: {strings}"
    );
    assert!(
        strings.contains("+cmd|' /C calc'!A0 \u{FFFD} bell \u{FFFD}[31m red")
            || strings.contains("+cmd|&apos; /C calc&apos;!A0 \u{FFFD} bell \u{FFFD}[31m red"),
        "the note, its control characters replaced: {strings}"
    );
}

#[test]
fn a_text_longer_than_a_cell_is_cut_and_the_workbook_still_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let long = "x".repeat(40_000);
    hostile_tree(dir.path(), "Sign recipes.", &long);
    let path = dir.path().join("report.xlsx");
    let out = xlsx(dir.path(), &path, &["."]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let strings = &parts(&path)["xl/sharedStrings.xml"];
    let cut = format!("{}…<", "x".repeat(32_766));
    assert!(strings.contains(&cut), "the note cut at Excel's cell limit");
    assert!(!strings.contains(&"x".repeat(32_767)));
}

#[test]
fn a_broken_tree_still_gives_a_workbook_with_its_findings() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    write_tree(
        dir.path(),
        &[(
            "governance/threat-modeling.md",
            "---\npractice: threat-modeling\ncurrent: [unclosed\n---\n# Threat modeling\n",
        )],
    );
    let path = dir.path().join("report.xlsx");
    let out = xlsx(dir.path(), &path, &["."]);
    assert_eq!(code(&out), 0, "a report is not a gate: {}", stderr(&out));
    let parts = parts(&path);
    assert!(
        parts["xl/sharedStrings.xml"].contains("threat-modeling.md"),
        "the finding on the broken document is in the workbook"
    );
}

#[cfg(unix)]
#[test]
fn the_workbook_goes_through_the_one_writer() {
    // A symbolic link at the output name is replaced by the file; what it pointed at is left
    // as it was (as for every `--output`).
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    let outside = tempfile::tempdir().expect("temp dir");
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, "keep me").expect("write victim");
    let link = dir.path().join("report.xlsx");
    std::os::unix::fs::symlink(&victim, &link).expect("symlink");
    let out = xlsx(dir.path(), Path::new("report.xlsx"), &["."]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    let meta = std::fs::symlink_metadata(&link).expect("the output");
    assert!(
        meta.file_type().is_file(),
        "the link was replaced by the workbook"
    );
    assert!(std::fs::read(&link).expect("workbook").starts_with(b"PK"));
}

fn git(dir: &Path, day: &str, args: &[&str]) {
    git_in(dir, Some(day), args);
}

#[test]
fn with_since_the_history_is_a_sheet_of_its_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    minimal_tree(dir.path());
    git(dir.path(), "2026-09-01", &["init", "-q"]);
    git(dir.path(), "2026-09-01", &["add", "-A"]);
    git(
        dir.path(),
        "2026-09-01",
        &["commit", "-qm", "first assessment"],
    );
    let doc = dir.path().join("hardening/patch-management.md");
    let text = std::fs::read_to_string(&doc).expect("read");
    std::fs::write(
        &doc,
        text.replace("current: 1/general", "current: 0/general"),
    )
    .expect("write");
    git(
        dir.path(),
        "2026-10-01",
        &["commit", "-qam", "=cmd| level lowered"],
    );

    let out_dir = tempfile::tempdir().expect("temp dir");
    let path = out_dir.path().join("report.xlsx");
    let out = xlsx(dir.path(), &path, &[".", "--since", "2026-08-01"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let written = parts(&path);
    assert!(
        written["xl/workbook.xml"].contains("<sheet name=\"History\""),
        "{}",
        written["xl/workbook.xml"]
    );
    let sheet = &written["xl/worksheets/sheet6.xml"];
    assert!(sheet.contains("state=\"frozen\"") && sheet.contains("<autoFilter ref=\"A1:"));
    assert!(!sheet.contains("<f>"), "the subject is text, not a formula");
    assert!(written["xl/sharedStrings.xml"].contains("=cmd| level lowered"));
    // Two points, newest first: the commit dates as dates (2026-10-01 is day 46296).
    assert!(sheet.contains("<v>46296</v>"), "the newer point's date");

    // Without --since there is no History sheet; a --since that names nothing is an error.
    let plain = out_dir.path().join("plain.xlsx");
    let out = xlsx(dir.path(), &plain, &["."]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(!parts(&plain).contains_key("xl/worksheets/sheet6.xml"));
    let out = xlsx(dir.path(), &plain, &[".", "--since", "no-such-ref"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
}
