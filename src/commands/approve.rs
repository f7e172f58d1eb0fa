//! `smm-lint approve --by NAME`: sign off the targets of each profile found, by writing
//! `approved: {by, date, targets}` into the profile document's front matter, where `targets`
//! is the hash of the canonical form of the targets as they are (see `approval`).
//!
//! Nothing else in the document changes: the `approved:` entry is added before the closing
//! fence, or an existing one is replaced where it stands. The new text is read back before it
//! is written: every other value must read as before, the targets must have the same canonical
//! form, no front matter finding may appear, and the approval must read as written. A profile
//! whose targets do not read (an unknown id, an invalid level) is not approved: signing off
//! targets nobody can read would record nothing.

use super::ExitStatus;
use crate::analysis;
use crate::approval;
use crate::checks;
use crate::cli::ApproveArgs;
use crate::context::Context;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::document::schema::{Approval, Front, approver_problem};
use crate::document::{self, Document};
use crate::error::Fatal;
use crate::fix::{self, FileFix};
use crate::model::load::Catalogues;
use crate::profile::{self, Profile};
use crate::rules::{Rule, Severity};
use crate::text::{one_line, plural};
use crate::yaml::{self, frontmatter};
use std::io::Write;
use std::ops::Range;

/// The approval to write: who, when.
#[derive(Debug)]
struct Signer<'a> {
    by: &'a str,
    date: Date,
}

pub(crate) fn run(args: &ApproveArgs, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    let ctx = Context::new(args.scope.today.as_deref(), args.scope.config.as_deref())?;
    let signer = signer(args, &ctx)?;
    let loaded = analysis::load(&args.scope.paths, &ctx)?;
    let mut catalogues = Catalogues::new(ctx.cwd.clone()).map_err(Fatal::new)?;
    let mut findings = Vec::new();
    let profiles = profile::build(
        &loaded.documents,
        &loaded.broken,
        &mut catalogues,
        &ctx,
        &mut findings,
    );
    for p in &profiles {
        checks::targets::check(p, &mut findings);
    }
    let findings = crate::sink::finish(findings, &loaded.documents, &ctx);
    let mut outcome = Outcome::default();
    for doc in &loaded.documents {
        if matches!(doc.front, Front::Profile(_)) {
            let profile = profiles.iter().find(|p| p.doc.path == doc.path);
            outcome.plan(doc, profile, &signer, &findings, &ctx);
        }
    }
    for b in loaded
        .broken
        .iter()
        .filter(|b| b.marker == frontmatter::Marker::Profile)
    {
        let name = crate::paths::display(&b.path, &ctx.cwd);
        outcome.refuse(
            &name,
            "its front matter does not read; run `smm-lint check`",
        );
    }
    if outcome.text.is_empty() && outcome.fixes.is_empty() {
        outcome.refused = true;
        outcome
            .text
            .push_str("no profile document found: nothing was approved\n");
    }
    let skipped = fix::write(&outcome.fixes, &ctx)?;
    let text = outcome.written(&skipped, &signer);
    crate::stdout::quiet_on_broken_pipe(out.write_all(text.as_bytes()))?;
    Ok(ExitStatus::failure_if(outcome.refused))
}

/// Who approves and when, from the arguments; a bad one stops the run before anything is read.
fn signer<'a>(args: &'a ApproveArgs, ctx: &Context) -> Result<Signer<'a>, Fatal> {
    if let Some(why) = approver_problem(&args.by) {
        return Err(Fatal::new(format!("--by: {why}"))
            .help("give the approver's name on one line, e.g. --by \"Jane Doe (plant manager)\""));
    }
    let date = match &args.date {
        Some(text) => Date::parse(text).map_err(|m| Fatal::new(format!("--date: {m}")))?,
        None => ctx.today,
    };
    // A sign-off records a review that has happened: a later date would stay `current` and
    // look fresher than it is.
    if date > ctx.today {
        return Err(Fatal::new(format!(
            "--date: {date} is after today ({})",
            ctx.today
        ))
        .help("give the date the targets were reviewed, or pass `--today` when approving an old state"));
    }
    Ok(Signer { by: &args.by, date })
}

/// What the run writes and says, profile by profile.
#[derive(Debug, Default)]
struct Outcome {
    text: String,
    fixes: Vec<FileFix>,
    /// Some profile was not approved: the run exits 1.
    refused: bool,
}

