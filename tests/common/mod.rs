//! Running a built example the way a reader does, with its figures sent to a scratch directory.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the committed figures live.
pub fn committed_figures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/figures")
}

/// What one run of an example left behind.
pub struct Run {
    pub stdout: String,
    /// The figures it wrote (file names, as it printed them) and their scratch directory.
    pub figures: Vec<String>,
    pub dir: tempfile::TempDir,
}

/// Runs the example `name` (built by `cargo test` with the other targets) with `KL_FIGURES`
/// pointing at a fresh temporary directory, and checks it succeeded quietly.
pub fn run_example(name: &str) -> Run {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let output = Command::new(insta_cmd::get_cargo_example(name))
        .env("KL_FIGURES", dir.path())
        .output()
        .unwrap_or_else(|e| panic!("could not start example {name}: {e}"));
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "example {name} failed with {}:\n{stderr}",
        output.status
    );
    assert!(
        stderr.is_empty(),
        "example {name} wrote to stderr:\n{stderr}"
    );
    let figures = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("figure "))
        .map(str::to_string)
        .collect();
    Run {
        stdout,
        figures,
        dir,
    }
}
