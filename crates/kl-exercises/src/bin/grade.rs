//! Grades the exercises.
//!
//! ```text
//! grade [ID] [--json OUT] [--seed N] [--expect full|none|only:ID,ID]          # self-check
//! grade --submission DIR [--json OUT] [--gradescope OUT] [--seed N]
//!       [--time-limit SECONDS] [--expect full|none|only:ID,ID]                # instructor
//! ```
//!
//! Without `--submission` it runs this workspace's graders in this process on this
//! workspace's exercises: the student's loop (`just grade`, `just grade 2.1`, `just watch`),
//! a self-check only. With `--submission DIR` it is the instructor's grader: only DIR's chapter
//! files are copied into a pristine workspace and each exercise runs in a child process (see
//! `kl_exercises::submission`); nothing the submission does can change a mark. The held-out
//! inputs come from a fresh seed unless `--seed` fixes one. Output files are always rewritten.
//! The exit status is 0 whatever the grades; `--expect` (for CI) exits 1 unless the statuses
//! are as stated: `full` every exercise passed, `none` every exercise "not attempted",
//! `only:1.1,2.1` those passed and every other "not attempted" or failed with 0 points.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kl_exercises::grading::{
    GRADERS, Outcome, Status, fresh_seed, gradescope, json, run, serve_child, table,
};
use kl_exercises::submission;

/// What the command line asked for.
#[derive(Default)]
struct Options {
    only: Option<String>,
    submission: Option<PathBuf>,
    json_path: Option<String>,
    gradescope_path: Option<String>,
    seed: Option<u64>,
    limit: Option<f64>,
    expect: Option<String>,
}

const USAGE: &str = "usage: grade [ID] [--json OUT] [--seed N] [--expect full|none|only:ID,..]\n       \
grade --submission DIR [--json OUT] [--gradescope OUT] [--seed N] [--time-limit S] [--expect ..]";

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut o = Options::default();
    let mut args = args;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--submission" => o.submission = Some(value("--submission")?.into()),
            "--json" => o.json_path = Some(value("--json")?),
            "--gradescope" => o.gradescope_path = Some(value("--gradescope")?),
            "--seed" => {
                o.seed = Some(
                    value("--seed")?
                        .parse()
                        .map_err(|_| "--seed needs a number")?,
                )
            }
            "--time-limit" => {
                o.limit = Some(
                    value("--time-limit")?
                        .parse()
                        .map_err(|_| "--time-limit needs seconds")?,
                )
            }
            "--expect" => o.expect = Some(value("--expect")?),
            "-h" | "--help" => return Err(USAGE.into()),
            id if !id.starts_with('-') && o.only.is_none() => o.only = Some(id.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if let Some(id) = &o.only
        && !GRADERS.iter().any(|g| g.id == id)
    {
        return Err(format!("no exercise `{id}`"));
    }
    Ok(o)
}

/// The exercises `--expect` says are wrong, or why the expectation is malformed.
fn unexpected(expect: &str, outcomes: &[Outcome]) -> Result<Vec<String>, String> {
    let passing: Vec<&str> = match expect {
        "full" => GRADERS.iter().map(|g| g.id).collect(),
        "none" => Vec::new(),
        other => match other.strip_prefix("only:") {
            Some(list) => list.split(',').collect(),
            None => return Err(format!("--expect full|none|only:ID,.. , not `{other}`")),
        },
    };
    Ok(outcomes
        .iter()
        .filter(|o| {
            if passing.contains(&o.id) {
                o.status != Status::Passed
            } else if expect == "none" {
                o.status != Status::NotAttempted
            } else {
                o.earned != 0
            }
        })
        .map(|o| format!("{}: {} ({}/{})", o.id, o.message(), o.earned, o.possible))
        .collect())
}

fn write(path: &str, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("could not write {path}: {e}"))
}

fn main() -> ExitCode {
    let mut argv = std::env::args().skip(1).peekable();
    if argv.peek().map(String::as_str) == Some("--child") {
        let limit = argv
            .nth(1)
            .and_then(|s| s.parse::<f64>().ok())
            .unwrap_or(30.0);
        return match serve_child(Duration::from_secs_f64(limit)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(_) => ExitCode::FAILURE,
        };
    }
    let options = match parse(argv) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if let Err(message) = kl_exercises::check_binary_matches_workspace() {
        eprintln!("{message}");
        return ExitCode::FAILURE;
    }
    let seed = options.seed.unwrap_or_else(fresh_seed);
    let start = Instant::now();
    let outcomes = match &options.submission {
        Some(dir) => {
            let mut sub = submission::Options::new(dir.clone());
            sub.seed = seed;
            if let Some(limit) = options.limit {
                sub.limit = Duration::from_secs_f64(limit);
            }
            submission::grade(&sub)
        }
        None => {
            let graders: Vec<_> = GRADERS
                .iter()
                .filter(|g| options.only.as_deref().is_none_or(|id| g.id == id))
                .copied()
                .collect();
            Ok(run(&graders, seed))
        }
    };
    let elapsed = start.elapsed().as_secs_f64();
    let (outcomes, summary) = match outcomes {
        Ok(o) => {
            let t = table(&o);
            (o, t)
        }
        // Output files are rewritten even when grading could not start.
        Err(message) => (Vec::new(), format!("grading failed: {message}\n")),
    };
    print!("{summary}");
    println!("held-out seed: {seed}");
    let json_path = options
        .json_path
        .clone()
        .or_else(|| options.submission.is_none().then(|| "grades.json".into()));
    let mut failed = outcomes.is_empty();
    for (path, text) in [
        (json_path, json(&outcomes)),
        (
            options.gradescope_path.clone(),
            gradescope(&outcomes, elapsed, &summary),
        ),
    ] {
        if let Some(path) = path {
            match write(&path, &text) {
                Ok(()) => println!("written to {path}"),
                Err(m) => {
                    eprintln!("{m}");
                    failed = true;
                }
            }
        }
    }
    if let Some(expect) = &options.expect {
        match unexpected(expect, &outcomes) {
            Ok(wrong) if wrong.is_empty() && !outcomes.is_empty() => {}
            Ok(wrong) => {
                eprintln!("expected `{expect}`; not so:\n  {}", wrong.join("\n  "));
                return ExitCode::FAILURE;
            }
            Err(m) => {
                eprintln!("{m}");
                return ExitCode::from(2);
            }
        }
    }
    // Returning from main ends the process, detached grader threads stuck in a student's
    // endless loop included.
    if failed && options.expect.is_some() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