impl Outcome {
    fn refuse(&mut self, name: &str, why: &str) {
        self.refused = true;
        self.text.push_str(&format!(
            "{}: not approved: {}\n",
            one_line(name),
            one_line(why)
        ));
    }

    /// Plans the approval of the profile document `doc` (`profile` when it was built).
    fn plan(
        &mut self,
        doc: &Document,
        profile: Option<&Profile<'_>>,
        signer: &Signer<'_>,
        findings: &[Diagnostic],
        ctx: &Context,
    ) {
        let Some(p) = profile else {
            self.refuse(
                &doc.file.name,
                "the profile is not checked (its catalogue does not load, or its directory holds another profile); run `smm-lint check`",
            );
            return;
        };
        match plan(p, signer, findings, ctx) {
            Ok(None) => self.text.push_str(&format!(
                "{}: already approved by {} on {} for these targets; left as it is\n",
                one_line(&doc.file.name),
                one_line(signer.by),
                signer.date
            )),
            Ok(Some(fix)) => self.fixes.push(fix),
            Err(why) => self.refuse(&doc.file.name, &why),
        }
    }

    /// The whole output once the fixes were written, `skipped` left unwritten.
    fn written(&mut self, skipped: &[fix::Refused], signer: &Signer<'_>) -> String {
        let mut approved = 0;
        let mut lines = String::new();
        for f in &self.fixes {
            match skipped.iter().find(|s| s.name == f.name) {
                Some(s) => {
                    self.refused = true;
                    lines.push_str(&format!(
                        "{}: not approved: {}; nothing was written there\n",
                        one_line(&f.name),
                        one_line(&s.reason)
                    ));
                }
                None => {
                    approved += 1;
                    lines.push_str(&format!(
                        "{}: approved by {} on {}\n",
                        one_line(&f.name),
                        one_line(signer.by),
                        signer.date
                    ));
                }
            }
        }
        format!(
            "{}{lines}Approved the targets of {}.\n",
            self.text,
            plural(approved, "profile", "profiles")
        )
    }
}

/// The rules about the targets as a whole (beyond what the canonical form needs to read them):
/// an error among these is an error in what would be signed off.
const TARGET_RULES: &[Rule] = &[
    Rule::TargetMissing,
    Rule::TargetBelowParent,
    Rule::RollupMismatch,
    Rule::ScopeContextMissing,
];

/// The errors (after configuration and waivers) of the target rules on the profile document,
/// as `line: message`, when there are any.
fn target_errors(profile: &Profile<'_>, findings: &[Diagnostic]) -> Option<String> {
    let errors: Vec<String> = findings
        .iter()
        .filter(|d| d.waived.is_none() && d.severity == Severity::Error)
        .filter(|d| TARGET_RULES.contains(&d.rule) && d.file.name == profile.doc.file.name)
        .map(|d| {
            format!(
                "line {}: {}",
                d.file.position(d.span.start).line,
                one_line(&d.message)
            )
        })
        .collect();
    (!errors.is_empty()).then(|| errors.join("; "))
}

/// The file to write for `profile`, `None` when it already carries this very approval, or
/// why it is not approved.
fn plan(
    profile: &Profile<'_>,
    signer: &Signer<'_>,
    findings: &[Diagnostic],
    ctx: &Context,
) -> Result<Option<FileFix>, String> {
    let doc = profile.doc;
    let canonical = approval::canonical(profile.front, &profile.catalogue)
        .map_err(|problems| format!("its targets have errors: {}", problems.join("; ")))?;
    if let Some(why) = target_errors(profile, findings) {
        return Err(format!("its targets have errors: {why}"));
    }
    if profile.front.targets.is_empty() {
        return Err("the profile sets no targets".to_owned());
    }
    let hash = approval::hash(&canonical);
    let wanted = |a: &Approval| {
        a.by.value == signer.by && a.date.value == signer.date && a.targets.value == hash
    };
    if profile.front.approval.as_ref().is_some_and(wanted) {
        return Ok(None);
    }
    let before = std::fs::read(&doc.path).map_err(|e| format!("cannot read the file: {e}"))?;
    let (bom, body) = crate::read::split_bom(&before);
    if body != doc.file.text.as_bytes() {
        return Err("the file changed while it was read, or is not valid UTF-8".to_owned());
    }
    let (span, entry) = edit(doc, signer, &hash)?;
    let mut new_text = doc.file.text.clone();
    new_text.replace_range(span, &entry);
    read_back(doc, &new_text, &canonical, profile, ctx, &wanted)?;
    let mut after = bom.to_vec();
    after.extend_from_slice(new_text.as_bytes());
    Ok(Some(FileFix {
        path: doc.path.clone(),
        name: doc.file.name.clone(),
        before,
        after,
        edits: 1,
    }))
}

