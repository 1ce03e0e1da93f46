//! The parts every figure shares: the canvas and its caption, the axes' style, the legend box,
//! the legend keys, the data bounds and the thinning of long lines. Each figure function in
//! this crate is these parts plus what it draws.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::{AsRangedCoord, Ranged};
use plotters::element::PathElement;
use plotters::prelude::{
    BLACK, Cartesian2d, ChartBuilder, ChartContext, Circle, Color, CoordTranslate, IntoDrawingArea,
    LineSeries, RGBColor, Rectangle, SVGBackend, WHITE,
};

use crate::style::{
    AXIS_NAME_SIZE, FONT, KEY_DOT_RADIUS, LEGEND_SIZE, SIZE, TICK_SIZE, TITLE_SIZE,
};
use crate::{Legend, Result, Series};

/// A chart on the SVG canvas, with x and y coordinates of types `X` and `Y`.
pub(crate) type Chart<'a, X, Y> = ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>;

/// Width of the y tick labels' area, in pixels, for plain numbers.
pub(crate) const Y_LABEL_AREA: u32 = 72;

/// Most points a line keeps; longer series are thinned evenly (a 20 000-point grid drawn as
/// 20 000 SVG vertices makes a heavy file and a picture that looks no different).
const MAX_POINTS: usize = 800;

/// Draws one figure: a white canvas of [`SIZE`], `title` on top, axes spanning `x` and `y`
/// with `y_label_area` pixels left of the plot for the y tick labels, and whatever `draw` puts
/// on the chart (axes and legend included); returns the SVG text.
pub(crate) fn figure<XR, YR>(
    title: &str,
    x: XR,
    y: YR,
    y_label_area: u32,
    draw: impl FnOnce(&mut Chart<'_, XR::CoordDescType, YR::CoordDescType>) -> Result<()>,
) -> Result<String>
where
    XR: AsRangedCoord,
    YR: AsRangedCoord,
{
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, TITLE_SIZE))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(y_label_area)
            .build_cartesian_2d(x, y)?;
        draw(&mut chart)?;
        root.present()?;
    }
    Ok(svg)
}

/// Gives a chart's axes the house style: the axis names, the fonts (tick labels at 16 px, big
/// enough to read when the figure shrinks to a phone's width), tick labels without needless
/// decimals ([`tick`]), and no light grid lines. Add anything particular (other tick
/// formatters, no vertical lines) to the result, then `draw` it.
pub(crate) fn axes<'m, 'a, 'b, 'c, X, Y>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, SVGBackend<'c>>,
    x_desc: &str,
    y_desc: &str,
) -> &'m mut MeshStyle<'a, 'b, X, Y, SVGBackend<'c>>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    mesh.x_desc(x_desc)
        .y_desc(y_desc)
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .label_style((FONT, TICK_SIZE))
        .axis_desc_style((FONT, AXIS_NAME_SIZE))
        .light_line_style(WHITE.mix(0.0))
}

/// A tick label with no needless decimals: `20`, not `20.0`; `0.25`; never `-0`. Plotters'
/// tick values carry rounding (`0.30000000000000004`), so the value is rounded to six
/// significant digits first; tiny values go to exponent form.
pub(crate) fn tick(v: &f64) -> String {
    let v = *v;
    if !v.is_finite() {
        return String::new();
    }
    let a = v.abs();
    if a < 1e-12 {
        return "0".to_string();
    }
    if !(1e-4..1e6).contains(&a) {
        return format!("{v:.0e}");
    }
    let decimals = (5 - a.log10().floor() as i32).max(0) as usize;
    let text = format!("{v:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// The pixel size `(width, height)` of the plotting area of a figure made by [`figure`] with
/// `y_label_area` pixels for the y tick labels (found by drawing an empty one).
pub(crate) fn plot_area(y_label_area: u32) -> Result<(u32, u32)> {
    let mut dim = (1, 1);
    figure("", 0.0..1.0, 0.0..1.0, y_label_area, |chart| {
        dim = chart.plotting_area().dim_in_pixel();
        Ok(())
    })?;
    Ok(dim)
}

/// Draws the legend box of every labelled series at `at`.
pub(crate) fn legend<'a, CT: CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, CT>,
    at: Legend,
) -> Result<()> {
    chart
        .configure_series_labels()
        .position(at.position())
        .label_font((FONT, LEGEND_SIZE))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

/// The legend key of a line: a short thick stroke in its colour.
pub(crate) fn line_key(color: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], color.stroke_width(3))
}

