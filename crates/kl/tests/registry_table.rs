//! The registry table in `crates/kl/doc/closed_forms.md` (shown by the docs of
//! `kl::closed_form` and by the book's closed-forms appendix) lists exactly the pairs the crate
//! implements: one row per `impl KlDivergence<Q> for P`, and no row without an impl.

const SOURCE: &str = include_str!("../src/closed_form.rs");
const TABLE: &str = include_str!("../doc/closed_forms.md");

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
    SOURCE
        .lines()
        .filter(|l| l.starts_with("impl"))
        .filter_map(|l| {
            let rest = &l[l.find("KlDivergence<")? + "KlDivergence<".len()..];
            let (q, rest) = rest.split_once("> for ")?;
            Some((family(rest), family(q)))
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
    let mut implemented = implemented();
    let mut tabled = tabled();
    implemented.sort();
    tabled.sort();
    // 28 pairs in all; a parser that found none would make the comparison vacuous.
    assert_eq!(implemented.len(), 28, "impls found: {implemented:?}");
    assert_eq!(implemented, tabled);
}
