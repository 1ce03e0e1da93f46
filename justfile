# kl-tutorial recipes. Install `just` in seconds with `pip install rust-just`.

# List the recipes.
default:
    @just --list

# Every example, in chapter order (figures into book/src/figures/).
run-all:
    #!/usr/bin/env bash
    set -euo pipefail
    for f in examples/[0-9][0-9]_*.rs; do
        name=$(basename "$f" .rs)
        echo "=== $name"
        cargo run --quiet --release --example "$name"
    done

# Redraw every committed figure (run after a change that moves a number; review the diff).
figures:
    #!/usr/bin/env bash
    set -euo pipefail
    for f in examples/[0-9][0-9]_*.rs; do
        cargo run --quiet --release --example "$(basename "$f" .rs)" > /dev/null
    done

# The test suite, exactly as CI runs it.
test:
    bash .ci/run

# Write a student copy of the workspace into DIR, each exercise solution replaced by todo!().
assignment DIR:
    cargo run --quiet -p kl-exercises --bin assignment -- "{{join(invocation_directory(), DIR)}}"

# Grade the exercises: a table of points, and the same as grades.json for a gradebook.
grade:
    cargo run --quiet -p kl-exercises --bin grade

# Regenerate the book's exercise pages (book/src/exercises/) from the exercises' doc comments.
statements:
    cargo run --quiet -p kl-exercises --bin assignment -- --statements book/src/exercises
