//! What a fresh emulator holds and how one record reads through several families: reference
//! data on start (users, departments, CRM statuses, the default deal category, currencies), one
//! CRM store behind `crm.contact.*`, `crm.deal.*` and `crm.item.*`, nested product rows,
//! sections added by plain parameters, the clock behind `server.time`, and another seed file.

use crate::common;

use bitrix_mock::{Config, Emulator};
use common::post_json;
use serde_json::{json, Value};

async fn ok(url: &str, body: Value) -> Value {
    let (status, answer) = post_json(url, &body).await;
    assert_eq!(status, 200, "{url}: {answer}");
    answer
}

async fn shipped() -> Emulator {
    Emulator::start(Config::new()).await.expect("starts")
}

#[tokio::test]
async fn a_fresh_portal_has_reference_data() {
    let emu = shipped().await;
    let hook = emu.webhook_url();
    let departments = ok(&format!("{hook}department.get"), json!({})).await;
    assert!(
        departments["result"]
            .as_array()
            .is_some_and(|r| r.len() >= 2),
        "{departments}"
    );
    let users = ok(&format!("{hook}user.get"), json!({})).await;
    let first = &users["result"][0];
    assert_eq!(first["ID"], "1", "{users}");
    assert_eq!(first["ACTIVE"], true, "{users}");
    let stages = ok(
        &format!("{hook}crm.status.list"),
        json!({"filter": {"ENTITY_ID": "DEAL_STAGE"}}),
    )
    .await;
    let rows = stages["result"].as_array().expect("rows");
    assert!(rows.iter().any(|r| r["STATUS_ID"] == "NEW"), "{stages}");
    assert!(
        rows.iter().all(|r| r["ENTITY_ID"] == "DEAL_STAGE"),
        "{stages}"
    );
    // The portal's form: IDs and sorts as text.
    assert!(
        rows[0]["ID"].is_string() && rows[0]["SORT"].is_string(),
        "{stages}"
    );
    let sources = ok(
        &format!("{hook}crm.status.list"),
        json!({"filter": {"ENTITY_ID": "SOURCE"}}),
    )
    .await;
    assert!(
        sources["result"].as_array().is_some_and(|r| r.len() > 5),
        "{sources}"
    );
    let categories = ok(
        &format!("{hook}crm.category.list"),
        json!({"entityTypeId": 2}),
    )
    .await;
    let default = &categories["result"]["categories"][0];
    assert_eq!(
        (default["id"].clone(), default["isDefault"].clone()),
        (json!(0), json!("Y")),
        "{categories}"
    );
    let leads = ok(
        &format!("{hook}crm.category.list"),
        json!({"entityTypeId": 1}),
    )
    .await;
    assert_eq!(leads["result"]["categories"], json!([]), "{leads}");
    let currencies = ok(&format!("{hook}crm.currency.list"), json!({})).await;
    let list = currencies["result"].as_array().expect("rows");
    assert!(
        list.iter()
            .any(|c| c["CURRENCY"] == "USD" && c["BASE"] == "Y"),
        "{currencies}"
    );
}

#[tokio::test]
async fn one_crm_behind_every_family() {
    let emu = shipped().await;
    let hook = emu.webhook_url();
    let contact = ok(
        &format!("{hook}crm.contact.add"),
        json!({"fields": {"NAME": "Ann", "LAST_NAME": "Lee"}}),
    )
    .await;
    let id = contact["result"].clone();
    let item = ok(
        &format!("{hook}crm.item.get"),
        json!({"entityTypeId": 3, "id": id}),
    )
    .await;
    assert_eq!(item["result"]["item"]["name"], "Ann", "{item}");
    assert_eq!(item["result"]["item"]["lastName"], "Lee", "{item}");
    assert!(item["result"]["item"].get("NAME").is_none(), "{item}");
    // And the other way: a deal added as an item reads through crm.deal.get in its form.
    let added = ok(
        &format!("{hook}crm.item.add"),
        json!({"entityTypeId": 2, "fields": {"title": "Big", "opportunity": 5000, "stageId": "PREPARATION"}}),
    )
    .await;
    let deal_id = added["result"]["item"]["id"].clone();
    assert!(deal_id.is_number(), "{added}");
    let deal = ok(&format!("{hook}crm.deal.get"), json!({"id": deal_id})).await;
    let d = &deal["result"];
    assert_eq!(d["TITLE"], "Big", "{deal}");
    assert_eq!(d["OPPORTUNITY"], "5000.00", "{deal}");
    assert_eq!(d["STAGE_ID"], "PREPARATION", "{deal}");
    assert_eq!(d["ID"], json!(deal_id.to_string()), "{deal}");
    // An update in the other casing changes the same field.
    ok(
        &format!("{hook}crm.deal.update"),
        json!({"id": deal_id, "fields": {"TITLE": "Bigger"}}),
    )
    .await;
    let item = ok(
        &format!("{hook}crm.item.get"),
        json!({"entityTypeId": 2, "id": deal_id}),
    )
    .await;
    assert_eq!(item["result"]["item"]["title"], "Bigger", "{item}");
    // Deals and contacts count their IDs apart; the contact is no deal.
    assert_eq!(deal_id, json!(1));
    let (status, _) = post_json(
        &format!("{hook}crm.deal.get"),
        &json!({"id": id.as_u64().unwrap_or(0) + 1}),
    )
    .await;
    assert_eq!(status, 400);
    // A deal added as a deal: the portal's defaults and forms.
    let new = ok(
        &format!("{hook}crm.deal.add"),
        json!({"fields": {"TITLE": "Plain", "OPPORTUNITY": 12.5}}),
    )
    .await;
    let plain = ok(&format!("{hook}crm.deal.get"), json!({"id": new["result"]})).await;
    let p = &plain["result"];
    assert_eq!(
        (
            p["STAGE_ID"].clone(),
            p["OPENED"].clone(),
            p["OPPORTUNITY"].clone()
        ),
        (json!("NEW"), json!("Y"), json!("12.50")),
        "{plain}"
    );
    assert!(p.as_object().is_some_and(|o| o.len() >= 40), "{plain}");
    // The list filters the same records by the family's names.
    let listed = ok(
        &format!("{hook}crm.item.list"),
        json!({"entityTypeId": 2, "filter": {">opportunity": 100}}),
    )
    .await;
    let items = listed["result"]["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{listed}");
    assert_eq!(items[0]["title"], "Bigger");
}

