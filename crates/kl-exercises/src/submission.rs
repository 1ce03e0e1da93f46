//! Grading a submission outside the student's tree (`grade --submission DIR`).
//!
//! 1. A pristine workspace of the grader's own (under the target dir, at a fixed place so its
//!    build is reused from one submission to the next) gets the grader's `kl` and
//!    `kl-exercises` — graders, points and all — and, from the submission, only the chapter
//!    files `crates/kl-exercises/src/chNN.rs`. A missing chapter file counts as not attempted.
//! 2. Each exercise is checked against the [`crate::rules`]; one that breaks a rule scores 0
//!    with the reason, without running.
//! 3. The workspace is built once. If that fails, the chapters the compiler names are cut down
//!    to one exercise at a time (the others' bodies become `todo!()`), so a compile error in one
//!    exercise zeroes that exercise alone, with the compiler's message.
//! 4. Each exercise runs in a child process of its own, with a cleared environment, an empty
//!    working directory and a time limit. The parent draws the held-out inputs from a seed
//!    only it knows and sends the child a nonce and the inputs on stdin, before any student
//!    code runs; the child runs the public checks (feedback, 0 points) and the student's
//!    function on each input and prints its outputs on lines carrying the nonce. The parent
//!    computes the references, compares, assigns the points and alone writes the results.
//! 5. Gradings may run at once: the shared workspace is locked while a grading writes its
//!    sources and builds, and each grading runs its children from a directory of its own.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::grading::{GRADERS, Grader, Outcome, draw_cases, encode, fresh_seed, parse_child};
use crate::{CHAPTERS, rules, strip};

/// What to grade and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// The submission: a copy of the workspace (only its chapter files are read).
    pub submission: PathBuf,
    /// The seed of the held-out inputs.
    pub seed: u64,
    /// Time limit for the public examples, and again for all the held-out inputs together;
    /// the child process is killed at twice this plus 5 s.
    pub limit: Duration,
}

impl Options {
    /// Options for `submission` with a fresh seed and the default limit.
    pub fn new(submission: PathBuf) -> Options {
        Options {
            submission,
            seed: fresh_seed(),
            limit: Duration::from_secs(30),
        }
    }
}

/// The grader's own workspace.
fn grader_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::create_dir_all(to)?;
    // Files a previous grading copied that the grader's tree no longer has (a module turned
    // into a folder, say) would be compiled beside the new ones: remove them first. What is
    // unchanged stays untouched, so cargo sees it as fresh.
    for entry in fs::read_dir(to)? {
        let entry = entry?;
        let name = entry.file_name();
        if name != "target" && !from.join(&name).exists() {
            if entry.file_type()?.is_dir() {
                fs::remove_dir_all(entry.path())?;
            } else {
                fs::remove_file(entry.path())?;
            }
        }
    }
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        // The manifests are written renamed and the chapter files from the submission.
        let chapter =
            name.to_string_lossy().starts_with("ch") && from.ends_with("kl-exercises/src");
        if name == "target" || name == ".git" || name == "Cargo.toml" || chapter {
            continue;
        }
        let (src, dst) = (entry.path(), to.join(&name));
        if entry.file_type()?.is_dir() {
            copy_tree(&src, &dst)?;
        } else {
            write_if_changed(&dst, &fs::read(&src)?)?;
        }
    }
    Ok(())
}

/// Writes `bytes` unless the file already holds them (keeps cargo's freshness checks happy).
fn write_if_changed(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, bytes)
}

/// The target dir the grader and its pristine workspace share.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| grader_root().join("target"))
}

/// An exclusive lock on the pristine workspace, held until dropped (another grading waits).
fn lock_workspace() -> Result<fs::File, String> {
    let base = target_dir().join("kl-grading");
    let io = |e: std::io::Error| format!("locking the grading workspace: {e}");
    fs::create_dir_all(&base).map_err(io)?;
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(base.join("lock"))
        .map_err(io)?;
    if file.try_lock().is_err() {
        eprintln!("waiting for another grading to finish building…");
        file.lock().map_err(io)?;
    }
    Ok(file)
}

/// A directory of this grading's own (its child binaries), removed when dropped.
struct RunDir(PathBuf);

