//! The registry table in `crates/kl/doc/closed_forms.md` (shown by the docs of
//! `kl::closed_form` and by the book's closed-forms appendix) lists exactly the pairs the crate
//! implements: one row per `impl KlDivergence<Q> for P`, and no row without an impl. The
//! appendix includes that table and typesets only implemented pairs; the README and the table
//! state the registry's counts; every finite pair torch and TFP register over statrs's
//! families is implemented.

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

/// The README, whose counts must be the registry's.
const README: &str = include_str!("../../../../README.md");

/// The pairs the appendix typesets one by one: a paragraph opening with `**P**` names `P`
/// against itself, or against each `**Q**` after the word "against".
fn typeset() -> Vec<(String, String)> {
    let name = |prose: &str| -> String {
        match prose.to_lowercase().as_str() {
            "log-normal" => "LogNormal",
            "exponential" => "Exp",
            "multivariate normal" => "MultivariateNormal",
            other => return other[..1].to_uppercase() + &other[1..],
        }
        .to_string()
    };
    let bold =
        |text: &str| -> Vec<String> { text.split("**").skip(1).step_by(2).map(name).collect() };
    APPENDIX
        .split("\n\n")
        .map(str::trim_start)
        .filter(|paragraph| paragraph.starts_with("**"))
        .flat_map(|paragraph| {
            let (head, rest) = paragraph.split_once(" against ").unwrap_or((paragraph, ""));
            let p = bold(head).into_iter().next().unwrap_or_default();
            let mut qs = bold(rest.split(['.', ':']).next().unwrap_or_default());
            if qs.is_empty() {
                qs.push(p.clone());
            }
            qs.into_iter().map(move |q| (p.clone(), q))
        })
        .collect()
}

#[test]
fn the_appendix_typesets_only_implemented_pairs() {
    let all: Vec<_> = implemented().into_iter().chain(infinite()).collect();
    let typeset = typeset();
    // The original registry's pairs: 18 same-family, 8 across families and Normal against
    // Exp and Gamma (+∞); a parser that found fewer would make the check vacuous.
    assert_eq!(typeset.len(), 28, "typeset pairs found: {typeset:?}");
    for pair in &typeset {
        assert!(
            all.contains(pair),
            "the appendix typesets {pair:?}, which has no impl"
        );
    }
}

#[test]
fn the_readme_and_the_table_give_the_registry_s_counts() {
    let (finite, infinite) = (implemented().len(), infinite().len());
    for (text, what) in [(README, "README.md"), (TABLE, "closed_forms.md")] {
        for claim in [
            format!("{finite} pairs with a formula"),
            format!("{infinite} pairs that"),
            format!("{} in all", finite + infinite),
        ] {
            assert!(
                text.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains(&claim),
                "{what} does not say {claim:?}"
            );
        }
    }
}

/// Every pair with a finite closed form that torch's `distributions/kl.py` or TensorFlow
/// Probability registers between families statrs has, in statrs's names (how they were
/// counted: README, "The library"). torch: 16 same-family and 24 cross-family pairs. TFP: its
/// `RegisterKL` pairs, and those its `Exponential`, a subclass of its `Gamma`, reaches.
const TORCH: [(&str, &str); 40] = [
    ("Bernoulli", "Bernoulli"),
    ("Beta", "Beta"),
    ("Binomial", "Binomial"),
    ("Categorical", "Categorical"),
    ("Cauchy", "Cauchy"),
    ("Dirichlet", "Dirichlet"),
    ("Exp", "Exp"),
    ("Gamma", "Gamma"),
    ("Geometric", "Geometric"),
    ("Gumbel", "Gumbel"),
    ("Laplace", "Laplace"),
    ("MultivariateNormal", "MultivariateNormal"),
    ("Normal", "Normal"),
    ("Pareto", "Pareto"),
    ("Poisson", "Poisson"),
    ("Uniform", "Uniform"),
    ("Bernoulli", "Poisson"),
    ("Beta", "Exp"),
    ("Beta", "Gamma"),
    ("Beta", "Normal"),
    ("Beta", "Uniform"),
    ("Exp", "Gamma"),
    ("Exp", "Gumbel"),
    ("Exp", "Normal"),
    ("Gamma", "Exp"),
    ("Gamma", "Gumbel"),
    ("Gamma", "Normal"),
    ("Gumbel", "Normal"),
    ("Laplace", "Normal"),
    ("Normal", "Gumbel"),
    ("Normal", "Laplace"),
    ("Pareto", "Exp"),
    ("Pareto", "Gamma"),
    ("Pareto", "Normal"),
    ("Uniform", "Beta"),
    ("Uniform", "Exp"),
    ("Uniform", "Gamma"),
    ("Uniform", "Gumbel"),
    ("Uniform", "Normal"),
    ("Uniform", "Pareto"),
];

