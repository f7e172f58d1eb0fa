//! Name-based (version 5) UUIDs: the same names give the same UUID on every run, so that two
//! exports of the same documents are byte-identical and an export diffs cleanly against the
//! last one.

use uuid::Uuid;

/// The name our namespace UUID is derived from (in the URL namespace of RFC 4122): the
/// project's address, which we own, so no other producer derives the same UUIDs by accident.
const NAMESPACE_NAME: &str = "https://github.com/smm-lint/smm-lint/oscal";

/// The UUID named by `parts` (a kind such as `finding`, then the ids that make it unique).
/// The parts are joined with NUL, which no id or path holds, so `["a-b", "c"]` and
/// `["a", "b-c"]` name different UUIDs.
pub(crate) fn named(parts: &[&str]) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, NAMESPACE_NAME.as_bytes());
    Uuid::new_v5(&namespace, parts.join("\0").as_bytes())
        .hyphenated()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::named;

    #[test]
    fn the_same_names_give_the_same_version_5_uuid() {
        let a = named(&["finding", "bottling-line", "patch-management"]);
        assert_eq!(a, named(&["finding", "bottling-line", "patch-management"]));
        assert_eq!(a.len(), 36);
        // Version nibble 5, RFC 4122 variant (8, 9, a or b).
        assert_eq!(&a[14..15], "5");
        assert!("89ab".contains(&a[19..20]), "{a}");
    }

    #[test]
    fn the_parts_are_kept_apart() {
        assert_ne!(named(&["a-b", "c"]), named(&["a", "b-c"]));
        assert_ne!(named(&["ab", "c"]), named(&["a", "bc"]));
        assert_ne!(named(&["finding", "x"]), named(&["risk", "x"]));
    }
}
