//! Bounded work on hostile input: "did you mean" over huge or adversarial candidate lists,
//! directories reached through links, and long catalogue chains. Time ceilings, on CPU time
//! where `/usr/bin/time` measures it, are generous (the tests run the debug build in parallel on
//! a shared machine) yet far below what unbounded work costs
//! on the same input; counts are asserted where they tell more than time.

use crate::common::{TIME_FORMAT, TODAY, time_figures};
use serde_json::Value;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run is killed after this long: the unbounded code took minutes to hours here.
const KILL_AFTER: Duration = Duration::from_secs(120);

struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// CPU time when `/usr/bin/time` measured the run, else wall-clock time.
    work: Duration,
}

/// Runs `smm-lint ARGS` in `dir` with output to files (a big report cannot stall a pipe),
/// killed after [`KILL_AFTER`].
fn run_timed(dir: &Path, args: &[&str]) -> Outcome {
    let out_dir = tempfile::tempdir().expect("temp dir for the output");
    let stdout_path = out_dir.path().join("stdout");
    let stderr_path = out_dir.path().join("stderr");
    let figures_path = out_dir.path().join("time");
    let time = Path::new("/usr/bin/time");
    let mut command = if time.exists() {
        let mut c = Command::new(time);
        c.arg("-f").arg(TIME_FORMAT).arg("-o").arg(&figures_path);
        c.arg(env!("CARGO_BIN_EXE_smm-lint"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_smm-lint"))
    };
    let start = Instant::now();
    let mut child = command
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&stdout_path).expect("stdout file"))
        .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
        .spawn()
        .expect("the binary starts");
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break Some(status);
        }
        if start.elapsed() > KILL_AFTER {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let read = |p: &Path| {
        let mut bytes = Vec::new();
        let _ = std::fs::File::open(p).and_then(|mut f| f.read_to_end(&mut bytes));
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Outcome {
        code: status.and_then(|s| s.code()),
        stdout: read(&stdout_path),
        stderr: read(&stderr_path),
        work: time_figures(&read(&figures_path)).map_or(start.elapsed(), |(cpu, _)| cpu),
    }
}

/// `check sys --format json` in `dir`: exit 0 or 1 within `ceiling`, and the JSON.
fn check_within(dir: &Path, ceiling: Duration) -> Value {
    let out = run_timed(dir, &["check", "sys", "--format", "json", "--today", TODAY]);
    assert!(
        out.work < ceiling,
        "took {:?}, above the ceiling of {ceiling:?}",
        out.work
    );
    assert!(
        matches!(out.code, Some(0 | 1)),
        "exit {:?}\nstderr: {}",
        out.code,
        out.stderr
    );
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", out.stdout, out.stderr))
}

fn diagnostics(json: &Value) -> Vec<&Value> {
    json["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
        .iter()
        .collect()
}

fn with_rule<'a>(json: &'a Value, rule: &str) -> Vec<&'a Value> {
    diagnostics(json)
        .into_iter()
        .filter(|d| d["rule"] == rule)
        .collect()
}

fn text(d: &Value, key: &str) -> String {
    d[key].as_str().unwrap_or_default().to_owned()
}

const PROFILE: &str = "---\nprofile: sys\nsystem: Demo\nindustry: energy\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n# Profile\n";

/// A git repository holding the minimal clean profile `sys`: one practice with one evidence
/// item, as the reproducers of these defects start from.
fn minimal_repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    let repo = tmp.path();
    crate::common::write_tree(
        repo,
        &[
            ("sys/profile.md", PROFILE),
            (
                "sys/hardening/patch-management.md",
                &practice(
                    "1/general",
                    "  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n    reviewed: 2026-09-15\n",
                ),
            ),
            (
                "sys/evidence/patching.md",
                "# Patching\n## Monthly window\ntext\n",
            ),
        ],
    );
    let git = Command::new("git")
        .args(["init", "-q"])
        .current_dir(repo)
        .status()
        .expect("git runs");
    assert!(git.success());
    tmp
}

