//! # kl-plot — the SVG figures the kl-tutorial chapters share
//!
//! No mathematics here: every function takes numbers that `kl` (or the example) computed and
//! returns the figure as an SVG string. Figures are deterministic to the byte: the same numbers
//! give the same file, so the committed figures can be compared with a fresh render.
//!
//! | figure                                | function                                          |
//! |---------------------------------------|---------------------------------------------------|
//! | two densities, P blue, Q red ([`palette`]) | [`pdf_pair`]                                      |
//! | curves over shared axes               | [`lines()`]                                       |
//! | the same with options                 | [`LineChart`]: legend position, headroom, log x, log y, y fitted to the data, dots |
//! | two probability vectors               | [`bars()`]                                        |
//! | counts with fitted models             | [`histogram_with_models`]                         |
//! | a sample's histogram under curves     | [`histogram_with_curves`] (bins from `kl::histogram::density_bins`) |
//! | groups of points                      | [`scatter()`]                                     |
//!
//! Every figure has the same frame (size, caption, fonts, legend box) and the same style
//! (palette, one grey, font sizes, headroom, dot sizes): the style lives in one module (its
//! public part re-exported here: [`palette`], [`P_COLOR`], [`Q_COLOR`], [`PALETTE`],
//! [`BAR_COLOR`], [`SIZE`], [`FONT`]) and the shared drawing parts in another, so a change of
//! style is made once. Each figure function has a file of its own name.
//!
//! Built on `plotters` with the SVG backend only (`default-features = false`): text is written
//! as `<text font-family="sans-serif">` and drawn by the viewer, so nothing here needs
//! fontconfig, freetype or any other system library.
//!
//! [`save`] writes a figure where the book expects it: into the directory named by the
//! environment variable `KL_FIGURES`, else into `book/src/figures/` of the workspace.

#![warn(missing_docs)]

mod bars;
mod frame;
mod histogram_with_curves;
mod histogram_with_models;
mod lines;
mod scatter;
mod style;

use std::path::PathBuf;

use plotters::drawing::DrawingAreaErrorKind;

pub use bars::bars;
pub use histogram_with_curves::histogram_with_curves;
pub use histogram_with_models::histogram_with_models;
pub use lines::{Legend, LineChart, Series, lines, pdf_pair};
pub use scatter::{PointGroup, scatter};
pub use style::{BAR_COLOR, FONT, P_COLOR, PALETTE, Q_COLOR, SIZE, palette};

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

/// The directory figures go to: `$KL_FIGURES` if set, else `book/src/figures/` of the workspace.
pub fn figures_dir() -> PathBuf {
    match std::env::var_os("KL_FIGURES") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../book/src/figures"),
    }
}

/// Writes `svg` as `file_name` into [`figures_dir`] (creating it) and returns the name to print,
/// relative to that directory, so an example's output is the same wherever the figures go.
///
/// ```no_run
/// let svg = kl_plot::pdf_pair("KL(P||Q) = 0.500", &[0.0, 1.0], &[0.4, 0.2], &[0.2, 0.4])?;
/// println!("figure {}", kl_plot::save("02_normal_pairs_q_n2_2.svg", &svg)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn save(file_name: &str, svg: &str) -> std::io::Result<String> {
    let dir = figures_dir();
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(file_name), svg)?;
    Ok(file_name.to_string())
}
