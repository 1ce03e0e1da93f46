//! The graders: one per exercise, with its points, run in isolation.
//!
//! Each exercise has two kinds of checks:
//!
//! - **public examples** (the `check` function): the inputs the student copy shows, with
//!   references by independent routes. Feedback only, worth 0 points, so pasting the public
//!   answers earns nothing.
//! - **held-out checks** ([`HeldOut`]), which carry all the points: inputs drawn at grading
//!   time from a seed the student copy does not hold ([`fresh_seed`], or `--seed`), and
//!   references computed at run time by an independent route (closed form against quadrature,
//!   a direct sum, Monte Carlo against quadrature, central differences against a hand
//!   gradient, another algorithm), never by the `kl` item the exercise forbids and never by
//!   the student's code. Each named check earns its points when every one of its inputs
//!   passes, and every failed comparison is reported (expected, got, the likely cause).
//!
//! In `grade --submission` the parent draws the inputs and judges; the child process only
//! runs the student's function on the inputs it is given ([`serve_child`], [`parse_child`]).
//! In the student's self-check ([`run`]) both halves run in one process. A `todo!("exercise
//! N.M")` counts as "not attempted", any other panic as a failure with its message, and code
//! that runs past the time limit (a student's endless loop) as a failure, so one exercise never
//! sinks the whole run.

mod ch01;
mod ch02;
mod ch03;
mod ch04;
mod ch05;
mod ch06;
mod ch07;
mod ch08;
mod ch09;
mod ch10;
mod ch11;
mod ch12;
mod ch13;

use std::cell::RefCell;
use std::panic;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// One exercise's grader.
#[derive(Debug, Clone, Copy)]
pub struct Grader {
    /// The exercise id, `"N.M"`.
    pub id: &'static str,
    /// Points for passing every check (the sum of the held-out checks' points).
    pub points: u32,
    /// The public checks on the inputs the student copy shows: feedback, worth 0 points;
    /// `Err` carries every failed comparison (see [`close`]).
    pub check: fn() -> Result<(), String>,
    /// The held-out checks, which carry all the points.
    pub held_out: &'static HeldOut,
}

impl Grader {
    /// The named checks of this exercise: (name, points, hidden). The public examples come
    /// first and are worth nothing; the held-out checks follow with all the points. (Without
    /// held-out checks, as in tests, the public examples carry the points.)
    pub fn checks(&self) -> Vec<(&'static str, u32, bool)> {
        let public = if self.held_out.checks.is_empty() {
            self.points
        } else {
            0
        };
        let mut out = vec![("public examples", public, false)];
        out.extend(self.held_out.checks.iter().map(|&(n, p)| (n, p, true)));
        out
    }
}

/// Numbers in and out of a student's function: a few vectors of `f64`.
pub type Numbers = Vec<Vec<f64>>;

/// One held-out input: the index of the named check it belongs to, and the numbers the child
/// process hands to the student's function.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Index into [`HeldOut::checks`].
    pub check: usize,
    /// The inputs, as [`HeldOut::run`] reads them.
    pub input: Numbers,
}

/// What the student's function gave back on one held-out input.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The outputs, as numbers.
    Values(Numbers),
    /// The function returned an error (its `Debug` text).
    Error(String),
    /// The function is still `todo!()`.
    NotAttempted,
    /// The function panicked (the message).
    Panicked(String),
    /// No answer came back (the process ended or ran out of time): why.
    Missing(String),
}

/// An exercise's held-out checks, split between the two processes of `grade --submission`:
/// the parent (which alone knows the seed) calls [`HeldOut::draw`] and, on what comes back,
/// [`HeldOut::judge`], which computes the reference by an independent route and compares;
/// the child only calls [`HeldOut::run`], which feeds the inputs to the student's function and
/// returns its outputs. Student code therefore never sees the seed or a reference value, and
/// a child that prints forged results earns only what its numbers earn.
#[derive(Debug)]
pub struct HeldOut {
    /// The named checks with their points.
    pub checks: &'static [(&'static str, u32)],
    /// The inputs drawn at grading time (parent side).
    pub draw: fn(&mut Draw) -> Vec<Case>,
    /// The student's function on one input (child side): its outputs, or `Err` with the
    /// `Debug` text of the error it returned.
    pub run: fn(&[Vec<f64>]) -> Result<Numbers, String>,
    /// The reference and the comparison (parent side): `Err` with expected, got and the
    /// likely cause.
    pub judge: fn(&Case, Got<'_>) -> Result<(), String>,
}

/// What came back from the student's function on one input: its outputs, or the `Debug` text
/// of the error it returned.
pub type Got<'a> = Result<&'a [Vec<f64>], &'a str>;

