//! What the configuration decides: rule severities, evidence rules, excludes, limits.

use crate::config::{self, FileConfig};
use crate::error::Fatal;
use crate::model::evidence::EvidenceRules;
use crate::paths;
use crate::rules::Rule;
use crate::rules::Severity;
use crate::source::SourceFile;
use crate::text::excerpt;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Default size above which only a Markdown file's front matter is read (`file-too-large`).
pub(crate) const DEFAULT_MAX_FILE_BYTES: u64 = 1024 * 1024;
/// Default number of profile and practice documents read in one run (`limit-exceeded` past it).
pub(crate) const DEFAULT_MAX_DOCUMENTS: usize = 100_000;

/// What the configuration decides, with the defaults where it is silent.
#[derive(Debug)]
pub struct Settings {
    /// Severity per rule after configuration; `None` means the rule is off.
    pub(crate) severities: HashMap<Rule, Option<Severity>>,
    pub(crate) evidence: EvidenceRules,
    pub(crate) exclude: Option<Exclude>,
    pub(crate) max_file_bytes: u64,
    pub(crate) max_documents: usize,
    /// The configuration file in effect (absolute), if any: `--base` compares it.
    pub(crate) config_path: Option<PathBuf>,
}

#[derive(Debug)]
pub(crate) struct Exclude {
    pub(crate) globs: GlobSet,
    /// Globs are relative to the configuration file's directory.
    pub(crate) base: PathBuf,
}

impl Exclude {
    pub(crate) fn matches(&self, path: &Path) -> bool {
        path.strip_prefix(&self.base)
            .is_ok_and(|rel| self.globs.is_match(rel))
    }
}

impl Settings {
    /// The settings of a run in `cwd`: from `config` as given on the command line (relative
    /// to `cwd`), else from the `.smm-lint.yaml` found from `cwd` up to its repository root.
    pub fn resolve(config: Option<&Path>, cwd: &Path) -> Result<Settings, Fatal> {
        // Outside a git work tree the current directory is the root.
        let root = paths::git_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
        let config_path = match config {
            Some(p) => Some(paths::normalize(&cwd.join(p))),
            None => config::discover(cwd, &root)?,
        };
        let loaded = match &config_path {
            Some(path) => Some(config::load(path, paths::display(path, cwd))?),
            None => None,
        };
        Settings::from_loaded(loaded.as_ref(), config_path)
    }

    /// The settings a configuration gives (`None`: the defaults); `config_path` is where it
    /// was found.
    pub(crate) fn from_loaded(
        loaded: Option<&config::Loaded>,
        config_path: Option<PathBuf>,
    ) -> Result<Settings, Fatal> {
        let mut evidence = EvidenceRules::builtin().map_err(Fatal::new)?;
        let mut severities: HashMap<Rule, Option<Severity>> = Rule::ALL
            .iter()
            .map(|&r| (r, r.default_setting()))
            .collect();
        let mut exclude = None;
        let mut max_file_bytes = DEFAULT_MAX_FILE_BYTES;
        let mut max_documents = DEFAULT_MAX_DOCUMENTS;
        if let Some(loaded) = loaded {
            apply(&loaded.config, &loaded.file, &mut severities, &mut evidence)?;
            exclude = build_exclude(&loaded.config, &loaded.file, &loaded.dir)?;
            if let Some(n) = loaded.config.limits.max_file_bytes {
                max_file_bytes = n;
            }
            if let Some(n) = loaded.config.limits.max_documents {
                max_documents = n;
            }
        }
        Ok(Settings {
            severities,
            evidence,
            exclude,
            max_file_bytes,
            max_documents,
            config_path,
        })
    }
}

/// Configuration text quoted in a message is cut to one bounded line (`one_line`); rendering
/// escapes it again, so a call site that forgets cannot reach the terminal or a runner.
fn apply(
    config: &FileConfig,
    file: &Arc<SourceFile>,
    severities: &mut HashMap<Rule, Option<Severity>>,
    evidence: &mut EvidenceRules,
) -> Result<(), Fatal> {
    for (id, level) in &config.rules {
        let Some(rule) = Rule::from_id(&id.value) else {
            return Err(Fatal::at(
                file,
                id.span.clone(),
                format!("unknown rule `{}`", excerpt(&id.value)),
            )
            .help(crate::rules::rule_help(&id.value)));
        };
        let severity = match level.value.as_str() {
            "off" => None,
            other => Some(Severity::parse(other).ok_or_else(|| {
                Fatal::at(
                    file,
                    level.span.clone(),
                    format!("unknown severity `{}`", excerpt(other)),
                )
                .help("use error, warning, info or off")
            })?),
        };
        severities.insert(rule, severity);
    }
    for (kind, days) in &config.evidence.max_age_days {
        if !evidence.kinds.contains(&kind.value) {
            return Err(Fatal::at(
                file,
                kind.span.clone(),
                format!("unknown evidence kind `{}`", excerpt(&kind.value)),
            )
            .help(format!("use one of {}", evidence.kinds.join(", "))));
        }
        evidence.max_age_days.insert(kind.value.clone(), *days);
    }
    if let Some(reqs) = &config.evidence.requirements {
        if let Some(bad) = reqs.keys().find(|l| !(1..=4).contains(&l.value)) {
            return Err(Fatal::at(
                file,
                bad.span.clone(),
                format!("there is no level {}", bad.value),
            )
            .help("evidence requirements are given for levels 1 to 4"));
        }
        evidence.requirements = reqs.iter().map(|(l, r)| (l.value, r.clone())).collect();
    }
    if let Some(days) = config.assessment.max_age_days {
        evidence.assessment_max_age_days = days;
    }
    Ok(())
}

fn build_exclude(
    config: &FileConfig,
    file: &Arc<SourceFile>,
    dir: &Path,
) -> Result<Option<Exclude>, Fatal> {
    if config.exclude.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in &config.exclude {
        let glob = Glob::new(&pattern.value)
            .map_err(|e| Fatal::at(file, pattern.span.clone(), format!("invalid glob: {e}")))?;
        builder.add(glob);
    }
    let globs = builder
        .build()
        .map_err(|e| Fatal::new(format!("{}: invalid exclude globs: {e}", file.name)))?;
    Ok(Some(Exclude {
        globs,
        base: dir.to_path_buf(),
    }))
}
