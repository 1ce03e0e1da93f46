//! Running a built example the way a reader does, with its figures sent to a scratch directory
//! (the helpers of the chapters' test binary, `examples.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository's root (this package lives in its `tests/` folder).
pub fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// Where the committed figures live.
pub fn committed_figures() -> PathBuf {
    root().join("book/src/figures")
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
    let binary = insta_cmd::get_cargo_example(name);
    assert!(
        binary.exists(),
        "example {name} is not built: a plain `cargo test` builds the examples first; after \
         `cargo test -p kl-tutorial-tests`, run `cargo build --examples` and test again"
    );
    let output = Command::new(binary)
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
