//! The command line of `cargo xtask`: plain `std::env::args`, no parser crate (a handful of
//! subcommands with at most two options each).

/// What `cargo xtask …` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Write (or with `check`, compare) the API crates and the per-folder features.
    SyncFeatures {
        /// Compare only: fail when a file differs from what would be written.
        check: bool,
    },
    /// Package the published crates and build `bitrix-rest` from the `.crate` files.
    PackageCheck,
    /// Build rustdoc with warnings as errors and check the seed method's page.
    DocsCheck,
    /// Check that no dependency needs a newer Rust than the workspace's `rust-version`.
    Msrv,
    /// Lint `bitrix-rest` with only one folder's feature on.
    OneFolder {
        /// The folder of `specs/` whose feature is turned on.
        folder: String,
    },
    /// Measure the build with synthetic specs (or the shipped ones).
    Scale {
        /// How many specs: `None` keeps the shipped specs as they are.
        specs: Option<usize>,
        /// The folder measured alone.
        scope: String,
        /// Measure the API laid out by domain (`domains`) instead of the shipped hash parts.
        domains: bool,
    },
    /// Measure clean and incremental builds of `bitrix-rest`.
    BuildTimes {
        /// Runs per row (the median is reported).
        runs: usize,
    },
    /// Run every fuzz target (or the named ones) briefly.
    FuzzSmoke {
        /// Targets to run; empty: every target.
        targets: Vec<String>,
        /// Seconds per target.
        seconds: u64,
        /// Keep new inputs in `fuzz/corpus/<target>`.
        keep: bool,
    },
    /// Check that no crate's modules import each other in a circle.
    Circles,
    /// Check that only the spec library reads and writes spec files.
    SpecIo,
    /// Print the usage.
    Help,
}

/// The usage text printed by `cargo xtask help` and on a usage error.
pub const USAGE: &str = "\
usage: cargo xtask <command>

  sync-features [--check]     write bitrix-api/part-N and the per-folder features of the API
                              crates, bitrix-runtime and bitrix-rest from the folders of specs/
                              (--check: change nothing, fail if a file is out of date)
  package-check               package the published crates and build bitrix-rest from them
  docs-check                  rustdoc with warnings as errors; the seed method's page
  circles                     no import circle between the modules of a crate
  spec-io                     only the spec library (bitrix-codegen) reads and writes spec files
  msrv                        no dependency needs a newer Rust than rust-version
  one-folder [FOLDER]         clippy -D warnings on bitrix-rest with one folder (default crm)
  scale N|shipped [SCOPE [parts|domains]]
                              build cost with N synthetic specs (SCOPE default crm), of the
                              shipped hash parts or of the API laid out by domain
  build-times [RUNS]          clean and incremental build times of bitrix-rest (default 3 runs)
  fuzz-smoke [--seconds S] [--keep] [TARGET…]
                              every fuzz target briefly (FUZZ_SECONDS, FUZZ_KEEP=1 also work)
";

/// Reads the arguments after `cargo xtask`; `env` answers environment variables (a parameter so
/// tests need not set the process's).
pub fn parse(args: &[String], env: impl Fn(&str) -> Option<String>) -> Result<Command, String> {
    let Some((name, rest)) = args.split_first() else {
        return Ok(Command::Help);
    };
    let mut rest = rest.iter().map(String::as_str);
    let command = match name.as_str() {
        "help" | "--help" | "-h" => Command::Help,
        "circles" => Command::Circles,
        "spec-io" => Command::SpecIo,
        "sync-features" => {
            let check = match rest.next() {
                None => false,
                Some("--check") => true,
                Some(other) => return Err(format!("sync-features: unknown argument `{other}`")),
            };
            Command::SyncFeatures { check }
        }
        "package-check" => Command::PackageCheck,
        "docs-check" => Command::DocsCheck,
        "msrv" => Command::Msrv,
        "one-folder" => Command::OneFolder {
            folder: rest.next().unwrap_or("crm").to_string(),
        },
        "scale" => {
            let specs = match rest.next() {
                None => return Err("scale: give a number of specs or `shipped`".into()),
                Some("shipped") => None,
                Some(n) => Some(number(n, "scale: the number of specs")?),
            };
            let scope = rest.next().unwrap_or("crm").to_string();
            let domains = match rest.next() {
                None | Some("parts") => false,
                Some("domains") => true,
                Some(other) => {
                    return Err(format!(
                        "scale: the layout is `parts` or `domains`, not `{other}`"
                    ))
                }
            };
            Command::Scale {
                specs,
                scope,
                domains,
            }
        }
        "build-times" => {
            let runs = match rest.next() {
                None => 3,
                Some(n) => number(n, "build-times: the number of runs")?,
            };
            if runs == 0 {
                return Err("build-times: at least one run".into());
            }
            Command::BuildTimes { runs }
        }
        "fuzz-smoke" => {
            let mut seconds = match env("FUZZ_SECONDS") {
                Some(s) => number(&s, "FUZZ_SECONDS")? as u64,
                None => 10,
            };
            let mut keep = env("FUZZ_KEEP").as_deref() == Some("1");
            let mut targets = Vec::new();
            while let Some(arg) = rest.next() {
                match arg {
                    "--keep" => keep = true,
                    "--seconds" => {
                        let s = rest.next().ok_or("fuzz-smoke: --seconds needs a value")?;
                        seconds = number(s, "fuzz-smoke: --seconds")? as u64;
                    }
                    flag if flag.starts_with('-') => {
                        return Err(format!("fuzz-smoke: unknown option `{flag}`"))
                    }
                    target => targets.push(target.to_string()),
                }
            }
            Command::FuzzSmoke {
                targets,
                seconds,
                keep,
            }
        }
        other => return Err(format!("unknown command `{other}`")),
    };
    // Every command but fuzz-smoke takes a fixed number of arguments: a stray one is a mistake.
    if let Some(extra) = rest.next() {
        return Err(format!("{name}: unexpected argument `{extra}`"));
    }
    Ok(command)
}

