//! The CPU cost of one typed call against the same call made with raw reqwest and
//! `serde_json::Value`, for `valgrind --tool=callgrind` (instructions, not seconds: repeatable
//! on a busy machine). The emulator runs in another process so that only the client is counted.
//!
//! ```sh
//! bitrix-mock --plan unlimited          # prints webhook=…
//! valgrind --tool=callgrind target/release/examples/bench_call_cost typed 1200 WEBHOOK
//! valgrind --tool=callgrind target/release/examples/bench_call_cost raw 1200 WEBHOOK
//! ```
//!
//! Startup is taken out by measuring two call counts: cost per call = (I(n2) - I(n1)) / (n2 - n1).
//! `scripts/bench-call-cost.sh` runs the four measurements and prints the ratio.

use bitrix_rest::api::crm::deal;
use bitrix_rest::{Client, Plan};
use serde_json::{json, Value};

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(mode), Some(n), Some(webhook)) = (args.next(), args.next(), args.next()) else {
        eprintln!("usage: bench_call_cost typed|raw CALLS WEBHOOK_URL");
        std::process::exit(2);
    };
    let n: usize = n.parse().expect("CALLS is a number");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        // One deal to read, made by a raw call so that both modes read the same record.
        let http = reqwest::Client::new();
        let added: Value = http
            .post(format!("{webhook}crm.deal.add.json"))
            .json(&json!({"fields": {"TITLE": "Bench", "OPPORTUNITY": 5000, "CURRENCY_ID": "EUR"}}))
            .send()
            .await
            .expect("add")
            .json()
            .await
            .expect("add answer");
        let id = added["result"].as_i64().expect("new deal ID");
        match mode.as_str() {
            "typed" => {
                let client = Client::builder()
                    .plan(Plan::Unlimited)
                    .webhook(&webhook)
                    .expect("client");
                for _ in 0..n {
                    #[allow(deprecated)]
                    let deal = client.call(&deal::Get::new(id)).await.expect("typed call");
                    std::hint::black_box(deal);
                }
            }
            "raw" => {
                let url = format!("{webhook}crm.deal.get.json");
                for _ in 0..n {
                    let answer: Value = http
                        .post(&url)
                        .json(&json!({"id": id}))
                        .send()
                        .await
                        .expect("raw call")
                        .json()
                        .await
                        .expect("raw answer");
                    std::hint::black_box(answer);
                }
            }
            other => panic!("unknown mode `{other}`"),
        }
    });
}
