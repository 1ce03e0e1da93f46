//! Scatter plots: groups of points, one colour per group, with a legend.

use plotters::prelude::{
    BLACK, ChartBuilder, Circle, Color, IntoDrawingArea, RGBColor, SVGBackend, SeriesLabelPosition,
    WHITE,
};

use crate::{FONT, Result, SIZE};

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
pub fn scatter(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    groups: &[PointGroup<'_>],
) -> Result<String> {
    let mut b = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for g in groups {
        for &(x, y) in &g.points {
            if x.is_finite() && y.is_finite() {
                b = (b.0.min(x), b.1.max(x), b.2.min(y), b.3.max(y));
            }
        }
    }
    if !b.0.is_finite() {
        b = (0.0, 1.0, 0.0, 1.0);
    }
    let pad_x = ((b.1 - b.0) * 0.05).max(1e-9);
    let pad_y = ((b.3 - b.2) * 0.05).max(1e-9);
    let legend_position =
        emptiest_corner(groups, (b.0 - pad_x, b.1 + pad_x, b.2 - pad_y, b.3 + pad_y));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d((b.0 - pad_x)..(b.1 + pad_x), (b.2 - pad_y)..(b.3 + pad_y))?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        let mut labelled = false;
        for g in groups {
            let color = g.color;
            let drawn = chart.draw_series(
                g.points
                    .iter()
                    .filter(|(x, y)| x.is_finite() && y.is_finite())
                    .map(|&p| Circle::new(p, 3, color.mix(0.8).filled())),
            )?;
            if !g.label.is_empty() {
                labelled = true;
                drawn
                    .label(g.label)
                    .legend(move |(x, y)| Circle::new((x + 10, y), 5, color.filled()));
            }
        }
        if labelled {
            chart
                .configure_series_labels()
                .position(legend_position)
                .label_font((FONT, 15))
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()?;
        }
        root.present()?;
    }
    Ok(svg)
}

/// The corner whose box (the outer 30 % of the width by 40 % of the height, about the legend's
/// size) holds the fewest points; ties go to upper right, upper left, lower right, lower left.
fn emptiest_corner(groups: &[PointGroup<'_>], b: (f64, f64, f64, f64)) -> SeriesLabelPosition {
    let (x0, x1, y0, y1) = b;
    let (wx, wy) = (0.3 * (x1 - x0), 0.4 * (y1 - y0));
    let corners = [
        (SeriesLabelPosition::UpperRight, x1 - wx, x1, y1 - wy, y1),
        (SeriesLabelPosition::UpperLeft, x0, x0 + wx, y1 - wy, y1),
        (SeriesLabelPosition::LowerRight, x1 - wx, x1, y0, y0 + wy),
        (SeriesLabelPosition::LowerLeft, x0, x0 + wx, y0, y0 + wy),
    ];
    let count = |&(_, a, b, c, d): &(SeriesLabelPosition, f64, f64, f64, f64)| {
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
    corners[best].0.clone()
}