impl RunDir {
    fn new() -> Result<RunDir, String> {
        let nonce = format!("{:016x}{:016x}", fresh_seed(), fresh_seed());
        let dir = std::env::temp_dir().join(format!("kl-grade-run-{nonce}"));
        fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        Ok(RunDir(dir))
    }
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for RunDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Sets up the pristine workspace and returns (its root, its target dir).
fn pristine_workspace() -> Result<(PathBuf, PathBuf), String> {
    let root = grader_root();
    let target = target_dir();
    let base = target.join("kl-grading");
    let ws = base.join("workspace");
    let io = |e: std::io::Error| format!("setting up the grading workspace: {e}");
    for krate in ["kl", "kl-exercises"] {
        copy_tree(
            &root.join("crates").join(krate),
            &ws.join("crates").join(krate),
        )
        .map_err(io)?;
    }
    // The grader's manifest cut down to the two crates, its profiles kept, and both crates
    // renamed (`kl-grading-kl`, `kl-grading-kl-exercises`, binary `kl-grading-child`; the library
    // names stay `kl` and `kl_exercises`): they then share the grader's target dir, and its
    // built dependencies, without overwriting the grader's own `kl`, `kl-exercises` or `grade`.
    let manifest = fs::read_to_string(root.join("Cargo.toml")).map_err(io)?;
    let mut out = String::from(
        "[workspace]\nmembers = [\"crates/kl\", \"crates/kl-exercises\"]\nresolver = \"3\"\n\n",
    );
    let mut keep = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            keep = line.starts_with("[workspace.package]")
                || line.starts_with("[workspace.dependencies]")
                || line.starts_with("[profile");
        }
        if !keep || line.starts_with("kl-plot") {
            continue;
        }
        if line.starts_with("kl =") {
            out.push_str("kl = { path = \"crates/kl\", package = \"kl-grading-kl\" }\n");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    write_if_changed(&ws.join("Cargo.toml"), out.as_bytes()).map_err(io)?;
    for (krate, extra, tail) in [
        ("kl", "", "\n[lib]\nname = \"kl\"\n"),
        (
            "kl-exercises",
            "autobins = false\n",
            "\n[lib]\nname = \"kl_exercises\"\n\n[[bin]]\nname = \"kl-grading-child\"\npath = \"src/bin/grade.rs\"\n",
        ),
    ] {
        let text =
            fs::read_to_string(root.join("crates").join(krate).join("Cargo.toml")).map_err(io)?;
        let text = text.replacen(
            &format!("name = \"{krate}\"\n"),
            &format!("name = \"kl-grading-{krate}\"\n{extra}"),
            1,
        );
        let path = ws.join("crates").join(krate).join("Cargo.toml");
        write_if_changed(&path, format!("{text}{tail}").as_bytes()).map_err(io)?;
    }
    let lock = fs::read(root.join("Cargo.lock")).map_err(io)?;
    if !ws.join("Cargo.lock").exists() {
        write_if_changed(&ws.join("Cargo.lock"), &lock).map_err(io)?;
    }
    Ok((ws, target))
}

/// The chapter sources to grade: the submission's, or the stripped grader's when missing.
fn submitted_chapters(submission: &Path) -> Result<Vec<String>, String> {
    CHAPTERS
        .iter()
        .map(|c| {
            let path = submission.join("crates/kl-exercises/src").join(c.file);
            match fs::read_to_string(&path) {
                Ok(text) => Ok(text),
                Err(_) => strip::strip(c.source).map_err(|e| format!("{}: {e}", c.file)),
            }
        })
        .collect()
}

/// The chapter number of exercise `id`.
fn chapter_of(id: &str) -> u32 {
    id.split('.')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Builds the `grade` binary of the workspace with the given chapter sources; `Ok(binary
/// copy)` or `Err(compiler messages)`. `label` names the copy of the binary kept for running.
fn build(
    ws: &Path,
    target: &Path,
    sources: &[String],
    label: &str,
    run_dir: &Path,
) -> Result<PathBuf, String> {
    for (c, text) in CHAPTERS.iter().zip(sources) {
        write_if_changed(
            &ws.join("crates/kl-exercises/src").join(c.file),
            text.as_bytes(),
        )
        .map_err(|e| e.to_string())?;
    }
    let mut child = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(ws)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .args([
            "build",
            "-p",
            "kl-grading-kl-exercises",
            "--bin",
            "kl-grading-child",
            "--message-format",
            "short",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    // Show cargo's progress (a first build compiles every dependency) and keep the errors.
    let mut log = String::new();
    if let Some(err) = child.stderr.take() {
        for line in BufReader::new(err).lines().map_while(Result::ok) {
            let t = line.trim_start();
            if t.starts_with("Compiling") || t.starts_with("Finished") || t.starts_with("Blocking")
            {
                eprintln!("{line}");
            }
            log.push_str(&line);
            log.push('\n');
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(log);
    }
    let built = target
        .join("debug")
        .join(format!("kl-grading-child{}", std::env::consts::EXE_SUFFIX));
    let copy = run_dir.join(format!("child-{label}{}", std::env::consts::EXE_SUFFIX));
    fs::copy(&built, &copy).map_err(|e| format!("copying {}: {e}", built.display()))?;
    Ok(copy)
}

/// The compiler's error lines that point into chapter file `file`.
fn errors_in(log: &str, file: &str) -> Vec<String> {
    let needle = format!("src/{file}:");
    log.lines()
        .filter(|l| l.contains(&needle) && (l.contains("error") || l.contains("warning: unused")))
        .filter(|l| l.contains("error"))
        .map(|l| l[l.find(&needle).unwrap_or(0)..].to_string())
        .collect()
}

/// Runs exercise `grader` of `binary` in a child process and reads its report.
fn run_child(binary: &Path, grader: &Grader, options: &Options) -> Outcome {
    let nonce = format!("{:016x}{:016x}", fresh_seed(), fresh_seed());
    let dir = std::env::temp_dir().join(format!("kl-grade-{nonce}"));
    let _ = fs::create_dir_all(&dir);
    // The child spends at most `limit` on the public checks and `limit` on the held-out inputs.
    let limit = options.limit * 2 + Duration::from_secs(5);
    let spawned = Command::new(binary)
        .arg("--child")
        .arg(options.limit.as_secs_f64().to_string())
        .env_clear()
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => return Outcome::failed(grader, &format!("could not start: {e}")),
    };
    // The held-out inputs are drawn here, from the seed only this process knows; the child
    // gets the inputs, never the seed, and the references are computed here once it answers.
    let cases = draw_cases(grader, options.seed);
    if let Some(mut stdin) = child.stdin.take() {
        let mut text = format!("{nonce} {} {}\n", grader.id, cases.len());
        for case in &cases {
            text.push_str(&encode(&case.input));
            text.push('\n');
        }
        let _ = stdin.write_all(text.as_bytes());
    }
    let (tx, rx) = mpsc::channel();
    if let Some(stdout) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stdout.take(1 << 20).read_to_string(&mut text);
            let _ = tx.send(text);
        });
    }
    let start = Instant::now();
    let mut timed_out = false;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                timed_out = true;
                break;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => break,
        }
    }
    let stdout = rx.recv_timeout(Duration::from_secs(2)).unwrap_or_default();
    let _ = fs::remove_dir_all(&dir);
    let missing = if timed_out {
        format!(
            "still running after {} s (an endless loop?)",
            limit.as_secs()
        )
    } else {
        "the exercise's process ended before reporting this check (did it exit or crash?)".into()
    };
    parse_child(grader, &cases, &nonce, &stdout, &missing)
}

