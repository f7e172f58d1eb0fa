//! `--base GIT-REF`: the policy documents as they are at a git ref, read through the git
//! binary (`ls-tree`, then one `cat-file --batch`), without touching the work tree.
//!
//! Blobs are requested by object id, never by `REF:PATH`: a path may hold a newline, and a
//! request line with a newline in it would pair every later answer with the wrong path.

use crate::context::Context;
use crate::diagnostic::Diagnostic;
use crate::discover::is_markdown;
use crate::document::{self, Document};
use crate::error::Fatal;
use crate::paths;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::yaml::frontmatter;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

mod config;

/// The documents found under the checked roots at the base ref.
#[derive(Debug)]
pub(crate) struct Base {
    /// The ref as the user wrote it, for messages.
    pub(crate) reference: String,
    pub(crate) documents: Vec<Document>,
    /// Findings of reading the base: documents that could not be compared, a changed
    /// configuration.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// One blob of `ls-tree -r -z -l` output.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    id: String,
    size: u64,
    path: PathBuf,
}

fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("--literal-pathspecs")
        .arg("-C")
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
        return Err(Fatal::new(format!(
            "git {what} failed: {}",
            crate::text::excerpt(err.trim())
        )));
    }
    Ok(out.stdout)
}

/// Reads the Markdown files below `roots` (absolute) as they are at `reference`.
pub(crate) fn load(reference: &str, roots: &[PathBuf], ctx: &Context) -> Result<Base, Fatal> {
    let start = roots.first().map_or(ctx.cwd.as_path(), PathBuf::as_path);
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
        git(&root).args(["ls-tree", "-r", "-z", "-l", &commit]),
        "ls-tree",
    )?;
    let wanted: Vec<Entry> = parse_listing(&listing)
        .into_iter()
        .filter(|e| is_markdown(&e.path))
        .filter(|e| roots.iter().any(|r| root.join(&e.path).starts_with(r)))
        .collect();
    let mut diagnostics = Vec::new();
    let wanted = within_limit(wanted, reference, &root, ctx, &mut diagnostics);
    let (small, large): (Vec<Entry>, Vec<Entry>) = wanted
        .into_iter()
        .partition(|e| e.size <= ctx.settings.max_file_bytes);
    for entry in &large {
        if let Some(d) = too_large(&root, reference, entry, ctx) {
            diagnostics.push(d);
        }
    }
    let ids: Vec<&str> = small.iter().map(|e| e.id.as_str()).collect();
    let blobs = cat_files(&root, &ids, ctx.settings.max_file_bytes)?;
    let documents = small
        .iter()
        .zip(blobs)
        .filter_map(|(entry, bytes)| {
            let abs = root.join(&entry.path);
            let name = format!("{reference}:{}", paths::display(&abs, &ctx.cwd));
            document::parse(abs, name, &bytes?, &ctx.settings.evidence.kinds).document
        })
        .collect();
    diagnostics.extend(config::compare(&root, reference, &commit, ctx));
    Ok(Base {
        reference: reference.to_owned(),
        documents,
        diagnostics,
    })
}

/// At most `limits.max_documents` Markdown files, in the order git lists them; a cut
/// is an error, since the documents left out are not compared.
fn within_limit(
    mut wanted: Vec<Entry>,
    reference: &str,
    root: &Path,
    ctx: &Context,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Entry> {
    let Some(first) = wanted.get(ctx.settings.max_documents) else {
        return wanted;
    };
    let name = paths::display(&root.join(&first.path), &ctx.cwd);
    let file = SourceFile::new(name, String::new());
    diagnostics.push(
        Diagnostic::new(
            Rule::LimitExceeded,
            &file,
            0..0,
            format!(
                "{} Markdown files at `{}` from here on were not read: the limit is {} per run",
                wanted.len() - ctx.settings.max_documents,
                crate::text::excerpt(reference),
                ctx.settings.max_documents
            ),
        )
        .help("check one profile tree at a time, exclude directories without profiles, or raise `limits.max_documents`"),
    );
    wanted.truncate(ctx.settings.max_documents);
    wanted
}

/// The blobs of `ls-tree -r -z -l` output: `MODE TYPE ID SIZE<TAB>PATH<NUL>` per entry, the
/// size padded with spaces (`-` for a submodule, which is skipped).
fn parse_listing(listing: &[u8]) -> Vec<Entry> {
    listing
        .split(|b| *b == 0)
        .filter_map(|record| {
            let tab = record.iter().position(|b| *b == b'\t')?;
            let meta = std::str::from_utf8(&record[..tab]).ok()?;
            let path = path_from_bytes(&record[tab + 1..])?;
            match meta.split_whitespace().collect::<Vec<_>>().as_slice() {
                [_, "blob", id, size] => Some(Entry {
                    id: (*id).to_owned(),
                    size: size.parse().ok()?,
                    path,
                }),
                _ => None,
            }
        })
        .collect()
}

/// A git path as the file system would name it: any bytes on Unix, UTF-8 elsewhere.
fn path_from_bytes(bytes: &[u8]) -> Option<PathBuf> {
    if bytes.is_empty() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        std::str::from_utf8(bytes).ok().map(PathBuf::from)
    }
}

