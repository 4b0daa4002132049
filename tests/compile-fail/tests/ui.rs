//! Compile-time guarantees, checked with trybuild: a bad spec or a misused generated API fails the
//! build with a message that says what to fix (`ui/fail/*.rs` with their `.stderr` snapshots).
//! What must compile is ordinary test code (`tests/tests/e2e/compiles.rs`): without pass cases trybuild
//! only runs `cargo check`, which does not build the API a second time.
//!
//! Refresh the snapshots after an intended change of a message (then read every changed `.stderr`):
//!
//! ```text
//! TRYBUILD=overwrite cargo test -p bitrix-compile-fail --test ui
//! ```
//!
//! The spec folders of the cases live in `ui/specs/<case>/<scope>/<method>.toml`; a case names its
//! folder as `include_specs!("ui/specs/<case>")`, relative to this crate's `Cargo.toml`.

use std::path::{Path, PathBuf};

#[test]
fn ui() {
    link_spec_folders();
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
}

/// trybuild compiles the cases as a crate of its own under `<target>/tests/trybuild/bitrix-compile-fail`,
/// so `CARGO_MANIFEST_DIR` of the cases is that folder, not this crate's. `include_specs!` resolves
/// its folder against `CARGO_MANIFEST_DIR`, so `ui` is linked there.
fn link_spec_folders() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // `CARGO_TARGET_TMPDIR` is `<target>/tmp`.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("the target folder")
        .to_path_buf();
    let project: PathBuf = target
        .join("tests")
        .join("trybuild")
        .join("bitrix-compile-fail");
    std::fs::create_dir_all(&project).expect("create trybuild's project folder");
    let link = project.join("ui");
    let source = manifest.join("ui");
    if std::fs::read_link(&link).is_ok_and(|to| to == source) {
        return;
    }
    let _ = std::fs::remove_file(&link);
    let _ = std::fs::remove_dir_all(&link);
    symlink_dir(&source, &link).expect("link ui/ into trybuild's project folder");
}

#[cfg(unix)]
fn symlink_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(from, to)
}

#[cfg(windows)]
fn symlink_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_dir(from, to)
}
