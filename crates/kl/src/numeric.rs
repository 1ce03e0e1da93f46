//! Numerical routes to KL between continuous distributions: adaptive quadrature over
//! ln-densities, the grid (Riemann) rule, and Monte Carlo. Each returns a value and, where the
//! method has one, an error estimate.
