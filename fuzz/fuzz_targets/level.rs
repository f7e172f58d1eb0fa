//! The level/scope parser: never panics; whatever parses writes back to text that parses to the
//! same level.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smm_lint::model::level::{Level, Scope};
use smm_lint::text::excerpt;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Scope::parse(text);
    let line = excerpt(text);
    assert!(!line.chars().any(char::is_control));
    match Level::parse(text) {
        Ok(level) => {
            let written = level.to_string();
            assert_eq!(Level::parse(&written), Ok(level), "{text:?} -> {written:?}");
            assert!(level.comp <= smm_lint::model::level::MAX_LEVEL);
            assert!(level.base().meets(Level::new(level.comp, level.scope)));
        }
        Err(message) => {
            assert!(!message.is_empty());
            assert!(
                !message.contains('\n'),
                "message on several lines: {message:?}"
            );
        }
    }
});
