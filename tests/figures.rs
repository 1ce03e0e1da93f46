//! The committed figures and the examples agree in both directions: every SVG under
//! `book/src/figures/` is one that an example prints as drawn (its snapshot says so), and
//! the snapshot tests beside this module check that each of those equals a fresh render. A figure no example
//! draws any more is stale and fails here.

use std::collections::BTreeSet;
use std::path::Path;

use kl_tutorial_tests::root;

fn dir_names(dir: &Path, suffix: &str) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .into_string()
                .expect("UTF-8 name")
        })
        .filter(|n| n.ends_with(suffix))
        .collect()
}

#[test]
fn every_committed_figure_is_drawn_by_an_example() {
    let snapshots = root().join("tests/snapshots");
    let mut drawn = BTreeSet::new();
    for snap in dir_names(&snapshots, ".snap") {
        if !snap.starts_with("examples__") {
            continue;
        }
        let text = std::fs::read_to_string(snapshots.join(&snap)).expect("a snapshot");
        drawn.extend(
            text.lines()
                .filter_map(|l| l.strip_prefix("figure "))
                .map(str::to_string),
        );
    }
    assert!(!drawn.is_empty(), "no snapshot mentions a figure");
    let committed = dir_names(&root().join("book/src/figures"), ".svg");
    let stale: Vec<_> = committed.difference(&drawn).collect();
    let missing: Vec<_> = drawn.difference(&committed).collect();
    assert!(stale.is_empty(), "figures no example draws: {stale:?}");
    assert!(
        missing.is_empty(),
        "figures drawn but not committed: {missing:?}"
    );
}

/// The book includes the examples whole or in anchored pieces, in a code block 88 columns
/// wide: a longer line would be cut off or wrapped. (`examples/rustfmt.toml` sets
/// `max_width = 88` for code; comments and string literals are wrapped by hand.) The width is
/// counted in UTF-8 bytes, not characters: subscripts, `‖`, `≈` and the like come from
/// fallback fonts whose glyphs need not fit the code font's column, so a line of 88
/// characters with a dozen of them can still overflow. Bytes bound that from above. The
/// examples' shared module (`examples/common/`) is checked too.
#[test]
fn example_lines_fit_the_book() {
    let dir = root().join("examples");
    let mut files: Vec<String> = dir_names(&dir, ".rs").into_iter().collect();
    files.extend(
        dir_names(&dir.join("common"), ".rs")
            .into_iter()
            .map(|n| format!("common/{n}")),
    );
    let mut long = Vec::new();
    for name in files {
        let text = std::fs::read_to_string(dir.join(&name)).expect("an example's source");
        for (i, line) in text.lines().enumerate() {
            let width = line.len();
            if width > 88 {
                long.push(format!("examples/{name}:{}: {width} bytes", i + 1));
            }
        }
    }
    assert!(long.is_empty(), "lines over 88 bytes:\n{}", long.join("\n"));
}
