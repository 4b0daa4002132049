//! `bitrix-specs drift`: differences between the reference and the specs.

use std::path::Path;

/// Lists the differences, one line each.
pub fn drift(_docs: &Path, _specs: &Path) -> Result<Vec<String>, String> {
    Ok(Vec::new())
}
