//! Loads the catalogue a profile selects with `model:`: the built-in id, or a catalogue file
//! (relative to the profile) that `extends:` the built-in one or another file.

use crate::diagnostic::{Diagnostic, field_diagnostic};
use crate::model::catalogue::{BUILTIN_ID, Catalogue};
use crate::paths;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::yaml;
use crate::yaml::Spanned;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Catalogue files may extend each other at most this deep (the built-in catalogue not counted):
/// a chain of thousands would otherwise cost time and memory for every file in it.
pub(crate) const MAX_EXTENDS_DEPTH: usize = 16;
/// Domains, subdomains and practices a catalogue may hold in all (the IIC SMM has 30). Each
/// profile on a catalogue keeps a row per entry, so an unbounded catalogue would let a small
/// tree cost memory and output in proportion to profiles × entries.
pub(crate) const MAX_CATALOGUE_ENTRIES: usize = 1_000;

/// Where catalogue files are read from when not from the file system: a past commit's tree.
/// Paths are absolute and normalized, as the file system's would be.
pub(crate) trait CatalogueFiles {
    /// Whether `path` names a regular file.
    fn is_file(&self, path: &Path) -> bool;
    /// The file's bytes; `None` when it cannot be read.
    fn read(&self, path: &Path) -> Option<Vec<u8>>;
}

/// The file system (`check`, `report`), or another source of catalogue files.
enum Files {
    Disk,
    Other(Box<dyn CatalogueFiles>),
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Files::Disk => "Disk",
            Files::Other(_) => "Other",
        })
    }
}

/// Catalogues loaded in this run, by canonical file path ("" for the built-in one).
#[derive(Debug)]
pub(crate) struct Catalogues {
    files_from: Files,
    builtin: Arc<Catalogue>,
    /// The catalogue of each file a profile's `model:` names.
    files: HashMap<PathBuf, Option<Arc<Catalogue>>>,
    /// Every catalogue file read, parsed once however many chains it is in.
    parsed: HashMap<PathBuf, Option<Arc<Parsed>>>,
    /// Files whose own problems were reported.
    applied: HashSet<PathBuf>,
    /// Files at which a problem of the chain (cycle, depth) was reported.
    chain_reported: HashSet<PathBuf>,
    cwd: PathBuf,
}

/// A catalogue file's text and YAML, and what it extends.
#[derive(Debug)]
struct Parsed {
    file: Arc<SourceFile>,
    root: yaml::Node,
    base: Base,
}

#[derive(Debug)]
enum Base {
    Builtin,
    /// The canonical path of another catalogue file, and where `extends` names it.
    File(PathBuf, Range<usize>),
}

impl Catalogues {
    pub(crate) fn new(cwd: PathBuf) -> Result<Catalogues, String> {
        Ok(Catalogues::with(
            Arc::new(Catalogue::builtin()?),
            cwd,
            Files::Disk,
        ))
    }

    /// Catalogues whose files are read from `source` instead of the file system (paths are
    /// still resolved as on disk, but no link is followed: a source holds files only).
    pub(crate) fn from_source(
        builtin: Arc<Catalogue>,
        cwd: PathBuf,
        source: Box<dyn CatalogueFiles>,
    ) -> Catalogues {
        Catalogues::with(builtin, cwd, Files::Other(source))
    }

    fn with(builtin: Arc<Catalogue>, cwd: PathBuf, files_from: Files) -> Catalogues {
        Catalogues {
            files_from,
            builtin,
            files: HashMap::new(),
            parsed: HashMap::new(),
            applied: HashSet::new(),
            chain_reported: HashSet::new(),
            cwd,
        }
    }

    pub(crate) fn builtin(&self) -> Arc<Catalogue> {
        Arc::clone(&self.builtin)
    }