/// The seed's mix for exercise `id`, so each exercise draws its own inputs.
fn salt(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// The held-out inputs of `grader` for `seed`.
pub fn draw_cases(grader: &Grader, seed: u64) -> Vec<Case> {
    (grader.held_out.draw)(&mut Draw::new(seed, salt(grader.id)))
}

/// The numbers as one protocol line: vectors separated by `;`, entries by spaces, each `f64`
/// in Rust's shortest round-trip form (`inf`, `NaN` included), so nothing is lost in transit.
pub fn encode(numbers: &[Vec<f64>]) -> String {
    numbers
        .iter()
        .map(|v| {
            v.iter()
                .map(|x| format!("{x:?}"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// The inverse of [`encode`]; `None` on anything that is not numbers.
pub fn decode(line: &str) -> Option<Numbers> {
    line.split(';')
        .map(|field| field.split_whitespace().map(|t| t.parse().ok()).collect())
        .collect()
}

/// A small seeded generator for held-out inputs (SplitMix64): the inputs depend on the seed
/// alone, so a grade can be reproduced with `--seed`.
#[derive(Debug)]
pub struct Draw(u64);

impl Draw {
    /// A generator for `seed`, mixed with `salt` so each exercise draws its own inputs.
    pub fn new(seed: u64, salt: u64) -> Draw {
        Draw(seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
    /// The next 64 random bits.
    pub fn bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform on `[lo, hi)`.
    pub fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.bits() >> 11) as f64 / (1u64 << 53) as f64)
    }
    /// A draw from N(mean, sd) (Box–Muller).
    pub fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        let u = 1.0 - self.uniform(0.0, 1.0); // in (0, 1]
        let v = self.uniform(0.0, 1.0);
        mean + sd * (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
    /// `1.0` or `−1.0`, each with probability ½.
    pub fn sign(&mut self) -> f64 {
        if self.bits().is_multiple_of(2) {
            1.0
        } else {
            -1.0
        }
    }
    /// Uniform on `lo..=hi`.
    pub fn int(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.bits() % (hi - lo + 1)
    }
    /// A probability vector of length `n`, each entry zero with probability `zeros`.
    pub fn probabilities(&mut self, n: usize, zeros: f64) -> Vec<f64> {
        let mut v: Vec<f64> = (0..n)
            .map(|_| {
                if self.uniform(0.0, 1.0) < zeros {
                    0.0
                } else {
                    self.uniform(0.01, 1.0)
                }
            })
            .collect();
        if v.iter().all(|&x| x == 0.0) {
            v[0] = 1.0;
        }
        let total: f64 = v.iter().sum();
        v.iter_mut().for_each(|x| *x /= total);
        v
    }
}

/// Every grader, in book order (a test checks that they match the exercises one to one).
pub const GRADERS: &[Grader] = &[
    Grader {
        id: "1.1",
        points: 2,
        check: ch01::grade_1_1,
        held_out: &ch01::HELD_OUT_1_1,
    },
    Grader {
        id: "1.2",
        points: 3,
        check: ch01::grade_1_2,
        held_out: &ch01::HELD_OUT_1_2,
    },
    Grader {
        id: "1.3",
        points: 3,
        check: ch01::grade_1_3,
        held_out: &ch01::HELD_OUT_1_3,
    },
    Grader {
        id: "2.1",
        points: 3,
        check: ch02::grade_2_1,
        held_out: &ch02::HELD_OUT_2_1,
    },
    Grader {
        id: "2.2",
        points: 4,
        check: ch02::grade_2_2,
        held_out: &ch02::HELD_OUT_2_2,
    },
    Grader {
        id: "2.3",
        points: 4,
        check: ch02::grade_2_3,
        held_out: &ch02::HELD_OUT_2_3,
    },
    Grader {
        id: "3.1",
        points: 2,
        check: ch03::grade_3_1,
        held_out: &ch03::HELD_OUT_3_1,
    },
    Grader {
        id: "3.2",
        points: 4,
        check: ch03::grade_3_2,
        held_out: &ch03::HELD_OUT_3_2,
    },
    Grader {
        id: "3.3",
        points: 3,
        check: ch03::grade_3_3,
        held_out: &ch03::HELD_OUT_3_3,
    },
    Grader {
        id: "4.1",
        points: 4,
        check: ch04::grade_4_1,
        held_out: &ch04::HELD_OUT_4_1,
    },
    Grader {
        id: "4.2",
        points: 3,
        check: ch04::grade_4_2,
        held_out: &ch04::HELD_OUT_4_2,
    },
    Grader {
        id: "5.1",
        points: 4,
        check: ch05::grade_5_1,
        held_out: &ch05::HELD_OUT_5_1,
    },
    Grader {
        id: "5.2",
        points: 3,
        check: ch05::grade_5_2,
        held_out: &ch05::HELD_OUT_5_2,
    },
    Grader {
        id: "6.1",
        points: 2,
        check: ch06::grade_6_1,
        held_out: &ch06::HELD_OUT_6_1,
    },
    Grader {
        id: "6.2",
        points: 4,
        check: ch06::grade_6_2,
        held_out: &ch06::HELD_OUT_6_2,
    },
    Grader {
        id: "7.1",
        points: 3,
        check: ch07::grade_7_1,
        held_out: &ch07::HELD_OUT_7_1,
    },
    Grader {
        id: "7.2",
        points: 3,
        check: ch07::grade_7_2,
        held_out: &ch07::HELD_OUT_7_2,
    },
    Grader {
        id: "8.1",
        points: 4,
        check: ch08::grade_8_1,
        held_out: &ch08::HELD_OUT_8_1,
    },
    Grader {
        id: "8.2",
        points: 2,
        check: ch08::grade_8_2,
        held_out: &ch08::HELD_OUT_8_2,
    },
    Grader {
        id: "9.1",
        points: 3,
        check: ch09::grade_9_1,
        held_out: &ch09::HELD_OUT_9_1,
    },
    Grader {
        id: "9.2",
        points: 4,
        check: ch09::grade_9_2,
        held_out: &ch09::HELD_OUT_9_2,
    },
    Grader {
        id: "10.1",
        points: 3,
        check: ch10::grade_10_1,
        held_out: &ch10::HELD_OUT_10_1,
    },
    Grader {
        id: "10.2",
        points: 4,
        check: ch10::grade_10_2,
        held_out: &ch10::HELD_OUT_10_2,
    },
    Grader {
        id: "11.1",
        points: 3,
        check: ch11::grade_11_1,
        held_out: &ch11::HELD_OUT_11_1,
    },
    Grader {
        id: "11.2",
        points: 3,
        check: ch11::grade_11_2,
        held_out: &ch11::HELD_OUT_11_2,
    },
    Grader {
        id: "12.1",
        points: 3,
        check: ch12::grade_12_1,
        held_out: &ch12::HELD_OUT_12_1,
    },
    Grader {
        id: "12.2",
        points: 3,
        check: ch12::grade_12_2,
        held_out: &ch12::HELD_OUT_12_2,
    },
    Grader {
        id: "13.1",
        points: 4,
        check: ch13::grade_13_1,
        held_out: &ch13::HELD_OUT_13_1,
    },
    Grader {
        id: "13.2",
        points: 3,
        check: ch13::grade_13_2,
        held_out: &ch13::HELD_OUT_13_2,
    },
];

/// How long one check may run before it counts as failed.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// How a check or an exercise ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Every check passed: full points.
    Passed,
    /// The exercise is still `todo!()`: zero points.
    NotAttempted,
    /// A check failed, the code panicked, ran too long, broke a rule or did not compile: zero
    /// points, with the message.
    Failed(String),
}

/// One named check's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckOutcome {
    /// The check's name, e.g. `"held-out inputs"`.
    pub name: &'static str,
    /// Points earned.
    pub earned: u32,
    /// Points possible.
    pub possible: u32,
    /// Whether the student sees it only after the grades are published (held-out inputs).
    pub hidden: bool,
    /// How it ended.
    pub status: Status,
}

/// One row of the grade table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The exercise id.
    pub id: &'static str,
    /// Points earned.
    pub earned: u32,
    /// Points possible.
    pub possible: u32,
    /// How it ended: passed only if every check passed.
    pub status: Status,
    /// Every check, failed or not.
    pub checks: Vec<CheckOutcome>,
}

impl Outcome {
    /// The message shown in the table and the JSON: empty when passed.
    pub fn message(&self) -> String {
        match &self.status {
            Status::Passed => String::new(),
            Status::NotAttempted => "not attempted".into(),
            Status::Failed(m) => m.clone(),
        }
    }

    /// Every check of `grader` scored 0 for one reason (it did not compile, broke a rule, its
    /// process died or ran too long).
    pub fn failed(grader: &Grader, message: &str) -> Outcome {
        let checks = grader
            .checks()
            .into_iter()
            .map(|(name, points, hidden)| (name, points, hidden, Status::Failed(message.into())))
            .collect();
        Outcome::from_checks(grader, checks)
    }

    /// The outcome of `grader` from its checks' statuses, in the order of [`Grader::checks`].
    pub fn from_checks(grader: &Grader, checks: Vec<(&'static str, u32, bool, Status)>) -> Outcome {
        let checks: Vec<CheckOutcome> = checks
            .into_iter()
            .map(|(name, possible, hidden, status)| CheckOutcome {
                name,
                earned: if status == Status::Passed {
                    possible
                } else {
                    0
                },
                possible,
                hidden,
                status,
            })
            .collect();
        let status = if checks.iter().all(|c| c.status == Status::Passed) {
            Status::Passed
        } else if checks.iter().any(|c| c.status == Status::NotAttempted) {
            Status::NotAttempted
        } else {
            let mut seen: Vec<String> = Vec::new();
            for c in &checks {
                if let Status::Failed(m) = &c.status {
                    let line = format!("{}: {m}", c.name);
                    if !seen.iter().any(|s| s.ends_with(m.as_str())) {
                        seen.push(line);
                    }
                }
            }
            Status::Failed(seen.join("; "))
        };
        Outcome {
            id: grader.id,
            earned: checks.iter().map(|c| c.earned).sum(),
            possible: grader.points,
            status,
            checks,
        }
    }
}

/// The text a panic carried, if it was a string.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panicked with a non-text payload".into()
    }
}

/// A panic's text as a status: `todo!("exercise ID")` is "not attempted", anything else a
/// failure with its message.
fn panic_status(id: &str, payload: &(dyn std::any::Any + Send)) -> Status {
    let text = panic_text(payload);
    if text == format!("not yet implemented: exercise {id}") {
        Status::NotAttempted
    } else {
        Status::Failed(format!("panicked: {text}"))
    }
}

/// Runs `check` on its own thread, catching panics, and classifies the result.
fn run_check(
    id: &str,
    check: impl FnOnce() -> Result<(), String> + Send + 'static,
    limit: Duration,
) -> Status {
    let (tx, rx) = mpsc::channel();
    // The thread is detached: if it overruns, the process ends it on exit.
    thread::spawn(move || {
        let result = panic::catch_unwind(panic::AssertUnwindSafe(|| collecting(check)));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(Ok(()))) => Status::Passed,
        Ok(Ok(Err(message))) => Status::Failed(message),
        Ok(Err(payload)) => panic_status(id, payload.as_ref()),
        Err(_) => Status::Failed(too_long(limit)),
    }
}

fn too_long(limit: Duration) -> String {
    format!(
        "still running after {} s (an endless loop?)",
        limit.as_secs_f64()
    )
}

/// The student's function of `grader` on every input, in order, on one thread of its own;
/// all of them within `limit` together. What has not come back by then is
/// [`Answer::Missing`]. This is all a child process does with the held-out inputs.
pub fn answer_cases(grader: &Grader, inputs: Vec<Numbers>, limit: Duration) -> Vec<Answer> {
    let n = inputs.len();
    let run = grader.held_out.run;
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for input in inputs {
            let result = panic::catch_unwind(panic::AssertUnwindSafe(|| run(&input)));
            if tx.send(result).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + limit;
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        out.push(match rx.recv_timeout(left) {
            Ok(Ok(Ok(values))) => Answer::Values(values),
            Ok(Ok(Err(error))) => Answer::Error(error),
            Ok(Err(payload)) => match panic_status(grader.id, payload.as_ref()) {
                Status::NotAttempted => Answer::NotAttempted,
                Status::Failed(m) => Answer::Panicked(m),
                Status::Passed => Answer::Panicked(String::new()),
            },
            Err(_) => break,
        });
    }
    while out.len() < n {
        out.push(Answer::Missing(too_long(limit)));
    }
    out
}

/// How many failed comparisons one check lists before it says "and N more".
const LISTED: usize = 6;

/// The outcome of `grader` from the public checks' status and the answers to the held-out
/// `cases`, judged here (the parent): each named check earns its points when every one of its
/// cases passes, and every failed case is reported with expected, got and the likely cause.
pub fn judge(grader: &Grader, public: Status, cases: &[Case], answers: &[Answer]) -> Outcome {
    let ho = grader.held_out;
    let k = ho.checks.len();
    let (mut failures, mut todo, mut count) = (vec![Vec::new(); k], vec![0; k], vec![0; k]);
    for (i, case) in cases.iter().enumerate() {
        let c = case.check.min(k.saturating_sub(1));
        count[c] += 1;
        let missing = Answer::Missing("no answer".into());
        let verdict = match answers.get(i).unwrap_or(&missing) {
            Answer::Values(v) => (ho.judge)(case, Ok(v)),
            Answer::Error(e) => (ho.judge)(case, Err(e)),
            Answer::NotAttempted => {
                todo[c] += 1;
                Err("still todo!() on this input".into())
            }
            Answer::Panicked(m) => Err(format!("panicked: {m}")),
            Answer::Missing(m) => Err(m.clone()),
        };
        if let Err(m) = verdict {
            failures[c].push(format!("input {}: {m}", i + 1));
        }
    }
    let mut statuses = vec![public];
    for c in 0..k {
        statuses.push(if count[c] > 0 && todo[c] == count[c] {
            Status::NotAttempted
        } else if failures[c].is_empty() {
            Status::Passed
        } else {
            let total = failures[c].len();
            let mut text = format!("{total} of {} inputs failed: ", count[c]);
            text.push_str(&failures[c][..total.min(LISTED)].join(" | "));
            if total > LISTED {
                text.push_str(&format!(" | and {} more", total - LISTED));
            }
            Status::Failed(text)
        });
    }
    let checks = grader
        .checks()
        .into_iter()
        .zip(statuses)
        .map(|((name, points, hidden), status)| (name, points, hidden, status))
        .collect();
    Outcome::from_checks(grader, checks)
}

/// Runs one grader's checks in this process (the student's self-check), held-out inputs drawn
/// from `seed`.
pub fn run_one(grader: &Grader, seed: u64) -> Outcome {
    run_with_limit(grader, seed, TIME_LIMIT)
}

/// [`run_one`] with a time limit per check of your choice.
fn run_with_limit(grader: &Grader, seed: u64, limit: Duration) -> Outcome {
    let public = run_check(grader.id, grader.check, limit);
    let cases = draw_cases(grader, seed);
    let answers = if public == Status::NotAttempted {
        // A fresh copy whose public checks are todo!() is not attempted: skip the rest.
        vec![Answer::NotAttempted; cases.len()]
    } else {
        answer_cases(
            grader,
            cases.iter().map(|c| c.input.clone()).collect(),
            limit,
        )
    };
    judge(grader, public, &cases, &answers)
}

/// Runs every grader in `graders` with a silent panic hook (the messages go into the table,
/// not onto stderr), restoring the previous hook afterwards.
pub fn run(graders: &[Grader], seed: u64) -> Vec<Outcome> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcomes = graders.iter().map(|g| run_one(g, seed)).collect();
    panic::set_hook(previous);
    outcomes
}

/// A seed no one can know in advance: the standard library's per-process random hash keys.
pub fn fresh_seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos()),
    );
    h.finish()
}

