//! A histogram drawn as a density (bar areas sum to 1) under density curves.

use plotters::prelude::{Color, RGBColor, Rectangle};

use crate::frame::{self, Y_LABEL_AREA};
use crate::{Legend, Result, Series};

/// The grey of histogram bars.
pub const BAR_COLOR: RGBColor = RGBColor(190, 190, 190);

/// Bins a sample into `bins` equal-width bins over `[lo, hi]` and scales the counts to a
/// density (count / (n · width)), so the bars' total area is the fraction of the sample inside
/// `[lo, hi]`. Returns the bin edges (`bins + 1`) and the densities (`bins`). Values outside the
/// range are left out; `hi` itself goes into the last bin.
///
/// ```
/// // Four points, one outside [0, 2]: bars of width 1 with areas 2/4 and 1/4.
/// let (edges, density) = kl_plot::density_bins(&[0.2, 0.7, 2.0, 5.0], 0.0, 2.0, 2);
/// assert_eq!(edges, [0.0, 1.0, 2.0]);
/// assert_eq!(density, [0.5, 0.25]);
/// ```
pub fn density_bins(data: &[f64], lo: f64, hi: f64, bins: usize) -> (Vec<f64>, Vec<f64>) {
    let bins = bins.max(1);
    let width = (hi - lo) / bins as f64;
    let edges: Vec<f64> = (0..=bins).map(|i| lo + width * i as f64).collect();
    let mut counts = vec![0usize; bins];
    for &x in data {
        if x >= lo && x <= hi && width > 0.0 {
            let i = (((x - lo) / width) as usize).min(bins - 1);
            counts[i] += 1;
        }
    }
    let scale = 1.0 / (data.len().max(1) as f64 * width);
    (edges, counts.iter().map(|&c| c as f64 * scale).collect())
}

/// A density histogram (grey bars, from [`density_bins`]) with curves drawn over it, and a
/// legend (upper left) naming the bars `bars_label` and each labelled curve. The y axis starts
/// at 0 and leaves 30 % headroom for the legend.
///
/// ```
/// use kl_plot::{Q_COLOR, Series};
///
/// let sample = [-0.3, 0.1, 0.2, 0.4, 0.9, 1.3];
/// let (edges, density) = kl_plot::density_bins(&sample, -1.0, 2.0, 6);
/// let x = [-1.0, 0.0, 1.0, 2.0];
/// let fit = [0.1, 0.5, 0.4, 0.05];
/// let svg = kl_plot::histogram_with_curves(
///     "a sample and a fit",
///     "x",
///     "sample",
///     &edges,
///     &density,
///     &[Series::new("fit", &x, &fit, Q_COLOR, 2)],
/// )?;
/// assert!(svg.contains("a sample and a fit"));
/// # Ok::<(), kl_plot::Error>(())
/// ```
pub fn histogram_with_curves(
    title: &str,
    x_desc: &str,
    bars_label: &str,
    edges: &[f64],
    densities: &[f64],
    curves: &[Series<'_>],
) -> Result<String> {
    let x0 = edges.first().copied().unwrap_or(0.0);
    let x1 = edges.last().copied().unwrap_or(1.0).max(x0 + 1e-9);
    let heights = curves.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let top = frame::top(densities.iter().copied().chain(heights), 1.3);
    frame::figure(title, x0..x1, 0.0..top, Y_LABEL_AREA, |chart| {
        frame::axes(&mut chart.configure_mesh(), x_desc, "density").draw()?;
        chart
            .draw_series(
                edges
                    .windows(2)
                    .zip(densities)
                    .map(|(e, &d)| Rectangle::new([(e[0], 0.0), (e[1], d)], BAR_COLOR.filled())),
            )?
            .label(bars_label)
            .legend(frame::bar_key(BAR_COLOR));
        for s in curves {
            frame::line(chart, s, &s.points)?;
        }
        frame::legend(chart, Legend::UpperLeft)
    })
}

#[cfg(test)]
mod tests {
    use super::density_bins;

    #[test]
    fn bars_are_a_density() {
        // Ten points, two outside [0, 4): the bar areas add up to 8/10.
        let data = [0.5, 0.5, 1.5, 2.5, 2.5, 2.5, 3.5, 4.0, -1.0, 9.0];
        let (edges, d) = density_bins(&data, 0.0, 4.0, 4);
        assert_eq!(edges, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        // Counts 2, 1, 3, 2 (4.0 goes into the last bin), each over n · width = 10.
        for (got, want) in d.iter().zip([0.2, 0.1, 0.3, 0.2]) {
            assert!((got - want).abs() < 1e-15, "{got} vs {want}");
        }
        let area: f64 = d.iter().sum::<f64>() * 1.0;
        assert!((area - 0.8).abs() < 1e-15);
    }
}
