//! The profile's targets: target-missing, target-below-parent, rollup-mismatch,
//! scope-context-missing.

use crate::diagnostic::{Diagnostic, Edit};
use crate::model::catalogue::Tier;
use crate::model::level::{Level, Scope};
use crate::profile::Profile;
use crate::rules::Rule;
use crate::source::SourceFile;
use crate::yaml::Spanned;
use std::sync::Arc;

pub(crate) fn check(profile: &Profile<'_>, out: &mut Vec<Diagnostic>) {
    let cat = &profile.catalogue;
    let file = &profile.doc.file;
    for domain in cat.of_tier(Tier::Domain) {
        if profile.targets.explicit.contains_key(&domain)
            || profile.targets.invalid.contains(&domain)
        {
            continue;
        }
        let span = profile
            .front
            .targets_key
            .clone()
            .unwrap_or_else(|| profile.front.id.span.clone());
        let id = &cat.entry(domain).id;
        out.push(
            Diagnostic::new(
                Rule::TargetMissing,
                file,
                span,
                format!("domain `{id}` has no target"),
            )
            .help(format!(
                "add `{id}: LEVEL/SCOPE` under `targets:`, e.g. `{id}: 2/general`"
            )),
        );
    }
    let mut explicit: Vec<_> = profile.targets.explicit.iter().collect();
    explicit.sort_by_key(|(_, (_, level))| level.span.start);
    for (&entry, (id, level)) in explicit {
        below_parent(profile, entry, id, level, out);
        if cat.entry(entry).tier != Tier::Practice {
            rollup(profile, entry, level, out);
        }
    }
    scope_context(profile, out);
}

fn below_parent(
    profile: &Profile<'_>,
    entry: usize,
    id: &Spanned<String>,
    level: &Spanned<Level>,
    out: &mut Vec<Diagnostic>,
) {
    let cat = &profile.catalogue;
    // A target of 0 says "out of scope for this system" and may sit under any parent.
    if level.value.comp == 0 {
        return;
    }
    let Some(parent) = cat.entry(entry).parent else {
        return;
    };
    let Some(required) = profile.targets.effective[parent].map(Level::base) else {
        return;
    };
    let lower = level.value.comp < required.comp;
    let broader = level.value.scope < required.scope;
    if !lower && !broader {
        return;
    }
    let how = match (lower, broader) {
        (true, true) => "lower and broader than",
        (true, false) => "lower than",
        _ => "broader in scope than",
    };
    let mut d = Diagnostic::new(
        Rule::TargetBelowParent,
        &profile.doc.file,
        level.span.clone(),
        format!("the target of `{}` ({}) is {how} its parent's ({required})", id.value, level.value.base()),
    )
    .label("child target")
    .help(format!(
        "a child may be set higher or narrower than its parent, never lower or broader: raise it to at least {required}, or lower the parent"
    ));
    if let Some((a, parent_level)) = profile.targets.explicit_ancestor(cat, entry) {
        d = d.related(
            parent_level.span.clone(),
            format!("`{}` requires {required}", cat.entry(a).id),
        );
    }
    out.push(d);
}

fn rollup(profile: &Profile<'_>, entry: usize, level: &Spanned<Level>, out: &mut Vec<Diagnostic>) {
    let cat = &profile.catalogue;
    let own = level.value;
    let (want, higher, narrower) =
        crate::profile::rollup_marks(cat, &profile.targets.effective, entry, own);
    if want == own {
        return;
    }
    let why = rollup_reason(profile, own, want, higher, narrower);
    out.push(
        Diagnostic::new(
            Rule::RollupMismatch,
            &profile.doc.file,
            level.span.clone(),
            format!("`{own}` should be written `{want}`: {why}"),
        )
        .label(format!("write `{want}`"))
        .fix(Edit::scalar(&profile.doc.file, level.span.clone(), &want.to_string()))
        .help(format!(
            "write `{}: {want}`: a `+` after the level or scope says some children are set higher or narrower",
            cat.entry(entry).id
        )),
    );
}

/// Why the marks must change: only the mark that is wrong is explained, and a child that is
/// both higher and narrower is named once.
fn rollup_reason(
    profile: &Profile<'_>,
    own: Level,
    want: Level,
    higher: Option<usize>,
    narrower: Option<usize>,
) -> String {
    let cat = &profile.catalogue;
    let named = |c: usize, what: &str| {
        let t = profile.targets.effective[c].map_or(String::new(), |t| t.base().to_string());
        format!("`{}` is {what} ({t})", cat.entry(c).id)
    };
    let level_wrong = own.comp_plus != want.comp_plus;
    let scope_wrong = own.scope_plus != want.scope_plus;
    match (
        level_wrong.then_some(higher),
        scope_wrong.then_some(narrower),
    ) {
        (Some(Some(h)), Some(Some(n))) if h == n => named(h, "higher and narrower"),
        (level, scope) => {
            let level = level
                .map(|h| h.map_or("no child is set higher".to_owned(), |h| named(h, "higher")));
            let scope = scope.map(|n| {
                n.map_or("no child is set narrower".to_owned(), |n| {
                    named(n, "narrower")
                })
            });
            level
                .into_iter()
                .chain(scope)
                .collect::<Vec<_>>()
                .join(" and ")
        }
    }
}

/// Industry scope needs the profile's `industry`, system scope its `system`. One missing key is
/// one finding, at its first use (targets first, then practices in path order).
pub(crate) fn scope_context(profile: &Profile<'_>, out: &mut Vec<Diagnostic>) {
    let mut uses: Vec<(&Arc<SourceFile>, &Spanned<Level>)> = Vec::new();
    let mut targets: Vec<&Spanned<Level>> =
        profile.targets.explicit.values().map(|(_, l)| l).collect();
    targets.sort_by_key(|l| l.span.start);
    uses.extend(targets.into_iter().map(|l| (&profile.doc.file, l)));
    let mut practices: Vec<_> = profile.practices.iter().collect();
    practices.sort_by(|a, b| a.doc.path.cmp(&b.doc.path));
    for p in practices {
        uses.extend(p.front.current.iter().map(|l| (&p.doc.file, l)));
        uses.extend(
            p.front
                .plan
                .iter()
                .filter_map(|i| i.level.as_ref())
                .map(|l| (&p.doc.file, l)),
        );
    }
    for (scope, key, present) in [
        (
            Scope::Industry,
            "industry",
            profile.front.industry.is_some(),
        ),
        (Scope::System, "system", profile.front.system.is_some()),
    ] {
        if present {
            continue;
        }
        let mut using = uses.iter().filter(|(_, l)| l.value.scope == scope);
        let Some((file, first)) = using.next() else {
            continue;
        };
        let others = using.count();
        let more = match others {
            0 => String::new(),
            1 => " (and in 1 other place)".to_owned(),
            n => format!(" (and in {n} other places)"),
        };
        out.push(
            Diagnostic::new(
                Rule::ScopeContextMissing,
                file,
                first.span.clone(),
                format!("{key} scope is used here{more}, but the profile does not say which {key}"),
            )
            .help(format!("add `{key}:` to {}", profile.doc.file.name)),
        );
    }
}
