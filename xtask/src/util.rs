//! Running commands and measuring them: what every subcommand shares.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// The workspace root (this crate sits in `xtask/` under it). Read when the command runs, not
/// when it is compiled: one build of xtask may serve several checkouts sharing a target folder.
pub fn root() -> Result<PathBuf, String> {
    // `cargo run` tells the program where its manifest is.
    if let Some(dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
        if let Some(root) = Path::new(&dir).parent() {
            return Ok(root.to_path_buf());
        }
    }
    let here = std::env::current_dir().map_err(|e| e.to_string())?;
    here.ancestors()
        .find(|d| d.join("xtask/Cargo.toml").is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| "run it as `cargo xtask …` inside the workspace".into())
}

/// `cargo`, the same one that runs `cargo xtask` when there is one.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// The target folder cargo uses for `root`: `CARGO_TARGET_DIR` or `target/`.
pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// How a command reads in messages.
pub fn describe(cmd: &Command) -> String {
    let mut words = vec![cmd.get_program().to_string_lossy().into_owned()];
    words.extend(cmd.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Runs `cmd` with the terminal's output; fails unless it exits 0.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let status = cmd
        .status()
        .map_err(|e| format!("{}: {e}", describe(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd` and returns its standard output; fails unless it exits 0.
pub fn output(cmd: &mut Command) -> Result<String, String> {
    let out = cmd
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("{}: {e}", describe(cmd)))?;
    if !out.status.success() {
        return Err(format!("{} failed ({})", describe(cmd), out.status));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("{}: output is not UTF-8", describe(cmd)))
}

/// Runs `cmd` without showing its output, ignoring failure (preparation steps whose result the
/// next measurement shows anyway).
pub fn quietly(cmd: &mut Command) {
    let _ = cmd.stdout(Stdio::null()).stderr(Stdio::null()).status();
}

/// Time and peak memory of one command.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measured {
    /// Wall time in seconds.
    pub seconds: f64,
    /// Peak resident memory of the largest process in MiB, when `/usr/bin/time` is there.
    pub peak_mib: Option<f64>,
    /// Whether the command exited 0.
    pub ok: bool,
}

/// GNU time's `-f "%e %M"` answer (seconds, KiB) as seconds and MiB.
pub fn parse_gnu_time(text: &str) -> Option<(f64, f64)> {
    // On failure GNU time writes "Command exited with non-zero status N" first.
    let last = text.lines().rev().find(|l| !l.trim().is_empty())?;
    let mut words = last.split_whitespace();
    let seconds = words.next()?.parse().ok()?;
    let kib: f64 = words.next()?.parse().ok()?;
    Some((seconds, kib / 1024.0))
}

/// Runs `cmd` with its output sent to `log`, measuring it. Peak memory needs GNU time at
/// `/usr/bin/time` (Debian's `time` package); without it only the time is measured.
pub fn measure(cmd: &Command, log: &Path) -> Result<Measured, String> {
    let gnu_time = Path::new("/usr/bin/time");
    let report = log.with_extension("time");
    let mut run = if gnu_time.exists() {
        let mut c = Command::new(gnu_time);
        c.arg("-o").arg(&report).args(["-f", "%e %M"]);
        c.arg(cmd.get_program()).args(cmd.get_args());
        c
    } else {
        let mut c = Command::new(cmd.get_program());
        c.args(cmd.get_args());
        c
    };
    if let Some(dir) = cmd.get_current_dir() {
        run.current_dir(dir);
    }
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => run.env(k, v),
            None => run.env_remove(k),
        };
    }
    let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let err = file.try_clone().map_err(|e| e.to_string())?;
    let started = Instant::now();
    let status = run
        .stdout(file)
        .stderr(err)
        .status()
        .map_err(|e| format!("{}: {e}", describe(cmd)))?;
    let wall = started.elapsed().as_secs_f64();
    let gnu = std::fs::read_to_string(&report)
        .ok()
        .and_then(|t| parse_gnu_time(&t));
    Ok(Measured {
        seconds: gnu.map_or(wall, |g| g.0),
        peak_mib: gnu.map(|g| g.1),
        ok: status.success(),
    })
}

/// The middle value (the lower middle of an even count); `None` for no values.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len().checked_sub(1)? / 2;
    sorted.get(middle).copied()
}

/// A scratch folder removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// A new empty folder under the system's temporary folder.
    pub fn new(name: &str) -> Result<Scratch, String> {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!("xtask-{name}-{}-{stamp}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gnu_time_report_reads_seconds_and_mib() {
        assert_eq!(parse_gnu_time("12.50 2048\n"), Some((12.5, 2.0)));
        let failed = "Command exited with non-zero status 101\n3.00 1024\n";
        assert_eq!(parse_gnu_time(failed), Some((3.0, 1.0)));
        assert_eq!(parse_gnu_time(""), None);
        assert_eq!(parse_gnu_time("soon"), None);
    }

    #[test]
    fn median_takes_the_middle_of_sorted_values() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        // The shell version took element (n+1)/2 of the sorted list, counting from one.
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.0));
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(median(&[]), None);
    }

    #[test]
    fn measure_reports_failure_and_time() {
        let dir = Scratch::new("measure-test").unwrap();
        let ok = measure(&Command::new("true"), &dir.0.join("ok.log")).unwrap();
        assert!(ok.ok);
        assert!(ok.seconds >= 0.0);
        let bad = measure(&Command::new("false"), &dir.0.join("bad.log")).unwrap();
        assert!(!bad.ok);
    }
}
