//! The graders: one per exercise, with its points, run in isolation.
//!
//! A grader calls the student's function on chosen inputs and compares the behaviour with an
//! independent route — a library function, a closed form against numerical integration, a
//! gradient against central differences, values worked out by hand — never with the reference
//! solution's own output. It returns `Err` with the first failed check's message.
//!
//! [`run`] runs each grader on its own thread, catching panics: a `todo!("exercise N.M")`
//! counts as "not attempted", any other panic as a failure with its message, and a grader that
//! runs past [`TIME_LIMIT`] (a student's endless loop) as a failure, so one exercise never
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

use std::panic;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// One exercise's grader.
#[derive(Debug, Clone, Copy)]
pub struct Grader {
    /// The exercise id, `"N.M"`.
    pub id: &'static str,
    /// Points for passing every check.
    pub points: u32,
    /// The public checks on the inputs the student copy shows (feedback); `Err` carries the
    /// first failure's message.
    pub check: fn() -> Result<(), String>,
    /// The held-out checks on inputs drawn at grading time from the seed passed in, checked
    /// against references computed by an independent route. When present they carry all the
    /// points and the public checks none, so pasting the public answers earns nothing.
    pub held_out: Option<fn(u64) -> Result<(), String>>,
}

impl Grader {
    /// The named checks of this exercise: (name, points, hidden).
    pub fn checks(&self) -> Vec<(&'static str, u32, bool)> {
        match self.held_out {
            Some(_) => vec![
                ("public examples", 0, false),
                ("held-out inputs", self.points, true),
            ],
            None => vec![("public examples", self.points, false)],
        }
    }
}

/// Held-out checks of the exercises that have them; `None` where the public checks still carry
/// the points.
const HELD_OUT_1_1: Option<fn(u64) -> Result<(), String>> = Some(ch01::held_out_1_1);
const HELD_OUT_1_2: Option<fn(u64) -> Result<(), String>> = Some(ch01::held_out_1_2);
const HELD_OUT_1_3: Option<fn(u64) -> Result<(), String>> = Some(ch01::held_out_1_3);
const HELD_OUT_2_1: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_2_2: Option<fn(u64) -> Result<(), String>> = Some(ch02::held_out_2_2);
const HELD_OUT_2_3: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_3_1: Option<fn(u64) -> Result<(), String>> = Some(ch03::held_out_3_1);
const HELD_OUT_3_2: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_3_3: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_4_1: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_4_2: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_5_1: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_5_2: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_6_1: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_6_2: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_7_1: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_7_2: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_8_1: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_8_2: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_9_1: Option<fn(u64) -> Result<(), String>> = None;
const HELD_OUT_9_2: Option<fn(u64) -> Result<(), String>> = None;

/// A small seeded generator for held-out inputs (SplitMix64): the inputs depend on the seed
/// alone, so a grade can be reproduced with `--seed`.
pub(crate) struct Draw(u64);

