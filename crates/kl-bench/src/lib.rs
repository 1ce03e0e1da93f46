//! The benchmarks of kl-tutorial live in `benches/` (criterion): `discrete` times the discrete
//! kernel against a plain loop and ndarray-stats, `fit` times chapter 04's minimisation loop.
//! `python/bench.py` times numpy and scipy on the same data. Run them with `just bench`, then
//! `just bench-python`; the book's performance chapter reports the results.
//!
//! This library is empty on purpose: the package exists so that criterion and ndarray-stats are
//! dependencies of the benchmarks alone, not of every example and test of the root package.
