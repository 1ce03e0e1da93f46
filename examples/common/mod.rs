//! What the examples share that is not part of any chapter's story: printing a library
//! error so that it fits the book's output column.

/// The widest line an example prints (`tests/prose_numbers.rs` checks every snapshot):
/// the output block holds it without wrapping in the book's desktop column, and on a
/// phone it wraps once, at a space.
pub const OUTPUT_WIDTH: usize = 80;

/// Where a message's lines break: a little inside [`OUTPUT_WIDTH`], the measure of
/// prose, so that short groups such as `(k = 1)` are not split at the edge.
const MESSAGE_WIDTH: usize = OUTPUT_WIDTH - 4;

/// Prints `label: error:` and then the error's message, indented by two spaces and
/// broken at spaces into lines of at most [`MESSAGE_WIDTH`] characters (a word longer
/// than that stays whole on its own line).
pub fn print_error(label: &str, err: &dyn std::fmt::Display) {
    println!("{label}: error:");
    let message = err.to_string();
    let mut line = String::new();
    for word in message.split_whitespace() {
        // The indent, the line so far, a space and the word.
        let width = 2 + line.chars().count() + 1 + word.chars().count();
        if !line.is_empty() && width > MESSAGE_WIDTH {
            println!("  {line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    println!("  {line}");
}
