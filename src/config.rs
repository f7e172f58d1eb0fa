//! `.smm-lint.yaml`: the file format (its own types, unknown keys refused) and its discovery.

use crate::error::Fatal;
use crate::model::evidence::Requirement;
use crate::read;
use crate::source::SourceFile;
use crate::yaml::{self, Spanned};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) const FILE_NAME: &str = ".smm-lint.yaml";

/// The configuration file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    /// Rule id → `error`, `warning`, `info` or `off`.
    #[serde(default, deserialize_with = "null_as_default")]
    pub(crate) rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub(crate) evidence: EvidenceConfig,
    #[serde(default)]
    pub(crate) assessment: AssessmentConfig,
    /// Globs, relative to the configuration file's directory, of paths to skip.
    #[serde(default, deserialize_with = "null_as_default")]
    pub(crate) exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub(crate) limits: LimitsConfig,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EvidenceConfig {
    /// Allowed age of `reviewed` per kind, merged over the defaults.
    #[serde(default, deserialize_with = "null_as_default")]
    pub(crate) max_age_days: BTreeMap<Spanned<String>, u32>,
    /// Per-level requirements; when given, they replace the defaults entirely.
    pub(crate) requirements: Option<BTreeMap<Spanned<u8>, Vec<Requirement>>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AssessmentConfig {
    pub(crate) max_age_days: Option<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LimitsConfig {
    pub(crate) max_file_bytes: Option<u64>,
    pub(crate) max_documents: Option<usize>,
}

/// A key written with no value (`rules:`) means "nothing here", not an error.
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A loaded configuration file and where it came from.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) config: FileConfig,
    pub(crate) file: Arc<SourceFile>,
    pub(crate) dir: PathBuf,
}

/// Parses a configuration file's text; an error points into it.
pub fn parse(file: &Arc<SourceFile>) -> Result<FileConfig, Fatal> {
    if file.text.trim().is_empty() {
        return Ok(FileConfig::default());
    }
    yaml::from_str::<FileConfig>(&file.text).map_err(|e| {
        Fatal::at(
            file,
            e.offset..e.offset,
            format!("invalid configuration: {}", e.message),
        )
    })
}

/// The nearest `.smm-lint.yaml` in `start` or above it, up to the repository `root`: a file
/// above the root belongs to someone else (anyone who can write to `/tmp`, say). A file that
/// is a symbolic link leading out of the root is refused, not read.
pub(crate) fn discover(start: &Path, root: &Path) -> Result<Option<PathBuf>, Fatal> {
    let Some(path) = start
        .ancestors()
        .take_while(|d| d.starts_with(root))
        .map(|d| d.join(FILE_NAME))
        .find(|p| std::fs::symlink_metadata(p).is_ok_and(|m| !m.is_dir()))
    else {
        return Ok(None);
    };
    let name = crate::paths::display(&path, start);
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    match path.canonicalize() {
        // Only a regular file is read: opening a FIFO would block.
        Ok(target) if target.starts_with(&canonical_root) => Ok(target.is_file().then_some(path)),
        Ok(_) => Err(Fatal::new(format!(
            "cannot read configuration {name}: it is a symbolic link that leads out of the repository"
        ))),
        Err(e) => Err(Fatal::new(format!("cannot read configuration {name}: {e}"))),
    }
}

pub(crate) fn load(path: &Path, display_name: String) -> Result<Loaded, Fatal> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Fatal::new(format!("cannot read configuration {display_name}: {e}")))?;
    from_text(path, display_name, &text)
}

/// A configuration read from `text` as if it were the file at `path` (a past commit's).
pub(crate) fn from_text(path: &Path, display_name: String, text: &str) -> Result<Loaded, Fatal> {
    let file = SourceFile::new(display_name, read::str_without_bom(text).to_owned());
    let config = parse(&file)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(Loaded { config, file, dir })
}
