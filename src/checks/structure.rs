//! Which practices have documents: practice-missing, practice-duplicate, not-applicable-conflict.

use crate::diagnostic::Diagnostic;
use crate::model::catalogue::Tier;
use crate::profile::Profile;
use crate::rules::Rule;
use std::collections::BTreeMap;
use std::path::Path;

pub(crate) fn check(profile: &Profile<'_>, out: &mut Vec<Diagnostic>) {
    let cat = &profile.catalogue;
    let mut by_entry: BTreeMap<usize, Vec<&crate::profile::Practice<'_>>> = BTreeMap::new();
    for p in &profile.practices {
        if let Some(e) = p.entry {
            by_entry.entry(e).or_default().push(p);
        }
    }
    // A misspelt id is read as the id it is close to, so that it is not also missing; it is
    // not a second document of that practice (its unknown-id finding says what is wrong).
    let exact: BTreeMap<usize, Vec<&crate::profile::Practice<'_>>> = by_entry
        .iter()
        .map(|(e, docs)| {
            let spelt: Vec<_> = docs
                .iter()
                .copied()
                .filter(|p| cat.find(&p.front.practice.value).is_some())
                .collect();
            (*e, spelt)
        })
        .collect();
    for (entry, docs) in exact.iter().filter(|(_, docs)| docs.len() > 1) {
        for p in docs {
            let others: Vec<&str> = docs
                .iter()
                .filter(|o| o.doc.path != p.doc.path)
                .map(|o| o.doc.file.name.as_str())
                .collect();
            out.push(
                Diagnostic::new(
                    Rule::PracticeDuplicate,
                    &p.doc.file,
                    p.front.practice.span.clone(),
                    format!(
                        "practice `{}` is also documented in {}",
                        cat.entry(*entry).id,
                        others.join(", ")
                    ),
                )
                .label("one of several documents")
                .help("keep one document per practice in a profile; merge the others into it"),
            );
        }
    }
    for entry in cat.of_tier(Tier::Practice) {
        let Some(target) = profile.targets.effective[entry] else {
            continue;
        };
        if target.comp == 0 || by_entry.contains_key(&entry) || profile.claimed.contains(&entry) {
            continue;
        }
        let (span, from) = match profile.targets.explicit.get(&entry) {
            Some((_, level)) => (level.span.clone(), String::new()),
            None => match profile.targets.explicit_ancestor(cat, entry) {
                Some((a, level)) => (
                    level.span.clone(),
                    format!(" (inherited from `{}`)", cat.entry(a).id),
                ),
                None => (profile.front.id.span.clone(), String::new()),
            },
        };
        let id = &cat.entry(entry).id;
        let domain = cat
            .entry(entry)
            .parent
            .and_then(|s| cat.entry(s).parent)
            .map_or("", |d| cat.entry(d).id.as_str());
        out.push(
            Diagnostic::new(
                Rule::PracticeMissing,
                &profile.doc.file,
                span,
                format!(
                    "practice `{id}` has target {}{from} but no document",
                    target.base()
                ),
            )
            .label("target set here")
            .help(missing_help(profile, id, domain, target.scope.name())),
        );
    }
    for p in &profile.practices {
        let Some(applicable) = &p.front.applicable else {
            continue;
        };
        if applicable.value {
            continue;
        }
        if p.front.rationale.is_none() {
            out.push(
                Diagnostic::new(
                    Rule::NotApplicableConflict,
                    &p.doc.file,
                    applicable.span.clone(),
                    "a practice marked not applicable needs a `rationale`",
                )
                .help("add `rationale:` saying why the practice does not apply to this system"),
            );
        }
        let target = p.entry.and_then(|e| profile.targets.effective[e]);
        if let Some(t) = target.filter(|t| t.comp > 0) {
            out.push(
                Diagnostic::new(
                    Rule::NotApplicableConflict,
                    &p.doc.file,
                    applicable.span.clone(),
                    format!("marked not applicable, but its target is {}", t.base()),
                )
                .help(format!(
                    "set the practice's target to 0 in {}, or remove `applicable: false`",
                    profile.doc.file.name
                )),
            );
        }
    }
}

/// Where to document a missing practice. When the usual file for it already exists, it is
/// named with what it holds instead: suggesting to create it would mislead.
fn missing_help(profile: &Profile<'_>, id: &str, domain: &str, scope: &str) -> String {
    let usual = Path::new(domain).join(format!("{id}.md"));
    let otherwise = format!("or set `{id}: 0/{scope}` if it does not apply");
    let path = profile.dir.join(&usual);
    if let Some(p) = profile.practices.iter().find(|p| p.doc.path == path) {
        return format!(
            "{} exists but claims `{}`: write `practice: {id}` there if it documents this practice, else add a document with `practice: {id}` below this profile, {otherwise}",
            p.doc.file.name,
            crate::text::excerpt(&p.front.practice.value)
        );
    }
    let shown = Path::new(&profile.doc.file.name)
        .parent()
        .map_or(usual.clone(), |dir| dir.join(&usual));
    let shown = shown.to_string_lossy().replace('\\', "/");
    if path.is_file() {
        return format!(
            "{shown} exists but is not read as a practice document: give it front matter with `practice: {id}`, {otherwise}"
        );
    }
    format!(
        "add a document with `practice: {id}` below this profile (e.g. {}), {otherwise}",
        usual.to_string_lossy().replace('\\', "/")
    )
}
