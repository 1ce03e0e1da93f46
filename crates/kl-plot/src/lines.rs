//! Line charts: curves over shared axes, with a legend for the labelled ones.
//!
//! [`lines`] draws the usual chart. [`LineChart`] draws the same chart with options: where the
//! legend goes, how much room it gets above the curves, logarithmic axes, dots on the points.

use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::prelude::{Circle, Color, IntoLogRange, RGBColor, SeriesLabelPosition};

use crate::Result;
use crate::frame::{self, Chart, Y_LABEL_AREA};
use crate::style::{LINE_DOT_RADIUS, LINE_HEADROOM, P_COLOR, Q_COLOR};

/// One line of a line chart.
#[derive(Debug, Clone)]
pub struct Series<'a> {
    /// Legend text; an empty label keeps the line out of the legend.
    pub label: &'a str,
    /// The points, in drawing order.
    pub points: Vec<(f64, f64)>,
    /// Line colour.
    pub color: RGBColor,
    /// Line width in pixels.
    pub width: u32,
}

impl<'a> Series<'a> {
    /// A series from parallel x and y slices.
    pub fn new(label: &'a str, x: &[f64], y: &[f64], color: RGBColor, width: u32) -> Self {
        Series {
            label,
            points: x.iter().copied().zip(y.iter().copied()).collect(),
            color,
            width,
        }
    }
}

/// Where a chart's legend sits inside the plotting area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Legend {
    /// Top left corner.
    UpperLeft,
    /// Top, centred.
    UpperMiddle,
    /// Top right corner.
    UpperRight,
    /// Middle of the right edge (the default of [`lines`]).
    MiddleRight,
    /// Bottom left corner.
    LowerLeft,
    /// Bottom right corner.
    LowerRight,
}

impl Legend {
    pub(crate) fn position(self) -> SeriesLabelPosition {
        match self {
            Legend::UpperLeft => SeriesLabelPosition::UpperLeft,
            Legend::UpperMiddle => SeriesLabelPosition::UpperMiddle,
            Legend::UpperRight => SeriesLabelPosition::UpperRight,
            Legend::MiddleRight => SeriesLabelPosition::MiddleRight,
            Legend::LowerLeft => SeriesLabelPosition::LowerLeft,
            Legend::LowerRight => SeriesLabelPosition::LowerRight,
        }
    }
}

/// A line chart: every series over a shared pair of axes, with a legend (middle right) for the
/// labelled ones. The y axis starts at 0 when all values are non-negative, and leaves 8 %
/// headroom. Series longer than 800 points are thinned evenly for drawing.
///
/// The same as `LineChart::new(title, x_desc, y_desc).draw(series)`; see [`LineChart`] for
/// the options.
///
/// ```
/// use kl_plot::{PALETTE, Series};
///
/// let epochs = [0.0, 1.0, 2.0, 3.0];
/// let loss = [1.2, 0.7, 0.45, 0.4];
/// let svg = kl_plot::lines(
///     "loss per epoch",
///     "epoch",
///     "KL (nats)",
///     &[Series::new("loss", &epochs, &loss, PALETTE[0], 2)],
/// )?;
/// assert!(svg.starts_with("<svg") && svg.contains("loss per epoch"));
/// # Ok::<(), kl_plot::Error>(())
/// ```
pub fn lines(title: &str, x_desc: &str, y_desc: &str, series: &[Series<'_>]) -> Result<String> {
    LineChart::new(title, x_desc, y_desc).draw(series)
}

/// Two densities on one grid, as the original drew them: P in blue, Q in red, and a title such
/// as `KL(P||Q) = 0.500`; the axes are named `x` and `density`.
///
/// ```
/// let x = [-1.0, 0.0, 1.0];
/// let p = [0.24, 0.40, 0.24];
/// let q = [0.05, 0.24, 0.40];
/// let svg = kl_plot::pdf_pair("KL(P||Q) = 0.500", &x, &p, &q)?;
/// assert!(svg.contains("KL(P||Q) = 0.500"));
/// assert!(svg.contains("#1F77B4") && svg.contains("#D62728")); // P blue, Q red
/// # Ok::<(), kl_plot::Error>(())
/// ```
pub fn pdf_pair(title: &str, x: &[f64], p: &[f64], q: &[f64]) -> Result<String> {
    lines(
        title,
        "x",
        "density",
        &[
            Series::new("P", x, p, P_COLOR, 2),
            Series::new("Q", x, q, Q_COLOR, 2),
        ],
    )
}

/// A line chart with options, built step by step and drawn with [`LineChart::draw`]:
///
/// ```
/// use kl_plot::{Legend, LineChart, PALETTE, Series};
///
/// let x = [1.0, 10.0, 100.0, 1000.0];
/// let y = [0.9, 0.5, 0.31, 0.3];
/// let svg = LineChart::new("estimate against sample size", "n", "nats")
///     .log_x()
///     .legend(Legend::UpperRight)
///     .draw(&[Series::new("estimate", &x, &y, PALETTE[0], 2)])?;
/// assert!(svg.starts_with("<svg"));
/// # Ok::<(), kl_plot::Error>(())
/// ```
///
/// Without options it is the chart [`lines`] draws.
#[derive(Debug, Clone)]
pub struct LineChart<'a> {
    title: &'a str,
    x_desc: &'a str,
    y_desc: &'a str,
    legend: Legend,
    headroom: f64,
    log_x: bool,
    log_y: bool,
    fit_y: bool,
    dots: bool,
}

