//! `smm-lint pin`: write the `sha256:` pins of local evidence files, changing nothing else in
//! the documents.
//!
//! A missing pin is added, and a pin that is not a hash (`TODO`, empty, the wrong length) is
//! replaced where it stands. A pin whose file changed is refreshed only with `--refresh`, which
//! names every item it re-approves: approving changed evidence is a decision, never a side
//! effect of pinning a new item.

use super::ExitStatus;
use crate::analysis;
use crate::checks::evidence::{Target, assess, sha256_of};
use crate::cli::PinArgs;
use crate::context::Context;
use crate::diagnostic::Edit;
use crate::document::schema::{Evidence, Front, Locator};
use crate::document::{self, Document};
use crate::error::Fatal;
use crate::fix::{self, FileFix};
use crate::text::plural;
use crate::yaml;
use crate::yaml::{Node, Value};
use std::io::Write;
use std::ops::Range;

/// Characters of a hash shown when a pin is refreshed or left stale.
const HASH_SHOWN: usize = 12;

/// What one evidence item needs.
#[derive(Debug)]
enum Need {
    /// No pin yet: one is added after the `path:` line.
    Missing(Edit),
    /// A pin that is not a hash: its value is replaced.
    Invalid(Edit),
    /// A pin of a file that has changed since: refreshed only with `--refresh`.
    Stale { edit: Edit, old: String },
    /// An item `pin` cannot edit safely; the reason says how to pin it.
    Unsafe(&'static str),
}

/// An evidence item that is not pinned as it should be.
#[derive(Debug)]
struct Item {
    /// `document:line`, for the user.
    at: String,
    /// The evidence path as written.
    path: String,
    /// The evidence file's hash now.
    hash: String,
    need: Need,
}

impl Item {
    /// The edit this run writes, if it may write one.
    fn edit(&self, refresh: bool) -> Option<&Edit> {
        match &self.need {
            Need::Missing(edit) | Need::Invalid(edit) => Some(edit),
            Need::Stale { edit, .. } if refresh => Some(edit),
            Need::Stale { .. } | Need::Unsafe(_) => None,
        }
    }

    fn check_line(&self) -> String {
        let what = match &self.need {
            Need::Missing(_) => "no pin".to_owned(),
            Need::Invalid(_) => "invalid pin".to_owned(),
            Need::Stale { .. } => "stale pin".to_owned(),
            Need::Unsafe(why) => format!("cannot pin: {why}"),
        };
        format!("{}: {what}\n", self.at)
    }
}

/// The pins of one document: what its items need, and the file this run writes.
#[derive(Debug)]
struct Plan {
    name: String,
    items: Vec<Item>,
    fix: Option<FileFix>,
    /// Why nothing is written although some items could be pinned.
    left: Option<String>,
}

pub(crate) fn run(args: &PinArgs, out: &mut dyn Write) -> Result<ExitStatus, Fatal> {
    let ctx = Context::new(args.scope.today.as_deref(), args.scope.config.as_deref())?;
    let loaded = analysis::load(&args.scope.paths, &ctx)?;
    let mut plans: Vec<Plan> = loaded
        .documents
        .iter()
        .filter_map(|doc| plan(doc, &ctx, args.refresh))
        .collect();
    let mut text = String::new();
    if args.check {
        plans
            .iter()
            .flat_map(|p| &p.items)
            .for_each(|i| text.push_str(&i.check_line()));
        emit(&text, out)?;
        return Ok(ExitStatus::failure_if(!text.is_empty()));
    }
    if args.diff {
        plans
            .iter()
            .filter_map(|p| p.fix.as_ref())
            .for_each(|f| text.push_str(&fix::diff(f)));
        emit(&text, out)?;
        return Ok(ExitStatus::failure_if(!text.is_empty()));
    }
    let (text, incomplete) = write(&mut plans, &ctx, args.refresh)?;
    emit(&text, out)?;
    Ok(ExitStatus::failure_if(incomplete))
}

/// What a writing run did, for its summary.
#[derive(Debug, Default)]
struct Tally {
    pinned: usize,
    refreshed: usize,
    stale: usize,
    documents: usize,
    /// Something was left unpinned: the run exits 1.
    incomplete: bool,
}

impl Tally {
    /// Counts `item`, whose document was `written` or not, and returns its line of the output
    /// (empty for a pin simply added).
    fn count(&mut self, item: &Item, written: bool, refresh: bool) -> String {
        match &item.need {
            Need::Missing(_) | Need::Invalid(_) => {
                self.pinned += usize::from(written);
                String::new()
            }
            Need::Stale { old, .. } if refresh && written => {
                self.refreshed += 1;
                format!(
                    "{}: re-approved `{}`: {} → {}\n",
                    item.at,
                    item.path,
                    short(old),
                    short(&item.hash)
                )
            }
            Need::Stale { old, .. } => {
                self.stale += 1;
                self.incomplete = true;
                format!(
                    "{}: stale pin of `{}` left as it is: {} → {}\n",
                    item.at,
                    item.path,
                    short(old),
                    short(&item.hash)
                )
            }
            Need::Unsafe(why) => {
                self.incomplete = true;
                format!("{}: not pinned: {why}\n", item.at)
            }
        }
    }

