//! Scatter plots: groups of points, one colour per group, with a legend.

use plotters::prelude::{Circle, Color, RGBColor};

use crate::frame::{self, Y_LABEL_AREA};
use crate::style::DOT_RADIUS;
use crate::{Legend, Result};

/// One group of points of a scatter plot (a cluster, a class).
#[derive(Debug, Clone)]
pub struct PointGroup<'a> {
    /// Legend text; an empty label keeps the group out of the legend.
    pub label: &'a str,
    /// The points.
    pub points: Vec<(f64, f64)>,
    /// Fill colour of the dots.
    pub color: RGBColor,
}

/// A scatter plot of every group over shared axes, dots of radius 3 in the group's colour,
/// with 5 % margins around the data and a legend for the labelled groups, placed in the corner
/// of the plot that holds the fewest points.
///
/// ```
/// use kl_plot::{P_COLOR, PointGroup, Q_COLOR};
///
/// let groups = [
///     PointGroup { label: "cluster a", points: vec![(0.0, 0.1), (0.2, 0.0)], color: P_COLOR },
///     PointGroup { label: "cluster b", points: vec![(2.0, 2.1), (2.2, 1.9)], color: Q_COLOR },
/// ];
/// let svg = kl_plot::scatter("an embedding", "y₁", "y₂", &groups)?;
/// assert!(svg.contains("cluster b"));
/// # Ok::<(), kl_plot::Error>(())
/// ```
pub fn scatter(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    groups: &[PointGroup<'_>],
) -> Result<String> {
    let b = frame::bounds(groups.iter().flat_map(|g| &g.points)).unwrap_or((0.0, 1.0, 0.0, 1.0));
    let pad_x = ((b.1 - b.0) * 0.05).max(1e-9);
    let pad_y = ((b.3 - b.2) * 0.05).max(1e-9);
    let (mut x0, mut x1, mut y0, mut y1) = (b.0 - pad_x, b.1 + pad_x, b.2 - pad_y, b.3 + pad_y);
    // Equal aspect: one unit is as long across as up, so distances in the picture are the
    // distances of the map (an embedding's geometry is what it shows). The shorter range is
    // widened about its centre to the plotting area's proportions.
    let (w, h) = frame::plot_area(Y_LABEL_AREA)?;
    let per_px = ((x1 - x0) / f64::from(w)).max((y1 - y0) / f64::from(h));
    let (cx, cy) = (0.5 * (x0 + x1), 0.5 * (y0 + y1));
    (x0, x1) = (
        cx - 0.5 * per_px * f64::from(w),
        cx + 0.5 * per_px * f64::from(w),
    );
    (y0, y1) = (
        cy - 0.5 * per_px * f64::from(h),
        cy + 0.5 * per_px * f64::from(h),
    );
    let legend_position = emptiest_corner(groups, (x0, x1, y0, y1));
    frame::figure(title, x0..x1, y0..y1, Y_LABEL_AREA, |chart| {
        frame::axes(&mut chart.configure_mesh(), x_desc, y_desc).draw()?;
        let mut labelled = false;
        for g in groups {
            let color = g.color;
            let drawn = chart.draw_series(
                g.points
                    .iter()
                    .filter(|(x, y)| x.is_finite() && y.is_finite())
                    .map(|&p| Circle::new(p, DOT_RADIUS, color.mix(0.8).filled())),
            )?;
            if !g.label.is_empty() {
                labelled = true;
                drawn.label(g.label).legend(frame::dot_key(color));
            }
        }
        if labelled {
            frame::legend(chart, legend_position)?;
        }
        Ok(())
    })
}

/// The corner whose box (the outer 30 % of the width by 40 % of the height, about the legend's
/// size) holds the fewest points; ties go to upper right, upper left, lower right, lower left.
fn emptiest_corner(groups: &[PointGroup<'_>], b: (f64, f64, f64, f64)) -> Legend {
    let (x0, x1, y0, y1) = b;
    let (wx, wy) = (0.3 * (x1 - x0), 0.4 * (y1 - y0));
    let corners = [
        (Legend::UpperRight, x1 - wx, x1, y1 - wy, y1),
        (Legend::UpperLeft, x0, x0 + wx, y1 - wy, y1),
        (Legend::LowerRight, x1 - wx, x1, y0, y0 + wy),
        (Legend::LowerLeft, x0, x0 + wx, y0, y0 + wy),
    ];
    let count = |&(_, a, b, c, d): &(Legend, f64, f64, f64, f64)| {
        groups
            .iter()
            .flat_map(|g| g.points.iter())
            .filter(|&&(x, y)| x >= a && x <= b && y >= c && y <= d)
            .count()
    };
    let mut best = 0;
    for k in 1..corners.len() {
        if count(&corners[k]) < count(&corners[best]) {
            best = k;
        }
    }
    corners[best].0
}
