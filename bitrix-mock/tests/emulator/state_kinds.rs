//! The state kinds beyond counted IDs and pages, over every shipped spec that uses them, each
//! family on a fresh emulator over HTTP: a family whose records the caller names (`[state]
//! named`) adds a record, reads it back through its get (or list), refuses the same name again,
//! changes it through its update, deletes it and then answers its documented not-found row; a
//! list the reference shows unpaged answers every record its family's add wrote, at once, with no
//! `next` or `total`; a family of settings (`set_values`, `get_values`) answers what its set
//! wrote, merged over two calls, all at once or one setting at a time.

use crate::common;

use std::path::Path;

use bitrix_codegen::model::{Action, Answer, StateDef, Ty, TypeKind};
use bitrix_codegen::{check_all, load_dir, Method};
use bitrix_mock::{Config, Emulator};
use common::post_json;
use serde_json::{json, Map, Value};

/// The shipped methods.
fn shipped() -> Vec<Method> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let sources = load_dir(&dir).expect("specs readable");
    let checked = check_all(&sources);
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    checked.methods
}

/// The first documented request of `m`, as an object.
fn documented_request(m: &Method) -> Map<String, Value> {
    m.examples
        .iter()
        .filter(|e| e.status == 200)
        .find_map(|e| e.request.as_ref()?.as_object().cloned())
        .unwrap_or_default()
}

/// Calls `method` with `body` as a client allowed to call it: application-only methods with the
/// OAuth token, others through the webhook.
async fn call(emu: &Emulator, method: &Method, body: Value) -> (u16, Value) {
    let mut body = body;
    let url = if method.application_only {
        if let Some(map) = body.as_object_mut() {
            map.insert("auth".into(), json!(emu.credentials().access_token));
        }
        format!("{}rest/{}", emu.portal_url(), method.name)
    } else if method.rest == 3 {
        let hook = emu.webhook_url().replacen("/rest/", "/rest/api/", 1);
        format!("{hook}{}", method.name)
    } else {
        format!("{}{}", emu.webhook_url(), method.name)
    };
    post_json(&url, &body).await
}

/// The record(s) of an answer: `result` under the state's `wrap` (or the list's `items`).
fn unwrapped<'a>(m: &Method, st: &StateDef, body: &'a Value) -> &'a Value {
    let result = &body["result"];
    match st.wrap.as_deref().or(m.result.items.as_deref()) {
        Some(key) => &result[key],
        None => result,
    }
}

/// The methods of `all` that act on `st`'s entity (and fixed partition) with `action`.
fn sibling<'a>(all: &'a [Method], st: &StateDef, action: Action) -> Option<&'a Method> {
    all.iter().find(|m| {
        m.rest == 2
            && m.state.as_ref().is_some_and(|s| {
                s.entity == st.entity
                    && s.action == action
                    && s.partition_value == st.partition_value
                    && s.partition.is_empty()
            })
    })
}

/// The error code of an answer, in the REST 2 envelope or the REST 3.0 one.
fn code_of(body: &Value) -> &str {
    body["error"]
        .as_str()
        .or_else(|| body["error"]["code"].as_str())
        .unwrap_or("")
}

/// The code a missing record answers in `m`: its `not_found` row's, else the portal's empty one.
fn not_found_code(m: &Method) -> String {
    m.state
        .as_ref()
        .and_then(|s| s.not_found.clone())
        .unwrap_or_default()
}

