//! `report --format xlsx`: the report as a workbook, for people who filter, sort and pivot.
//!
//! One sheet per table of the report, each a plain table: a bold header row that stays in view
//! (frozen), an autofilter over the whole table, and columns as wide as their longest cell
//! (within bounds). Values come from the report's model, so they equal the other formats':
//! levels are numbers with their scope in a column of its own beside the SMM notation, dates
//! are Excel dates, counts are numbers.
//!
//! Text from documents is untrusted. Every text cell is written as a string, never as a
//! formula, whatever it starts with (`=`, `+`, `-`, `@`); characters XML cannot hold are
//! replaced (see [`clean`]); a text longer than a cell holds is cut short with `…`.
//!
//! The workbook is the same bytes for the same input: its creation date is the report's date
//! (`--today`), and the ZIP entries carry a fixed timestamp.

use super::model::{
    Counts, EvidenceRow, FindingRow, LevelView, PlanRow, ProfileReport, Report, Rollup,
};
use crate::date::Date;
use crate::model::level::Level;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::borrow::Cow;

/// The sheets, in order.
pub(crate) const SHEETS: [&str; 5] = ["Gap", "Roadmap", "Evidence", "Findings", "Profiles"];

/// The most UTF-16 code units Excel keeps in one cell.
const MAX_CELL_UNITS: usize = 32_767;
/// Column widths, in characters: at least a short word, at most a readable line.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;
/// How dates show (they are numbers underneath, so they sort and filter as dates).
const DATE_FORMAT: &str = "yyyy-mm-dd";

/// One cell's value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Number(f64),
    /// A `YYYY-MM-DD` date; written as text when it is not one (or not one Excel can hold).
    Date(String),
    Empty,
}

impl Value {
    fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    fn opt_text(s: Option<&str>) -> Value {
        s.map_or(Value::Empty, Value::text)
    }

    fn count(n: usize) -> Value {
        // Counts and line numbers are far below 2^53: exact as f64.
        Value::Number(n as f64)
    }

    fn opt_date(s: Option<&str>) -> Value {
        s.map_or(Value::Empty, |d| Value::Date(d.to_owned()))
    }

    fn yes_no(b: bool) -> Value {
        Value::text(if b { "yes" } else { "no" })
    }

    /// The characters the cell shows, for its column's width.
    fn width(&self) -> usize {
        match self {
            Value::Text(s) => s.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            Value::Number(n) => n.to_string().len(),
            Value::Date(_) => DATE_FORMAT.len(),
            Value::Empty => 0,
        }
    }
}

/// One sheet: its name, column headers and rows.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    pub(crate) name: &'static str,
    pub(crate) header: Vec<&'static str>,
    pub(crate) rows: Vec<Vec<Value>>,
}

/// The report as a workbook's bytes. `evidence` is the evidence index (`evidence --format
/// csv`'s rows: the profiles' items, then those of documents outside any profile).
pub(crate) fn workbook(report: &Report, evidence: &[EvidenceRow]) -> Result<Vec<u8>, String> {
    let tables = [
        gap_table(report),
        roadmap_table(report),
        evidence_table(evidence),
        findings_table(report),
        profiles_table(report),
    ];
    write(&tables, &report.generated.today).map_err(|e| format!("cannot write the workbook: {e}"))
}

fn write(tables: &[Table], today: &str) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    book.set_properties(&properties(today)?);
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format(DATE_FORMAT);
    for table in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(table.name)?;
        write_table(sheet, table, &header, &date)?;
    }
    book.save_to_buffer()
}

/// Fixed properties: the title, the generator, and the report's date as the creation date
/// (rather than the clock's, which would make every run's bytes differ).
fn properties(today: &str) -> Result<DocProperties, XlsxError> {
    let props = DocProperties::new()
        .set_title("IoT SMM maturity report")
        .set_author(format!("smm-lint {}", env!("CARGO_PKG_VERSION")));
    Ok(match excel_date(today) {
        Some(day) => props.set_creation_datetime(&day),
        None => props.set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    })
}

