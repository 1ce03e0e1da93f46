//! Count data: an empirical pmf as bars with fitted models' masses drawn over it.

use plotters::prelude::{Circle, Color, Rectangle};

use crate::frame::{self, Y_LABEL_AREA};
use crate::style::{BAR_COLOR, BAR_HEADROOM, DOT_RADIUS};
use crate::{Legend, Result, Series};

/// A histogram of counts with models over it: `empirical[k]` is drawn as a bar at `k`
/// (`k = 0, 1, …`), and each model series as a dot at each of its points (a pmf is not joined by lines)
/// (typically `(k, qₖ)`). `data_label` names the bars in the legend, which sits upper right;
/// the y axis (`probability`) leaves 35 % headroom for it.
///
/// ```
/// use kl_plot::{P_COLOR, Series};
///
/// let empirical = [0.15, 0.35, 0.3, 0.2];
/// let k = [0.0, 1.0, 2.0, 3.0];
/// let model = [0.2, 0.3, 0.3, 0.2];
/// let svg = kl_plot::histogram_with_models(
///     "arrivals per minute",
///     "arrivals",
///     "observed",
///     &empirical,
///     &[Series::new("model", &k, &model, P_COLOR, 2)],
/// )?;
/// assert!(svg.contains("observed") && svg.contains("model"));
/// # Ok::<(), kl_plot::Error>(())
/// ```
pub fn histogram_with_models(
    title: &str,
    x_desc: &str,
    data_label: &str,
    empirical: &[f64],
    models: &[Series<'_>],
) -> Result<String> {
    let x_max = models
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .fold(empirical.len() as f64 - 1.0, f64::max)
        .max(0.0);
    let heights = models.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let top = frame::top(heights.chain(empirical.iter().copied()), BAR_HEADROOM);
    // Counts are whole numbers: label whole ticks only.
    let whole = |x: &f64| {
        if (x - x.round()).abs() < 1e-9 {
            format!("{x:.0}")
        } else {
            String::new()
        }
    };
    let x = -0.5f64..(x_max + 0.5);
    frame::figure(title, x, 0.0..top, Y_LABEL_AREA, |chart| {
        frame::axes(&mut chart.configure_mesh(), x_desc, "probability")
            .disable_x_mesh()
            .x_label_formatter(&whole)
            .draw()?;
        chart
            .draw_series(empirical.iter().enumerate().map(|(k, &v)| {
                let x = k as f64;
                Rectangle::new([(x - 0.4, 0.0), (x + 0.4, v)], BAR_COLOR.filled())
            }))?
            .label(data_label)
            .legend(frame::bar_key(BAR_COLOR));
        // A pmf has mass at whole counts only: each model is drawn as points, never joined by
        // a line that would suggest mass between the counts.
        for s in models {
            // Dots small enough not to merge when there are many counts.
            let radius = if s.points.len() > 30 {
                DOT_RADIUS
            } else {
                s.width + DOT_RADIUS
            };
            let dot = |&p: &(f64, f64)| Circle::new(p, radius, s.color.filled());
            let drawn = chart.draw_series(s.points.iter().map(dot))?;
            if !s.label.is_empty() {
                let color = s.color;
                drawn.label(s.label).legend(frame::dot_key(color));
            }
        }
        frame::legend(chart, Legend::UpperRight)
    })
}
