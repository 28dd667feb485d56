//! No import cycles between modules: the crate's top-level modules, and the
//! files of each module folder, form acyclic graphs. A cycle means a module
//! cannot be understood, tested or replaced without the other; the core
//! (document, text, ner, incident, output …) must never need an adapter
//! (muc4) or the CLI.
//!
//! The graph is read from the source: `crate::NAME` paths give an edge from
//! the file's top-level module to NAME; `super::NAME` and `crate::DIR::NAME`
//! paths in `src/DIR/FILE.rs` give an edge FILE → NAME inside DIR. Test
//! modules (`#[cfg(test)] mod tests { … }`, and files named `tests.rs` or
//! `*_tests.rs`) are left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

type Graph = BTreeMap<String, BTreeSet<String>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The file without comments and without its inline test module (a
/// `#[cfg(test)]` followed by `mod NAME {`, which runs to the end of the
/// file by convention); a test-only helper elsewhere still counts.
fn code(text: &str) -> String {
    let lines: Vec<&str> = text.lines().map(|l| l.split("//").next().unwrap_or_default()).collect();
    let test_module = (0..lines.len()).find(|&i| {
        let next = lines.get(i + 1).map_or("", |l| l.trim());
        lines[i].trim() == "#[cfg(test)]" && (next.starts_with("mod ") || next.contains(" mod ")) && next.ends_with('{')
    });
    lines[..test_module.unwrap_or(lines.len())].join("\n")
}

/// Names that follow `prefix` in `code`: `crate::a::b` gives `a` for
/// `crate::`; `use crate::{a, b::c}` gives `a` and `b`.
fn names_after(code: &str, prefix: &str) -> Vec<String> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect::<String>();
    let mut out = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|p| ident(p.trim())).filter(|n| !n.is_empty()));
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|n| !n.is_empty() && n != "self");
    out
}

fn add(graph: &mut Graph, from: &str, to: &str) {
    graph.entry(from.to_string()).or_default();
    graph.entry(to.to_string()).or_default();
    if from != to {
        graph.get_mut(from).unwrap().insert(to.to_string());
    }
}

/// The top-level module graph and, per module folder, the graph of its files.
fn graphs() -> (Graph, BTreeMap<String, Graph>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut top = Graph::new();
    let mut inner: BTreeMap<String, Graph> = BTreeMap::new();
    for path in files {
        let rel: Vec<String> = path.strip_prefix(&src).unwrap().with_extension("").iter().map(|c| c.to_string_lossy().into_owned()).collect();
        let stem = rel.last().unwrap();
        let tests_only = stem == "tests" || stem.ends_with("_tests");
        if rel.len() == 1 && (rel[0] == "lib" || rel[0] == "main") || tests_only {
            continue;
        }
        let code = code(&std::fs::read_to_string(&path).unwrap());
        let module = &rel[0];
        for name in names_after(&code, "crate::") {
            add(&mut top, module, &name);
        }
        if rel.len() == 2 && rel[1] != "mod" {
            let siblings = inner.entry(module.clone()).or_default();
            let own = format!("crate::{module}::");
            for name in names_after(&code, "super::").into_iter().chain(names_after(&code, &own)) {
                add(siblings, &rel[1], &name);
            }
        }
    }
    (top, inner)
}

/// A cycle of `graph`, as the path that closes it, if there is one.
fn cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(graph: &Graph, node: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(k) = path.iter().position(|p| p == node) {
            let mut c = path[k..].to_vec();
            c.push(node.to_string());
            return Some(c);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(graph, next, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|n| visit(graph, n, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_import_each_other_without_cycles() {
    let (top, _) = graphs();
    assert!(top.contains_key("document") && top.contains_key("output"), "the graph was read: {top:#?}");
    if let Some(c) = cycle(&top) {
        panic!("import cycle between modules: {}\nall edges: {top:#?}", c.join(" -> "));
    }
}

#[test]
fn files_of_each_module_import_each_other_without_cycles() {
    let (_, inner) = graphs();
    for (module, graph) in &inner {
        if let Some(c) = cycle(graph) {
            panic!("import cycle inside {module}: {}", c.join(" -> "));
        }
    }
}

#[test]
fn the_core_needs_no_adapter() {
    let (top, _) = graphs();
    let core = ["document", "text", "ner", "incident", "output", "pipeline", "corpus"];
    for module in core {
        let edges = top.get(module).cloned().unwrap_or_default();
        assert!(!edges.contains("muc4"), "{module} imports the MUC-4 adapter: {edges:?}");
    }
}

#[test]
fn the_graph_reader_finds_cycles() {
    let src = "use crate::{a, b::c};\n#[cfg(test)]\nfn t() { crate::t::x(); }\nfn f() { crate::d::g(); super::e::h(); } // crate::y\n#[cfg(test)]\nmod tests {\nuse crate::z;\n}";
    assert_eq!(names_after(&code(src), "crate::"), ["a", "b", "t", "d"]);
    assert_eq!(names_after(src, "super::"), ["e"]);
    let mut g = Graph::new();
    add(&mut g, "x", "y");
    add(&mut g, "y", "z");
    assert_eq!(cycle(&g), None);
    add(&mut g, "z", "x");
    assert_eq!(cycle(&g).map(|c| c.len()), Some(4));
}