#[tokio::test]
async fn named_families_write_read_back_refuse_twice_and_forget() {
    let all = shipped();
    let mut covered = Vec::new();
    let mut failures = Vec::new();
    for add in all.iter().filter(|m| {
        m.rest == 2
            && m.state
                .as_ref()
                .is_some_and(|s| s.named && s.action == Action::Add)
    }) {
        let st = add.state.as_ref().expect("filtered on state");
        let id_param = st.id.as_deref().expect("a named add names its parameter");
        let emu = Emulator::start(Config::new()).await.expect("starts");
        let name = "probe_one";
        let mut body = documented_request(add);
        body.insert(id_param.to_string(), json!(name));
        let (status, answer) = call(&emu, add, Value::Object(body.clone())).await;
        if status != 200 {
            failures.push(format!("{}: {status} {answer}", add.name));
            continue;
        }
        // Read back: through the named get, else through the family's list.
        let get = sibling(&all, st, Action::Get);
        let list = sibling(&all, st, Action::List);
        if let Some(get) = get {
            let gst = get.state.as_ref().expect("sibling has state");
            let id = gst.id.as_deref().expect("a get names its parameter");
            let (status, answer) = call(&emu, get, json!({ id: name })).await;
            let record = unwrapped(get, gst, &answer);
            if status != 200 || record[&gst.key] != json!(name) {
                failures.push(format!("{}: {status} {answer}", get.name));
            }
        } else if let Some(list) = list {
            let lst = list.state.as_ref().expect("sibling has state");
            let (status, answer) = call(&emu, list, json!({})).await;
            let found = unwrapped(list, lst, &answer)
                .as_array()
                .is_some_and(|rows| {
                    // A list answering keys (`bizproc.activity.list`) lists the names alone.
                    rows.iter()
                        .any(|r| r[&lst.key] == json!(name) || *r == json!(name))
                });
            if status != 200 || !found {
                failures.push(format!("{}: {status} {answer}", list.name));
            }
        }
        // The same name again is refused with the documented row (or the generic one).
        let (status, answer) = call(&emu, add, Value::Object(body.clone())).await;
        let taken = st
            .taken
            .as_ref()
            .and_then(|t| {
                add.errors
                    .iter()
                    .find(|e| &e.variant == t)
                    .or_else(|| add.errors.iter().find(|e| &e.code == t))
            })
            .map_or("ERROR_ARGUMENT", |e| e.code.as_str());
        if status == 200 || code_of(&answer) != taken {
            failures.push(format!("{} twice: {status} {answer}", add.name));
        }
        // Update through the named update, and see the change where a get shows it.
        if let Some(update) = sibling(&all, st, Action::Update) {
            let ust = update.state.as_ref().expect("sibling has state");
            let id = ust.id.as_deref().expect("an update names its parameter");
            // The documented request gives what else the update requires (`HANDLER`).
            let documented = documented_request(update);
            let body = |name: &str| {
                let mut changed = Map::new();
                changed.insert("NAME".into(), json!("Changed name"));
                let mut body = documented.clone();
                body.insert(id.to_string(), json!(name));
                match ust.fields.as_deref() {
                    Some("*") | None => body.extend(changed),
                    Some(path) => match body.get_mut(path) {
                        Some(Value::Object(given)) => given.extend(changed),
                        _ => {
                            body.insert(path.to_string(), Value::Object(changed));
                        }
                    },
                }
                Value::Object(body)
            };
            let (status, answer) = call(&emu, update, body(name)).await;
            if status != 200 {
                failures.push(format!("{}: {status} {answer}", update.name));
            }
            if let Some(get) = get {
                let gst = get.state.as_ref().expect("sibling has state");
                let id = gst.id.as_deref().expect("a get names its parameter");
                let (_, answer) = call(&emu, get, json!({ id: name })).await;
                let record = unwrapped(get, gst, &answer);
                if record.get("NAME").is_some() && record["NAME"] != json!("Changed name") {
                    failures.push(format!("{} after update: {answer}", get.name));
                }
            }
            let (status, answer) = call(&emu, update, body("probe_none")).await;
            if status == 200 || code_of(&answer) != not_found_code(update) {
                failures.push(format!(
                    "{} of a missing name: {status} {answer}",
                    update.name
                ));
            }
        }
        // Delete, then the name is gone: a second delete (and a get) answer not found.
        if let Some(delete) = sibling(&all, st, Action::Delete) {
            let dst = delete.state.as_ref().expect("sibling has state");
            let id = dst.id.as_deref().expect("a delete names its parameter");
            let (status, answer) = call(&emu, delete, json!({ id: name })).await;
            if status != 200 {
                failures.push(format!("{}: {status} {answer}", delete.name));
            }
            let (status, answer) = call(&emu, delete, json!({ id: name })).await;
            if status == 200 || code_of(&answer) != not_found_code(delete) {
                failures.push(format!("{} twice: {status} {answer}", delete.name));
            }
            if let Some(get) = get {
                let gid = get.state.as_ref().and_then(|s| s.id.as_deref());
                let (status, answer) = call(&emu, get, json!({ gid.unwrap_or(id): name })).await;
                if status == 200 || code_of(&answer) != not_found_code(get) {
                    failures.push(format!("{} after delete: {status} {answer}", get.name));
                }
            }
        }
        covered.push(st.entity.clone());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // entity, bizproc.activity, bizproc.robot, messageservice.sender, userfieldtype,
    // telephony.externalLine, crm.automation.trigger, crm.timeline.icon, crm.timeline.logo,
    // sale.status.
    assert!(covered.len() >= 10, "named families covered: {covered:?}");
}

#[tokio::test]
async fn unpaged_lists_answer_every_added_record_at_once() {
    let all = shipped();
    let mut covered = Vec::new();
    let mut failures = Vec::new();
    for list in all.iter().filter(|m| {
        m.rest == 2
            && !m.result.paged
            && m.state
                .as_ref()
                .is_some_and(|s| s.action == Action::List && s.partition.is_empty())
    }) {
        let lst = list.state.as_ref().expect("filtered on state");
        let Some(add) = sibling(&all, lst, Action::Add)
            .filter(|a| a.state.as_ref().is_some_and(|s| s.partition.is_empty()))
        else {
            continue;
        };
        let ast = add.state.as_ref().expect("sibling has state");
        // Without a documented request the add's required values are unknown.
        if documented_request(add).is_empty() {
            continue;
        }
        let emu = Emulator::start(Config::new()).await.expect("starts");
        let mut added = 0;
        for name in ["probe_one", "probe_two"] {
            let mut body = documented_request(add);
            if let (true, Some(id)) = (ast.named, ast.id.as_deref()) {
                body.insert(id.to_string(), json!(name));
            }
            let (status, answer) = call(&emu, add, Value::Object(body)).await;
            if status == 200 {
                added += 1;
            } else {
                failures.push(format!("{}: {status} {answer}", add.name));
            }
        }
        // The list's required parameters as its documented request gives them (`entityId`).
        let query: Map<String, Value> = documented_request(list)
            .into_iter()
            .filter(|(k, _)| {
                list.params
                    .iter()
                    .any(|p| p.wire == *k && p.required == bitrix_codegen::ast::Required::Yes)
            })
            .collect();
        let (status, answer) = call(&emu, list, Value::Object(query)).await;
        // Records keyed by their key (`answer = "keyed"`) are the object's values.
        let keyed: Option<Vec<Value>> = (lst.answer == Answer::Keyed)
            .then(|| unwrapped(list, lst, &answer).as_object())
            .flatten()
            .map(|m| m.values().cloned().collect());
        let listed = keyed.as_ref().or(unwrapped(list, lst, &answer).as_array());
        let rows = listed.map(Vec::len);
        // A list answering keys answers the names the adds gave, as text.
        if lst.answer == Answer::Keys && !listed.is_some_and(|r| r.iter().all(Value::is_string)) {
            failures.push(format!("{} answers no keys: {answer}", list.name));
        }
        let unpaged = answer.get("next").is_none() && answer.get("total").is_none();
        if status != 200 || rows != Some(added) || !unpaged {
            failures.push(format!(
                "{} after {added} adds: {status} {answer}",
                list.name
            ));
        }
        covered.push(list.name.clone());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("unpaged lists covered: {covered:?}");
    assert!(covered.len() >= 20, "unpaged lists covered: {covered:?}");
}

#[tokio::test]
async fn rows_set_read_back_and_unset_per_owner() {
    let all = shipped();
    let mut covered = Vec::new();
    let mut failures = Vec::new();
    // Each `set_rows` without `rows` empties its owner's rows; its family sets and reads them.
    for unset in all.iter().filter(|m| {
        m.rest == 2
            && m.state
                .as_ref()
                .is_some_and(|s| s.action == Action::SetRows && s.rows.is_none())
    }) {
        let st = unset.state.as_ref().expect("filtered on state");
        let parent = st.parent.as_deref().expect("rows of an owner");
        let same = |m: &&Method, action: Action| {
            m.state.as_ref().is_some_and(|s| {
                s.entity == st.entity && s.action == action && s.parent == st.parent
            })
        };
        let set = all.iter().find(|m| {
            same(m, Action::SetRows) && m.state.as_ref().is_some_and(|s| s.rows.is_some())
        });
        let read = all.iter().find(|m| same(m, Action::GetRows));
        let (Some(set), Some(read)) = (set, read) else {
            failures.push(format!(
                "{}: no set_rows with rows or no get_rows",
                unset.name
            ));
            continue;
        };
        let rows_param = set
            .state
            .as_ref()
            .and_then(|s| s.rows.clone())
            .expect("has rows");
        let rst = read.state.as_ref().expect("has state");
        let emu = Emulator::start(Config::new()).await.expect("starts");
        let mut body = documented_request(set);
        body.insert(parent.to_string(), json!(5));
        let sent = body[&rows_param].as_array().map_or(0, Vec::len);
        let (status, answer) = call(&emu, set, Value::Object(body.clone())).await;
        if status != 200 || sent == 0 {
            failures.push(format!("{} ({sent} rows): {status} {answer}", set.name));
            continue;
        }
        // Another owner's rows stay apart.
        body.insert(parent.to_string(), json!(6));
        call(&emu, set, Value::Object(body)).await;
        let rows_of = |answer: &Value| unwrapped(read, rst, answer).as_array().cloned();
        let (status, answer) = call(&emu, read, json!({ parent: 5 })).await;
        let got = rows_of(&answer);
        // The rows come back as sent (the client's own `id` is no row ID).
        let first_sent = documented_request(set)[&rows_param][0].clone();
        let first_got = got
            .as_ref()
            .and_then(|r| r.first())
            .cloned()
            .unwrap_or_default();
        let as_sent = first_sent
            .as_object()
            .is_some_and(|o| o.iter().all(|(k, v)| first_got[k] == *v));
        if status != 200 || got.as_ref().map(Vec::len) != Some(sent) || !as_sent {
            failures.push(format!(
                "{} after {}: {status} {answer}",
                read.name, set.name
            ));
        }
        let (status, answer) = call(&emu, unset, json!({ parent: 5 })).await;
        if status != 200 {
            failures.push(format!("{}: {status} {answer}", unset.name));
        }
        let (_, answer) = call(&emu, read, json!({ parent: 5 })).await;
        if rows_of(&answer).map(|r| r.len()) != Some(0) {
            failures.push(format!("{} after {}: {answer}", read.name, unset.name));
        }
        let (_, answer) = call(&emu, read, json!({ parent: 6 })).await;
        if rows_of(&answer).map(|r| r.len()) != Some(sent) {
            failures.push(format!("{} of the other owner: {answer}", read.name));
        }
        covered.push(st.entity.clone());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(covered.len() >= 4, "row families covered: {covered:?}");
}

#[tokio::test]
async fn documented_records_are_listed_and_found_by_name() {
    let all = shipped();
    let mut covered = Vec::new();
    let mut failures = Vec::new();
    let emu = Emulator::start(Config::new()).await.expect("starts");
    for list in all.iter().filter(|m| {
        m.state
            .as_ref()
            .is_some_and(|s| s.documented && s.action == Action::List)
    }) {
        let lst = list.state.as_ref().expect("filtered on state");
        let documented: Vec<Value> = list
            .examples
            .iter()
            .filter(|e| e.status == 200)
            .find_map(|e| e.response.as_ref()?.get("result").cloned())
            .map(|r| unwrapped(list, lst, &json!({ "result": r })).clone())
            .and_then(|items| items.as_array().cloned())
            .unwrap_or_default();
        let (status, answer) = call(&emu, list, json!({})).await;
        let listed = unwrapped(list, lst, &answer)
            .as_array()
            .cloned()
            .unwrap_or_default();
        let names =
            |rows: &[Value]| -> Vec<Value> { rows.iter().map(|r| r[&lst.key].clone()).collect() };
        if status != 200 || documented.is_empty() || names(&listed) != names(&documented) {
            failures.push(format!("{}: {status} {answer}", list.name));
        }
        let Some(get) = all.iter().find(|m| {
            m.rest == list.rest
                && m.state
                    .as_ref()
                    .is_some_and(|s| s.entity == lst.entity && s.action == Action::Get && s.named)
        }) else {
            failures.push(format!("{}: no named get", list.name));
            continue;
        };
        let gst = get.state.as_ref().expect("has state");
        let id = gst.id.as_deref().expect("a get names its parameter");
        for name in names(&documented) {
            let (status, answer) = call(&emu, get, json!({ id: name })).await;
            if status != 200 || unwrapped(get, gst, &answer)[&gst.key] != name {
                failures.push(format!("{} {name}: {status} {answer}", get.name));
            }
        }
        // An unknown name answers the documented row, unless the spec lists the names as an
        // enum, which refuses it before the store is asked.
        let (status, answer) = call(&emu, get, json!({ id: "noSuchField" })).await;
        let refused_as_enum = answer["error"]["validation"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("must be one of"));
        if status == 200 || (code_of(&answer) != not_found_code(get) && !refused_as_enum) {
            failures.push(format!(
                "{} of an unknown name: {status} {answer}",
                get.name
            ));
        }
        covered.push(lst.entity.clone());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        covered.len() >= 15,
        "documented families covered: {covered:?}"
    );
}

#[tokio::test]
async fn upserting_updates_create_then_change_the_named_record() {
    let all = shipped();
    let mut covered = Vec::new();
    let mut failures = Vec::new();
    for save in all
        .iter()
        .filter(|m| m.state.as_ref().is_some_and(|s| s.upsert))
    {
        let st = save.state.as_ref().expect("filtered on state");
        let same = |action: Action| {
            all.iter().find(|m| {
                m.state.as_ref().is_some_and(|s| {
                    s.entity == st.entity && s.action == action && s.partition == st.partition
                })
            })
        };
        let (Some(get), Some(delete)) = (same(Action::Get), same(Action::Delete)) else {
            failures.push(format!("{}: no get or delete of {}", save.name, st.entity));
            continue;
        };
        let emu = Emulator::start(Config::new()).await.expect("starts");
        let documented = documented_request(save);
        // The record's address: the name and the partition, as the documented request gives them.
        let mut address = Map::new();
        for p in st.partition.iter().chain(st.id.as_ref()) {
            if let Some(v) = documented.get(p) {
                address.insert(p.clone(), v.clone());
            }
        }
        let text_field = documented
            .iter()
            .find(|(k, v)| v.is_string() && !address.contains_key(*k))
            .map(|(k, _)| k.clone());
        let Some(text_field) = text_field else {
            failures.push(format!(
                "{}: no text field in its documented request",
                save.name
            ));
            continue;
        };
        let (status, answer) = call(&emu, get, Value::Object(address.clone())).await;
        if status == 200 || code_of(&answer) != not_found_code(get) {
            failures.push(format!("{} before any save: {status} {answer}", get.name));
        }
        for text in ["first", "second"] {
            let mut body = documented.clone();
            body.insert(text_field.clone(), json!(text));
            let (status, answer) = call(&emu, save, Value::Object(body)).await;
            if status != 200 {
                failures.push(format!("{}: {status} {answer}", save.name));
            }
            let (status, answer) = call(&emu, get, Value::Object(address.clone())).await;
            let gst = get.state.as_ref().expect("has state");
            if status != 200 || unwrapped(get, gst, &answer)[&text_field] != json!(text) {
                failures.push(format!(
                    "{} after saving {text}: {status} {answer}",
                    get.name
                ));
            }
        }
        // Another item of the same owner has no record.
        let mut other = address.clone();
        if let Some(id) = st.id.as_ref() {
            other.insert(id.clone(), json!(987_654));
        }
        let (status, answer) = call(&emu, get, Value::Object(other)).await;
        if status == 200 {
            failures.push(format!("{} of another name: {answer}", get.name));
        }
        let (status, answer) = call(&emu, delete, Value::Object(address.clone())).await;
        if status != 200 {
            failures.push(format!("{}: {status} {answer}", delete.name));
        }
        let (status, answer) = call(&emu, get, Value::Object(address)).await;
        if status == 200 || code_of(&answer) != not_found_code(get) {
            failures.push(format!("{} after delete: {status} {answer}", get.name));
        }
        covered.push(st.entity.clone());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(!covered.is_empty(), "no upserting family");
}

#[tokio::test]
async fn dotted_partitions_keep_records_apart() {
    let all = shipped();
    let mut covered = Vec::new();
    let mut failures = Vec::new();
    // Families split by a value inside a parameter (`preset.ID` of `crm.requisite.preset.field.*`).
    for add in all.iter().filter(|m| {
        m.state
            .as_ref()
            .is_some_and(|s| s.action == Action::Add && s.partition.iter().any(|p| p.contains('.')))
    }) {
        let st = add.state.as_ref().expect("filtered on state");
        let of = |action: Action| {
            all.iter().find(|m| {
                m.state.as_ref().is_some_and(|s| {
                    s.entity == st.entity && s.action == action && s.partition == st.partition
                })
            })
        };
        let (Some(get), Some(list)) = (of(Action::Get), of(Action::List)) else {
            failures.push(format!("{}: no get or list beside it", add.name));
            continue;
        };
        let emu = Emulator::start(Config::new()).await.expect("starts");
        // The partition value at its path, as a nested object (`{"preset": {"ID": 1}}`).
        let at = |value: i64| {
            let mut body = Map::new();
            for path in &st.partition {
                let mut parts: Vec<&str> = path.split('.').collect();
                let leaf = parts.pop().unwrap_or_default();
                let mut inner = json!({ leaf: value });
                while let Some(p) = parts.pop() {
                    inner = json!({ p: inner });
                }
                if let Value::Object(m) = inner {
                    body.extend(m);
                }
            }
            body
        };
        let mut body = documented_request(add);
        body.extend(at(1));
        let (status, answer) = call(&emu, add, Value::Object(body)).await;
        let id = answer["result"].clone();
        if status != 200 {
            failures.push(format!("{}: {status} {answer}", add.name));
            continue;
        }
        let gid = get
            .state
            .as_ref()
            .and_then(|s| s.id.clone())
            .unwrap_or_default();
        for (value, found) in [(1, true), (2, false)] {
            let mut q = at(value);
            q.insert(gid.clone(), id.clone());
            let (status, answer) = call(&emu, get, Value::Object(q)).await;
            if (status == 200) != found {
                failures.push(format!(
                    "{} in partition {value}: {status} {answer}",
                    get.name
                ));
            }
            let lst = list.state.as_ref().expect("has state");
            let (_, answer) = call(&emu, list, Value::Object(at(value))).await;
            let rows = unwrapped(list, lst, &answer).as_array().map(Vec::len);
            if rows != Some(usize::from(found)) {
                failures.push(format!("{} in partition {value}: {answer}", list.name));
            }
        }
        covered.push(st.entity.clone());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(!covered.is_empty(), "no family split by a nested value");
}

/// A valid value other than `v` for a field of type `ty`: another enum value, the number plus
/// one, the other truth value, a text with a suffix; `v` itself where no other is known.
fn changed(m: &Method, ty: &Ty, v: &Value) -> Value {
    match (ty, v) {
        (Ty::Nullable(inner), _) => changed(m, inner, v),
        (Ty::Named(n), _) => match m.type_def(n).map(|t| &t.kind) {
            Some(TypeKind::Enum { values }) => values
                .iter()
                .map(|e| json!(e.value))
                .find(|e| e != v)
                .unwrap_or_else(|| v.clone()),
            _ => v.clone(),
        },
        (Ty::Boolean, Value::Bool(b)) => json!(!b),
        (Ty::Flag, Value::String(f)) => json!(if f == "Y" { "N" } else { "Y" }),
        (Ty::Integer, _) => json!(v.as_i64().unwrap_or(0) + 1),
        (Ty::String | Ty::Any | Ty::Map(_), Value::String(t)) => json!(format!("{t}_2")),
        _ => v.clone(),
    }
}

/// The type of the setting `key` a `set_values` writes: a parameter (`fields = "*"`), a field of
/// the struct the `fields` parameter is, or the value type of its map.
fn setting_type(m: &Method, path: &str, key: &str) -> Ty {
    if path == "*" {
        return m.param(key).map_or(Ty::Any, |p| p.ty.clone());
    }
    match m.param(path).map(|p| &p.ty) {
        Some(Ty::Map(inner)) => (**inner).clone(),
        Some(Ty::Named(n)) => match m.type_def(n).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields
                .iter()
                .find(|f| f.wire == key)
                .map_or(Ty::Any, |f| f.ty.clone()),
            _ => Ty::Any,
        },
        _ => Ty::Any,
    }
}

/// Two values the same up to the portal's forms: `15` and `"15"`, `true` and `"Y"`.
fn same_setting(a: &Value, b: &Value) -> bool {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "Y" } else { "N" }.to_string()),
        _ => None,
    };
    a == b || text(a).is_some_and(|t| Some(t) == text(b))
}

/// The value under `key` in an answer's settings, in whatever casing the answer writes it.
fn setting<'a>(answer: &'a Value, key: &str) -> Option<&'a Value> {
    let plain = |s: &str| s.replace('_', "").to_ascii_lowercase();
    answer
        .as_object()?
        .iter()
        .find(|(k, _)| plain(k) == plain(key))
        .map(|(_, v)| v)
}

