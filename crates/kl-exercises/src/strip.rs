//! Solution stripping: the instructor's source in, the student's source out.
//!
//! A solution region is every line from a line that reads `// BEGIN SOLUTION` to a line that
//! reads `// END SOLUTION` (leading whitespace allowed, nothing else on the line), both markers
//! included. It must sit inside the body of a function `exercise_N_M` and be the last code of
//! that body, so that replacing it with `todo!("exercise N.M")` leaves a function that compiles
//! with its signature untouched. Hints go before the region (or in the doc comment) and
//! survive. The stripping works on lines, so braces, strings and closures inside the region do
//! not matter.

use std::fmt;

/// The opening marker line. Spelt in two halves so that this file, which is copied into the
/// student's workspace, contains no marker line itself.
pub const BEGIN: &str = concat!("// BEGIN ", "SOLUTION");
/// The closing marker line (spelt in two halves like [`BEGIN`]).
pub const END: &str = concat!("// END ", "SOLUTION");

/// One solution region found in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The exercise id, `"N.M"`, from the enclosing `fn exercise_N_M`.
    pub id: String,
    /// 1-based line number of the opening marker.
    pub line: usize,
    /// The lines between the markers (markers excluded), joined with `\n`.
    pub text: String,
}

/// Why a file could not be stripped; the message names the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StripError {
    /// An opening marker inside an open region.
    Nested {
        /// 1-based line of the second opening marker.
        line: usize,
    },
    /// A closing marker with no region open.
    UnmatchedEnd {
        /// 1-based line of the closing marker.
        line: usize,
    },
    /// An opening marker that is never closed.
    Unterminated {
        /// 1-based line of the opening marker.
        line: usize,
    },
    /// An opening marker before any `fn exercise_N_M`.
    OutsideExercise {
        /// 1-based line of the opening marker.
        line: usize,
    },
    /// A second region in the same exercise (its `todo!` would make the rest unreachable).
    SecondRegion {
        /// The exercise id.
        id: String,
        /// 1-based line of the second opening marker.
        line: usize,
    },
}

impl fmt::Display for StripError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StripError::Nested { line } => {
                write!(f, "line {line}: solution region opened inside another one")
            }
            StripError::UnmatchedEnd { line } => {
                write!(f, "line {line}: solution region closed but none is open")
            }
            StripError::Unterminated { line } => {
                write!(
                    f,
                    "line {line}: solution region opened here is never closed"
                )
            }
            StripError::OutsideExercise { line } => write!(
                f,
                "line {line}: solution region outside any `fn exercise_N_M` (its id is unknown)"
            ),
            StripError::SecondRegion { id, line } => write!(
                f,
                "line {line}: exercise {id} already has a solution region; use one per exercise"
            ),
        }
    }
}

impl std::error::Error for StripError {}

/// The exercise id `"N.M"` if `line` declares `fn exercise_N_M`.
pub fn exercise_id(line: &str) -> Option<String> {
    let rest = &line[line.find("fn exercise_")? + "fn exercise_".len()..];
    let digits = |s: &str| s.chars().take_while(char::is_ascii_digit).count();
    let n = digits(rest);
    let after = rest[n..].strip_prefix('_')?;
    let m = digits(after);
    let next = after[m..].chars().next();
    if n == 0 || m == 0 || next.is_some_and(|c| c.is_alphanumeric() || c == '_') {
        return None;
    }
    Some(format!("{}.{}", &rest[..n], &after[..m]))
}

/// Every solution region of `source`, in order, or the first malformed marker.
pub fn regions(source: &str) -> Result<Vec<Region>, StripError> {
    let mut found: Vec<Region> = Vec::new();
    let mut current: Option<String> = None;
    let mut open: Option<(usize, Vec<&str>)> = None;
    for (index, line) in source.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        if trimmed == BEGIN {
            if open.is_some() {
                return Err(StripError::Nested { line: number });
            }
            let id = current
                .clone()
                .ok_or(StripError::OutsideExercise { line: number })?;
            if found.iter().any(|r| r.id == id) {
                return Err(StripError::SecondRegion { id, line: number });
            }
            open = Some((number, Vec::new()));
        } else if trimmed == END {
            let (start, lines) = open
                .take()
                .ok_or(StripError::UnmatchedEnd { line: number })?;
            found.push(Region {
                id: current.clone().unwrap_or_default(),
                line: start,
                text: lines.join("\n"),
            });
        } else if let Some((_, lines)) = open.as_mut() {
            lines.push(line);
        } else if let Some(id) = exercise_id(line) {
            current = Some(id);
        }
    }
    match open {
        Some((line, _)) => Err(StripError::Unterminated { line }),
        None => Ok(found),
    }
}