/// A base blob above the size limit is not read: the document it holds cannot be compared,
/// so a lowered claim in it would pass unseen. When its head shows our front matter, that is
/// an error finding; other large Markdown files (not ours) are skipped quietly.
fn too_large(root: &Path, reference: &str, entry: &Entry, ctx: &Context) -> Option<Diagnostic> {
    let head = blob_head(root, &entry.id, crate::read::PEEK_BYTES);
    let text = crate::read::lossy_text(&head).into_owned();
    let front = match frontmatter::split(&text) {
        frontmatter::Split::Fenced { yaml, .. } => &text[yaml],
        frontmatter::Split::Unclosed { open } => &text[open.end..],
        frontmatter::Split::None => return None,
    };
    frontmatter::marker(front)?;
    let name = paths::display(&root.join(&entry.path), &ctx.cwd);
    let file = SourceFile::new(name, String::new());
    Some(
        Diagnostic::new(
            Rule::LimitExceeded,
            &file,
            0..0,
            format!(
                "not compared with `{}`: there it is {} bytes, above the limit of {} bytes",
                crate::text::excerpt(reference),
                entry.size,
                ctx.settings.max_file_bytes
            ),
        )
        .help("a regression in this document would go unseen; keep practice documents small, or raise `limits.max_file_bytes` in .smm-lint.yaml"),
    )
}

/// The first `limit` bytes of a blob; the rest is never read (the child is killed).
fn blob_head(root: &Path, id: &str, limit: u64) -> Vec<u8> {
    let Ok(mut child) = git(root)
        .args(["cat-file", "blob", id])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    else {
        return Vec::new();
    };
    let head = child
        .stdout
        .take()
        .map(|stdout| crate::read::head(stdout, limit))
        .unwrap_or_default();
    let _ = child.kill();
    let _ = child.wait();
    head
}

/// The content of each blob id (`None` when git has no such blob, or it is above `limit`),
/// read in one `git cat-file --batch`.
pub(crate) fn cat_files(
    root: &Path,
    ids: &[&str],
    limit: u64,
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
    // Object ids are hex digits: one id, one line, one answer.
    let requests: String = ids.iter().map(|id| format!("{id}\n")).collect();
    // Write from a thread: git answers while we are still asking, and both pipes are finite.
    let writer = std::thread::spawn(move || stdin.write_all(requests.as_bytes()));
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Fatal::new("git cat-file: no stdout"))?;
    let mut reader = BufReader::new(stdout);
    let out = ids
        .iter()
        .map(|_| read_answer(&mut reader, limit))
        .collect::<Result<Vec<_>, _>>();
    // On an error, stop git before waiting for it: it may be blocked on a full pipe.
    if out.is_err() {
        let _ = child.kill();
    }
    drop(reader);
    let _ = writer.join();
    let _ = child.wait();
    out
}

/// One answer of `cat-file --batch`: `ID TYPE SIZE\n` and the content, or `ID missing\n`.
fn read_answer(reader: &mut impl BufRead, limit: u64) -> Result<Option<Vec<u8>>, Fatal> {
    let fail = |e: std::io::Error| Fatal::new(format!("git cat-file: {e}"));
    let mut header = String::new();
    reader.read_line(&mut header).map_err(fail)?;
    let fields: Vec<&str> = header.split_whitespace().collect();
    let [_, kind, size] = fields.as_slice() else {
        return Ok(None);
    };
    let size: u64 = size
        .parse()
        .map_err(|_| Fatal::new("git cat-file: bad size"))?;
    if *kind != "blob" || size > limit {
        // Skip it without holding it: the listing said it was small, git says otherwise.
        std::io::copy(&mut reader.take(size + 1), &mut std::io::sink()).map_err(fail)?;
        return Ok(None);
    }
    let mut content = Vec::new();
    reader
        .take(size + 1)
        .read_to_end(&mut content)
        .map_err(fail)?;
    if content.len() as u64 != size + 1 {
        return Err(Fatal::new("git cat-file: the answer ended early"));
    }
    content.pop();
    Ok(Some(content))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_with_a_newline_in_a_path_keeps_every_entry() {
        let listing = b"100644 blob aaaa     12\tsys/a\nb.md\0\
160000 commit bbbb       -\tvendor/sub\0\
100644 blob cccc 7\tsys/zz.md\0";
        let entries = parse_listing(listing);
        assert_eq!(
            entries,
            [
                Entry {
                    id: "aaaa".into(),
                    size: 12,
                    path: "sys/a\nb.md".into()
                },
                Entry {
                    id: "cccc".into(),
                    size: 7,
                    path: "sys/zz.md".into()
                },
            ]
        );
    }

    #[test]
    fn answers_are_read_in_order_and_oversized_ones_are_skipped() {
        let stream = b"aa blob 3\nabc\nbb missing\ncc blob 10\n0123456789\ndd blob 2\nxy\n";
        let mut reader = &stream[..];
        let answers: Vec<_> = (0..4)
            .map(|_| read_answer(&mut reader, 5).expect("an answer"))
            .collect();
        assert_eq!(
            answers,
            [Some(b"abc".to_vec()), None, None, Some(b"xy".to_vec())]
        );
    }
}
