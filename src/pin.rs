//! `smm-lint pin`: write or refresh the `sha256:` pins of local evidence files, changing
//! nothing else in the documents.

use crate::analysis;
use crate::checks::evidence::{Target, assess, sha256_of};
use crate::cli::PinArgs;
use crate::diagnostic::Edit;
use crate::document::schema::{Evidence, Front, Locator};
use crate::document::{Document, yaml};
use crate::error::Fatal;
use crate::fix;
use crate::settings::Settings;
use std::io::Write;

/// What `pin` would do to one evidence item: add a pin, or refresh a stale one.
#[derive(Debug)]
struct Change {
    edit: Edit,
    refresh: bool,
}

pub fn run(args: &PinArgs, out: &mut dyn Write) -> Result<u8, Fatal> {
    let settings = Settings::resolve(
        args.scope.today.as_deref(),
        args.scope.config.as_deref(),
        crate::run::cwd()?,
    )?;
    let loaded = analysis::load(&args.scope.paths, &settings)?;
    let mut fixes = Vec::new();
    let mut report = Vec::new();
    let (mut new, mut refreshed) = (0, 0);
    for doc in &loaded.documents {
        let Front::Practice(front) = &doc.front else {
            continue;
        };
        let mut edits = Vec::new();
        for item in &front.evidence {
            let Some(change) = change(doc, item, &settings) else {
                continue;
            };
            let (what, at) = if change.refresh {
                refreshed += 1;
                ("stale pin", change.edit.span.start)
            } else {
                new += 1;
                ("no pin", item.span.start)
            };
            report.push(format!(
                "{}:{}: {what}",
                crate::text::one_line(&doc.file.name),
                doc.file.position(at).line
            ));
            edits.push(change.edit);
        }
        if !edits.is_empty() {
            fixes.extend(fix::fix_file(&doc.file, edits, &settings.cwd));
        }
    }
    let write = |text: String, out: &mut dyn Write| {
        crate::run::quiet_on_broken_pipe(out.write_all(text.as_bytes()))
    };
    if args.check {
        for line in &report {
            write(format!("{line}\n"), out)?;
        }
        return Ok(u8::from(!report.is_empty()));
    }
    if args.diff {
        for f in &fixes {
            write(fix::diff(f), out)?;
        }
        return Ok(u8::from(!fixes.is_empty()));
    }
    fix::write(&fixes)?;
    write(
        format!(
            "Pinned {new} evidence item{} and refreshed {refreshed} pin{} in {} document{}.\n",
            if new == 1 { "" } else { "s" },
            if refreshed == 1 { "" } else { "s" },
            fixes.len(),
            if fixes.len() == 1 { "" } else { "s" }
        ),
        out,
    )?;
    Ok(0)
}

/// The edit that pins `item`, if it cites a file inside the repository whose pin is missing
/// or stale.
fn change(doc: &Document, item: &Evidence, settings: &Settings) -> Option<Change> {
    let Some(Locator::Path(path)) = &item.locator else {
        return None;
    };
    let root = settings.repo_root(doc.path.parent().unwrap_or(&settings.cwd));
    let Target::File { path: file, .. } = assess(doc, item, &root, settings).target else {
        return None;
    };
    let actual = sha256_of(&file)?;
    match &item.sha256 {
        Some(pin) if pin.value.trim().eq_ignore_ascii_case(&actual) => None,
        Some(pin) => Some(Change {
            edit: Edit::scalar(&doc.file, pin.span.clone(), &actual),
            refresh: true,
        }),
        None => insertion(doc, path.span.start, &actual).map(|edit| Change {
            edit,
            refresh: false,
        }),
    }
}

/// A `sha256:` line after the line of the `path:` value, indented like the `path` key, with
/// the same line ending. `None` for an item written in flow style (`{path: …}`).
fn insertion(doc: &Document, value_start: usize, hash: &str) -> Option<Edit> {
    let text = &doc.file.text;
    let line = doc.file.line_span(value_start);
    let before_value = &text[line.start..value_start];
    let key_at = before_value.rfind("path")?;
    let prefix = &before_value[..key_at];
    if !prefix.chars().all(|c| c == ' ' || c == '-') {
        return None;
    }
    let indent = " ".repeat(prefix.chars().count());
    let eol = if text[line.end..].starts_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some(Edit {
        span: line.end..line.end,
        replacement: format!("{eol}{indent}sha256: {}", yaml::quote(hash)),
    })
}