/// The student's version of `source`: each solution region, markers included, becomes one line
/// `todo!("exercise N.M")` at the opening marker's indentation. Everything else, hints and doc
/// comments included, is kept byte for byte (a final newline too).
pub fn strip(source: &str) -> Result<String, StripError> {
    regions(source)?; // validate first: the loop below assumes well-formed markers
    let mut out = String::with_capacity(source.len());
    let mut current = String::new();
    let mut inside = false;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed == BEGIN {
            inside = true;
            let indent = &line[..line.len() - line.trim_start().len()];
            out.push_str(&format!("{indent}todo!(\"exercise {current}\")\n"));
        } else if trimmed == END {
            inside = false;
        } else if !inside {
            if let Some(id) = exercise_id(line) {
                current = id;
            }
            out.push_str(line);
        }
    }
    if !source.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    Ok(out)
}

/// A line that says something: not blank, not a comment, not only braces and punctuation.
fn is_code(line: &str) -> bool {
    !line.starts_with("//") && line.chars().any(char::is_alphanumeric)
}

/// The regions of `regions` whose code lines (trimmed; blank lines, comments and lines of
/// bare punctuation skipped on both sides) appear in `text` as an unbroken run, named by
/// exercise with their first line. An empty result means `text` leaks no solution. Matching a
/// whole region rather than single lines keeps common lines (`let mut sum = 0.0;`) from
/// raising false alarms, while a region left in place by a stripping bug is always found.
pub fn leaked_lines(regions: &[Region], text: &str) -> Vec<String> {
    let haystack: Vec<&str> = text.lines().map(str::trim).filter(|l| is_code(l)).collect();
    let mut leaked = Vec::new();
    for region in regions {
        let needle: Vec<&str> = region
            .text
            .lines()
            .map(str::trim)
            .filter(|l| is_code(l))
            .collect();
        if needle.is_empty() {
            continue;
        }
        if haystack
            .windows(needle.len())
            .any(|w| w == needle.as_slice())
        {
            leaked.push(format!("exercise {}: {}", region.id, needle[0]));
        }
    }
    leaked
}

#[cfg(test)]
mod tests {
    use super::{BEGIN, END, Region, StripError, exercise_id, leaked_lines, regions, strip};

    fn two_exercises() -> String {
        format!(
            "/// Add.\n\
             pub fn exercise_1_1(a: f64, b: f64) -> f64 {{\n\
             \x20   // Hint: use +.\n\
             \x20   {BEGIN}\n\
             \x20   let s = {{ a + b }};\n\
             \x20   let f = |x: f64| {{ if x > 0.0 {{ x }} else {{ -x }} }};\n\
             \x20   f(s) * \"}}\".len() as f64\n\
             \x20   {END}\n\
             }}\n\
             \n\
             pub fn exercise_1_12(v: &[f64]) -> Result<f64, String> {{\n\
             \x20       {BEGIN}\n\
             \x20       Ok(v.iter().sum())\n\
             \x20       {END}\n\
             }}\n"
        )
    }

    #[test]
    fn markers_are_removed_and_todo_inserted_with_the_right_id() {
        let out = strip(&two_exercises()).unwrap();
        assert!(!out.contains(BEGIN) && !out.contains(END), "{out}");
        assert!(out.contains("    todo!(\"exercise 1.1\")\n"), "{out}");
        assert!(out.contains("        todo!(\"exercise 1.12\")\n"), "{out}");
        assert!(
            !out.contains("a + b") && !out.contains("iter().sum()"),
            "{out}"
        );
    }

    #[test]
    fn everything_outside_the_regions_is_kept_byte_for_byte() {
        let out = strip(&two_exercises()).unwrap();
        let expected = "/// Add.\n\
             pub fn exercise_1_1(a: f64, b: f64) -> f64 {\n\
             \x20   // Hint: use +.\n\
             \x20   todo!(\"exercise 1.1\")\n\
             }\n\
             \n\
             pub fn exercise_1_12(v: &[f64]) -> Result<f64, String> {\n\
             \x20       todo!(\"exercise 1.12\")\n\
             }\n";
        assert_eq!(out, expected);
    }

