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
    /// The checks; `Err` carries the first failure's message.
    pub check: fn() -> Result<(), String>,
}

/// Every grader, in book order (a test checks that they match the exercises one to one).
pub const GRADERS: &[Grader] = &[
    Grader {
        id: "1.1",
        points: 2,
        check: ch01::grade_1_1,
    },
    Grader {
        id: "1.2",
        points: 3,
        check: ch01::grade_1_2,
    },
    Grader {
        id: "1.3",
        points: 3,
        check: ch01::grade_1_3,
    },
    Grader {
        id: "2.1",
        points: 3,
        check: ch02::grade_2_1,
    },
    Grader {
        id: "2.2",
        points: 4,
        check: ch02::grade_2_2,
    },
    Grader {
        id: "2.3",
        points: 4,
        check: ch02::grade_2_3,
    },
    Grader {
        id: "3.1",
        points: 2,
        check: ch03::grade_3_1,
    },
    Grader {
        id: "3.2",
        points: 4,
        check: ch03::grade_3_2,
    },
    Grader {
        id: "3.3",
        points: 3,
        check: ch03::grade_3_3,
    },
    Grader {
        id: "4.1",
        points: 4,
        check: ch04::grade_4_1,
    },
    Grader {
        id: "4.2",
        points: 3,
        check: ch04::grade_4_2,
    },
    Grader {
        id: "5.1",
        points: 4,
        check: ch05::grade_5_1,
    },
    Grader {
        id: "5.2",
        points: 3,
        check: ch05::grade_5_2,
    },
    Grader {
        id: "6.1",
        points: 2,
        check: ch06::grade_6_1,
    },
    Grader {
        id: "6.2",
        points: 4,
        check: ch06::grade_6_2,
    },
    Grader {
        id: "7.1",
        points: 3,
        check: ch07::grade_7_1,
    },
    Grader {
        id: "7.2",
        points: 3,
        check: ch07::grade_7_2,
    },
    Grader {
        id: "8.1",
        points: 4,
        check: ch08::grade_8_1,
    },
    Grader {
        id: "8.2",
        points: 2,
        check: ch08::grade_8_2,
    },
    Grader {
        id: "9.1",
        points: 3,
        check: ch09::grade_9_1,
    },
    Grader {
        id: "9.2",
        points: 4,
        check: ch09::grade_9_2,
    },
];

/// How long one grader may run before it counts as failed.
pub const TIME_LIMIT: Duration = Duration::from_secs(60);

/// How a grader ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Every check passed: full points.
    Passed,
    /// The exercise is still `todo!()`: zero points.
    NotAttempted,
    /// A check failed, the code panicked or ran too long: zero points, with the message.
    Failed(String),
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
    /// How it ended.
    pub status: Status,
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

/// Runs one grader on its own thread and classifies the result.
pub fn run_one(grader: &Grader) -> Outcome {
    run_with_limit(grader, TIME_LIMIT)
}

/// [`run_one`] with a time limit of your choice.
fn run_with_limit(grader: &Grader, limit: Duration) -> Outcome {
    let (tx, rx) = mpsc::channel();
    let check = grader.check;
    // The thread is detached: if it overruns, the process ends it on exit.
    thread::spawn(move || {
        let result = panic::catch_unwind(check);
        let _ = tx.send(result);
    });
    let status = match rx.recv_timeout(limit) {
        Ok(Ok(Ok(()))) => Status::Passed,
        Ok(Ok(Err(message))) => Status::Failed(message),
        Ok(Err(payload)) => {
            let text = panic_text(payload.as_ref());
            if text == format!("not yet implemented: exercise {}", grader.id) {
                Status::NotAttempted
            } else {
                Status::Failed(format!("panicked: {text}"))
            }
        }
        Err(_) => Status::Failed(format!(
            "still running after {} s (an endless loop?)",
            limit.as_secs_f64()
        )),
    };
    let earned = if status == Status::Passed {
        grader.points
    } else {
        0
    };
    Outcome {
        id: grader.id,
        earned,
        possible: grader.points,
        status,
    }
}

/// Runs every grader in `graders` with a silent panic hook (the messages go into the table,
/// not onto stderr), restoring the previous hook afterwards.
pub fn run(graders: &[Grader]) -> Vec<Outcome> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let outcomes = graders.iter().map(run_one).collect();
    panic::set_hook(previous);
    outcomes
}

