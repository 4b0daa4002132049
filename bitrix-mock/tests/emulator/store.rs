//! The generic store, one test per answer pattern, over raw HTTP (JSON and PHP-bracket form
//! bodies) to a real emulator on 127.0.0.1: the plain-ID add (test specs `crm.contact.*`), the
//! `item` envelope and the `items` list (shipped `crm.item.*`), multi-value fields and user
//! fields; then bad list input, `fields`, and batch reaching the same store.

use crate::common;

use bitrix_mock::{Config, Emulator};
use common::{assert_error, post_json, post_raw};
use serde_json::{json, Value};

const FORM: &str = "application/x-www-form-urlencoded";

/// An emulator serving the small test specs of `tests/specs/` (the `crm.contact` family).
async fn contacts() -> Emulator {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/specs");
    Emulator::start(Config::new().specs_dir(dir))
        .await
        .expect("emulator starts on the test specs")
}

/// An emulator serving the shipped specs.
async fn shipped() -> Emulator {
    Emulator::start(Config::new())
        .await
        .expect("emulator starts")
}

async fn ok(url: &str, body: Value) -> Value {
    let (status, answer) = post_json(url, &body).await;
    assert_eq!(status, 200, "{url}: {answer}");
    answer
}

#[tokio::test]
async fn plain_id_add_then_get_update_delete_in_json_and_form() {
    let emu = contacts().await;
    let hook = emu.webhook_url();
    let add = format!("{hook}crm.contact.add");
    let first = ok(
        &add,
        json!({"fields": {"NAME": "Ann", "OPPORTUNITY": "12.5"}}),
    )
    .await;
    assert_eq!(first["result"], 1, "{first}");
    let (status, second) = post_raw(
        &add,
        FORM,
        "fields[NAME]=Bob&fields[LAST_NAME]=M%C3%BCller&fields[ASSIGNED_BY_ID]=7",
    )
    .await;
    assert_eq!((status, &second["result"]), (200, &json!(2)), "{second}");

    let got = ok(&format!("{hook}crm.contact.get"), json!({"id": 2})).await;
    let r = &got["result"];
    assert_eq!(r["ID"], 2);
    assert_eq!(r["LAST_NAME"], "Müller");
    // System fields the result type declares, filled in; a given responsible user is kept.
    assert!(
        r["DATE_CREATE"]
            .as_str()
            .is_some_and(|d| d.ends_with("+00:00")),
        "{r}"
    );
    assert_eq!(r["CREATED_BY_ID"], 1);
    assert_eq!(r["MODIFY_BY_ID"], 1);
    assert_eq!(r["ASSIGNED_BY_ID"], 7);
    // A number sent as text is stored as the number the spec says it is.
    let first = ok(&format!("{hook}crm.contact.get"), json!({"id": "1"})).await;
    assert_eq!(first["result"]["OPPORTUNITY"], 12.5);
    assert_eq!(
        first["result"]["ASSIGNED_BY_ID"], 1,
        "the caller by default"
    );

    let (status, updated) = post_raw(
        &format!("{hook}crm.contact.update"),
        FORM,
        "id=2&fields[NAME]=Robert",
    )
    .await;
    assert_eq!(
        (status, &updated["result"]),
        (200, &json!(true)),
        "{updated}"
    );
    let got = ok(&format!("{hook}crm.contact.get"), json!({"id": 2})).await;
    assert_eq!(got["result"]["NAME"], "Robert");
    assert_eq!(got["result"]["LAST_NAME"], "Müller", "update merges");

    // The documented row of `not_found`; without one, the portal's empty code (it was a generic
    // `NOT_FOUND`, which crm portals do not send).
    let missing = post_json(
        &format!("{hook}crm.contact.update"),
        &json!({"id": 99, "fields": {"NAME": "x"}}),
    )
    .await;
    assert_error(&missing, 404, "ERROR_NOT_FOUND");
    assert_eq!(missing.1["error_description"], "Contact is not found");
    assert_eq!(
        ok(&format!("{hook}crm.contact.delete"), json!({"id": 2})).await["result"],
        true
    );
    let gone = post_json(&format!("{hook}crm.contact.get"), &json!({"id": 2})).await;
    assert_error(&gone, 400, "");
    assert_eq!(gone.1["error_description"], "Not found");
    assert_error(
        &post_json(&format!("{hook}crm.contact.delete"), &json!({"id": 2})).await,
        400,
        "",
    );
    assert_eq!(emu.records("crm.contact").len(), 1);
}

