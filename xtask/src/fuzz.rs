//! `cargo xtask fuzz-smoke [--seconds S] [--keep] [TARGET…]`: a brief run of every fuzz target
//! (`fuzz/fuzz_targets/`), one after the other, one process each.
//!
//! Needs `cargo +nightly fuzz` (cargo install cargo-fuzz; a nightly toolchain); without it the
//! command says so and succeeds. A crash fails it; its input is under `fuzz/artifacts/<target>/`.
//! Builds without a sanitizer (the code under test has no `unsafe`; ASan would only slow it
//! down) and with debug assertions, so integer overflow is a crash too.

use crate::util::{output, run, Scratch};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// `cargo +nightly fuzz …` in `fuzz/`. The rustup proxy, not `$CARGO` (a stable cargo that
/// knows no `+nightly`).
fn cargo_fuzz(fuzz: &Path) -> Command {
    let mut c = Command::new("cargo");
    c.current_dir(fuzz)
        .env_remove("CARGO")
        .env_remove("RUSTUP_TOOLCHAIN")
        .args(["+nightly", "fuzz"]);
    c
}

/// The corpus folders of one run: new inputs go to the first. With `keep` that is
/// `corpus/<target>` (ignored by git except the `seed-*` files); otherwise a scratch folder,
/// and the committed seeds are only read.
pub fn corpus_dirs(target: &str, keep: bool, scratch: &Path) -> Vec<PathBuf> {
    let committed = PathBuf::from("corpus").join(target);
    if keep {
        vec![committed]
    } else {
        vec![scratch.join(target), committed]
    }
}

/// The command.
pub fn run_fuzz(root: &Path, targets: &[String], seconds: u64, keep: bool) -> Result<(), String> {
    let fuzz = root.join("fuzz");
    let available = cargo_fuzz(&fuzz)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        println!("fuzz-smoke: `cargo +nightly fuzz` is not available (cargo install cargo-fuzz); skipped");
        return Ok(());
    }
    let targets: Vec<String> = if targets.is_empty() {
        output(cargo_fuzz(&fuzz).arg("list"))?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect()
    } else {
        targets.to_vec()
    };
    let scratch = Scratch::new("fuzz")?;
    for target in &targets {
        let dirs = corpus_dirs(target, keep, &scratch.0);
        std::fs::create_dir_all(fuzz.join(&dirs[0])).map_err(|e| e.to_string())?;
        println!("fuzz-smoke: {target} for {seconds}s");
        run(cargo_fuzz(&fuzz)
            .args(["run", "-s", "none", "-a", target])
            .args(&dirs)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .args(["-timeout=10", "-rss_limit_mb=2048", "-print_final_stats=1"]))?;
    }
    println!("fuzz-smoke: {} targets, no crash", targets.len());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_inputs_go_to_scratch_unless_kept() {
        let scratch = Path::new("/tmp/s");
        assert_eq!(
            corpus_dirs("form", false, scratch),
            [PathBuf::from("/tmp/s/form"), PathBuf::from("corpus/form")]
        );
        assert_eq!(
            corpus_dirs("form", true, scratch),
            [PathBuf::from("corpus/form")]
        );
    }
}
