//! The catalogue extension loader: YAML text → `Catalogue::extend_from` over the built-in
//! catalogue. Never panics or hangs, error spans lie inside the text, and the extended
//! catalogue's walks (display order, descendants, lookups) terminate.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smm_lint::model::catalogue::{Catalogue, Tier};
use smm_lint::yaml;
use smm_lint::yaml::reader::FieldError;
use std::sync::OnceLock;

fn builtin() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::builtin().expect("the built-in catalogue loads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(root) = yaml::parse(text) else {
        return;
    };
    let mut cat = builtin().clone();
    let errors = cat.extend_from(&root, false);
    for e in &errors {
        let span = match e {
            FieldError::Invalid { span, .. }
            | FieldError::UnknownKey { span, .. }
            | FieldError::Misspelt { span, .. } => span,
        };
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "{e:?} outside {}",
            text.len()
        );
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
    }
    let ordered = cat.ordered();
    assert!(
        ordered.len() <= cat.entries.len(),
        "ordered visits an entry twice"
    );
    for (i, entry) in cat.entries.iter().enumerate() {
        let found = cat.find(&entry.id).expect("every id is found");
        assert_eq!(found.index, i, "`{}` found at another entry", entry.id);
        if let Some(parent) = entry.parent {
            assert!(cat.entries[parent].children.contains(&i));
        }
        let _ = cat.descendants(i);
    }
    for tier in [Tier::Domain, Tier::Subdomain, Tier::Practice] {
        let _ = cat.suggestions("patch-managment", Some(tier));
        let _ = cat.nearest("x", 3, Some(tier));
    }
});
