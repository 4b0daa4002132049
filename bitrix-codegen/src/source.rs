//! Finding and reading spec files.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// The text of one spec file.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// Where it was read from (absolute when loaded from disk).
    pub path: PathBuf,
    /// The path shown in messages (relative to the folder's parent when possible).
    pub display: String,
    /// The TOML text.
    pub text: String,
    /// The folder below the loaded root that holds it (`imbot` for `specs/imbot/x.toml`): the
    /// module and feature its methods go in. `None` for a spec at the root or held in memory.
    pub folder: Option<String>,
}

impl SpecSource {
    /// A spec held in memory, e.g. in tests or embedded in a binary.
    pub fn new(display: impl Into<String>, text: impl Into<String>) -> Self {
        let display = display.into();
        SpecSource {
            path: PathBuf::from(&display),
            display,
            text: text.into(),
            folder: None,
        }
    }

    /// A spec embedded under its path below the specs root (`crm/crm.deal.get.toml`): its folder
    /// is the path's first segment, as if it had been read with [`load_dir`].
    pub fn below_root(path: impl Into<String>, text: impl Into<String>) -> Self {
        let mut source = SpecSource::new(path, text);
        source.folder = source
            .display
            .split_once('/')
            .map(|(folder, _)| folder.to_string());
        source
    }

    /// A folder's shared types (`_types.toml`) rather than a method.
    pub fn is_shared_types(&self) -> bool {
        self.path.file_name().is_some_and(|n| n == "_types.toml")
    }

    /// File name without `.toml`: the method name it must hold.
    pub fn stem(&self) -> Option<&str> {
        self.path.file_name()?.to_str()?.strip_suffix(".toml")
    }

    /// Line and column of a top-level key, for problems that concern the whole file.
    pub fn position_of_key(&self, key: &str) -> (usize, usize) {
        let at = self
            .text
            .lines()
            .scan(0, |offset, line| {
                let start = *offset;
                *offset += line.len() + 1;
                Some((start, line))
            })
            .find(|(_, line)| line.trim_start().starts_with(key))
            .map_or(0, |(start, _)| start);
        crate::diag::line_column(&self.text, at)
    }
}

/// The spec files below a folder, as [`list`] finds them.
#[derive(Debug, Default)]
pub struct Listing {
    /// Every `*.toml` file, sorted by path.
    pub files: Vec<PathBuf>,
    /// Every folder walked (the root included), sorted: a build script watches them for new
    /// files.
    pub folders: Vec<PathBuf>,
    /// Folders that could not be read.
    pub problems: Vec<Diagnostic>,
}

/// Finds every `*.toml` below `dir`, following linked folders. The one walk over spec folders:
/// [`load_dir`] reads what it finds, and `build::embed_specs` embeds it.
pub fn list(dir: &Path) -> Listing {
    let mut out = Listing::default();
    collect(dir, &mut out);
    out.files.sort();
    out.folders.sort();
    out
}

/// Reads every `*.toml` below `dir`, sorted by path, skipping nothing silently: an unreadable file
/// is a diagnostic. This is how everything in the workspace reads spec files from disk (the
/// macros, the importer's tools); binaries read the copies [`crate::build`] embeds.
pub fn load_dir(dir: &Path) -> Result<Vec<SpecSource>, Vec<Diagnostic>> {
    let Listing {
        files,
        mut problems,
        ..
    } = list(dir);
    let base = dir.parent().unwrap_or(dir);
    let mut out = Vec::new();
    for path in files {
        let display = path
            .strip_prefix(base)
            .unwrap_or(&path)
            .display()
            .to_string();
        let folder = path
            .strip_prefix(dir)
            .ok()
            .filter(|rel| rel.components().count() > 1)
            .and_then(|rel| rel.components().next())
            .and_then(|c| c.as_os_str().to_str())
            .map(str::to_string);
        match std::fs::read_to_string(&path) {
            Ok(text) => out.push(SpecSource {
                path,
                display,
                text,
                folder,
            }),
            Err(e) => problems.push(io_problem(&display, format!("cannot read spec: {e}"))),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Like [`load_dir`], but a folder that does not exist holds no spec (an import into a new
/// folder) instead of being a problem.
pub fn load_dir_if_present(dir: &Path) -> Result<Vec<SpecSource>, Vec<Diagnostic>> {
    if dir.exists() {
        load_dir(dir)
    } else {
        Ok(Vec::new())
    }
}

fn collect(dir: &Path, out: &mut Listing) {
    out.folders.push(dir.to_path_buf());
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.problems.push(io_problem(
                &dir.display().to_string(),
                format!("cannot read spec folder: {e}"),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.files.push(path);
        }
    }
}

fn io_problem(file: &str, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_string(),
        line: 1,
        column: 1,
        message,
        help: None,
    }
}
