//! `cargo xtask build-times [RUNS]`: the build cost of the generated API (issue 5). Clean and
//! incremental builds of `bitrix-rest`, with the peak memory of each, as medians of RUNS runs,
//! printed as a Markdown table. Uses a target folder of its own; run it on a quiet machine.

use crate::util::{cargo, measure, median, quietly, run, Scratch};
use std::fs;
use std::path::Path;
use std::process::Command;

/// The spec edited for the incremental row, put back when the command ends.
const SPEC: &str = "specs/imbot/imbot.command.update.toml";

/// Puts the edited spec back however the command ends.
struct Restore<'a> {
    path: &'a Path,
    text: String,
}

impl Drop for Restore<'_> {
    fn drop(&mut self) {
        let _ = fs::write(self.path, &self.text);
    }
}

/// One table row from the runs' seconds and peak MiB.
pub fn row(name: &str, seconds: &[f64], mib: &[f64]) -> String {
    let runs: Vec<String> = seconds.iter().map(|s| format!("{s:.1}")).collect();
    let time = median(seconds).map_or("-".into(), |s| format!("{s:.1}"));
    let memory = median(mib).map_or("-".into(), |m| format!("{m:.0}"));
    format!("| {name} | {time} s | {memory} MiB | {} |", runs.join(" "))
}

/// The command.
pub fn run_build_times(root: &Path, runs: usize) -> Result<(), String> {
    let scratch = Scratch::new("build-times")?;
    let target = scratch.0.join("target");
    let spec = root.join(SPEC);
    let text = fs::read_to_string(&spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let _restore = Restore {
        path: &spec,
        text: text.clone(),
    };
    let cargo_here = |args: &[&str]| {
        let mut c = cargo();
        c.current_dir(root)
            .env("CARGO_TARGET_DIR", &target)
            .args(args);
        c
    };
    let all = ["build", "-q", "-p", "bitrix-rest", "--all-features"];
    let imbot = [
        "build",
        "-q",
        "-p",
        "bitrix-rest",
        "--no-default-features",
        "--features",
        "imbot",
    ];
    let clean_ours = [
        "clean",
        "-q",
        "-p",
        "bitrix-rest",
        "-p",
        "bitrix-macros",
        "-p",
        "bitrix-codegen",
    ];
    let log = scratch.0.join("log");
    let measure_row = |name: &str, prep: &dyn Fn(), cmd: Command| -> Result<(), String> {
        let (mut secs, mut mibs) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            prep();
            let m = measure(&cmd, &log)?;
            secs.push(m.seconds);
            mibs.extend(m.peak_mib);
        }
        println!("{}", row(name, &secs, &mibs));
        Ok(())
    };
    // Dependencies are built once; what is measured is our crates.
    run(&mut cargo_here(&all))?;
    println!("| build | median time | median peak memory | runs (s) |");
    println!("|---|---|---|---|");
    let clean = || quietly(&mut cargo_here(&clean_ours));
    measure_row(
        "bitrix-rest + generator, all features (deps prebuilt)",
        &clean,
        cargo_here(&all),
    )?;
    measure_row(
        "bitrix-rest + generator, imbot only (deps prebuilt)",
        &clean,
        cargo_here(&imbot),
    )?;
    run(&mut cargo_here(&all))?;
    let edit = || {
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let _ = fs::write(&spec, format!("{text}# edited {stamp}\n"));
    };
    measure_row(
        "incremental: one spec edited, all features",
        &edit,
        cargo_here(&all),
    )?;
    let clean_all = || quietly(&mut cargo_here(&["clean", "-q"]));
    measure_row(
        "everything from scratch (deps included), all features",
        &clean_all,
        cargo_here(&all),
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_show_medians_and_every_run() {
        assert_eq!(
            row("clean", &[30.0, 10.04, 20.0], &[500.0, 700.4, 600.0]),
            "| clean | 20.0 s | 600 MiB | 30.0 10.0 20.0 |"
        );
        assert_eq!(
            row("no memory", &[1.0], &[]),
            "| no memory | 1.0 s | - MiB | 1.0 |"
        );
    }
}