#[tokio::test]
async fn item_envelope_add_get_update_delete_with_partitions() {
    let emu = shipped().await;
    let hook = emu.webhook_url();
    let added = ok(
        &format!("{hook}crm.item.add"),
        json!({"entityTypeId": 2, "fields": {"title": "Deal", "opportunity": 100}}),
    )
    .await;
    let item = &added["result"]["item"];
    let id = item["id"].as_i64().expect("id in the envelope");
    assert_eq!(item["title"], "Deal");
    assert_eq!(item["entityTypeId"], 2);
    assert_eq!(item["createdBy"], 1);
    assert!(item["createdTime"].is_string() && item["updatedTime"].is_string());

    let (status, got) = post_raw(
        &format!("{hook}crm.item.get"),
        FORM,
        &format!("entityTypeId=2&id={id}"),
    )
    .await;
    assert_eq!(status, 200, "{got}");
    assert_eq!(&got["result"]["item"], item);

    // Another object type is another partition: the deal is not there.
    let other = post_json(
        &format!("{hook}crm.item.get"),
        &json!({"entityTypeId": 1, "id": id}),
    )
    .await;
    assert_error(&other, 400, "NOT_FOUND");
    assert_eq!(other.1["error_description"], "Item not found");

    let updated = ok(
        &format!("{hook}crm.item.update"),
        json!({"entityTypeId": 2, "id": id, "fields": {"title": "Renamed"}}),
    )
    .await;
    assert_eq!(updated["result"]["item"]["title"], "Renamed");
    assert_eq!(updated["result"]["item"]["opportunity"], 100);

    let deleted = ok(
        &format!("{hook}crm.item.delete"),
        json!({"entityTypeId": 2, "id": id}),
    )
    .await;
    // The portal answers an empty array, as the spec's result type says.
    assert_eq!(deleted["result"], json!([]));
    assert_error(
        &post_json(
            &format!("{hook}crm.item.delete"),
            &json!({"entityTypeId": 2, "id": id}),
        )
        .await,
        400,
        "NOT_FOUND",
    );
    assert!(emu.records("crm").is_empty());
}

/// Adds `n` deals through `batch` (so sub-calls reach the store), 50 a request.
async fn add_deals(emu: &Emulator, n: usize) {
    let url = format!("{}batch", emu.webhook_url());
    let stages = ["NEW", "WON", "LOSE"];
    for chunk in (0..n).collect::<Vec<_>>().chunks(50) {
        let cmd: serde_json::Map<String, Value> = chunk
            .iter()
            .map(|i| {
                let query = format!(
                    "entityTypeId=2&fields[title]=Deal%20{i}&fields[opportunity]={}&fields[stageId]={}",
                    (i * 7) % 100,
                    stages[i % 3]
                );
                // Zero-padded: `json!` sorts keys, and the emulator runs them in the order sent.
                (format!("a{i:03}"), json!(format!("crm.item.add?{query}")))
            })
            .collect();
        let answer = ok(&url, json!({"cmd": cmd})).await;
        assert_eq!(answer["result"]["result_error"], json!([]), "{answer}");
    }
}

