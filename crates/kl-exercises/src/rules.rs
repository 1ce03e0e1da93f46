//! What a submission's source may contain, and how to cut one exercise out of a chapter file.
//!
//! The instructor's grader (`grade --submission`) reads each submitted `chNN.rs` as tokens —
//! comments, strings and character literals skipped, raw identifiers (`r#fs`) unwrapped — and
//! rejects an exercise whose code names:
//!
//! - anything that reaches outside the process or the file ([`GLOBAL_FORBIDDEN`]): files,
//!   processes, the environment, the network, `include!`-style macros, `#[path]`, `extern
//!   crate`, `unsafe`, linker attributes. Naming is the only way to reach an item in Rust
//!   (`macro_rules!` cannot build identifiers, `use … as` and globs keep the original name
//!   in the `use` line), so a token rule catches `use kl as x`, `::kl::`, re-exports and
//!   macros alike;
//! - the `kl` items that solve the exercise ([`forbidden_for`]), in the exercise's own body or
//!   anywhere in the file outside the *other* exercises' bodies (helpers and `use` lines are
//!   shared by every exercise of the file).
//!
//! A rule is checked on names, not on behaviour: a student who needs `kl::discrete::kl_divergence`
//! for 1.1 writes it inside 1.1's body, so that 1.2 (which may not call it) does not see it.

/// Names no submission may use anywhere: they reach files, processes, the environment, the
/// network, other source files or raw memory.
pub const GLOBAL_FORBIDDEN: &[&str] = &[
    "include",
    "include_str",
    "include_bytes",
    "env",
    "option_env",
    "process",
    "Command",
    "exit",
    "abort",
    "fs",
    "File",
    "OpenOptions",
    "net",
    "TcpStream",
    "TcpListener",
    "UdpSocket",
    "os",
    "unsafe",
    "extern",
    "asm",
    "global_asm",
    "naked_asm",
    "path",
    "link",
    "no_mangle",
    "export_name",
    "link_section",
    "libc",
];

/// Every `kl` item that computes a closed-form divergence or integrates one numerically: any of
/// them answers the closed-form and grid exercises to far below the graders' tolerances. The
/// `quadrature` crate (a dependency of this crate) does the same.
const CLOSED_FORMS_AND_INTEGRALS: &[&str] = &[
    "kl::kl_divergence",
    "kl::KlDivergence",
    "kl::closed_form",
    "kl::closed_form::kl_divergence",
    "kl::divergences",
    "kl::divergences::renyi_divergence",
    "kl::divergences::RenyiDivergence",
    "kl::divergences::f_divergence",
    "kl::numeric",
    "kl::numeric::quadrature",
    "kl::numeric::quadrature_between",
    "kl::numeric::grid",
    "kl::numeric::monte_carlo",
    "quadrature",
];