fn number(text: &str, what: &str) -> Result<usize, String> {
    text.parse()
        .map_err(|_| format!("{what} must be a whole number, not `{text}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn no_command_is_help() {
        assert_eq!(parse(&[], no_env), Ok(Command::Help));
        assert_eq!(parse(&args("--help"), no_env), Ok(Command::Help));
    }

    #[test]
    fn circles_takes_no_argument() {
        assert_eq!(parse(&args("circles"), no_env), Ok(Command::Circles));
        assert!(parse(&args("circles bitrix-runtime"), no_env).is_err());
    }

    #[test]
    fn sync_features_takes_check() {
        assert_eq!(
            parse(&args("sync-features"), no_env),
            Ok(Command::SyncFeatures { check: false })
        );
        assert_eq!(
            parse(&args("sync-features --check"), no_env),
            Ok(Command::SyncFeatures { check: true })
        );
        assert!(parse(&args("sync-features --dry"), no_env).is_err());
    }

    #[test]
    fn scale_reads_count_or_shipped_and_scope() {
        assert_eq!(
            parse(&args("scale 2000"), no_env),
            Ok(Command::Scale {
                specs: Some(2000),
                scope: "crm".into(),
                domains: false
            })
        );
        assert_eq!(
            parse(&args("scale shipped imbot"), no_env),
            Ok(Command::Scale {
                specs: None,
                scope: "imbot".into(),
                domains: false
            })
        );
        assert_eq!(
            parse(&args("scale shipped crm domains"), no_env),
            Ok(Command::Scale {
                specs: None,
                scope: "crm".into(),
                domains: true
            })
        );
        assert!(parse(&args("scale"), no_env).is_err());
        assert!(parse(&args("scale many"), no_env).is_err());
        assert!(parse(&args("scale 10 crm extra"), no_env).is_err());
    }

    #[test]
    fn build_times_defaults_to_three_runs() {
        assert_eq!(
            parse(&args("build-times"), no_env),
            Ok(Command::BuildTimes { runs: 3 })
        );
        assert_eq!(
            parse(&args("build-times 5"), no_env),
            Ok(Command::BuildTimes { runs: 5 })
        );
        assert!(parse(&args("build-times 0"), no_env).is_err());
    }

    #[test]
    fn fuzz_smoke_reads_flags_env_and_targets() {
        assert_eq!(
            parse(&args("fuzz-smoke"), no_env),
            Ok(Command::FuzzSmoke {
                targets: vec![],
                seconds: 10,
                keep: false
            })
        );
        let env = |k: &str| match k {
            "FUZZ_SECONDS" => Some("600".to_string()),
            "FUZZ_KEEP" => Some("1".to_string()),
            _ => None,
        };
        assert_eq!(
            parse(&args("fuzz-smoke envelope form"), env),
            Ok(Command::FuzzSmoke {
                targets: vec!["envelope".into(), "form".into()],
                seconds: 600,
                keep: true
            })
        );
        // A flag wins over the environment.
        assert_eq!(
            parse(&args("fuzz-smoke --seconds 3 receiver"), env),
            Ok(Command::FuzzSmoke {
                targets: vec!["receiver".into()],
                seconds: 3,
                keep: true
            })
        );
        assert!(parse(&args("fuzz-smoke --seconds"), no_env).is_err());
        assert!(parse(&args("fuzz-smoke --fast"), no_env).is_err());
    }

    #[test]
    fn one_folder_defaults_to_crm() {
        assert_eq!(
            parse(&args("one-folder"), no_env),
            Ok(Command::OneFolder {
                folder: "crm".into()
            })
        );
        assert_eq!(
            parse(&args("one-folder imbot"), no_env),
            Ok(Command::OneFolder {
                folder: "imbot".into()
            })
        );
    }

    #[test]
    fn unknown_commands_and_stray_arguments_are_refused() {
        assert!(parse(&args("publish"), no_env).is_err());
        assert!(parse(&args("docs-check now"), no_env).is_err());
        assert!(parse(&args("msrv 1.80"), no_env).is_err());
    }
}
