//! Validates a folder of specs and prints every problem: `cargo run -p bitrix-codegen --example check -- specs`.

use std::path::Path;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    if dirs.is_empty() {
        eprintln!("usage: check <spec folder>...");
        return ExitCode::from(2);
    }
    let mut problems = 0;
    let mut methods = 0;
    for dir in &dirs {
        let sources = match bitrix_codegen::load_dir(Path::new(dir)) {
            Ok(s) => s,
            Err(errors) => {
                errors.iter().for_each(|e| eprintln!("{e}"));
                problems += errors.len();
                continue;
            }
        };
        let checked = bitrix_codegen::check_all(&sources);
        for p in &checked.problems {
            eprintln!("{p}");
        }
        problems += checked.problems.len();
        methods += checked.methods.len();
    }
    if problems == 0 {
        println!("{methods} specs ok");
        ExitCode::SUCCESS
    } else {
        eprintln!("{problems} problem(s); {methods} specs ok");
        ExitCode::FAILURE
    }
}