#[tokio::test]
async fn answers_in_the_documented_casing_and_objects() {
    let emu = shipped().await;
    let hook = emu.webhook_url();
    let added = ok(
        &format!("{hook}tasks.task.add"),
        json!({"fields": {"TITLE": "Write", "RESPONSIBLE_ID": 1}}),
    )
    .await;
    let id = added["result"]["task"]["id"].clone();
    let got = ok(&format!("{hook}tasks.task.get"), json!({"taskId": id})).await;
    let task = &got["result"]["task"];
    assert_eq!(task["title"], "Write", "{got}");
    assert_eq!(task["responsibleId"], "1", "{got}");
    assert!(task.get("TITLE").is_none(), "{got}");
    assert!(task.as_object().is_some_and(|t| t.len() > 50), "{got}");
    // Adds whose documented answer is the object answer the object.
    let ty = ok(
        &format!("{hook}crm.type.add"),
        json!({"fields": {"title": "Orders", "entityTypeId": 1030}}),
    )
    .await;
    assert_eq!(ty["result"]["type"]["title"], "Orders", "{ty}");
    assert!(ty["result"]["type"]["id"].is_number(), "{ty}");
    let cat = ok(
        &format!("{hook}crm.category.add"),
        json!({"entityTypeId": 2, "fields": {"name": "Wholesale"}}),
    )
    .await;
    assert_eq!(cat["result"]["category"]["name"], "Wholesale", "{cat}");
    let cats = ok(
        &format!("{hook}crm.category.list"),
        json!({"entityTypeId": 2}),
    )
    .await;
    assert_eq!(
        cats["result"]["categories"].as_array().map(Vec::len),
        Some(2),
        "{cats}"
    );
}

#[tokio::test]
async fn product_rows_sections_and_the_clock() {
    let emu = shipped().await;
    let hook = emu.webhook_url();
    let deal = ok(
        &format!("{hook}crm.deal.add"),
        json!({"fields": {"TITLE": "D"}}),
    )
    .await;
    let id = deal["result"].clone();
    ok(
        &format!("{hook}crm.deal.productrows.set"),
        json!({"id": id, "rows": [
            {"PRODUCT_NAME": "Pen", "PRICE": 2.5, "QUANTITY": 4},
            {"PRODUCT_NAME": "Ink", "PRICE": 10, "QUANTITY": 1}
        ]}),
    )
    .await;
    let rows = ok(
        &format!("{hook}crm.deal.productrows.get"),
        json!({"id": id}),
    )
    .await;
    let list = rows["result"].as_array().expect("rows");
    assert_eq!(list.len(), 2, "{rows}");
    assert_eq!(list[0]["PRODUCT_NAME"], "Pen");
    // Another deal has none; setting again replaces.
    let other = ok(
        &format!("{hook}crm.deal.productrows.get"),
        json!({"id": 999}),
    )
    .await;
    assert_eq!(other["result"], json!([]));
    ok(
        &format!("{hook}crm.deal.productrows.set"),
        json!({"id": id, "rows": [{"PRODUCT_NAME": "Paper", "PRICE": 1, "QUANTITY": 1}]}),
    )
    .await;
    let again = ok(
        &format!("{hook}crm.deal.productrows.get"),
        json!({"id": id}),
    )
    .await;
    assert_eq!(again["result"].as_array().map(Vec::len), Some(1), "{again}");

    let section = json!({"type": "user", "ownerId": 1, "name": "Work"});
    let first = ok(&format!("{hook}calendar.section.add"), section.clone()).await;
    let second = ok(&format!("{hook}calendar.section.add"), section).await;
    assert!(
        first["result"].is_number() && second["result"].is_number(),
        "{first} {second}"
    );
    assert_ne!(first["result"], second["result"]);
    let sections = ok(
        &format!("{hook}calendar.section.get"),
        json!({"type": "user", "ownerId": 1}),
    )
    .await;
    assert_eq!(
        sections["result"].as_array().map(Vec::len),
        Some(2),
        "{sections}"
    );
    assert_eq!(sections["result"][0]["NAME"], "Work", "{sections}");

    let time = ok(&format!("{hook}server.time"), json!({})).await;
    let text = time["result"].as_str().expect("text");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs();
    // The year of now, not of the example (2024).
    let year = 1970 + now / 31_556_952;
    assert!(
        text.starts_with(&year.to_string()) || text.starts_with(&(year - 1).to_string()),
        "{text}"
    );
    assert_eq!(text.len(), "2024-08-05T09:02:13+00:00".len(), "{text}");
    assert_ne!(text, "2024-08-05T09:02:13+00:00");
}

