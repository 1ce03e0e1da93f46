//! Every number a chapter page quotes in its prose appears in that chapter's pinned output.
//!
//! The book's rule (GUIDE.md): a sentence may quote a number only if the snapshot that
//! `tests/examples.rs` pins prints it. This test reads each chapter page
//! `book/src/NN_*.md` and its snapshot `tests/snapshots/examples__NN_*.snap`, takes every
//! number written in the page's prose and fails, naming page, line and number, on each one the
//! snapshot does not print as a whole token (`2.26` does not match `2.259921`: a rounded quote
//! must be printed rounded). The sign is not compared (prose writes `−`, the output `-`).
//!
//! Exempt, and why:
//! - **Code** — fenced blocks, `{{#include …}}` lines and inline `code` spans: they are the
//!   programs, commands and output labels themselves, whose digits are parts of names
//!   (`03_asymmetry`, `f64`, `x = 10` in a label); the output blocks are the snapshot.
//! - **Mathematics** `$…$` and `$$…$$`, except numbers with four or more decimals: formulas
//!   and their constants ($\mathcal N(0, 2)$, $\frac{37}{8}$, $x = 10$) and hand derivations
//!   in worked answers, which the reader checks by arithmetic. A number with four or more
//!   decimals has the shape of a computed result and is checked even inside `$…$`.
//! - **Headings** (the chapter number, section titles) and HTML comments.
//! - **Images**: the alt text describes the drawn axes ("x from -10 to 25"); the figures
//!   themselves are pinned byte for byte by `tests/examples.rs`. Link targets (URLs) too.
//! - **Integers 0 to 10**: counts and small constants of the prose ("two clusters", "step 1",
//!   "k = 5") that are set in the code, not results.
//! - **References**: a number right after "chapter(s)", "exercise(s)", "section", "issue",
//!   "step", "line" or "figure" names a place, not a quantity.
//! - **Years** 1900–2099 written as integers (citations such as "Verdú (2009)").
//!
//! Pages other than the chapters (introduction, the original, the performance page, the
//! appendices) quote no chapter's output, except the table of mixture-KL routes in
//! `crates/kl/doc/mixture_kl_table.md`, checked against chapter 08 by its own test; the generated exercise pages are checked with the
//! exercises in `crates/kl-exercises`.

/// The numbers of one page's prose, each with its 1-based line.
fn prose_numbers(page: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut in_display_math = false;
    let mut in_comment = false;
    for (i, raw) in page.lines().enumerate() {
        let line = raw.trim_start();
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if in_comment {
            if line.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        if line.starts_with("<!--") {
            in_comment = !line.contains("-->");
            continue;
        }
        if line.starts_with('#') || line.starts_with("{{#include") || line.starts_with("![") {
            continue;
        }
        let text = strip(line, &mut in_display_math);
        for number in tokens(&text.prose) {
            if !exempt(&text.prose, &number) {
                out.push((i + 1, number.value));
            }
        }
        for number in tokens(&text.math) {
            let decimals = number.value.split('.').nth(1).map_or(0, str::len);
            if decimals >= 4 {
                out.push((i + 1, number.value));
            }
        }
    }
    out
}

/// One line split into its prose and its mathematics; code spans and link targets dropped.
struct Split {
    prose: String,
    math: String,
}

fn strip(line: &str, in_display_math: &mut bool) -> Split {
    let mut prose = String::new();
    let mut math = String::new();
    let mut chars = line.chars().peekable();
    let mut in_math = *in_display_math;
    let mut display = *in_display_math;
    while let Some(c) = chars.next() {
        match c {
            '$' => {
                let double = chars.peek() == Some(&'$');
                if double {
                    chars.next();
                }
                if in_math {
                    in_math = false;
                    display = false;
                } else {
                    in_math = true;
                    display = double;
                }
                // A separator, so that digits either side of a formula stay apart.
                prose.push(' ');
                math.push(' ');
            }
            '\\' if in_math => {
                // `\$` or a TeX command: keep its name out of the digits.
                math.push(' ');
                if chars.peek() == Some(&'$') {
                    chars.next();
                }
            }
            _ if in_math => math.push(c),
            '`' => {
                for d in chars.by_ref() {
                    if d == '`' {
                        break;
                    }
                }
                prose.push(' ');
            }
            ']' if chars.peek() == Some(&'(') => {
                for d in chars.by_ref() {
                    if d == ')' {
                        break;
                    }
                }
                prose.push(' ');
            }
            _ => prose.push(c),
        }
    }
    // Inline math never spans lines; display math may.
    *in_display_math = in_math && display;
    Split { prose, math }
}

struct Number {
    value: String,
    start: usize,
}

/// Maximal runs `digits[.digits]` not glued to a letter, digit or underscore.
fn tokens(text: &str) -> Vec<Number> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !is_word(b[i - 1])) {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            if i == b.len() || !is_word(b[i]) {
                out.push(Number {
                    value: text[start..i].to_string(),
                    start,
                });
            }
        } else {
            i += 1;
        }
    }
    out
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn exempt(text: &str, number: &Number) -> bool {
    let v = &number.value;
    if !v.contains('.')
        && let Ok(n) = v.parse::<u64>()
        && (n <= 10 || (1900..=2099).contains(&n))
    {
        return true;
    }
    let before = text[..number.start].trim_end().to_lowercase();
    let before = before.trim_end_matches(['(', '[']);
    let last = before.rsplit(char::is_whitespace).next().unwrap_or("");
    REFERENCE_WORDS.contains(&last)
        || (["and", "or", "to"].contains(&last) && follows_a_reference(before))
}

