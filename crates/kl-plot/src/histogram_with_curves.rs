//! A histogram drawn as a density (bar areas sum to 1) under density curves.

use plotters::prelude::{Color, Rectangle};

use crate::frame::{self, Y_LABEL_AREA};
use crate::style::{BAR_COLOR, HISTOGRAM_HEADROOM};
use crate::{Legend, Result, Series};

/// A density histogram (grey bars over `edges`, heights `densities`: the bins of
/// `kl::histogram::density_bins`, which does the counting) with curves drawn over it, and a
/// legend (upper left) naming the bars `bars_label` and each labelled curve. The y axis starts
/// at 0 and leaves 30 % headroom for the legend.
///
/// ```
/// use kl_plot::{Q_COLOR, Series};
///
/// // The bins of the sample [-0.3, 0.1, 0.2, 0.4, 0.9, 1.3] over [-1, 2].
/// let edges = [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0];
/// let density = [0.0, 1.0 / 3.0, 1.0, 1.0 / 3.0, 1.0 / 3.0, 0.0];
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
    let top = frame::top(densities.iter().copied().chain(heights), HISTOGRAM_HEADROOM);
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