/// The grader with exercise id `id`.
pub fn grader(id: &str) -> Option<&'static Grader> {
    GRADERS.iter().find(|g| g.id == id)
}

/// Escapes tabs, newlines and backslashes so a message fits on one protocol line.
fn escape_line(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
}

fn unescape_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The child's side of `grade --submission`. Reads, before any student code runs, the line
/// `NONCE ID COUNT` and then COUNT lines of held-out inputs (see [`encode`]) from stdin; runs
/// the public checks and prints `NONCE<TAB>public<TAB>passed|todo|failed<TAB>MESSAGE`; then
/// feeds each input to the student's function and prints
/// `NONCE<TAB>case<TAB>I<TAB>ok|err|todo|panic|missing<TAB>OUTPUTS or MESSAGE`. It knows no seed
/// and computes no reference: the parent judges the outputs and assigns the points itself.
pub fn serve_child(limit: Duration) -> Result<(), String> {
    use std::io::{BufRead, Write};
    let mut lines = std::io::stdin().lock().lines();
    let mut next = || lines.next().and_then(Result::ok).unwrap_or_default();
    let header = next();
    let mut parts = header.split_whitespace();
    let (Some(nonce), Some(id), Some(Ok(count))) = (
        parts.next(),
        parts.next(),
        parts.next().map(str::parse::<usize>),
    ) else {
        return Err("expected `NONCE ID COUNT` on stdin".into());
    };
    let grader = grader(id).ok_or_else(|| format!("no exercise {id}"))?;
    let inputs: Vec<Numbers> = (0..count)
        .map(|_| decode(&next()).ok_or("bad input line"))
        .collect::<Result<_, _>>()?;
    let nonce = nonce.to_string();
    panic::set_hook(Box::new(|_| {}));
    let public = run_check(grader.id, grader.check, limit);
    let answers = if public == Status::NotAttempted {
        vec![Answer::NotAttempted; inputs.len()]
    } else {
        answer_cases(grader, inputs, limit)
    };
    let (word, message) = match &public {
        Status::Passed => ("passed", String::new()),
        Status::NotAttempted => ("todo", String::new()),
        Status::Failed(m) => ("failed", m.clone()),
    };
    let mut out = format!("{nonce}\tpublic\t{word}\t{}\n", escape_line(&message));
    for (i, answer) in answers.iter().enumerate() {
        let (tag, payload) = match answer {
            Answer::Values(v) => ("ok", encode(v)),
            Answer::Error(e) => ("err", escape_line(e)),
            Answer::NotAttempted => ("todo", String::new()),
            Answer::Panicked(m) => ("panic", escape_line(m)),
            Answer::Missing(m) => ("missing", escape_line(m)),
        };
        out.push_str(&format!("{nonce}\tcase\t{i}\t{tag}\t{payload}\n"));
    }
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| e.to_string())
}

