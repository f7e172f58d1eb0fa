//! The git program as a source of bytes: the command with literal pathspecs, the `ls-tree`
//! listing, and blobs and trees through `cat-file --batch`. Paths from git are untrusted bytes
//! (any byte but NUL, newlines included): they travel in NUL-separated or binary forms only.
//!
//! Objects are requested by object id, never by `REF:PATH`: a path may hold a newline, and a
//! request line with a newline in it would pair every later answer with the wrong path.

use crate::error::Fatal;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

/// `git` run in `root` with pathspecs read literally (a document's path is never a glob or
/// magic), no input, and its errors kept for the message.
pub(crate) fn command(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.arg("--literal-pathspecs")
        .arg("-C")
        .arg(root)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `cmd` and returns its output; `who` names the option or command that needs git.
pub(crate) fn run(cmd: &mut Command, who: &str, what: &str) -> Result<Vec<u8>, Fatal> {
    let out = cmd.output().map_err(|e| missing(who, &e))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(Fatal::new(format!(
            "git {what} failed: {}",
            crate::text::excerpt(err.trim())
        )));
    }
    Ok(out.stdout)
}

fn missing(who: &str, e: &std::io::Error) -> Fatal {
    Fatal::new(format!("{who} needs the git program: {e}"))
}

/// One blob of `ls-tree -r -z -l` output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) id: String,
    pub(crate) size: u64,
    pub(crate) path: PathBuf,
}

/// The blobs of `ls-tree -r -z -l` output: `MODE TYPE ID SIZE<TAB>PATH<NUL>` per entry, the
/// size padded with spaces (`-` for a submodule, which is skipped).
pub(crate) fn parse_listing(listing: &[u8]) -> Vec<Entry> {
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
pub(crate) fn path_from_bytes(bytes: &[u8]) -> Option<PathBuf> {
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

/// The first `limit` bytes of a blob; the rest is never read (the child is killed).
pub(crate) fn blob_head(root: &Path, id: &str, limit: u64) -> Vec<u8> {
    let Ok(mut child) = command(root)
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
    who: &str,
) -> Result<Vec<Option<Vec<u8>>>, Fatal> {
    let mut child = command(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| missing(who, &e))?;
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
        .map(|_| read_answer(&mut reader, limit).map(|a| a.and_then(Object::into_blob)))
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

/// An object read by `cat-file --batch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Object {
    Blob(Vec<u8>),
    Tree(Vec<u8>),
    /// Another kind, or above the size limit: not held. The size is git's.
    Skipped {
        size: u64,
    },
}

impl Object {
    fn into_blob(self) -> Option<Vec<u8>> {
        match self {
            Object::Blob(bytes) => Some(bytes),
            _ => None,
        }
    }
}

/// One answer of `cat-file --batch`: `ID TYPE SIZE\n` and the content, or `ID missing\n`
/// (`None`). A blob above `limit` is skipped without being held.
fn read_answer(reader: &mut impl BufRead, limit: u64) -> Result<Option<Object>, Fatal> {
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
    let keep = (*kind == "blob" && size <= limit) || *kind == "tree";
    if !keep {
        // Skip it without holding it: the listing said it was small, git says otherwise.
        std::io::copy(&mut reader.take(size + 1), &mut std::io::sink()).map_err(fail)?;
        return Ok(Some(Object::Skipped { size }));
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
    Ok(Some(if *kind == "tree" {
        Object::Tree(content)
    } else {
        Object::Blob(content)
    }))
}

/// One `git cat-file --batch` kept open for many questions asked one at a time: git flushes
/// each answer, so no writer thread is needed.
pub(crate) struct Batch {
    child: Child,
    stdin: ChildStdin,
    reader: BufReader<ChildStdout>,
    /// Blobs above this many bytes are not held.
    limit: u64,
}

impl Batch {
    pub(crate) fn open(root: &Path, limit: u64, who: &str) -> Result<Batch, Fatal> {
        let mut child = command(root)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| missing(who, &e))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take();
        let (Some(stdin), Some(stdout)) = (stdin, stdout) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(Fatal::new("git cat-file: no pipes"));
        };
        Ok(Batch {
            child,
            stdin,
            reader: BufReader::new(stdout),
            limit,
        })
    }

    /// The object `id` (hex digits only, so one request is one line); `None` when git has no
    /// such object.
    pub(crate) fn get(&mut self, id: &str) -> Result<Option<Object>, Fatal> {
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        self.stdin
            .write_all(format!("{id}\n").as_bytes())
            .and_then(|()| self.stdin.flush())
            .map_err(|e| Fatal::new(format!("git cat-file: {e}")))?;
        read_answer(&mut self.reader, self.limit)
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One entry of a tree object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TreeEntry {
    pub(crate) mode: u32,
    /// One path component: any bytes but `/` and NUL.
    pub(crate) name: Vec<u8>,
    /// The object id in hex.
    pub(crate) id: String,
}

impl TreeEntry {
    pub(crate) fn is_tree(&self) -> bool {
        self.mode == 0o40000
    }

    /// A regular file (not a symbolic link, not a submodule).
    pub(crate) fn is_file(&self) -> bool {
        self.mode & 0o170000 == 0o100000
    }
}

/// The entries of a tree object: `MODE NAME<NUL>ID` with the id in binary, `id_len` bytes
/// (20 for SHA-1, 32 for SHA-256). A malformed tail is dropped.
pub(crate) fn parse_tree(bytes: &[u8], id_len: usize) -> Vec<TreeEntry> {
    let mut entries = Vec::new();
    let mut rest = bytes;
    while let Some(space) = rest.iter().position(|b| *b == b' ') {
        let Some(nul) = rest.iter().position(|b| *b == 0) else {
            break;
        };
        if nul < space || rest.len() < nul + 1 + id_len {
            break;
        }
        let mode = std::str::from_utf8(&rest[..space])
            .ok()
            .and_then(|m| u32::from_str_radix(m, 8).ok());
        let name = rest[space + 1..nul].to_vec();
        let id: String = rest[nul + 1..nul + 1 + id_len]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        rest = &rest[nul + 1 + id_len..];
        if let Some(mode) = mode {
            entries.push(TreeEntry { mode, name, id });
        }
    }
    entries
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
            [
                Some(Object::Blob(b"abc".to_vec())),
                None,
                Some(Object::Skipped { size: 10 }),
                Some(Object::Blob(b"xy".to_vec()))
            ]
        );
    }

    #[test]
    fn a_tree_with_a_newline_in_a_name_keeps_every_entry() {
        let mut tree = Vec::new();
        tree.extend_from_slice(b"100644 a\nb.md\0");
        tree.extend_from_slice(&[0xab; 20]);
        tree.extend_from_slice(b"40000 sub\0");
        tree.extend_from_slice(&[0x01; 20]);
        let entries = parse_tree(&tree, 20);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].name, b"a\nb.md");
        assert_eq!(entries[0].id, "ab".repeat(20));
        assert!(entries[0].is_file());
        assert!(entries[1].is_tree());
        assert_eq!(entries[1].id, "01".repeat(20));
    }
}
