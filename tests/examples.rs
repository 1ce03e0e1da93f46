//! Every example's printed story is pinned by an insta snapshot, and every figure it draws
//! must equal, byte for byte, the one committed under `book/src/figures/`.
//!
//! A changed number fails here. Do not accept the new snapshot until you know why the number
//! moved; then `cargo insta review` (or `INSTA_UPDATE=always cargo test`) and `just figures`.
//!
//! Run it through a plain `cargo test`, which builds the examples first. `cargo test --test
//! examples` alone does not rebuild them: it runs whatever example binaries are in the target
//! directory, stale or not (`cargo build --examples` first, then it is safe).

mod figures;
mod prose_numbers;

use kl_tutorial_tests::{committed_figures, run_example};

fn check(name: &str) {
    let run = run_example(name);
    insta::assert_snapshot!(name, run.stdout);
    assert!(!run.figures.is_empty(), "example {name} drew no figure");
    for figure in &run.figures {
        let fresh = std::fs::read_to_string(run.dir.path().join(figure))
            .unwrap_or_else(|e| panic!("{name} printed figure {figure} but did not write it: {e}"));
        let committed =
            std::fs::read_to_string(committed_figures().join(figure)).unwrap_or_else(|e| {
                panic!("figure {figure} is not committed ({e}); run `just figures`")
            });
        assert!(
            fresh == committed,
            "figure {figure} differs from the committed one; run `just figures` and review the diff"
        );
    }
}

#[test]
fn chapter_01_discrete_kl() {
    check("01_discrete_kl");
}

#[test]
fn chapter_02_normal_pairs() {
    check("02_normal_pairs");
}

#[test]
fn chapter_03_asymmetry() {
    check("03_asymmetry");
}

#[test]
fn chapter_04_minimization() {
    check("04_minimization");
}

#[test]
fn chapter_05_forward_vs_reverse() {
    check("05_forward_vs_reverse");
}

#[test]
fn chapter_06_poisson_or_normal() {
    check("06_poisson_or_normal");
}

#[test]
fn chapter_07_from_samples() {
    check("07_from_samples");
}

#[test]
fn chapter_08_gaussian_mixtures() {
    check("08_gaussian_mixtures");
}

#[test]
fn chapter_09_tsne() {
    check("09_tsne");
}

#[test]
fn chapter_10_cross_entropy() {
    check("10_cross_entropy");
}

#[test]
fn chapter_11_vae_kl() {
    check("11_vae_kl");
}

#[test]
fn chapter_12_log_ratio_estimators() {
    check("12_log_ratio_estimators");
}

#[test]
fn chapter_13_kl_family() {
    check("13_kl_family");
}