/// The parent's reading of a child's stdout for `grader` on the held-out `cases`: only lines
/// that carry `nonce` count, the first report of each item wins, and an item never reported
/// fails with `missing`. The outputs are then judged here, in the parent.
pub fn parse_child(
    grader: &Grader,
    cases: &[Case],
    nonce: &str,
    stdout: &str,
    missing: &str,
) -> Outcome {
    let mut public: Option<Status> = None;
    let mut answers: Vec<Option<Answer>> = vec![None; cases.len()];
    for line in stdout.lines() {
        let mut f = line.split('\t');
        if f.next() != Some(nonce) {
            continue;
        }
        match f.next() {
            Some("public") if public.is_none() => {
                let (word, msg) = (f.next().unwrap_or(""), f.next().unwrap_or(""));
                public = Some(match word {
                    "passed" => Status::Passed,
                    "todo" => Status::NotAttempted,
                    _ => Status::Failed(unescape_line(msg)),
                });
            }
            Some("case") => {
                let (Some(Ok(i)), Some(tag), payload) = (
                    f.next().map(str::parse::<usize>),
                    f.next(),
                    f.next().unwrap_or(""),
                ) else {
                    continue;
                };
                let answer = match tag {
                    "ok" => match decode(payload) {
                        Some(v) => Answer::Values(v),
                        None => Answer::Missing(format!("unreadable outputs `{payload}`")),
                    },
                    "err" => Answer::Error(unescape_line(payload)),
                    "todo" => Answer::NotAttempted,
                    "panic" => Answer::Panicked(unescape_line(payload)),
                    _ => Answer::Missing(unescape_line(payload)),
                };
                if let Some(slot) = answers.get_mut(i)
                    && slot.is_none()
                {
                    *slot = Some(answer);
                }
            }
            _ => {}
        }
    }
    let public = public.unwrap_or_else(|| Status::Failed(missing.into()));
    let answers: Vec<Answer> = answers
        .into_iter()
        .map(|a| a.unwrap_or_else(|| Answer::Missing(missing.into())))
        .collect();
    judge(grader, public, cases, &answers)
}