/// TensorFlow Probability's pairs (see [`TORCH`]).
const TFP: [(&str, &str); 25] = [
    ("Bernoulli", "Bernoulli"),
    ("Beta", "Beta"),
    ("Categorical", "Categorical"),
    ("Cauchy", "Cauchy"),
    ("Chi", "Chi"),
    ("ChiSquared", "ChiSquared"),
    ("ChiSquared", "Gamma"),
    ("Gamma", "ChiSquared"),
    ("Dirichlet", "Dirichlet"),
    ("Gamma", "Gamma"),
    ("Gumbel", "Gumbel"),
    ("Laplace", "Laplace"),
    ("LogNormal", "LogNormal"),
    ("MultivariateNormal", "MultivariateNormal"),
    ("Normal", "Normal"),
    ("Pareto", "Pareto"),
    ("Uniform", "Uniform"),
    ("Weibull", "Weibull"),
    ("Weibull", "Gamma"),
    ("Exp", "Exp"),
    ("Exp", "Gamma"),
    ("Gamma", "Exp"),
    ("Exp", "ChiSquared"),
    ("ChiSquared", "Exp"),
    ("Weibull", "Exp"),
];

/// Distributions.jl's `kldivergence` methods between statrs's families (`JuliaStats/
/// Distributions.jl` at `2697768`, 2026-06-30: `git grep "function kldivergence(" src`), all
/// same-family: `Chisq` is statrs's `ChiSquared`, `Exponential` its `Exp`, `MvNormal` its
/// `MultivariateNormal`. Its others are over families statrs lacks (Lindley, LogitNormal,
/// LogUniform, NormalCanon, MvLogitNormal) or generic (an expectation, product distributions).
const DISTRIBUTIONS_JL: [(&str, &str); 14] = [
    ("Beta", "Beta"),
    ("Chi", "Chi"),
    ("ChiSquared", "ChiSquared"),
    ("Exp", "Exp"),
    ("Gamma", "Gamma"),
    ("InverseGamma", "InverseGamma"),
    ("Laplace", "Laplace"),
    ("LogNormal", "LogNormal"),
    ("Normal", "Normal"),
    ("Binomial", "Binomial"),
    ("Geometric", "Geometric"),
    ("NegativeBinomial", "NegativeBinomial"),
    ("Poisson", "Poisson"),
    ("MultivariateNormal", "MultivariateNormal"),
];

#[test]
fn every_pair_of_distributions_jl_over_statrs_families_is_implemented() {
    let finite = implemented();
    for (p, q) in DISTRIBUTIONS_JL {
        let pair = (p.to_string(), q.to_string());
        assert!(
            finite.contains(&pair),
            "{p} → {q} (Distributions.jl) has no impl"
        );
    }
    // Two of them are in neither torch nor TFP (the README counts them among "the other 9").
    let others: Vec<_> = DISTRIBUTIONS_JL
        .iter()
        .filter(|pair| !TORCH.contains(pair) && !TFP.contains(pair))
        .collect();
    assert_eq!(
        others,
        [
            &("InverseGamma", "InverseGamma"),
            &("NegativeBinomial", "NegativeBinomial")
        ]
    );
}

#[test]
fn every_finite_pair_of_torch_and_tfp_over_statrs_families_is_implemented() {
    let finite = implemented();
    for (p, q) in TORCH.iter().chain(&TFP) {
        let pair = (p.to_string(), q.to_string());
        assert!(
            finite.contains(&pair),
            "{p} → {q} (torch or TFP) has no impl"
        );
    }
    // Distinct pairs of the two together (15 are in both): what the README's comparison
    // counts.
    let mut both: Vec<_> = TORCH.iter().chain(&TFP).collect();
    both.sort();
    both.dedup();
    assert_eq!(both.len(), 50);
}
