//! One commit analysed as `check` would analyse its tree: its documents parsed from blobs with
//! `document::parse`, its configuration, its catalogue files, `profile::build` and the
//! report's levels and rollups. No file-system check runs: evidence on disk is today's, not
//! the commit's.

use super::commits::Commit;
use super::model::Point;
use super::tree::{Blob, Recent, Store};
use crate::config;
use crate::context::Context;
use crate::date::Date;
use crate::discover::is_markdown;
use crate::document::schema::Front;
use crate::document::{self, Broken, Document};
use crate::error::Fatal;
use crate::model::catalogue::Catalogue;
use crate::model::load::{CatalogueFiles, Catalogues};
use crate::paths;
use crate::settings::Settings;
use crate::yaml::frontmatter;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

/// A blob read as a document, kept for every later commit that has the same blob at the
/// same path.
#[derive(Debug)]
enum Read {
    Document(Box<Document>),
    Broken(Broken),
    /// Not one of ours.
    Other,
    /// Listed in the tree but git could not give the blob: whether it is ours is unknown.
    Unknown,
}

/// What a commit's configuration decides for the walk.
#[derive(Debug, Clone)]
struct Limits {
    kinds: Vec<String>,
    max_file_bytes: u64,
    max_documents: usize,
    /// The configuration's path when it did not parse (the defaults are used).
    unparsed: Option<String>,
}

pub(super) struct Walker<'a> {
    ctx: &'a Context,
    /// The repository root (absolute).
    root: PathBuf,
    store: Rc<RefCell<Store>>,
    builtin: Arc<Catalogue>,
    /// Where the configuration is looked for at each commit, relative to the root, nearest
    /// first; `None` when the run's configuration lies outside the repository (then it is
    /// used for every commit).
    config_candidates: Option<Vec<PathBuf>>,
    /// By blob id, path, evidence kinds (numbered) and size limit: what the reading depends on.
    documents: Recent<(String, PathBuf, usize, u64), Rc<Read>>,
    /// The evidence kinds seen, numbered: part of a parsed document's key.
    kinds: Vec<Vec<String>>,
    limits: HashMap<Option<String>, Limits>,
}