/// The grade table as text: exercise, points earned, points possible, and every failed check.
pub fn table(outcomes: &[Outcome]) -> String {
    let mut out = format!(
        "{:<10}{:>8}{:>10}  {}\n",
        "exercise", "points", "possible", "failures"
    );
    for o in outcomes {
        let first = match o.status {
            Status::Failed(_) => String::new(),
            _ => o.message(),
        };
        out.push_str(&format!(
            "{:<10}{:>8}{:>10}  {first}\n",
            o.id, o.earned, o.possible
        ));
        if matches!(o.status, Status::Failed(_)) {
            for c in &o.checks {
                if let Status::Failed(m) = &c.status {
                    out.push_str(&format!(
                        "{:<28}  {} ({}/{}): {m}\n",
                        "", c.name, c.earned, c.possible
                    ));
                }
            }
        }
    }
    let earned: u32 = outcomes.iter().map(|o| o.earned).sum();
    let possible: u32 = outcomes.iter().map(|o| o.possible).sum();
    out.push_str(&format!("{:<10}{:>8}{:>10}\n", "total", earned, possible));
    out
}

/// A JSON string literal for `s`.
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn status_word(status: &Status) -> &'static str {
    match status {
        Status::Passed => "passed",
        Status::NotAttempted => "not attempted",
        Status::Failed(_) => "failed",
    }
}

/// The grade table as JSON for a gradebook:
/// `{"total": {"earned", "possible"}, "exercises": [{"id", "earned", "possible", "status",
/// "message", "checks": [{"name", "earned", "possible", "hidden", "status", "message"}]}]}` with
/// `status` one of `"passed"`, `"not attempted"`, `"failed"`.
pub fn json(outcomes: &[Outcome]) -> String {
    let earned: u32 = outcomes.iter().map(|o| o.earned).sum();
    let possible: u32 = outcomes.iter().map(|o| o.possible).sum();
    let rows: Vec<String> = outcomes
        .iter()
        .map(|o| {
            let checks: Vec<String> = o
                .checks
                .iter()
                .map(|c| {
                    let message = match &c.status {
                        Status::Failed(m) => m.clone(),
                        other => status_word(other).into(),
                    };
                    format!(
                        "{{\"name\": {}, \"earned\": {}, \"possible\": {}, \"hidden\": {}, \"status\": {}, \"message\": {}}}",
                        json_string(c.name),
                        c.earned,
                        c.possible,
                        c.hidden,
                        json_string(status_word(&c.status)),
                        json_string(&message)
                    )
                })
                .collect();
            format!(
                "    {{\"id\": {}, \"earned\": {}, \"possible\": {}, \"status\": {}, \"message\": {}, \"checks\": [{}]}}",
                json_string(o.id),
                o.earned,
                o.possible,
                json_string(status_word(&o.status)),
                json_string(&o.message()),
                checks.join(", ")
            )
        })
        .collect();
    format!(
        "{{\n  \"total\": {{\"earned\": {earned}, \"possible\": {possible}}},\n  \"exercises\": [\n{}\n  ]\n}}\n",
        rows.join(",\n")
    )
}

/// Gradescope's `results.json`: top-level `score`, `execution_time` (seconds), `output`, and
/// one entry of `tests` per named check with `name`, `number`, `score`, `max_score`, `status`
/// (`"passed"`/`"failed"`), `output` and `visibility` (`"visible"`, or `"after_published"` for
/// the held-out checks).
pub fn gradescope(outcomes: &[Outcome], execution_time: f64, output: &str) -> String {
    let earned: u32 = outcomes.iter().map(|o| o.earned).sum();
    let mut tests = Vec::new();
    for o in outcomes {
        for (i, c) in o.checks.iter().enumerate() {
            let text = match &c.status {
                Status::Passed => "passed".to_string(),
                Status::NotAttempted => "not attempted".to_string(),
                Status::Failed(m) => m.clone(),
            };
            tests.push(format!(
                "    {{\"name\": {}, \"number\": {}, \"score\": {}, \"max_score\": {}, \"status\": {}, \"output\": {}, \"visibility\": {}}}",
                json_string(&format!("Exercise {} — {}", o.id, c.name)),
                json_string(&format!("{}.{}", o.id, i + 1)),
                c.earned,
                c.possible,
                json_string(if c.status == Status::Passed { "passed" } else { "failed" }),
                json_string(&text),
                json_string(if c.hidden { "after_published" } else { "visible" })
            ));
        }
    }
    format!(
        "{{\n  \"score\": {earned},\n  \"execution_time\": {},\n  \"output\": {},\n  \"visibility\": \"visible\",\n  \"stdout_visibility\": \"hidden\",\n  \"tests\": [\n{}\n  ]\n}}\n",
        execution_time.round().max(0.0) as u64,
        json_string(output),
        tests.join(",\n")
    )
}

