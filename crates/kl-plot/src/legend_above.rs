//! Line charts whose legend sits above the curves, for figures whose curves fill the middle.

use plotters::prelude::{
    BLACK, ChartBuilder, Color, IntoDrawingArea, LineSeries, PathElement, SVGBackend,
    SeriesLabelPosition, WHITE,
};

use crate::{FONT, Result, SIZE, Series, bounds, thin};

/// A line chart like [`crate::lines`], but with the y axis extended to 1.6 times the tallest
/// value and the legend in the upper right, in the room that leaves above every curve.
///
/// Use it when the curves reach the right-hand middle of the plot, where [`crate::lines`]
/// puts its legend (a fit drawn over a target with a mode on the right, say).
pub fn lines_legend_above(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    series: &[Series<'_>],
) -> Result<String> {
    let (x0, x1, y_min, y_max) = bounds(series);
    let y0 = if y_min >= 0.0 {
        0.0
    } else {
        y_min - 0.05 * (y_max - y_min)
    };
    let y1 = y0 + 1.6 * (y_max - y0);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(x0..x1, y0..y1)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        for s in series {
            let style = s.color.stroke_width(s.width);
            let drawn = chart.draw_series(LineSeries::new(thin(&s.points), style))?;
            if !s.label.is_empty() {
                let color = s.color;
                drawn.label(s.label).legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
                });
            }
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
