//! The book's exercise pages, generated from the exercises' doc comments.
//!
//! For each chapter, `book/src/exercises/chNN.md` lists its exercises: a heading with the id,
//! the title (the doc comment's first line) and the points, then the rest of the doc comment as
//! written, then where the function lives. The files are committed; a test checks that they
//! equal a fresh generation, so the book cannot drift from the code.

use crate::Chapter;
use crate::grading::GRADERS;

/// One exercise's statement, read from its doc comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `"N.M"`.
    pub id: String,
    /// The function's name, `exercise_N_M`.
    pub function: String,
    /// The doc comment's first line, without a final full stop.
    pub title: String,
    /// The rest of the doc comment, markdown.
    pub body: String,
}

/// The statements of every `pub fn exercise_N_M` in `source`, in order. The doc comment is the
/// run of `///` lines right above the function (attribute lines in between are skipped).
pub fn statements(source: &str) -> Vec<Statement> {
    let lines: Vec<&str> = source.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("pub fn exercise_") else {
            continue;
        };
        let name_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '_'))
            .unwrap_or(rest.len());
        let suffix = &rest[..name_len];
        let Some((n, m)) = suffix.split_once('_') else {
            continue;
        };
        let mut doc = Vec::new();
        let mut j = i;
        while j > 0 {
            j -= 1;
            let above = lines[j].trim_start();
            if let Some(text) = above.strip_prefix("///") {
                doc.push(text.strip_prefix(' ').unwrap_or(text));
            } else if above.starts_with("#[") {
                continue;
            } else {
                break;
            }
        }
        doc.reverse();
        let title = doc
            .first()
            .map(|t| t.trim().trim_end_matches('.').to_string())
            .unwrap_or_default();
        let body = doc
            .iter()
            .skip(1)
            .copied()
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string();
        found.push(Statement {
            id: format!("{n}.{m}"),
            function: format!("exercise_{suffix}"),
            title,
            body,
        });
    }
    found
}

/// The points a grader awards for exercise `id` (0 if it has no grader).
fn points(id: &str) -> u32 {
    GRADERS.iter().find(|g| g.id == id).map_or(0, |g| g.points)
}

/// The markdown page of `chapter`'s exercises.
pub fn chapter_page(chapter: &Chapter) -> String {
    let mut page = format!(
        "<!-- Generated from crates/kl-exercises/src/{file} by `just statements`; edit the doc \
         comments there, not this file. -->\n\n### Graded exercises\n\n\
         Each of these is a function in `crates/kl-exercises/src/{file}`. In the copy your \
         instructor hands out, its body is `todo!()`. Write the body, then run `just grade` to \
         see your points.\n",
        file = chapter.file
    );
    for s in statements(chapter.source) {
        let pts = points(&s.id);
        let unit = if pts == 1 { "point" } else { "points" };
        page.push_str(&format!(
            "\n#### Exercise {id} — {title} ({pts} {unit})\n\n{body}\n\n\
             *Write `{function}` in `crates/kl-exercises/src/{file}`.*\n",
            id = s.id,
            title = s.title,
            body = s.body,
            function = s.function,
            file = chapter.file,
        ));
    }
    page
}

/// The file name of `chapter`'s page, `chNN.md`.
pub fn page_name(chapter: &Chapter) -> String {
    format!("ch{:02}.md", chapter.number)
}

#[cfg(test)]
mod tests {
    use super::{chapter_page, page_name, statements};
    use crate::CHAPTERS;
    use crate::grading::GRADERS;

    #[test]
    fn doc_comments_become_statements() {
        let src = "/// Add two numbers.\n///\n/// Return `a + b`.\n#[must_use]\npub fn exercise_4_2(a: f64) -> f64 {\n    a\n}\n\nfn helper() {}\n";
        let found = statements(src);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].id, "4.2");
        assert_eq!(found[0].function, "exercise_4_2");
        assert_eq!(found[0].title, "Add two numbers");
        assert_eq!(found[0].body, "Return `a + b`.");
    }

    #[test]
    fn every_exercise_has_a_statement_and_exactly_one_grader() {
        let mut ids = Vec::new();
        for chapter in CHAPTERS {
            for s in statements(chapter.source) {
                assert!(!s.title.is_empty(), "exercise {} has no title", s.id);
                assert!(!s.body.is_empty(), "exercise {} has no statement", s.id);
                assert!(
                    s.id.starts_with(&format!("{}.", chapter.number)),
                    "exercise {} sits in chapter {}",
                    s.id,
                    chapter.number
                );
                ids.push(s.id);
            }
        }
        let graded: Vec<&str> = GRADERS.iter().map(|g| g.id).collect();
        assert_eq!(
            ids, graded,
            "exercises and graders must match one to one, in order"
        );
    }

    #[test]
    fn every_chapter_has_two_to_four_exercises() {
        for chapter in CHAPTERS {
            let n = statements(chapter.source).len();
            assert!((2..=4).contains(&n), "chapter {} has {n}", chapter.number);
        }
    }

    /// The committed pages in `book/src/exercises/` equal a fresh generation. If this fails,
    /// run `just statements` and commit the result.
    #[test]
    fn committed_book_pages_are_up_to_date() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../book/src/exercises");
        for chapter in CHAPTERS {
            let path = dir.join(page_name(chapter));
            let committed = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}; run `just statements`", path.display()));
            assert_eq!(
                committed,
                chapter_page(chapter),
                "{} is stale: run `just statements`",
                path.display()
            );
        }
    }
}
