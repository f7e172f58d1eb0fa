//! `smm-lint init`: scaffold a profile and its practice documents, with the model's nudge
//! defaults: a domain's goal is the default of its subdomains and practices.

mod interview;
mod render;

use super::ExitStatus;
use crate::cli::InitArgs;
use crate::context;
use crate::error::Fatal;
use crate::model::catalogue::{BUILTIN_ID, Catalogue, Tier};
use crate::model::level::{Level, Scope};
use crate::model::load::Catalogues;
use crate::paths;
use crate::profile::{effective_levels, rollup_marks};
use crate::source::SourceFile;
use crate::yaml::Spanned;
use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The goal a domain gets when nobody sets one: the minimum, in general scope.
pub(crate) const DEFAULT_DOMAIN_TARGET: Level = Level {
    comp: 1,
    comp_plus: false,
    scope: Scope::General,
    scope_plus: false,
};

/// Everything `init` needs to know, from the flags or the interview.
#[derive(Debug, Clone)]
pub(crate) struct Answers {
    pub(crate) profile: String,
    pub(crate) system: Option<String>,
    pub(crate) industry: Option<String>,
    pub(crate) owner: Option<String>,
    pub(crate) model: Option<String>,
    /// Explicit targets by catalogue entry (no `+` marks: those are derived).
    pub(crate) targets: HashMap<usize, Level>,
}

pub(crate) fn run(args: &InitArgs, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    // The settings are not read: a profile is scaffolded before any configuration exists.
    let cwd = context::cwd()?;
    let dir = paths::normalize(&cwd.join(&args.dir));
    let today = context::today(args.today.as_deref())?;
    let root = repository_root(&cwd, &dir);
    let catalogue = load_catalogue(args.model.as_deref(), &dir, &root, &cwd)?;
    let catalogue = catalogue.as_ref();
    let mut answers = from_flags(args, catalogue, &dir)?;
    // The documents' paths depend on the catalogue only, so they are known before any question.
    let planned = render::documents(catalogue, &answers, today);
    check_destinations(&planned, &dir, &root, &cwd)?;
    // Refused before the interview, so that no answer is asked for and then thrown away.
    if !args.force {
        refuse_existing(&dir, &planned)?;
    }
    if !args.yes && std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        answers = interview::ask(catalogue, answers)?;
    }
    check_consistency(catalogue, &answers).map_err(|problems| {
        let help = if problems.iter().any(|p| p.contains("parent")) {
            "nothing was written; a child may be set higher or narrower than its parent, never lower or broader"
        } else {
            "nothing was written"
        };
        Fatal::new(format!("the targets are not consistent: {}", problems.join("; "))).help(help)
    })?;
    let files = render::documents(catalogue, &answers, today);
    write_files(&dir, &root, &files, args.force)?;
    let shown = crate::text::one_line(&paths::display(&dir, &cwd));
    writeln!(
        out,
        "Wrote the profile and {} practice documents in {shown}, with evidence/README.md.",
        files.len() - 2
    )
    .and_then(|()| {
        writeln!(
            out,
            "Next: fill in the practice documents, then run `smm-lint check {shown}`."
        )
    })
    .map_err(crate::stdout::write_error)?;
    Ok(ExitStatus::Success)
}

/// The catalogue `--model` names, loaded as `check` will load it for the profile written in
/// `dir`: the built-in one, or a catalogue file (relative to `dir`, inside the repository at
/// `root`) with its chain of `extends:`. Any problem in the chain refuses it.
fn load_catalogue(
    model: Option<&str>,
    dir: &Path,
    root: &Path,
    cwd: &Path,
) -> Result<Arc<Catalogue>, Fatal> {
    let mut catalogues = Catalogues::new(cwd.to_path_buf()).map_err(Fatal::new)?;
    let Some(model) = model.filter(|m| m.trim() != BUILTIN_ID) else {
        return Ok(catalogues.builtin());
    };
    let flag = Arc::new(SourceFile::new("--model".to_owned(), model.to_owned()));
    let value = Spanned {
        value: model.to_owned(),
        span: 0..model.len(),
    };
    let mut problems = Vec::new();
    let catalogue = catalogues.for_model(Some(&value), &flag, dir, root, &mut problems);
    match (catalogue, problems.first()) {
        (Some(catalogue), None) => Ok(catalogue),
        (_, first) => {
            let why = first.map_or("it cannot be used", |d| d.message.as_str());
            Err(Fatal::new(format!(
                "--model {}: {why}",
                crate::text::one_line(model)
            ))
            .help(format!(
                "nothing was written; `smm-lint check` on a profile that uses it points at each problem ({} found)",
                problems.len()
            )))
        }
    }
}

