//! Every command that writes (`check --output`, `check --fix`, `pin`, `pin --refresh`,
//! `report --output`, `evidence --output`, `init`): planted links at temporary names, modes,
//! linked documents, long names, and destinations that lead out of the repository.

use crate::common::*;
use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Output;

const DOC: &str = "hardening/patch-management.md";
const VICTIM_TEXT: &str = "ORIGINAL\n";
/// A pin that is a valid hash but not the evidence file's: a stale pin.
const STALE: &str = "abababababababababababababababababababababababababababababababab";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cmd {
    Output,
    Fix,
    Pin,
    Refresh,
    Report,
    Evidence,
    Init,
}

const ALL: [Cmd; 7] = [
    Cmd::Output,
    Cmd::Fix,
    Cmd::Pin,
    Cmd::Refresh,
    Cmd::Report,
    Cmd::Evidence,
    Cmd::Init,
];
const DOCUMENT_WRITERS: [Cmd; 4] = [Cmd::Fix, Cmd::Pin, Cmd::Refresh, Cmd::Init];

/// A repository (a `.git` directory) holding the minimal clean profile.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join(".git")).expect(".git");
    minimal_tree(dir.path());
    dir
}

/// Prepares `dir` so that `cmd` has something to write, to a file called `name` when given
/// (for `init`, the directory it writes into); returns the arguments and the file written.
fn setup(cmd: Cmd, dir: &Path, name: Option<&str>) -> (Vec<String>, PathBuf) {
    let owned = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    let output = |default: &str| name.unwrap_or(default).to_owned();
    let mut doc = dir.join(DOC);
    if let (Some(name), Cmd::Fix | Cmd::Pin | Cmd::Refresh) = (name, cmd) {
        let renamed = dir.join("hardening").join(name);
        std::fs::rename(&doc, &renamed).expect("rename");
        doc = renamed;
    }
    let edit = |from: &str, to: &str| {
        let text = std::fs::read_to_string(&doc).expect("read");
        assert!(text.contains(from));
        std::fs::write(&doc, text.replacen(from, to, 1)).expect("write");
    };
    match cmd {
        Cmd::Output => {
            let out = output("out.json");
            let args = [
                "check", "--today", TODAY, "--format", "json", "--output", &out,
            ];
            (owned(&args), dir.join(&out))
        }
        Cmd::Report => {
            let out = output("report.md");
            let args = ["report", "--today", TODAY, "--output", &out];
            (owned(&args), dir.join(&out))
        }
        Cmd::Evidence => {
            let out = output("index.csv");
            let args = [
                "evidence", "--today", TODAY, "--format", "csv", "--output", &out,
            ];
            (owned(&args), dir.join(&out))
        }
        Cmd::Fix => {
            edit("practice: patch-management", "practice: patch-managment");
            (owned(&["check", "--today", TODAY, "--fix"]), doc)
        }
        Cmd::Pin => (owned(&["pin"]), doc),
        Cmd::Refresh => {
            edit(
                "    reviewed: 2026-09-15\n",
                &format!("    reviewed: 2026-09-15\n    sha256: {STALE}\n"),
            );
            (owned(&["pin", "--refresh"]), doc)
        }
        Cmd::Init => {
            let target = output("new");
            let args = [
                "init",
                &target,
                "--yes",
                "--force",
                "--profile",
                "new",
                "--today",
                TODAY,
            ];
            std::fs::create_dir_all(dir.join(&target)).expect("mkdir");
            (owned(&args), dir.join(&target).join("profile.md"))
        }
    }
}

fn run_owned(dir: &Path, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(dir, &args);
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
    out
}

/// What the command was expected to write is there: a JSON report, a fixed or pinned
/// document, a profile.
fn assert_written(cmd: Cmd, file: &Path) {
    let text = std::fs::read_to_string(file).expect("the written file");
    let ok = match cmd {
        Cmd::Output => text.starts_with('{'),
        Cmd::Report => text.contains("Profile"),
        Cmd::Evidence => text.starts_with("profile,"),
        Cmd::Fix => text.contains("practice: patch-management\n"),
        Cmd::Pin | Cmd::Refresh => text.matches("sha256:").count() == 1 && !text.contains(STALE),
        Cmd::Init => text.contains("profile: new\n"),
    };
    assert!(ok, "{cmd:?} wrote {}:\n{text}", file.display());
}

