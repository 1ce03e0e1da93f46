//! Writes the student copy of the workspace, or the book's exercise pages.
//!
//! ```text
//! cargo run -p kl-exercises --bin assignment -- DIR               # the student copy in DIR
//! cargo run -p kl-exercises --bin assignment -- --statements DIR  # book pages chNN.md in DIR
//! cargo run -p kl-exercises --bin assignment -- --keep 1.1 DIR    # a copy with 1.1 solved (CI)
//! ```
//!
//! The student copy holds every file `git ls-files` lists (the library, the examples, the
//! book, the exercises, `Cargo.lock`), with each solution region of `crates/kl-exercises/src`
//! replaced by `todo!("exercise N.M")`. Without git (in a student copy, say) it walks the
//! directory tree instead, skipping `target/` and `.git/`. After writing, it checks the copy:
//! no marker line in any Rust file and no line of any solution anywhere, or it fails.

use std::error::Error;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use kl_exercises::strip::{BEGIN, END, Region, leaked_lines, regions, strip};
use kl_exercises::{CHAPTERS, statements};

/// The workspace this binary was built from.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The README the student copy gets instead of the repository's.
const STUDENT_README: &str = "crates/kl-exercises/STUDENT_README.md";

/// Where stripping applies: the exercise crate's sources.
const EXERCISE_SOURCES: &str = "crates/kl-exercises/src/";

/// The workspace's files, relative to `root`: git's list if git knows the tree, else a walk.
fn workspace_files(root: &Path) -> Result<Vec<PathBuf>, Box<dyn Error>> {
    let git = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z", "--cached"])
        .output();
    if let Ok(out) = git
        && out.status.success()
    {
        let list = String::from_utf8(out.stdout)?;
        return Ok(list
            .split('\0')
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
            .filter(|p| root.join(p).is_file()) // deleted in the worktree: skip
            .collect());
    }
    let mut files = Vec::new();
    walk(root, Path::new(""), &mut files)?;
    files.sort();
    Ok(files)
}

fn walk(root: &Path, rel: &Path, files: &mut Vec<PathBuf>) -> Result<(), Box<dyn Error>> {
    for entry in fs::read_dir(root.join(rel))? {
        let entry = entry?;
        let name = entry.file_name();
        let path = rel.join(&name);
        let kind = entry.file_type()?;
        if kind.is_dir() {
            let skip = [".git", "target"].contains(&name.to_string_lossy().as_ref())
                || path == Path::new("book/book");
            if !skip {
                walk(root, &path, files)?;
            }
        } else if kind.is_file() && path != Path::new("grades.json") {
            files.push(path);
        }
    }
    Ok(())
}

/// Every solution region of the exercise crate's sources in `root`.
fn all_regions(root: &Path, files: &[PathBuf]) -> Result<Vec<Region>, Box<dyn Error>> {
    let mut found = Vec::new();
    for file in files {
        if is_exercise_source(file) {
            let text = fs::read_to_string(root.join(file))?;
            found.extend(regions(&text).map_err(|e| format!("{}: {e}", file.display()))?);
        }
    }
    Ok(found)
}

fn is_exercise_source(file: &Path) -> bool {
    file.starts_with(EXERCISE_SOURCES) && file.extension().is_some_and(|e| e == "rs")
}

fn write_student_copy(dest: &Path, keep: &[String]) -> Result<(), Box<dyn Error>> {
    let root = workspace_root();
    if dest.exists() && fs::read_dir(dest)?.next().is_some() {
        return Err(format!(
            "{} exists and is not empty; choose a new directory",
            dest.display()
        )
        .into());
    }
    let files = workspace_files(&root)?;
    let solutions = all_regions(&root, &files)?;
    for file in &files {
        let target = dest.join(file);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        if is_exercise_source(file) {
            let text = fs::read_to_string(root.join(file))?;
            let stripped = strip(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            fs::write(&target, stripped)?;
        } else {
            fs::copy(root.join(file), &target)?; // keeps the mode: .ci/run stays executable
        }
    }
    check_copy(dest, &files, &solutions)?;
    keep_solutions(dest, &files, &solutions, keep)?;
    // The student's README: how to work and how to check, without the instructor's sections.
    fs::copy(root.join(STUDENT_README), dest.join("README.md"))?;
    println!(
        "student copy: {} files in {}, {} solutions replaced by todo!()",
        files.len(),
        dest.display(),
        solutions.len()
    );
    println!("next: cd {} && just grade", dest.display());
    if let Ok(shared) = std::env::var("CARGO_TARGET_DIR") {
        println!(
            "note: CARGO_TARGET_DIR is set ({shared}); build the copy with a target dir of its \
             own, or the two copies overwrite each other's kl-exercises builds"
        );
    }
    Ok(())
}

/// Puts the reference solution of each exercise in `keep` back where the copy has its
/// `todo!()` (for CI: one filled-in exercise must raise exactly its own points).
fn keep_solutions(
    dest: &Path,
    files: &[PathBuf],
    solutions: &[Region],
    keep: &[String],
) -> Result<(), Box<dyn Error>> {
    for id in keep {
        let region = solutions
            .iter()
            .find(|r| &r.id == id)
            .ok_or_else(|| format!("--keep {id}: no such exercise"))?;
        let todo = format!("todo!(\"exercise {id}\")");
        let file = files
            .iter()
            .filter(|f| is_exercise_source(f))
            .find(|f| fs::read_to_string(dest.join(f)).is_ok_and(|t| t.contains(&todo)))
            .ok_or_else(|| format!("--keep {id}: its todo!() is not in the copy"))?;
        let text = fs::read_to_string(dest.join(file))?;
        let out: Vec<String> = text
            .lines()
            .map(|l| {
                if l.trim() == todo {
                    region.text.clone()
                } else {
                    l.to_string()
                }
            })
            .collect();
        fs::write(dest.join(file), out.join("\n") + "\n")?;
    }
    Ok(())
}

/// Fails if any Rust file of the copy has a marker line, or any text file holds a line of a
/// solution.
fn check_copy(dest: &Path, files: &[PathBuf], solutions: &[Region]) -> Result<(), Box<dyn Error>> {
    for file in files {
        let Ok(text) = fs::read_to_string(dest.join(file)) else {
            continue; // binary files hold no solution text
        };
        let is_rust = file.extension().is_some_and(|e| e == "rs");
        if is_rust && text.lines().any(|l| l.trim() == BEGIN || l.trim() == END) {
            return Err(format!("{}: a solution marker survived", file.display()).into());
        }
        let leaked = leaked_lines(solutions, &text);
        if !leaked.is_empty() {
            return Err(format!(
                "{}: solution text leaked into the student copy:\n  {}",
                file.display(),
                leaked.join("\n  ")
            )
            .into());
        }
    }
    Ok(())
}

fn write_statements(dir: &Path) -> Result<(), Box<dyn Error>> {
    fs::create_dir_all(dir)?;
    for chapter in CHAPTERS {
        let path = dir.join(statements::page_name(chapter));
        fs::write(&path, statements::chapter_page(chapter))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    kl_exercises::check_binary_matches_workspace()?;
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [flag, dir] if flag == "--statements" => write_statements(Path::new(dir)),
        [dir] if !dir.starts_with('-') => write_student_copy(Path::new(dir), &[]),
        [flag, ids, dir] if flag == "--keep" => {
            let keep: Vec<String> = ids.split(',').map(String::from).collect();
            write_student_copy(Path::new(dir), &keep)
        }
        _ => Err("usage: assignment [--keep ID,..] DIR | assignment --statements DIR".into()),
    }
}