impl<'a> Walker<'a> {
    pub(super) fn new(ctx: &'a Context, root: PathBuf, store: Store) -> Result<Walker<'a>, Fatal> {
        let config_candidates = match &ctx.settings.config_path {
            Some(path) => path
                .strip_prefix(&root)
                .ok()
                .map(|rel| vec![rel.to_path_buf()]),
            None => Some(
                ctx.cwd
                    .ancestors()
                    .filter_map(|d| d.strip_prefix(&root).ok())
                    .map(|d| d.join(config::FILE_NAME))
                    .collect(),
            ),
        };
        Ok(Walker {
            ctx,
            root,
            store: Rc::new(RefCell::new(store)),
            builtin: Arc::new(Catalogue::builtin().map_err(Fatal::new)?),
            config_candidates,
            documents: Recent::new(),
            kinds: Vec::new(),
            limits: HashMap::new(),
        })
    }

    /// The point of `commit`: the documents under `roots` (relative to the repository root).
    pub(super) fn point(
        &mut self,
        commit: &Commit,
        roots: &[PathBuf],
        tags: &BTreeMap<String, Vec<String>>,
    ) -> Result<Point, Fatal> {
        self.store.borrow_mut().next_generation();
        self.documents.next_generation();
        let limits = self.limits_at(&commit.tree)?;
        let files = self
            .store
            .borrow_mut()
            .files_under(&commit.tree, roots, &is_markdown)?;
        if files.len() > limits.max_documents {
            return Err(Fatal::new(format!(
                "at commit {} the paths hold {} Markdown files; the limit is {} per run",
                commit.id,
                files.len(),
                limits.max_documents
            ))
            .help("give the profile's directory as PATH, or raise `limits.max_documents`"));
        }
        let kinds = self.kinds_index(&limits.kinds);
        let mut documents = Vec::new();
        let mut broken = Vec::new();
        let mut unparsed: Vec<String> = limits.unparsed.iter().cloned().collect();
        for (path, id) in files {
            match &*self.read(&path, &id, kinds, &limits)? {
                Read::Document(doc) => documents.push((**doc).clone()),
                Read::Broken(b) => {
                    unparsed.push(path.to_string_lossy().into_owned());
                    broken.push(b.clone());
                }
                Read::Unknown => unparsed.push(path.to_string_lossy().into_owned()),
                Read::Other => {}
            }
        }
        let mut catalogues = Catalogues::from_source(
            Arc::clone(&self.builtin),
            self.ctx.cwd.clone(),
            Box::new(TreeFiles {
                store: Rc::clone(&self.store),
                tree: commit.tree.clone(),
                root: self.root.clone(),
            }),
        );
        // The findings of building the profiles are `check`'s business, not the history's.
        let mut findings = Vec::new();
        let profiles = crate::profile::build(
            &documents,
            &broken,
            &mut catalogues,
            self.ctx,
            &mut findings,
        );
        // A profile document that parsed but could not be built into a profile here (its
        // catalogue file missing or invalid, two profiles in one directory): its levels are
        // unknown at this commit, so it is listed rather than left out silently.
        for doc in &documents {
            let built = profiles.iter().any(|p| p.doc.path == doc.path);
            if matches!(doc.front, Front::Profile(_)) && !built {
                let rel = doc.path.strip_prefix(&self.root).unwrap_or(&doc.path);
                unparsed.push(rel.to_string_lossy().into_owned());
            }
        }
        unparsed.sort();
        Ok(Point {
            commit: commit.id.clone(),
            date: Date::from_days(commit.time.div_euclid(86_400)).to_string(),
            time: commit.time,
            subject: commit.subject.clone(),
            tags: tags.get(&commit.id).cloned().unwrap_or_default(),
            profiles: profiles.iter().map(super::point::profile_point).collect(),
            unparsed,
        })
    }

    fn kinds_index(&mut self, kinds: &[String]) -> usize {
        if let Some(i) = self.kinds.iter().position(|k| k == kinds) {
            return i;
        }
        self.kinds.push(kinds.to_vec());
        self.kinds.len() - 1
    }

    /// The blob `id` at `path` read as a document: parsed once per blob, path, kinds and limit.
    fn read(
        &mut self,
        path: &Path,
        id: &str,
        kinds: usize,
        limits: &Limits,
    ) -> Result<Rc<Read>, Fatal> {
        let key = (
            id.to_owned(),
            path.to_path_buf(),
            kinds,
            limits.max_file_bytes,
        );
        if let Some(done) = self.documents.get(&key) {
            return Ok(done);
        }
        let abs = self.root.join(path);
        let blob = self.store.borrow_mut().blob(id)?;
        let read = match blob {
            Blob::Bytes(bytes) if bytes.len() as u64 <= limits.max_file_bytes => {
                let name = paths::display(&abs, &self.ctx.cwd);
                let parsed = document::parse(abs, name, &bytes, &limits.kinds);
                match (parsed.document, parsed.broken) {
                    (Some(doc), _) => Read::Document(Box::new(doc)),
                    (None, Some(b)) => Read::Broken(b),
                    (None, None) => Read::Other,
                }
            }
            Blob::Bytes(bytes) => too_large(abs, &bytes),
            Blob::TooLarge => {
                let head = crate::git::blob_head(&self.root, id, crate::read::PEEK_BYTES);
                too_large(abs, &head)
            }
            Blob::Missing => Read::Unknown,
        };
        let read = Rc::new(read);
        self.documents.insert(key, Rc::clone(&read));
        Ok(read)
    }

    /// The limits and evidence kinds of the configuration in effect at `tree`.
    fn limits_at(&mut self, tree: &str) -> Result<Limits, Fatal> {
        let Some(candidates) = &self.config_candidates else {
            return Ok(limits_of(&self.ctx.settings, None));
        };
        let mut found = None;
        for candidate in candidates {
            if let Some(id) = self.store.borrow_mut().lookup(tree, candidate)? {
                found = Some((candidate.clone(), id));
                break;
            }
        }
        let key = found.as_ref().map(|(_, id)| id.clone());
        if let Some(done) = self.limits.get(&key) {
            return Ok(done.clone());
        }
        let limits = match found {
            None => limits_of(&Settings::from_loaded(None, None)?, None),
            Some((path, id)) => self.config_limits(&path, &id)?,
        };
        self.limits.insert(key, limits.clone());
        Ok(limits)
    }

    /// The limits of the configuration blob `id` at `path`; the defaults, with the path
    /// marked unparsed, when it cannot be read or used.
    fn config_limits(&mut self, path: &Path, id: &str) -> Result<Limits, Fatal> {
        let abs = self.root.join(path);
        let display = path.to_string_lossy().into_owned();
        let settings = match self.store.borrow_mut().blob(id)? {
            Blob::Bytes(bytes) => {
                let text = crate::read::lossy_text(&bytes).into_owned();
                config::from_text(&abs, display.clone(), &text)
                    .and_then(|loaded| Settings::from_loaded(Some(&loaded), Some(abs.clone())))
                    .ok()
            }
            _ => None,
        };
        Ok(match settings {
            Some(settings) => limits_of(&settings, None),
            None => limits_of(&Settings::from_loaded(None, None)?, Some(display)),
        })
    }
}

fn limits_of(settings: &Settings, unparsed: Option<String>) -> Limits {
    Limits {
        kinds: settings.evidence.kinds.clone(),
        max_file_bytes: settings.max_file_bytes,
        max_documents: settings.max_documents,
        unparsed,
    }
}

/// A blob above the size limit is not parsed: when its head shows our front matter, it is a
/// document whose levels are unknown at this commit (fails closed); otherwise not ours.
fn too_large(path: PathBuf, head: &[u8]) -> Read {
    let text = crate::read::lossy_text(head).into_owned();
    let front = match frontmatter::split(&text) {
        frontmatter::Split::Fenced { yaml, .. } => &text[yaml],
        frontmatter::Split::Unclosed { open } => &text[open.end..],
        frontmatter::Split::None => return Read::Other,
    };
    match frontmatter::marker(front) {
        Some(marker) => Read::Broken(Broken { path, marker }),
        None => Read::Other,
    }
}

/// A commit's tree as the source of catalogue files.
struct TreeFiles {
    store: Rc<RefCell<Store>>,
    tree: String,
    root: PathBuf,
}

impl TreeFiles {
    fn id(&self, path: &Path) -> Option<String> {
        let rel = path.strip_prefix(&self.root).ok()?;
        self.store.borrow_mut().lookup(&self.tree, rel).ok()?
    }
}

impl CatalogueFiles for TreeFiles {
    fn is_file(&self, path: &Path) -> bool {
        self.id(path).is_some()
    }

    fn read(&self, path: &Path) -> Option<Vec<u8>> {
        let id = self.id(path)?;
        match self.store.borrow_mut().blob(&id).ok()? {
            Blob::Bytes(bytes) => Some(bytes.to_vec()),
            _ => None,
        }
    }
}