fn practice(current: &str, evidence: &str) -> String {
    format!(
        "---\npractice: patch-management\ncurrent: {current}\nassessed: 2026-10-02\nevidence:\n{evidence}---\n# Patch management\n"
    )
}

fn write(repo: &Path, path: &str, content: &str) {
    let path = repo.join(path);
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
    std::fs::write(path, content).expect("write");
}

/// The same characters in a different order for each seed: the shape that makes a diff cost
/// the product of the lengths, and that passes every filter on characters alone.
fn shuffled(seed: u64, len: usize) -> String {
    let alphabet: Vec<char> = "abcdefghijklmnopqrstuvwxyz0123456789".chars().collect();
    let mut out: Vec<char> = (0..len).map(|i| alphabet[i % alphabet.len()]).collect();
    let mut state = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out.into_iter().collect()
}

// ---------------------------------------------------------------------------------------------
// Anchors: a wrong anchor into a large file of long, shuffled headings.

fn anchor_items(file: &str, anchors: &[String]) -> String {
    anchors
        .iter()
        .map(|a| format!("  - path: ../evidence/{file}#{a}\n    kind: procedure\n"))
        .collect()
}

#[test]
fn wrong_anchors_into_a_megabyte_of_long_shuffled_headings_are_bounded() {
    let tmp = minimal_repo();
    let repo = tmp.path();
    // 900 headings of 1,000 characters (0.9 MB), and 900 of 250, the longest a word may be and
    // still get suggestions.
    let long: String = (0..900)
        .map(|i| format!("# {}\n\n", shuffled(i, 1000)))
        .collect();
    let short: String = (0..900)
        .map(|i| format!("# {}\n\n", shuffled(i, 250)))
        .collect();
    write(repo, "sys/evidence/long.md", &long);
    write(
        repo,
        "sys/evidence/short.md",
        &format!("{short}## Monthly window\n"),
    );
    let long_anchors: Vec<String> = (0..4).map(|i| shuffled(10_000 + i, 1000)).collect();
    let short_anchors: Vec<String> = (0..4).map(|i| shuffled(20_000 + i, 250)).collect();
    let mut items = anchor_items("long.md", &long_anchors);
    items += &anchor_items("short.md", &short_anchors);
    // An ordinary typo in the same large file still gets its suggestion.
    items += &anchor_items("short.md", &["monthly-windw".to_owned()]);
    write(
        repo,
        "sys/hardening/patch-management.md",
        &practice("1/general", &items),
    );
    let json = check_within(repo, Duration::from_secs(20));
    let missing = with_rule(&json, "evidence-anchor-not-found");
    assert_eq!(missing.len(), 9, "{json:#}");
    let typo = missing
        .iter()
        .find(|d| text(d, "message").contains("monthly-windw"))
        .expect("the typo is reported");
    assert!(
        text(typo, "help").contains("did you mean `monthly-window`?"),
        "{typo:#}"
    );
}

