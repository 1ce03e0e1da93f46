//! The integration tests of `kl`, one test binary (issue 16): each module checks one part of the
//! library's public face against an independent route, and `common` holds what several share.
//!
//! Run one module with a filter: `cargo test -p kl --test all closed_form::`.
//!
//! | module                  | what it checks                                                        |
//! |-------------------------|-----------------------------------------------------------------------|
//! | `closed_form`           | every closed form against quadrature, Monte Carlo and mpmath           |
//! | `closed_form_wide`      | the pairs of issue 17 across drawn parameters                          |
//! | `registry_table`        | the registry table lists exactly the implemented pairs                 |
//! | `discrete_accuracy`     | `kl::discrete` on nearly equal vectors (mpmath, `reference/`) and ranges |
//! | `discrete_fast_path`    | the vectorised kernel against a scalar reading of its docs            |
//! | `discrete_properties`   | properties every probability-vector divergence has                    |
//! | `discrete_log`          | log-probabilities, logits, rows and the logit gradient (issue 18)     |
//! | `divergences`           | `kl::divergences`: closed forms, relations, inequalities              |
//! | `estimate`              | the k-NN estimators against closed forms                              |
//! | `log_ratio`             | k1, k2, k3 by Monte Carlo                                              |
//! | `fit_descent`           | the descent loop of `kl::fit`                                          |
//! | `fit_fast_path`         | the fused pass of `kl::fit` against plain routes                       |
//! | `fit_gradients`         | hand gradients against central differences                             |
//! | `mixture_kl`            | KL between mixtures: bounds bracket MC and quadrature, closed forms   |
//! | `mixture_properties`    | Gaussian mixtures and EM (scipy, `reference/`)                         |
//! | `models`                | `kl::models`: masses and maximum-likelihood fits                       |
//! | `numeric`               | quadrature, grid and Monte Carlo (mpmath, `reference/`)                |
//! | `quadrature_hard_pairs` | quadrature on the pairs that are hard to integrate (mpmath)           |
//! | `tsne_properties`       | t-SNE's pieces (scipy, `reference/`)                                   |
//! | `structured`            | structured normals against the dense formula, Monte Carlo; VAE gradient |
//! | `vae`                   | the linear VAE: hand gradient, rate-distortion optimum, errors          |
//! | `robustness`            | the regressions of issue 14: no panic, no hang, no NaN                 |
//! | `fuzz`                  | every public function on arbitrary inputs (`just fuzz` runs it long)  |
//!
//! Saved proptest failures live in `tests/proptest-regressions/<module>.txt`, where proptest
//! looks for the cases of `tests/all/<module>.rs`; the scripts that computed the reference
//! values the modules cite live in `tests/reference/`.

mod common;

mod closed_form;
mod closed_form_wide;
mod discrete_accuracy;
mod discrete_fast_path;
mod discrete_log;
mod discrete_properties;
mod divergences;
mod estimate;
mod fit_descent;
mod fit_fast_path;
mod fit_gradients;
mod fuzz;
mod log_ratio;
mod mixture_kl;
mod mixture_properties;
mod models;
mod numeric;
mod quadrature_hard_pairs;
mod registry_table;
mod robustness;
mod structured;
mod tsne_properties;
mod vae;
