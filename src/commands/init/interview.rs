//! The interview `init` runs on a terminal: a few questions with defaults in brackets.
//! Prompts and explanations go to stderr; only the final summary goes to stdout.

use super::{Answers, check_consistency, parse_target, written_targets};
use crate::error::Fatal;
use crate::model::catalogue::{Catalogue, Tier};
use crate::model::level::{Level, Scope};
use dialoguer::Input;
use dialoguer::console::Term;
use dialoguer::theme::SimpleTheme;

fn stopped(e: dialoguer::Error) -> Fatal {
    Fatal::new(format!("the interview stopped: {e}"))
}

fn say(term: &Term, text: &str) -> Result<(), Fatal> {
    term.write_line(text)
        .map_err(|e| Fatal::new(format!("cannot write to the terminal: {e}")))
}

/// A line of text, with the default in brackets; empty allowed when `optional`.
fn ask_text(prompt: &str, default: Option<String>, optional: bool) -> Result<String, Fatal> {
    let mut input = Input::<String>::with_theme(&SimpleTheme)
        .with_prompt(prompt)
        .allow_empty(optional);
    if let Some(d) = default.filter(|d| !d.is_empty()) {
        input = input.default(d);
    }
    input.interact_text().map_err(stopped)
}

pub(crate) fn ask(catalogue: &Catalogue, mut answers: Answers) -> Result<Answers, Fatal> {
    let term = Term::stderr();
    say(
        &term,
        "Let's set the security maturity target for one system. Press Enter to keep a default in [brackets].\n",
    )?;
    answers.profile = Input::<String>::with_theme(&SimpleTheme)
        .with_prompt("Profile id (lowercase, words joined by -)")
        .default(answers.profile.clone())
        .validate_with(|id: &String| super::check_profile_id(id))
        .interact_text()
        .map_err(stopped)?;
    let system = ask_text(
        "The system of interest, in one line",
        answers.system.clone(),
        true,
    )?;
    answers.system = Some(system).filter(|s| !s.trim().is_empty());
    let industry = ask_text(
        "Its industry (e.g. manufacturing, energy, automotive)",
        answers.industry.clone(),
        true,
    )?;
    answers.industry = Some(industry).filter(|s| !s.trim().is_empty());
    let owner = ask_text(
        "Who owns this profile (a person, role or mailbox)",
        answers.owner.clone(),
        true,
    )?;
    answers.owner = Some(owner).filter(|s| !s.trim().is_empty());

    say(&term, "\nComprehensiveness levels:")?;
    for (i, level) in catalogue.levels.iter().enumerate() {
        say(
            &term,
            &format!("  {i} {:<11} {}", level.name, level.meaning),
        )?;
    }
    say(
        &term,
        "Scopes, broadest to narrowest: general, industry, system.\n",
    )?;
    for domain in catalogue.of_tier(Tier::Domain).collect::<Vec<_>>() {
        let entry = catalogue.entry(domain);
        say(&term, &format!("{}: {}", entry.name, entry.objective))?;
        let default = answers.targets.get(&domain).map(ToString::to_string);
        let level: String = Input::<String>::with_theme(&SimpleTheme)
            .with_prompt(format!("Goal for {} (LEVEL/SCOPE)", entry.id))
            .default(default.unwrap_or_else(|| super::DEFAULT_DOMAIN_TARGET.to_string()))
            .validate_with(|text: &String| -> Result<(), String> { domain_level(text).map(|_| ()) })
            .interact_text()
            .map_err(stopped)?;
        let level = domain_level(&level).map_err(Fatal::new)?;
        ask_context(&mut answers, level.scope)?;
        answers.targets.insert(domain, level);
    }

    say(
        &term,
        "\nA subdomain or practice may be set higher or narrower than its domain, never lower.",
    )?;
    let mut previous = answers.targets.clone();
    loop {
        // The industry or system a scope needs is asked for after the answer, not refused.
        let mut snapshot = answers.clone();
        snapshot.industry.get_or_insert_with(String::new);
        snapshot.system.get_or_insert_with(String::new);
        let refinement: String = Input::<String>::with_theme(&SimpleTheme)
            .with_prompt("Refine a subdomain or practice (ID=LEVEL/SCOPE, Enter when done)")
            .allow_empty(true)
            .validate_with(move |text: &String| -> Result<(), String> {
                if text.trim().is_empty() {
                    return Ok(());
                }
                with_refinement(catalogue, &snapshot, text).map(|_| ())
            })
            .interact_text()
            .map_err(stopped)?;
        if refinement.trim().is_empty() {
            break;
        }
        let Ok((entry, level)) = parse_target(refinement.trim(), catalogue) else {
            continue;
        };
        ask_context(&mut answers, level.scope)?;
        answers = with_refinement(catalogue, &answers, &refinement).map_err(Fatal::new)?;
        // A second answer for one id replaces the first: say so, so that it is not a surprise.
        if let Some(old) = previous.insert(entry, level).filter(|old| *old != level) {
            say(
                &term,
                &format!(
                    "  {}: {old} is replaced by {level}",
                    catalogue.entry(entry).id
                ),
            )?;
        }
    }
    say(&term, "\nTargets:")?;
    for (id, level) in written_targets(catalogue, &answers) {
        say(&term, &format!("  {id}: {level}"))?;
    }
    let write = dialoguer::Confirm::with_theme(&SimpleTheme)
        .with_prompt("Write the profile and its practice documents")
        .default(true)
        .wait_for_newline(true)
        .interact()
        .map_err(stopped)?;
    if !write {
        return Err(Fatal::new("nothing was written"));
    }
    Ok(answers)
}

/// A domain's goal: a level without `+`.
fn domain_level(text: &str) -> Result<Level, String> {
    let level = Level::parse(text)?;
    if level.has_plus() {
        return Err("write the level without `+`".to_owned());
    }
    Ok(level)
}

/// Asks for the industry or the system of interest when a target's scope needs the one that
/// was left empty, instead of refusing the target.
fn ask_context(answers: &mut Answers, scope: Scope) -> Result<(), Fatal> {
    let (slot, prompt) = match scope {
        Scope::Industry => (
            &mut answers.industry,
            "Industry scope needs the industry: which is it",
        ),
        Scope::System => (
            &mut answers.system,
            "System scope needs the system of interest: name it in one line",
        ),
        Scope::General => return Ok(()),
    };
    while slot.is_none() {
        *slot = Some(ask_text(prompt, None, false)?).filter(|s| !s.trim().is_empty());
    }
    Ok(())
}

/// The answers with one more target, if it is consistent with the others.
fn with_refinement(
    catalogue: &Catalogue,
    answers: &Answers,
    text: &str,
) -> Result<Answers, String> {
    let (entry, level) = parse_target(text.trim(), catalogue)?;
    let mut next = answers.clone();
    next.targets.insert(entry, level);
    check_consistency(catalogue, &next).map_err(|problems| problems.join("; "))?;
    Ok(next)
}
