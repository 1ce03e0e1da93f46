//! The registry table in `crates/kl/doc/closed_forms.md` (shown by the docs of
//! `kl::closed_form` and by the book's closed-forms appendix) lists exactly the pairs the crate
//! implements: one row per `impl KlDivergence<Q> for P`, and no row without an impl.

/// Every `.rs` file below `crates/kl/src/closed_form/` (read at run time, so a file added to
/// the registry is checked without being listed here), sorted by path.
fn sources() -> Vec<String> {
    fn walk(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("the closed_form directory") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, files);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    let mut files = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/closed_form");
    walk(&root, &mut files);
    files.sort();
    assert!(files.len() > 5, "{files:?}");
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("a source file"))
        .collect()
}
/// The `infinite_pairs!` groups: `[P₁, …] => [Q₁, …];`.
const INFINITE: &str = include_str!("../../src/closed_form/infinite.rs");
/// The book's appendix, which must include the table rather than copy it.
const APPENDIX: &str = include_str!("../../../../book/src/appendix_closed_forms.md");
const TABLE: &str = include_str!("../../doc/closed_forms.md");

/// The bare type name: `Dirichlet<D>` → `Dirichlet`.
fn family(ty: &str) -> String {
    ty.trim()
        .split(['<', ' '])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// `(P, Q)` for every `impl … KlDivergence<Q> for P` in the source.
fn implemented() -> Vec<(String, String)> {
    sources()
        .iter()
        .flat_map(|source| source.lines())
        .filter(|l| l.starts_with("impl"))
        .filter_map(|l| {
            let rest = &l[l.find("KlDivergence<")? + "KlDivergence<".len()..];
            let (q, rest) = rest.split_once("> for ")?;
            Some((family(rest), family(q)))
        })
        .collect()
}

/// The names inside `[A, B, …]`.
fn bracketed(list: &str) -> Vec<String> {
    list.trim()
        .trim_start_matches('[')
        .trim_end_matches([';', ']'])
        .split(',')
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// `(P, Q)` for every pair the `infinite_pairs!` groups generate.
fn infinite() -> Vec<(String, String)> {
    let start = INFINITE
        .find("infinite_pairs! {")
        .expect("the infinite_pairs! invocation");
    INFINITE[start..]
        .lines()
        .filter(|l| l.trim_start().starts_with('[') && l.contains("=>"))
        .flat_map(|l| {
            let (ps, qs) = l.split_once("=>").unwrap_or_default();
            let qs = bracketed(qs);
            bracketed(ps)
                .into_iter()
                .flat_map(move |p| qs.clone().into_iter().map(move |q| (p.clone(), q)))
        })
        .collect()
}

/// The families named in code spans of a table cell: `` `Exp` or `Gamma` `` → [Exp, Gamma].
fn families(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(|span| family(span.split('(').next().unwrap_or_default()))
        .collect()
}

/// `(P, Q)` for every pair a row of the table names.
fn tabled() -> Vec<(String, String)> {
    TABLE
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|row| {
            let cells: Vec<&str> = row.split(" | ").collect();
            let ps = families(cells[0].trim_start_matches('|'));
            let qs = families(cells[1]);
            ps.into_iter()
                .flat_map(move |p| qs.clone().into_iter().map(move |q| (p.clone(), q)))
        })
        .collect()
}

#[test]
fn every_implemented_pair_has_a_row_and_every_row_an_impl() {
    let finite = implemented();
    let infinite = infinite();
    // 67 pairs with a formula and 74 that are +∞ by their supports alone; a parser that found
    // none would make the comparison vacuous.
    assert_eq!(finite.len(), 67, "impls found: {finite:?}");
    assert_eq!(infinite.len(), 74, "+∞ pairs found: {infinite:?}");
    let mut all: Vec<_> = finite.iter().chain(&infinite).cloned().collect();
    let mut tabled = tabled();
    all.sort();
    tabled.sort();
    let before = all.len();
    all.dedup();
    assert_eq!(all.len(), before, "a pair implemented twice");
    assert_eq!(all, tabled);
}

#[test]
fn the_book_appendix_includes_the_table_and_names_every_family() {
    assert!(APPENDIX.contains("{{#include ../../crates/kl/doc/closed_forms.md}}"));
    // The appendix's typeset sections name every family of the original registry; the new
    // families appear through the included table.
    for (p, q) in implemented().iter().chain(&infinite()) {
        assert!(
            TABLE.contains(&format!("`{p}")),
            "{p} missing from the table"
        );
        assert!(
            TABLE.contains(&format!("`{q}")),
            "{q} missing from the table"
        );
    }
}