/// Words after which a number names a place (chapter 02), not a quantity.
const REFERENCE_WORDS: [&str; 9] = [
    "chapter",
    "chapters",
    "exercise",
    "exercises",
    "section",
    "issue",
    "step",
    "line",
    "figure",
];

/// "chapters 02 and 04", "exercises 2, 3 or 5": before the connective, a list of numbers
/// that starts right after a reference word.
fn follows_a_reference(before: &str) -> bool {
    let mut words = before
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .rev()
        .skip(1); // the connective itself
    let mut numbers = 0;
    for w in words.by_ref() {
        if w.chars().all(|c| c.is_ascii_digit()) {
            numbers += 1;
        } else {
            return numbers > 0 && REFERENCE_WORDS.contains(&w);
        }
    }
    false
}

/// Whether `output` prints `value` as a whole number token.
fn printed(output: &str, value: &str) -> bool {
    tokens(output).iter().any(|n| n.value == value)
}

#[test]
fn every_number_in_a_chapters_prose_is_printed_by_its_example() {
    let root = kl_tutorial_tests::root();
    let mut pages: Vec<_> = std::fs::read_dir(root.join("book/src"))
        .expect("book/src")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .into_string()
                .expect("UTF-8")
        })
        .filter(|n| n.len() > 3 && n.as_bytes()[..2].iter().all(u8::is_ascii_digit))
        .filter(|n| n.ends_with(".md") && n.as_bytes()[2] == b'_')
        .collect();
    pages.sort();
    assert!(pages.len() >= 9, "chapter pages not found: {pages:?}");
    let mut unprinted = Vec::new();
    for page in &pages {
        let stem = page.trim_end_matches(".md");
        let snap = root.join(format!("tests/snapshots/examples__{stem}.snap"));
        let output = std::fs::read_to_string(&snap)
            .unwrap_or_else(|e| panic!("{page} has no snapshot {}: {e}", snap.display()));
        let text = std::fs::read_to_string(root.join("book/src").join(page)).expect("a page");
        for (line, number) in prose_numbers(&text) {
            if !printed(&output, &number) {
                unprinted.push(format!("book/src/{page}:{line}: {number}"));
            }
        }
    }
    assert!(
        unprinted.is_empty(),
        "numbers in prose that the chapter's pinned output does not print:\n{}",
        unprinted.join("\n")
    );
}

/// The table of mixture-KL routes in the library's docs (`crates/kl/doc/mixture_kl_table.md`,
/// included by `kl::mixture` and the book's appendix) quotes chapter 08's output: every
/// number in it must be printed there, as for a chapter page.
#[test]
fn the_mixture_kl_table_quotes_chapter_08() {
    let root = kl_tutorial_tests::root();
    let output =
        std::fs::read_to_string(root.join("tests/snapshots/examples__08_gaussian_mixtures.snap"))
            .expect("chapter 08's snapshot");
    let table =
        std::fs::read_to_string(root.join("crates/kl/doc/mixture_kl_table.md")).expect("the table");
    let numbers = prose_numbers(&table);
    assert!(
        numbers.len() >= 40,
        "the table's numbers not found: {numbers:?}"
    );
    let unprinted: Vec<String> = numbers
        .into_iter()
        .filter(|(_, number)| !printed(&output, number))
        .map(|(line, number)| format!("crates/kl/doc/mixture_kl_table.md:{line}: {number}"))
        .collect();
    assert!(
        unprinted.is_empty(),
        "numbers in the mixture-KL table that chapter 08 does not print:\n{}",
        unprinted.join("\n")
    );
}

#[test]
fn the_scanner_finds_prose_numbers_and_skips_the_exempt_ones() {
    let page = "# 03 Asymmetry\n\
                It keeps 2.259921 of 3.931853, 42.5 % missing (chapter 02, exercises 12 and 14).\n\
                Wang (2009) on $\\mathcal N(0, 2)$ with `x = 10` and 3 runs, and [a](b/12.html).\n\
                $$\n\\frac{37}{8} = 4.318147\n$$\n\
                ```text\n99.5\n```\n\
                ![from 0.5 to 8](f.svg)\n\
                about 20 000 points, 12 of them, $0.5$, from 3 to 14.\n";
    let found: Vec<_> = prose_numbers(page).into_iter().map(|(_, n)| n).collect();
    assert_eq!(
        found,
        ["2.259921", "3.931853", "42.5", "4.318147", "20", "12", "14"]
    );
    assert!(printed("share missing   42.5 %", "42.5"));
    assert!(!printed("KL 2.259921", "2.26"));
    assert!(!printed("n = 100", "10"));
}

/// What the examples share (`examples/common/mod.rs`): the widest output line they print.
#[allow(dead_code)]
#[path = "../examples/common/mod.rs"]
mod example_common;

/// No line of any pinned output is wider than `OUTPUT_WIDTH` (80) characters. The book shows
/// each snapshot in an output block whose lines wrap at the column's edge: 80 characters fit
/// the desktop column whole (it holds the 88 of the example listings), and on a 420 px phone a
/// line of 80 wraps once, at a space. Library errors, the long lines, are printed indented and
/// broken at spaces by `print_error`.
#[test]
fn every_output_line_fits_the_books_output_column() {
    let root = kl_tutorial_tests::root().join("tests/snapshots");
    let mut long = Vec::new();
    for entry in std::fs::read_dir(&root).expect("tests/snapshots") {
        let path = entry.expect("an entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !name.starts_with("examples__") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("a snapshot");
        for (i, line) in text.lines().enumerate() {
            let width = line.chars().count();
            if width > example_common::OUTPUT_WIDTH {
                long.push(format!(
                    "tests/snapshots/{name}:{}: {width} characters",
                    i + 1
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "output lines over 80 characters:\n{}",
        long.join("\n")
    );
}