impl Draw {
    /// A generator for `seed`, mixed with `salt` so each exercise draws its own inputs.
    pub(crate) fn new(seed: u64, salt: u64) -> Draw {
        Draw(seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }
    /// The next 64 random bits.
    pub(crate) fn bits(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform on `[lo, hi)`.
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.bits() >> 11) as f64 / (1u64 << 53) as f64)
    }
    /// Uniform on `lo..=hi`.
    pub(crate) fn int(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.bits() % (hi - lo + 1)
    }
    /// A probability vector of length `n`, each entry zero with probability `zeros`.
    pub(crate) fn probabilities(&mut self, n: usize, zeros: f64) -> Vec<f64> {
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
        held_out: HELD_OUT_1_1,
    },
    Grader {
        id: "1.2",
        points: 3,
        check: ch01::grade_1_2,
        held_out: HELD_OUT_1_2,
    },
    Grader {
        id: "1.3",
        points: 3,
        check: ch01::grade_1_3,
        held_out: HELD_OUT_1_3,
    },
    Grader {
        id: "2.1",
        points: 3,
        check: ch02::grade_2_1,
        held_out: HELD_OUT_2_1,
    },
    Grader {
        id: "2.2",
        points: 4,
        check: ch02::grade_2_2,
        held_out: HELD_OUT_2_2,
    },
    Grader {
        id: "2.3",
        points: 4,
        check: ch02::grade_2_3,
        held_out: HELD_OUT_2_3,
    },
    Grader {
        id: "3.1",
        points: 2,
        check: ch03::grade_3_1,
        held_out: HELD_OUT_3_1,
    },
    Grader {
        id: "3.2",
        points: 4,
        check: ch03::grade_3_2,
        held_out: HELD_OUT_3_2,
    },
    Grader {
        id: "3.3",
        points: 3,
        check: ch03::grade_3_3,
        held_out: HELD_OUT_3_3,
    },
    Grader {
        id: "4.1",
        points: 4,
        check: ch04::grade_4_1,
        held_out: HELD_OUT_4_1,
    },
    Grader {
        id: "4.2",
        points: 3,
        check: ch04::grade_4_2,
        held_out: HELD_OUT_4_2,
    },
    Grader {
        id: "5.1",
        points: 4,
        check: ch05::grade_5_1,
        held_out: HELD_OUT_5_1,
    },
    Grader {
        id: "5.2",
        points: 3,
        check: ch05::grade_5_2,
        held_out: HELD_OUT_5_2,
    },
    Grader {
        id: "6.1",
        points: 2,
        check: ch06::grade_6_1,
        held_out: HELD_OUT_6_1,
    },
    Grader {
        id: "6.2",
        points: 4,
        check: ch06::grade_6_2,
        held_out: HELD_OUT_6_2,
    },
    Grader {
        id: "7.1",
        points: 3,
        check: ch07::grade_7_1,
        held_out: HELD_OUT_7_1,
    },
    Grader {
        id: "7.2",
        points: 3,
        check: ch07::grade_7_2,
        held_out: HELD_OUT_7_2,
    },
    Grader {
        id: "8.1",
        points: 4,
        check: ch08::grade_8_1,
        held_out: HELD_OUT_8_1,
    },
    Grader {
        id: "8.2",
        points: 2,
        check: ch08::grade_8_2,
        held_out: HELD_OUT_8_2,
    },
    Grader {
        id: "9.1",
        points: 3,
        check: ch09::grade_9_1,
        held_out: HELD_OUT_9_1,
    },
    Grader {
        id: "9.2",
        points: 4,
        check: ch09::grade_9_2,
        held_out: HELD_OUT_9_2,
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

/// Runs `check` on its own thread, catching panics, and classifies the result.
fn run_check(
    id: &str,
    check: impl FnOnce() -> Result<(), String> + Send + 'static,
    limit: Duration,
) -> Status {
    let (tx, rx) = mpsc::channel();
    // The thread is detached: if it overruns, the process ends it on exit.
    thread::spawn(move || {
        let result = panic::catch_unwind(panic::AssertUnwindSafe(check));
        let _ = tx.send(result);
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(Ok(()))) => Status::Passed,
        Ok(Ok(Err(message))) => Status::Failed(message),
        Ok(Err(payload)) => {
            let text = panic_text(payload.as_ref());
            if text == format!("not yet implemented: exercise {id}") {
                Status::NotAttempted
            } else {
                Status::Failed(format!("panicked: {text}"))
            }
        }
        Err(_) => Status::Failed(format!(
            "still running after {} s (an endless loop?)",
            limit.as_secs_f64()
        )),
    }
}

/// Runs one grader's checks in this process (the student's self-check), held-out inputs drawn
/// from `seed`.
pub fn run_one(grader: &Grader, seed: u64) -> Outcome {
    run_with_limit(grader, seed, TIME_LIMIT)
}

/// [`run_one`] with a time limit per check of your choice.
fn run_with_limit(grader: &Grader, seed: u64, limit: Duration) -> Outcome {
    let public = grader.check;
    let mut statuses = vec![run_check(grader.id, public, limit)];
    if let Some(held_out) = grader.held_out {
        // A fresh copy whose public checks are todo!() is not attempted: skip the rest.
        statuses.push(if statuses[0] == Status::NotAttempted {
            Status::NotAttempted
        } else {
            run_check(grader.id, move || held_out(seed), limit)
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

/// The child's side of `grade --submission`: reads `NONCE SEED ID` from stdin (before any
/// student code runs), runs exercise `ID`'s checks and prints, for each, the line
/// `NONCE<TAB>INDEX<TAB>passed|todo|failed<TAB>MESSAGE`. The parent trusts only lines that
/// carry the nonce, which student code never sees, and assigns the points itself.
pub fn serve_child(limit: Duration) -> Result<(), String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let mut parts = line.split_whitespace();
    let (Some(nonce), Some(seed), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("expected `NONCE SEED ID` on stdin".into());
    };
    let seed: u64 = seed.parse().map_err(|_| "bad seed")?;
    let grader = grader(id).ok_or_else(|| format!("no exercise {id}"))?;
    let nonce = nonce.to_string();
    line.clear(); // the seed is no longer in a buffer student code could reach
    panic::set_hook(Box::new(|_| {}));
    let outcome = run_with_limit(grader, seed, limit);
    let mut out = String::new();
    for (i, c) in outcome.checks.iter().enumerate() {
        let (word, message) = match &c.status {
            Status::Passed => ("passed", String::new()),
            Status::NotAttempted => ("todo", String::new()),
            Status::Failed(m) => ("failed", m.clone()),
        };
        out.push_str(&format!(
            "{nonce}\t{i}\t{word}\t{}\n",
            escape_line(&message)
        ));
    }
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|e| e.to_string())
}

/// The parent's reading of a child's stdout: the outcome of `grader`, from the lines that
/// carry `nonce` only. A check the child did not report (it exited, crashed or printed
/// something else) scores 0 with `missing` as its message.
pub fn parse_child(grader: &Grader, nonce: &str, stdout: &str, missing: &str) -> Outcome {
    let mut statuses: Vec<Option<Status>> = vec![None; grader.checks().len()];
    for line in stdout.lines() {
        let mut f = line.splitn(4, '\t');
        if f.next() != Some(nonce) {
            continue;
        }
        let (Some(Ok(i)), Some(word), msg) =
            (f.next().map(str::parse::<usize>), f.next(), f.next())
        else {
            continue;
        };
        let status = match word {
            "passed" => Status::Passed,
            "todo" => Status::NotAttempted,
            _ => Status::Failed(unescape_line(msg.unwrap_or(""))),
        };
        if let Some(slot) = statuses.get_mut(i)
            && slot.is_none()
        {
            *slot = Some(status);
        }
    }
    let checks = grader
        .checks()
        .into_iter()
        .zip(statuses)
        .map(|((name, points, hidden), status)| {
            (
                name,
                points,
                hidden,
                status.unwrap_or_else(|| Status::Failed(missing.into())),
            )
        })
        .collect();
    Outcome::from_checks(grader, checks)
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
        Err(format!(
            "{what}: got {got}, expected {want} (within {tol:e})"
        ))
    }
}

/// `Ok` if `cond`, else `Err(message)`.
pub(crate) fn ensure(cond: bool, message: impl FnOnce() -> String) -> Result<(), String> {
    if cond { Ok(()) } else { Err(message()) }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{
        Grader, Outcome, Status, gradescope, json, json_string, parse_child, run, run_with_limit,
        table,
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
                held_out: None,
            },
            Grader {
                id: "9.1",
                points: 3,
                check: fails,
                held_out: None,
            },
            Grader {
                id: "9.1",
                points: 4,
                check: todo_9_1,
                held_out: None,
            },
            Grader {
                id: "9.1",
                points: 5,
                check: todo_other,
                held_out: None,
            },
            Grader {
                id: "9.1",
                points: 6,
                check: index_panic,
                held_out: None,
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
            held_out: None,
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

    /// Only lines carrying the nonce count, the first report of a check wins, and a check
    /// never reported scores 0.
    #[test]
    fn the_parent_trusts_only_nonce_lines_and_assigns_the_points_itself() {
        let g = super::grader("1.1").expect("1.1");
        let forged =
            "0\tpassed\t\nxyz\t0\tpassed\t\nabc\t0\tfailed\tgot 1, expected 2\nabc\t0\tpassed\t\n";
        let o = parse_child(g, "abc", forged, "never reported");
        assert_eq!(o.earned, 0);
        assert!(matches!(&o.checks[0].status, Status::Failed(m) if m == "got 1, expected 2"));
        assert!(matches!(&o.checks[1].status, Status::Failed(m) if m == "never reported"));
        let honest = parse_child(g, "abc", "abc\t0\tpassed\t\nabc\t1\tpassed\t\n", "x");
        assert_eq!((honest.earned, &honest.status), (g.points, &Status::Passed));
        let results = gradescope(&[honest], 1.4, "table");
        for key in [
            "\"score\": 2",
            "\"execution_time\": 1",
            "\"max_score\": 2",
            "\"visibility\": \"after_published\"",
            "\"number\": \"1.1.2\"",
            "\"status\": \"passed\"",
        ] {
            assert!(results.contains(key), "{key} in {results}");
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
