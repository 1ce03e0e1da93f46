//! Summation shared by the vectorised passes (`discrete`'s kernel and `fit`'s grid pass):
//! eight lane sums folded by one fixed tree, then Neumaier's compensated sum over blocks.
//! A fixed order makes the result the same bits on every build and thread count.

/// The number of lanes the vectorised passes accumulate in (one AVX-512 register of `f64`).
pub(crate) const LANES: usize = 8;

/// Eight lane sums folded by one fixed tree.
#[inline(always)]
pub(crate) fn fold(a: [f64; LANES]) -> f64 {
    ((a[0] + a[4]) + (a[2] + a[6])) + ((a[1] + a[5]) + (a[3] + a[7]))
}

/// Neumaier's compensated sum: its error does not grow with the number of terms, to first
/// order.
#[derive(Default, Clone, Copy, Debug)]
pub(crate) struct Neumaier {
    /// The running sum.
    pub(crate) s: f64,
    /// The compensation: what the rounding of `s` has lost so far.
    pub(crate) c: f64,
}

impl Neumaier {
    #[inline(always)]
    pub(crate) fn add(&mut self, x: f64) {
        let t = self.s + x;
        if self.s.abs() >= x.abs() {
            self.c += (self.s - t) + x;
        } else {
            self.c += (x - t) + self.s;
        }
        self.s = t;
    }

    /// Adds another compensated sum, both of its parts.
    #[inline(always)]
    pub(crate) fn merge(&mut self, other: Neumaier) {
        self.add(other.s);
        self.add(other.c);
    }

    pub(crate) fn value(self) -> f64 {
        self.s + self.c
    }
}

#[cfg(test)]
mod tests {
    use super::{Neumaier, fold};

    #[test]
    fn compensation_keeps_what_a_plain_sum_loses() {
        // 1 + 1e-16 + … (a million times) − 1: a plain sum returns 0, the exact answer is 1e-10.
        let mut s = Neumaier::default();
        s.add(1.0);
        for _ in 0..1_000_000 {
            s.add(1e-16);
        }
        s.add(-1.0);
        // The compensation itself is a running sum near 1e-10: a million roundings of at most
        // half an ulp there (6.5e-27 each) bound its error by 6.5e-21.
        let exact = 1_000_000.0 * 1e-16;
        assert!((s.value() - exact).abs() < 6.5e-21, "{}", s.value());
        let mut plain = 1.0;
        for _ in 0..1_000_000 {
            plain += 1e-16;
        }
        assert_eq!(plain - 1.0, 0.0);
    }

    #[test]
    fn merge_adds_both_parts() {
        let (mut a, mut b) = (Neumaier::default(), Neumaier::default());
        a.add(1.0);
        a.add(1e-17);
        b.add(-1.0);
        b.add(3e-17);
        a.merge(b);
        assert!((a.value() - 4e-17).abs() < 1e-30, "{}", a.value());
    }

    #[test]
    fn fold_adds_every_lane() {
        assert_eq!(fold([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]), 36.0);
    }
}