impl<'a> LineChart<'a> {
    /// A chart titled `title` with axes named `x_desc` and `y_desc`: legend middle right,
    /// linear axes, y from 0 when all values are non-negative, 8 % headroom, no dots.
    pub fn new(title: &'a str, x_desc: &'a str, y_desc: &'a str) -> Self {
        LineChart {
            title,
            x_desc,
            y_desc,
            legend: Legend::MiddleRight,
            headroom: LINE_HEADROOM,
            log_x: false,
            log_y: false,
            fit_y: false,
            dots: false,
        }
    }

    /// Puts the legend at `at`, out of the curves' way.
    pub fn legend(mut self, at: Legend) -> Self {
        self.legend = at;
        self
    }

    /// Room above the curves for a legend at the top: the y axis ends above the highest value
    /// by `fraction` (0.08 by default) of the height below it, measured from the axis's bottom
    /// (with [`fit_y`](Self::fit_y), from the lowest value). Linear y axes only.
    pub fn headroom(mut self, fraction: f64) -> Self {
        self.headroom = fraction;
        self
    }

    /// Makes the x axis logarithmic (sample sizes, say). Points with `x ≤ 0` are left out;
    /// the axis spans the rest with a factor 1.3 to spare at each end.
    pub fn log_x(mut self) -> Self {
        self.log_x = true;
        self
    }

    /// Makes the y axis logarithmic, base 10 (a loss falling by orders of magnitude). Points
    /// with `y ≤ 0` are left out (a loss that reaches 0 to rounding stops there); the axis
    /// spans the rest, widened to whole powers of ten.
    pub fn log_y(mut self) -> Self {
        self.log_y = true;
        self
    }

    /// Lets a linear y axis span the data alone (from 5 % below the lowest value) instead of
    /// starting at 0, for values that sit far from 0.
    pub fn fit_y(mut self) -> Self {
        self.fit_y = true;
        self
    }

    /// Marks each point with a dot on the series drawn at width 2 or more that have more than
    /// two points (a two-point series is a reference level, left plain).
    pub fn dots(mut self) -> Self {
        self.dots = true;
        self
    }