/// `Ok` if `got` is within `tol` of `want` (absolute), else a message naming `what`.
pub(crate) fn close(what: &str, got: f64, want: f64, tol: f64) -> Result<(), String> {
    if (got - want).abs() <= tol || (got == want) {
        Ok(())
    } else {
        failed(format!(
            "{what}: got {got}, expected {want} (within {tol:e})"
        ))
    }
}

/// `Ok` if `cond`, else `Err(message)`.
pub(crate) fn ensure(cond: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if cond { Ok(()) } else { failed(message()) }
}

thread_local! {
    /// While a public check runs on this thread ([`run_check`]): the comparisons that failed
    /// so far. [`close`] and [`ensure`] record a failure here and let the check go on, so the
    /// student sees every failed comparison, not only the first; elsewhere (the held-out
    /// judges) they return it as an `Err`.
    static COLLECTED: RefCell<Option<Vec<String>>> = const { RefCell::new(None) };
}

/// A failed comparison: recorded while a public check collects them, else an `Err`.
fn failed(message: String) -> Result<(), String> {
    COLLECTED.with(|c| match c.borrow_mut().as_mut() {
        Some(list) => {
            list.push(message);
            Ok(())
        }
        None => Err(message),
    })
}

/// Runs a public check collecting every failed comparison: `Err` with all of them (then the
/// check's own early `Err`, if it ended with one), separated by ` | ` as the held-out checks
/// list their failed inputs, the first six and then how many more.
fn collecting(check: impl FnOnce() -> Result<(), String>) -> Result<(), String> {
    COLLECTED.with(|c| *c.borrow_mut() = Some(Vec::new()));
    let result = check();
    let mut failures = COLLECTED
        .with(|c| c.borrow_mut().take())
        .unwrap_or_default();
    if let Err(message) = result {
        failures.push(message);
    }
    if failures.is_empty() {
        return Ok(());
    }
    let more = failures.len().saturating_sub(6);
    failures.truncate(6);
    if more > 0 {
        failures.push(format!("and {more} more"));
    }
    Err(failures.join(" | "))
}

/// A `kl` error as the child reports it: its `Debug` text, which names the variant.
pub(crate) fn err_text(e: kl::Error) -> String {
    format!("{e:?}")
}

/// `−Σ pᵢ ln pᵢ` written out here, `0 · ln 0 = 0`.
pub(crate) fn entropy_by_hand(p: &[f64]) -> f64 {
    -p.iter()
        .filter(|&&x| x > 0.0)
        .map(|x| x * x.ln())
        .sum::<f64>()
}

/// The mean of `terms` and its standard error `s/√n` (`s²` with divisor `n − 1`).
pub(crate) fn mean_and_standard_error(terms: &[f64]) -> (f64, f64) {
    let n = terms.len() as f64;
    let mean = terms.iter().sum::<f64>() / n;
    let var = terms.iter().map(|t| (t - mean) * (t - mean)).sum::<f64>() / (n - 1.0);
    (mean, (var / n).sqrt())
}

/// `(Σ vᵢ wᵢ, Σ (vᵢ − mean)² wᵢ)`: the mean and variance of `values` under quadrature weights
/// `weights` (a density times the step, summing to 1).
pub(crate) fn weighted_moments(values: &[f64], weights: &[f64]) -> (f64, f64) {
    let mean: f64 = values.iter().zip(weights).map(|(v, w)| v * w).sum();
    let var = values
        .iter()
        .zip(weights)
        .map(|(v, w)| (v - mean) * (v - mean) * w)
        .sum();
    (mean, var)
}

/// `KL(N(mp, sp) ‖ N(mq, sq))` written out by hand here:
/// `ln(sq/sp) + (sp² + (mp − mq)²)/(2sq²) − ½`.
pub(crate) fn normal_kl_by_hand(mp: f64, sp: f64, mq: f64, sq: f64) -> f64 {
    (sq / sp).ln() + (sp * sp + (mp - mq) * (mp - mq)) / (2.0 * sq * sq) - 0.5
}

/// Inputs for a grid rule over two normals: `[mp, sp, mq, sq, lo, hi, step]` where the range
/// is `span` of P's standard deviations either side and the step `sp/per_sd` (a count of
/// pieces instead when `count`). With `narrow_q`, Q is 3 to 5 times narrower than P, so over a
/// wide range its density underflows to 0 where P's does not: only log densities survive.
pub(crate) fn normal_grid_input(d: &mut Draw, span: f64, narrow_q: bool, count: bool) -> Numbers {
    let (mp, sp) = (d.uniform(-3.0, 3.0), d.uniform(0.5, 3.0));
    let (mq, sq) = if narrow_q {
        (mp + d.uniform(-0.5, 0.5) * sp, sp / d.uniform(3.0, 5.0))
    } else {
        (d.uniform(-3.0, 3.0), d.uniform(0.5, 3.0))
    };
    let (lo, hi) = (mp - span * sp, mp + span * sp);
    let step = if count {
        (span * 100.0).round()
    } else {
        sp / 50.0
    };
    vec![vec![mp, sp, mq, sq, lo, hi, step]]
}

/// Every failed comparison of one held-out input, collected rather than stopping at the first.
#[derive(Default)]
pub(crate) struct Fails(Vec<String>);

impl Fails {
    /// Keeps the message of a failed comparison.
    pub(crate) fn add(&mut self, r: Result<(), String>) {
        if let Err(m) = r {
            self.0.push(m);
        }
    }
    /// `Ok` if nothing failed, else every failure.
    pub(crate) fn done(self) -> Result<(), String> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0.join("; "))
        }
    }
}

/// `Ok` if `got` is within `tol` of `want` (or is the same infinity), else expected, got and
/// the likely `cause`.
pub(crate) fn compare(
    what: &str,
    got: f64,
    want: f64,
    tol: f64,
    cause: &str,
) -> Result<(), String> {
    if got == want || (got - want).abs() <= tol {
        Ok(())
    } else {
        Err(format!(
            "{what}: expected {want}, got {got} (tolerance {tol:.0e}); likely cause: {cause}"
        ))
    }
}