/// The items that solve each exercise, in one place: `kl` paths by today's names (when `kl`
/// renames an item, its entry here is the one line to change; a test checks every entry
/// against `kl`'s source) and the crates that would do the work. A submission may not name
/// the last segment of any entry as part of a path (`a::NAME`, `NAME::b`, in `use` lines
/// included, and anywhere in a `use` line); `kl`'s crate-root re-exports (`kl::kl_divergence`, `kl::KlDivergence`) may not
/// be named at all, since `use kl::*` brings them in unqualified. Listing a module forbids
/// every item in it, which also catches globs (`use kl::estimate::*`) and aliases.
pub const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "1.1",
        &[
            "kl::discrete::js_divergence",
            "kl::discrete::views::js_divergence",
            "kl::divergences::f_divergence",
            "kl::divergences::mutual_information",
        ],
    ),
    (
        "1.2",
        &[
            "kl::discrete",
            "kl::discrete::cross_entropy",
            "kl::discrete::entropy",
            "kl::discrete::kl_divergence",
            "kl::kl_divergence",
            "kl::KlDivergence",
            "kl::closed_form",
            "kl::divergences",
            "kl::numeric",
            "kl::estimate",
            "kl::models",
        ],
    ),
    (
        "1.3",
        &[
            "kl::discrete",
            "kl::discrete::normalize",
            "kl::discrete::kl_divergence_unnormalized",
            "kl::models::empirical_pmf",
            "kl::kl_divergence",
            "kl::KlDivergence",
            "kl::closed_form",
            "kl::divergences",
        ],
    ),
    ("2.1", CLOSED_FORMS_AND_INTEGRALS),
    ("2.2", CLOSED_FORMS_AND_INTEGRALS),
    ("2.3", CLOSED_FORMS_AND_INTEGRALS),
    ("3.1", CLOSED_FORMS_AND_INTEGRALS),
    ("3.2", CLOSED_FORMS_AND_INTEGRALS),
    ("3.3", CLOSED_FORMS_AND_INTEGRALS),
    (
        "4.1",
        &[
            "kl::fit",
            "kl::fit::ForwardKl",
            "kl::fit::OriginalForwardKl",
            "kl::fit::Objective",
            "kl::fit::normal_masses",
            "kl::fit_grid",
        ],
    ),
    (
        "4.2",
        &["kl::fit", "kl::fit::gradient_descent", "kl::fit::Fit"],
    ),
    (
        "5.1",
        &[
            "kl::fit",
            "kl::fit::ReverseKl",
            "kl::fit::Objective",
            "kl::fit_grid",
        ],
    ),
    (
        "5.2",
        &[
            "kl::fit",
            "kl::fit::moment_match",
            "kl::fit_grid",
            "kl::fit_grid::grid_moment_match",
            "kl::mixture",
            "kl::numeric",
            "quadrature",
        ],
    ),
    ("6.1", CLOSED_FORMS_AND_INTEGRALS),
    (
        "6.2",
        &[
            "kl::models",
            "kl::models::discretized_normal_masses",
            "kl::models::poisson_masses",
            "kl::kl_divergence",
            "kl::KlDivergence",
            "kl::closed_form",
            "kl::numeric",
        ],
    ),
    (
        "7.1",
        &[
            "kl::estimate",
            "kl::estimate::knn_divergence",
            "kl::estimate::knn_divergence_1d",
        ],
    ),
    (
        "7.2",
        &[
            "kl::estimate",
            "kl::estimate::knn_divergence",
            "kl::estimate::knn_divergence_1d",
        ],
    ),
    (
        "8.1",
        &[
            "kl::numeric",
            "kl::numeric::monte_carlo",
            "kl::numeric::LnDensity",
            "kl::mixture",
            "kl::mixture::GaussianMixture",
            "kl::mixture::log_likelihood",
            "kl::kl_divergence",
            "kl::KlDivergence",
            "quadrature",
        ],
    ),
    (
        "8.2",
        &[
            "kl::mixture",
            "kl::mixture::responsibilities",
            "kl::mixture::em",
            "kl::mixture::posterior_kl",
            "kl::mixture::GaussianMixture",
        ],
    ),
    (
        "9.1",
        &[
            "kl::tsne",
            "kl::tsne::conditional_probabilities",
            "kl::tsne::joint_probabilities",
            "kl::tsne::Calibration",
        ],
    ),
    (
        "9.2",
        &[
            "kl::tsne",
            "kl::tsne::cost_and_gradient",
            "kl::tsne::cost",
            "kl::tsne::gradient_check",
            "kl::tsne::run",
            "kl::tsne::Options",
        ],
    ),
    ("10.1", SOFTMAX_LOSSES),
    ("10.2", SOFTMAX_LOSSES),
    ("11.1", VAE_KL),
    ("11.2", VAE_KL),
    ("12.1", LOG_RATIO),
    ("12.2", LOG_RATIO),
    ("13.1", RENYI),
    ("13.2", MUTUAL_INFORMATION),
];

/// What would solve the exercises of chapter 12: Schulman's estimators in `kl::estimate`
/// (the module itself, so none of it may be named) and the numerical routes that would
/// integrate the moments of 12.2.
const LOG_RATIO: &[&str] = &[
    "kl::estimate",
    "kl::estimate::k1",
    "kl::estimate::k2",
    "kl::estimate::k3",
    "kl::estimate::log_ratio_estimates",
    "kl::estimate::LogRatioEstimates",
    "kl::kl_divergence",
    "kl::KlDivergence",
    "kl::closed_form",
    "kl::numeric",
    "quadrature",
];

/// What computes a Rényi divergence between normals (13.1): `kl::divergences` and the
/// closed forms and integrals it would be checked by.
const RENYI: &[&str] = &[
    "kl::divergences",
    "kl::divergences::renyi_divergence",
    "kl::divergences::RenyiDivergence",
    "kl::kl_divergence",
    "kl::KlDivergence",
    "kl::closed_form",
    "kl::numeric",
    "quadrature",
];

