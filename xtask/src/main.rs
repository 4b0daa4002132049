//! `cargo xtask <command>`: the maintainers' commands of the workspace, in Rust (they replace
//! the shell scripts that were in `scripts/`). `cargo xtask help` lists them.

mod args;
mod build_times;
mod circles;
mod docs;
mod fuzz;
mod layout;
mod msrv;
mod package;
mod scale;
mod spec_io;
mod sync;
mod util;

use args::Command;

fn main() {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let command = match args::parse(&argv, |k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}\n\n{}", args::USAGE);
            std::process::exit(2);
        }
    };
    let result = util::root().and_then(|root| match command {
        Command::Help => {
            print!("{}", args::USAGE);
            Ok(())
        }
        Command::SyncFeatures { check } => sync::run(&root, check),
        Command::PackageCheck => package::run_check(&root),
        Command::Circles => circles::run_check(&root),
        Command::SpecIo => spec_io::run_check(&root),
        Command::DocsCheck => docs::run_check(&root),
        Command::Msrv => msrv::run_msrv(&root),
        Command::OneFolder { folder } => msrv::run_one_folder(&root, &folder),
        Command::Scale {
            specs,
            scope,
            domains,
        } => scale::run_scale(&root, specs, &scope, domains),
        Command::BuildTimes { runs } => build_times::run_build_times(&root, runs),
        Command::FuzzSmoke {
            targets,
            seconds,
            keep,
        } => fuzz::run_fuzz(&root, &targets, seconds, keep),
    });
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
}