/// Answers from the flags, with defaults where a flag is absent.
fn from_flags(args: &InitArgs, catalogue: &Catalogue, dir: &Path) -> Result<Answers, Fatal> {
    let mut targets = HashMap::new();
    for raw in &args.targets {
        let (entry, level) = parse_target(raw, catalogue).map_err(Fatal::new)?;
        if let Some(first) = targets.insert(entry, level) {
            let id = &catalogue.entry(entry).id;
            return Err(Fatal::new(format!(
                "--target {id} is given twice ({id}={first} and {id}={level})"
            ))
            .help("nothing was written; give each id one --target"));
        }
    }
    for domain in catalogue.of_tier(Tier::Domain) {
        targets.entry(domain).or_insert(DEFAULT_DOMAIN_TARGET);
    }
    let profile = args.profile.clone().unwrap_or_else(|| default_id(dir));
    check_profile_id(&profile).map_err(|m| {
        Fatal::new(format!(
            "--profile `{}`: {m}",
            crate::text::one_line(&profile)
        ))
    })?;
    Ok(Answers {
        profile,
        system: args.system.clone().filter(|s| !s.trim().is_empty()),
        industry: args.industry.clone().filter(|s| !s.trim().is_empty()),
        owner: args.owner.clone().filter(|s| !s.trim().is_empty()),
        model: args.model.clone(),
        targets,
    })
}

/// `ID=LEVEL/SCOPE` → the catalogue entry and the level (no `+`: init derives those).
pub(crate) fn parse_target(raw: &str, catalogue: &Catalogue) -> Result<(usize, Level), String> {
    let Some((id, level)) = raw.split_once('=') else {
        return Err(format!(
            "`{raw}` is not a target: write ID=LEVEL/SCOPE, e.g. hardening=2/general"
        ));
    };
    let id = id.trim();
    let Some(found) = catalogue.find(id) else {
        let close = catalogue.suggestions(id, None);
        let hint = if close.is_empty() {
            String::new()
        } else {
            format!(" (did you mean {}?)", crate::text::suggest::quoted(&close))
        };
        return Err(format!("`{id}` is not in the catalogue{hint}"));
    };
    let level = Level::parse(level).map_err(|m| format!("{id}: {m}"))?;
    if level.has_plus() {
        return Err(format!(
            "{id}: write the level without `+`; init adds the marks the children call for"
        ));
    }
    Ok((found.index, level))
}

/// A profile id is lowercase letters, digits and `-`, as the directory-derived default is;
/// the flag and the interview both hold to it.
pub(crate) fn check_profile_id(id: &str) -> Result<(), &'static str> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err("use lowercase letters, digits and -")
    }
}

/// The profile id for a directory: its name in kebab case.
fn default_id(dir: &Path) -> String {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let id: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let id = id.trim_matches('-').to_owned();
    if id.is_empty() {
        "my-system".to_owned()
    } else {
        id
    }
}