/// What computes a mutual information (13.2): `kl::divergences::mutual_information`, and every
/// discrete KL or entropy it could be assembled from.
const MUTUAL_INFORMATION: &[&str] = &[
    "kl::divergences",
    "kl::divergences::mutual_information",
    "kl::discrete",
    "kl::discrete::kl_divergence",
    "kl::discrete::entropy",
    "kl::discrete::cross_entropy",
    "kl::kl_divergence",
    "kl::KlDivergence",
];

/// What would solve the exercises of chapter 10: every cross-entropy, log-space and logit
/// function of `kl::discrete` (the module itself is listed, so none of it may be named).
const SOFTMAX_LOSSES: &[&str] = &[
    "kl::discrete",
    "kl::discrete::cross_entropy",
    "kl::discrete::cross_entropy_log",
    "kl::discrete::cross_entropy_logits",
    "kl::discrete::cross_entropy_logits_gradient",
    "kl::discrete::kl_divergence_log",
    "kl::discrete::kl_divergence_logits",
    "kl::discrete::kl_divergence_logits_gradient",
    "kl::discrete::log_softmax",
    "kl::discrete::softmax",
    "kl::discrete::rows",
    "kl::discrete::Scale",
];

/// What computes the VAE's KL term (chapter 11): the structured normals and their registry
/// pairs, the linear VAE that calls them, and the Monte Carlo route.
const VAE_KL: &[&str] = &[
    "kl::structured",
    "kl::structured::standard_normal_kl",
    "kl::structured::DiagonalNormal",
    "kl::structured::LowRankNormal",
    "kl::vae",
    "kl::vae::loss_and_gradient",
    "kl::kl_divergence",
    "kl::KlDivergence",
    "kl::closed_form",
    "kl::numeric",
    "kl::numeric::monte_carlo",
];

/// The entries of [`FORBIDDEN`] for exercise `id`.
pub fn forbidden_for(id: &str) -> &'static [&'static str] {
    FORBIDDEN
        .iter()
        .find(|(i, _)| *i == id)
        .map_or(&[], |(_, list)| list)
}

/// `kl`'s crate-root re-exports: forbidden even unqualified where listed.
const ROOT_REEXPORTS: &[&str] = &["kl::kl_divergence", "kl::KlDivergence"];

/// A token of Rust source that the rules look at.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    /// An identifier or keyword, raw prefix removed.
    Ident(String),
    /// `{` or `}`.
    Brace(bool),
    /// `(` or `)`.
    Paren(bool),
    /// Anything else that matters for finding a function body: `;`.
    Semi,
    /// `::`, which makes a name part of a path.
    PathSep,
    /// `$`, a macro variable: `::$name` builds a path the rules cannot read.
    Dollar,
}