    #[test]
    fn nested_braces_and_strings_inside_a_region_do_not_confuse_it() {
        // The first region holds braces in blocks, a closure and a string literal "}".
        let found = regions(&two_exercises()).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].id, "1.1");
        assert_eq!(found[0].line, 4);
        assert_eq!(found[0].text.lines().count(), 3);
        assert!(found[0].text.contains("\"}\".len()"));
        assert_eq!(found[1].id, "1.12");
        assert_eq!(found[1].text.trim(), "Ok(v.iter().sum())");
    }

    #[test]
    fn a_file_without_regions_is_unchanged() {
        let src = "fn main() {\n    println!(\"hi\");\n}";
        assert_eq!(strip(src).unwrap(), src);
        assert_eq!(strip("").unwrap(), "");
    }

    #[test]
    fn a_missing_final_newline_stays_missing() {
        let src = format!("fn exercise_2_1() -> u8 {{\n{BEGIN}\n7\n{END}\n}}");
        assert_eq!(
            strip(&src).unwrap(),
            "fn exercise_2_1() -> u8 {\ntodo!(\"exercise 2.1\")\n}"
        );
    }

    #[test]
    fn malformed_markers_are_errors_that_name_the_line() {
        let nested = format!("fn exercise_1_1() {{\n{BEGIN}\n{BEGIN}\n{END}\n}}\n");
        assert_eq!(strip(&nested), Err(StripError::Nested { line: 3 }));
        let unmatched = format!("fn exercise_1_1() {{\n{END}\n}}\n");
        assert_eq!(strip(&unmatched), Err(StripError::UnmatchedEnd { line: 2 }));
        let open = format!("fn exercise_1_1() {{\n{BEGIN}\n1\n}}\n");
        assert_eq!(strip(&open), Err(StripError::Unterminated { line: 2 }));
        let outside = format!("{BEGIN}\n{END}\n");
        assert_eq!(
            strip(&outside),
            Err(StripError::OutsideExercise { line: 1 })
        );
        let twice = format!("fn exercise_1_1() {{\n{BEGIN}\n{END}\n{BEGIN}\n{END}\n}}\n");
        let err = strip(&twice).unwrap_err();
        assert_eq!(
            err,
            StripError::SecondRegion {
                id: "1.1".into(),
                line: 4
            }
        );
        assert!(err.to_string().contains("line 4"));
    }

    #[test]
    fn marker_text_elsewhere_on_a_line_is_not_a_marker() {
        let src = format!("fn exercise_1_1() {{\n    let s = \"{BEGIN}\"; // see {END}\n}}\n");
        assert_eq!(strip(&src).unwrap(), src);
    }

    #[test]
    fn exercise_ids_come_from_the_function_name_only() {
        assert_eq!(
            exercise_id("pub fn exercise_3_2<P>(p: &P)"),
            Some("3.2".into())
        );
        assert_eq!(exercise_id("fn exercise_10_4()"), Some("10.4".into()));
        assert_eq!(exercise_id("fn exercise_1_1x()"), None);
        assert_eq!(exercise_id("fn exercise_1()"), None);
        assert_eq!(exercise_id("// exercise_1_1"), None);
    }

    #[test]
    fn leaked_lines_finds_a_whole_region_and_ignores_common_lines() {
        let region = Region {
            id: "1.1".into(),
            line: 1,
            text: "    let mut sum = 0.0;\n    // a comment\n    for x in p {\n        sum += x;\n    }\n    sum"
                .into(),
        };
        let regions = [region];
        // One common line alone is no leak.
        assert!(leaked_lines(&regions, "fn f() {\n    let mut sum = 0.0;\n}\n").is_empty());
        // The whole region, re-indented and without its comment, is.
        let copy = "fn g() {\nlet mut sum = 0.0;\nfor x in p {\n  sum += x;\n}\n\nsum\n}\n";
        assert_eq!(
            leaked_lines(&regions, copy),
            ["exercise 1.1: let mut sum = 0.0;"]
        );
        // And the stripped version of a real file leaks nothing.
        let src = two_exercises();
        let found = regions_of(&src);
        assert!(leaked_lines(&found, &src).len() == 2);
        assert!(leaked_lines(&found, &strip(&src).unwrap()).is_empty());
    }

    /// The real chapters: every exercise loses its solution to exactly its own `todo!`, and
    /// nothing else changes (the stripped file is the original minus the regions' lines). In
    /// a student copy, where the regions are gone, every exercise is its `todo!`.
    #[test]
    fn every_chapter_strips_to_one_todo_per_exercise_and_leaks_nothing() {
        for chapter in crate::CHAPTERS {
            let found = regions_of(chapter.source);
            let ids: Vec<String> = crate::statements::statements(chapter.source)
                .into_iter()
                .map(|s| s.id)
                .collect();
            if found.is_empty() {
                // A student copy: the solutions are gone already; each exercise is a todo!.
                for id in &ids {
                    let todo = format!("todo!(\"exercise {id}\")");
                    assert!(chapter.source.contains(&todo), "{}: {id}", chapter.file);
                }
                continue;
            }
            let region_ids: Vec<String> = found.iter().map(|r| r.id.clone()).collect();
            assert_eq!(
                region_ids, ids,
                "{}: one solution region per exercise",
                chapter.file
            );
            let out = strip(chapter.source).unwrap();
            for id in &ids {
                assert_eq!(out.matches(&format!("todo!(\"exercise {id}\")")).count(), 1);
            }
            assert!(!out.lines().any(|l| l.trim() == BEGIN || l.trim() == END));
            assert!(leaked_lines(&found, &out).is_empty(), "{}", chapter.file);
            let removed: usize = found.iter().map(|r| r.text.lines().count() + 2).sum();
            assert_eq!(
                out.lines().count(),
                chapter.source.lines().count() - removed + found.len(),
                "{}",
                chapter.file
            );
        }
    }

    fn regions_of(src: &str) -> Vec<Region> {
        regions(src).unwrap()
    }
}