/// Every reason the targets cannot be written as they are.
pub(crate) fn check_consistency(
    catalogue: &Catalogue,
    answers: &Answers,
) -> Result<(), Vec<String>> {
    let mut problems = Vec::new();
    let effective = effective_levels(catalogue, &answers.targets);
    let mut explicit: Vec<(&usize, &Level)> = answers.targets.iter().collect();
    explicit.sort_by_key(|(e, _)| catalogue.ordered().iter().position(|o| o == *e));
    for (&entry, &level) in explicit {
        let id = &catalogue.entry(entry).id;
        if let Some(parent) = catalogue.entry(entry).parent {
            let required = effective[parent].map(Level::base);
            let ancestor = nearest_explicit(catalogue, &answers.targets, entry);
            if let (Some(required), Some(ancestor)) = (required, ancestor) {
                let lower = level.comp < required.comp;
                let broader = level.scope < required.scope;
                if level.comp > 0 && (lower || broader) {
                    let how = if lower { "lower" } else { "broader" };
                    problems.push(format!(
                        "{id}={level} is {how} than its parent {}={required}: you cannot ask for less {} than {} requires",
                        catalogue.entry(ancestor).id,
                        catalogue.entry(entry).name.to_lowercase(),
                        catalogue.entry(ancestor).name.to_lowercase()
                    ));
                }
            }
        }
        for (scope, context, flag) in [
            (Scope::Industry, &answers.industry, "--industry"),
            (Scope::System, &answers.system, "--system"),
        ] {
            if level.scope == scope && context.is_none() {
                problems.push(format!(
                    "{id}={level} uses {} scope: say which with {flag}",
                    scope.name()
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

fn nearest_explicit(
    catalogue: &Catalogue,
    targets: &HashMap<usize, Level>,
    entry: usize,
) -> Option<usize> {
    let mut at = catalogue.entry(entry).parent;
    while let Some(i) = at {
        if targets.contains_key(&i) {
            return Some(i);
        }
        at = catalogue.entry(i).parent;
    }
    None
}

/// The explicit targets as they will be written: catalogue order, parents with their marks.
pub(crate) fn written_targets(catalogue: &Catalogue, answers: &Answers) -> Vec<(String, Level)> {
    let effective = effective_levels(catalogue, &answers.targets);
    catalogue
        .ordered()
        .into_iter()
        .filter_map(|e| {
            let level = *answers.targets.get(&e)?;
            let level = if catalogue.entry(e).tier == Tier::Practice {
                level
            } else {
                rollup_marks(catalogue, &effective, e, level).0
            };
            Some((catalogue.entry(e).id.clone(), level))
        })
        .collect()
}

/// The repository `init` writes into: the current directory's git work tree (or, without
/// git, the current directory) when `dir` is inside it; else the git work tree of `dir`'s
/// nearest existing ancestor, or that ancestor.
fn repository_root(cwd: &Path, dir: &Path) -> PathBuf {
    let here = paths::git_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
    if dir.starts_with(&here) {
        return here;
    }
    let existing = dir
        .ancestors()
        .find(|a| a.exists())
        .unwrap_or(dir)
        .to_path_buf();
    paths::git_root(&existing).unwrap_or(existing)
}

/// Refuses, before anything is asked or written, a destination that leads out of the
/// repository (a directory or document that is a symbolic link to elsewhere).
fn check_destinations(
    files: &[(PathBuf, String)],
    dir: &Path,
    root: &Path,
    cwd: &Path,
) -> Result<(), Fatal> {
    for (path, _) in files {
        match crate::write::resolve_document(&dir.join(path), root) {
            Ok(_) => {}
            Err(e) if e.is_refusal() => {
                return Err(Fatal::new(format!(
                    "{}: nothing was written",
                    e.describe(cwd)
                )));
            }
            Err(e) => return Err(Fatal::new(e.describe(cwd))),
        }
    }
    Ok(())
}

fn refuse_existing(dir: &Path, files: &[(PathBuf, String)]) -> Result<(), Fatal> {
    let existing: Vec<String> = files
        .iter()
        .filter(|(p, _)| dir.join(p).exists())
        .map(|(p, _)| p.display().to_string())
        .collect();
    if existing.is_empty() {
        return Ok(());
    }
    Err(Fatal::new(format!(
        "{} of the documents already exist in {}: {}",
        existing.len(),
        dir.display(),
        existing.join(", ")
    ))
    .help("nothing was asked or written; pass --force to overwrite them"))
}

fn write_files(
    dir: &Path,
    root: &Path,
    files: &[(PathBuf, String)],
    force: bool,
) -> Result<(), Fatal> {
    if !force {
        refuse_existing(dir, files)?;
    }
    for (path, text) in files {
        crate::write::document(&dir.join(path), root, text.as_bytes())
            .map_err(|e| Fatal::new(e.describe(dir)))?;
    }
    Ok(())
}