fn write_table(
    sheet: &mut Worksheet,
    table: &Table,
    header: &Format,
    date: &Format,
) -> Result<(), XlsxError> {
    let mut widths: Vec<usize> = table.header.iter().map(|h| h.chars().count()).collect();
    for (col, name) in (0u16..).zip(&table.header) {
        sheet.write_string_with_format(0, col, *name, header)?;
    }
    for (row, values) in (1u32..).zip(&table.rows) {
        for ((col, value), width) in (0u16..).zip(values).zip(widths.iter_mut()) {
            *width = (*width).max(value.width());
            write_value(sheet, row, col, value, date)?;
        }
    }
    for (col, width) in (0u16..).zip(&widths) {
        let width = (*width).clamp(MIN_WIDTH, MAX_WIDTH) + 2;
        // Widths are at most MAX_WIDTH + 2: exact as f64.
        sheet.set_column_width(col, width as f64)?;
    }
    let last_row = u32::try_from(table.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    let last_col = u16::try_from(table.header.len().saturating_sub(1))
        .map_err(|_| XlsxError::RowColumnLimitError)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    Ok(())
}

fn write_value(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: &Value,
    date: &Format,
) -> Result<(), XlsxError> {
    match value {
        // Always a string: text that looks like a formula stays text.
        Value::Text(s) => sheet.write_string(row, col, clean(s)).map(|_| ()),
        Value::Number(n) => sheet.write_number(row, col, *n).map(|_| ()),
        Value::Date(s) => match excel_date(s) {
            Some(day) => sheet
                .write_datetime_with_format(row, col, &day, date)
                .map(|_| ()),
            None => sheet.write_string(row, col, clean(s)).map(|_| ()),
        },
        Value::Empty => Ok(()),
    }
}

/// A `YYYY-MM-DD` date as an Excel date, when it is one Excel can hold (1900 to 9999).
fn excel_date(text: &str) -> Option<ExcelDateTime> {
    let d = Date::parse(text).ok()?;
    let year = u16::try_from(d.year).ok()?;
    ExcelDateTime::from_ymd(year, d.month, d.day).ok()
}

/// Text as a cell can hold it. XML 1.0 cannot carry the C0 control characters other than tab,
/// line feed and carriage return, nor U+FFFE and U+FFFF: each becomes U+FFFD (visible, so the
/// reader sees that something was there). Line breaks become line feeds (`\r\n` and a lone
/// `\r` alike), which is what a cell's line break is. A text longer than a cell holds (32,767
/// UTF-16 units) is cut short, ending with `…`.
pub(crate) fn clean(text: &str) -> Cow<'_, str> {
    let fine = |c: char| !(is_illegal(c) || c == '\r');
    if text.chars().all(fine) && text.len() <= MAX_CELL_UNITS {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut units = 0;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\r' if chars.peek() == Some(&'\n') => continue,
            '\r' => '\n',
            c if is_illegal(c) => char::REPLACEMENT_CHARACTER,
            c => c,
        };
        // Room is kept for the `…` (one unit) that ends a text cut short.
        if units + c.len_utf16() > MAX_CELL_UNITS - 1 && chars.peek().is_some() {
            out.push('…');
            break;
        }
        units += c.len_utf16();
        out.push(c);
    }
    Cow::Owned(out)
}

