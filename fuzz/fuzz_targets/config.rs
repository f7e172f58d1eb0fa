//! The configuration loader: `.smm-lint.yaml` text → `config::parse`. Never panics; an error
//! points inside the text and renders as the human report does for exit 2.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smm_lint::config;
use smm_lint::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let text = text.trim_start_matches('\u{feff}');
    let file = SourceFile::new(".smm-lint.yaml".to_owned(), text.to_owned());
    match config::parse(&file) {
        Ok(_) => {}
        Err(fatal) => {
            if let Some((f, span)) = &fatal.at {
                assert!(
                    span.start <= span.end && span.end <= f.text.len(),
                    "{span:?}"
                );
                let _ = f.position(span.start);
            }
            let rendered = smm_lint::report::human::Human::for_terminal().render_fatal(&fatal);
            assert!(!rendered.is_empty());
        }
    }
});
