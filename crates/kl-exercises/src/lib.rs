//! # kl-exercises — graded exercises for the kl-tutorial chapters
//!
//! Each chapter module (`ch01`, `ch02`, …) holds two to four exercises. An exercise is a public
//! function `exercise_N_M` whose doc comment states the task (the book prints these statements,
//! generated into `book/src/exercises/chNN.md`) and whose body is the instructor's reference
//! solution, fenced by a `// BEGIN SOLUTION` line and an `// END SOLUTION` line.
//!
//! - [`strip`] turns a source file into the student's version: each fenced region becomes
//!   `todo!("exercise N.M")`, so the function still compiles and the grader can tell "not
//!   attempted" from "wrong".
//! - [`grading`] holds one grader per exercise with its points. A grader checks behaviour
//!   against an independent route (a closed form against numerical integration, a gradient
//!   against central differences, a library function, values worked out by hand), never
//!   against the reference solution's own output.
//! - [`statements`] renders the doc comments as the book's exercise pages.
//!
//! The binaries: `assignment DIR` writes the student copy of the whole workspace, `assignment
//! --statements DIR` writes the book pages, and `grade` runs the graders, prints a table and
//! writes `grades.json`.

#![warn(missing_docs)]
// In the student copy every exercise body is `todo!()`, so its parameters are unused until the
// student writes a solution; the warning would only be noise there.
#![allow(unused_variables)]

pub mod ch01;
pub mod ch02;
pub mod ch03;
pub mod ch04;
pub mod ch05;
pub mod ch06;
pub mod ch07;
pub mod ch08;
pub mod ch09;
pub mod ch10;
pub mod ch11;
pub mod ch12;
pub mod ch13;
pub mod grading;
pub mod rules;
pub mod statements;
pub mod strip;
pub mod submission;

/// Fails when this binary was built from another copy of the workspace than the one `cargo
/// run` is running it for.
///
/// Two copies (the instructor's and a student's) that share one `CARGO_TARGET_DIR` write their
/// builds of this crate to the same files (Cargo's artifact names do not depend on where the
/// workspace lives), and `cargo run` in the copy whose build looks up to date runs whatever the
/// other copy left there. `cargo run` tells the program
/// which package it runs for (`CARGO_MANIFEST_DIR` at run time); this compares it with the
/// package the binary was compiled from.
pub fn check_binary_matches_workspace() -> Result<(), String> {
    let Ok(runtime) = std::env::var("CARGO_MANIFEST_DIR") else {
        return Ok(()); // not started by cargo: nothing to compare
    };
    let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let same = match (
        std::path::Path::new(&runtime).canonicalize(),
        built.canonicalize(),
    ) {
        (Ok(a), Ok(b)) => a == b,
        _ => runtime == built.to_string_lossy(),
    };
    if same {
        Ok(())
    } else {
        Err(format!(
            "this binary was built from {} but cargo runs it for {runtime}: two copies of the \
             workspace share one CARGO_TARGET_DIR. Give each copy its own target dir, then \
             `cargo clean -p kl-exercises` here.",
            built.display()
        ))
    }
}

/// A chapter that has exercises: its number, its title and its source text (the statements
/// are generated from the source, so the book cannot drift from the code).
#[derive(Debug, Clone, Copy)]
pub struct Chapter {
    /// The chapter number, as in the book (`1` for `01_discrete_kl`).
    pub number: u32,
    /// The chapter's title in the book.
    pub title: &'static str,
    /// The module's file, relative to this crate's `src/`.
    pub file: &'static str,
    /// The module's source text.
    pub source: &'static str,
}

/// Every chapter with exercises, in book order.
pub const CHAPTERS: &[Chapter] = &[
    Chapter {
        number: 1,
        title: "KL divergence between discrete distributions",
        file: "ch01.rs",
        source: include_str!("ch01.rs"),
    },
    Chapter {
        number: 2,
        title: "Normal pairs",
        file: "ch02.rs",
        source: include_str!("ch02.rs"),
    },
    Chapter {
        number: 3,
        title: "Asymmetry",
        file: "ch03.rs",
        source: include_str!("ch03.rs"),
    },
    Chapter {
        number: 4,
        title: "Minimising KL",
        file: "ch04.rs",
        source: include_str!("ch04.rs"),
    },
    Chapter {
        number: 5,
        title: "Forward against reverse KL",
        file: "ch05.rs",
        source: include_str!("ch05.rs"),
    },
    Chapter {
        number: 6,
        title: "Poisson or normal?",
        file: "ch06.rs",
        source: include_str!("ch06.rs"),
    },
    Chapter {
        number: 7,
        title: "KL from samples",
        file: "ch07.rs",
        source: include_str!("ch07.rs"),
    },
    Chapter {
        number: 8,
        title: "Gaussian mixtures",
        file: "ch08.rs",
        source: include_str!("ch08.rs"),
    },
    Chapter {
        number: 9,
        title: "t-SNE",
        file: "ch09.rs",
        source: include_str!("ch09.rs"),
    },
    Chapter {
        number: 10,
        title: "Cross-entropy loss is KL",
        file: "ch10.rs",
        source: include_str!("ch10.rs"),
    },
    Chapter {
        number: 11,
        title: "The VAE's KL term",
        file: "ch11.rs",
        source: include_str!("ch11.rs"),
    },
    Chapter {
        number: 12,
        title: "Estimating KL from log-probabilities",
        file: "ch12.rs",
        source: include_str!("ch12.rs"),
    },
    Chapter {
        number: 13,
        title: "KL's family",
        file: "ch13.rs",
        source: include_str!("ch13.rs"),
    },
];
