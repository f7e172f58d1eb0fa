//! `smm-lint describe PRACTICE [LEVEL]`: what the catalogue says of one practice, level by
//! level: its place in the model, its objective, and per level the description, the indicators
//! of accomplishment and the default action.

use super::ExitStatus;
use crate::cli::DescribeArgs;
use crate::error::Fatal;
use crate::model::catalogue::{Catalogue, Entry, Tier};
use crate::model::load::Catalogues;
use crate::paths;
use crate::stdout::write_error;
use crate::text::{excerpt, one_line};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) fn run(args: &DescribeArgs, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    let catalogue = catalogue(args)?;
    let index = practice(&catalogue, &args.practice)?;
    let text = describe(&catalogue, index, args.level);
    out.write_all(text.as_bytes()).map_err(write_error)?;
    Ok(ExitStatus::Success)
}

/// The built-in catalogue, or the one `--catalogue` names (with what it extends). A catalogue
/// file with problems is refused: `check` on a profile that uses it reports them all.
fn catalogue(args: &DescribeArgs) -> Result<Arc<Catalogue>, Fatal> {
    let cwd = std::env::current_dir().map_err(|e| Fatal::new(format!("current directory: {e}")))?;
    let mut catalogues = Catalogues::new(cwd.clone()).map_err(Fatal::new)?;
    let Some(file) = &args.catalogue else {
        return Ok(catalogues.builtin());
    };
    let shown = one_line(&file.to_string_lossy());
    let path = inside_repository(file, &cwd)?;
    let mut problems = Vec::new();
    let loaded = catalogues
        .for_file(&path, &mut problems)
        .map_err(|why| Fatal::new(format!("catalogue `{shown}`: {why}")))?;
    if let Some(first) = problems.first() {
        return Err(Fatal::at(&first.file, first.span.clone(), first.message.clone())
            .help(format!(
                "the catalogue file has {} problem(s); `smm-lint check` on a profile whose `model:` names it lists them all",
                problems.len()
            )));
    }
    loaded.ok_or_else(|| Fatal::new(format!("catalogue `{shown}` cannot be used")))
}

/// `file` as an absolute path, when it lies inside the repository of the current directory (its
/// git work tree, else the directory itself) and does not pass through a symbolic link that
/// leads out of it: the same boundary as every other path argument. Nothing outside is opened.
fn inside_repository(file: &Path, cwd: &Path) -> Result<PathBuf, Fatal> {
    let path = paths::normalize(&cwd.join(file));
    let root = paths::git_root(cwd).unwrap_or_else(|| cwd.to_path_buf());
    let name = |p: &Path| one_line(&paths::display(p, cwd));
    if !path.starts_with(&root) {
        return Err(Fatal::new(format!(
            "cannot read catalogue {}: it is outside the repository (outside a git work tree, the repository is the current directory)",
            name(&path)
        )));
    }
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.clone());
    if let Some(link) = paths::leads_out(&path, &root, &canonical_root) {
        let how = if link == path {
            "it is a symbolic link that leads out of the repository".to_owned()
        } else {
            format!(
                "it passes through {}, a symbolic link that leads out of the repository",
                name(&link)
            )
        };
        return Err(Fatal::new(format!(
            "cannot read catalogue {}: {how}",
            name(&path)
        )));
    }
    Ok(path)
}

/// The entry `id` names: a practice's id or alias. Anything else stops with the closest
/// practice ids as help.
fn practice(catalogue: &Catalogue, id: &str) -> Result<usize, Fatal> {
    let written = id.trim();
    match catalogue.find(written) {
        Some(found) if catalogue.entry(found.index).tier == Tier::Practice => Ok(found.index),
        Some(found) => {
            let entry = catalogue.entry(found.index);
            let practices: Vec<String> = catalogue
                .descendants(found.index)
                .into_iter()
                .filter(|&i| catalogue.entry(i).tier == Tier::Practice)
                .map(|i| catalogue.entry(i).id.clone())
                .collect();
            Err(Fatal::new(format!(
                "`{}` is a {}, not a practice",
                entry.id,
                entry.tier.name()
            ))
            .help(format!(
                "describe one of its practices: {}",
                crate::text::suggest::quoted(&practices)
            )))
        }
        None => {
            let close = catalogue.suggestions(written, Some(Tier::Practice));
            let help = if close.is_empty() {
                format!(
                    "the closest practice ids are {}",
                    crate::text::suggest::quoted(&catalogue.nearest(
                        written,
                        3,
                        Some(Tier::Practice)
                    ))
                )
            } else {
                format!("did you mean {}?", crate::text::suggest::quoted(&close))
            };
            Err(Fatal::new(format!(
                "unknown practice `{}` in catalogue `{}`",
                excerpt(written),
                catalogue.id
            ))
            .help(help))
        }
    }
}

