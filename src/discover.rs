//! Finds the Markdown files to read: walks directories, and walks up from each PATH to the
//! profile it belongs to, so a single file is always checked with its whole profile.

use crate::context::Context;
use crate::error::Fatal;
use crate::paths;
use crate::yaml::frontmatter;
use aho_corasick::AhoCorasick;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use walkdir::WalkDir;

/// Directory names never entered.
const SKIPPED_DIRS: &[&str] = &["node_modules", "target"];

#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Absolute, normalized, sorted, unique.
    pub(crate) files: Vec<PathBuf>,
    /// The directories walked, and single files checked on their own.
    pub(crate) roots: Vec<PathBuf>,
    /// Problems met while walking (unreadable directories).
    pub(crate) unreadable: Vec<(PathBuf, String)>,
    /// Each directory PATH with the directory walked for it: a directory named on the command
    /// line must lead to at least one document (a mistyped CI path must not pass).
    pub(crate) dir_args: Vec<(PathBuf, PathBuf)>,
}

pub(crate) fn is_markdown(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

/// The Markdown files `check PATH…` reads, in its order, with the context it runs in (from the
/// current directory, its `.smm-lint.yaml`): the discovery the parse-only benchmark
/// (`examples/parse_only.rs`) shares with `check`.
#[doc(hidden)]
pub fn files_for_check(args: &[PathBuf]) -> Result<(Context, Vec<PathBuf>), String> {
    let ctx = Context::new(None, None).map_err(|f| f.message)?;
    let found = from_args(args, &ctx).map_err(|f| f.message)?;
    Ok((ctx, found.files))
}

/// [`discover`] for PATH arguments as given on the command line (relative to the current
/// directory).
pub(crate) fn from_args(args: &[PathBuf], ctx: &Context) -> Result<Found, Fatal> {
    let targets: Vec<PathBuf> = args
        .iter()
        .map(|p| paths::normalize(&ctx.cwd.join(p)))
        .collect();
    discover(&targets, ctx)
}

/// `paths` are absolute and normalized. A PATH that is, or passes through, a symbolic link
/// leading out of the repository is refused before anything below it is listed or read.
pub(crate) fn discover(paths: &[PathBuf], ctx: &Context) -> Result<Found, Fatal> {
    let mut discovery = Discovery::new(ctx);
    let mut roots: Vec<PathBuf> = Vec::new();
    let mut singles: Vec<PathBuf> = Vec::new();
    let mut dir_args: Vec<(PathBuf, PathBuf)> = Vec::new();
    // Repository root → names of the files outside every profile tree that were passed.
    let mut cited: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for path in paths {
        check_boundary(path, ctx)?;
        let meta = std::fs::metadata(path).map_err(|e| {
            Fatal::new(format!(
                "cannot read {}: {e}",
                paths::display(path, &ctx.cwd)
            ))
        })?;
        let start = if meta.is_dir() {
            path.clone()
        } else {
            parent(path)
        };
        match discovery.profile_dir_above(&start, &stop_dir(&start, ctx)) {
            Some(dir) => {
                if meta.is_dir() {
                    dir_args.push((path.clone(), dir.clone()));
                }
                roots.push(dir);
            }
            None if meta.is_dir() => {
                dir_args.push((path.clone(), path.clone()));
                roots.push(path.clone());
            }
            None if is_markdown(path) && discovery.head(path).marker.is_some() => {
                singles.push(path.clone());
            }
            None => {
                if let Some(name) = path.file_name() {
                    cited
                        .entry(ctx.repo_root(&parent(path)))
                        .or_default()
                        .push(name.to_string_lossy().into_owned());
                }
            }
        }
    }
    // One walk per repository, however many files outside the profile trees were passed.
    for (root, names) in &cited {
        roots.extend(discovery.citing_profiles(root, names));
    }
    roots.sort();
    roots.dedup();
    let roots: Vec<PathBuf> = roots
        .iter()
        .filter(|r| !roots.iter().any(|o| o != *r && r.starts_with(o)))
        .cloned()
        .collect();
    let mut found = Found::default();
    for root in &roots {
        walk(root, ctx, &mut found);
    }
    let singles: Vec<PathBuf> = singles
        .into_iter()
        .filter(|s| !roots.iter().any(|r| s.starts_with(r)))
        .collect();
    found.files.extend(singles.iter().cloned());
    found.roots = roots.into_iter().chain(singles).collect();
    found.files.sort();
    found.files.dedup();
    found.unreadable.append(&mut discovery.unreadable);
    found.unreadable.sort();
    found.unreadable.dedup();
    found.dir_args = dir_args;
    Ok(found)
}

/// Refuses a PATH outside the repository, or one that reaches outside through a symbolic link
/// (itself or a directory on the way). Every enclosing git work tree is a boundary: a link to
/// another repository does not make that repository "inside".
fn check_boundary(path: &Path, ctx: &Context) -> Result<(), Fatal> {
    let name = |p: &Path| paths::display(p, &ctx.cwd);
    let mut roots: Vec<PathBuf> = paths::git_roots(path).collect();
    if roots.is_empty() {
        roots.push(ctx.fallback_root.clone());
    }
    for root in &roots {
        if !path.starts_with(root) {
            return Err(Fatal::new(format!(
                "cannot read {}: it is outside the repository (outside a git work tree, the repository is the current directory)",
                name(path)
            )));
        }
        let canonical = ctx.cache.canonical(root);
        if let Some(link) = paths::leads_out(path, root, &canonical) {
            let how = if link == *path {
                "it is a symbolic link that leads out of the repository".to_owned()
            } else {
                format!(
                    "it passes through {}, a symbolic link that leads out of the repository",
                    name(&link)
                )
            };
            return Err(Fatal::new(format!("cannot read {}: {how}", name(path))));
        }
    }
    Ok(())
}

/// What the first 64 KiB of a Markdown file tell discovery.
#[derive(Debug, Default)]
struct Head {
    /// A top-level `profile:` key in the front matter.
    profile: bool,
    marker: Option<frontmatter::Marker>,
    /// A practice document's text, searched for the names of the files it may cite.
    practice_text: Option<String>,
}

/// One run's discovery: each directory is listed, and each file's head read, at most once,
/// however many PATHs lead to them.
struct Discovery<'a> {
    ctx: &'a Context,
    heads: HashMap<PathBuf, Rc<Head>>,
    profile_dirs: HashMap<PathBuf, bool>,
    /// Directories the walks for citing practices could not enter.
    unreadable: Vec<(PathBuf, String)>,
}