    fn summary(&self) -> String {
        let mut text = format!(
            "Pinned {} and refreshed {} in {}.\n",
            plural(self.pinned, "evidence item", "evidence items"),
            plural(self.refreshed, "pin", "pins"),
            plural(self.documents, "document", "documents")
        );
        if self.stale > 0 {
            text.push_str(&format!(
                "{} of changed files left as {}: review the changes, then run `smm-lint pin --refresh` to re-approve them.\n",
                plural(self.stale, "pin", "pins"),
                if self.stale == 1 { "it is" } else { "they are" }
            ));
        }
        text
    }
}

/// Writes the plans' fixes; returns the output and whether something was left unpinned.
fn write(plans: &mut [Plan], ctx: &Context, refresh: bool) -> Result<(String, bool), Fatal> {
    let fixes: Vec<FileFix> = plans.iter_mut().filter_map(|p| p.fix.take()).collect();
    let skipped = fix::write(&fixes, ctx)?;
    let mut tally = Tally {
        incomplete: !skipped.is_empty(),
        ..Tally::default()
    };
    let mut text = String::new();
    for p in plans.iter() {
        let written =
            fixes.iter().any(|f| f.name == p.name) && !skipped.iter().any(|s| s.name == p.name);
        tally.documents += usize::from(written);
        for item in &p.items {
            text.push_str(&tally.count(item, written, refresh));
        }
        if let Some(why) = &p.left {
            tally.incomplete = true;
            text.push_str(&format!(
                "{}: not pinned: {why}\n",
                crate::text::one_line(&p.name)
            ));
        }
    }
    for s in &skipped {
        text.push_str(&format!(
            "skipped {}: {}; nothing was written there\n",
            crate::text::one_line(&s.name),
            crate::text::one_line(&s.reason)
        ));
    }
    text.push_str(&tally.summary());
    Ok((text, tally.incomplete))
}

fn emit(text: &str, out: &mut dyn Write) -> Result<(), Fatal> {
    crate::stdout::quiet_on_broken_pipe(out.write_all(text.as_bytes()))
}

fn short(hash: &str) -> String {
    format!("{}…", hash.get(..HASH_SHOWN).unwrap_or(hash))
}

/// What a practice document's items need, and the fix this run writes; `None` when every pin
/// is as it should be.
fn plan(doc: &Document, ctx: &Context, refresh: bool) -> Option<Plan> {
    let Front::Practice(front) = &doc.front else {
        return None;
    };
    let needs: Vec<(usize, Item)> = front
        .evidence
        .iter()
        .enumerate()
        .filter_map(|(i, e)| item(doc, e, ctx).map(|item| (i, item)))
        .collect();
    if needs.is_empty() {
        return None;
    }
    let edits: Vec<Edit> = needs
        .iter()
        .filter_map(|(_, item)| item.edit(refresh).cloned())
        .collect();
    let expected: Vec<(usize, &str)> = needs
        .iter()
        .filter(|(_, item)| item.edit(refresh).is_some())
        .map(|(i, item)| (*i, item.hash.as_str()))
        .collect();
    let (fix, left) = if edits.is_empty() {
        (None, None)
    } else {
        let (fix, refused) =
            fix::checked_fix(&doc.file, edits, &ctx.cwd, &ctx.settings.evidence.kinds);
        let why = |fallback: &str| {
            refused
                .first()
                .map_or_else(|| fallback.to_owned(), |s| s.reason.clone())
        };
        match fix {
            Some(f) if refused.is_empty() && reads_back(doc, &f, &expected, ctx) => (Some(f), None),
            Some(_) => (
                None,
                Some(why(
                    "the edits would change more than the pins; pin its items by hand",
                )),
            ),
            None => (None, Some(why("nothing could be written"))),
        }
    };
    Some(Plan {
        name: doc.file.name.clone(),
        items: needs.into_iter().map(|(_, item)| item).collect(),
        fix,
        left,
    })
}

/// Whether the fixed document reads back as the same document with the `expected` pins: it
/// still parses with no new problem, has the same evidence paths, and each pinned item
/// (by index) carries its hash.
fn reads_back(doc: &Document, fix: &FileFix, expected: &[(usize, &str)], ctx: &Context) -> bool {
    let kinds = &ctx.settings.evidence.kinds;
    let parse =
        |bytes: &[u8]| document::parse(doc.path.clone(), doc.file.name.clone(), bytes, kinds);
    let before = parse(&fix.before);
    let after = parse(&fix.after);
    let evidence = |parsed: &document::Parsed| match parsed.document.as_ref().map(|d| &d.front) {
        Some(Front::Practice(front)) => Some(front.evidence.clone()),
        _ => None,
    };
    let (Some(old), Some(new)) = (evidence(&before), evidence(&after)) else {
        return false;
    };
    let paths = |items: &[Evidence]| -> Vec<Option<String>> {
        items
            .iter()
            .map(|e| match &e.locator {
                Some(Locator::Path(p) | Locator::Url(p)) => Some(p.value.clone()),
                None => None,
            })
            .collect()
    };
    after.diagnostics.len() <= before.diagnostics.len()
        && paths(&old) == paths(&new)
        && expected.iter().all(|(i, hash)| {
            new[*i]
                .sha256
                .as_ref()
                .is_some_and(|p| p.value.trim().eq_ignore_ascii_case(hash))
        })
}

/// What `item` needs, if it cites a file inside the repository whose pin is missing, not a
/// hash, or stale.
fn item(doc: &Document, item: &Evidence, ctx: &Context) -> Option<Item> {
    let Some(Locator::Path(path)) = &item.locator else {
        return None;
    };
    let root = ctx.repo_root(doc.path.parent().unwrap_or(&ctx.cwd));
    let Target::File { path: file, .. } = assess(doc, item, &root, ctx).target else {
        return None;
    };
    let hash = sha256_of(&file)?;
    let old = item
        .sha256
        .as_ref()
        .map(|p| p.value.trim().to_ascii_lowercase());
    if old.as_deref() == Some(hash.as_str()) {
        return None;
    }
    let (at, need) = if doc.file.text[path.span.clone()].contains('\n') {
        (
            path.span.start,
            Need::Unsafe("the `path:` value spans several lines; write it on one line to pin it"),
        )
    } else {
        match (item.sha256_written.as_deref(), old) {
            (Some((key, value)), old) => {
                let need = match replacement(doc, key, value, &hash) {
                    Err(why) => Need::Unsafe(why),
                    Ok(edit) => match old {
                        Some(old) => Need::Stale { edit, old },
                        None => Need::Invalid(edit),
                    },
                };
                (key.start, need)
            }
            (None, _) => match insertion(doc, path.span.clone(), &hash) {
                Ok(edit) => (item.span.start, Need::Missing(edit)),
                Err(why) => (path.span.start, Need::Unsafe(why)),
            },
        }
    };
    Some(Item {
        at: format!(
            "{}:{}",
            crate::text::one_line(&doc.file.name),
            doc.file.position(at).line
        ),
        path: crate::text::one_line(&path.value),
        hash,
        need,
    })
}

/// Whether the line holding `key` is a block mapping line starting with that key (after an
/// indent and list dashes), the only layout `pin` edits.
fn starts_block_line(doc: &Document, key: &Range<usize>) -> bool {
    let line = doc.file.line_span(key.start);
    doc.file.text[line.start..key.start]
        .chars()
        .all(|c| c == ' ' || c == '-')
}

/// The edit that puts `hash` in place of a `sha256:` value written on the key's line.
fn replacement(
    doc: &Document,
    key: &Range<usize>,
    value: &Node,
    hash: &str,
) -> Result<Edit, &'static str> {
    const HAND: &str =
        "the `sha256:` value is not a one-line value on its key's line; replace it by hand";
    let text = &doc.file.text;
    let line = doc.file.line_span(key.start);
    if !starts_block_line(doc, key) {
        return Err("the item is written in flow style (`{…}`); pin it by hand");
    }
    let colon = key.end
        + text[key.end..line.end]
            .find(':')
            .filter(|&i| text[key.end..key.end + i].trim().is_empty())
            .ok_or(HAND)?;
    if matches!(value.value, Value::Seq(_) | Value::Map(_)) {
        return Err(HAND);
    }
    if value.span.is_empty() {
        // `sha256:` with nothing after it, or only a comment.
        let rest = text[colon + 1..line.end].trim();
        if !(rest.is_empty() || rest.starts_with('#')) {
            return Err(HAND);
        }
        return Ok(Edit {
            span: colon + 1..colon + 1,
            replacement: format!(" {}", yaml::quote(hash)),
        });
    }
    let between = &text[colon + 1..value.span.start.max(colon + 1)];
    if value.span.start <= colon || value.span.end > line.end || !between.trim().is_empty() {
        return Err(HAND);
    }
    let original = &text[value.span.clone()];
    let replacement = match original.chars().next() {
        Some(q @ ('"' | '\'')) if original.len() > 1 && original.ends_with(q) => {
            format!("{q}{hash}{q}")
        }
        _ => yaml::quote(hash),
    };
    Ok(Edit {
        span: value.span.clone(),
        replacement,
    })
}

/// A `sha256:` line after the line of the `path:` value, indented like the `path` key, with
/// the same line ending.
fn insertion(doc: &Document, value: Range<usize>, hash: &str) -> Result<Edit, &'static str> {
    let text = &doc.file.text;
    let line = doc.file.line_span(value.start);
    let before_value = &text[line.start..value.start];
    let flow = "the item is written in flow style (`{…}`); pin it by hand";
    let key_at = before_value
        .rfind("path")
        .ok_or("the `path:` value does not start on its key's line; pin it by hand")?;
    let prefix = &before_value[..key_at];
    if !prefix.chars().all(|c| c == ' ' || c == '-') {
        return Err(flow);
    }
    let rest = text[value.end..line.end].trim();
    if !(rest.is_empty() || rest.starts_with('#')) {
        return Err(flow);
    }
    let indent = " ".repeat(prefix.chars().count());
    let eol = if text[line.end..].starts_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Ok(Edit {
        span: line.end..line.end,
        replacement: format!("{eol}{indent}sha256: {}", yaml::quote(hash)),
    })
}
