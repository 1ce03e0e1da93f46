//! Runs every grader, prints the grade table and writes it as JSON for a gradebook.
//!
//! ```text
//! cargo run -p kl-exercises --bin grade [-- --json PATH] [--expect-full | --expect-none]
//! ```
//!
//! The JSON goes to `grades.json` in the current directory unless `--json PATH` says otherwise.
//! The exit status is 0 whatever the grades (a grade is not an error); `--expect-full` and
//! `--expect-none` are for CI: they exit 1 unless every exercise earned full marks (the
//! reference solutions) or every exercise earned zero as "not attempted" (a fresh student copy).

use std::process::ExitCode;

use kl_exercises::grading::{GRADERS, Status, json, run, table};

/// What the command line asked for.
struct Options {
    json_path: String,
    expect_full: bool,
    expect_none: bool,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        json_path: "grades.json".into(),
        expect_full: false,
        expect_none: false,
    };
    let mut args = args;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--json" => {
                options.json_path = args.next().ok_or("--json needs a path")?;
            }
            "--expect-full" => options.expect_full = true,
            "--expect-none" => options.expect_none = true,
            "-h" | "--help" => {
                return Err("usage: grade [--json PATH] [--expect-full | --expect-none]".into());
            }
            other => return Err(format!("unknown argument `{other}`; try --help")),
        }
    }
    if options.expect_full && options.expect_none {
        return Err("--expect-full and --expect-none exclude each other".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
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
    let outcomes = run(GRADERS);
    print!("{}", table(&outcomes));
    if let Err(e) = std::fs::write(&options.json_path, json(&outcomes)) {
        eprintln!("could not write {}: {e}", options.json_path);
        return ExitCode::FAILURE;
    }
    println!("grades written to {}", options.json_path);
    if options.expect_full {
        let short: Vec<&str> = outcomes
            .iter()
            .filter(|o| o.status != Status::Passed)
            .map(|o| o.id)
            .collect();
        if !short.is_empty() {
            eprintln!("expected full marks; not passed: {}", short.join(", "));
            return ExitCode::FAILURE;
        }
    }
    if options.expect_none {
        let attempted: Vec<&str> = outcomes
            .iter()
            .filter(|o| o.status != Status::NotAttempted)
            .map(|o| o.id)
            .collect();
        if !attempted.is_empty() {
            eprintln!(
                "expected every exercise to be `todo!()` and score 0; not so: {}",
                attempted.join(", ")
            );
            return ExitCode::FAILURE;
        }
    }
    // Returning from main ends the process, detached grader threads stuck in a student's
    // endless loop included.
    ExitCode::SUCCESS
}
