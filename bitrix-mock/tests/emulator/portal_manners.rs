//! What a portal forgives and how it refuses, over real HTTP on loopback: parameter and method
//! names in any case, numbers where text is documented, `{}` / `[]` for an empty filter, enums
//! only where the reference lists them; `INVALID_CREDENTIALS`, `invalid_client`,
//! `WRONG_AUTH_TYPE`, the empty-code "Not found", and REST 3.0 batch at the webhook address.

use crate::common;

use bitrix_mock::{Config, Emulator};
use common::{assert_error, get, post_json, post_raw};
use serde_json::{json, Value};

async fn emulator() -> Emulator {
    Emulator::start(Config::new())
        .await
        .expect("emulator starts")
}

/// Adds a deal titled `title` and returns its ID.
async fn add_deal(emu: &Emulator, title: &str) -> u64 {
    let url = format!("{}crm.deal.add", emu.webhook_url());
    let (status, body) = post_json(&url, &json!({"fields": {"TITLE": title}})).await;
    assert_eq!(status, 200, "{body}");
    body["result"]
        .as_u64()
        .or_else(|| body["result"].as_str().and_then(|s| s.parse().ok()))
        .unwrap_or_else(|| panic!("an ID: {body}"))
}

fn ids(body: &Value) -> Vec<String> {
    body["result"]
        .as_array()
        .unwrap_or_else(|| panic!("a list: {body}"))
        .iter()
        .map(|d| match &d["ID"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[tokio::test]
async fn upper_and_lower_case_parameter_names_find_the_same_record() {
    let emu = emulator().await;
    let id = add_deal(&emu, "Case").await;
    let url = format!("{}crm.deal.get", emu.webhook_url());
    for body in [json!({"ID": id}), json!({"id": id}), json!({"Id": id})] {
        let (status, answer) = post_json(&url, &body).await;
        assert_eq!(status, 200, "{body}: {answer}");
        assert_eq!(answer["result"]["TITLE"], "Case", "{answer}");
    }
    // A form body too, as PHP SDKs send it.
    let form = post_raw(
        &url,
        "application/x-www-form-urlencoded",
        &format!("ID={id}"),
    )
    .await;
    assert_eq!(form.0, 200, "{}", form.1);
}

#[tokio::test]
async fn filter_and_order_in_capitals_are_applied() {
    let emu = emulator().await;
    let a = add_deal(&emu, "Alpha").await;
    let b = add_deal(&emu, "Beta").await;
    let url = format!("{}crm.deal.list", emu.webhook_url());
    let (status, body) = post_json(&url, &json!({"FILTER": {"TITLE": "Beta"}})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body), vec![b.to_string()]);
    let (status, body) =
        post_raw(&url, "application/x-www-form-urlencoded", "ORDER[ID]=DESC").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(ids(&body), vec![b.to_string(), a.to_string()]);
}

#[tokio::test]
async fn an_empty_object_or_list_is_an_empty_filter() {
    let emu = emulator().await;
    add_deal(&emu, "One").await;
    let url = format!("{}crm.deal.list", emu.webhook_url());
    for empty in [json!({}), json!([])] {
        let (status, body) = post_json(&url, &json!({"filter": empty, "select": []})).await;
        assert_eq!(status, 200, "{empty}: {body}");
        assert_eq!(ids(&body).len(), 1, "{body}");
    }
}

#[tokio::test]
async fn method_names_are_found_in_any_case() {
    let emu = emulator().await;
    let id = add_deal(&emu, "Named").await;
    let url = format!("{}CRM.Deal.GET", emu.webhook_url());
    let (status, body) = post_json(&url, &json!({"id": id})).await;
    assert_eq!(status, 200, "{body}");
    // fast_bitrix24's suite calls the lower-case spelling of a camelCase name.
    let url = format!("{}telephony.externalcall.register", emu.webhook_url());
    let call = json!({"USER_ID": 1, "PHONE_NUMBER": "+79163345641", "TYPE": 1, "CRM_CREATE": 0,
        "CRM_ENTITY_TYPE": "LEAD", "CRM_ENTITY_ID": 43707, "SHOW": 0});
    let (status, body) = post_json(&url, &call).await;
    assert_eq!(status, 200, "{body}");
    // A name no spec has, in any case, is still not found.
    let url = format!("{}crm.deal.nosuch", emu.webhook_url());
    assert_error(
        &post_json(&url, &json!({})).await,
        404,
        "ERROR_METHOD_NOT_FOUND",
    );
}

#[tokio::test]
async fn numbers_are_taken_where_text_is_documented_and_text_where_numbers_are() {
    let emu = emulator().await;
    let url = format!("{}crm.deal.add", emu.webhook_url());
    let (status, body) = post_json(&url, &json!({"fields": {"TITLE": 123}})).await;
    assert_eq!(status, 200, "{body}");
    let id = body["result"].clone();
    let url = format!("{}crm.deal.get", emu.webhook_url());
    let id_text = match &id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let (status, body) = post_json(&url, &json!({"id": id_text})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["TITLE"], "123", "{body}");
    // A top-level text parameter given a number.
    let url = format!("{}im.chat.mute", emu.webhook_url());
    let (status, body) = post_json(&url, &json!({"DIALOG_ID": 15, "MUTE": "Y"})).await;
    assert_eq!(status, 200, "{body}");
}

/// `FIELD_NAME`'s enum was made from the page's examples (`DEALS`, `UF_USR_DEALS`): any name is
/// a field name on a portal.
#[tokio::test]
async fn values_the_reference_only_gives_as_examples_are_not_an_enum() {
    let emu = emulator().await;
    let url = format!("{}user.userfield.add", emu.webhook_url());
    let field = json!({"fields": {"FIELD_NAME": "PASSPORT", "USER_TYPE_ID": "string"}});
    let (status, body) = post_json(&url, &field).await;
    assert_eq!(status, 200, "{body}");
    let url = format!("{}im.chat.mute", emu.webhook_url());
    let (status, body) = post_json(&url, &json!({"DIALOG_ID": "chat42"})).await;
    assert_eq!(status, 200, "{body}");
    // Where the page lists the values, others are still refused.
    let field = json!({"fields": {"FIELD_NAME": "X", "USER_TYPE_ID": "no_such_type"}});
    let (status, body) =
        post_json(&format!("{}user.userfield.add", emu.webhook_url()), &field).await;
    assert_eq!(status, 400, "{body}");
}

/// Engine controllers (`param_case = "exact"`) read names exactly: fast_bitrix24's suite, written
/// against a portal, expects `ID` for `disk.file.get`'s `id` to be a missing parameter.
#[tokio::test]
async fn exact_methods_refuse_other_spellings_as_the_binder_does() {
    let emu = emulator().await;
    let url = format!("{}disk.file.get", emu.webhook_url());
    let answer = post_json(&url, &json!({"ID": 1})).await;
    assert_error(&answer, 400, "ERROR_ARGUMENT");
    assert_eq!(
        answer.1["error_description"],
        "Could not find value for parameter {id}"
    );
    let answer = post_json(&url, &json!({"id": 987654})).await;
    assert_error(&answer, 400, "ERROR_NOT_FOUND");
}

#[tokio::test]
async fn an_unknown_webhook_code_is_invalid_credentials() {
    let emu = emulator().await;
    let url = format!("{}rest/1/wrongcode/crm.deal.list", emu.portal_url());
    let answer = post_json(&url, &json!({})).await;
    assert_error(&answer, 401, "INVALID_CREDENTIALS");
    assert_eq!(answer.1["error_description"], "Invalid request credentials");
    // Another user with the right code is no better.
    let code = emu.credentials().webhook_code;
    let url = format!("{}rest/7/{code}/crm.deal.list", emu.portal_url());
    assert_error(
        &post_json(&url, &json!({})).await,
        401,
        "INVALID_CREDENTIALS",
    );
}

#[tokio::test]
async fn an_unknown_oauth_client_is_invalid_client() {
    let emu = emulator().await;
    let c = emu.credentials();
    let url = format!(
        "{}oauth/token/?grant_type=refresh_token&client_id={}&client_secret=wrong&refresh_token={}",
        emu.oauth_server_url(),
        c.client_id,
        c.refresh_token
    );
    let answer = get(&url).await;
    assert_eq!(answer.0, 401, "{}", answer.1);
    assert_eq!(answer.1["error"], "invalid_client", "{}", answer.1);
    // The client is checked before the grant: a wrong client with no grant type is still it.
    let url = format!("{}oauth/token/?client_id=nobody", emu.oauth_server_url());
    assert_eq!(get(&url).await.1["error"], "invalid_client");
    assert_eq!(emu.refresh_count(), 0);
}

#[tokio::test]
async fn application_only_methods_refuse_webhooks_with_wrong_auth_type() {
    let emu = emulator().await;
    let bind = json!({"PLACEMENT": "CRM_DEAL_LIST_MENU", "HANDLER": "https://example.com/h"});
    let url = format!("{}placement.bind", emu.webhook_url());
    assert_error(&post_json(&url, &bind).await, 403, "WRONG_AUTH_TYPE");
    // An application (OAuth) may.
    let mut oauth = bind.clone();
    oauth["auth"] = json!(emu.credentials().access_token);
    let url = format!("{}rest/placement.bind", emu.portal_url());
    let (status, body) = post_json(&url, &oauth).await;
    assert_eq!(status, 200, "{body}");
    // Methods without the spec key take webhooks as before.
    let url = format!("{}crm.deal.list", emu.webhook_url());
    assert_eq!(post_json(&url, &json!({})).await.0, 200);
}

#[tokio::test]
async fn a_missing_crm_record_answers_an_empty_code() {
    let emu = emulator().await;
    let url = format!("{}crm.deal.get", emu.webhook_url());
    let (status, body) = post_json(&url, &json!({"id": 999_999})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body, json!({"error": "", "error_description": "Not found"}));
    let (status, body) = post_json(&url, &json!({"id": 0})).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body,
        json!({"error": "", "error_description": "ID is not defined or invalid."})
    );
    // In a batch the failure lands in `result_error` with the same empty code.
    let url = format!("{}batch", emu.webhook_url());
    let (status, body) = post_json(
        &url,
        &json!({"halt": 0, "cmd": {"a": "crm.deal.get?id=999999"}}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"]["result_error"]["a"],
        json!({"error": "", "error_description": "Not found"}),
        "{body}"
    );
}

#[tokio::test]
async fn rest_v3_batch_is_served_at_the_webhook_address() {
    let emu = emulator().await;
    let creds = emu.credentials();
    let url = format!(
        "{}rest/api/{}/{}/batch",
        emu.portal_url(),
        creds.webhook_user_id,
        creds.webhook_code
    );
    let list = json!([{"method": "tasks.task.list", "query": {}}]);
    let (status, body) = post_json(&url, &list).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["result"].is_array(), "{body}");
    // The wrong code is refused there too, in REST 3.0's form.
    let url = format!("{}rest/api/1/wrong/batch", emu.portal_url());
    let (status, body) = post_json(&url, &json!([])).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"]["code"], "INVALID_CREDENTIALS", "{body}");
}

/// b24jssdk sends a REST 3.0 batch as an object keyed by index or name, with `as` names that
/// later commands use through `$ref` / `$refArray`; a portal reports the batch's `operating` as 0.
#[tokio::test]
async fn rest_v3_batch_takes_objects_and_references() {
    let emu = emulator().await;
    let creds = emu.credentials();
    let url = format!(
        "{}rest/api/{}/{}/batch",
        emu.portal_url(),
        creds.webhook_user_id,
        creds.webhook_code
    );
    let task =
        |title: &str| json!({"fields": {"title": title, "creatorId": 1, "responsibleId": 1}});
    let body = json!({
        "0": {"method": "tasks.task.add", "query": task("First"), "as": "first", "parallel": false},
        "1": {"method": "tasks.task.add", "query": task("Second")},
        "2": {"method": "tasks.task.get", "query": {"id": {"$ref": "first.id"}}},
        "3": {"method": "tasks.task.list",
              "query": {"filter": [["id", "in", {"$refArray": "listed.id"}]]}, "as": "unused"},
    });
    // `listed` names no command: `$refArray` of nothing is an empty list, not an error.
    let (status, answer) = post_json(&url, &body).await;
    assert_eq!(status, 200, "{answer}");
    let results = answer["result"].as_array().expect("a list of results");
    assert_eq!(results.len(), 4, "{answer}");
    let first_id = results[0]["item"]["id"].clone();
    assert!(first_id.is_number(), "{answer}");
    assert_eq!(results[2]["item"]["id"], first_id, "{answer}");
    assert_eq!(results[2]["item"]["title"], "First", "{answer}");
    assert_eq!(answer["time"]["operating"], 0.0, "{answer}");
    assert!(
        answer["time"]["operating_reset_at"].as_i64() > Some(0),
        "{answer}"
    );
    // An unknown method at the REST 3.0 address names REST 3.0's exception.
    let url = url.replace("/batch", "/server.time");
    let (status, answer) = post_json(&url, &json!({})).await;
    assert_eq!(status, 404, "{answer}");
    assert_eq!(
        answer["error"]["code"],
        "BITRIX_REST_V3_EXCEPTION_METHODNOTFOUNDEXCEPTION"
    );
}

/// `tasks.task.list` takes `ID` for its records' `id` in `order` and `filter` (fast_bitrix24's
/// suite orders by `ID`; the entity's own names are camelCase).
#[tokio::test]
async fn list_field_names_match_the_entity_up_to_case_and_underscores() {
    let emu = emulator().await;
    let add = format!("{}tasks.task.add", emu.webhook_url());
    let mut ids = Vec::new();
    for title in ["One", "Two"] {
        let body = json!({"fields": {"TITLE": title, "RESPONSIBLE_ID": 1}});
        let (status, answer) = post_json(&add, &body).await;
        assert_eq!(status, 200, "{answer}");
        ids.push(answer["result"]["task"]["id"].clone());
    }
    let list = format!("{}tasks.task.list", emu.webhook_url());
    let listed = |answer: &Value| -> Vec<Value> {
        answer["result"]["tasks"]
            .as_array()
            .unwrap_or_else(|| panic!("tasks: {answer}"))
            .iter()
            .map(|t| t["id"].clone())
            .collect()
    };
    let (status, answer) = post_json(&list, &json!({"order": {"ID": "DESC"}})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(listed(&answer), vec![ids[1].clone(), ids[0].clone()]);
    let (status, answer) = post_json(&list, &json!({"filter": {"!ID": ids[0]}})).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(listed(&answer), vec![ids[1].clone()]);
    // A name the entity has under no spelling is still refused.
    let (status, answer) = post_json(&list, &json!({"order": {"NO_SUCH": "ASC"}})).await;
    assert_eq!(status, 400, "{answer}");
}

#[tokio::test]
async fn an_array_kept_in_a_text_column_reads_back_php_serialized() {
    // tasks.template.add takes REPLICATE_PARAMS as an object; the portal's get answers the text
    // PHP's serialize() wrote (the documented record shows `a:19:{s:6:"PERIOD";…}`).
    let emu = emulator().await;
    let url = format!("{}tasks.template.add", emu.webhook_url());
    let fields = json!({"TITLE": "Weekly", "RESPONSIBLE_ID": 1,
        "REPLICATE_PARAMS": {"PERIOD": "weekly", "WEEK_DAYS": [2], "EVERY_WEEK": 1}});
    let (status, body) = post_json(&url, &json!({"fields": fields})).await;
    assert_eq!(status, 200, "{body}");
    let id = body["result"].as_u64().expect("an ID");
    let url = format!("{}tasks.template.get", emu.webhook_url());
    let (status, body) = post_json(&url, &json!({"templateId": id})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["result"]["REPLICATE_PARAMS"],
        "a:3:{s:10:\"EVERY_WEEK\";i:1;s:6:\"PERIOD\";s:6:\"weekly\";s:9:\"WEEK_DAYS\";a:1:{i:0;i:2;}}",
        "{body}"
    );
}
