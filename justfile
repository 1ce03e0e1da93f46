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

# Criterion benchmarks of the discrete kernel: one thread, then two (results in target/criterion).
bench:
    RAYON_NUM_THREADS=1 cargo bench --bench discrete
    RAYON_NUM_THREADS=2 cargo bench --bench discrete -- '2thread'

# numpy and scipy on the same data as `just bench`, with the ratios (run `just bench` first).
bench-python:
    #!/usr/bin/env bash
    set -euo pipefail
    target="${CARGO_TARGET_DIR:-target}"
    venv="$target/bench-venv"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet numpy scipy
    fi
    CARGO_TARGET_DIR="$target" "$venv/bin/python" benches/python/bench.py
