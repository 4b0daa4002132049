//! How fast the generated types read what real portals send: every answer of the recorded
//! corpus (`tests/recorded/`) decoded through its method's check, as `bitrix-rest/tests/api/recorded.rs` does
//! (the success into the result type, an error into the method's error enum or a system error),
//! ROUNDS times. Prints the median answers per second over the rounds.
//!
//! ```sh
//! cargo bench -p bitrix-rest --bench decode_corpus --no-default-features \
//!     --features crm,task,tasks,im,disk,calendar,user,department,timeman,socialnetwork,catalog,lists \
//!     -- tests/recorded 200
//! ```
//!
//! A bench target rather than an example: `cargo test` builds every example, and this one
//! decodes every method of every folder.
//!
//! Cases whose method is not compiled in (its folder's feature is off) are skipped and counted.

use std::path::{Path, PathBuf};
use std::time::Instant;

use bitrix_rest::__private::{find_row, Outcome};
use serde_json::Value;

bitrix_macros::answer_table!(crates = "::bitrix_api_0 ::bitrix_api_1 ::bitrix_api_2 ::bitrix_api_3 ::bitrix_api_4 ::bitrix_api_5 ::bitrix_api_6 ::bitrix_api_7");

/// One recorded answer, ready to decode.
enum Case {
    /// `(check, status, body)`.
    Single(bitrix_rest::__private::AnswerCheck, u16, Vec<u8>),
    /// `(batch check, body)`.
    Batch(bitrix_rest::__private::BatchCheck, Vec<u8>),
}

fn main() {
    // `cargo bench` adds `--bench`; the folder is relative to the workspace.
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with("--"));
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = workspace.join(args.next().unwrap_or_else(|| "tests/recorded".into()));
    let rounds: usize = args
        .next()
        .map(|n| n.parse().expect("ROUNDS is a number"))
        .unwrap_or(200);
    let (cases, skipped) = load(&dir);
    assert!(
        !cases.is_empty(),
        "no recorded answers in {}",
        dir.display()
    );
    let answers_per_round = run_once(&cases);
    let mut rates = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let start = Instant::now();
        let n = run_once(&cases);
        let secs = start.elapsed().as_secs_f64();
        rates.push(n as f64 / secs);
    }
    rates.sort_by(f64::total_cmp);
    let median = rates[rates.len() / 2];
    println!(
        "{} cases ({} skipped: feature off), {answers_per_round} answers a round, {rounds} rounds: median {:.0} answers/s (min {:.0}, max {:.0})",
        cases.len(),
        skipped,
        median,
        rates[0],
        rates[rates.len() - 1]
    );
}

/// Decodes every case once; returns the number of answers read (a batch's commands each count).
fn run_once(cases: &[Case]) -> usize {
    let mut n = 0;
    for case in cases {
        match case {
            Case::Single(check, status, body) => {
                let outcome = check(*status, body).expect("a recorded answer decodes");
                std::hint::black_box(matches!(outcome, Outcome::Success));
                n += 1;
            }
            Case::Batch(check, body) => {
                let outcomes = check(body).expect("a recorded batch decodes");
                n += outcomes.len();
                std::hint::black_box(outcomes);
            }
        }
    }
    n
}

/// The corpus's `*.json` cases with their method's check; and how many had none compiled in.
fn load(dir: &Path) -> (Vec<Case>, usize) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut cases = Vec::new();
    let mut skipped = 0;
    for f in files {
        let case: Value = serde_json::from_slice(&std::fs::read(&f).expect("readable case"))
            .expect("a JSON case");
        let method = case["method"].as_str().expect("`method`");
        let rest = u8::try_from(case["rest"].as_u64().unwrap_or(2)).unwrap_or(2);
        let status = u16::try_from(case["status"].as_u64().unwrap_or(200)).unwrap_or(200);
        let body = serde_json::to_vec(&case["response"]).expect("JSON");
        let name = if method == "batch" {
            case["inner_method"].as_str().expect("`inner_method`")
        } else {
            method
        };
        let Some(row) = find_row(&ANSWER_TABLE, name, rest) else {
            skipped += 1;
            continue;
        };
        cases.push(if method == "batch" {
            Case::Batch(row.3, body)
        } else {
            Case::Single(row.2, status, body)
        });
    }
    (cases, skipped)
}
