//! `--base GIT-REF`: the policy documents as they are at a git ref, read through the git
//! binary (`ls-tree`, then one `cat-file --batch`), without touching the work tree.

use crate::discover::is_markdown;
use crate::document::{self, Document};
use crate::error::Fatal;
use crate::paths;
use crate::settings::Settings;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The documents found under the checked roots at the base ref.
#[derive(Debug)]
pub struct Base {
    /// The ref as the user wrote it, for messages.
    pub reference: String,
    pub documents: Vec<Document>,
}

fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("-C")
        .arg(root)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn run(cmd: &mut Command, what: &str) -> Result<Vec<u8>, Fatal> {
    let out = cmd
        .output()
        .map_err(|e| Fatal::new(format!("--base needs the git program: {e}")))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Fatal::new(format!("git {what} failed: {}", err.trim())));
    }
    Ok(out.stdout)
}

/// Reads the Markdown files below `roots` (absolute) as they are at `reference`.
pub fn load(reference: &str, roots: &[PathBuf], settings: &Settings) -> Result<Base, Fatal> {
    let start = roots
        .first()
        .map_or(settings.cwd.as_path(), PathBuf::as_path);
    let Some(root) = paths::git_root(start) else {
        return Err(Fatal::new(
            "--base needs a git work tree: the checked paths are not in one",
        ));
    };
    let commit = format!("{reference}^{{commit}}");
    let verified = git(&root)
        .args(["rev-parse", "--verify", "--quiet", &commit])
        .output();
    if !verified.is_ok_and(|o| o.status.success()) {
        return Err(Fatal::new(format!("the base ref `{reference}` does not exist in {}", root.display()))
            .help("use a branch, tag or commit that exists locally; in GitHub Actions check out with `fetch-depth: 0`"));
    }
    let listing = run(
        git(&root).args(["ls-tree", "-r", "-z", "--name-only", &commit]),
        "ls-tree",
    )?;
    let wanted: Vec<String> = listing
        .split(|b| *b == 0)
        .filter_map(|p| std::str::from_utf8(p).ok())
        .filter(|p| !p.is_empty() && is_markdown(Path::new(p)))
        .filter(|p| roots.iter().any(|r| root.join(p).starts_with(r)))
        .map(str::to_owned)
        .collect();
    let blobs = cat_files(&root, reference, &wanted)?;
    let documents = wanted
        .iter()
        .zip(blobs)
        .filter_map(|(rel, bytes)| {
            let abs = root.join(rel);
            let name = format!("{reference}:{}", paths::display(&abs, &settings.cwd));
            document::parse(abs, name, &bytes?, &settings.evidence.kinds).document
        })
        .collect();
    Ok(Base {
        reference: reference.to_owned(),
        documents,
    })
}

/// The content of each path at `reference` (`None` for anything that is not a blob or is
/// above the size limit), read in one `git cat-file --batch`.
fn cat_files(
    root: &Path,
    reference: &str,
    paths: &[String],
) -> Result<Vec<Option<Vec<u8>>>, Fatal> {
    let mut child = git(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Fatal::new(format!("--base needs the git program: {e}")))?;
    let mut stdin = child
        .stdin
        .take()
        .ok_or_else(|| Fatal::new("git cat-file: no stdin"))?;
    let requests: String = paths.iter().map(|p| format!("{reference}:{p}\n")).collect();
    // Write from a thread: git answers while we are still asking, and both pipes are finite.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Fatal::new("git cat-file: no stdout"))?;
    let mut reader = BufReader::new(stdout);
    let mut out = Vec::with_capacity(paths.len());
    for _ in paths {
        let mut header = String::new();
        reader
            .read_line(&mut header)
            .map_err(|e| Fatal::new(format!("git cat-file: {e}")))?;
        let fields: Vec<&str> = header.split_whitespace().collect();
        match fields.as_slice() {
            [_, "blob", size] => {
                let size: usize = size
                    .parse()
                    .map_err(|_| Fatal::new("git cat-file: bad size"))?;
                let mut content = vec![0u8; size + 1];
                reader
                    .read_exact(&mut content)
                    .map_err(|e| Fatal::new(format!("git cat-file: {e}")))?;
                content.pop();
                out.push(Some(content));
            }
            [_, _, size] => {
                // Not a blob (a submodule, say): skip its content.
                let size: u64 = size.parse().unwrap_or(0);
                std::io::copy(&mut (&mut reader).take(size + 1), &mut std::io::sink())
                    .map_err(|e| Fatal::new(format!("git cat-file: {e}")))?;
                out.push(None);
            }
            _ => out.push(None),
        }
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}