/// Files outside the repository that no command may touch: one with content, and one name
/// that must never come into existence.
struct Victim {
    dir: tempfile::TempDir,
}

impl Victim {
    fn new() -> Victim {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("victim"), VICTIM_TEXT).expect("victim");
        Victim { dir }
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("victim")
    }

    fn absent(&self) -> PathBuf {
        self.dir.path().join("created")
    }

    fn assert_untouched(&self) {
        assert_eq!(
            std::fs::read_to_string(self.file()).expect("victim"),
            VICTIM_TEXT
        );
        assert!(!self.absent().exists(), "a file was created outside");
        assert_eq!(std::fs::read_dir(self.dir.path()).expect("ls").count(), 1);
    }
}

/// Plants links to the victim in `dir`: at the names the old writer used for `name`
/// (`.NAME.smm-lint-PID.tmp`, for the next 2,000 process ids) and at a spread of other names,
/// half of them dangling (they would create a file). Returns how many were planted.
fn plant(dir: &Path, name: &str, victim: &Victim) -> usize {
    let last_pid = std::fs::read_to_string("/proc/sys/kernel/ns_last_pid")
        .ok()
        .and_then(|s| s.trim().parse::<u32>().ok())
        .unwrap_or_else(std::process::id);
    let mut names: Vec<String> = (last_pid..last_pid + 2_000)
        .map(|pid| format!(".{name}.smm-lint-{pid}.tmp"))
        .filter(|n| n.len() <= 255)
        .collect();
    let alphabet: Vec<char> = ('a'..='z').chain('A'..='Z').chain('0'..='9').collect();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..300 {
        let random: String = (0..8)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                alphabet[(seed % alphabet.len() as u64) as usize]
            })
            .collect();
        names.push(format!(".smm{random}.tmp"));
        names.push(format!(".tmp{random}"));
    }
    for fixed in [".tmp", ".smm.tmp", "~", ".swp", ".new", ".bak"] {
        names.push(format!("{name}{fixed}"));
        names.push(format!(".{name}{fixed}"));
    }
    names.retain(|n| n.len() <= 255 && n != name);
    for (i, n) in names.iter().enumerate() {
        let target = if i % 2 == 0 {
            victim.file()
        } else {
            victim.absent()
        };
        symlink(target, dir.join(n)).expect("plant a link");
    }
    names.len()
}

/// Every regular file and link under `dir`, with its bytes (a link: its target).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("ls") {
            let path = entry.expect("entry").path();
            let meta = std::fs::symlink_metadata(&path).expect("stat");
            if meta.is_dir() {
                stack.push(path);
            } else if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&path).expect("readlink");
                files.insert(path, format!("-> {}", target.display()));
            } else {
                let bytes = std::fs::read(&path).expect("read");
                files.insert(path, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    }
    files
}