    /// The catalogue for a profile's `model:` value. Problems in a catalogue file are reported
    /// once, the first time it is loaded; `None` means the profile cannot be checked.
    pub(crate) fn for_model(
        &mut self,
        model: Option<&Spanned<String>>,
        profile_file: &Arc<SourceFile>,
        profile_dir: &Path,
        repo_root: &Path,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Catalogue>> {
        let Some(model) = model else {
            return Some(self.builtin());
        };
        let value = model.value.trim();
        if value == BUILTIN_ID {
            return Some(self.builtin());
        }
        if !looks_like_path(value) {
            out.push(
                Diagnostic::new(
                    Rule::UnknownId,
                    profile_file,
                    model.span.clone(),
                    format!("unknown model `{value}`"),
                )
                .label("not a built-in catalogue")
                .help(format!(
                    "use `{BUILTIN_ID}`, or a path to a catalogue file ending in .yaml"
                )),
            );
            return None;
        }
        let path = paths::normalize(&profile_dir.join(value));
        let Some(path) = self.locate(&path, repo_root) else {
            out.push(
                Diagnostic::new(
                    Rule::CatalogueInvalid,
                    profile_file,
                    model.span.clone(),
                    format!("catalogue file `{value}` does not exist inside the repository"),
                )
                .label("cannot be read"),
            );
            return None;
        };
        self.load_file(&path, repo_root, out)
    }

    /// The canonical path of an existing file inside the repository.
    fn locate(&self, path: &Path, repo_root: &Path) -> Option<PathBuf> {
        if !paths::is_inside(path, repo_root) {
            return None;
        }
        if let Files::Other(source) = &self.files_from {
            return source.is_file(path).then(|| path.to_path_buf());
        }
        let canonical = path.canonicalize().ok()?;
        let root = repo_root.canonicalize().ok()?;
        (canonical.starts_with(&root) && canonical.is_file()).then_some(canonical)
    }

    /// The catalogue of the file `top`: its chain of `extends` is followed iteratively (at most
    /// [`MAX_EXTENDS_DEPTH`] files), then applied once onto a single copy of the built-in
    /// catalogue, so that no level keeps a copy of its own.
    fn load_file(
        &mut self,
        top: &Path,
        repo_root: &Path,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Catalogue>> {
        if let Some(done) = self.files.get(top) {
            return done.clone();
        }
        let result = self.chain(top, repo_root, out).and_then(|chain| {
            let catalogue = self.apply(&chain, out);
            if catalogue.entries.len() > MAX_CATALOGUE_ENTRIES {
                let file = &chain[0].1.file;
                out.push(
                    Diagnostic::new(
                        Rule::CatalogueInvalid,
                        file,
                        0..0,
                        format!(
                            "the catalogue holds {} domains, subdomains and practices; the limit is {MAX_CATALOGUE_ENTRIES}",
                            catalogue.entries.len()
                        ),
                    )
                    .help("a catalogue extension adds the practices of an industry profile, not thousands; split it"),
                );
                return None;
            }
            Some(Arc::new(catalogue))
        });
        self.files.insert(top.to_path_buf(), result.clone());
        result
    }

    /// The files from `top` down to the one that extends the built-in catalogue, or `None` when
    /// one cannot be used (reported).
    fn chain(
        &mut self,
        top: &Path,
        repo_root: &Path,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Vec<(PathBuf, Arc<Parsed>)>> {
        let mut chain: Vec<(PathBuf, Arc<Parsed>)> = Vec::new();
        let mut path = top.to_path_buf();
        loop {
            let parsed = self.parse(&path, repo_root, out)?;
            let Base::File(next, span) = &parsed.base else {
                chain.push((path, parsed));
                return Some(chain);
            };
            let (next, span) = (next.clone(), span.clone());
            let problem = if next == path || chain.iter().any(|(p, _)| *p == next) {
                Some(
                    Diagnostic::new(
                        Rule::CatalogueInvalid,
                        &parsed.file,
                        span,
                        "catalogue files extend each other in a cycle",
                    )
                    .label("leads back to a file already being loaded"),
                )
            } else if chain.len() + 1 == MAX_EXTENDS_DEPTH {
                Some(
                    Diagnostic::new(
                        Rule::CatalogueInvalid,
                        &parsed.file,
                        span,
                        format!(
                            "catalogue files extend each other more than {MAX_EXTENDS_DEPTH} deep"
                        ),
                    )
                    .label("not read")
                    .help(format!(
                        "extend `{BUILTIN_ID}` or a file nearer to it, or merge catalogue files"
                    )),
                )
            } else {
                None
            };
            if let Some(problem) = problem {
                self.report_once(&path, problem, out);
                return None;
            }
            chain.push((path, parsed));
            path = next;
        }
    }

    /// A problem of the chain seen from one file (a cycle, too deep), reported the first time.
    fn report_once(&mut self, path: &Path, problem: Diagnostic, out: &mut Vec<Diagnostic>) {
        if self.chain_reported.insert(path.to_path_buf()) {
            out.push(problem);
        }
    }

    /// The built-in catalogue extended by each file of `chain`, the deepest first. A file's own
    /// problems are reported the first time it is applied (they do not depend on which file's
    /// chain it is in: what lies below a file is always the same).
    fn apply(&mut self, chain: &[(PathBuf, Arc<Parsed>)], out: &mut Vec<Diagnostic>) -> Catalogue {
        let mut catalogue = (*self.builtin).clone();
        for (path, parsed) in chain.iter().rev() {
            let errors = catalogue.extend_from(&parsed.root, false);
            if self.applied.insert(path.clone()) {
                for err in errors {
                    out.push(field_diagnostic(
                        Rule::CatalogueInvalid,
                        &parsed.file,
                        err,
                        0.7,
                    ));
                }
            }
        }
        catalogue
    }

    /// A catalogue file, read and parsed once per run; `None` when it cannot be used (reported
    /// the first time).
    fn parse(
        &mut self,
        path: &Path,
        repo_root: &Path,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Parsed>> {
        if let Some(done) = self.parsed.get(path) {
            return done.clone();
        }
        let result = self.read_file(path, repo_root, out).map(Arc::new);
        self.parsed.insert(path.to_path_buf(), result.clone());
        result
    }

    fn read_file(
        &self,
        path: &Path,
        repo_root: &Path,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Parsed> {
        let name = paths::display(path, &self.cwd);
        let bytes = match &self.files_from {
            Files::Disk => std::fs::read(path).ok()?,
            Files::Other(source) => source.read(path)?,
        };
        let text = crate::read::lossy_text(&bytes).into_owned();
        let file = SourceFile::new(name, text);
        let root = match yaml::parse(&file.text) {
            Ok(root) => root,
            Err(e) => {
                out.push(Diagnostic::new(
                    Rule::CatalogueInvalid,
                    &file,
                    e.offset..e.offset,
                    format!("invalid YAML: {}", e.message),
                ));
                return None;
            }
        };
        let extends = match &root.value {
            yaml::Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some("extends"))
                .map(|(_, v)| v),
            _ => None,
        };
        let Some((base_name, base_span)) =
            extends.and_then(|v| v.as_str().map(|s| (s.trim().to_owned(), v.span.clone())))
        else {
            let span = root.span.start..root.span.start;
            out.push(
                Diagnostic::new(
                    Rule::CatalogueInvalid,
                    &file,
                    span,
                    "a catalogue file must say what it extends",
                )
                .help(format!(
                    "add `extends: {BUILTIN_ID}` (or a path to another catalogue file)"
                )),
            );
            return None;
        };
        let base = if base_name == BUILTIN_ID {
            Base::Builtin
        } else {
            let dir = path.parent().unwrap_or(Path::new(""));
            let base_path = paths::normalize(&dir.join(&base_name));
            let Some(base_path) = self.locate(&base_path, repo_root) else {
                out.push(Diagnostic::new(
                    Rule::CatalogueInvalid,
                    &file,
                    base_span,
                    format!("`{base_name}` is neither `{BUILTIN_ID}` nor a catalogue file inside the repository"),
                ));
                return None;
            };
            Base::File(base_path, base_span)
        };
        Some(Parsed { file, root, base })
    }
}

fn looks_like_path(value: &str) -> bool {
    value.contains('/') || value.ends_with(".yaml") || value.ends_with(".yml")
}