/// Many missing anchors into one file of many short headings: the file's candidates are
/// prepared once per run, not once per missing anchor, and a file past the heading limit gets
/// no suggestion at all (the unbounded code sorted and prepared every heading for each anchor:
/// 41 s for 400 anchors into 130,000 headings).
#[test]
fn many_missing_anchors_into_a_file_of_many_headings_are_bounded() {
    let tmp = minimal_repo();
    let repo = tmp.path();
    let headings: String = (0..4_000).map(|i| format!("# h{i:06}x\n")).collect();
    write(
        repo,
        "sys/evidence/many.md",
        &format!("{headings}## Monthly window\n"),
    );
    let huge: String = (0..60_000).map(|i| format!("# h{i:06}y\n")).collect();
    write(repo, "sys/evidence/huge.md", &huge);
    let wrong: Vec<String> = (0..590).map(|i| format!("h{i:06}z")).collect();
    let mut items = anchor_items("many.md", &wrong);
    items += &anchor_items("huge.md", &wrong[..400]);
    items += &anchor_items("many.md", &["monthly-windw".to_owned()]);
    write(
        repo,
        "sys/hardening/patch-management.md",
        &practice("1/general", &items),
    );
    let json = check_within(repo, Duration::from_secs(30));
    let missing = with_rule(&json, "evidence-anchor-not-found");
    assert_eq!(missing.len(), 991, "{:?}", missing.first());
    let typo = missing
        .iter()
        .find(|d| text(d, "message").contains("monthly-windw"))
        .expect("the typo is reported");
    assert!(
        text(typo, "help").contains("did you mean `monthly-window`?"),
        "{typo:#}"
    );
    let in_huge = missing
        .iter()
        .find(|d| text(d, "message").contains("huge.md"))
        .expect("an anchor into the huge file");
    assert!(
        !text(in_huge, "help").contains("did you mean"),
        "{in_huge:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// Missing files: "did you mean" over a directory of many entries.

#[test]
fn missing_files_in_a_directory_of_twenty_thousand_entries_are_bounded() {
    let tmp = minimal_repo();
    let repo = tmp.path();
    let many = repo.join("sys/evidence/many");
    std::fs::create_dir_all(&many).expect("mkdir");
    for i in 0..20_000 {
        std::fs::File::create(many.join(format!("record-{i:06}.txt"))).expect("create");
    }
    write(repo, "sys/evidence/few/record-000001.txt", "");
    let mut items: String = (0..200)
        .map(|i| format!("  - path: ../evidence/many/record-{i:06}.tx\n    kind: record\n"))
        .collect();
    items += "  - path: ../evidence/few/record-000001.tx\n    kind: record\n";
    write(
        repo,
        "sys/hardening/patch-management.md",
        &practice("1/general", &items),
    );
    let json = check_within(repo, Duration::from_secs(15));
    let missing = with_rule(&json, "evidence-not-found");
    assert_eq!(missing.len(), 201, "{json:#}");
    // The huge directory is not ranked; the small one still is.
    let suggested: Vec<String> = missing
        .iter()
        .map(|d| text(d, "help"))
        .filter(|h| h.contains("did you mean"))
        .collect();
    assert_eq!(
        suggested,
        ["did you mean `../evidence/few/record-000001.txt`?"]
    );
}

// ---------------------------------------------------------------------------------------------
// Unknown ids against a large custom catalogue.

#[test]
fn unknown_targets_against_a_large_catalogue_are_bounded() {
    let tmp = minimal_repo();
    let repo = tmp.path();
    // As many practices as a catalogue may hold (the built-in entries count too).
    let practices: String = (0..960)
        .map(|i| {
            format!(
                "  - id: practice-number-{i}\n    subdomain: sx\n    name: P\n    objective: O\n"
            )
        })
        .collect();
    write(
        repo,
        "sys/cat.yaml",
        &format!(
            "id: big\nextends: iic-smm\nsubdomains:\n  - id: sx\n    domain: hardening\n    name: S\n    objective: O\npractices:\n{practices}"
        ),
    );
    let mut targets: String = (0..4000)
        .map(|i| format!("  zz-{i}-qq: 0/general\n"))
        .collect();
    targets += "  practice-numbr-424: 0/general\n";
    let profile = PROFILE
        .replace("profile: sys\n", "profile: sys\nmodel: cat.yaml\n")
        .replace("targets:\n", &format!("targets:\n{targets}"));
    write(repo, "sys/profile.md", &profile);
    let json = check_within(repo, Duration::from_secs(30));
    let unknown = with_rule(&json, "unknown-id");
    assert_eq!(unknown.len(), 4001, "{:?}", unknown.first());
    let typo = unknown
        .iter()
        .find(|d| text(d, "message").contains("practice-numbr-424"))
        .expect("the typo is reported");
    assert!(
        text(typo, "help").contains("`practice-number-424`"),
        "{typo:#}"
    );
    assert!(unknown.iter().all(
        |d| text(d, "help").contains("did you mean") || text(d, "help").contains("closest ids")
    ));
}

/// A catalogue past the entry limit is an error, not a cost paid once per profile and entry:
/// many small profiles on a huge catalogue once took gigabytes and a 200 MB job summary.
#[test]
fn a_catalogue_past_the_entry_limit_is_an_error() {
    let tmp = minimal_repo();
    let repo = tmp.path();
    let practices: String = (0..1_000)
        .map(|i| format!("  - id: p-{i}\n    subdomain: sx\n    name: P\n    objective: O\n"))
        .collect();
    write(
        repo,
        "sys/cat.yaml",
        &format!(
            "id: big\nextends: iic-smm\nsubdomains:\n  - id: sx\n    domain: hardening\n    name: S\n    objective: O\npractices:\n{practices}"
        ),
    );
    let profile = PROFILE.replace("profile: sys\n", "profile: sys\nmodel: cat.yaml\n");
    write(repo, "sys/profile.md", &profile);
    let out = run_timed(
        repo,
        &["check", "sys", "--format", "json", "--today", TODAY],
    );
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let invalid = with_rule(&json, "catalogue-invalid");
    assert!(
        invalid
            .iter()
            .any(|d| text(d, "message").contains("the limit is 1000")),
        "{json:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// Catalogue chains.

/// `n` catalogue files under sys/cat, each extending the next, the last extending iic-smm;
/// each adds one practice. The profile's model is the first.
fn chain(repo: &Path, n: usize) {
    for i in 0..n {
        let base = if i == n - 1 {
            "iic-smm".to_owned()
        } else {
            format!("c{}.yaml", i + 1)
        };
        write(
            repo,
            &format!("sys/cat/c{i}.yaml"),
            &format!(
                "id: c{i}\nextends: {base}\npractices:\n  - id: extra-{i}\n    subdomain: vulnerability-and-patch-management\n    name: Extra {i}\n    objective: O\n"
            ),
        );
    }
    let profile = PROFILE.replace("profile: sys\n", "profile: sys\nmodel: cat/c0.yaml\n");
    write(repo, "sys/profile.md", &profile);
}

#[test]
fn a_catalogue_chain_of_eight_thousand_files_is_an_error_not_a_crash() {
    let tmp = minimal_repo();
    let repo = tmp.path();
    chain(repo, 8000);
    let json = check_within(repo, Duration::from_secs(20));
    let invalid = with_rule(&json, "catalogue-invalid");
    assert_eq!(invalid.len(), 1, "{json:#}");
    let d = invalid[0];
    assert_eq!(d["severity"], "error");
    assert!(text(d, "message").contains("more than 16 deep"), "{d:#}");
    // At the `extends` key of the sixteenth file.
    assert!(text(d, "path").ends_with("c15.yaml"), "{d:#}");
    assert_eq!(d["line"], 2, "{d:#}");
}

#[test]
fn a_catalogue_chain_of_sixteen_files_loads_and_seventeen_does_not() {
    let tmp = minimal_repo();
    let repo = tmp.path();
    chain(repo, 16);
    let json = check_within(repo, Duration::from_secs(20));
    assert!(with_rule(&json, "catalogue-invalid").is_empty(), "{json:#}");
    // The deepest file's practice is known: every level was applied.
    write(
        repo,
        "sys/profile.md",
        &PROFILE
            .replace("profile: sys\n", "profile: sys\nmodel: cat/c0.yaml\n")
            .replace(
                "targets:\n",
                "targets:\n  extra-15: 0/general\n  extra-0: 0/general\n",
            ),
    );
    let json = check_within(repo, Duration::from_secs(20));
    assert!(with_rule(&json, "unknown-id").is_empty(), "{json:#}");

    let tmp = minimal_repo();
    chain(tmp.path(), 17);
    let json = check_within(tmp.path(), Duration::from_secs(20));
    assert_eq!(with_rule(&json, "catalogue-invalid").len(), 1, "{json:#}");
}

#[test]
fn two_profiles_on_one_chain_report_its_problems_once() {
    let tmp = minimal_repo();
    let repo = tmp.path();
    chain(repo, 3);
    // A problem in the deepest file, met from two profiles whose models enter the chain at
    // different files.
    write(
        repo,
        "sys/cat/c2.yaml",
        "id: c2\nextends: iic-smm\npractices:\n  - id: extra-2\n    subdomain: no-such-subdomain\n    name: E\n    objective: O\n",
    );
    let other = std::fs::read_to_string(repo.join("sys/profile.md"))
        .expect("read")
        .replace("profile: sys\n", "profile: other\n")
        .replace("cat/c0.yaml", "../sys/cat/c1.yaml");
    write(repo, "other/profile.md", &other);
    write(
        repo,
        "other/hardening/patch-management.md",
        &practice("0/general", ""),
    );
    let out = run_timed(repo, &["check", "--format", "json", "--today", TODAY]);
    let json: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let invalid = with_rule(&json, "catalogue-invalid");
    assert_eq!(invalid.len(), 1, "{json:#}");
    assert!(text(invalid[0], "path").ends_with("c2.yaml"));
}

// ---------------------------------------------------------------------------------------------
// The repository boundary for missing paths.

#[test]
fn names_and_existence_of_files_outside_never_leak_through_a_link() {
    let outside = tempfile::tempdir().expect("temp dir");
    for name in ["id_rsa", "known_hosts", "passwd"] {
        std::fs::write(outside.path().join(name), "secret").expect("write");
    }
    let tmp = minimal_repo();
    let repo = tmp.path();
    std::os::unix::fs::symlink(outside.path(), repo.join("sys/linkdir")).expect("symlink");
    // A dangling link whose target is outside, below the outward link.
    std::os::unix::fs::symlink("linkdir/gone", repo.join("sys/dangling")).expect("symlink");
    let items: String = [
        "../linkdir/id_rs",
        "../linkdir/known_host",
        "../linkdir/passwd",
        "../linkdir/nothere",
        "../dangling/x",
    ]
    .iter()
    .map(|p| format!("  - path: {p}\n    kind: record\n"))
    .collect();
    let body = "[a](../linkdir/passwd) [b](../linkdir/nothere) [c](../linkdir/id_rs)\n";
    write(
        repo,
        "sys/hardening/patch-management.md",
        &format!("{}{body}", practice("0/general", &items)),
    );
    let json = check_within(repo, Duration::from_secs(20));
    let outside_items = with_rule(&json, "evidence-outside-repo");
    assert_eq!(outside_items.len(), 5, "{json:#}");
    assert!(
        with_rule(&json, "evidence-not-found").is_empty(),
        "{json:#}"
    );
    let shape = |d: &Value, path: &str| {
        format!(
            "{} | {} | {}",
            text(d, "message").replace(path, "P"),
            text(d, "help"),
            text(d, "label")
        )
    };
    let existing = shape(outside_items[2], "../linkdir/passwd");
    let missing = shape(outside_items[3], "../linkdir/nothere");
    assert_eq!(existing, missing);
    assert!(
        existing.contains("leads out of the repository"),
        "{existing}"
    );
    let links = with_rule(&json, "link-broken");
    assert_eq!(links.len(), 3, "{json:#}");
    assert_eq!(
        shape(links[0], "../linkdir/passwd"),
        shape(links[1], "../linkdir/nothere")
    );
    // Nothing names a file that is only outside, in any output.
    for format in ["json", "human", "github", "sarif"] {
        let out = run_timed(
            repo,
            &["check", "sys", "--format", format, "--today", TODAY],
        );
        for secret in ["id_rsa", "known_hosts"] {
            assert!(
                !out.stdout.contains(secret) && !out.stderr.contains(secret),
                "{format} output names `{secret}`:\n{}{}",
                out.stdout,
                out.stderr
            );
        }
    }
}

#[test]
fn a_missing_file_inside_still_gets_its_suggestion() {
    let tmp = minimal_repo();
    let repo = tmp.path();
    write(
        repo,
        "sys/hardening/patch-management.md",
        &practice(
            "1/general",
            "  - path: ../evidence/patchng.md#monthly-window\n    kind: procedure\n",
        ),
    );
    let json = check_within(repo, Duration::from_secs(20));
    let missing = with_rule(&json, "evidence-not-found");
    assert_eq!(missing.len(), 1, "{json:#}");
    assert_eq!(
        text(missing[0], "help"),
        "did you mean `../evidence/patching.md`?"
    );
}