/// Lexes `src` into tokens with their byte offsets; comments, strings, chars and numbers are
/// skipped. Lifetimes (`'a`) are told from character literals.
fn lex(src: &str) -> Vec<(usize, Tok)> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let n = b.len();
    while i < n {
        let c = b[i];
        if c == b'/' && i + 1 < n && b[i + 1] == b'/' {
            while i < n && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && i + 1 < n && b[i + 1] == b'*' {
            let mut depth = 1;
            i += 2;
            while i < n && depth > 0 {
                if b[i] == b'/' && i + 1 < n && b[i + 1] == b'*' {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && i + 1 < n && b[i + 1] == b'/' {
                    depth -= 1;
                    i += 2;
                } else {
                    i += 1;
                }
            }
        } else if c == b'"' {
            i = skip_string(b, i + 1);
        } else if (c == b'r' || c == b'b') && raw_string_start(b, i).is_some() {
            let (hashes, body) = raw_string_start(b, i).unwrap_or((0, i));
            i = body;
            while i < n {
                if b[i] == b'"'
                    && b.len() >= i + 1 + hashes
                    && b[i + 1..i + 1 + hashes].iter().all(|&h| h == b'#')
                {
                    i += 1 + hashes;
                    break;
                }
                i += 1;
            }
        } else if c == b'b' && i + 1 < n && b[i + 1] == b'"' {
            i = skip_string(b, i + 2);
        } else if c == b'\'' {
            // A char literal 'x', '\n', '\u{..}', or a lifetime 'a.
            if i + 2 < n && b[i + 1] == b'\\' {
                i += 2;
                while i < n && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            } else {
                // one UTF-8 character then a quote = char literal
                let ch_len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                if i + 1 + ch_len < n && b[i + 1 + ch_len] == b'\'' {
                    i += 2 + ch_len;
                } else {
                    i += 1; // lifetime: its name lexes as an identifier, harmlessly
                }
            }
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            let start = i;
            if c == b'r' && i + 1 < n && b[i + 1] == b'#' {
                i += 2;
            }
            let name_start = i;
            while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80) {
                i += 1;
            }
            if i == name_start {
                i += 1;
                continue;
            }
            out.push((start, Tok::Ident(src[name_start..i].to_string())));
        } else if c.is_ascii_digit() {
            while i < n && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                if b[i] == b'.' && !(i + 1 < n && b[i + 1].is_ascii_digit()) {
                    break;
                }
                i += 1;
            }
        } else {
            match c {
                b'{' => out.push((i, Tok::Brace(true))),
                b'}' => out.push((i, Tok::Brace(false))),
                b'(' => out.push((i, Tok::Paren(true))),
                b')' => out.push((i, Tok::Paren(false))),
                b';' => out.push((i, Tok::Semi)),
                b'$' => out.push((i, Tok::Dollar)),
                b':' if i + 1 < n && b[i + 1] == b':' => {
                    out.push((i, Tok::PathSep));
                    i += 1;
                }
                _ => {}
            }
            i += 1;
        }
    }
    out
}

