//! Path arithmetic that never touches the file system unless it says so.

use std::path::{Component, Path, PathBuf};

/// Resolves `.` and `..` lexically. `..` above the root stays at the root.
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` relative to `base` (both absolute and normalized), with `/` separators.
pub(crate) fn display(path: &Path, base: &Path) -> String {
    let p: Vec<Component> = path.components().collect();
    let b: Vec<Component> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); b.len() - common];
    parts.extend(
        p[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

/// The enclosing git work tree of `start` (a directory holding `.git`), if any.
pub(crate) fn git_root(start: &Path) -> Option<PathBuf> {
    git_roots(start).next()
}

/// Every enclosing git work tree of `start`, innermost first. A symbolic link is never one:
/// a link to another repository inside the tree would otherwise become a root of its own, and
/// everything it leads to would count as inside.
pub(crate) fn git_roots(start: &Path) -> impl Iterator<Item = PathBuf> + '_ {
    start
        .ancestors()
        .filter(|dir| {
            !std::fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink())
                && dir.join(".git").exists()
        })
        .map(Path::to_path_buf)
}

/// The first of `path` and its ancestors below `root` (from the top) whose canonical form is
/// not under `canonical_root`: the symbolic link through which `path` leads out. `path` is
/// absolute, normalized and under `root`; components that do not exist are passed over.
pub(crate) fn leads_out(path: &Path, root: &Path, canonical_root: &Path) -> Option<PathBuf> {
    let below: Vec<&Path> = path
        .ancestors()
        .take_while(|a| *a != root && a.starts_with(root))
        .collect();
    below
        .into_iter()
        .rev()
        .find(|prefix| {
            prefix
                .canonicalize()
                .is_ok_and(|c| !c.starts_with(canonical_root))
        })
        .map(Path::to_path_buf)
}

/// Whether `path` is `root` or below it (both normalized).
pub(crate) fn is_inside(path: &Path, root: &Path) -> bool {
    path.starts_with(root)
}

/// Whether `path` lies in git's metadata below `root`: a component named `.git` (any case, as
/// some file systems ignore it). Git's files are not repository content, and some of them hold
/// secrets (a CI job's token in `.git/config`) or personal data (the reflog).
pub(crate) fn in_git_metadata(path: &Path, root: &Path) -> bool {
    // Nearly every path holds no `.git` at all: a scan of its bytes answers that without
    // splitting it into components.
    let bytes = path.as_os_str().as_encoded_bytes();
    if !bytes.windows(4).any(|w| w.eq_ignore_ascii_case(b".git")) {
        return false;
    }
    path.strip_prefix(root).is_ok_and(|below| {
        below
            .components()
            .any(|c| c.as_os_str().eq_ignore_ascii_case(".git"))
    })
}

/// Decodes `%XX` escapes in a link destination; invalid escapes stay as written.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_metadata_is_any_dot_git_component_below_the_root() {
        let root = Path::new("/r");
        for inside in ["/r/.git/config", "/r/a/.GIT/x", "/r/sub/.git"] {
            assert!(in_git_metadata(Path::new(inside), root), "{inside}");
        }
        for not in ["/r/a.git/x", "/r/.github/x", "/r/x.md", "/.git/r/x"] {
            assert!(!in_git_metadata(Path::new(not), root), "{not}");
        }
        assert!(!in_git_metadata(Path::new("/r/x"), Path::new("/w/.git/r")));
    }

    #[test]
    fn normalizes_and_displays() {
        assert_eq!(
            normalize(Path::new("/a/b/../c/./d")),
            PathBuf::from("/a/c/d")
        );
        assert_eq!(display(Path::new("/r/a/b.md"), Path::new("/r")), "a/b.md");
        assert_eq!(
            display(Path::new("/x/b.md"), Path::new("/r/s")),
            "../../x/b.md"
        );
        assert!(is_inside(
            &normalize(Path::new("/r/a/../b")),
            Path::new("/r")
        ));
        assert!(!is_inside(
            &normalize(Path::new("/r/../../etc")),
            Path::new("/r")
        ));
        assert_eq!(percent_decode("a%20b%zz%2"), "a b%zz%2");
    }

    #[cfg(unix)]
    #[test]
    fn finds_the_link_through_which_a_path_leads_out() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let base = tmp.path().canonicalize().expect("canonical");
        let (root, outside) = (base.join("repo"), base.join("outside"));
        std::fs::create_dir_all(root.join("a/.git")).expect("mkdir");
        std::fs::create_dir_all(root.join(".git")).expect("mkdir");
        std::fs::create_dir_all(outside.join("b/.git")).expect("mkdir");
        std::os::unix::fs::symlink(&outside, root.join("a/out")).expect("symlink");
        std::os::unix::fs::symlink(root.join("a"), root.join("in")).expect("symlink");
        let deep = root.join("a/out/b/x.md");
        // A link to a repository is not a root; the directory holding `.git` below it is,
        // which is why every enclosing root is checked.
        let roots: Vec<PathBuf> = git_roots(&deep).collect();
        assert_eq!(roots, [root.join("a/out/b"), root.join("a"), root.clone()]);
        assert_eq!(git_roots(&root.join("a/out")).next(), Some(root.join("a")));
        assert_eq!(
            leads_out(&deep, &root, &root),
            Some(root.join("a/out")),
            "the first component that leaves"
        );
        assert_eq!(leads_out(&root.join("in/x.md"), &root, &root), None);
        assert_eq!(leads_out(&root.join("missing/x.md"), &root, &root), None);
    }
}
