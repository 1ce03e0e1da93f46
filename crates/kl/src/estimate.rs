//! KL divergence estimated from samples alone.
