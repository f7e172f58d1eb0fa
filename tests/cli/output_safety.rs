//! Every string that reaches an output is made safe for that output: stderr and the action's log
//! (no workflow command from a file), the terminal (no escape sequence, bounded excerpts),
//! Markdown job summaries (no HTML, image, link or broken table), and a closed stdout (quiet,
//! with the findings' exit code).

use crate::common::*;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

/// A repository holding the minimal clean profile under `sys/`.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("repository root");
    minimal_tree(&dir.path().join("sys"));
    dir
}

fn append(path: &Path, text: &str) {
    let mut content = std::fs::read_to_string(path).expect("read");
    content.push_str(text);
    std::fs::write(path, content).expect("write");
}

/// The workflow commands a GitHub runner would act on in a log: lines split on CR and LF,
/// leading whitespace ignored, nothing between `::stop-commands::TOKEN` and `::TOKEN::`.
fn workflow_commands(log: &str) -> Vec<String> {
    let mut commands = Vec::new();
    let mut stopped: Option<String> = None;
    for line in log.split(['\r', '\n']) {
        let line = line.trim_start();
        if let Some(token) = &stopped {
            if line == format!("::{token}::") {
                stopped = None;
            }
            continue;
        }
        if let Some(token) = line.strip_prefix("::stop-commands::") {
            stopped = Some(token.to_owned());
        } else if line.starts_with("::") {
            commands.push(line.to_owned());
        }
    }
    commands
}

const INJECTED: &str = "::error file=sys/profile.md,line=1,title=PWNED::injected";

/// Configuration that quotes text back in a fatal error, each with a carriage return before a
/// workflow command.
fn hostile_configs() -> Vec<String> {
    vec![
        format!("rules:\n  \"x\\r{INJECTED}\": \"off\"\n"),
        format!("rules:\n  link-broken: \"x\\r{INJECTED}\"\n"),
        format!("evidence:\n  max_age_days:\n    \"x\\r{INJECTED}\": 3\n"),
        format!("rules:\n  \"x\\n  {INJECTED}\": \"off\"\n"),
        // Raw control characters in the file itself, in a key the parser quotes back.
        format!("rules:\n  x\r{INJECTED}: off\n"),
    ]
}