#[tokio::test]
async fn settings_answer_what_was_set() {
    let all = shipped();
    let mut covered = Vec::new();
    let mut failures = Vec::new();
    for get in all.iter().filter(|m| {
        m.rest == 2
            && m.state
                .as_ref()
                .is_some_and(|s| s.action == Action::GetValues)
    }) {
        let gst = get.state.as_ref().expect("filtered on state");
        let Some(set) = all.iter().find(|m| {
            m.state.as_ref().is_some_and(|s| {
                s.entity == gst.entity
                    && s.action == Action::SetValues
                    && s.partition == gst.partition
            })
        }) else {
            failures.push(format!("{}: no set_values of its entity", get.name));
            continue;
        };
        let path = set
            .state
            .as_ref()
            .and_then(|s| s.fields.clone())
            .expect("a set_values names its fields");
        // The documented request's settings, each changed to another valid value, so that
        // the answer cannot be the documented one the get may start with.
        let request = documented_request(set);
        let sent: Map<String, Value> = if path == "*" {
            request.clone()
        } else {
            request
                .get(&path)
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let sent: Map<String, Value> = sent
            .iter()
            .map(|(k, v)| (k.clone(), changed(set, &setting_type(set, &path, k), v)))
            .collect();
        if sent.is_empty() {
            failures.push(format!("{}: no documented settings to send", set.name));
            continue;
        }
        let emu = Emulator::start(Config::new()).await.expect("starts");
        // Two calls, each with half of the settings: the second merges into the first.
        let keys: Vec<&String> = sent.keys().collect();
        let (first, second) = keys.split_at(keys.len().div_ceil(2));
        for half in [first, second].into_iter().filter(|h| !h.is_empty()) {
            let part: Map<String, Value> = half
                .iter()
                .map(|k| ((*k).clone(), sent[k.as_str()].clone()))
                .collect();
            let body = if path == "*" {
                part
            } else {
                let mut body = request.clone();
                body.insert(path.clone(), Value::Object(part));
                body
            };
            let (status, answer) = call(&emu, set, Value::Object(body)).await;
            if status != 200 {
                failures.push(format!("{}: {status} {answer}", set.name));
            }
        }
        let (status, answer) = call(&emu, get, json!({})).await;
        let got = unwrapped(get, gst, &answer);
        if status != 200 {
            failures.push(format!("{}: {status} {answer}", get.name));
            continue;
        }
        match (&gst.pick, gst.id.as_deref()) {
            // One setting always: the one `pick` names.
            (Some(pick), _) => {
                let want = sent.get(pick).unwrap_or(&Value::Null);
                if !same_setting(got, want) {
                    failures.push(format!("{}: {got}, sent {want}", get.name));
                }
            }
            // All of them without the parameter; one with it, `null` for an unknown one.
            (None, id) => {
                for (k, v) in &sent {
                    if !setting(got, k).is_some_and(|g| same_setting(g, v)) {
                        failures.push(format!("{}: `{k}` in {got}, sent {v}", get.name));
                    }
                }
                if let Some(id) = id {
                    for (k, v) in &sent {
                        let (_, answer) = call(&emu, get, json!({ id: k })).await;
                        if !same_setting(&answer["result"], v) {
                            failures.push(format!("{} `{k}`: {answer}, sent {v}", get.name));
                        }
                    }
                    let (_, answer) = call(&emu, get, json!({ id: "probe_unset" })).await;
                    if !answer["result"].is_null() {
                        failures.push(format!("{} of an unset key: {answer}", get.name));
                    }
                }
            }
        }
        covered.push(gst.entity.clone());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("settings covered: {covered:?}");
    assert!(covered.len() >= 7, "settings covered: {covered:?}");
}