/// The grade table as text: exercise, points earned, points possible, first failure.
pub fn table(outcomes: &[Outcome]) -> String {
    let mut out = format!(
        "{:<10}{:>8}{:>10}  {}\n",
        "exercise", "points", "possible", "first failure"
    );
    for o in outcomes {
        out.push_str(&format!(
            "{:<10}{:>8}{:>10}  {}\n",
            o.id,
            o.earned,
            o.possible,
            o.message()
        ));
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

/// The grade table as JSON for a gradebook:
/// `{"total": {"earned", "possible"}, "exercises": [{"id", "earned", "possible", "status",
/// "message"}]}` with `status` one of `"passed"`, `"not attempted"`, `"failed"`.
pub fn json(outcomes: &[Outcome]) -> String {
    let earned: u32 = outcomes.iter().map(|o| o.earned).sum();
    let possible: u32 = outcomes.iter().map(|o| o.possible).sum();
    let rows: Vec<String> = outcomes
        .iter()
        .map(|o| {
            let status = match o.status {
                Status::Passed => "passed",
                Status::NotAttempted => "not attempted",
                Status::Failed(_) => "failed",
            };
            format!(
                "    {{\"id\": {}, \"earned\": {}, \"possible\": {}, \"status\": {}, \"message\": {}}}",
                json_string(o.id),
                o.earned,
                o.possible,
                json_string(status),
                json_string(&o.message())
            )
        })
        .collect();
    format!(
        "{{\n  \"total\": {{\"earned\": {earned}, \"possible\": {possible}}},\n  \"exercises\": [\n{}\n  ]\n}}\n",
        rows.join(",\n")
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

    use super::{Grader, Outcome, Status, json, json_string, run, run_with_limit, table};

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
            },
            Grader {
                id: "9.1",
                points: 3,
                check: fails,
            },
            Grader {
                id: "9.1",
                points: 4,
                check: todo_9_1,
            },
            Grader {
                id: "9.1",
                points: 5,
                check: todo_other,
            },
            Grader {
                id: "9.1",
                points: 6,
                check: index_panic,
            },
        ];
        let out = run(&graders);
        assert_eq!(out[0].status, Status::Passed);
        assert_eq!(out[0].earned, 2);
        assert_eq!(
            out[1].status,
            Status::Failed("KL(P||Q): got 1, expected 2".into())
        );
        assert_eq!(out[2].status, Status::NotAttempted);
        assert_eq!(out[2].message(), "not attempted");
        // A todo! naming another exercise is a failure of this one, not "not attempted".
        assert!(matches!(&out[3].status, Status::Failed(m) if m.contains("exercise 9.9")));
        assert!(
            matches!(&out[4].status, Status::Failed(m) if m.starts_with("panicked: index out of bounds"))
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
        };
        let out = run_with_limit(&slow, Duration::from_millis(50));
        assert_eq!(out.earned, 0);
        assert!(
            matches!(&out.status, Status::Failed(m) if m.contains("still running after 0.05 s"))
        );
    }

    /// The graders' honesty, as a test: full marks on the reference solutions, and in a fresh
    /// student copy (CI sets `KL_EXERCISES_EXPECT=none` there) every exercise "not attempted".
    /// `KL_EXERCISES_EXPECT=only:N.M` expects full marks for exercise N.M and "not attempted"
    /// for every other (CI fills in one solution of a student copy and checks that exactly its
    /// points rise). In a student copy being worked on (no solution regions, no variable) it
    /// checks nothing.
    /// Being a library test, it builds no executable that could overwrite the instructor's
    /// `grade` in a shared target dir.
    #[test]
    fn graders_give_full_marks_to_the_reference_and_none_to_a_fresh_student_copy() {
        let has_solutions = crate::CHAPTERS.iter().any(|c| {
            !crate::strip::regions(c.source)
                .unwrap_or_default()
                .is_empty()
        });
        let expect = std::env::var("KL_EXERCISES_EXPECT").ok();
        // (the exercise expected to pass when only one should, the status of all the others)
        let (only, want) = match expect.as_deref() {
            Some("full") => (None, Status::Passed),
            Some("none") => (None, Status::NotAttempted),
            Some(other) if other.starts_with("only:") => {
                (Some(&other["only:".len()..]), Status::NotAttempted)
            }
            Some(other) => {
                panic!("KL_EXERCISES_EXPECT must be `full`, `none` or `only:N.M`, not `{other}`")
            }
            None if has_solutions => (None, Status::Passed),
            None => return,
        };
        if let Some(id) = only {
            assert!(
                super::GRADERS.iter().any(|g| g.id == id),
                "KL_EXERCISES_EXPECT=only:{id} names no exercise"
            );
        }
        let wrong: Vec<String> = run(super::GRADERS)
            .into_iter()
            .filter(|o| {
                if Some(o.id) == only {
                    o.status != Status::Passed
                } else {
                    o.status != want
                }
            })
            .map(|o| match o.status {
                Status::Passed => format!("{}: passed", o.id),
                _ => format!("{}: {}", o.id, o.message()),
            })
            .collect();
        assert!(
            wrong.is_empty(),
            "expected every exercise {want:?}{}; not so:\n{}",
            only.map_or(String::new(), |id| format!(" but {id} Passed")),
            wrong.join("\n")
        );
    }

    #[test]
    fn the_table_and_the_json_carry_the_same_rows() {
        let out = [
            Outcome {
                id: "1.1",
                earned: 2,
                possible: 2,
                status: Status::Passed,
            },
            Outcome {
                id: "1.2",
                earned: 0,
                possible: 3,
                status: Status::Failed("bad \"q\"\n".into()),
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
