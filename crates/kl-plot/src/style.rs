//! The house style of every figure, in one place: the palette (one colour meaning across the
//! book, and one grey), the canvas size, the fonts and their sizes, the headroom above the data
//! and the dot sizes. A change of style is made here once.

use plotters::prelude::RGBColor;

/// One colour meaning across the book: the distribution the data come from, the model fitted
/// or compared to it, and an estimate computed from samples. Every figure takes its colours
/// from here (or from [`PALETTE`] for series that are none of the three).
pub mod palette {
    use plotters::prelude::RGBColor;

    /// The target: P, the truth, the data's distribution (the blue of the original's plots).
    pub const TARGET: RGBColor = RGBColor(31, 119, 180);
    /// The model: Q, a fitted or candidate distribution (the original's `c='red'`).
    pub const MODEL: RGBColor = RGBColor(214, 39, 40);
    /// An estimate from samples (Monte Carlo, k-NN, a histogram's fit).
    pub const ESTIMATE: RGBColor = RGBColor(44, 160, 44);
}

/// The colour of P in every figure: [`palette::TARGET`].
pub const P_COLOR: RGBColor = palette::TARGET;
/// The colour of Q in every figure: [`palette::MODEL`].
pub const Q_COLOR: RGBColor = palette::MODEL;
/// Further colours for series that are neither target, model nor estimate, in order (none of
/// them is a colour of [`palette`], so no colour means two things). The last is a mid grey for
/// guides (a grid's end, a band around a mean), darker than [`BAR_COLOR`].
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(148, 103, 189),
    RGBColor(188, 189, 34),
    RGBColor(255, 127, 14),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
];
/// The one grey of data drawn as bars (a sample's histogram, observed counts), light enough
/// that the curves and dots of the distributions over it stand out.
pub const BAR_COLOR: RGBColor = RGBColor(170, 170, 170);

/// Width and height of every figure, in pixels.
pub const SIZE: (u32, u32) = (720, 440);
/// The font of titles and labels (drawn by the viewer).
pub const FONT: &str = "sans-serif";
/// Font sizes in pixels: the title, the tick labels (big enough to read when the figure
/// shrinks to a phone's width), the axis names and the legend.
pub(crate) const TITLE_SIZE: u32 = 22;
pub(crate) const TICK_SIZE: u32 = 16;
pub(crate) const AXIS_NAME_SIZE: u32 = 17;
pub(crate) const LEGEND_SIZE: u32 = 15;

/// The y axis of a bar chart or a histogram of counts reaches 1.35 × the tallest value: room
/// for the legend above the bars.
pub(crate) const BAR_HEADROOM: f64 = 1.35;
/// The y axis of a density histogram under curves reaches 1.3 × the tallest value.
pub(crate) const HISTOGRAM_HEADROOM: f64 = 1.3;
/// A line chart's default room above the data: 8 % of the axis's height.
pub(crate) const LINE_HEADROOM: f64 = 0.08;

/// Radius in pixels of a scatter plot's dots and of a pmf's dots when there are many counts.
pub(crate) const DOT_RADIUS: u32 = 3;
/// Radius of the dots marking a line chart's points ([`crate::LineChart::dots`]).
pub(crate) const LINE_DOT_RADIUS: u32 = 4;
/// Radius of a dot in a legend key.
pub(crate) const KEY_DOT_RADIUS: u32 = 5;
