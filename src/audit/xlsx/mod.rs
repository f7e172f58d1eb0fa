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

mod history;
mod report;

use super::model::{EvidenceRow, Report};
use crate::date::Date;
use crate::history::model::History;
use crate::model::level::Level;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::borrow::Cow;

/// The sheets, in order; `History` only when a history is given.
pub(crate) const SHEETS: [&str; 6] = [
    "Gap", "Roadmap", "Evidence", "Findings", "Profiles", "History",
];

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
    pub(super) fn text(s: impl Into<String>) -> Value {
        Value::Text(s.into())
    }

    pub(super) fn opt_text(s: Option<&str>) -> Value {
        s.map_or(Value::Empty, Value::text)
    }

    pub(super) fn count(n: usize) -> Value {
        // Counts and line numbers are far below 2^53: exact as f64.
        Value::Number(n as f64)
    }

    pub(super) fn opt_date(s: Option<&str>) -> Value {
        s.map_or(Value::Empty, |d| Value::Date(d.to_owned()))
    }

    pub(super) fn yes_no(b: bool) -> Value {
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
/// csv`'s rows: the profiles' items, then those of documents outside any profile); `history`,
/// when given, gets a sheet of its own.
pub(crate) fn workbook(
    report: &Report,
    evidence: &[EvidenceRow],
    history: Option<&History>,
) -> Result<Vec<u8>, String> {
    let mut tables = vec![
        report::gap(report),
        report::roadmap(report),
        report::evidence(evidence),
        report::findings(report),
        report::profiles(report),
    ];
    tables.extend(history.map(history::table));
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
pub(super) fn level_cells(written: Option<&str>) -> [Value; 3] {
    let parsed = written.and_then(|w| Level::parse(w).ok());
    [
        Value::opt_text(written),
        parsed.map_or(Value::Empty, |l| Value::count(usize::from(l.comp))),
        parsed.map_or(Value::Empty, |l| Value::text(l.scope.name())),
    ]
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
