//! Reading files as text, the same way everywhere: a leading UTF-8 byte-order mark (which some
//! Windows editors write) is not part of the text, invalid UTF-8 is replaced rather than
//! refused, and a file can be read up to a cap.

use std::borrow::Cow;
use std::io::Read;

/// How much of a file is read to tell whether it is ours: enough for any front matter's
/// fences and first keys.
pub(crate) const PEEK_BYTES: u64 = 64 * 1024;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// `bytes` split into a leading byte-order mark (empty when there is none) and the rest, for
/// a writer that must put the mark back.
pub(crate) fn split_bom(bytes: &[u8]) -> (&[u8], &[u8]) {
    if bytes.starts_with(BOM) {
        bytes.split_at(BOM.len())
    } else {
        (&[], bytes)
    }
}

/// `bytes` without a leading byte-order mark.
pub(crate) fn without_bom(bytes: &[u8]) -> &[u8] {
    split_bom(bytes).1
}

/// `text` without a leading byte-order mark.
pub(crate) fn str_without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// `bytes` as text: a leading byte-order mark dropped, invalid UTF-8 replaced.
pub(crate) fn lossy_text(bytes: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(without_bom(bytes))
}

/// The first `limit` bytes of `source` (fewer when it ends sooner or fails). Open only regular
/// files: opening a FIFO blocks.
pub(crate) fn head(source: impl Read, limit: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = source.take(limit).read_to_end(&mut bytes);
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_leading_mark_is_dropped_and_kept_apart() {
        assert_eq!(
            split_bom(b"\xEF\xBB\xBF---"),
            (&b"\xEF\xBB\xBF"[..], &b"---"[..])
        );
        assert_eq!(split_bom(b"---"), (&b""[..], &b"---"[..]));
        assert_eq!(without_bom(b"\xEF\xBB\xBF\xEF\xBB\xBFx"), b"\xEF\xBB\xBFx");
        assert_eq!(str_without_bom("\u{feff}a\u{feff}"), "a\u{feff}");
        assert_eq!(lossy_text(b"\xEF\xBB\xBFa\xFFb"), "a\u{fffd}b");
    }

    #[test]
    fn a_head_stops_at_the_limit() {
        assert_eq!(head(&b"abcdef"[..], 4), b"abcd");
        assert_eq!(head(&b"ab"[..], 4), b"ab");
    }
}
