//! Write throughput of the emulator: 50 connections (one HTTP/1.1 client each, kept alive) add
//! deals through `crm.deal.add` as fast as they are answered, then `crm.deal.list`'s `total`
//! must equal the number of writes (nothing lost). Run it in release:
//! `cargo run --release -j 1 -p bitrix-mock --example write_throughput [WRITES] [CONNECTIONS]`.

use std::time::Instant;

use bitrix_mock::{Config, Emulator};
use serde_json::{json, Value};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let writes: usize = args.next().map_or(Ok(20_000), |a| a.parse())?;
    let connections: usize = args.next().map_or(Ok(50), |a| a.parse())?;
    let emu = Emulator::start(Config::new().call_log(0)).await?;
    let url = format!("{}crm.deal.add", emu.webhook_url());
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..connections {
        let url = url.clone();
        let share = writes / connections + usize::from(c < writes % connections);
        tasks.push(tokio::spawn(async move {
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(1)
                .build()?;
            let mut ok = 0usize;
            for i in 0..share {
                let body = json!({"fields": {"TITLE": format!("deal {c}-{i}"), "OPPORTUNITY": i}});
                let resp = client.post(&url).json(&body).send().await?;
                if resp.status() == 200 && resp.json::<Value>().await?["result"].is_number() {
                    ok += 1;
                }
            }
            Ok::<usize, reqwest::Error>(ok)
        }));
    }
    let mut answered = 0;
    for t in tasks {
        answered += t.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let list = reqwest::Client::new()
        .post(format!("{}crm.deal.list", emu.webhook_url()))
        .json(&json!({"select": ["ID"]}))
        .send()
        .await?
        .json::<Value>()
        .await?;
    let stored = list["total"].as_u64().unwrap_or(0) as usize;
    println!(
        "{writes} writes, {connections} connections: {elapsed:.2} s, {:.0} writes/s, {answered} answered, {stored} stored",
        writes as f64 / elapsed
    );
    if answered != writes || stored != writes {
        return Err("writes lost".into());
    }
    Ok(())
}