#[tokio::test]
async fn items_list_filters_orders_selects_and_pages() {
    let emu = shipped().await;
    add_deals(&emu, 120).await;
    let url = format!("{}crm.item.list", emu.webhook_url());
    let ids = |answer: &Value| -> Vec<i64> {
        answer["result"]["items"]
            .as_array()
            .map(|a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
            .unwrap_or_default()
    };

    // Paging: 50 a page, `next` and `total`, then `start = -1` without a count.
    let mut start = Some(0);
    let mut seen = Vec::new();
    for _ in 0..5 {
        let Some(s) = start else { break };
        let page = ok(&url, json!({"entityTypeId": 2, "start": s})).await;
        assert_eq!(page["total"], 120);
        seen.extend(ids(&page));
        start = page["next"].as_u64();
    }
    assert_eq!(seen, (1..=120).collect::<Vec<_>>());
    let quick = ok(&url, json!({"entityTypeId": 2, "start": -1})).await;
    assert_eq!(ids(&quick).len(), 50);
    assert!(quick.get("total").is_none() && quick.get("next").is_none());
    let other = ok(&url, json!({"entityTypeId": 1})).await;
    assert_eq!(other["total"], 0, "another partition");

    // Every prefix, in a JSON body.
    let check = |filter: Value, expect: fn(i64) -> bool| {
        let url = url.clone();
        async move {
            let answer = ok(&url, json!({"entityTypeId": 2, "filter": filter})).await;
            let want: Vec<i64> = (1..=120).filter(|id| expect(*id)).collect();
            let got = answer["total"].as_u64().unwrap_or(0) as usize;
            assert_eq!(got, want.len(), "{filter}");
            let first: Vec<i64> = want.into_iter().take(50).collect();
            assert_eq!(ids(&answer), first, "{filter}");
        }
    };
    // Deal i (ID i + 1): opportunity (i * 7) % 100, stage by i % 3.
    let opp = |id: i64| ((id - 1) * 7) % 100;
    let stage = |id: i64| (id - 1) % 3;
    check(json!({"=stageId": "WON"}), |id| (id - 1) % 3 == 1).await;
    check(json!({"stageId": "won"}), |id| (id - 1) % 3 == 1).await;
    check(json!({"!stageId": "NEW"}), |id| (id - 1) % 3 != 0).await;
    check(json!({"!=stageId": "NEW"}), |id| (id - 1) % 3 != 0).await;
    check(json!({">opportunity": 90}), |id| ((id - 1) * 7) % 100 > 90).await;
    check(json!({">=opportunity": "91"}), |id| {
        ((id - 1) * 7) % 100 >= 91
    })
    .await;
    check(json!({"<opportunity": 7}), |id| ((id - 1) * 7) % 100 < 7).await;
    check(json!({"<=opportunity": 7}), |id| ((id - 1) * 7) % 100 <= 7).await;
    check(json!({"%title": "deal 11"}), |id| {
        (id - 1).to_string().starts_with("11")
    })
    .await;
    check(json!({"@id": [3, 5, 500]}), |id| id == 3 || id == 5).await;
    check(json!({"!@id": [3, 5]}), |id| id != 3 && id != 5).await;
    check(
        json!({"0": {"logic": "OR", "0": {"id": 1}, "1": {">id": 118}}}),
        |id| id == 1 || id > 118,
    )
    .await;
    let _ = (opp, stage);

    // The same filter as a form body, with order on two keys and a select.
    let (status, answer) = post_raw(
        &url,
        FORM,
        "entityTypeId=2&filter[%3C%3Dopportunity]=14&order[opportunity]=DESC&order[id]=ASC&select[]=title&select[]=opportunity",
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let items = answer["result"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut want: Vec<(i64, i64)> = (1..=120i64)
        .map(|id| (((id - 1) * 7) % 100, id))
        .filter(|(o, _)| *o <= 14)
        .collect();
    want.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let got: Vec<(i64, i64)> = items
        .iter()
        .map(|i| {
            (
                i["opportunity"].as_i64().unwrap_or(-1),
                i["id"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(got, want);
    let keys: Vec<&String> = items[0]
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    assert_eq!(keys.len(), 3, "id, title, opportunity: {keys:?}");
}

#[tokio::test]
async fn multi_value_fields_are_kept_and_merged_by_id() {
    let emu = contacts().await;
    let hook = emu.webhook_url();
    let (status, added) = post_raw(
        &format!("{hook}crm.contact.add"),
        FORM,
        "fields[NAME]=Ann&fields[PHONE][0][VALUE]=%2B49%20555&fields[PHONE][0][VALUE_TYPE]=WORK\
         &fields[PHONE][1][VALUE]=777&fields[PHONE][1][VALUE_TYPE]=MOBILE\
         &fields[EMAIL][0][VALUE]=ann%40example.com&fields[EMAIL][0][VALUE_TYPE]=HOME",
    )
    .await;
    assert_eq!(status, 200, "{added}");
    let get = format!("{hook}crm.contact.get");
    let r = ok(&get, json!({"id": 1})).await["result"].clone();
    assert_eq!(
        r["PHONE"],
        json!([
            {"VALUE": "+49 555", "VALUE_TYPE": "WORK", "ID": "2", "TYPE_ID": "PHONE"},
            {"VALUE": "777", "VALUE_TYPE": "MOBILE", "ID": "3", "TYPE_ID": "PHONE"}
        ])
    );
    // Fields are stored in name order, so EMAIL got the first entry ID.
    assert_eq!(r["EMAIL"][0]["VALUE"], "ann@example.com");
    assert_eq!(r["EMAIL"][0]["ID"], "1");

    // Change one entry by ID, delete another, add a third; EMAIL untouched.
    ok(
        &format!("{hook}crm.contact.update"),
        json!({"id": 1, "fields": {"PHONE": [
            {"ID": "2", "VALUE": "+49 556"},
            {"ID": "3", "DELETE": "Y"},
            {"VALUE": "888", "VALUE_TYPE": "HOME"}
        ]}}),
    )
    .await;
    let r = ok(&get, json!({"id": 1})).await["result"].clone();
    let phones: Vec<&str> = r["PHONE"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["VALUE"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(phones, ["+49 556", "888"]);
    assert_eq!(r["EMAIL"].as_array().map(Vec::len), Some(1));
    // A list filter sees inside the entries' values.
    let found = ok(
        &format!("{hook}crm.contact.list"),
        json!({"filter": {"%PHONE": "888"}, "select": ["ID"]}),
    )
    .await;
    assert_eq!(found["total"], 0, "PHONE entries are objects, not text");
}

#[tokio::test]
async fn user_fields_are_kept_filtered_and_selected() {
    let emu = contacts().await;
    let hook = emu.webhook_url();
    ok(
        &format!("{hook}crm.contact.add"),
        json!({"fields": {"NAME": "Ann", "UF_CRM_SCORE": 5, "UF_CRM_TAGS": ["a", "b"]}}),
    )
    .await;
    let (status, _) = post_raw(
        &format!("{hook}crm.contact.add"),
        FORM,
        "fields[NAME]=Bob&fields[UF_CRM_SCORE]=9",
    )
    .await;
    assert_eq!(status, 200);
    let list = format!("{hook}crm.contact.list");
    // `*` leaves UPPER_CASE user fields out; `UF_*` brings them.
    let plain = ok(&list, json!({})).await;
    assert!(plain["result"][0].get("UF_CRM_SCORE").is_none(), "{plain}");
    let with_uf = ok(&list, json!({"select": ["*", "UF_*"]})).await;
    assert_eq!(with_uf["result"][0]["UF_CRM_TAGS"], json!(["a", "b"]));
    assert_eq!(with_uf["result"][1]["UF_CRM_SCORE"], "9");
    let high = ok(
        &list,
        json!({"filter": {">UF_CRM_SCORE": 6}, "select": ["NAME", "UF_CRM_SCORE"]}),
    )
    .await;
    assert_eq!(
        high["result"],
        json!([{"ID": 2, "NAME": "Bob", "UF_CRM_SCORE": "9"}])
    );
    let tagged = ok(&list, json!({"filter": {"UF_CRM_TAGS": "b"}})).await;
    assert_eq!(tagged["total"], 1);

    // crm.item's camelCase user fields too.
    let emu = shipped().await;
    let added = ok(
        &format!("{}crm.item.add", emu.webhook_url()),
        json!({"entityTypeId": 2, "fields": {"ufCrm_1721244707107": 1111.1}}),
    )
    .await;
    assert_eq!(added["result"]["item"]["ufCrm_1721244707107"], 1111.1);
    let listed = ok(
        &format!("{}crm.item.list", emu.webhook_url()),
        json!({"entityTypeId": 2, "filter": {">ufCrm_1721244707107": 1000}}),
    )
    .await;
    assert_eq!(listed["total"], 1);
}

#[tokio::test]
async fn bad_list_input_gets_documented_errors_and_leaves_the_store_alone() {
    let emu = shipped().await;
    add_deals(&emu, 3).await;
    let before = emu.records("crm");
    let url = format!("{}crm.item.list", emu.webhook_url());
    let expect = |body: Value, code: &'static str, description: &'static str| {
        let url = url.clone();
        async move {
            let answer = post_json(&url, &body).await;
            assert_error(&answer, 400, code);
            if !description.is_empty() {
                assert_eq!(answer.1["error_description"], description, "{body}");
            }
        }
    };
    let base = |extra: Value| {
        let mut v = json!({"entityTypeId": 2});
        if let (Some(m), Value::Object(e)) = (v.as_object_mut(), extra) {
            m.extend(e);
        }
        v
    };
    // The documented rows of crm.item.list, picked by what went wrong.
    expect(
        base(json!({"filter": {"nope": 1}})),
        "INVALID_ARG_VALUE",
        "Invalid filter: field 'field' is not allowed in filter",
    )
    .await;
    expect(
        base(json!({"filter": {">opportunity": "lots"}})),
        "INVALID_ARG_VALUE",
        "Invalid filter: field 'field' has invalid value",
    )
    .await;
    expect(
        base(json!({"order": {"nope": "ASC"}})),
        "INVALID_ARG_VALUE",
        "Invalid order: field 'field' is not allowed in order",
    )
    .await;
    expect(
        base(json!({"order": {"title": "UP"}})),
        "INVALID_ARG_VALUE",
        "Invalid order: allowed sort directions are ASC, DESC. But got 'orderValue' for field 'field'",
    )
    .await;
    // Malformed shapes: the generic answer, never a crash.
    for bad in [
        json!({"order": "title"}),
        json!({"select": {"a": 1}}),
        json!({"select": [1, 2]}),
        json!({"filter": "x"}),
        json!({"filter": {"0": 5}}),
    ] {
        expect(base(bad), "INVALID_ARG_VALUE", "").await;
    }
    // `start` is a declared integer parameter of crm.item.list: a wrong type, like any parameter's.
    expect(base(json!({"start": "soon"})), "INVALID_ARGUMENTS", "").await;
    let deep = (0..100).fold(json!({"id": 1}), |inner, _| json!({"0": inner}));
    expect(base(json!({"filter": deep})), "INVALID_ARG_VALUE", "").await;
    // A non-numeric ID is a wrong type; an unknown one is not found.
    let get = format!("{}crm.item.get", emu.webhook_url());
    assert_error(
        &post_json(&get, &json!({"entityTypeId": 2, "id": "abc"})).await,
        400,
        "INVALID_ARGUMENTS",
    );
    assert_error(
        &post_json(&get, &json!({"entityTypeId": 2, "id": -4})).await,
        400,
        "NOT_FOUND",
    );
    let update = format!("{}crm.item.update", emu.webhook_url());
    assert_error(
        &post_json(
            &update,
            &json!({"entityTypeId": 2, "id": 1, "fields": "title"}),
        )
        .await,
        400,
        "INVALID_ARGUMENTS",
    );
    assert_eq!(emu.records("crm"), before, "nothing changed");
}

#[tokio::test]
async fn fields_describe_the_entity() {
    let emu = contacts().await;
    let answer = ok(
        &format!("{}crm.contact.fields", emu.webhook_url()),
        json!({}),
    )
    .await;
    let f = &answer["result"];
    assert_eq!(f["ID"]["isReadOnly"], true);
    assert_eq!(f["NAME"]["type"], "string");
    assert_eq!(f["PHONE"]["isMultiple"], true);
    assert_eq!(f["OPPORTUNITY"]["type"], "double");
    let emu = shipped().await;
    let answer = ok(
        &format!("{}crm.item.fields", emu.webhook_url()),
        json!({"entityTypeId": 2}),
    )
    .await;
    assert_eq!(
        answer["result"]["fields"]["assignedById"]["upperName"],
        "ASSIGNED_BY_ID"
    );
    assert_eq!(
        answer["result"]["fields"]["createdTime"]["type"],
        "datetime"
    );
}

#[tokio::test]
async fn seeded_list_records_are_the_store() {
    let emu = shipped().await;
    emu.seed_list(
        "crm.item.list",
        vec![
            json!({"id": 10, "entityTypeId": 2, "title": "ten"}),
            json!({"entityTypeId": 2, "title": "next"}),
            json!({"id": 3, "entityTypeId": 1, "title": "lead"}),
        ],
    );
    let got = ok(
        &format!("{}crm.item.get", emu.webhook_url()),
        json!({"entityTypeId": 2, "id": 11}),
    )
    .await;
    assert_eq!(got["result"]["item"]["title"], "next");
    let added = ok(
        &format!("{}crm.item.add", emu.webhook_url()),
        json!({"entityTypeId": 2, "fields": {}}),
    )
    .await;
    assert_eq!(added["result"]["item"]["id"], 12);
}

#[tokio::test]
async fn batch_commands_and_order_keys_keep_the_order_sent() {
    let emu = shipped().await;
    // Raw JSON text, not `json!` (whose maps sort their keys): "z" must run before "a".
    let body = r#"{"cmd": {
        "z": "crm.item.add?entityTypeId=2&fields[title]=first&fields[opportunity]=5",
        "a": "crm.item.add?entityTypeId=2&fields[title]=second&fields[opportunity]=5",
        "m": "crm.item.list?entityTypeId=2&order[opportunity]=ASC&order[id]=DESC"
    }}"#;
    let (status, answer) = post_raw(
        &format!("{}batch", emu.webhook_url()),
        "application/json",
        body,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let r = &answer["result"]["result"];
    assert_eq!(r["z"]["item"]["id"], 1, "{answer}");
    assert_eq!(r["a"]["item"]["id"], 2);
    // Equal amounts, so the second key decides: newest first.
    let listed: Vec<i64> = r["m"]["items"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["id"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(listed, [2, 1]);
    let (status, answer) = post_raw(
        &format!("{}crm.item.list", emu.webhook_url()),
        "application/json",
        r#"{"entityTypeId": 2, "order": {"title": "DESC", "id": "ASC"}}"#,
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["result"]["items"][0]["title"], "second");
}
