//! `b24 mock`: the portal emulator in this process, announced like the `bitrix-mock` binary does
//! (`webhook=…`, credentials, `ready`), serving until Ctrl-C.

use std::io::Write;
use std::time::Duration;

use bitrix_mock::{Config, Emulator, FaultRule, Plan};

use crate::cli::{MockArgs, PlanArg};
use crate::failure::{Failure, Outcome};
use crate::interrupt::Interrupt;

/// The emulator's settings from the options.
pub fn config(args: &MockArgs, plan: PlanArg) -> Result<Config, Failure> {
    let mut config = Config::new().addr(args.addr).plan(match plan {
        PlanArg::Standard => Plan::Standard,
        PlanArg::Enterprise => Plan::Enterprise,
        PlanArg::Unlimited => Plan::Unlimited,
    });
    if let Some(ttl) = args.token_ttl {
        config = config.token_ttl(seconds("--token-ttl", ttl)?);
    }
    if let Some(limit) = args.operating_limit {
        config = config.operating_limit(seconds("--operating-limit", limit)?);
    }
    if let Some(dir) = &args.specs {
        config = config.specs_dir(dir);
    }
    for rule in &args.fault {
        config = config
            .fault(FaultRule::parse(rule).map_err(|e| Failure::usage(format!("--fault: {e}")))?);
    }
    if let Some(seed) = args.seed {
        config = config.seed(seed);
    }
    if let Some(calls) = args.call_log {
        config = config.call_log(calls);
    }
    if let Some(t) = args.header_timeout {
        config = config.header_timeout(seconds("--header-timeout", t)?);
    }
    if let Some(t) = args.body_timeout {
        config = config.body_timeout(seconds("--body-timeout", t)?);
    }
    Ok(config)
}

fn seconds(name: &str, value: f64) -> Result<Duration, Failure> {
    if value.is_finite() && (0.0..1e9).contains(&value) {
        Ok(Duration::from_secs_f64(value))
    } else {
        Err(Failure::usage(format!(
            "`{name}` wants a number of seconds, got `{value}`"
        )))
    }
}

/// Runs `b24 mock`. The credentials are printed on purpose: this is a local test server and
/// scripts read them from standard output.
pub async fn run(args: &MockArgs, plan: PlanArg) -> Outcome {
    let config = config(args, plan)?;
    let mut interrupt =
        Interrupt::listen().map_err(|e| Failure::api(format!("cannot watch for Ctrl-C: {e}")))?;
    let emu = Emulator::start(config)
        .await
        .map_err(|e| Failure::api(format!("cannot start the emulator: {e}")))?;
    let lines = emu.ready_lines();
    {
        let mut out = std::io::stdout().lock();
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
    }
    interrupt.wait().await;
    emu.shutdown().await;
    Ok(0)
}