impl<'a> Discovery<'a> {
    fn new(ctx: &'a Context) -> Self {
        Discovery {
            ctx,
            heads: HashMap::new(),
            profile_dirs: HashMap::new(),
            unreadable: Vec::new(),
        }
    }

    fn head(&mut self, path: &Path) -> Rc<Head> {
        if let Some(head) = self.heads.get(path) {
            return Rc::clone(head);
        }
        let head = Rc::new(read_head(path, self.ctx));
        self.heads.insert(path.to_path_buf(), Rc::clone(&head));
        head
    }

    /// The profiles whose practice documents may cite one of `names`, files of the repository
    /// at `root` outside every profile tree (shared evidence, say): those that mention a name.
    /// This walks the whole repository, once per run; a superset is fine, since the profiles
    /// found are then checked in full.
    fn citing_profiles(&mut self, root: &Path, names: &[String]) -> Vec<PathBuf> {
        // One pass over each text for all the names; if the automaton cannot be built, every
        // practice counts as citing (a superset).
        let matcher = AhoCorasick::new(names).ok();
        let mut all = Found::default();
        walk(root, self.ctx, &mut all);
        // A directory this walk cannot enter may hold a citing practice: reported like any
        // other, so that the run fails rather than passes unchecked.
        self.unreadable.append(&mut all.unreadable);
        let mut dirs = Vec::new();
        for doc in &all.files {
            let head = self.head(doc);
            let cites = head
                .practice_text
                .as_deref()
                .is_some_and(|text| matcher.as_ref().is_none_or(|m| m.is_match(text)));
            if cites {
                dirs.extend(self.profile_dir_above(&parent(doc), root));
            }
        }
        dirs.sort();
        dirs.dedup();
        dirs
    }

    /// The nearest directory from `start` up to `stop` that holds a profile document.
    fn profile_dir_above(&mut self, start: &Path, stop: &Path) -> Option<PathBuf> {
        for dir in start.ancestors() {
            if self.holds_profile(dir) {
                return Some(dir.to_path_buf());
            }
            if dir == stop || !dir.starts_with(stop) {
                break;
            }
        }
        None
    }

    fn holds_profile(&mut self, dir: &Path) -> bool {
        if let Some(&holds) = self.profile_dirs.get(dir) {
            return holds;
        }
        let candidates: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| is_markdown(&e.path()) && e.file_type().is_ok_and(|t| t.is_file()))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default();
        let holds = candidates.iter().any(|path| self.head(path).profile);
        self.profile_dirs.insert(dir.to_path_buf(), holds);
        holds
    }
}

fn read_head(path: &Path, ctx: &Context) -> Head {
    let text = peek(path, ctx);
    let marker = frontmatter::marker(&text);
    let profile = frontmatter::has_profile_key(&text);
    let practice_text = matches!(marker, Some(frontmatter::Marker::Practice(_))).then_some(text);
    Head {
        profile,
        marker,
        practice_text,
    }
}

/// The first 64 KiB of a file as text: enough for any front matter. Empty for anything but a
/// regular file inside the repository (a link leading out is never opened).
fn peek(path: &Path, ctx: &Context) -> String {
    // Check the type before opening: opening a FIFO blocks.
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) || !ctx.stays_inside(path) {
        return String::new();
    }
    let Ok(file) = std::fs::File::open(path) else {
        return String::new();
    };
    crate::read::lossy_text(&crate::read::head(file, crate::read::PEEK_BYTES)).into_owned()
}

fn parent(path: &Path) -> PathBuf {
    path.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Walking up stops at the repository root when `start` is inside it, else at `start`.
fn stop_dir(start: &Path, ctx: &Context) -> PathBuf {
    let root = ctx.repo_root(start);
    if start.starts_with(&root) {
        root
    } else {
        start.to_path_buf()
    }
}

fn walk(root: &Path, ctx: &Context, found: &mut Found) {
    // Symbolic links are not followed while walking, so a link loop cannot trap the walk;
    // a linked Markdown file is still read (the loader checks where it points).
    let walker = WalkDir::new(root).follow_links(false).sort_by_file_name();
    let walker = walker.into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        let skipped_dir = e.file_type().is_dir()
            && e.depth() > 0
            && (name.starts_with('.') || SKIPPED_DIRS.contains(&name.as_ref()));
        !skipped_dir
            && !ctx
                .settings
                .exclude
                .as_ref()
                .is_some_and(|x| x.matches(e.path()))
    });
    for entry in walker {
        match entry {
            Ok(e)
                if is_markdown(e.path())
                    && (e.file_type().is_file() || e.file_type().is_symlink()) =>
            {
                found.files.push(e.into_path());
            }
            Ok(_) => {}
            Err(err) => {
                let path = err
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                let reason = err
                    .io_error()
                    .map_or_else(|| err.to_string(), ToString::to_string);
                found.unreadable.push((path, reason));
            }
        }
    }
}
