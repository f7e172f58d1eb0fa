//! Loads the catalogue a profile selects with `model:`: the built-in id, or a catalogue file
//! (relative to the profile) that `extends:` the built-in one or another file.

use crate::diagnostic::Diagnostic;
use crate::document::fields::Sp;
use crate::document::{field_diagnostic, yaml};
use crate::model::catalogue::{BUILTIN_ID, Catalogue};
use crate::paths;
use crate::rules::Rule;
use crate::source::SourceFile;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Catalogues loaded in this run, by canonical file path ("" for the built-in one).
#[derive(Debug)]
pub struct Catalogues {
    builtin: Arc<Catalogue>,
    files: HashMap<PathBuf, Option<Arc<Catalogue>>>,
    cwd: PathBuf,
}

impl Catalogues {
    pub fn new(cwd: PathBuf) -> Result<Catalogues, String> {
        Ok(Catalogues {
            builtin: Arc::new(Catalogue::builtin()?),
            files: HashMap::new(),
            cwd,
        })
    }

    pub fn builtin(&self) -> Arc<Catalogue> {
        Arc::clone(&self.builtin)
    }

    /// The catalogue for a profile's `model:` value. Problems in a catalogue file are reported
    /// once, the first time it is loaded; `None` means the profile cannot be checked.
    pub fn for_model(
        &mut self,
        model: Option<&Sp<String>>,
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
        self.load_file(&path, repo_root, &mut Vec::new(), out)
    }

    /// The canonical path of an existing file inside the repository.
    fn locate(&self, path: &Path, repo_root: &Path) -> Option<PathBuf> {
        if !paths::is_inside(path, repo_root) {
            return None;
        }
        let canonical = path.canonicalize().ok()?;
        let root = repo_root.canonicalize().ok()?;
        (canonical.starts_with(&root) && canonical.is_file()).then_some(canonical)
    }

    fn load_file(
        &mut self,
        path: &Path,
        repo_root: &Path,
        chain: &mut Vec<PathBuf>,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Arc<Catalogue>> {
        if let Some(done) = self.files.get(path) {
            return done.clone();
        }
        chain.push(path.to_path_buf());
        let result = self.read_file(path, repo_root, chain, out).map(Arc::new);
        chain.pop();
        self.files.insert(path.to_path_buf(), result.clone());
        result
    }

    fn read_file(
        &mut self,
        path: &Path,
        repo_root: &Path,
        chain: &mut Vec<PathBuf>,
        out: &mut Vec<Diagnostic>,
    ) -> Option<Catalogue> {
        let name = paths::display(path, &self.cwd);
        let bytes = std::fs::read(path).ok()?;
        let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes))
            .into_owned();
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
        let Some(extends) =
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
        let (base_name, base_span) = extends;
        let mut catalogue = if base_name == BUILTIN_ID {
            (*self.builtin).clone()
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
            if chain.contains(&base_path) {
                out.push(
                    Diagnostic::new(
                        Rule::CatalogueInvalid,
                        &file,
                        base_span,
                        "catalogue files extend each other in a cycle",
                    )
                    .label("leads back to a file already being loaded"),
                );
                return None;
            }
            (*self.load_file(&base_path, repo_root, chain, out)?).clone()
        };
        for err in catalogue.extend_from(&root, false) {
            out.push(field_diagnostic(Rule::CatalogueInvalid, &file, err, 0.7));
        }
        Some(catalogue)
    }
}

fn looks_like_path(value: &str) -> bool {
    value.contains('/') || value.ends_with(".yaml") || value.ends_with(".yml")
}
