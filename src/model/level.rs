//! Comprehensiveness levels and scopes, written `LEVEL/SCOPE` with optional `+` rollup marks.

use std::fmt;

/// Scope from broadest to narrowest; the derived order is "narrowness".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    General,
    Industry,
    System,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::General, Scope::Industry, Scope::System];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Scope::General => "general",
            Scope::Industry => "industry",
            Scope::System => "system",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.name() == text)
    }
}

/// Highest comprehensiveness level of the model.
pub const MAX_LEVEL: u8 = 4;

/// A comprehensiveness + scope pair. The `+` marks only appear on parents' targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Level {
    pub comp: u8,
    pub comp_plus: bool,
    pub scope: Scope,
    pub scope_plus: bool,
}

impl Level {
    pub fn new(comp: u8, scope: Scope) -> Level {
        Level {
            comp,
            comp_plus: false,
            scope,
            scope_plus: false,
        }
    }

    /// The same level without `+` marks: what children inherit.
    pub fn base(self) -> Level {
        Level::new(self.comp, self.scope)
    }

    pub(crate) fn has_plus(self) -> bool {
        self.comp_plus || self.scope_plus
    }

    /// True when `self` meets `target`: at least as comprehensive and at least as narrow.
    pub fn meets(self, target: Level) -> bool {
        self.comp >= target.comp && self.scope >= target.scope
    }

    /// Parses `2/industry`, `2+/general+`. Returns a message naming what is wrong.
    pub fn parse(text: &str) -> Result<Level, String> {
        let trimmed = text.trim();
        let Some((comp_text, scope_text)) = trimmed.split_once('/') else {
            return Err(format!(
                "`{}` is not a level: write LEVEL/SCOPE, e.g. `2/industry`",
                crate::text::excerpt(trimmed)
            ));
        };
        let (comp_text, comp_plus) = strip_plus(comp_text.trim());
        let (scope_text, scope_plus) = strip_plus(scope_text.trim());
        let comp = match comp_text.parse::<u8>() {
            Ok(c) if c <= MAX_LEVEL && comp_text.len() == 1 => c,
            Ok(_) | Err(_)
                if comp_text.chars().all(|c| c.is_ascii_digit()) && !comp_text.is_empty() =>
            {
                return Err(format!(
                    "level `{}` does not exist: levels run from 0 (None) to 4 (Formalized)",
                    crate::text::excerpt(comp_text)
                ));
            }
            _ => {
                return Err(format!(
                    "`{}` is not a comprehensiveness level: use a number from 0 to 4",
                    crate::text::excerpt(comp_text)
                ));
            }
        };
        let Some(scope) = Scope::parse(scope_text) else {
            return Err(scope_error(scope_text));
        };
        Ok(Level {
            comp,
            comp_plus,
            scope,
            scope_plus,
        })
    }
}

fn scope_error(text: &str) -> String {
    if text.is_empty() {
        return "the scope is missing after `/`: use general, industry or system".to_owned();
    }
    let names: Vec<&str> = Scope::ALL.iter().map(|s| s.name()).collect();
    let lower = text.to_lowercase();
    let hint = if Scope::parse(&lower).is_some() {
        format!(" (scopes are lowercase: `{lower}`)")
    } else {
        match crate::text::suggest::close(&lower, &names, 1).first() {
            Some(close) => format!(" (did you mean `{close}`?)"),
            None => String::new(),
        }
    };
    format!(
        "scope `{}` does not exist: use general, industry or system{hint}",
        crate::text::excerpt(text)
    )
}

fn strip_plus(text: &str) -> (&str, bool) {
    match text.strip_suffix('+') {
        Some(rest) => (rest.trim_end(), true),
        None => (text, false),
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = |b: bool| if b { "+" } else { "" };
        write!(
            f,
            "{}{}/{}{}",
            self.comp,
            p(self.comp_plus),
            self.scope.name(),
            p(self.scope_plus)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels_with_marks() {
        let l = Level::parse("2+/general+").expect("valid");
        assert_eq!(
            (l.comp, l.comp_plus, l.scope, l.scope_plus),
            (2, true, Scope::General, true)
        );
        assert_eq!(l.to_string(), "2+/general+");
        assert_eq!(
            Level::parse(" 0/system ").map(|l| l.to_string()),
            Ok("0/system".into())
        );
    }

    #[test]
    fn rejects_impossible_levels_with_a_reason() {
        assert!(
            Level::parse("5/general")
                .expect_err("invalid")
                .contains("levels run from 0")
        );
        assert!(
            Level::parse("1/regional")
                .expect_err("invalid")
                .contains("scope `regional`")
        );
        assert!(
            Level::parse("2")
                .expect_err("invalid")
                .contains("LEVEL/SCOPE")
        );
        assert!(
            Level::parse("x/general")
                .expect_err("invalid")
                .contains("not a comprehensiveness")
        );
        assert!(Level::parse("-1/general").is_err());
    }

    #[test]
    fn narrower_and_higher_meets() {
        let t = Level::new(2, Scope::Industry);
        assert!(Level::new(2, Scope::System).meets(t));
        assert!(!Level::new(3, Scope::General).meets(t));
        assert!(!Level::new(1, Scope::System).meets(t));
    }
}
