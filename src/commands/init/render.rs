//! The text of the documents `init` writes.

use super::{Answers, written_targets};
use crate::date::Date;
use crate::model::catalogue::{Catalogue, Tier};
use crate::model::level::Level;
use crate::profile::effective_levels;
use crate::yaml::quote as yaml_str;
use std::path::PathBuf;

/// How far ahead the first plan item is due.
const PLAN_HORIZON_DAYS: i64 = 365;

/// Every document, as (path relative to the profile's directory, text), profile first.
pub(crate) fn documents(
    catalogue: &Catalogue,
    answers: &Answers,
    today: Date,
) -> Vec<(PathBuf, String)> {
    let mut files = vec![(PathBuf::from("profile.md"), profile(catalogue, answers))];
    let effective = effective_levels(catalogue, &answers.targets);
    for entry in catalogue
        .ordered()
        .into_iter()
        .filter(|&e| catalogue.entry(e).tier == Tier::Practice)
    {
        let domain = catalogue
            .entry(entry)
            .parent
            .and_then(|s| catalogue.entry(s).parent)
            .map_or("practices", |d| catalogue.entry(d).id.as_str());
        let target = effective[entry].map_or(
            Level::new(0, crate::model::level::Scope::General),
            Level::base,
        );
        let path = PathBuf::from(domain).join(format!("{}.md", catalogue.entry(entry).id));
        files.push((path, practice(catalogue, entry, target, today)));
    }
    files.push((
        PathBuf::from("evidence/README.md"),
        evidence_readme(answers),
    ));
    files
}

fn profile(catalogue: &Catalogue, answers: &Answers) -> String {
    let mut t = format!("---\nprofile: {}\n", yaml_str(&answers.profile));
    t.push_str(&format!(
        "model: {}\n",
        yaml_str(
            answers
                .model
                .as_deref()
                .unwrap_or(crate::model::catalogue::BUILTIN_ID)
        )
    ));
    if let Some(system) = &answers.system {
        t.push_str(&format!("system: {}\n", yaml_str(system)));
    }
    if let Some(industry) = &answers.industry {
        t.push_str(&format!("industry: {}\n", yaml_str(industry)));
    }
    if let Some(owner) = &answers.owner {
        t.push_str(&format!("owner: {}\n", yaml_str(owner)));
    }
    t.push_str("targets:\n");
    for (id, level) in written_targets(catalogue, answers) {
        t.push_str(&format!("  {id}: {level}\n"));
    }
    t.push_str(&format!(
        "---\n# Security maturity target: {}\n\n",
        answers.profile
    ));
    t.push_str("## Goals\n\nSay what the business needs from this system and why each domain's target is set where it is.\n\n");
    t.push_str("## Factors considered\n\nList what shaped the targets: threats, regulation, customers, the cost of an incident.\n");
    t
}

fn practice(catalogue: &Catalogue, entry: usize, target: Level, today: Date) -> String {
    let e = catalogue.entry(entry);
    if target.comp == 0 {
        return not_applicable(e);
    }
    let mut t = format!(
        "---\npractice: {}\ncurrent: 0/general\nassessed: {today}\nevidence: []\n",
        e.id
    );
    let due = Date::from_days(today.days() + PLAN_HORIZON_DAYS);
    let action =
        e.actions.get(&target.comp).cloned().unwrap_or_else(|| {
            format!("Bring {} to level {}.", e.name.to_lowercase(), target.comp)
        });
    t.push_str(&format!(
        "plan:\n  - level: {target}\n    due: {due}\n    action: {}\n",
        yaml_str(&action)
    ));
    t.push_str(&format!("---\n# {}\n\n", e.name));
    t.push_str(&format!(
        "## Purpose\n\n{} Say what this means for the system of interest and what is in scope.\n\n",
        e.objective
    ));
    t.push_str("## Current state\n\nDescribe what is done today, and why that is the level given as `current`.\n\n");
    t.push_str("## Evidence\n\nList the policies, procedures, records, reviews and tests that show it, and cite them under `evidence:`.\n\n");
    t.push_str(&format!(
        "## Plan\n\nSay who carries out the plan toward {target}, and how progress is checked.\n"
    ));
    t
}

/// A practice whose target is level 0 is one the profile does not ask for: it is written as
/// not applicable, with a rationale for the owner to replace by the real reason.
fn not_applicable(e: &crate::model::catalogue::Entry) -> String {
    let mut t = format!(
        "---\npractice: {}\napplicable: false\nrationale: {}\n---\n# {}\n\n",
        e.id,
        yaml_str(&format!(
            "The target is level 0. Replace this line by the reason {} does not apply to this system.",
            e.name.to_lowercase()
        )),
        e.name
    );
    t.push_str(&format!(
        "## Purpose\n\n{} Say why this system does not need it.\n",
        e.objective
    ));
    t
}

fn evidence_readme(answers: &Answers) -> String {
    format!(
        "# Evidence for {}\n\nKeep the evidence the practice documents cite here: policies, procedures, records, \
         reviews, test reports, tool outputs. A practice document cites a file with\n`path: ../evidence/<file>` \
         (and `#heading` for a section of a Markdown file).\n",
        answers.profile
    )
}
