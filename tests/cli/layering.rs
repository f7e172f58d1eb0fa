//! The module layering that `src/lib.rs` draws, held against the code.
//!
//! Every `crate::`/`super::` path in non-test code under `src/` (and `smm_lint::` in `main.rs`)
//! becomes an edge between top-level modules (files under `src/commands/` count on their own).
//! The test fails on any import cycle and on any import that points at a higher layer than the
//! importing module's. The layers are read from the picture in the crate doc, so the picture
//! and the code cannot drift apart.
//!
//! The scanner maps a file to its module by its place under `src/`: a `#[path]` attribute or a
//! `super::super::` inside an inline `mod` block would be misread (neither is used in `src/`;
//! both would show as a false finding rather than hide an import).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// An import edge with the place that makes it.
#[derive(Debug, Clone)]
struct Edge {
    from: String,
    to: String,
    at: String,
}

/// The layers of the picture in `src/lib.rs`, top first: the fenced block after the line
/// `## Layers`, one layer per line, modules separated by commas, `←` starting a remark.
fn layers() -> Vec<Vec<String>> {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("read src/lib.rs");
    let doc: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let start = doc
        .iter()
        .position(|l| l.trim() == "## Layers")
        .expect("src/lib.rs has a `## Layers` section");
    let mut lines = doc[start..].iter().skip_while(|l| !l.starts_with("```"));
    lines.next();
    let mut layers = Vec::new();
    for line in lines.take_while(|l| !l.starts_with("```")) {
        let modules = line.split('←').next().unwrap_or("");
        if !modules.chars().any(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        let layer: Vec<String> = modules
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|m| !m.is_empty())
            .map(str::to_owned)
            .collect();
        for module in &layer {
            assert!(
                module.split("::").all(|part| !part.is_empty()
                    && part
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')),
                "the layer picture in src/lib.rs: `{module}` is not a module name (a remark starts with ←): {line}"
            );
        }
        layers.push(layer);
    }
    assert!(layers.len() > 1, "the layer picture in src/lib.rs is empty");
    layers
}

/// Rust source with comments, string and character literals blanked, so that neither a path
/// in a comment nor a brace in a string counts.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && matches!(next, Some('"') | Some('#')) && starts_literal(&chars[..i]) {
            let hashes = chars[i + 1..].iter().take_while(|&&h| h == '#').count();
            if chars.get(i + 1 + hashes) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let close: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            out.push('"');
            i += 2 + hashes;
            while i < chars.len() && !chars[i..].starts_with(&close.chars().collect::<Vec<_>>()) {
                out.push(blank(chars[i]));
                i += 1;
            }
            out.push('"');
            i += close.len();
        } else if c == '"' {
            out.push('"');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push('"');
            i += 1;
        } else if c == '\'' && is_char_literal(&chars[i..]) {
            // `'x'` is three characters; an escape (`'\n'`, `'\''`, `'\u{feff}'`) ends at the
            // first quote after the escaped character.
            let len = if chars[i + 1] == '\\' {
                chars
                    .get(i + 3..)
                    .unwrap_or_default()
                    .iter()
                    .position(|&ch| ch == '\'')
                    .map_or(chars.len() - i, |k| k + 4)
            } else {
                3
            };
            out.push_str("' '");
            out.extend(std::iter::repeat_n(' ', len.saturating_sub(3)));
            i += len;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether an `r` after `before` starts a raw string: nothing of an identifier before it, or
/// only the `b` of `br"…"` or the `c` of `cr"…"`.
fn starts_literal(before: &[char]) -> bool {
    match before {
        [] => true,
        [.., p] if !is_ident(*p) => true,
        [p] => matches!(p, 'b' | 'c'),
        [.., q, p] => matches!(p, 'b' | 'c') && !is_ident(*q),
    }
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `'x'`, `'\n'`, `'\u{feff}'` rather than a lifetime `'a`.
fn is_char_literal(rest: &[char]) -> bool {
    match rest.get(1) {
        Some('\\') => true,
        Some(_) => rest.get(2) == Some(&'\''),
        None => false,
    }
}

/// Removes the items marked `#[cfg(test)]`: the block after the attribute, or up to `;`.
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let end = match (after.find('{'), after.find(';')) {
            (Some(open), semi) if semi.is_none_or(|s| open < s) => {
                let mut depth = 0;
                let mut end = after.len();
                for (k, ch) in after[open..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (_, Some(semi)) => semi + 1,
            _ => after.len(),
        };
        // Keep the line count, so reported lines stay true.
        out.extend(after[..end].chars().filter(|&c| c == '\n'));
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The module path of a source file: `src/document/yaml.rs` is `document::yaml`.
fn module_path(file: &Path) -> Vec<String> {
    let relative = file.strip_prefix(src()).expect("under src");
    let mut parts: Vec<String> = relative
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().expect("a file name");
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_owned());
    }
    parts
}

/// The graph node a module path belongs to: its top-level module, or `commands::NAME`.
/// An item of `commands/mod.rs` itself (`commands::ExitStatus`) belongs to `commands`.
fn node(path: &[String]) -> Option<String> {
    match path {
        [] => None,
        [first, second, ..] if first == "commands" && is_command_module(second) => {
            Some(format!("commands::{second}"))
        }
        [first, ..] => Some(first.clone()),
    }
}

fn is_command_module(name: &str) -> bool {
    let dir = src().join("commands");
    dir.join(format!("{name}.rs")).is_file() || dir.join(name).is_dir()
}

/// Within every module, a file and its parent may use each other (they are one module at this
/// granularity); `commands` and the command files under it are the same, so only imports
/// between two commands, or out of `commands/`, count.
fn same_room(a: &str, b: &str) -> bool {
    let parent = |n: &str| n.split("::").next().unwrap_or(n).to_owned();
    (a == "commands" || b == "commands") && parent(a) == parent(b)
}

fn rust_files(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read a source directory")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The identifier starting at `at`, if any.
fn ident_at(code: &str, at: usize) -> Option<&str> {
    let rest = &code[at..];
    let len = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
    (len > 0).then(|| &rest[..len])
}

/// The first two segments of a path starting at `at` (`a::b` of `a::b::c`, or `a` alone).
fn segments_at(code: &str, at: usize) -> Vec<String> {
    let Some(first) = ident_at(code, at) else {
        return Vec::new();
    };
    let after = at + first.len();
    let second = code[after..]
        .strip_prefix("::")
        .and_then(|_| ident_at(code, after + 2));
    std::iter::once(first)
        .chain(second)
        .map(str::to_owned)
        .collect()
}

/// The leading segments of each path that follows a `crate::` ending at `at`: one path for
/// `crate::a::b`, one per element for `crate::{a, b::c}`.
fn paths_after(code: &str, at: usize) -> Vec<Vec<String>> {
    let skipped = code[at..].len() - code[at..].trim_start().len();
    let at = at + skipped;
    if !code[at..].starts_with('{') {
        return vec![segments_at(code, at)];
    }
    let mut paths = Vec::new();
    let mut depth = 0;
    let mut expect_head = true;
    for (k, ch) in code[at + 1..].char_indices() {
        match ch {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => expect_head = true,
            c if expect_head && is_ident(c) => {
                paths.push(segments_at(code, at + 1 + k));
                expect_head = false;
            }
            _ => {}
        }
    }
    paths
}

fn edges() -> Vec<Edge> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut edges = Vec::new();
    for file in files {
        let module = module_path(&file);
        let is_main = module == ["main"];
        if module == ["lib"] {
            continue;
        }
        let Some(from) = node(&module) else { continue };
        let text = std::fs::read_to_string(&file).expect("read a source file");
        let code = without_tests(&code_only(&text));
        let name = file.strip_prefix(src()).expect("under src").display();
        for (at, _) in code.match_indices("::") {
            let start = code[..at]
                .rfind(|c: char| !is_ident(c))
                .map_or(0, |i| i + 1);
            let word = &code[start..at];
            let path_start = code[..start].ends_with("::");
            if path_start {
                continue;
            }
            let target: Vec<Vec<String>> = match word {
                "crate" => paths_after(&code, at + 2),
                "smm_lint" if is_main => paths_after(&code, at + 2),
                "super" => {
                    // `super::super::x` climbs twice.
                    let mut base = module.clone();
                    let mut cursor = at;
                    base.pop();
                    while code[cursor + 2..].starts_with("super::") {
                        base.pop();
                        cursor += "super::".len();
                    }
                    paths_after(&code, cursor + 2)
                        .into_iter()
                        .map(|p| base.iter().cloned().chain(p).collect())
                        .collect()
                }
                _ => continue,
            };
            let line = code[..at].matches('\n').count() + 1;
            for path in target {
                let Some(to) = node(&path) else { continue };
                if to != from
                    && !same_room(&from, &to)
                    && !matches!(to.as_str(), "self" | "super" | "crate")
                {
                    edges.push(Edge {
                        from: from.clone(),
                        to,
                        at: format!("src/{name}:{line}"),
                    });
                }
            }
        }
    }
    edges
}

/// Strongly connected components with more than one module (Tarjan).
fn cycles(nodes: &BTreeSet<String>, edges: &[Edge]) -> Vec<Vec<String>> {
    struct State<'a> {
        next: BTreeMap<&'a str, Vec<&'a str>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.next.get(v).cloned().unwrap_or_default() {
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        next: BTreeMap::new(),
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for e in edges {
        state
            .next
            .entry(e.from.as_str())
            .or_default()
            .push(e.to.as_str());
    }
    for v in nodes {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.found
}

/// The modules that exist: `src/*.rs` and `src/*/`, and each file or directory in
/// `src/commands/`.
fn existing_modules() -> BTreeSet<String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    files
        .iter()
        .map(|f| module_path(f))
        .filter(|m| m != &["lib"])
        .filter_map(|m| node(&m))
        .collect()
}

fn layer_of(layers: &[Vec<String>], module: &str) -> Option<usize> {
    let top = module.split("::").next().unwrap_or(module);
    [module, top]
        .iter()
        .find_map(|name| layers.iter().position(|l| l.iter().any(|m| m == name)))
}

/// Paths that would import a module without naming it where this test can see it: a glob or
/// an alias of the crate root (`crate::*`, `crate::{self, …}`, `crate as root`, `super::*` in a
/// top-level file), and a `crate::` path to something that is not a module (an item
/// `#[macro_export]` put at the root).
fn hidden_imports() -> Vec<String> {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let modules = existing_modules();
    let mut found = Vec::new();
    for file in files {
        let module = module_path(&file);
        if module == ["lib"] {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("read a source file");
        let code = without_tests(&code_only(&text));
        let name = file
            .strip_prefix(src())
            .expect("under src")
            .display()
            .to_string();
        let line = |at: usize| code[..at].matches('\n').count() + 1;
        let squeezed = |at: usize| -> String {
            code[at..]
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(8)
                .collect()
        };
        for (at, _) in code.match_indices("crate") {
            let before = code[..at].chars().next_back();
            let after = code[at + 5..].chars().next();
            if before.is_some_and(is_ident) || after.is_some_and(is_ident) {
                continue;
            }
            let rest = squeezed(at + 5);
            let root_glob =
                rest.starts_with("::*") || rest.starts_with("::{self") || rest.starts_with("::{*");
            let alias = code[at + 5..].trim_start().starts_with("as ");
            if root_glob || alias {
                found.push(format!(
                    "src/{name}:{}: the crate root imported whole",
                    line(at)
                ));
            } else if code[at + 5..].starts_with("::") && before != Some('$') {
                for path in paths_after(&code, at + "crate::".len()) {
                    let Some(first) = path.first() else { continue };
                    if !modules
                        .iter()
                        .any(|m| m.split("::").next() == Some(first.as_str()))
                    {
                        found.push(format!(
                            "src/{name}:{}: crate::{first} is not a module",
                            line(at)
                        ));
                    }
                }
            }
        }
        if module.len() == 1 {
            let inline = inline_modules(&code);
            for (at, _) in code.match_indices("super") {
                let before = code[..at].chars().next_back();
                if before.is_some_and(is_ident) || inline.iter().any(|r| r.contains(&at)) {
                    continue;
                }
                let rest = squeezed(at + 5);
                if rest.starts_with("::*")
                    || rest.starts_with("::{")
                    || code[at + 5..].trim_start().starts_with("as ")
                {
                    found.push(format!(
                        "src/{name}:{}: the crate root imported through super",
                        line(at)
                    ));
                }
            }
        }
    }
    found
}

/// The byte ranges of `mod NAME { … }` blocks, inside which `super` is the file's module.
fn inline_modules(code: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    for (at, _) in code.match_indices("mod ") {
        if code[..at].chars().next_back().is_some_and(is_ident) {
            continue;
        }
        let Some(name) = ident_at(code, at + 4) else {
            continue;
        };
        let after = at + 4 + name.len();
        if !code[after..].trim_start().starts_with('{') {
            continue;
        }
        let open = after + code[after..].find('{').unwrap_or(0);
        let mut depth = 0;
        for (k, ch) in code[open..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        ranges.push(open..open + k);
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    ranges
}

#[test]
fn no_import_hides_the_module_it_reaches() {
    let found = hidden_imports();
    assert!(
        found.is_empty(),
        "imports the layering cannot see (name the module instead):\n{}",
        found.join("\n")
    );
}

/// `src/lib.rs` declares the modules and nothing else: a re-export or a macro there would let
/// any module reach any other through `crate::` without naming it.
#[test]
fn lib_rs_only_declares_modules() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).expect("read src/lib.rs");
    let code = code_only(&lib);
    let others: Vec<&str> = code
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| {
            let declaration = l
                .strip_prefix("pub ")
                .unwrap_or(l)
                .strip_prefix("mod ")
                .and_then(|m| m.strip_suffix(';'))
                .is_some_and(|m| m.chars().all(is_ident));
            !(declaration || *l == "#[doc(hidden)]")
        })
        .collect();
    assert!(
        others.is_empty(),
        "src/lib.rs holds more than module declarations: {others:?}"
    );
}

#[test]
fn the_layer_picture_names_every_module_once() {
    let layers = layers();
    let mut seen = BTreeSet::new();
    for module in layers.iter().flatten() {
        assert!(
            seen.insert(module.clone()),
            "{module} is listed twice in the layer picture of src/lib.rs"
        );
    }
    let existing = existing_modules();
    let missing: Vec<&String> = existing
        .iter()
        .filter(|m| layer_of(&layers, m).is_none())
        .collect();
    assert!(
        missing.is_empty(),
        "modules missing from the layer picture in src/lib.rs: {missing:?}"
    );
    let stale: Vec<&String> = seen
        .iter()
        .filter(|module| {
            !existing
                .iter()
                .any(|m| m == *module || m.split("::").next() == Some(module.as_str()))
        })
        .collect();
    assert!(
        stale.is_empty(),
        "the layer picture in src/lib.rs lists modules that do not exist: {stale:?}"
    );
}

#[test]
fn no_import_cycles() {
    let edges = edges();
    let nodes: BTreeSet<String> = edges
        .iter()
        .flat_map(|e| [e.from.clone(), e.to.clone()])
        .collect();
    let found = cycles(&nodes, &edges);
    let mut report = String::new();
    for component in &found {
        report.push_str(&format!("cycle among {}:\n", component.join(", ")));
        for e in &edges {
            if component.contains(&e.from) && component.contains(&e.to) {
                report.push_str(&format!("  {} → {} ({})\n", e.from, e.to, e.at));
            }
        }
    }
    assert!(found.is_empty(), "import cycles:\n{report}");
}

#[test]
fn no_import_points_up_the_layers() {
    let layers = layers();
    let mut upward = Vec::new();
    for e in edges() {
        let (Some(from), Some(to)) = (layer_of(&layers, &e.from), layer_of(&layers, &e.to)) else {
            continue;
        };
        if to < from {
            upward.push(format!(
                "  {} (layer {}) imports {} (layer {}) at {}",
                e.from,
                from + 1,
                e.to,
                to + 1,
                e.at
            ));
        }
    }
    assert!(
        upward.is_empty(),
        "imports that point up the layers drawn in src/lib.rs:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_scanner_sees_paths_and_skips_tests_and_comments() {
    let code = code_only(
        "use crate::{a, b::{c, d}};\n// crate::e\nlet s = \"crate::f {\";\nlet c = '{'; let q = '\\''; let u = '\\u{7b}';\n\
         #[cfg(test)]\nmod tests { use crate::g; fn x() { let y = '}'; } }\nfn z() { crate::h::i(); }\n",
    );
    let code = without_tests(&code);
    let paths: Vec<Vec<String>> = code
        .match_indices("crate::")
        .flat_map(|(at, _)| paths_after(&code, at + "crate::".len()))
        .collect();
    assert_eq!(paths, [vec!["a"], vec!["b"], vec!["h", "i"]]);
    assert_eq!(code.matches('\n').count(), 7);
    // A raw byte string ends at its quote: a backslash in it escapes nothing.
    let code = code_only("const X: &[u8] = br\"\\\";\nfn f() { crate::j::k(); }\n");
    assert!(code.contains("crate::j::k"), "{code}");
}
