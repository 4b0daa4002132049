//! `b24 call` against an emulator: checks before sending, errors with their meaning, output form.

mod common;

use common::{assert_success, run_on_terminal, stderr, Portal};
use serde_json::Value;

#[test]
fn an_unknown_key_is_refused_with_the_closest_parameter() {
    let portal = Portal::new();
    let out = portal.run(&["call", "crm.item.list", "entityTypId=2"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("`entityTypId` is not a parameter of crm.item.list"),
        "{err}"
    );
    assert!(err.contains("did you mean `entityTypeId`?"), "{err}");
    assert!(portal.emu.calls().is_empty(), "nothing is sent");
}

#[test]
fn a_missing_required_parameter_is_refused_by_name() {
    let portal = Portal::new();
    let out = portal.run(&["call", "crm.item.add", "fields.title=Deal"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("needs the required parameter `entityTypeId`"),
        "{err}"
    );
    assert!(portal.emu.calls().is_empty(), "nothing is sent");
}

#[test]
fn a_value_of_the_wrong_type_is_refused() {
    let portal = Portal::new();
    let out = portal.run(&["call", "crm.item.get", "entityTypeId=deal", "id=1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`entityTypeId` must be an integer"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn an_unknown_method_gets_a_suggestion_and_raw_calls_it_anyway() {
    let portal = Portal::new();
    let out = portal.run(&["call", "user.curent"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `user.current`?"));
    let out = portal.run(&["call", "--raw", "user.current"]);
    assert_success(&out);
}

#[test]
fn a_documented_error_is_printed_with_its_meaning() {
    let portal = Portal::new();
    let out = portal.run(&["call", "crm.item.get", "entityTypeId=2", "id=999"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("crm.item.get: NOT_FOUND (HTTP 400)"), "{err}");
    assert!(
        err.contains("meaning: No item of this type has the given `id`."),
        "{err}"
    );
}

#[test]
fn nested_keys_flags_and_lists_are_converted_per_the_spec() {
    let portal = Portal::new();
    let out = portal.run(&[
        "call",
        "crm.item.add",
        "entityTypeId=2",
        "fields.title=Nested",
        "fields[opportunity]=1500.5",
        "fields.observers=3,4",
        "fields.opened=true",
    ]);
    assert_success(&out);
    let records = portal.emu.records("crm");
    let item = &records[0];
    assert_eq!(item["title"], "Nested");
    assert_eq!(item["opportunity"], 1500.5);
    assert_eq!(item["observers"], serde_json::json!([3, 4]));
    assert_eq!(item["opened"], "Y");
}

#[test]
fn in_a_pipe_the_result_is_one_compact_line() {
    let portal = Portal::new();
    let out = portal.run(&["call", "user.current"]);
    assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    let user: Value = serde_json::from_str(&text).unwrap();
    assert!(user.get("ID").is_some());
}

#[test]
fn on_a_terminal_the_result_is_indented() {
    let portal = Portal::new();
    let (status, screen) = run_on_terminal(portal.command(&["call", "user.current"]));
    assert!(status.success(), "{screen}");
    let text = screen.replace('\r', "");
    assert!(text.starts_with("{\n  \""), "{text}");
    let user: Value = serde_json::from_str(&text).unwrap();
    assert!(user.get("ID").is_some());
}

#[test]
fn a_json_body_from_a_file_with_keys_on_top() {
    let dir = common::scratch("json-body");
    let portal = Portal::new();
    let body = dir.join("body.json");
    std::fs::write(
        &body,
        r#"{"entityTypeId": 2, "fields": {"title": "From file"}}"#,
    )
    .unwrap();
    let at = format!("@{}", body.display());
    let out = portal.run(&[
        "call",
        "crm.item.add",
        "--json",
        &at,
        "fields.opportunity=7",
    ]);
    assert_success(&out);
    let records = portal.emu.records("crm");
    assert_eq!(records[0]["title"], "From file");
    assert_eq!(records[0]["opportunity"], 7.0);
}

#[test]
fn a_method_in_both_versions_is_called_in_the_version_its_spec_names() {
    let portal = Portal::new();
    // `@v3` names the REST 3.0 spec: sent to `/rest/api/`, answered with the v3 item envelope.
    let out = portal.run(&[
        "call",
        "tasks.task.add@v3",
        "fields.title=Both",
        "fields.creatorId=1",
        "fields.responsibleId=1",
    ]);
    assert_success(&out);
    let added: Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = added["item"]["id"].as_u64().expect("a v3 item with an id");
    let out = portal.run(&["call", "tasks.task.get@v3", &format!("id={id}")]);
    assert_success(&out);
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(got["item"]["title"], "Both");
    // The wire name has no suffix: the emulator logged `tasks.task.add`.
    assert!(portal
        .emu
        .calls()
        .iter()
        .any(|c| c.method == "tasks.task.add"));
    // The REST 3.0 spec checks its own parameters: `id` is required.
    let out = portal.run(&["call", "tasks.task.get@v3"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
