//! The tree is the architecture: the crate's top-level modules, and the files of the IPC transport,
//! depend on each other in one direction only. Transports (`ipc`, later the gateway) call the
//! request core in `api`; the legacy front end (`rpc_legacy`) plugs into the core through a trait;
//! nothing below `api` reaches back up. This test reads every `crate::…` and (inside `ipc`)
//! `super::…` path in `src/` and fails on any cycle, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level modules of the library.
const TOP: &[&str] = &["api", "config", "ipc", "ledger", "rpc_legacy", "schema"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `prefix::name` in `text` whose name is in `names`.
fn references<'a>(text: &str, prefix: &str, names: &[&'a str]) -> BTreeSet<&'a str> {
    let mut found = BTreeSet::new();
    for (i, _) in text.match_indices(prefix) {
        let rest = &text[i + prefix.len()..];
        let ident: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if let Some(name) = names.iter().find(|n| **n == ident) {
            found.insert(*name);
        }
    }
    found
}

/// A cycle in `graph`, if any, as the list of nodes along it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(pos) = path.iter().position(|n| n == node) {
            let mut cycle = path[pos..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn top_level_modules_have_no_cycles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in TOP {
        let mut files = Vec::new();
        let dir = root.join(module);
        if dir.is_dir() {
            rust_files(&dir, &mut files);
        }
        let single = root.join(format!("{module}.rs"));
        if single.is_file() {
            files.push(single);
        }
        assert!(!files.is_empty(), "module {module} has no files");
        let deps = graph.entry(module.to_string()).or_default();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for dep in references(&text, "crate::", TOP) {
                if dep != *module {
                    deps.insert(dep.to_owned());
                }
            }
        }
    }
    assert_eq!(find_cycle(&graph), None, "module graph: {graph:#?}");
    // The request core depends on no transport and no front end.
    for below in ["ipc", "rpc_legacy"] {
        assert!(
            !graph["api"].contains(below),
            "api must not depend on {below}"
        );
    }
}

#[test]
fn ipc_files_have_no_cycles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ipc");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let stem = p.file_stem()?.to_str()?.to_owned();
            (stem != "mod").then_some(stem)
        })
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for name in &names {
        let mut files = Vec::new();
        let sub = dir.join(name);
        if sub.is_dir() {
            rust_files(&sub, &mut files);
        } else {
            files.push(dir.join(format!("{name}.rs")));
        }
        let deps = graph.entry(name.to_string()).or_default();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            for prefix in ["super::", "crate::ipc::"] {
                for dep in references(&text, prefix, &names) {
                    if dep != *name {
                        deps.insert(dep.to_owned());
                    }
                }
            }
        }
    }
    assert_eq!(find_cycle(&graph), None, "ipc graph: {graph:#?}");
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    g.entry("c".into()).or_default();
    assert_eq!(find_cycle(&g), None);
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&g),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
}
