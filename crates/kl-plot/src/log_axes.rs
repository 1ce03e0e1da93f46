//! Line charts with a logarithmic x axis, for quantities plotted against a sample size.

use plotters::prelude::{
    BLACK, ChartBuilder, Circle, Color, IntoDrawingArea, IntoLogRange, LineSeries, PathElement,
    SVGBackend, SeriesLabelPosition, WHITE,
};

use crate::{FONT, Result, SIZE, Series};

/// A line chart whose x axis is logarithmic (x must be positive; other points are skipped).
/// Series with `width ≥ 2` and more than two points get a dot at every point, so the sampled
/// sizes are visible; thin series and two-point series (a reference level) are plain lines. The y axis is linear
/// and spans every series, with 30 % headroom for the legend in the upper right.
pub fn log_x_lines(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    series: &[Series<'_>],
) -> Result<String> {
    let points = |s: &Series<'_>| -> Vec<(f64, f64)> {
        s.points
            .iter()
            .copied()
            .filter(|&(x, y)| x > 0.0 && x.is_finite() && y.is_finite())
            .collect()
    };
    let all: Vec<(f64, f64)> = series.iter().flat_map(points).collect();
    let (mut x0, mut x1, mut y0, mut y1) = all.iter().fold(
        (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ),
        |b, &(x, y)| (b.0.min(x), b.1.max(x), b.2.min(y), b.3.max(y)),
    );
    if all.is_empty() {
        (x0, x1, y0, y1) = (1.0, 10.0, 0.0, 1.0);
    }
    if x1 <= x0 {
        x1 = x0 * 10.0;
    }
    if y1 <= y0 {
        y1 = y0 + 1.0;
    }
    // Room at the top for the legend, which sits in the upper right corner.
    let span = y1 - y0;
    let (y0, y1) = (y0 - 0.05 * span, y1 + 0.3 * span);
    // Tick labels with as many decimals as a tenth of the range needs, and never "-0.0".
    let decimals = (-(0.1 * (y1 - y0)).log10().floor()).max(0.0) as usize;
    let y_label = move |y: &f64| {
        let half_unit = 0.5 * 10f64.powi(-(decimals as i32));
        let y = if y.abs() < half_unit { 0.0 } else { *y };
        format!("{y:.decimals$}")
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d((x0 / 1.3..x1 * 1.3).log_scale(), y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .x_label_formatter(&|x| {
                if *x >= 1e5 {
                    format!("{x:.0e}")
                } else {
                    format!("{x:.0}")
                }
            })
            .y_label_formatter(&y_label)
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        let mut labelled = false;
        for s in series {
            let pts = points(s);
            let color = s.color;
            let drawn =
                chart.draw_series(LineSeries::new(pts.clone(), color.stroke_width(s.width)))?;
            if !s.label.is_empty() {
                labelled = true;
                drawn.label(s.label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
            }
            if s.width >= 2 && pts.len() > 2 {
                chart.draw_series(pts.iter().map(|&p| Circle::new(p, 4, color.filled())))?;
            }
        }
        if labelled {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .label_font((FONT, 15))
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()?;
        }
        root.present()?;
    }
    Ok(svg)
}