fn skip_string(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// `Some((hashes, index after the opening quote))` if a raw string starts at `i`.
fn raw_string_start(b: &[u8], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if b[j] == b'b' {
        j += 1;
    }
    if j >= b.len() || b[j] != b'r' {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while j < b.len() && b[j] == b'#' {
        hashes += 1;
        j += 1;
    }
    if j < b.len() && b[j] == b'"' && (hashes > 0 || j == i + 1 + usize::from(b[i] == b'b')) {
        Some((hashes, j + 1))
    } else {
        None
    }
}

/// The byte range `{ … }` (braces included) of each `fn exercise_N_M` body in `src`, by id.
pub fn exercise_bodies(src: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let toks = lex(src);
    let mut found = Vec::new();
    let mut k = 0;
    while k + 1 < toks.len() {
        let is_fn = matches!(&toks[k].1, Tok::Ident(s) if s == "fn");
        let id = match &toks[k + 1].1 {
            Tok::Ident(name) if is_fn => crate::strip::exercise_id(&format!("fn {name}(")),
            _ => None,
        };
        let Some(id) = id else {
            k += 1;
            continue;
        };
        // The body is the first `{` outside parentheses after the name.
        let mut j = k + 2;
        let mut parens = 0i32;
        while j < toks.len() {
            match toks[j].1 {
                Tok::Paren(true) => parens += 1,
                Tok::Paren(false) => parens -= 1,
                Tok::Brace(true) if parens == 0 => break,
                Tok::Semi if parens == 0 => break,
                _ => {}
            }
            j += 1;
        }
        if j >= toks.len() || toks[j].1 != Tok::Brace(true) {
            k += 1;
            continue;
        }
        let start = toks[j].0;
        let mut depth = 0i32;
        let mut end = None;
        for t in &toks[j..] {
            match t.1 {
                Tok::Brace(true) => depth += 1,
                Tok::Brace(false) => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(t.0 + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        if let Some(end) = end {
            found.push((id, start..end));
        }
        k = j;
    }
    found
}

/// `src` with the body of every exercise other than `keep` replaced by `todo!("exercise N.M")`
/// (all of them when `keep` is `None`), so that a compile error in one exercise's body does not
/// stop the others from being built and graded.
pub fn stub_except(src: &str, keep: Option<&str>) -> String {
    let mut out = String::with_capacity(src.len());
    let mut last = 0;
    for (id, range) in exercise_bodies(src) {
        if Some(id.as_str()) == keep {
            continue;
        }
        out.push_str(&src[last..range.start]);
        out.push_str(&format!("{{\n    todo!(\"exercise {id}\")\n}}"));
        last = range.end;
    }
    out.push_str(&src[last..]);
    out
}

/// Why exercise `id` of the chapter source `src` breaks a rule, one message per offence; empty
/// when it keeps them all. Only the exercise's own body and the file outside the other
/// exercises' bodies are read.
pub fn violations(src: &str, id: &str) -> Vec<String> {
    let own = stub_except(src, Some(id));
    let forbidden = forbidden_for(id);
    let toks = lex(&own);
    let mut seen = Vec::new();
    let mut in_use = false;
    for (k, (at, tok)) in toks.iter().enumerate() {
        match tok {
            Tok::Ident(w) if w == "use" => in_use = true,
            Tok::Semi => in_use = false,
            _ => {}
        }
        let line = own[..*at].lines().count().max(1);
        let in_path = in_use
            || (k > 0 && toks[k - 1].1 == Tok::PathSep)
            || toks.get(k + 1).is_some_and(|t| t.1 == Tok::PathSep);
        let (name, message) = match tok {
            Tok::Dollar if k > 0 && toks[k - 1].1 == Tok::PathSep && !forbidden.is_empty() => (
                "::$".to_string(),
                format!(
                    "`::$` (near line {line} of the file as graded): exercise {id} may not build \
                     paths in macros, which the rules cannot check"
                ),
            ),
            Tok::Ident(name) if GLOBAL_FORBIDDEN.contains(&name.as_str()) => (
                name.clone(),
                format!(
                    "`{name}` (near line {line} of the file as graded): submissions may not touch \
                     files, processes, the environment, other source files or unsafe code"
                ),
            ),
            Tok::Ident(name) => {
                let Some(entry) = forbidden.iter().find(|e| {
                    e.rsplit("::").next() == Some(name.as_str())
                        && (in_path || ROOT_REEXPORTS.contains(e))
                }) else {
                    continue;
                };
                (
                    name.clone(),
                    format!(
                        "`{name}` (near line {line} of the file as graded): exercise {id} asks you \
                         to write this yourself, so it may not use `{entry}`, which does it"
                    ),
                )
            }
            _ => continue,
        };
        if !seen
            .iter()
            .any(|m: &String| m.starts_with(&format!("`{name}`")))
        {
            seen.push(message);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::{FORBIDDEN, exercise_bodies, forbidden_for, stub_except, violations};

    const SRC: &str = r#"
use kl::Error;
/// doc with fn exercise_9_9() { in a comment }
pub fn exercise_1_1(p: &[f64], q: &[f64]) -> Result<f64, Error> {
    let s = "}{ a string with braces";
    let c = '}';
    Ok(kl::discrete::kl_divergence(p, q)? + s.len() as f64 + c.len_utf8() as f64)
}
fn helper<'a>(x: &'a [f64]) -> f64 { x[0] }
pub fn exercise_1_2(p: &[f64], q: &[f64]) -> (f64, f64, f64) {
    let r#x = helper(p);
    (r#x, 0.0, 0.0)
}
"#;

    #[test]
    fn bodies_are_found_past_strings_chars_and_comments() {
        let bodies = exercise_bodies(SRC);
        let ids: Vec<&str> = bodies.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["1.1", "1.2"]);
        let stubbed = stub_except(SRC, Some("1.2"));
        assert!(stubbed.contains("todo!(\"exercise 1.1\")"), "{stubbed}");
        assert!(!stubbed.contains("kl_divergence"), "{stubbed}");
        assert!(stubbed.contains("helper(p)"), "{stubbed}");
    }

    #[test]
    fn rules_see_through_aliases_raw_identifiers_and_the_other_exercises() {
        // 1.2 may not call kl_divergence, but 1.1's body is not 1.2's business.
        assert!(
            violations(SRC, "1.2").is_empty(),
            "{:?}",
            violations(SRC, "1.2")
        );
        let aliased = "use kl::discrete::cross_entropy as ce;\npub fn exercise_1_2(p: &[f64], q: &[f64]) -> (f64, f64, f64) { (ce(p, q).unwrap(), 0.0, 0.0) }";
        assert_eq!(
            violations(aliased, "1.2").len(),
            2,
            "{:?}",
            violations(aliased, "1.2")
        );
        let exit = "pub fn exercise_2_2(a: f64, b: f64) -> f64 { std::r#process::exit(0) }";
        assert!(violations(exit, "2.2")[0].contains("`process`"));
        let include = "pub fn exercise_2_2(a: f64, b: f64) -> f64 { include!(\"/etc/x\") }";
        assert!(violations(include, "2.2")[0].contains("`include`"));
        // ...but a forbidden word inside a string or a comment is not code.
        let quiet =
            "// std::process\npub fn exercise_2_2(a: f64, b: f64) -> f64 { let _ = \"fs\"; a }";
        assert!(violations(quiet, "2.2").is_empty());
    }

    /// Every entry of the forbidden lists is rejected when the exercise calls it, with a
    /// message naming the item; every exercise has a list.
    #[test]
    fn every_forbidden_item_is_rejected_when_called() {
        for g in crate::grading::GRADERS {
            assert!(!forbidden_for(g.id).is_empty(), "{} has no list", g.id);
        }
        for (id, list) in FORBIDDEN {
            let f = format!("exercise_{}", id.replace('.', "_"));
            for entry in *list {
                let call = if entry.starts_with("kl::") {
                    format!("{entry}(x)")
                } else {
                    format!("{entry}::double_exponential::integrate(x)")
                };
                let name = entry.rsplit("::").next().unwrap_or(entry);
                for src in [
                    format!("pub fn {f}(x: f64) -> f64 {{ {call} }}"),
                    format!("use {entry} as z;\npub fn {f}(x: f64) -> f64 {{ z(x) }}"),
                ] {
                    let v = violations(&src, id);
                    assert!(
                        v.iter().any(|m| m.starts_with(&format!("`{name}`"))
                            && m.contains(&format!("{name}`, which does it"))),
                        "{id}: {src} not rejected for {entry}: {v:?}"
                    );
                }
            }
        }
    }

    /// Every `kl` path in the lists names an item that `kl` has today (read from its source):
    /// a rename in `kl` fails here and is fixed with one line in `FORBIDDEN`.
    #[test]
    fn every_forbidden_kl_path_exists_in_kl() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../kl/src");
        let read = |p: &str| std::fs::read_to_string(src.join(p)).unwrap_or_default();
        for (id, list) in FORBIDDEN {
            for entry in list.iter().filter(|e| e.starts_with("kl::")) {
                let segs: Vec<&str> = entry.split("::").skip(1).collect();
                let (module, name) = match segs.as_slice() {
                    [name] => ("lib.rs".to_string(), *name),
                    [m, .., name] => {
                        let file = if src.join(format!("{m}.rs")).exists() {
                            format!("{m}.rs")
                        } else {
                            format!("{m}/mod.rs")
                        };
                        (file, *name)
                    }
                    [] => unreachable!(),
                };
                let text = read(&module);
                let declared = ["fn", "struct", "trait", "mod", "enum", "type", "const"]
                    .iter()
                    .any(|kw| {
                        text.contains(&format!("pub {kw} {name}("))
                            || text.contains(&format!("pub {kw} {name}<"))
                            || text.contains(&format!("pub {kw} {name} "))
                            || text.contains(&format!("pub {kw} {name};"))
                    })
                    // A re-export, whose braces may span several lines.
                    || text.split("pub use").skip(1).any(|rest| {
                        rest.split(';').next().is_some_and(|items| {
                            items
                                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                                .any(|word| word == name)
                        })
                    });
                assert!(declared, "{id}: {entry} is not in kl's source ({module})");
            }
        }
    }

    /// Names are read as paths: a student's own helper `entropy` or variable `estimate` is
    /// fine, `kl::discrete::entropy` is not, and neither is a path built in a macro.
    #[test]
    fn own_names_are_not_library_calls() {
        let own = "fn entropy(p: &[f64]) -> f64 { p[0] }\npub fn exercise_1_2(p: &[f64], q: &[f64]) -> (f64, f64, f64) { let estimate = entropy(p); (estimate, 0.0, 0.0) }";
        assert!(
            violations(own, "1.2").is_empty(),
            "{:?}",
            violations(own, "1.2")
        );
        let glob = "use kl::*;\npub fn exercise_2_2(a: f64, b: f64) -> f64 { a.kl_divergence(&b) }";
        assert!(!violations(glob, "2.2").is_empty());
        let built = "macro_rules! m { ($a:ident) => { kl::$a::entropy }; }\npub fn exercise_1_2(p: &[f64], q: &[f64]) -> (f64, f64, f64) { m!(x)(p) }";
        assert!(violations(built, "1.2").iter().any(|m| m.contains("::$")));
    }
}
