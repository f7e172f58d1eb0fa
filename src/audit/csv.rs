//! `evidence --format csv`: RFC 4180, and safe to open in a spreadsheet.

use super::model::EvidenceRow;

/// `location` is the path (without anchor) or URL as written; it was called `target`, which
/// read as the SMM's target level.
/// `requirements` came last, after the columns consumers already read by position.
pub(super) const HEADER: [&str; 18] = [
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
    "requirements",
];

/// One field: quoted when it holds a comma, quote or line break (quotes doubled), and
/// prefixed with `'` when a spreadsheet would read it as a formula.
pub(crate) fn field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

pub(crate) fn evidence(rows: &[EvidenceRow]) -> String {
    let mut out = HEADER.join(",");
    out.push_str("\r\n");
    for r in rows {
        let evidence = match &r.anchor {
            Some(a) => format!("{}#{a}", r.target),
            None => r.target.clone(),
        };
        let fields = [
            r.profile.clone(),
            r.practice.clone(),
            r.claimed.clone().unwrap_or_default(),
            r.kind.clone().unwrap_or_default(),
            r.target.clone(),
            r.anchor.clone().unwrap_or_default(),
            r.reviewed.clone().unwrap_or_default(),
            r.age_days.map(|a| a.to_string()).unwrap_or_default(),
            r.standard.clone().unwrap_or_default(),
            r.pin.to_string(),
            r.status.to_string(),
            r.document.clone(),
            r.line.to_string(),
            evidence,
            if r.waived { "yes" } else { "no" }.to_owned(),
            r.repo_path.clone().unwrap_or_default(),
            r.note.clone().unwrap_or_default(),
            r.requirements.join("; "),
        ];
        let line: Vec<String> = fields.iter().map(|f| field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field("-1"), "'-1");
        assert_eq!(field("@cmd"), "'@cmd");
    }
}
