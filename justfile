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

# ---- The book (mdbook + mdbook-katex; how it is made: book/README.md) ----

# Install the pinned mdbook 0.5.1 and mdbook-katex 0.10.0 (cargo install --locked) when missing or at another version.
book-tools:
    bash .ci/book-tools

# Redraw the figures, then build the book into book/book/ (fails on a missing include or image).
book: figures
    bash .ci/book-build

# Build the book and serve it on http://127.0.0.1:3000, rebuilding on every change.
serve:
    mdbook serve book --hostname 127.0.0.1 --port 3000

# Build the book, open every page in headless Chromium at 1280 px and 420 px; fail on a broken image, raw TeX, a request off this machine, or anything wider than its room. Screenshots: .book-check/
book-check:
    #!/usr/bin/env bash
    set -euo pipefail
    bash .ci/book-build
    chromium=${CHROMIUM:-/usr/bin/chromium}
    if [[ ! -x "$chromium" ]]; then
        if [[ $(id -u) -eq 0 ]] && command -v apt-get > /dev/null; then
            echo "book-check: installing Chromium (apt-get install -y chromium)"
            apt-get update && apt-get install -y chromium
        else
            echo "book-check: needs Chromium at $chromium: sudo apt-get install -y chromium, or set CHROMIUM=/path/to/chrome" >&2
            exit 1
        fi
    fi
    for tool in node npm python3; do
        command -v "$tool" > /dev/null || { echo "book-check: needs $tool (Node 20 or newer with npm; python3 serves the pages)" >&2; exit 1; }
    done
    # playwright-core, exactly as locked; skipped when already installed from this lock file.
    if [[ ! -f book/check/node_modules/.package-lock.json || book/check/package-lock.json -nt book/check/node_modules/.package-lock.json ]]; then
        (cd book/check && npm ci --no-audit --no-fund --loglevel=error)
    fi
    CHROMIUM="$chromium" node book/check/check.js book/book .book-check

# The fuzz target (crates/kl/tests/all/fuzz.rs, the `fuzz` module of the one test binary) at length: CASES proptest cases per property from a random seed (CI runs 16 from a fixed one), each call given BUDGET seconds (CI: 60) and a failure shrunk at most 64 times (a hang met while shrinking costs a budget each time).
fuzz CASES="2000" BUDGET="10":
    FUZZ_RANDOM_SEED=1 PROPTEST_CASES={{CASES}} FUZZ_BUDGET_SECS={{BUDGET}} PROPTEST_MAX_SHRINK_ITERS=64 cargo test --release -p kl --test all fuzz:: -- --nocapture

# The library's documentation with its derivations typeset (KaTeX in rustdoc's header, as on docs.rs).
doc:
    RUSTDOCFLAGS="--html-in-header $(pwd)/crates/kl/katex-header.html" cargo doc -p kl --no-deps

# ---- Benchmarks (not part of CI) ----

# Criterion benchmarks (crates/kl-bench): the discrete kernel on one thread, then two; the fit loop (results in target/criterion).
bench:
    RAYON_NUM_THREADS=1 cargo bench -p kl-bench --bench discrete
    RAYON_NUM_THREADS=2 cargo bench -p kl-bench --bench discrete -- '2thread'
    cargo bench -p kl-bench --bench fit

# numpy and scipy on the same data as `just bench`, with the ratios (run `just bench` first); `just bench-python rows` or `fit` prints one table.
bench-python *ARGS:
    #!/usr/bin/env bash
    set -euo pipefail
    target="${CARGO_TARGET_DIR:-target}"
    venv="$target/bench-venv"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet numpy scipy
    fi
    CARGO_TARGET_DIR="$target" "$venv/bin/python" crates/kl-bench/python/bench.py {{ARGS}}

# The log-space, logit and row-wise kernels only (issue 18): criterion on 1 and 2 threads, then numpy and scipy beside them.
bench-rows:
    RAYON_NUM_THREADS=1 cargo bench -p kl-bench --bench discrete -- 'log_space|rows'
    RAYON_NUM_THREADS=2 cargo bench -p kl-bench --bench discrete -- '(log_space|rows).*2thread'
    just bench-python rows

# ---- Course assignments ----

# Write a student copy of the workspace into DIR, each exercise solution replaced by todo!().
assignment DIR:
    cargo run --quiet -p kl-exercises --bin assignment -- "{{join(invocation_directory(), DIR)}}"

# Check your exercises (all, or one: `just grade 2.1`): every check, and grades.json. A
# self-check in this process; cargo shows its progress on the first build.
grade ID="":
    cargo run -p kl-exercises --bin grade -- {{ID}}

# Regrade on every save of a chapter file (Ctrl-C to stop); `just watch 2.1` for one exercise.
watch ID="":
    #!/usr/bin/env bash
    set -u
    stamp() { stat -c '%Y %n' crates/kl-exercises/src/ch*.rs 2>/dev/null | md5sum; }
    last=""
    while true; do
        now=$(stamp)
        if [ "$now" != "$last" ]; then
            last=$now
            clear
            cargo run --quiet -p kl-exercises --bin grade -- {{ID}} || true
            echo "watching crates/kl-exercises/src/ch*.rs for changes (Ctrl-C to stop)"
        fi
        sleep 1
    done

# The instructor's grader: only DIR's chapter files, each exercise in a child process.
grade-submission DIR *ARGS:
    cargo run --quiet -p kl-exercises --bin grade -- --submission "{{join(invocation_directory(), DIR)}}" --json "{{join(invocation_directory(), "grades.json")}}" {{ARGS}}

# Regenerate the book's exercise pages (book/src/exercises/) from the exercises' doc comments.
statements:
    cargo run --quiet -p kl-exercises --bin assignment -- --statements book/src/exercises
