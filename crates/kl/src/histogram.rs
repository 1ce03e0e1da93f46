//! Binning a sample into a density histogram, for the chapters that draw a sample under
//! density curves (chapter 08's EM fit). The figure is `kl_plot::histogram_with_curves`; the
//! counting lives here, because `kl-plot` does no mathematics.

use crate::error::{Error, Result};

/// Bins `data` into `bins` equal-width bins over `[lo, hi]` and scales the counts to a density,
///
/// ```text
/// density_i = count_i / (n · width),      width = (hi − lo) / bins,   n = data.len()
/// ```
///
/// so the bars' total area is the fraction of the sample inside `[lo, hi]` (1 when all of it
/// is). Returns the bin edges `lo + i · width` (`bins + 1` of them) and the densities (`bins`).
/// Bin `i` holds `lo + i·width ≤ x < lo + (i + 1)·width`; `hi` itself goes into the last bin;
/// values outside `[lo, hi]` are counted in `n` but in no bin.
///
/// # Errors
/// - [`Error::Empty`] if `data` is empty;
/// - [`Error::NotFinite`] at the first NaN or infinite value of `data`;
/// - [`Error::InvalidParameter`] if `lo` or `hi` is not finite, `lo ≥ hi`, `bins` is 0, or
///   the bin width `(hi − lo)/bins` is not a finite number of at least `f64::MIN_POSITIVE`
///   (`hi − lo` overflows, or the width is subnormal, where the densities `1/(n · width)`
///   would overflow);
/// - [`Error::TooLarge`] if `bins` exceeds 2²⁴ (the edges would not fit in memory).
///
/// ```
/// // Four points, one outside [0, 2]: bars of width 1 with areas 2/4 and 1/4.
/// let (edges, density) = kl::histogram::density_bins(&[0.2, 0.7, 2.0, 5.0], 0.0, 2.0, 2)?;
/// assert_eq!(edges, [0.0, 1.0, 2.0]);
/// assert_eq!(density, [0.5, 0.25]);
/// # Ok::<(), kl::Error>(())
/// ```
pub fn density_bins(data: &[f64], lo: f64, hi: f64, bins: usize) -> Result<(Vec<f64>, Vec<f64>)> {
    if data.is_empty() {
        return Err(Error::Empty { name: "data" });
    }
    if let Some((index, &value)) = data.iter().enumerate().find(|(_, x)| !x.is_finite()) {
        return Err(Error::NotFinite {
            name: "data",
            index,
            value,
        });
    }
    for (name, value) in [("lo", lo), ("hi", hi)] {
        if !value.is_finite() {
            return Err(Error::InvalidParameter {
                name,
                value,
                reason: "the range's ends must be finite",
            });
        }
    }
    if lo >= hi {
        return Err(Error::InvalidParameter {
            name: "hi",
            value: hi,
            reason: "the range must have lo < hi",
        });
    }
    if bins == 0 {
        return Err(Error::InvalidParameter {
            name: "bins",
            value: 0.0,
            reason: "at least one bin is needed",
        });
    }
    // 2^24 bins is 128 MiB of edges: far beyond any histogram a reader can see.
    const MAX_BINS: usize = 1 << 24;
    crate::error::check_at_most(
        "bins",
        bins,
        MAX_BINS,
        "the edges and counts would not fit in memory; a histogram needs far fewer",
    )?;
    let width = (hi - lo) / bins as f64;
    // A width below the smallest normal double would make 1/(n · width) overflow: densities
    // of +∞ (and 0 · ∞ = NaN for the empty bins).
    if !(width.is_finite() && width >= f64::MIN_POSITIVE) {
        return Err(Error::InvalidParameter {
            name: "hi",
            value: hi,
            reason: "the bin width (hi − lo)/bins must be a finite number, at least the \
                     smallest normal double (2.2e-308)",
        });
    }
    let edges: Vec<f64> = (0..=bins).map(|i| lo + width * i as f64).collect();
    let mut counts = vec![0usize; bins];
    for &x in data {
        if x >= lo && x <= hi {
            let i = (((x - lo) / width) as usize).min(bins - 1);
            counts[i] += 1;
        }
    }
    let total_area = data.len() as f64 * width;
    Ok((
        edges,
        counts.iter().map(|&c| c as f64 / total_area).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::density_bins;
    use crate::Error;

    #[test]
    fn bars_are_a_density() {
        // Ten points, two outside [0, 4]: the bar areas add up to 8/10.
        let data = [0.5, 0.5, 1.5, 2.5, 2.5, 2.5, 3.5, 4.0, -1.0, 9.0];
        let (edges, d) = density_bins(&data, 0.0, 4.0, 4).unwrap();
        assert_eq!(edges, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        // Counts 2, 1, 3, 2 (4.0 goes into the last bin), each over n · width = 10.
        for (got, want) in d.iter().zip([0.2, 0.1, 0.3, 0.2]) {
            assert!((got - want).abs() < 1e-15, "{got} vs {want}");
        }
        let area: f64 = d.iter().sum::<f64>() * 1.0;
        assert!((area - 0.8).abs() < 1e-15);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(matches!(
            density_bins(&[], 0.0, 1.0, 2),
            Err(Error::Empty { name: "data" })
        ));
        assert!(matches!(
            density_bins(&[0.5, f64::NAN], 0.0, 1.0, 2),
            Err(Error::NotFinite { index: 1, .. })
        ));
        assert!(matches!(
            density_bins(&[0.5], 1.0, 1.0, 2),
            Err(Error::InvalidParameter { name: "hi", .. })
        ));
        assert!(matches!(
            density_bins(&[0.5], f64::NEG_INFINITY, 1.0, 2),
            Err(Error::InvalidParameter { name: "lo", .. })
        ));
        assert!(matches!(
            density_bins(&[0.5], 0.0, 1.0, 0),
            Err(Error::InvalidParameter { name: "bins", .. })
        ));
        // A subnormal width (the fuzz found 12 bins over [1.7e-308, 2.2e-308]): densities would
        // be 1/(n · width) = +∞ and 0 · ∞ = NaN.
        assert!(matches!(
            density_bins(&[2e-308], 1.743914561472856e-308, f64::MIN_POSITIVE, 12),
            Err(Error::InvalidParameter { name: "hi", .. })
        ));
    }

    /// The narrowest accepted width, the smallest normal double: every density is finite.
    #[test]
    fn the_narrowest_bins_give_finite_densities() {
        let (lo, hi) = (f64::MIN_POSITIVE, 3.0 * f64::MIN_POSITIVE);
        let (edges, d) = density_bins(&[lo, hi, 1.0], lo, hi, 2).unwrap();
        assert_eq!(edges.len(), 3);
        assert!(d.iter().all(|x| x.is_finite() && *x > 0.0), "{d:?}");
    }
}