fn is_illegal(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

/// A level in three cells: as written (`2+/general+`), its number and its scope.
fn level_cells(written: Option<&str>) -> [Value; 3] {
    let parsed = written.and_then(|w| Level::parse(w).ok());
    [
        Value::opt_text(written),
        parsed.map_or(Value::Empty, |l| Value::count(usize::from(l.comp))),
        parsed.map_or(Value::Empty, |l| Value::text(l.scope.name())),
    ]
}

fn view_cells(view: Option<LevelView>) -> [Value; 3] {
    let written = view.map(|v| v.to_string());
    level_cells(written.as_deref())
}

fn count_cells(counts: &Counts) -> [Value; 3] {
    [
        Value::count(counts.errors),
        Value::count(counts.warnings),
        Value::count(counts.infos),
    ]
}

/// The gap table: a row per domain, subdomain and practice, each with its profile, domain and
/// subdomain ids so that a filter on any of them keeps the rows below it.
fn gap_table(report: &Report) -> Table {
    let header = vec![
        "profile",
        "row",
        "domain",
        "subdomain",
        "practice",
        "name",
        "target",
        "target_level",
        "target_scope",
        "current",
        "current_level",
        "current_scope",
        "gap",
        "gap_levels",
        "applicable",
        "rationale",
        "assessed",
        "assessor",
        "evidence_ok",
        "evidence_total",
        "errors",
        "warnings",
        "infos",
        "document",
    ];
    let mut rows = Vec::new();
    for p in &report.profiles {
        for d in &p.domains {
            rows.push(rollup_row(p, "domain", &d.rollup, None));
            for s in &d.subdomains {
                rows.push(rollup_row(p, "subdomain", &s.rollup, Some(&d.rollup.id)));
                for r in &s.practices {
                    let mut row = vec![
                        Value::text(&p.id),
                        Value::text("practice"),
                        Value::text(&d.rollup.id),
                        Value::text(&s.rollup.id),
                        Value::text(&r.id),
                        Value::text(&r.name),
                    ];
                    row.extend(view_cells(r.target));
                    row.extend(view_cells(r.current));
                    row.extend([
                        Value::text(r.gap.to_string()),
                        Value::Number(f64::from(r.gap_levels)),
                        Value::yes_no(r.applicable),
                        Value::opt_text(r.rationale.as_deref()),
                        Value::opt_date(r.assessed.as_deref()),
                        Value::opt_text(r.assessor.as_deref()),
                        Value::count(r.evidence_ok),
                        Value::count(r.evidence_total),
                    ]);
                    row.extend(count_cells(&r.findings));
                    row.push(Value::opt_text(r.document.as_deref()));
                    rows.push(row);
                }
            }
        }
    }
    Table {
        name: SHEETS[0],
        header,
        rows,
    }
}

/// A domain's (no `parent`) or subdomain's row: its rollups; the practice columns empty.
fn rollup_row(p: &ProfileReport, kind: &str, rollup: &Rollup, parent: Option<&str>) -> Vec<Value> {
    let (domain, subdomain) = match parent {
        Some(domain) => (Value::text(domain), Value::text(&rollup.id)),
        None => (Value::text(&rollup.id), Value::Empty),
    };
    let mut row = vec![
        Value::text(&p.id),
        Value::text(kind),
        domain,
        subdomain,
        Value::Empty,
        Value::text(&rollup.name),
    ];
    row.extend(level_cells(rollup.target.as_deref()));
    row.extend(level_cells(rollup.current.as_deref()));
    row.extend(std::iter::repeat_n(Value::Empty, 12));
    row
}

fn roadmap_table(report: &Report) -> Table {
    let header = vec![
        "profile",
        "practice",
        "name",
        "level",
        "level_number",
        "scope",
        "due",
        "action",
        "owner",
        "status",
        "document",
        "line",
    ];
    let rows = report
        .profiles
        .iter()
        .flat_map(|p| p.roadmap.iter().map(move |r| plan_row(p, r)))
        .collect();
    Table {
        name: SHEETS[1],
        header,
        rows,
    }
}

fn plan_row(p: &ProfileReport, r: &PlanRow) -> Vec<Value> {
    let mut row = vec![
        Value::text(&p.id),
        Value::text(&r.practice),
        Value::text(&r.name),
    ];
    row.extend(level_cells(r.level.as_deref()));
    row.extend([
        Value::opt_date(r.due.as_deref()),
        Value::opt_text(r.action.as_deref()),
        Value::opt_text(r.owner.as_deref()),
        Value::text(r.status.label()),
        Value::text(&r.document),
        Value::count(r.line),
    ]);
    row
}

/// The evidence index with the columns of `evidence --format csv`, in its order.
fn evidence_table(evidence: &[EvidenceRow]) -> Table {
    let header = vec![
        "profile",
        "practice",
        "claimed",
        "kind",
        "location",
        "anchor",
        "reviewed",
        "age_days",
        "standard",
        "pin",
        "status",
        "document",
        "line",
        "evidence",
        "waived",
        "repo_path",
        "note",
    ];
    let rows = evidence
        .iter()
        .map(|r| {
            let written = match &r.anchor {
                Some(a) => format!("{}#{a}", r.target),
                None => r.target.clone(),
            };
            vec![
                Value::text(&r.profile),
                Value::text(&r.practice),
                Value::opt_text(r.claimed.as_deref()),
                Value::opt_text(r.kind.as_deref()),
                Value::text(&r.target),
                Value::opt_text(r.anchor.as_deref()),
                Value::opt_date(r.reviewed.as_deref()),
                // Ages are days since a date Excel can hold: exact as f64.
                r.age_days.map_or(Value::Empty, |a| Value::Number(a as f64)),
                Value::opt_text(r.standard.as_deref()),
                Value::text(r.pin.to_string()),
                Value::text(r.status.label()),
                Value::text(&r.document),
                Value::count(r.line),
                Value::text(written),
                Value::yes_no(r.waived),
                Value::opt_text(r.repo_path.as_deref()),
                Value::opt_text(r.note.as_deref()),
            ]
        })
        .collect();
    Table {
        name: SHEETS[2],
        header,
        rows,
    }
}

/// Every finding on a profile's documents, waived ones included: the practices' in the gap
/// table's order, then the others (the profile document, duplicates, unknown ids).
fn findings_table(report: &Report) -> Table {
    let header = vec![
        "profile", "practice", "rule", "severity", "message", "document", "line", "waived",
    ];
    let mut rows = Vec::new();
    for p in &report.profiles {
        let practices = p
            .domains
            .iter()
            .flat_map(|d| &d.subdomains)
            .flat_map(|s| &s.practices);
        for r in practices {
            rows.extend(
                r.finding_list
                    .iter()
                    .map(|f| finding_row(p, Some(&r.id), f)),
            );
        }
        rows.extend(p.other_findings.iter().map(|f| finding_row(p, None, f)));
    }
    Table {
        name: SHEETS[3],
        header,
        rows,
    }
}

fn finding_row(p: &ProfileReport, practice: Option<&str>, f: &FindingRow) -> Vec<Value> {
    vec![
        Value::text(&p.id),
        Value::opt_text(practice),
        Value::text(&f.rule),
        Value::text(&f.severity),
        Value::text(&f.message),
        Value::text(&f.document),
        Value::count(f.line),
        Value::opt_text(f.waived.as_deref()),
    ]
}

/// A row per profile: what the report's header says of it.
fn profiles_table(report: &Report) -> Table {
    let header = vec![
        "profile",
        "system",
        "industry",
        "model",
        "owner",
        "commit",
        "errors",
        "warnings",
        "infos",
        "document",
        "report_date",
        "smm_lint",
    ];
    let rows = report
        .profiles
        .iter()
        .map(|p| {
            let mut row = vec![
                Value::text(&p.id),
                Value::opt_text(p.system.as_deref()),
                Value::opt_text(p.industry.as_deref()),
                Value::text(match &p.model_file {
                    Some(file) => format!("{} ({file})", p.model),
                    None => p.model.clone(),
                }),
                Value::opt_text(p.owner.as_deref()),
                Value::text(&p.commit),
            ];
            row.extend(count_cells(&p.findings));
            row.extend([
                Value::text(&p.path),
                Value::Date(report.generated.today.clone()),
                Value::text(&report.generated.smm_lint),
            ]);
            row
        })
        .collect();
    Table {
        name: SHEETS[4],
        header,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_CELL_UNITS, Value, clean, level_cells};

    #[test]
    fn text_keeps_what_xml_holds_and_replaces_the_rest() {
        assert_eq!(clean("=SUM(A1:A9)"), "=SUM(A1:A9)");
        assert_eq!(clean("tab\there\nline"), "tab\there\nline");
        assert_eq!(clean("a\u{0}b\u{1b}[31mc"), "a\u{FFFD}b\u{FFFD}[31mc");
        assert_eq!(clean("dos\r\nmac\rend"), "dos\nmac\nend");
        assert_eq!(clean("\u{FFFE}\u{FFFF}"), "\u{FFFD}\u{FFFD}");
    }

    #[test]
    fn a_text_longer_than_a_cell_is_cut_short() {
        let long = "é".repeat(MAX_CELL_UNITS + 10);
        let cut = clean(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_UNITS);
        assert!(cut.ends_with('…'));
        // Astral characters count two units each.
        let astral = "😀".repeat(MAX_CELL_UNITS);
        assert!(clean(&astral).encode_utf16().count() <= MAX_CELL_UNITS);
        let exact = "a".repeat(MAX_CELL_UNITS);
        assert_eq!(clean(&exact), exact.as_str());
    }

    #[test]
    fn levels_split_into_notation_number_and_scope() {
        assert_eq!(
            level_cells(Some("2+/general+")),
            [
                Value::text("2+/general+"),
                Value::Number(2.0),
                Value::text("general")
            ]
        );
        assert_eq!(
            level_cells(None),
            [Value::Empty, Value::Empty, Value::Empty]
        );
    }
}