#[tokio::test]
async fn another_seed_file() {
    let dir = std::env::temp_dir().join(format!("bitrix-mock-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("portal.json");
    let seed = json!({"entities": [{"entity": "user", "records": [{"ID": 7, "NAME": "Solo", "ACTIVE": true}]}]});
    std::fs::write(&path, seed.to_string()).expect("written");
    let emu = Emulator::start(Config::new().seed_file(&path))
        .await
        .expect("starts");
    let users = ok(&format!("{}user.get", emu.webhook_url()), json!({})).await;
    assert_eq!(users["result"].as_array().map(Vec::len), Some(1), "{users}");
    assert_eq!(users["result"][0]["NAME"], "Solo");
    assert_eq!(users["result"][0]["ID"], "7");
    let departments = ok(&format!("{}department.get", emu.webhook_url()), json!({})).await;
    assert_eq!(departments["result"], json!([]), "only the file's data");
    std::fs::write(&path, "not json").expect("written");
    assert!(Emulator::start(Config::new().seed_file(&path))
        .await
        .is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

/// One product-row table: rows set through `crm.deal.productrows.set` are
/// `crm.item.productrow.list`'s with `ownerType = D`, a row added by `crm.item.productrow.add`
/// is among `crm.deal.productrows.get`'s, a lead's rows stay the lead's, and row IDs count
/// across owners.
#[tokio::test]
async fn product_rows_are_one_table_for_every_family() {
    let emu = shipped().await;
    let hook = emu.webhook_url();
    let deal = ok(
        &format!("{hook}crm.deal.add"),
        json!({"fields": {"TITLE": "D"}}),
    )
    .await;
    let lead = ok(
        &format!("{hook}crm.lead.add"),
        json!({"fields": {"TITLE": "L"}}),
    )
    .await;
    let (deal, lead) = (deal["result"].clone(), lead["result"].clone());
    ok(
        &format!("{hook}crm.deal.productrows.set"),
        json!({"id": deal, "rows": [{"PRODUCT_NAME": "Pen", "PRICE": 2.5, "QUANTITY": 4}]}),
    )
    .await;
    ok(
        &format!("{hook}crm.lead.productrows.set"),
        json!({"id": lead, "rows": [{"PRODUCT_NAME": "Ink", "PRICE": 10, "QUANTITY": 1}]}),
    )
    .await;
    let listed = ok(
        &format!("{hook}crm.item.productrow.list"),
        json!({"filter": {"=ownerType": "D", "=ownerId": deal}}),
    )
    .await;
    let rows = listed["result"]["productRows"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{listed}");
    assert_eq!(rows[0]["productName"], "Pen", "{listed}");
    let added = ok(
        &format!("{hook}crm.item.productrow.add"),
        json!({"fields": {"ownerType": "D", "ownerId": deal, "productName": "Paper", "price": 1, "quantity": 3}}),
    )
    .await;
    let row_id = added["result"]["productRow"]["id"].clone();
    assert_eq!(row_id, 3, "IDs count across owners: {added}");
    let of_deal = ok(
        &format!("{hook}crm.deal.productrows.get"),
        json!({"id": deal}),
    )
    .await;
    let names: Vec<&str> = of_deal["result"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["PRODUCT_NAME"].as_str())
        .collect();
    assert_eq!(names, ["Pen", "Paper"], "{of_deal}");
    let of_lead = ok(
        &format!("{hook}crm.lead.productrows.get"),
        json!({"id": lead}),
    )
    .await;
    assert_eq!(
        of_lead["result"].as_array().map(Vec::len),
        Some(1),
        "{of_lead}"
    );
    // Setting the deal's rows again replaces the deal's only.
    ok(
        &format!("{hook}crm.deal.productrows.set"),
        json!({"id": deal, "rows": []}),
    )
    .await;
    let of_lead = ok(
        &format!("{hook}crm.lead.productrows.get"),
        json!({"id": lead}),
    )
    .await;
    assert_eq!(
        of_lead["result"].as_array().map(Vec::len),
        Some(1),
        "{of_lead}"
    );
    let gone = post_json(
        &format!("{hook}crm.item.productrow.get"),
        &json!({"id": row_id}),
    )
    .await;
    assert_eq!(gone.0, 400, "{}", gone.1);
}