/// No temporary file was left next to `file`.
fn assert_no_temporary_left(file: &Path) {
    let dir = file.parent().expect("a parent");
    let left: Vec<String> = std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.as_path() != file)
        .filter(|p| {
            std::fs::symlink_metadata(p).is_ok_and(|m| m.is_file())
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("stat").mode() & 0o7777
}

#[test]
fn a_planted_link_at_any_temporary_name_is_never_followed() {
    for cmd in ALL {
        let repo = repository();
        let victim = Victim::new();
        let (args, file) = setup(cmd, repo.path(), None);
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let planted = plant(file.parent().expect("a parent"), &name, &victim);
        assert!(planted > 2_000);
        let out = run_owned(repo.path(), &args);
        assert_eq!(code(&out), 0, "{cmd:?}: {}{}", stdout(&out), stderr(&out));
        victim.assert_untouched();
        let meta = std::fs::symlink_metadata(&file).expect("written");
        assert!(meta.is_file(), "{cmd:?} left a link at {}", file.display());
        assert_written(cmd, &file);
        assert_no_temporary_left(&file);
    }
}

#[test]
fn a_0600_file_keeps_0600() {
    for cmd in ALL {
        let repo = repository();
        let (args, file) = setup(cmd, repo.path(), None);
        if !file.exists() {
            std::fs::write(&file, "old\n").expect("write");
        }
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        let out = run_owned(repo.path(), &args);
        assert_eq!(code(&out), 0, "{cmd:?}: {}{}", stdout(&out), stderr(&out));
        assert_written(cmd, &file);
        assert_eq!(mode(&file), 0o600, "{cmd:?}");
    }
}

#[test]
fn a_new_file_gets_the_usual_mode_not_the_temporary_files() {
    let repo = repository();
    let (args, file) = setup(Cmd::Output, repo.path(), None);
    assert_eq!(code(&run_owned(repo.path(), &args)), 0);
    let reference = repo.path().join("reference");
    std::fs::write(&reference, "x").expect("write");
    assert_eq!(
        mode(&file),
        mode(&reference),
        "the umask decides, as for any new file"
    );
}

#[test]
fn a_240_character_name_works() {
    for cmd in ALL {
        let repo = repository();
        let stem = "p".repeat(240);
        let name = match cmd {
            Cmd::Output => format!("{stem}.json"),
            Cmd::Report | Cmd::Fix | Cmd::Pin | Cmd::Refresh => format!("{stem}.md"),
            Cmd::Evidence => format!("{stem}.csv"),
            Cmd::Init => stem,
        };
        let (args, file) = setup(cmd, repo.path(), Some(&name));
        let out = run_owned(repo.path(), &args);
        assert_eq!(code(&out), 0, "{cmd:?}: {}{}", stdout(&out), stderr(&out));
        assert_written(cmd, &file);
    }
}

#[test]
fn a_linked_document_inside_the_repository_is_written_at_its_target() {
    for cmd in DOCUMENT_WRITERS {
        let repo = repository();
        let (args, file) = setup(cmd, repo.path(), None);
        if !file.exists() {
            std::fs::write(&file, "old\n").expect("write");
        }
        let real = repo.path().join("real/document.txt");
        std::fs::create_dir_all(real.parent().expect("a parent")).expect("mkdir");
        std::fs::rename(&file, &real).expect("move");
        symlink(Path::new("../real/document.txt"), &file).expect("link");
        let out = run_owned(repo.path(), &args);
        assert_eq!(code(&out), 0, "{cmd:?}: {}{}", stdout(&out), stderr(&out));
        assert!(
            std::fs::symlink_metadata(&file)
                .expect("stat")
                .file_type()
                .is_symlink(),
            "{cmd:?} replaced the link by a copy"
        );
        assert_written(cmd, &real);
    }
}

/// A repository whose `sys` is a link to a profile tree outside it; with `pin`, the tree's
/// evidence directory links back into the repository, so there is something to pin.
fn linked_out(cmd: Cmd) -> (tempfile::TempDir, tempfile::TempDir, Vec<String>) {
    let repo = tempfile::tempdir().expect("temp dir");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(repo.path().join(".git")).expect(".git");
    minimal_tree(outside.path());
    let doc = outside.path().join(DOC);
    let text = std::fs::read_to_string(&doc).expect("read");
    let text = match cmd {
        Cmd::Fix => text.replace("practice: patch-management", "practice: patch-managment"),
        Cmd::Refresh => text.replace(
            "    reviewed: 2026-09-15\n",
            &format!("    reviewed: 2026-09-15\n    sha256: {STALE}\n"),
        ),
        _ => text,
    };
    std::fs::write(&doc, text).expect("write");
    std::fs::rename(
        outside.path().join("evidence"),
        repo.path().join("evidence"),
    )
    .expect("mv");
    symlink(
        repo.path().join("evidence"),
        outside.path().join("evidence"),
    )
    .expect("link");
    symlink(outside.path(), repo.path().join("sys")).expect("link");
    let args = match cmd {
        Cmd::Fix => vec!["check", "sys", "--today", TODAY, "--fix"],
        Cmd::Pin => vec!["pin", "sys"],
        _ => vec!["pin", "sys", "--refresh"],
    };
    let args = args.into_iter().map(str::to_owned).collect();
    (repo, outside, args)
}

#[test]
fn a_document_under_a_directory_linked_out_of_the_repository_is_never_written() {
    for cmd in [Cmd::Fix, Cmd::Pin, Cmd::Refresh] {
        let (repo, outside, args) = linked_out(cmd);
        let before = snapshot(outside.path());
        let out = run_owned(repo.path(), &args);
        // A PATH that leads out is refused before anything below it is read.
        assert_eq!(code(&out), 2, "{cmd:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("leads out of the repository"),
            "{cmd:?}: {}",
            stderr(&out)
        );
        assert_eq!(snapshot(outside.path()), before, "{cmd:?} wrote outside");
    }
}

#[test]
fn a_link_to_another_git_work_tree_is_still_out_of_the_repository() {
    for cmd in [Cmd::Fix, Cmd::Pin, Cmd::Refresh] {
        let (repo, outside, args) = linked_out(cmd);
        std::fs::create_dir(outside.path().join(".git")).expect(".git");
        let before = snapshot(outside.path());
        let out = run_owned(repo.path(), &args);
        assert_eq!(code(&out), 2, "{cmd:?}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("leads out of the repository"),
            "{cmd:?}: {}",
            stderr(&out)
        );
        assert_eq!(snapshot(outside.path()), before, "{cmd:?} wrote outside");
    }
    let repo = tempfile::tempdir().expect("temp dir");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(repo.path().join(".git")).expect(".git");
    std::fs::create_dir(outside.path().join(".git")).expect(".git");
    symlink(outside.path(), repo.path().join("elsewhere")).expect("link");
    std::fs::create_dir(repo.path().join("sub")).expect("mkdir");
    let out = run(
        &repo.path().join("sub"),
        &[
            "init",
            "../elsewhere/pump",
            "--yes",
            "--profile",
            "p",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("leads out of the repository"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 1);
}

/// Outside a git work tree the repository is the current directory: a tree named above it is
/// refused, not read and not written.
#[test]
fn a_tree_outside_the_current_directory_is_refused_without_git() {
    let top = tempfile::tempdir().expect("temp dir");
    let tree = top.path().join("tree");
    minimal_tree(&tree);
    std::fs::create_dir(top.path().join("elsewhere")).expect("mkdir");
    let (args, doc) = setup(Cmd::Fix, &tree, None);
    let before = std::fs::read(&doc).expect("read");
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    args.insert(1, "../tree");
    let out = run(&top.path().join("elsewhere"), &args);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the repository"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read(&doc).expect("read"), before);
}

#[test]
fn a_refused_document_is_named_and_the_others_are_still_written() {
    for cmd in [Cmd::Fix, Cmd::Pin] {
        let (repo, outside, mut args) = linked_out(cmd);
        minimal_tree(&repo.path().join("inside"));
        if cmd == Cmd::Fix {
            let doc = repo.path().join("inside").join(DOC);
            let text = std::fs::read_to_string(&doc).expect("read");
            std::fs::write(
                &doc,
                text.replace("patch-management\n", "patch-managment\n"),
            )
            .expect("write");
        }
        // The repository is walked from its root: the walk does not follow `sys`, the link out.
        args[1] = ".".to_owned();
        let before = snapshot(outside.path());
        let out = run_owned(repo.path(), &args);
        assert_eq!(snapshot(outside.path()), before, "{cmd:?} wrote outside");
        assert_written(cmd, &repo.path().join("inside").join(DOC));
        let said = stdout(&out) + &stderr(&out);
        // The outside documents may also be left unread; when read, their write is refused.
        if said.contains("skipped sys/") {
            assert!(said.contains("`sys` leads out of the repository"), "{said}");
            assert_eq!(code(&out), 1, "{cmd:?}: {said}");
        }
    }
}

#[test]
fn init_refuses_a_subdirectory_linked_out_of_the_repository() {
    let repo = tempfile::tempdir().expect("temp dir");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(repo.path().join(".git")).expect(".git");
    std::fs::create_dir(repo.path().join("pump")).expect("mkdir");
    symlink(outside.path(), repo.path().join("pump/governance")).expect("link");
    let out = run(
        repo.path(),
        &[
            "init",
            "pump",
            "--yes",
            "--profile",
            "pump",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("`pump/governance` leads out of the repository: nothing was written"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0);
    assert!(!repo.path().join("pump/profile.md").exists());
    // The profile directory itself linked out.
    std::fs::remove_dir_all(repo.path().join("pump")).expect("rm");
    symlink(outside.path(), repo.path().join("pump")).expect("link");
    let out = run(
        repo.path(),
        &[
            "init",
            "pump",
            "--yes",
            "--profile",
            "pump",
            "--today",
            TODAY,
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("`pump` leads out"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0);
}

#[test]
fn init_refuses_before_asking_any_question() {
    let repo = tempfile::tempdir().expect("temp dir");
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(repo.path().join(".git")).expect(".git");
    std::fs::create_dir(repo.path().join("pump")).expect("mkdir");
    symlink(outside.path(), repo.path().join("pump/governance")).expect("link");
    // A pseudo-terminal makes init interview; it must stop before the first question.
    let script = r#"
import os, pty, select, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.chdir(sys.argv[2])
    os.environ["TERM"] = "xterm"
    os.execv(sys.argv[1], [sys.argv[1], "init", "pump", "--today", "2026-11-21"])
seen = b""
deadline = time.time() + 20
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.1)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        seen += data
        if b"Profile id" in seen:
            break
if b"Profile id" in seen:
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    sys.exit("asked a question: " + repr(seen[-400:]))
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status))
print(seen.decode("utf-8", "replace"))
"#;
    let out = std::process::Command::new("python3")
        .args(["-c", script, env!("CARGO_BIN_EXE_smm-lint")])
        .arg(repo.path())
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with("2\n"), "{text}");
    assert!(text.contains("leads out of the repository"), "{text}");
    assert_eq!(std::fs::read_dir(outside.path()).expect("ls").count(), 0);
}

#[test]
fn output_replaces_a_link_at_its_name_and_leaves_the_target() {
    let repo = repository();
    let victim = Victim::new();
    symlink(victim.file(), repo.path().join("out.json")).expect("link");
    let (args, file) = setup(Cmd::Output, repo.path(), None);
    assert_eq!(code(&run_owned(repo.path(), &args)), 0);
    victim.assert_untouched();
    assert!(std::fs::symlink_metadata(&file).expect("stat").is_file());
    assert_written(Cmd::Output, &file);
}

/// A directory inside the repository that a pull request turned into a link out cannot carry
/// an `--output` file out; a path the user names outside the repository is still written.
#[test]
fn output_through_a_directory_linked_out_of_the_repository_is_refused() {
    for (cmd, args) in [
        ("check", vec!["check", "--format", "json", "--output"]),
        ("report", vec!["report", "--format", "json", "--output"]),
        ("evidence", vec!["evidence", "--format", "csv", "--output"]),
    ] {
        let repo = repository();
        let victim = Victim::new();
        symlink(victim.dir.path(), repo.path().join("reports")).expect("link");
        let before = snapshot(victim.dir.path());
        let mut refused = args.clone();
        refused.extend(["reports/smm-lint.out", "--today", TODAY]);
        let out = run(repo.path(), &refused);
        assert_eq!(code(&out), 2, "{cmd}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("`reports` leads out of the repository"),
            "{cmd}: {}",
            stderr(&out)
        );
        assert_eq!(snapshot(victim.dir.path()), before, "{cmd} wrote outside");
        let elsewhere = tempfile::tempdir().expect("temp dir");
        let named = elsewhere.path().join("named.out");
        let mut allowed = args;
        allowed.extend([named.to_str().expect("UTF-8 path"), "--today", TODAY]);
        let out = run(repo.path(), &allowed);
        assert_ne!(code(&out), 2, "{cmd}: {}", stderr(&out));
        assert!(named.is_file(), "{cmd}: a path named outside is written");
    }
}

#[test]
fn a_failed_write_leaves_no_temporary_file() {
    let repo = repository();
    std::fs::create_dir(repo.path().join("out.json")).expect("a directory in the way");
    let (args, file) = setup(Cmd::Output, repo.path(), None);
    let out = run_owned(repo.path(), &args);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot write out.json"),
        "{}",
        stderr(&out)
    );
    assert_no_temporary_left(&file);
}

#[test]
fn the_owner_is_kept_where_the_process_may_set_it() {
    let repo = repository();
    let (args, doc) = setup(Cmd::Fix, repo.path(), None);
    // Only a privileged process can give a file away; elsewhere this part cannot be shown.
    if std::os::unix::fs::chown(&doc, Some(65534), Some(65534)).is_err() {
        return;
    }
    std::fs::set_permissions(&doc, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    assert_eq!(code(&run_owned(repo.path(), &args)), 0);
    assert_written(Cmd::Fix, &doc);
    let meta = std::fs::metadata(&doc).expect("stat");
    assert_eq!((meta.uid(), meta.gid(), mode(&doc)), (65534, 65534, 0o640));
}

#[test]
fn a_hard_link_is_broken_as_by_an_editor() {
    let repo = repository();
    let (args, doc) = setup(Cmd::Fix, repo.path(), None);
    let other = repo.path().join("other-name");
    std::fs::hard_link(&doc, &other).expect("hard link");
    let before = std::fs::read(&other).expect("read");
    assert_eq!(code(&run_owned(repo.path(), &args)), 0);
    assert_written(Cmd::Fix, &doc);
    assert_eq!(std::fs::read(&other).expect("read"), before);
}

/// The minimal tree with the evidence item's lines replaced by `item`.
fn with_item(item: &str) -> (tempfile::TempDir, PathBuf) {
    let repo = repository();
    let doc = repo.path().join(DOC);
    let text = std::fs::read_to_string(&doc).expect("read");
    let start = text.find("  - path:").expect("item");
    let end = text.find("---\n# Patch").expect("end");
    std::fs::write(&doc, format!("{}{item}{}", &text[..start], &text[end..])).expect("write");
    (repo, doc)
}

#[test]
fn pin_skips_a_path_written_over_several_lines() {
    let (repo, doc) =
        with_item("  - path: \"../evidence/\\\n      patching.md\"\n    kind: record\n");
    assert_eq!(check_json(repo.path(), &[]).0, 0);
    let before = std::fs::read(&doc).expect("read");
    let out = run(repo.path(), &["pin"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out).contains(
            "hardening/patch-management.md:6: not pinned: the `path:` value spans several lines"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read(&doc).expect("read"), before);
    let check = run(repo.path(), &["pin", "--check"]);
    assert_eq!(code(&check), 1);
    assert!(
        stdout(&check).contains(":6: cannot pin"),
        "{}",
        stdout(&check)
    );
    assert_eq!(check_json(repo.path(), &[]).0, 0);
}

#[test]
fn pin_replaces_a_placeholder_or_invalid_pin_in_place() {
    let item = "  - path: ../evidence/patching.md#monthly-window\n    kind: procedure\n";
    for pin in [
        "sha256: TODO",
        "sha256: \"\"",
        "sha256: ''",
        "sha256:",
        "sha256: ~",
        "sha256:   # fill in",
        "sha256: 6105d900",
        "sha256: \"6105d900\"",
    ] {
        let (repo, doc) = with_item(&format!("{item}    {pin}\n    reviewed: 2026-09-15\n"));
        let before = std::fs::read_to_string(&doc).expect("read");
        let check = run(repo.path(), &["pin", "--check"]);
        assert_eq!(
            stdout(&check),
            "hardening/patch-management.md:8: invalid pin\n",
            "{pin}"
        );
        let out = run(repo.path(), &["pin"]);
        assert_eq!(code(&out), 0, "{pin}: {}", stdout(&out));
        let after = std::fs::read_to_string(&doc).expect("read");
        assert_eq!(after.matches("sha256").count(), 1, "{pin}:\n{after}");
        let changed: Vec<(&str, &str)> = before
            .lines()
            .zip(after.lines())
            .filter(|(b, a)| b != a)
            .collect();
        assert_eq!(changed.len(), 1, "{pin}: only the pin's line changes");
        assert!(
            changed[0].1.starts_with("    sha256: "),
            "{pin}: {changed:?}"
        );
        assert_eq!(before.lines().count(), after.lines().count());
        let (status, json) = check_json(repo.path(), &[]);
        assert_eq!((status, findings(&json)), (0, vec![]), "{pin}");
        assert_eq!(code(&run(repo.path(), &["pin", "--check"])), 0, "{pin}");
    }
}

#[test]
fn plain_pin_lists_stale_pins_and_leaves_them_for_refresh() {
    let repo = repository();
    let doc = repo.path().join(DOC);
    std::fs::write(
        repo.path().join("evidence/log.md"),
        "# Log\n\n## Window log\n\n- 2026-10: done\n",
    )
    .expect("write");
    let text = std::fs::read_to_string(&doc).expect("read").replace(
        "    reviewed: 2026-09-15\n",
        "    reviewed: 2026-09-15\n  - path: ../evidence/log.md#window-log\n    kind: record\n",
    );
    std::fs::write(&doc, text).expect("write");
    assert_eq!(code(&run(repo.path(), &["pin"])), 0);
    let pinned = std::fs::read_to_string(&doc).expect("read");
    // Both cited files change; then a new item is added and pinned.
    std::fs::write(
        repo.path().join("evidence/patching.md"),
        "# Patching\n\n## Monthly window\n\nSecond Tuesday.\n",
    )
    .expect("write");
    std::fs::write(
        repo.path().join("evidence/log.md"),
        "# Log\n\n## Window log\n\n- 2026-10: done\n- 2026-11: done\n",
    )
    .expect("write");
    std::fs::write(repo.path().join("evidence/tool.md"), "# Tool\n").expect("write");
    std::fs::write(
        &doc,
        pinned.replace(
            "---\n# Patch",
            "  - path: ../evidence/tool.md\n    kind: tool\n---\n# Patch",
        ),
    )
    .expect("write");
    let out = run(repo.path(), &["pin"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let said = stdout(&out);
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(lines.len(), 4, "{said}");
    assert!(lines[0].starts_with("hardening/patch-management.md:7: stale pin of `../evidence/patching.md#monthly-window` left as it is: "), "{said}");
    assert!(lines[1].starts_with("hardening/patch-management.md:11: stale pin of `../evidence/log.md#window-log` left as it is: "), "{said}");
    assert_eq!(
        lines[2],
        "Pinned 1 evidence item and refreshed 0 pins in 1 document."
    );
    assert!(lines[3].contains("`smm-lint pin --refresh`"), "{said}");
    let after = std::fs::read_to_string(&doc).expect("read");
    assert_eq!(
        after.matches("sha256:").count(),
        3,
        "the new item is pinned:\n{after}"
    );
    assert_eq!(
        pinned
            .lines()
            .filter(|l| l.contains("sha256"))
            .collect::<Vec<_>>(),
        after
            .lines()
            .filter(|l| l.contains("sha256"))
            .take(2)
            .collect::<Vec<_>>(),
        "the stale pins are left as they were"
    );
    let (_, json) = check_json(repo.path(), &[]);
    assert_eq!(
        findings(&json),
        [
            "evidence-changed hardening/patch-management.md:7",
            "evidence-changed hardening/patch-management.md:11"
        ]
    );
    let out = run(repo.path(), &["pin", "--refresh"]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let said = stdout(&out);
    let old = |l: &str| {
        l.split_once("sha256: ")
            .map(|(_, h)| h[..12].to_owned())
            .expect("a pin")
    };
    let pins: Vec<String> = pinned
        .lines()
        .filter(|l| l.contains("sha256"))
        .map(old)
        .collect();
    let after = std::fs::read_to_string(&doc).expect("read");
    let new: Vec<String> = after
        .lines()
        .filter(|l| l.contains("sha256"))
        .map(old)
        .collect();
    assert_eq!(
        said,
        format!(
            "hardening/patch-management.md:7: re-approved `../evidence/patching.md#monthly-window`: {}… → {}…\n\
             hardening/patch-management.md:11: re-approved `../evidence/log.md#window-log`: {}… → {}…\n\
             Pinned 0 evidence items and refreshed 2 pins in 1 document.\n",
            pins[0], new[0], pins[1], new[1]
        )
    );
    assert_eq!(check_json(repo.path(), &[]).0, 0);
}

#[test]
fn pin_diff_shows_a_refresh_only_with_refresh() {
    let (repo, doc) = with_item(&format!(
        "  - path: ../evidence/patching.md\n    kind: procedure\n    sha256: {STALE}\n"
    ));
    let before = std::fs::read(&doc).expect("read");
    let plain = run(repo.path(), &["pin", "--diff"]);
    assert_eq!((code(&plain), stdout(&plain)), (0, String::new()));
    let refresh = run(repo.path(), &["pin", "--diff", "--refresh"]);
    assert_eq!(code(&refresh), 1);
    assert!(
        stdout(&refresh).contains(&format!("-    sha256: {STALE}")),
        "{}",
        stdout(&refresh)
    );
    assert_eq!(std::fs::read(&doc).expect("read"), before);
}

#[test]
fn pin_names_a_document_it_cannot_rewrite_byte_for_byte() {
    let repo = repository();
    let doc = repo.path().join(DOC);
    let mut bytes = std::fs::read(&doc).expect("read");
    bytes.extend_from_slice(b"Caf\xe9 in Latin-1.\n");
    std::fs::write(&doc, &bytes).expect("write");
    let out = run(repo.path(), &["pin"]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    assert!(
        stdout(&out)
            .contains("hardening/patch-management.md: not pinned: the file is not valid UTF-8"),
        "{}",
        stdout(&out)
    );
    assert_eq!(std::fs::read(&doc).expect("read"), bytes);
}