/// The student's outputs, which must be `n` vectors (`lens[i]` entries each, if given).
pub(crate) fn outputs<'a>(got: Got<'a>, lens: &[usize]) -> Result<&'a [Vec<f64>], String> {
    match got {
        Err(e) => Err(format!(
            "returned the error {e} where a value was expected; likely cause: a check that \
             rejects valid input"
        )),
        Ok(v) if v.len() != lens.len() || v.iter().zip(lens).any(|(x, &n)| x.len() != n) => {
            Err(format!("outputs of the wrong shape: {v:?}"))
        }
        Ok(v) => Ok(v),
    }
}

/// `Ok` if the student's function returned an error whose `Debug` text starts with `want`.
pub(crate) fn expect_error(what: &str, got: Got<'_>, want: &str) -> Result<(), String> {
    match got {
        Err(e) if e.starts_with(want) => Ok(()),
        Err(e) => Err(format!("{what}: expected the error {want}.., got {e}")),
        Ok(v) => Err(format!(
            "{what}: expected the error {want}.., got the value {v:?}; likely cause: a missing \
             input check"
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{
        Answer, Case, Draw, GRADERS, Got, Grader, HeldOut, Numbers, Outcome, Status, decode,
        draw_cases, encode, gradescope, json, json_string, judge, parse_child, run, run_with_limit,
        table,
    };

    /// A public check reports every failed comparison, in order, and then its early `Err`;
    /// outside a public check, `close` returns the failure at once (the held-out judges).
    #[test]
    fn public_checks_report_every_failed_comparison() {
        let check = || -> Result<(), String> {
            super::close("first", 1.0, 2.0, 1e-12)?;
            super::close("passes", 3.0, 3.0, 1e-12)?;
            super::ensure(false, || "second".to_string())?;
            Err("stopped early".to_string())
        };
        match super::run_check("0.0", check, Duration::from_secs(5)) {
            Status::Failed(message) => {
                let lines: Vec<&str> = message.split(" | ").collect();
                assert_eq!(lines.len(), 3, "{message}");
                assert!(
                    lines[0].starts_with("first: got 1, expected 2"),
                    "{message}"
                );
                assert_eq!(lines[1], "second");
                assert_eq!(lines[2], "stopped early");
            }
            other => panic!("expected a failure, got {other:?}"),
        }
        assert!(super::close("outside", 1.0, 2.0, 1e-12).is_err());
    }

    fn no_cases(_: &mut Draw) -> Vec<Case> {
        Vec::new()
    }
    fn no_run(_: &[Vec<f64>]) -> Result<Numbers, String> {
        Ok(Vec::new())
    }
    fn no_judge(_: &Case, _: Got<'_>) -> Result<(), String> {
        Ok(())
    }
    /// Test graders with no held-out checks: the public checks carry their points.
    static NONE: HeldOut = HeldOut {
        checks: &[],
        draw: no_cases,
        run: no_run,
        judge: no_judge,
    };

    fn passes() -> Result<(), String> {
        Ok(())
    }
    fn fails() -> Result<(), String> {
        Err("KL(P||Q): got 1, expected 2".into())
    }
    fn todo_9_1() -> Result<(), String> {
        todo!("exercise 9.1")
    }
    fn todo_other() -> Result<(), String> {
        todo!("exercise 9.9")
    }
    fn index_panic() -> Result<(), String> {
        let v: Vec<f64> = Vec::new();
        let i = v.len() + 3;
        Err(format!("{}", v[i]))
    }

    #[test]
    fn each_way_of_ending_is_classified_and_none_crashes_the_run() {
        let graders = [
            Grader {
                id: "9.1",
                points: 2,
                check: passes,
                held_out: &NONE,
            },
            Grader {
                id: "9.1",
                points: 3,
                check: fails,
                held_out: &NONE,
            },
            Grader {
                id: "9.1",
                points: 4,
                check: todo_9_1,
                held_out: &NONE,
            },
            Grader {
                id: "9.1",
                points: 5,
                check: todo_other,
                held_out: &NONE,
            },
            Grader {
                id: "9.1",
                points: 6,
                check: index_panic,
                held_out: &NONE,
            },
        ];
        let out = run(&graders, 0);
        assert_eq!(out[0].status, Status::Passed);
        assert_eq!(out[0].earned, 2);
        assert_eq!(
            out[1].status,
            Status::Failed("public examples: KL(P||Q): got 1, expected 2".into())
        );
        assert_eq!(out[2].status, Status::NotAttempted);
        assert_eq!(out[2].message(), "not attempted");
        // A todo! naming another exercise is a failure of this one, not "not attempted".
        assert!(matches!(&out[3].status, Status::Failed(m) if m.contains("exercise 9.9")));
        assert!(
            matches!(&out[4].status, Status::Failed(m) if m.starts_with("public examples: panicked: index out of bounds"))
        );
        assert_eq!(out.iter().map(|o| o.earned).sum::<u32>(), 2);
        assert_eq!(out.iter().map(|o| o.possible).sum::<u32>(), 20);
    }

    fn sleeps() -> Result<(), String> {
        std::thread::sleep(Duration::from_secs(5));
        Ok(())
    }

    #[test]
    fn a_grader_that_runs_too_long_fails_without_holding_up_the_run() {
        let slow = Grader {
            id: "9.2",
            points: 1,
            check: sleeps,
            held_out: &NONE,
        };
        let out = run_with_limit(&slow, 0, Duration::from_millis(50));
        assert_eq!(out.earned, 0);
        assert!(
            matches!(&out.status, Status::Failed(m) if m.contains("still running after 0.05 s"))
        );
    }

    /// The graders' honesty on the reference solutions, in this process: full marks. (A
    /// student copy has no solution regions and checks nothing here; CI proves the other
    /// promises with `grade --submission … --expect none|only:…`.)
    #[test]
    fn graders_give_full_marks_to_the_reference_solutions() {
        let has_solutions = crate::CHAPTERS.iter().any(|c| {
            !crate::strip::regions(c.source)
                .unwrap_or_default()
                .is_empty()
        });
        if !has_solutions {
            return;
        }
        let wrong: Vec<String> = run(super::GRADERS, super::fresh_seed())
            .into_iter()
            .filter(|o| o.status != Status::Passed)
            .map(|o| format!("{}: {}", o.id, o.message()))
            .collect();
        assert!(wrong.is_empty(), "not passed:\n{}", wrong.join("\n"));
    }

    /// Only lines carrying the nonce count, the first report of each item wins, an item never
    /// reported scores 0, and a forged "passed" earns nothing: the parent judges the numbers.
    #[test]
    fn the_parent_trusts_only_numbers_it_judges_itself() {
        let g = super::grader("1.1").expect("1.1");
        let cases = draw_cases(g, 7);
        let n = cases.len();
        // A child that claims every check passed and prints "passed" for every case.
        let mut forged = String::from("abc\tpublic\tpassed\t\n");
        for i in 0..n {
            forged.push_str(&format!("abc\tcase\t{i}\tpassed\t\n"));
            forged.push_str(&format!("xyz\tcase\t{i}\tok\t0.1\n"));
        }
        let o = parse_child(g, &cases, "abc", &forged, "never reported");
        assert_eq!(o.earned, 0, "{o:?}");
        // Honest numbers, from the reference solution, in the parent's own format.
        let mut honest = String::from("abc\tpublic\tpassed\t\n");
        for (i, c) in cases.iter().enumerate() {
            let out = (g.held_out.run)(&c.input);
            let line = match out {
                Ok(v) => format!("abc\tcase\t{i}\tok\t{}\n", encode(&v)),
                Err(e) => format!("abc\tcase\t{i}\terr\t{e}\n"),
            };
            honest.push_str(&line);
            // A second report of the same case is ignored.
            honest.push_str(&format!("abc\tcase\t{i}\tok\t0.25\n"));
        }
        let o = parse_child(g, &cases, "abc", &honest, "x");
        assert_eq!((o.earned, &o.status), (g.points, &Status::Passed), "{o:?}");
        // Cases never reported fail with the reason given.
        let cut: String = honest.lines().take(3).map(|l| format!("{l}\n")).collect();
        let o = parse_child(g, &cases, "abc", &cut, "never reported");
        assert_eq!(o.earned, 0);
        assert!(o.message().contains("never reported"), "{}", o.message());
        let results = gradescope(&[parse_child(g, &cases, "abc", &honest, "x")], 1.4, "table");
        for key in [
            "\"score\": 2",
            "\"execution_time\": 1",
            "\"max_score\": 1",
            "\"visibility\": \"after_published\"",
            "\"number\": \"1.1.3\"",
            "\"status\": \"passed\"",
        ] {
            assert!(results.contains(key), "{key} in {results}");
        }
    }

    #[test]
    fn numbers_survive_the_protocol_line_exactly() {
        let v = vec![
            vec![
                0.1,
                -0.0,
                1e-310,
                f64::INFINITY,
                f64::NEG_INFINITY,
                1.0 / 3.0,
            ],
            Vec::new(),
            vec![2.0],
        ];
        let back = decode(&encode(&v)).expect("decodes");
        assert_eq!(back.len(), 3);
        for (a, b) in v.iter().zip(&back) {
            assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(b) {
                assert_eq!(x.to_bits(), y.to_bits());
            }
        }
        assert!(decode(&encode(&[vec![f64::NAN]])).expect("NaN")[0][0].is_nan());
        assert_eq!(decode("1 x;2"), None);
    }

    /// Every exercise has held-out checks carrying all its points, and each of them fails
    /// wrong numbers: the reference solution's outputs moved by 10% (+0.5), an infinity made
    /// finite and an expected error replaced by a value all fail every check.
    #[test]
    fn held_out_checks_carry_the_points_and_reject_wrong_numbers() {
        let has_solutions = crate::CHAPTERS.iter().any(|c| {
            !crate::strip::regions(c.source)
                .unwrap_or_default()
                .is_empty()
        });
        for g in GRADERS {
            let sum: u32 = g.held_out.checks.iter().map(|c| c.1).sum();
            assert_eq!(sum, g.points, "{}: held-out points", g.id);
            assert!(!g.held_out.checks.is_empty(), "{}", g.id);
            let cases = draw_cases(g, 11);
            for c in 0..g.held_out.checks.len() {
                assert!(
                    cases.iter().any(|k| k.check == c),
                    "{}: check {c} has no inputs",
                    g.id
                );
            }
            assert_eq!(
                draw_cases(g, 11),
                cases,
                "{}: the draw depends on the seed alone",
                g.id
            );
            assert_ne!(
                draw_cases(g, 12),
                cases,
                "{}: another seed, other inputs",
                g.id
            );
            if !has_solutions {
                continue;
            }
            let wrong: Vec<Answer> = cases
                .iter()
                .map(|c| match (g.held_out.run)(&c.input) {
                    Ok(v) => Answer::Values(
                        v.iter()
                            .map(|row| {
                                row.iter()
                                    .map(|x| if x.is_finite() { x * 1.1 + 0.5 } else { 1.0 })
                                    .collect()
                            })
                            .collect(),
                    ),
                    Err(_) => Answer::Values(vec![vec![0.5]]),
                })
                .collect();
            let o = judge(g, Status::Passed, &cases, &wrong);
            for c in &o.checks[1..] {
                assert!(
                    matches!(c.status, Status::Failed(_)),
                    "{} {}: wrong numbers passed",
                    g.id,
                    c.name
                );
            }
        }
    }

    #[test]
    fn the_table_and_the_json_carry_the_same_rows() {
        let out = [
            Outcome {
                id: "1.1",
                earned: 2,
                possible: 2,
                status: Status::Passed,
                checks: Vec::new(),
            },
            Outcome {
                id: "1.2",
                earned: 0,
                possible: 3,
                status: Status::Failed("bad \"q\"\n".into()),
                checks: Vec::new(),
            },
        ];
        let t = table(&out);
        assert!(t.contains("1.1              2         2"), "{t}");
        assert!(t.contains("total            2         5"), "{t}");
        let j = json(&out);
        assert!(
            j.contains("\"total\": {\"earned\": 2, \"possible\": 5}"),
            "{j}"
        );
        assert!(j.contains("\"message\": \"bad \\\"q\\\"\\n\""), "{j}");
        assert!(j.contains("\"status\": \"failed\""), "{j}");
        assert_eq!(json_string("a\u{1}b"), "\"a\\u0001b\"");
    }
}