#[test]
fn configuration_text_in_a_fatal_error_starts_no_workflow_command() {
    for config in hostile_configs() {
        let dir = repository();
        std::fs::write(dir.path().join(".smm-lint.yaml"), &config).expect("write config");
        let out = run(dir.path(), &["check", "sys", "--format", "github"]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{config:?}: {err}");
        assert!(
            workflow_commands(&err).is_empty(),
            "{config:?} injected: {err:?}"
        );
        assert!(!err.contains('\r'), "{err:?}");
        assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");
        // The text is shown, its control character visible.
        assert!(err.lines().any(|l| l.contains('×')), "{err}");
        assert!(
            err.contains("\\r::error") || err.contains("\\n  ::error"),
            "{err}"
        );
    }
}

/// clap quotes a bad argument back; a file name passed without `--` is one.
#[test]
fn an_argument_quoted_in_an_error_starts_no_workflow_command() {
    let dir = repository();
    for arg in [
        format!("--x\r{INJECTED}"),
        format!("--x\n{INJECTED}"),
        format!("--x\n  {INJECTED}"),
    ] {
        let out = run(dir.path(), &["check", &arg]);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{err}");
        assert!(workflow_commands(&err).is_empty(), "{err:?}");
        assert!(
            err.contains("::error file"),
            "the argument is still shown: {err}"
        );
    }
    // Without a control character clap's own message is kept as it is.
    let out = run(dir.path(), &["check", "--bogus"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("\nUsage: smm-lint check"),
        "{}",
        stderr(&out)
    );
}

/// Runs scripts/action-check with `binary` as smm-lint in `dir`; returns (exit code, stdout,
/// stderr).
fn action_check(dir: &Path, binary: &Path, extra: &[(&str, &str)]) -> (i32, String, String) {
    let runner = tempfile::tempdir().expect("runner temp");
    let mut command = Command::new("bash");
    command
        .arg(repo().join("scripts/action-check"))
        .current_dir(dir)
        .env("SMM_LINT", binary)
        .env("INPUT_PATH", "sys")
        .env("INPUT_FAIL_ON", "error")
        .env("INPUT_SUMMARY", "true")
        .env("GITHUB_EVENT_NAME", "push")
        .env("GITHUB_OUTPUT", runner.path().join("output"))
        .env("GITHUB_STEP_SUMMARY", runner.path().join("summary"))
        .env("RUNNER_TEMP", runner.path())
        .env("NO_COLOR", "1");
    for (name, value) in extra {
        command.env(name, value);
    }
    let out = command.output().expect("bash runs");
    (code(&out), stdout(&out), stderr(&out))
}

#[test]
fn the_action_log_carries_no_workflow_command_from_configuration() {
    let dir = repository();
    std::fs::write(
        dir.path().join(".smm-lint.yaml"),
        format!("rules:\n  \"x\\r{INJECTED}\": \"off\"\n"),
    )
    .expect("write config");
    let sarif = dir.path().join("out.sarif");
    let sarif = sarif.to_str().expect("UTF-8 path");
    let binary = Path::new(env!("CARGO_BIN_EXE_smm-lint"));
    let (status, out, err) = action_check(dir.path(), binary, &[("INPUT_SARIF", sarif)]);
    assert_eq!(status, 2, "{out}\n{err}");
    for log in [&out, &err] {
        for command in workflow_commands(log) {
            assert!(
                command.starts_with("::error title=smm-lint::"),
                "a command that is not the action's own: {command:?}"
            );
        }
    }
    assert!(err.contains("PWNED"), "the message is still shown: {err}");
}

/// The script itself keeps whatever smm-lint writes on stderr inside a stop-commands block, even
/// raw carriage returns from a binary that did not escape them.
#[test]
fn the_action_script_quotes_stderr_inside_stop_commands() {
    let dir = repository();
    let stub = dir.path().join("stub-smm-lint");
    std::fs::write(
        &stub,
        format!(
            "#!/usr/bin/env bash\nprintf 'warning: x\\r{INJECTED}\\n  ::add-mask::y\\r::stop-commands::z' >&2\nfor a; do [[ $a == json ]] && echo '{{\"summary\":{{\"errors\":0,\"warnings\":0}}}}'; done\nexit 0\n"
        ),
    )
    .expect("write stub");
    let mut perms = std::fs::metadata(&stub).expect("stub").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
    std::fs::set_permissions(&stub, perms).expect("chmod");
    let (status, out, err) = action_check(dir.path(), &stub, &[]);
    assert_eq!(status, 0, "{out}\n{err}");
    assert!(err.contains("PWNED"), "{err}");
    assert!(workflow_commands(&out).is_empty(), "{out}");
    assert!(workflow_commands(&err).is_empty(), "{err:?}");
}

#[test]
fn terminal_escapes_in_documents_and_names_are_shown_escaped() {
    let dir = repository();
    let doc = dir.path().join("sys/hardening/patch-management.md");
    append(
        &doc,
        "\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]8;;https://evil.example/\u{7}click\u{1b}]8;;\u{7}\n[a\u{1b}[2Jb](gone.md)\n\u{9b}2J\n",
    );
    // A second practice document with escapes in its name and its id.
    let evil = "sys/hardening/x\u{1b}[31my\u{1b}]0;T\u{7}.md";
    let text = std::fs::read_to_string(&doc)
        .expect("read")
        .replace("practice: patch-management", "practice: \"pm\\e[2J\\r\"");
    std::fs::write(dir.path().join(evil), text).expect("write");
    let out = run(dir.path(), &["check", "sys", "--today", TODAY]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let human = stdout(&out);
    for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\r'] {
        assert!(!human.contains(raw), "raw {raw:?} in:\n{human}");
    }
    assert!(human.contains("\\u{1b}]52;c;cHduZWQ=\\u{7}"), "{human}");
    assert!(human.contains("╭─[sys/hardening/x\\u{1b}[31my\\u{1b}]0;T\\u{7}.md:"));
    assert!(human.contains("[a\\u{1b}[2Jb](gone.md)"), "{human}");
    assert!(human.contains("\\u{9b}2J"), "{human}");

    // pin --check names the documents; --diff shows their text.
    for args in [
        &["pin", "--check", "sys"][..],
        &["pin", "--diff", "sys"],
        &["check", "--diff", "sys", "--today", TODAY],
    ] {
        let out = run(dir.path(), args);
        let text = stdout(&out) + &stderr(&out);
        assert!(
            !text.contains('\u{1b}') && !text.contains('\u{7}'),
            "{args:?}: {text}"
        );
    }
    let pins = stdout(&run(dir.path(), &["pin", "--check", "sys"]));
    assert!(
        pins.contains("sys/hardening/x\\u{1b}[31my\\u{1b}]0;T\\u{7}.md:6: no pin"),
        "{pins}"
    );
}

#[test]
fn many_findings_on_one_long_line_print_a_bounded_report() {
    let dir = repository();
    append(
        &dir.path().join("sys/hardening/patch-management.md"),
        &format!("{}\n", "[a](b)".repeat(4000)),
    );
    let out = run(dir.path(), &["check", "sys", "--today", TODAY]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let human = stdout(&out);
    assert!(human.len() < 1_000_000, "{} bytes", human.len());
    assert_eq!(human.matches("`b` does not exist").count(), 4000);
    let longest = human.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 400, "a line of {longest} bytes");
    // Every finding still says where it is.
    assert!(human.contains("sys/hardening/patch-management.md:11:23995: `b` does not exist"));
}

#[test]
fn a_long_line_is_cut_around_its_span() {
    let dir = repository();
    let filler = "word ".repeat(2000);
    append(
        &dir.path().join("sys/hardening/patch-management.md"),
        &format!("{filler}[gone](gone.md) {filler}\n"),
    );
    let out = run(dir.path(), &["check", "sys", "--today", TODAY]);
    let human = stdout(&out);
    let line = human
        .lines()
        .find(|l| l.contains("[gone](gone.md)"))
        .expect("the link's line is shown");
    assert!(line.starts_with(" 11 │ …"), "{line}");
    assert!(line.ends_with('…'), "{line}");
    assert!(line.chars().count() < 120, "{line}");
    assert!(human.contains("╭─[sys/hardening/patch-management.md:11:10001]"));
    // The underline sits under the link in the cut line.
    let lines: Vec<&str> = human.lines().collect();
    let at = lines.iter().position(|l| *l == line).expect("line");
    let link_column = line.chars().position(|c| c == '[').expect("link");
    let underline = lines[at + 1];
    assert_eq!(
        underline.chars().position(|c| c == '─'),
        Some(link_column),
        "{line}\n{underline}"
    );
}

/// A profile whose every text field tries to become HTML, an image, a link, a code-span breakout
/// or a new table cell, with a custom catalogue whose names do the same.
fn hostile_markdown_tree() -> (tempfile::TempDir, Vec<&'static str>) {
    const ID: &str = "sys` <img src=https://tracker.example/p.png> `";
    const SYSTEM: &str = "<img src=https://tracker.example/s.png> [click](https://phish.example/)";
    const OWNER: &str = "<details><summary>x</summary> owner@example.com www.phish.example |";
    const ACTION: &str =
        "![x](https://tracker.example/md.png) <details> `a` | b \\ | c https://phish.example/";
    const STANDARD: &str = "<img src=https://tracker.example/st.png> [s](https://phish.example/)";
    const NAME: &str = "Evil <img src=https://tracker.example/p.png> ![x](https://tracker.example/md.png) [click me](https://phish.example/) <details>";
    const EVIDENCE: &str = "p|a`t<img src=x>h.md";
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect("repository root");
    let yaml = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\"));
    write_tree(
        dir.path(),
        &[
            (
                "sys/profile.md",
                &format!(
                    "---\nprofile: {}\nmodel: cat.yaml\nsystem: {}\nindustry: energy\nowner: {}\ntargets:\n  governance: 0/general\n  enablement: 0/general\n  hardening: 0+/general\n  patch-management: 1/general\n---\n# Profile\n",
                    yaml(ID),
                    yaml(SYSTEM),
                    yaml(OWNER)
                ),
            ),
            (
                "sys/cat.yaml",
                &format!(
                    "id: acme\nextends: iic-smm\ndomains:\n  - id: institutional\n    name: {}\nsubdomains:\n  - id: training\n    domain: institutional\n    name: {}\npractices:\n  - id: evil\n    subdomain: training\n    name: {}\n",
                    yaml(NAME),
                    yaml(NAME),
                    yaml(NAME)
                ),
            ),
            (
                "sys/hardening/patch-management.md",
                &format!(
                    "---\npractice: patch-management\ncurrent: 1/general\nassessed: 2026-10-02\nevidence:\n  - path: {}\n    kind: procedure\n    reviewed: 2026-09-15\n    standard: {}\nplan:\n  - level: 2/general\n    due: 2027-01-31\n    action: {}\n---\n# Patch management\n",
                    yaml(&format!("../evidence/{EVIDENCE}")),
                    yaml(STANDARD),
                    yaml(ACTION)
                ),
            ),
            (&format!("sys/evidence/{EVIDENCE}"), "# Evidence\n"),
        ],
    );
    (dir, vec![ID, SYSTEM, OWNER, ACTION, STANDARD, NAME])
}

/// Parses `markdown` as GitHub would (tables, strikethrough, task lists; HTML always on) and
/// asserts that it holds no HTML, image or link; returns each table cell's and heading's text.
fn inert_markdown(markdown: &str) -> Vec<String> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_MATH;
    let mut texts = Vec::new();
    let mut current: Option<String> = None;
    let (mut columns, mut cells) = (0, 0);
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Html(h) | Event::InlineHtml(h) => panic!("HTML {h:?} in:\n{markdown}"),
            Event::Start(Tag::Image { dest_url, .. }) => {
                panic!("an image {dest_url:?} in:\n{markdown}")
            }
            // The only links allowed are the report's own to evidence files: a relative path,
            // percent-encoded, with no scheme and nothing a document could smuggle in.
            Event::Start(Tag::Link { dest_url, .. })
                if dest_url.starts_with('/')
                    || !dest_url.bytes().all(|b| {
                        b.is_ascii_alphanumeric()
                            || matches!(b, b'%' | b'.' | b'_' | b'~' | b'/' | b'#' | b'-')
                    }) =>
            {
                panic!("a link {dest_url:?} in:\n{markdown}")
            }
            Event::InlineMath(m) | Event::DisplayMath(m) => panic!("math {m:?} in:\n{markdown}"),
            Event::Start(Tag::TableCell | Tag::Heading { .. }) => current = Some(String::new()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(text) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            Event::End(TagEnd::TableCell) => {
                cells += 1;
                texts.extend(current.take());
            }
            Event::End(TagEnd::Heading(_)) => texts.extend(current.take()),
            Event::End(TagEnd::TableHead) => (columns, cells) = (cells, 0),
            Event::End(TagEnd::TableRow) => {
                assert_eq!(cells, columns, "a row's cells in:\n{markdown}");
                cells = 0;
            }
            _ => {}
        }
    }
    texts
}