    /// Draws `series` and returns the SVG text. Points with a non-finite coordinate are left
    /// out, as are those a logarithmic axis cannot show.
    pub fn draw(&self, series: &[Series<'_>]) -> Result<String> {
        let kept: Vec<Vec<(f64, f64)>> = series
            .iter()
            .map(|s| {
                s.points
                    .iter()
                    .copied()
                    .filter(|&p| self.shows(p))
                    .collect()
            })
            .collect();
        let data = frame::bounds(kept.iter().flatten());
        let (x0, x1) = self.x_span(data.map(|b| (b.0, b.1)));
        let (y0, y1) = self.y_span(data.map(|b| (b.2, b.3)));
        let (x, y) = (x0..x1, y0..y1);
        // Each pair of axis kinds is its own chart type, hence four calls of the same drawing.
        match (self.log_x, self.log_y) {
            (false, false) => frame::figure(self.title, x, y, Y_LABEL_AREA, |chart| {
                self.plot(chart, series, &kept)
            }),
            (true, false) => frame::figure(self.title, x.log_scale(), y, Y_LABEL_AREA, |chart| {
                self.plot(chart, series, &kept)
            }),
            // Tick labels such as 1e-5 need a little more room than plain numbers.
            (false, true) => frame::figure(self.title, x, y.log_scale(), 80, |chart| {
                self.plot(chart, series, &kept)
            }),
            (true, true) => frame::figure(self.title, x.log_scale(), y.log_scale(), 80, |chart| {
                self.plot(chart, series, &kept)
            }),
        }
    }

    /// Whether point `(x, y)` can be drawn on this chart's axes.
    fn shows(&self, (x, y): (f64, f64)) -> bool {
        x.is_finite() && y.is_finite() && (!self.log_x || x > 0.0) && (!self.log_y || y > 0.0)
    }

    /// The x axis's ends, from the data's smallest and largest x.
    fn x_span(&self, data: Option<(f64, f64)>) -> (f64, f64) {
        if self.log_x {
            let (lo, hi) = data.unwrap_or((1.0, 10.0));
            let hi = if hi <= lo { lo * 10.0 } else { hi };
            (lo / 1.3, hi * 1.3)
        } else {
            let (lo, hi) = data.unwrap_or((0.0, 1.0));
            (lo, if hi <= lo { lo + 1.0 } else { hi })
        }
    }

    /// The y axis's ends, from the data's smallest and largest y.
    fn y_span(&self, data: Option<(f64, f64)>) -> (f64, f64) {
        if self.log_y {
            let (lo, hi) = data.unwrap_or((0.1, 1.0));
            let bottom = 10f64.powf(lo.log10().floor());
            (bottom, 10f64.powf(hi.log10().ceil()).max(bottom * 10.0))
        } else {
            let (lo, hi) = data.unwrap_or((0.0, 1.0));
            let hi = if hi <= lo { lo + 1.0 } else { hi };
            if self.fit_y {
                let span = hi - lo;
                return (lo - 0.05 * span, hi + self.headroom * span);
            }
            let bottom = if lo >= 0.0 {
                0.0
            } else {
                lo - 0.05 * (hi - lo)
            };
            (bottom, hi + self.headroom * (hi - bottom))
        }
    }

    /// Draws the axes, the lines (with dots if asked) and the legend on `chart`.
    fn plot<X, Y>(
        &self,
        chart: &mut Chart<'_, X, Y>,
        series: &[Series<'_>],
        kept: &[Vec<(f64, f64)>],
    ) -> Result<()>
    where
        X: Ranged<ValueType = f64> + ValueFormatter<f64>,
        Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    {
        // Sample sizes as whole numbers, and as powers of ten once they get long.
        let log_x_label = |x: &f64| {
            if *x >= 1e5 {
                format!("{x:.0e}")
            } else {
                format!("{x:.0}")
            }
        };
        let log_y_label = |y: &f64| format!("{y:.0e}");
        // As many decimals as a tenth of the range needs, and never "-0.0".
        let (y0, y1) = (chart.y_range().start, chart.y_range().end);
        let decimals = (-(0.1 * (y1 - y0)).log10().floor()).max(0.0) as usize;
        let y_label = move |y: &f64| {
            let half_unit = 0.5 * 10f64.powi(-(decimals as i32));
            let y = if y.abs() < half_unit { 0.0 } else { *y };
            format!("{y:.decimals$}")
        };
        {
            let mut mesh = chart.configure_mesh();
            frame::axes(&mut mesh, self.x_desc, self.y_desc);
            if self.log_x {
                mesh.x_label_formatter(&log_x_label);
            }
            if self.log_y {
                mesh.y_label_formatter(&log_y_label);
            } else if self.fit_y {
                mesh.y_label_formatter(&y_label);
            }
            mesh.draw()?;
        }
        let mut labelled = false;
        for (s, points) in series.iter().zip(kept) {
            labelled |= frame::line(chart, s, &frame::thin(points))?;
            if self.dots && s.width >= 2 && points.len() > 2 {
                let dot = |&p: &(f64, f64)| Circle::new(p, LINE_DOT_RADIUS, s.color.filled());
                chart.draw_series(points.iter().map(dot))?;
            }
        }
        if labelled {
            frame::legend(chart, self.legend)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Legend, LineChart, lines};
    use crate::{PALETTE, Series};

    #[test]
    fn legend_position_moves_the_legend_and_nothing_else() {
        let x = [0.0, 1.0, 2.0];
        let y = [0.0, 1.0, 4.0];
        let series = [Series::new("y", &x, &y, PALETTE[0], 2)];
        let chart = LineChart::new("t", "x", "y");
        let right = chart
            .clone()
            .legend(Legend::MiddleRight)
            .draw(&series)
            .unwrap();
        let left = chart.legend(Legend::UpperLeft).draw(&series).unwrap();
        assert_ne!(right, left);
        // The middle-right chart is the crate's default `lines` chart, byte for byte.
        assert_eq!(right, lines("t", "x", "y", &series).unwrap());
    }

    /// The number of vertices of the widest polyline in `svg` (the data line: axes and ticks
    /// are drawn one pixel wide, the series here three).
    fn data_vertices(svg: &str) -> usize {
        svg.lines()
            .filter(|l| l.starts_with("<polyline") && l.contains("stroke-width=\"3\""))
            .map(|l| {
                let points = l.split("points=\"").nth(1).unwrap_or("");
                points
                    .split('"')
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .count()
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn long_lines_are_thinned_to_at_most_800_vertices_and_keep_their_last_point() {
        let x: Vec<f64> = (0..2001).map(f64::from).collect();
        let y: Vec<f64> = x.iter().map(|v| v * v).collect();
        let svg = lines("t", "x", "y", &[Series::new("", &x, &y, PALETTE[0], 3)]).unwrap();
        // step = ceil(2001 / 800) = 3 keeps points 0, 3, …, 1998 (667 of them), then the last.
        assert_eq!(data_vertices(&svg), 668);
        let short = lines(
            "t",
            "x",
            "y",
            &[Series::new("", &x[..5], &y[..5], PALETTE[0], 3)],
        );
        assert_eq!(data_vertices(&short.unwrap()), 5);
    }

    #[test]
    fn dots_mark_the_points_of_thick_series_with_more_than_two_points() {
        let x = [1.0, 10.0, 100.0];
        let y = [0.5, 0.4, 0.3];
        let svg = LineChart::new("t", "n", "y")
            .dots()
            .draw(&[
                Series::new("thick", &x, &y, PALETTE[0], 2),
                Series::new("thin", &x, &y, PALETTE[1], 1),
                Series::new("level", &x[..2], &y[..2], PALETTE[2], 2),
            ])
            .unwrap();
        assert_eq!(svg.matches("<circle").count(), 3);
    }

    #[test]
    fn log_y_leaves_out_what_a_log_axis_cannot_show() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.0, 0.1, 0.0, -1.0, f64::NAN];
        let chart = LineChart::new("t", "epoch", "loss").log_y();
        let with_bad = chart.draw(&[Series::new("loss", &x, &y, PALETTE[0], 2)]);
        let without = chart.draw(&[Series::new("loss", &x[..2], &y[..2], PALETTE[0], 2)]);
        assert_eq!(with_bad.unwrap(), without.unwrap());
    }

    #[test]
    fn nothing_to_draw_is_still_a_figure() {
        let empty = LineChart::new("t", "x", "y").log_x().log_y().draw(&[]);
        assert!(empty.unwrap().starts_with("<svg"));
        let nan = Series::new("", &[f64::NAN], &[1.0], PALETTE[0], 2);
        assert!(lines("t", "x", "y", &[nan]).is_ok());
    }
}