/// The text `describe` prints. Catalogue text may come from a file of the user's: each piece
/// is put on one line with unsafe characters escaped.
fn describe(catalogue: &Catalogue, index: usize, only: Option<u8>) -> String {
    let entry = catalogue.entry(index);
    let mut out = format!("{} — {}\n", one_line(&entry.id), one_line(&entry.name));
    let parent = |e: &Entry| e.parent.map(|p| catalogue.entry(p));
    if let Some(sub) = parent(entry) {
        out.push_str(&format!(
            "  subdomain: {} ({})\n",
            one_line(&sub.id),
            one_line(&sub.name)
        ));
        if let Some(domain) = parent(sub) {
            out.push_str(&format!(
                "  domain:    {} ({})\n",
                one_line(&domain.id),
                one_line(&domain.name)
            ));
        }
    }
    out.push_str(&format!("  catalogue: {}\n", one_line(&catalogue.id)));
    if !entry.objective.is_empty() {
        out.push_str(&format!("  objective: {}\n", one_line(&entry.objective)));
    }
    let levels: Vec<u8> = match only {
        Some(level) => vec![level],
        None => (1..=4).collect(),
    };
    for level in levels {
        out.push('\n');
        level_section(&mut out, catalogue, entry, level);
    }
    out
}

fn level_section(out: &mut String, catalogue: &Catalogue, entry: &Entry, level: u8) {
    let name = catalogue
        .levels
        .get(usize::from(level))
        .map(|l| format!(" ({})", one_line(&l.name)))
        .unwrap_or_default();
    out.push_str(&format!("Level {level}{name}\n"));
    let detail = entry.level(level);
    match detail.and_then(|d| d.description.as_deref()) {
        Some(d) => out.push_str(&format!("  {}\n", one_line(d))),
        None => out.push_str("  (no description in the catalogue)\n"),
    }
    let indicators = entry.indicators_of(level);
    if indicators.is_empty() {
        out.push_str("  Indicators: none in the catalogue\n");
    } else {
        out.push_str("  Indicators:\n");
        for i in indicators {
            out.push_str(&format!(
                "    {}\n      {}\n",
                one_line(&i.id),
                one_line(&i.text)
            ));
        }
    }
    if let Some(action) = entry.actions.get(&level) {
        out.push_str(&format!("  Default action: {}\n", one_line(action)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_level_shows_its_description_indicators_and_action() {
        let cat = Catalogue::builtin().expect("built-in");
        let index = practice(&cat, "patch-management").expect("a practice");
        let text = describe(&cat, index, Some(3));
        assert!(
            text.starts_with("patch-management — Patch management\n"),
            "{text}"
        );
        assert!(
            text.contains("  domain:    hardening (Hardening)\n"),
            "{text}"
        );
        assert!(text.contains("Level 3 (Consistent)\n"), "{text}");
        assert!(
            text.contains("    patch-management.3.tested-before-rollout\n"),
            "{text}"
        );
        assert!(
            text.contains("  Default action: Follow one documented patch process"),
            "{text}"
        );
        assert!(!text.contains("Level 2"), "{text}");
    }

    #[test]
    fn an_alias_names_its_practice_and_a_subdomain_is_refused() {
        let cat = Catalogue::builtin().expect("built-in");
        let index = practice(&cat, "services-third-party-dependencies-management").expect("alias");
        assert_eq!(cat.entry(index).id, "third-party-dependencies-management");
        let err = practice(&cat, "vulnerability-management").expect_err("a subdomain");
        assert!(err.message.contains("is a subdomain"), "{}", err.message);
        let err = practice(&cat, "patch-managment").expect_err("a typo");
        let help = err.help.unwrap_or_default();
        assert!(
            help.starts_with("did you mean `patch-management`"),
            "{help}"
        );
    }
}