/// The legend key of dots: one filled dot in their colour.
pub(crate) fn dot_key(color: RGBColor) -> impl Fn((i32, i32)) -> Circle<(i32, i32), u32> {
    move |(x, y)| Circle::new((x + 10, y), KEY_DOT_RADIUS, color.filled())
}

/// The legend key of a bar: a small filled box in its colour.
pub(crate) fn bar_key(color: RGBColor) -> impl Fn((i32, i32)) -> Rectangle<(i32, i32)> {
    move |(x, y)| Rectangle::new([(x, y - 6), (x + 16, y + 6)], color.filled())
}

/// Draws `points` (as given: thin long ones first with [`thin`]) as a line in the colour and
/// width of `series`, with a legend entry if the series is labelled. Returns whether it was.
pub(crate) fn line<X, Y>(
    chart: &mut Chart<'_, X, Y>,
    series: &Series<'_>,
    points: &[(f64, f64)],
) -> Result<bool>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let style = series.color.stroke_width(series.width);
    let drawn = chart.draw_series(LineSeries::new(points.iter().copied(), style))?;
    if series.label.is_empty() {
        return Ok(false);
    }
    drawn.label(series.label).legend(line_key(series.color));
    Ok(true)
}

/// Keeps at most [`MAX_POINTS`] of `points`, evenly spaced, always keeping the last one.
pub(crate) fn thin(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if points.len() <= MAX_POINTS {
        return points.to_vec();
    }
    let step = points.len().div_ceil(MAX_POINTS);
    let mut out: Vec<(f64, f64)> = points.iter().copied().step_by(step).collect();
    if let Some(&last) = points.last()
        && out.last() != Some(&last)
    {
        out.push(last);
    }
    out
}

/// The smallest and largest x and y of the finite points, as `(x0, x1, y0, y1)`, or `None`
/// if there is no finite point.
pub(crate) fn bounds<'p>(
    points: impl IntoIterator<Item = &'p (f64, f64)>,
) -> Option<(f64, f64, f64, f64)> {
    let mut b = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for &(x, y) in points {
        if x.is_finite() && y.is_finite() {
            b = (b.0.min(x), b.1.max(x), b.2.min(y), b.3.max(y));
        }
    }
    b.0.is_finite().then_some(b)
}

/// The top of a y axis that starts at 0: the largest finite value of `values` (at least 1e-12,
/// so that an all-zero figure still has a height) times `factor`, which leaves room above the
/// bars for the legend.
pub(crate) fn top(values: impl IntoIterator<Item = f64>, factor: f64) -> f64 {
    values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
        .max(1e-12)
        * factor
}

#[cfg(test)]
mod tests {
    use super::{bounds, tick, top};

    #[test]
    fn ticks_have_no_needless_decimals() {
        let shown: Vec<String> = [
            20.0,
            -5.0,
            0.25,
            0.30000000000000004,
            -1e-17,
            2.5e-7,
            1500.0,
        ]
        .iter()
        .map(tick)
        .collect();
        assert_eq!(shown, ["20", "-5", "0.25", "0.3", "0", "2e-7", "1500"]);
    }

    #[test]
    fn top_ignores_what_is_not_finite_and_never_collapses() {
        assert_eq!(top([0.5, f64::INFINITY, f64::NAN, 0.25], 2.0), 1.0);
        assert_eq!(top([0.0, 0.0], 1.5), 1.5e-12);
        assert_eq!(top([], 1.0), 1e-12);
    }

    #[test]
    fn bounds_skip_points_that_are_not_finite() {
        let points = [
            (1.0, f64::NAN),
            (2.0, -1.0),
            (f64::INFINITY, 5.0),
            (-3.0, 4.0),
        ];
        assert_eq!(bounds(&points), Some((-3.0, 2.0, -1.0, 4.0)));
        assert_eq!(bounds(&[(f64::NAN, 0.0)]), None);
    }
}