#[test]
fn markdown_outputs_show_document_text_as_written() {
    let (dir, hostile) = hostile_markdown_tree();
    let outputs = [
        &["check", "sys", "--today", TODAY, "--format", "summary-md"][..],
        &["report", "sys", "--today", TODAY, "--format", "md"],
        &["evidence", "sys", "--today", TODAY, "--format", "md"],
    ];
    let mut shown = Vec::new();
    for args in outputs {
        let out = run(dir.path(), args);
        assert!(matches!(code(&out), 0 | 1), "{args:?}: {}", stderr(&out));
        let markdown = stdout(&out);
        assert!(markdown.contains('|'), "{args:?}: {markdown}");
        let texts = inert_markdown(&markdown);
        // Each hostile value is one cell's (or heading's) text, whole: nothing split it.
        for value in &hostile {
            if texts.iter().any(|t| t.contains(value)) {
                shown.push(*value);
            }
        }
        // GitHub's extended autolinks need `://` or `www.` as written, or an address.
        for raw in ["https://", "www.phish", "owner@example"] {
            assert!(!markdown.contains(raw), "{raw} in {args:?}:\n{markdown}");
        }
    }
    for value in &hostile {
        assert!(shown.contains(value), "{value:?} is never shown whole");
    }
}

/// The same hostile text stays inert in the outputs that already escaped it.
#[test]
fn html_github_json_and_sarif_stay_safe_with_hostile_text() {
    let (dir, _) = hostile_markdown_tree();
    let html = stdout(&run(
        dir.path(),
        &["report", "sys", "--today", TODAY, "--format", "html"],
    ));
    for raw in ["<img", "<details", "<script", "javascript:"] {
        assert!(!html.contains(raw), "{raw} in the HTML report");
    }
    assert!(html.contains("&lt;img src=https://tracker.example/s.png&gt;"));
    let github = stdout(&run(
        dir.path(),
        &["check", "sys", "--today", TODAY, "--format", "github"],
    ));
    let commands = workflow_commands(&github);
    assert!(!commands.is_empty());
    for command in commands {
        assert!(
            ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|own| command.starts_with(own)),
            "{command}"
        );
    }
    for format in ["json", "sarif"] {
        let out = stdout(&run(
            dir.path(),
            &["check", "sys", "--today", TODAY, "--format", format],
        ));
        serde_json::from_str::<serde_json::Value>(&out).expect("valid JSON");
    }
}

