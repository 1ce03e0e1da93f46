//! Line charts with a logarithmic y axis: loss curves that fall by many orders of magnitude.

use plotters::prelude::{
    BLACK, ChartBuilder, Color, IntoDrawingArea, IntoLogRange, LineSeries, PathElement, SVGBackend,
    WHITE,
};

use crate::{FONT, Result, SIZE, Series};

/// A line chart like [`crate::lines`], with a base-10 logarithmic y axis.
///
/// Points with `y ≤ 0` or a non-finite coordinate cannot sit on a log axis and are left out of
/// their line (a loss that reaches 0 to rounding simply stops there). The axis spans the
/// positive values drawn, widened to whole powers of ten.
pub fn log_lines(title: &str, x_desc: &str, y_desc: &str, series: &[Series<'_>]) -> Result<String> {
    let kept: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .copied()
                .filter(|&(x, y)| x.is_finite() && y.is_finite() && y > 0.0)
                .collect()
        })
        .collect();
    let all = kept.iter().flatten();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, 0.0);
    for &(x, y) in all {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = f64::max(y1, y);
    }
    if !x0.is_finite() {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.1, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 + 1.0;
    }
    let y0 = 10f64.powf(y0.log10().floor());
    let y1 = 10f64.powf(y1.log10().ceil()).max(y0 * 10.0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(80)
            .build_cartesian_2d(x0..x1, (y0..y1).log_scale())?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .y_label_formatter(&|v: &f64| format!("{v:.0e}"))
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        let mut labelled = false;
        for (s, points) in series.iter().zip(kept) {
            let style = s.color.stroke_width(s.width);
            let drawn = chart.draw_series(LineSeries::new(points, style))?;
            if !s.label.is_empty() {
                labelled = true;
                let color = s.color;
                drawn.label(s.label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
            }
        }
        if labelled {
            chart
                .configure_series_labels()
                .label_font((FONT, 15))
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()?;
        }
        root.present()?;
    }
    Ok(svg)
}