/// The span to replace and the `approved:` entry to put there: the existing entry (from its
/// key's line to the line of the next top-level key, comments before that key left in place),
/// else the end of the front matter.
fn edit(doc: &Document, signer: &Signer<'_>, hash: &str) -> Result<(Range<usize>, String), String> {
    let text = &doc.file.text;
    let frontmatter::Split::Fenced { yaml: range, .. } = frontmatter::split(text) else {
        return Err("the front matter does not read".to_owned());
    };
    let eol = if text[..range.start].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let entry = format!(
        "approved:{eol}  by: {}{eol}  date: {}{eol}  targets: {}{eol}",
        yaml::quote(signer.by),
        signer.date,
        yaml::quote(hash)
    );
    let mut tree = yaml::parse(&text[range.clone()]).map_err(|e| e.message)?;
    tree.shift(range.start);
    let yaml::Value::Map(entries) = &tree.value else {
        return Err("the front matter is not a mapping".to_owned());
    };
    let Some(at) = entries
        .iter()
        .position(|(k, _)| k.as_str() == Some("approved"))
    else {
        let mut entry = entry;
        if !text[..range.end].ends_with('\n') {
            entry.insert_str(0, eol);
        }
        return Ok((range.end..range.end, entry));
    };
    let key = &entries[at].0.span;
    let start = doc.file.line_span(key.start).start;
    if start != key.start {
        return Err(
            "the `approved:` key does not start its line (flow style?); write it as a block mapping or remove it, then approve again"
                .to_owned(),
        );
    }
    let next = entries
        .get(at + 1)
        .map_or(range.end, |(k, _)| doc.file.line_span(k.span.start).start);
    Ok((start..own_end(text, start, next), entry))
}

/// Where the entry starting at `start` ends, given that the next one starts at `next`: before
/// the blank lines and comments at the start of a line that precede the next entry, which
/// belong to it.
fn own_end(text: &str, start: usize, next: usize) -> usize {
    let mut end = next;
    while end > start {
        let line_start = text[start..end - 1]
            .rfind('\n')
            .map_or(start, |i| start + i + 1);
        let line = text[line_start..end].trim_end_matches(['\n', '\r']);
        if line_start == start || !(line.trim().is_empty() || line.starts_with('#')) {
            break;
        }
        end = line_start;
    }
    end
}

/// Whether `new_text` is the document with only the approval changed: it parses with no new
/// front matter finding, every other value reads as before, the targets have the same
/// canonical form, and the approval reads back as the one written.
fn read_back(
    doc: &Document,
    new_text: &str,
    canonical: &str,
    profile: &Profile<'_>,
    ctx: &Context,
    wanted: &dyn Fn(&Approval) -> bool,
) -> Result<(), String> {
    let refuse = |why: &str| {
        Err(format!(
            "the edited front matter would not read back: {why}"
        ))
    };
    if let Err(why) = fix::same_except_key(&doc.file.text, new_text, "approved") {
        return refuse(&why);
    }
    let kinds = &ctx.settings.evidence.kinds;
    let parse =
        |t: &str| document::parse(doc.path.clone(), doc.file.name.clone(), t.as_bytes(), kinds);
    let (old, new) = (parse(&doc.file.text), parse(new_text));
    let front_matter = |p: &document::Parsed| -> Vec<String> {
        p.diagnostics
            .iter()
            .filter(|d| {
                matches!(
                    d.rule,
                    Rule::FrontMatterSyntax | Rule::FrontMatterSchema | Rule::UnknownKey
                )
            })
            .map(|d| d.message.clone())
            .collect()
    };
    let mut before = front_matter(&old);
    for finding in front_matter(&new) {
        match before.iter().position(|b| *b == finding) {
            Some(i) => {
                before.swap_remove(i);
            }
            None => return refuse(&format!("it would add the finding \"{finding}\"")),
        }
    }
    let Some(Front::Profile(front)) = new.document.as_ref().map(|d| &d.front) else {
        return refuse("it is no longer a profile document");
    };
    if approval::canonical(front, &profile.catalogue).as_deref() != Ok(canonical) {
        return refuse("the targets would read differently");
    }
    if !front.approval.as_ref().is_some_and(wanted) {
        return refuse("the approval does not read as written");
    }
    Ok(())
}
