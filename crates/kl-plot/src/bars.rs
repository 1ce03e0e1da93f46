//! Two probability vectors as side-by-side bars over named outcomes.

use plotters::prelude::{Color, Rectangle};

use crate::frame::{self, Y_LABEL_AREA};
use crate::style::{BAR_HEADROOM, P_COLOR, Q_COLOR};
use crate::{Legend, Result};

/// Two probability vectors as side-by-side bars over named outcomes: P blue on the left of each
/// outcome, Q red on the right, the legend upper left, 35 % headroom (room for the legend above the tallest bar). `p` and `q` pair a legend
/// label with the probabilities, one per outcome.
///
/// ```
/// let faces: Vec<String> = (1..=6).map(|k| k.to_string()).collect();
/// let fair = [1.0 / 6.0; 6];
/// let loaded = [0.1, 0.1, 0.1, 0.1, 0.1, 0.5];
/// let svg = kl_plot::bars("a fair and a loaded die", &faces, ("fair", &fair), ("loaded", &loaded))?;
/// assert!(svg.contains("loaded"));
/// # Ok::<(), kl_plot::Error>(())
/// ```
pub fn bars(
    title: &str,
    outcomes: &[String],
    p: (&str, &[f64]),
    q: (&str, &[f64]),
) -> Result<String> {
    let n = outcomes.len();
    let top = frame::top(p.1.iter().chain(q.1).copied(), BAR_HEADROOM);
    // Ticks fall at the outcomes and half-way between them; only the outcomes are named.
    let label = |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && i >= 0.0 && (i as usize) < n {
            outcomes[i as usize].clone()
        } else {
            String::new()
        }
    };
    let x = -0.5f64..(n as f64 - 0.5);
    frame::figure(title, x, 0.0..top, Y_LABEL_AREA, |chart| {
        frame::axes(&mut chart.configure_mesh(), "outcome", "probability")
            .disable_x_mesh()
            .x_labels(n.max(2) * 2 + 1)
            .x_label_formatter(&label)
            .draw()?;
        for (offset, (name, values), color) in [(-0.38, p, P_COLOR), (0.0, q, Q_COLOR)] {
            chart
                .draw_series(values.iter().enumerate().map(|(i, &v)| {
                    let x = i as f64 + offset;
                    Rectangle::new([(x, 0.0), (x + 0.38, v)], color.filled())
                }))?
                .label(name)
                .legend(frame::bar_key(color));
        }
        frame::legend(chart, Legend::UpperLeft)
    })
}
