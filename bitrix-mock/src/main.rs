//! `bitrix-mock` binary: starts an emulator, prints its addresses and credentials one per line
//! (`webhook=…`, `portal=…`, …, then `ready`) and serves until killed. The credentials are printed on
//! purpose: this is a local test server and scripts read them from stdout. With `--tls` it serves
//! HTTPS with a certificate from a CA made at start, written to `--ca-out FILE` (default: a file in
//! the temporary folder) and printed as `ca=PATH`.

use std::io::Write;
use std::net::SocketAddr;
use std::time::Duration;

use bitrix_mock::{Config, Emulator, FaultRule, Plan};

const USAGE: &str =
    "usage: bitrix-mock [--addr 127.0.0.1:0] [--plan standard|enterprise|unlimited] \
[--token-ttl SECONDS] [--operating-limit SECONDS] [--specs DIR] \
[--fault 'METHOD:rate=0.5:status=503:code=CODE:delay=200ms']... [--seed N] \
[--call-log CALLS] [--header-timeout SECONDS] [--body-timeout SECONDS] \
[--tls] [--ca-out FILE] [--tls-name HOST]...";

fn main() {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("bitrix-mock: {e}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("bitrix-mock: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    runtime.block_on(async move {
        let emu = match Emulator::start(config).await {
            Ok(emu) => emu,
            Err(e) => {
                eprintln!("bitrix-mock: cannot start: {e}");
                std::process::exit(1);
            }
        };
        let mut out = std::io::stdout().lock();
        let lines = emu.ready_lines();
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
        drop(out);
        std::future::pending::<()>().await;
    });
}

/// Reads the flags; the binary defaults to the standard plan, as most portals are.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config::new().plan(Plan::Standard);
    let (mut tls, mut ca_out) = (false, None);
    while let Some(flag) = args.next() {
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n.to_string(), Some(v.to_string())),
            None => (flag.clone(), None),
        };
        if name == "--help" || name == "-h" {
            println!("{USAGE}");
            std::process::exit(0);
        }
        if name == "--tls" && inline.is_none() {
            tls = true;
            continue;
        }
        let value = match inline.or_else(|| args.next()) {
            Some(v) => v,
            None => return Err(format!("`{name}` needs a value")),
        };
        config = match name.as_str() {
            "--addr" => config.addr(
                value
                    .parse::<SocketAddr>()
                    .map_err(|e| format!("bad --addr `{value}`: {e}"))?,
            ),
            "--plan" => {
                config.plan(Plan::parse(&value).ok_or_else(|| format!("unknown plan `{value}`"))?)
            }
            "--token-ttl" => config.token_ttl(seconds(&name, &value)?),
            "--operating-limit" => config.operating_limit(seconds(&name, &value)?),
            "--specs" => config.specs_dir(value),
            "--fault" => {
                config.fault(FaultRule::parse(&value).map_err(|e| format!("--fault: {e}"))?)
            }
            "--seed" => config.seed(
                value
                    .parse::<u64>()
                    .map_err(|_| format!("`--seed` wants a whole number, got `{value}`"))?,
            ),
            "--call-log" => config.call_log(
                value
                    .parse::<usize>()
                    .map_err(|_| format!("`--call-log` wants a number of calls, got `{value}`"))?,
            ),
            "--header-timeout" => config.header_timeout(seconds(&name, &value)?),
            "--body-timeout" => config.body_timeout(seconds(&name, &value)?),
            "--ca-out" => {
                ca_out = Some(std::path::PathBuf::from(value));
                config
            }
            "--tls-name" => {
                tls = true;
                config.tls_name(value)
            }
            other => return Err(format!("unknown option `{other}`")),
        };
    }
    // Over HTTPS the CA always goes to a file (its path is printed as `ca=`): clients need it.
    if tls || ca_out.is_some() {
        let path = ca_out.unwrap_or_else(|| {
            std::env::temp_dir().join(format!("bitrix-mock-{}-ca.pem", std::process::id()))
        });
        config = config.ca_out(path);
    }
    Ok(config)
}

/// A duration in seconds (fractions allowed).
fn seconds(name: &str, value: &str) -> Result<Duration, String> {
    value
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("`{name}` wants a number of seconds, got `{value}`"))
}
