//! Loads the catalogue a profile selects with `model:`: the built-in id, or a catalogue file
//! (relative to the profile) that `extends:` the built-in one or another file.

use crate::diagnostic::{Diagnostic, field_diagnostic};
use crate::model::catalogue::{BUILTIN_ID, Catalogue};
use crate::model::mapping::{self, MAX_MAPPINGS_PER_PROFILE, Mapping};
use crate::paths;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::text::excerpt;
use crate::text::suggest::did_you_mean;
use crate::yaml;
use crate::yaml::Spanned;
use std::collections::{HashMap, HashSet};
use std::io::Read as _;
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
    mapping_files: MappingFiles,
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
        Ok(Catalogues::on_disk(Arc::new(Catalogue::builtin()?), cwd))
    }

    /// Catalogues read from the file system, with the built-in one already read.
    pub(crate) fn on_disk(builtin: Arc<Catalogue>, cwd: PathBuf) -> Catalogues {
        Catalogues::with(builtin, cwd, Files::Disk)
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
            mapping_files: MappingFiles::default(),
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

    /// The catalogue of the file at `path` (absolute), read with the repository it is in as
    /// the bound of its `extends:` chain: for commands that name a catalogue file directly.
    pub(crate) fn for_file(
        &mut self,
        path: &Path,
        out: &mut Vec<Diagnostic>,
    ) -> Result<Option<Arc<Catalogue>>, String> {
        let dir = path.parent().unwrap_or(Path::new("/"));
        let repo_root = paths::git_root(dir).unwrap_or_else(|| dir.to_path_buf());
        let Some(path) = self.locate(&paths::normalize(path), &repo_root) else {
            return Err("no such catalogue file".to_owned());
        };
        Ok(self.load_file(&path, &repo_root, out))
    }

    fn locate(&self, path: &Path, repo_root: &Path) -> Option<PathBuf> {
        if let Files::Other(source) = &self.files_from {
            return (paths::is_inside(path, repo_root)
                && !paths::in_git_metadata(path, repo_root)
                && source.is_file(path))
            .then(|| path.to_path_buf());
        }
        locate(path, repo_root)
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

/// The canonical path of an existing file inside the repository: `None` for a path that
/// leads out, by `..` or through a symbolic link, before anything is read.
fn locate(path: &Path, repo_root: &Path) -> Option<PathBuf> {
    // Git's metadata counts as outside: checked as written and where the links lead.
    if !paths::is_inside(path, repo_root) || paths::in_git_metadata(path, repo_root) {
        return None;
    }
    let canonical = path.canonicalize().ok()?;
    let root = repo_root.canonicalize().ok()?;
    (canonical.starts_with(&root)
        && !paths::in_git_metadata(&canonical, &root)
        && canonical.is_file())
    .then_some(canonical)
}

fn looks_like_path(value: &str) -> bool {
    value.contains('/') || value.ends_with(".yaml") || value.ends_with(".yml")
}

/// Mapping files read in this run, keyed by their canonical path (or `builtin:NAME`) and the
/// catalogue they were read against: each is parsed, and its problems reported, once.
#[derive(Debug, Default)]
pub(crate) struct MappingFiles {
    done: HashMap<(String, usize), Option<Arc<Mapping>>>,
}

impl Catalogues {
    /// The mappings a profile's `mappings:` selects, read against its catalogue. A value that
    /// cannot be used is a finding at it and is left out; the others are still used.
    pub(crate) fn mappings_for(
        &mut self,
        selected: &[Spanned<String>],
        profile_file: &Arc<SourceFile>,
        profile_dir: &Path,
        repo_root: &Path,
        catalogue: &Arc<Catalogue>,
        out: &mut Vec<Diagnostic>,
    ) -> Vec<Arc<Mapping>> {
        let mut loaded: Vec<Arc<Mapping>> = Vec::new();
        for (i, value) in selected.iter().enumerate() {
            if i == MAX_MAPPINGS_PER_PROFILE {
                out.push(
                    Diagnostic::new(
                        Rule::CatalogueInvalid,
                        profile_file,
                        value.span.clone(),
                        format!("a profile selects at most {MAX_MAPPINGS_PER_PROFILE} mappings; this one and those after it are not read"),
                    )
                    .help("merge mappings of one framework into one file"),
                );
                break;
            }
            let at = |message: String| {
                Diagnostic::new(
                    Rule::CatalogueInvalid,
                    profile_file,
                    value.span.clone(),
                    message,
                )
            };
            let Some(mapping) = self.mapping(
                value,
                (profile_file, profile_dir),
                repo_root,
                catalogue,
                at,
                out,
            ) else {
                continue;
            };
            if let Some(same) = loaded.iter().find(|m| m.framework == mapping.framework) {
                out.push(
                    at(format!(
                        "`{}` maps framework `{}` too, which `{}` already maps; it is not used",
                        excerpt(value.value.trim()),
                        excerpt(&mapping.framework),
                        excerpt(&same.source)
                    ))
                    .help(
                        "a `standard:` value must name one mapping: select one file per framework",
                    ),
                );
                continue;
            }
            loaded.push(mapping);
        }
        loaded
    }

    fn mapping(
        &mut self,
        value: &Spanned<String>,
        (profile_file, profile_dir): (&Arc<SourceFile>, &Path),
        repo_root: &Path,
        catalogue: &Arc<Catalogue>,
        at: impl Fn(String) -> Diagnostic,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Mapping>> {
        let written = value.value.trim();
        let catalogue_key = Arc::as_ptr(catalogue) as usize;
        if let Some(name) = written.strip_prefix(mapping::BUILTIN_PREFIX) {
            let Some(text) = mapping::builtin_text(name) else {
                let names = mapping::builtin_names();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                out.push(
                    Diagnostic::new(
                        Rule::UnknownId,
                        profile_file,
                        value.span.clone(),
                        format!("no built-in mapping is called `{}`", excerpt(written)),
                    )
                    .help(did_you_mean(
                        written,
                        &names,
                        &format!("the built-in mappings are {}", names.join(", ")),
                    )),
                );
                return None;
            };
            let key = (written.to_owned(), catalogue_key);
            if let Some(done) = self.mapping_files.done.get(&key) {
                return done.clone();
            }
            let file = SourceFile::new(format!("<{written}>"), text.to_owned());
            let result = mapping::parse(&file, written.to_owned(), catalogue, out).map(Arc::new);
            self.mapping_files.done.insert(key, result.clone());
            return result;
        }
        if Path::new(written).is_absolute() {
            out.push(
                at(format!(
                    "mapping path `{}` is absolute; it is not read",
                    excerpt(written)
                ))
                .help("write the path relative to the profile document, inside the repository"),
            );
            return None;
        }
        let joined = paths::normalize(&profile_dir.join(written));
        let Some(path) = locate(&joined, repo_root) else {
            out.push(at(format!("mapping file `{}` does not exist inside the repository", excerpt(written)))
                .label("not read")
                .help(format!("a path relative to the profile document, leading to a file inside the repository (no `..` or symbolic link out of it), or one of {}", mapping::builtin_names().join(", "))));
            return None;
        };
        let key = (path.to_string_lossy().into_owned(), catalogue_key);
        if let Some(done) = self.mapping_files.done.get(&key) {
            return done.clone();
        }
        let result = self.read_mapping(&path, catalogue, &at, out).map(Arc::new);
        self.mapping_files.done.insert(key, result.clone());
        result
    }

    /// Reads and parses a mapping file, at most [`mapping::MAX_MAPPING_BYTES`] of it.
    fn read_mapping(
        &self,
        path: &Path,
        catalogue: &Catalogue,
        at: &impl Fn(String) -> Diagnostic,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Mapping> {
        let limit = mapping::MAX_MAPPING_BYTES;
        let mut bytes = Vec::new();
        let read =
            std::fs::File::open(path).and_then(|f| f.take(limit + 1).read_to_end(&mut bytes));
        if let Err(e) = read {
            out.push(at(format!(
                "mapping file cannot be read: {}",
                excerpt(&e.to_string())
            )));
            return None;
        }
        if bytes.len() as u64 > limit {
            out.push(
                at(format!(
                    "the mapping file is larger than {limit} bytes; it is not read"
                ))
                .help("split the mapping into one file per part of the framework"),
            );
            return None;
        }
        let name = paths::display(path, &self.cwd);
        let text = crate::read::lossy_text(&bytes).into_owned();
        let file = SourceFile::new(name.clone(), text);
        mapping::parse(&file, name, catalogue, out)
    }
}
