//! Count data: an empirical pmf as bars with fitted models' masses drawn over it.

use plotters::prelude::{
    BLACK, ChartBuilder, Circle, Color, IntoDrawingArea, LineSeries, PathElement, RGBColor,
    Rectangle, SVGBackend, SeriesLabelPosition, WHITE,
};

use crate::{FONT, Result, SIZE, Series};

/// The grey of the data's bars, so the models' colours stand out over them.
const BAR_COLOR: RGBColor = RGBColor(170, 170, 170);

/// A histogram of counts with models over it: `empirical[k]` is drawn as a bar at `k`
/// (`k = 0, 1, …`), and each model series as a line with a dot at each of its points
/// (typically `(k, qₖ)`). `data_label` names the bars in the legend.
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
    let top = models
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(empirical.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-12)
        * 1.35; // headroom for the legend in the upper right
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(-0.5f64..(x_max + 0.5), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_label_formatter(&|x| {
                // Counts are whole numbers: label whole ticks only.
                if (x - x.round()).abs() < 1e-9 {
                    format!("{x:.0}")
                } else {
                    String::new()
                }
            })
            .x_desc(x_desc)
            .y_desc("probability")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        chart
            .draw_series(empirical.iter().enumerate().map(|(k, &v)| {
                let x = k as f64;
                Rectangle::new([(x - 0.4, 0.0), (x + 0.4, v)], BAR_COLOR.filled())
            }))?
            .label(data_label)
            .legend(|(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], BAR_COLOR.filled()));
        for s in models {
            let color = s.color;
            let drawn = chart.draw_series(LineSeries::new(
                s.points.iter().copied(),
                color.stroke_width(s.width),
            ))?;
            if !s.label.is_empty() {
                drawn.label(s.label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
            }
            // Dots small enough not to merge when there are many counts.
            let radius = if s.points.len() > 30 { 2 } else { s.width + 2 };
            chart.draw_series(
                s.points
                    .iter()
                    .map(|&p| Circle::new(p, radius, color.filled())),
            )?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font((FONT, 15))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}
