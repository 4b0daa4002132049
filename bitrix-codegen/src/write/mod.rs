//! The other half of the spec library: specs as TOML text, and the files written. Everything in
//! the workspace that writes a spec file goes through here (the importer builds a [`Spec`] or an
//! [`event::EventSpec`] and calls [`render()`] or [`event::render`], [`merge()`] and [`save`]); what
//! reads them back is [`crate::read`] through [`crate::source`].
//!
//! - [`mod@toml`]: the lexical forms (strings, keys, multi-line strings, lists);
//! - [`spec`]: the method spec as a writer holds it (the keys the importer decides);
//! - [`mod@render`]: a [`Spec`] as text, line ranges included so that a validator problem can be
//!   traced to the part that caused it; [`back`] reads a spec into that model again;
//! - [`event`]: an event spec as text;
//! - [`mod@merge`]: the text over the file it replaces, keeping that file's other keys.

pub mod back;
pub mod event;
pub mod merge;
pub mod render;
pub mod spec;
#[cfg(test)]
mod tests;
pub mod toml;

use std::path::Path;

pub use back::from_source;
pub use merge::merge;
pub use render::{render, Mode, Part, Rendered};
pub use spec::Spec;

/// Writes `text` to `path` unless the file already holds exactly it; returns whether it wrote.
/// Written through [`write_atomic`], so a reader never sees half a file.
pub fn save(path: &Path, text: &str) -> std::io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    write_atomic(path, text)?;
    Ok(true)
}

/// Writes `text` to `path` through a temporary file in the same folder and a rename, creating
/// the folder if needed.
pub fn write_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

/// Removes a spec file that moved (its method's folder or file name changed); a file already
/// gone is not an error.
pub fn remove(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
