//! Fitting a distribution by minimising KL: loss-and-gradient functions with hand-derived
//! gradients, a gradient check against central differences, and plain gradient descent.