/// Grades the submission: one outcome per exercise, in book order.
pub fn grade(options: &Options) -> Result<Vec<Outcome>, String> {
    // Two gradings at once (two students on one machine, Gradescope's parallel runs) share the
    // pristine workspace, whose build is reused: each holds its lock while it writes the
    // sources and builds, and runs its children from copies in a directory of its own.
    let run_dir = RunDir::new()?;
    let lock = lock_workspace()?;
    let (ws, target) = pristine_workspace()?;
    let sources = submitted_chapters(&options.submission)?;
    let source_of = |id: &str| {
        let n = chapter_of(id);
        CHAPTERS.iter().position(|c| c.number == n)
    };
    // Rules first: an exercise that breaks one is not run at all.
    let mut rejected: Vec<Option<String>> = GRADERS
        .iter()
        .map(|g| {
            let v = rules::violations(&sources[source_of(g.id)?], g.id);
            (!v.is_empty()).then(|| format!("rejected: {}", v.join("; ")))
        })
        .collect();
    // The binary each exercise runs in, or why it has none.
    let mut binary: Vec<Result<PathBuf, String>> = Vec::new();
    match build(&ws, &target, &sources, "all", run_dir.path()) {
        Ok(bin) => binary = GRADERS.iter().map(|_| Ok(bin.clone())).collect(),
        Err(log) => {
            let broken: Vec<usize> = CHAPTERS
                .iter()
                .enumerate()
                .filter(|(_, c)| !errors_in(&log, c.file).is_empty())
                .map(|(i, _)| i)
                .collect();
            if broken.is_empty() {
                return Err(format!("the grading workspace does not build:\n{log}"));
            }
            // Everything outside the broken chapters, built once with those chapters stubbed.
            let mut rest = sources.clone();
            for &i in &broken {
                rest[i] = strip::strip(CHAPTERS[i].source).map_err(|e| e.to_string())?;
            }
            let rest_bin = build(&ws, &target, &rest, "rest", run_dir.path());
            for g in GRADERS {
                let ci = source_of(g.id).unwrap_or(0);
                if !broken.contains(&ci) {
                    binary.push(
                        rest_bin
                            .clone()
                            .map_err(|l| format!("does not compile:\n{l}")),
                    );
                    continue;
                }
                let mut one = rest.clone();
                one[ci] = rules::stub_except(&sources[ci], Some(g.id));
                let label = g.id.replace('.', "_");
                binary.push(
                    build(&ws, &target, &one, &label, run_dir.path()).map_err(|l| {
                        let errors = errors_in(&l, CHAPTERS[ci].file);
                        format!("does not compile: {}", errors.join(" | "))
                    }),
                );
            }
        }
    }
    drop(lock);
    let mut outcomes = Vec::new();
    for (i, g) in GRADERS.iter().enumerate() {
        let outcome = if let Some(reason) = rejected[i].take() {
            Outcome::failed(g, &reason)
        } else {
            match &binary[i] {
                Ok(bin) => run_child(bin, g, options),
                Err(message) => Outcome::failed(g, message),
            }
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}
