//! # kl-plot — the SVG figures the kl-tutorial chapters share
//!
//! No mathematics here: every function takes numbers that `kl` (or the example) computed and
//! returns the figure as an SVG string. Figures are deterministic to the byte: the same numbers
//! give the same file, so the committed figures can be compared with a fresh render.
//!
//! Built on `plotters` with the SVG backend only (`default-features = false`): text is written
//! as `<text font-family="sans-serif">` and drawn by the viewer, so nothing here needs
//! fontconfig, freetype or any other system library.
//!
//! [`save`] writes a figure where the book expects it: into the directory named by the
//! environment variable `KL_FIGURES`, else into `book/src/figures/` of the workspace.

mod counts;
mod histogram;
mod legend_above;
mod log_axes;
mod log_lines;
mod scatter;

pub use histogram::{BAR_COLOR, density_bins, histogram_with_curves};
pub use scatter::{PointGroup, scatter};

use std::path::PathBuf;

mod legend;
pub use legend::{Legend, lines_with_legend};

use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::{
    BLACK, ChartBuilder, Color, IntoDrawingArea, LineSeries, PathElement, RGBColor, Rectangle,
    SVGBackend, SeriesLabelPosition, WHITE,
};

pub use counts::histogram_with_models;
pub use legend_above::lines_legend_above;
pub use log_axes::log_x_lines;
pub use log_lines::log_lines;

/// What a figure function returns: the SVG text, or what plotters complained about.
pub type Result<T> = std::result::Result<T, Error>;

/// A figure that could not be drawn, with plotters' message.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not draw the figure: {}", self.0)
    }
}

impl std::error::Error for Error {}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for Error {
    fn from(e: DrawingAreaErrorKind<E>) -> Self {
        Error(e.to_string())
    }
}

/// The colour of P in every figure (the blue of the original's plots).
pub const P_COLOR: RGBColor = RGBColor(31, 119, 180);
/// The colour of Q in every figure (the original's `c='red'`).
pub const Q_COLOR: RGBColor = RGBColor(214, 39, 40);
/// Further colours for extra series, in order.
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];

/// Width and height of every figure, in pixels.
pub const SIZE: (u32, u32) = (720, 440);
/// The font of titles and labels (drawn by the viewer).
pub const FONT: &str = "sans-serif";

/// Most points a line keeps; longer series are thinned evenly (a 20 000-point grid drawn as
/// 20 000 SVG vertices makes a heavy file and a picture that looks no different).
const MAX_POINTS: usize = 800;

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

fn thin(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
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

fn bounds(series: &[Series<'_>]) -> (f64, f64, f64, f64) {
    let mut b = (
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    );
    for s in series {
        for &(x, y) in &s.points {
            if x.is_finite() && y.is_finite() {
                b = (b.0.min(x), b.1.max(x), b.2.min(y), b.3.max(y));
            }
        }
    }
    if !b.0.is_finite() {
        return (0.0, 1.0, 0.0, 1.0);
    }
    if b.1 <= b.0 {
        b.1 = b.0 + 1.0;
    }
    if b.3 <= b.2 {
        b.3 = b.2 + 1.0;
    }
    b
}

/// A line chart: every series over a shared pair of axes, with a legend for the labelled ones.
/// The y axis starts at 0 when all values are non-negative, and leaves 8 % headroom.
pub fn lines(title: &str, x_desc: &str, y_desc: &str, series: &[Series<'_>]) -> Result<String> {
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
                .label_font((FONT, 15))
                .background_style(WHITE.mix(0.85))
                .border_style(BLACK)
                .draw()?;
        }
        root.present()?;
    }
    Ok(svg)
}

/// Two densities on one grid, as the original drew them: P in blue, Q in red, and a title such
/// as `KL(P||Q) = 0.500`.
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

/// Two probability vectors as side-by-side bars over named outcomes: P blue on the left of each
/// outcome, Q red on the right.
pub fn bars(
    title: &str,
    outcomes: &[String],
    p: (&str, &[f64]),
    q: (&str, &[f64]),
) -> Result<String> {
    let n = outcomes.len();
    let top =
        p.1.iter()
            .chain(q.1)
            .copied()
            .fold(0.0, f64::max)
            .max(1e-12)
            * 1.15;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, (FONT, 22))
            .margin(16)
            .x_label_area_size(48)
            .y_label_area_size(72)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0.0..top)?;
        let label = |v: &f64| {
            let i = v.round();
            if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < n {
                outcomes[i as usize].clone()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.max(2) * 2 + 1)
            .x_label_formatter(&label)
            .x_desc("outcome")
            .y_desc("probability")
            .label_style((FONT, 14))
            .axis_desc_style((FONT, 16))
            .light_line_style(WHITE.mix(0.0))
            .draw()?;
        for (k, (name, values, color)) in [(p.0, p.1, P_COLOR), (q.0, q.1, Q_COLOR)]
            .into_iter()
            .enumerate()
        {
            let offset = if k == 0 { -0.38 } else { 0.0 };
            chart
                .draw_series(values.iter().enumerate().map(|(i, &v)| {
                    let x = i as f64 + offset;
                    Rectangle::new([(x, 0.0), (x + 0.38, v)], color.filled())
                }))?
                .label(name)
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 6), (x + 16, y + 6)], color.filled())
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .label_font((FONT, 15))
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}

/// The directory figures go to: `$KL_FIGURES` if set, else `book/src/figures/` of the workspace.
pub fn figures_dir() -> PathBuf {
    match std::env::var_os("KL_FIGURES") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../book/src/figures"),
    }
}

/// Writes `svg` as `file_name` into [`figures_dir`] (creating it) and returns the name to print,
/// relative to that directory, so an example's output is the same wherever the figures go.
pub fn save(file_name: &str, svg: &str) -> std::io::Result<String> {
    let dir = figures_dir();
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(file_name), svg)?;
    Ok(file_name.to_string())
}
