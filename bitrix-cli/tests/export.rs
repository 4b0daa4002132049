//! `b24 export` against an emulator: every item once, in ID order, in each format; `--resume`;
//! the progress line on a terminal; a clean stop on Ctrl-C.

mod common;

use std::process::Stdio;
use std::time::Duration;

use bitrix_mock::{Config, FaultRule};
use common::{
    assert_success, interrupt, poll, run_on_terminal, scratch, stderr, wait_output, Portal,
};
use serde_json::Value;

fn ids_of_lines(text: &str) -> Vec<u64> {
    text.lines()
        .map(|l| {
            let item: Value = serde_json::from_str(l).expect("each line is JSON");
            item["id"].as_u64().expect("an id")
        })
        .collect()
}

#[test]
fn ndjson_holds_every_item_once_in_id_order() {
    let dir = scratch("ndjson");
    let portal = Portal::new();
    let seeded = portal.seed_deals(&dir, 120);
    let out_file = dir.join("deals.ndjson");
    let out = portal.run(&[
        "export",
        "crm.item.list",
        "entityTypeId=2",
        "--format",
        "ndjson",
        "--out",
        out_file.to_str().unwrap(),
    ]);
    assert_success(&out);
    assert!(
        out.stderr.is_empty(),
        "no progress in a pipe: {}",
        stderr(&out)
    );
    let ids = ids_of_lines(&std::fs::read_to_string(&out_file).unwrap());
    assert_eq!(ids, seeded);
    // By ID: three full pages and the empty one that ends the export, all with start=-1.
    let pages = portal
        .emu
        .calls()
        .iter()
        .filter(|c| c.method == "crm.item.list")
        .count();
    assert_eq!(pages, 4);
}

#[test]
fn csv_and_json_hold_every_item() {
    let dir = scratch("formats");
    let portal = Portal::new();
    let seeded = portal.seed_deals(&dir, 60);
    let csv = dir.join("deals.csv");
    let out = portal.run(&[
        "export",
        "crm.item.list",
        "entityTypeId=2",
        "select=title,opportunity",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
    ]);
    assert_success(&out);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,title,opportunity"));
    assert_eq!(
        lines.next(),
        Some(format!("{},Deal 1,10", seeded[0]).as_str())
    );
    assert_eq!(text.lines().count(), 61);

    let json = dir.join("deals.json");
    let out = portal.run(&[
        "export",
        "crm.item.list",
        "entityTypeId=2",
        "--format",
        "json",
        "--out",
        json.to_str().unwrap(),
    ]);
    assert_success(&out);
    let items: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let ids: Vec<u64> = items.iter().map(|i| i["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, seeded);
}

#[test]
fn resume_continues_after_the_last_id_written() {
    let dir = scratch("resume");
    let portal = Portal::new();
    let seeded = portal.seed_deals(&dir, 110);
    let file = dir.join("deals.ndjson");
    let args = [
        "export",
        "crm.item.list",
        "entityTypeId=2",
        "--out",
        file.to_str().unwrap(),
    ];
    assert_success(&portal.run(&args));
    let full = std::fs::read_to_string(&file).unwrap();
    // Keep the first 70 lines and half of the 71st, as a crash could leave it.
    let mut cut: String = full.lines().take(70).map(|l| format!("{l}\n")).collect();
    cut.push_str(&full.lines().nth(70).unwrap()[..10]);
    std::fs::write(&file, cut).unwrap();
    let calls_before = portal.emu.calls().len();

    let mut resumed = args.to_vec();
    resumed.push("--resume");
    assert_success(&portal.run(&resumed));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), full);
    assert_eq!(ids_of_lines(&full), seeded);
    // Only what was missing was fetched: the page after ID 70 and the empty one.
    assert_eq!(portal.emu.calls().len() - calls_before, 2);
}

#[test]
fn a_terminal_shows_progress_with_the_total() {
    let dir = scratch("progress");
    let portal = Portal::new();
    portal.seed_deals(&dir, 120);
    let file = dir.join("deals.ndjson");
    let cmd = portal.command(&[
        "export",
        "crm.item.list",
        "entityTypeId=2",
        "--out",
        file.to_str().unwrap(),
    ]);
    let (status, screen) = run_on_terminal(cmd);
    assert!(status.success(), "{screen}");
    // The last drawing: all items of the counted total, with a rate and a time left.
    let last = screen
        .rsplit('\r')
        .find(|s| !s.trim().is_empty())
        .unwrap_or_default();
    assert!(last.starts_with("120/120 items"), "{screen:?}");
    assert!(last.contains("items/s"), "{screen:?}");
    assert!(last.contains("~0s left"), "{screen:?}");
    assert_eq!(std::fs::read_to_string(&file).unwrap().lines().count(), 120);
}

#[test]
fn ctrl_c_leaves_a_valid_file_that_resume_completes() {
    let dir = scratch("ctrl-c");
    // Slow pages, so that the export is surely still running when Ctrl-C comes.
    let portal = Portal::start(
        Config::new().fault(FaultRule::new("crm.item.list").delay(Duration::from_millis(400))),
    );
    let seeded = portal.seed_deals(&dir, 250);
    let file = dir.join("deals.json");
    let args = [
        "export",
        "crm.item.list",
        "entityTypeId=2",
        "--format",
        "json",
        "--out",
        file.to_str().unwrap(),
    ];
    let child = portal
        .command(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Ctrl-C once the first page is in the file.
    poll("the first page", || {
        std::fs::read_to_string(&file).is_ok_and(|t| t.contains("\n{"))
    });
    interrupt(&child);
    let out = wait_output(child);
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(stderr(&out).contains("interrupted"), "{}", stderr(&out));
    let items: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&file).unwrap())
        .expect("a closed JSON array after Ctrl-C");
    assert!(
        !items.is_empty() && items.len() < seeded.len(),
        "{}",
        items.len()
    );
    assert_eq!(items.len() % 50, 0, "whole pages only");

    let mut resumed = args.to_vec();
    resumed.push("--resume");
    assert_success(&portal.run(&resumed));
    let items: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let ids: Vec<u64> = items.iter().map(|i| i["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, seeded);
}

#[test]
fn a_method_that_is_not_a_list_is_refused() {
    let portal = Portal::new();
    let out = portal.run(&["export", "crm.item.get", "entityTypeId=2", "id=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a list method"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_order_of_the_users_own_pages_by_start_and_next() {
    let dir = scratch("by-start");
    let portal = Portal::new();
    let seeded = portal.seed_deals(&dir, 75);
    let file = dir.join("deals.ndjson");
    let args = [
        "export",
        "crm.item.list",
        "entityTypeId=2",
        "order.id=DESC",
        "--out",
        file.to_str().unwrap(),
    ];
    assert_success(&portal.run(&args));
    let mut expected = seeded.clone();
    expected.reverse();
    let full = std::fs::read_to_string(&file).unwrap();
    assert_eq!(ids_of_lines(&full), expected);
    // start=0 and start=50 (the second page has no `next`).
    let pages = |p: &Portal| {
        p.emu
            .calls()
            .iter()
            .filter(|c| c.method == "crm.item.list")
            .count()
    };
    assert_eq!(pages(&portal), 2);

    // Resuming by start skips the items already written.
    let cut: String = full.lines().take(50).map(|l| format!("{l}\n")).collect();
    std::fs::write(&file, cut).unwrap();
    let mut resumed = args.to_vec();
    resumed.push("--resume");
    assert_success(&portal.run(&resumed));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), full);
    assert_eq!(pages(&portal), 3);
}