/// A tree big enough that the reports outgrow a pipe's buffer.
fn big_tree() -> tempfile::TempDir {
    let dir = repository();
    append(
        &dir.path().join("sys/hardening/patch-management.md"),
        &"[a](gone.md)\n".repeat(3000),
    );
    dir
}

/// Runs smm-lint, reads `keep` bytes of its stdout, closes it, and returns (code, stderr).
fn run_closing_stdout(dir: &Path, args: &[&str], keep: usize) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_smm-lint"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut buf = vec![0; keep];
    if keep > 0 {
        stdout.read_exact(&mut buf).expect("some output");
    }
    drop(stdout);
    let out = child.wait_with_output().expect("wait");
    (code(&out), stderr(&out))
}

#[test]
fn a_closed_stdout_ends_the_run_quietly_with_the_findings_exit_code() {
    let dir = big_tree();
    for (format, keep) in [
        ("human", 10),
        ("json", 10),
        ("sarif", 10),
        ("github", 10),
        ("summary-md", 10),
    ] {
        let args = [
            "check",
            "sys",
            "--today",
            TODAY,
            "--fail-on",
            "warning",
            "--format",
            format,
        ];
        let (status, err) = run_closing_stdout(dir.path(), &args, keep);
        assert_eq!((status, err.as_str()), (1, ""), "{format}");
        let (status, err) = run_closing_stdout(dir.path(), &args, 0);
        assert_eq!((status, err.as_str()), (1, ""), "{format}, nothing read");
    }
    for args in [
        &["report", "sys", "--today", TODAY][..],
        &["report", "sys", "--today", TODAY, "--format", "html"],
        &["report", "sys", "--today", TODAY, "--format", "json"],
        &["evidence", "sys", "--today", TODAY],
        &["evidence", "sys", "--today", TODAY, "--format", "csv"],
        &["rules"],
        &["explain", "link-broken"],
        &["describe", "patch-management"],
    ] {
        let (status, err) = run_closing_stdout(dir.path(), args, 0);
        assert_eq!((status, err.as_str()), (0, ""), "{args:?}");
    }
}
