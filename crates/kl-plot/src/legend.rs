//! Line charts whose legend goes where the curves are not.
//!
//! [`lines`](crate::lines) puts its legend at the middle right, which is where a curve that
//! grows to the right (a divergence as a parameter moves away) passes. [`lines_with_legend`]
//! is the same chart with the legend's corner chosen by the caller.

use plotters::prelude::{
    BLACK, ChartBuilder, Color, IntoDrawingArea, LineSeries, PathElement, SVGBackend,
    SeriesLabelPosition, WHITE,
};

use crate::{FONT, Result, SIZE, Series, bounds, thin};

/// Where a chart's legend sits inside the plotting area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// Top left corner.
    UpperLeft,
    /// Top, centred.
    UpperMiddle,
    /// Top right corner.
    UpperRight,
    /// Middle of the right edge (what [`lines`](crate::lines) uses).
    MiddleRight,
    /// Bottom right corner.
    LowerRight,
}

impl Legend {
    fn position(self) -> SeriesLabelPosition {
        match self {
            Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
            Legend::UpperMiddle => SeriesLabelPosition::UpperMiddle,
            Legend::UpperRight => SeriesLabelPosition::UpperRight,
            Legend::MiddleRight => SeriesLabelPosition::MiddleRight,
            Legend::LowerRight => SeriesLabelPosition::LowerRight,
        }
    }
}

/// A line chart like [`lines`](crate::lines) (shared axes, y from 0 when all values are
/// non-negative, 8 % headroom), with the legend at `legend`.
pub fn lines_with_legend(
    title: &str,
    x_desc: &str,
    y_desc: &str,
    series: &[Series<'_>],
    legend: Legend,
) -> Result<String> {
    let (x0, x1, y_min, y_max) = bounds(series);
    let y0 = if y_min >= 0.0 {
        0.0
    } else {
        y_min - 0.05 * (y_max - y_min)
    };
    let y1 = y_max + 0.08 * (y_max - y0);
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
        let mut labelled = false;
        for s in series {
            let style = s.color.stroke_width(s.width);
            let drawn = chart.draw_series(LineSeries::new(thin(&s.points), style))?;
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
                .position(legend.position())
                .label_font((FONT, 15))
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()?;
        }
        root.present()?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::{Legend, lines_with_legend};
    use crate::{PALETTE, Series};

    #[test]
    fn legend_position_moves_the_legend_and_nothing_else() {
        let x = [0.0, 1.0, 2.0];
        let y = [0.0, 1.0, 4.0];
        let series = [Series::new("y", &x, &y, PALETTE[0], 2)];
        let right = lines_with_legend("t", "x", "y", &series, Legend::MiddleRight).unwrap();
        let left = lines_with_legend("t", "x", "y", &series, Legend::UpperLeft).unwrap();
        assert_ne!(right, left);
        // The middle-right chart is the crate's default `lines` chart, byte for byte.
        assert_eq!(right, crate::lines("t", "x", "y", &series).unwrap());
    }
}
