//! Route forms, encodings, the bot and command family, the documented `imbot.command.update`
//! answers, batch and pagination, over real HTTP.

use crate::common;

use bitrix_mock::{AuthKind, Bot, Command, Config, Emulator};
use common::{assert_error, get, post_json, post_raw, TIME_KEYS};
use serde_json::{json, Value};

async fn emulator() -> Emulator {
    Emulator::start(Config::new())
        .await
        .expect("emulator starts")
}

/// Registers a bot and a command through the webhook; returns (bot id, command id).
async fn bot_and_command(emu: &Emulator, client_id: &str) -> (i64, i64) {
    let hook = emu.webhook_url();
    let (status, body) = post_json(
        &format!("{hook}imbot.register"),
        &json!({"CODE": "echo", "EVENT_HANDLER": "https://example.com/h", "PROPERTIES": {"NAME": "Echo"}, "CLIENT_ID": client_id}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let bot = body["result"].as_i64().expect("bot id");
    let (status, body) = post_json(
        &format!("{hook}imbot.command.register"),
        &json!({"BOT_ID": bot, "COMMAND": "echo", "EVENT_COMMAND_ADD": "https://example.com/c", "LANG": [{"LANGUAGE_ID": "en", "TITLE": "Echo"}], "CLIENT_ID": client_id}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    (bot, body["result"].as_i64().expect("command id"))
}

#[tokio::test]
async fn webhook_route_with_and_without_json_suffix_and_get() {
    let emu = emulator().await;
    let hook = emu.webhook_url();
    for url in [
        format!("{hook}user.current"),
        format!("{hook}user.current.json"),
    ] {
        let (status, body) = post_json(&url, &json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["result"].is_object(), "{body}");
        for key in TIME_KEYS {
            assert!(
                body["time"].get(key).is_some(),
                "missing time.{key}: {body}"
            );
        }
    }
    let (status, _) = get(&format!("{hook}user.current")).await;
    assert_eq!(status, 200);
    let bad = emu
        .webhook_url()
        .replace(&emu.credentials().webhook_code, "wrong");
    // A wrong webhook code: the portal's `INVALID_CREDENTIALS` (it was `NO_AUTH_FOUND`, which
    // portals send for a missing or unknown OAuth token).
    assert_error(
        &post_json(&format!("{bad}user.current"), &json!({})).await,
        401,
        "INVALID_CREDENTIALS",
    );
    assert_error(
        &post_json(&format!("{hook}no.such.method"), &json!({})).await,
        404,
        "ERROR_METHOD_NOT_FOUND",
    );
    let calls = emu.calls();
    assert_eq!(calls.len(), 5);
    assert_eq!(calls[0].auth_kind, AuthKind::Webhook);
    assert_eq!(calls[3].status, 401);
}

#[tokio::test]
async fn oauth_route_auth_in_body_form_and_query() {
    let emu = emulator().await;
    let token = emu.credentials().access_token;
    let url = format!("{}rest/user.current.json", emu.portal_url());
    assert_eq!(post_json(&url, &json!({"auth": token})).await.0, 200);
    assert_eq!(
        post_raw(
            &url,
            "application/x-www-form-urlencoded",
            &format!("auth={token}")
        )
        .await
        .0,
        200
    );
    assert_eq!(get(&format!("{url}?auth={token}")).await.0, 200);
    assert_error(&post_json(&url, &json!({})).await, 401, "NO_AUTH_FOUND");
    assert_error(
        &post_json(&url, &json!({"auth": "nope"})).await,
        401,
        "invalid_token",
    );
    assert_eq!(emu.calls()[0].auth_kind, AuthKind::OAuth);
}

#[tokio::test]
async fn scopes_can_be_restricted() {
    let emu = Emulator::start(Config::new().scopes(&["user"]))
        .await
        .expect("starts");
    let hook = emu.webhook_url();
    assert_eq!(
        post_json(&format!("{hook}user.current"), &json!({}))
            .await
            .0,
        200
    );
    assert_eq!(
        post_json(&format!("{hook}app.info"), &json!({})).await.0,
        200
    );
    assert_error(
        &post_json(&format!("{hook}imbot.bot.list"), &json!({})).await,
        403,
        "insufficient_scope",
    );
}

#[tokio::test]
async fn encodings_json_form_brackets_and_query_string_reach_the_same_state() {
    let emu = emulator().await;
    let (_, cmd) = bot_and_command(&emu, "app").await;
    let hook = emu.webhook_url();
    let form = format!(
        "COMMAND_ID={cmd}&CLIENT_ID=app&FIELDS[LANG][0][LANGUAGE_ID]=de&FIELDS[LANG][0][TITLE]=Echo+DE&FIELDS[LANG][1][LANGUAGE_ID]=en&FIELDS[LANG][1][TITLE]=Echo%20EN&FIELDS[HIDDEN]=Y"
    );
    let (status, body) = post_raw(
        &format!("{hook}imbot.command.update"),
        "application/x-www-form-urlencoded",
        &form,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"], true);
    let c = emu.commands()[0].clone();
    assert!(c.hidden);
    assert_eq!(
        c.lang,
        json!([{"LANGUAGE_ID":"de","TITLE":"Echo DE"},{"LANGUAGE_ID":"en","TITLE":"Echo EN"}])
    );

    let (status, body) = get(&format!(
        "{hook}imbot.command.update.json?COMMAND_ID={cmd}&CLIENT_ID=app&FIELDS[COMMAND]=echo3"
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(emu.commands()[0].command, "echo3");

    // A wrong type is refused with a description naming the parameter.
    let (status, body) = post_json(
        &format!("{hook}imbot.command.update"),
        &json!({"COMMAND_ID": cmd, "FIELDS": {"HIDDEN": 5}, "CLIENT_ID": "app"}),
    )
    .await;
    assert_eq!(
        (status, &body["error"]),
        (400, &json!("INVALID_ARGUMENTS")),
        "{body}"
    );
    assert!(
        body["error_description"]
            .as_str()
            .unwrap_or("")
            .contains("FIELDS.HIDDEN"),
        "{body}"
    );
    // A bad value of a parameter with a documented code answers that code, as the portal does.
    assert_error(
        &post_json(
            &format!("{hook}imbot.command.update"),
            &json!({"COMMAND_ID": "x", "FIELDS": {"HIDDEN": "Y"}, "CLIENT_ID": "app"}),
        )
        .await,
        400,
        "COMMAND_ID_ERROR",
    );
    // A webhook call without CLIENT_ID answers the documented 403 where the spec has one.
    assert_error(&post_json(&format!("{hook}imbot.register"), &json!({"CODE": "x", "EVENT_HANDLER": "https://example.com/h", "PROPERTIES": {"NAME": "x"}})).await, 403, "ACCESS_DENIED");
    // A missing required parameter uses the documented code.
    assert_error(
        &post_json(
            &format!("{hook}imbot.register"),
            &json!({"CLIENT_ID": "app", "PROPERTIES": {"NAME": "x"}}),
        )
        .await,
        400,
        "CODE_ERROR",
    );
}

#[tokio::test]
async fn command_update_documented_errors() {
    let emu = emulator().await;
    let (bot, cmd) = bot_and_command(&emu, "app").await;
    let other = emu.seed_command(Command::new(bot as u64, "foreign", "other-app"));
    let url = format!("{}imbot.command.update", emu.webhook_url());
    let call = |body: Value| {
        let url = url.clone();
        async move { post_json(&url, &body).await }
    };
    let expect = |answer: (u16, Value), code: &str, desc: &str| {
        assert_error(&answer, 400, code);
        assert_eq!(answer.1["error_description"], desc);
    };
    expect(
        call(json!({"COMMAND_ID": 9999, "FIELDS": {"HIDDEN": "Y"}, "CLIENT_ID": "app"})).await,
        "COMMAND_ID_ERROR",
        "Command not found",
    );
    expect(
        call(json!({"COMMAND_ID": other, "FIELDS": {"HIDDEN": "Y"}, "CLIENT_ID": "app"})).await,
        "APP_ID_ERROR",
        "Command was installed by another rest application",
    );
    expect(call(json!({"COMMAND_ID": cmd, "FIELDS": {"EVENT_COMMAND_ADD": "ftp://example.com"}, "CLIENT_ID": "app"})).await, "EVENT_COMMAND_ADD_ERROR", "Wrong handler URL");
    expect(
        call(json!({"COMMAND_ID": cmd, "FIELDS": {}, "CLIENT_ID": "app"})).await,
        "WRONG_REQUEST",
        "Update fields can't be empty",
    );
    expect(
        call(json!({"COMMAND_ID": cmd, "CLIENT_ID": "app"})).await,
        "WRONG_REQUEST",
        "Update fields can't be empty",
    );
    // Refused updates changed nothing.
    assert_eq!(emu.commands()[0].event_command_add, "https://example.com/c");
}

/// The two curl examples of the official page, with address and credentials replaced.
#[tokio::test]
async fn official_curl_examples_answer_as_documented() {
    let emu = emulator().await;
    let creds = emu.credentials();
    let bot = emu.seed_bot(Bot::new("echo", "**put_your_client_id_here**"));
    let mut webhook_cmd = Command::new(bot, "echo", "**put_your_client_id_here**");
    webhook_cmd.id = 99;
    emu.seed_command(webhook_cmd);
    let webhook_body = r#"{"COMMAND_ID":99,"FIELDS":{"COMMAND":"echo2","EVENT_COMMAND_ADD":"https://example.com/bot/command.php","HIDDEN":"N","EXTRANET_SUPPORT":"Y","LANG":[{"LANGUAGE_ID":"de","TITLE":"Echo 2","PARAMS":"text"},{"LANGUAGE_ID":"en","TITLE":"Echo 2","PARAMS":"text"}]},"CLIENT_ID":"**put_your_client_id_here**"}"#;
    let url = format!("{}imbot.command.update", emu.webhook_url());
    let (status, body) = post_raw(&url, "application/json", webhook_body).await;
    assert_eq!((status, &body["result"]), (200, &json!(true)), "{body}");
    let c = emu
        .commands()
        .into_iter()
        .find(|c| c.id == 99)
        .expect("command 99");
    assert_eq!(c.command, "echo2");
    assert!(c.extranet_support);
    assert_eq!(c.lang.as_array().map(Vec::len), Some(2));

    let empty = webhook_body.replace(r#""FIELDS":{"COMMAND":"echo2","EVENT_COMMAND_ADD":"https://example.com/bot/command.php","HIDDEN":"N","EXTRANET_SUPPORT":"Y","LANG":[{"LANGUAGE_ID":"de","TITLE":"Echo 2","PARAMS":"text"},{"LANGUAGE_ID":"en","TITLE":"Echo 2","PARAMS":"text"}]}"#, r#""FIELDS":{}"#);
    let answer = post_raw(&url, "application/json", &empty).await;
    assert_eq!(
        answer.1,
        json!({"error": "WRONG_REQUEST", "error_description": "Update fields can't be empty"})
    );
    assert_eq!(answer.0, 400);

    // OAuth form: the command belongs to the application itself.
    let mut oauth_cmd = Command::new(bot, "echo", &creds.client_id);
    oauth_cmd.id = 99;
    emu.seed_command(oauth_cmd);
    let oauth_body = webhook_body.replace(
        r#""CLIENT_ID":"**put_your_client_id_here**""#,
        &format!(r#""auth":"{}""#, creds.access_token),
    );
    let url = format!("{}rest/imbot.command.update", emu.portal_url());
    let (status, body) = post_raw(&url, "application/json", &oauth_body).await;
    assert_eq!((status, &body["result"]), (200, &json!(true)), "{body}");
    let empty = oauth_body.replace(r#""COMMAND":"echo2","#, "").replace(r#""EVENT_COMMAND_ADD":"https://example.com/bot/command.php","HIDDEN":"N","EXTRANET_SUPPORT":"Y","LANG":[{"LANGUAGE_ID":"de","TITLE":"Echo 2","PARAMS":"text"},{"LANGUAGE_ID":"en","TITLE":"Echo 2","PARAMS":"text"}]"#, "");
    assert!(empty.contains(r#""FIELDS":{}"#), "{empty}");
    let answer = post_raw(&url, "application/json", &empty).await;
    assert_eq!(
        (answer.0, answer.1),
        (
            400,
            json!({"error": "WRONG_REQUEST", "error_description": "Update fields can't be empty"})
        )
    );
}

#[tokio::test]
async fn bot_family_lifecycle_and_chat_log() {
    let emu = emulator().await;
    let (bot, cmd) = bot_and_command(&emu, "app").await;
    let hook = emu.webhook_url();
    let (_, second) = post_json(&format!("{hook}imbot.register"), &json!({"CODE": "two", "EVENT_HANDLER": "https://example.com/h", "PROPERTIES": {"NAME": "Two"}, "CLIENT_ID": "app"})).await;
    assert!(second["result"].as_i64() > Some(bot));
    let (status, body) = post_json(
        &format!("{hook}imbot.message.add"),
        &json!({"BOT_ID": bot, "DIALOG_ID": "chat7", "MESSAGE": "hi", "CLIENT_ID": "app"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = post_json(
        &format!("{hook}imbot.command.answer"),
        &json!({"COMMAND_ID": cmd, "MESSAGE_ID": 5, "MESSAGE": "pong", "CLIENT_ID": "app"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let messages = emu.messages();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].dialog_id, "chat7");
    assert_eq!(messages[1].command_id, Some(cmd as u64));
    let (_, list) = post_json(&format!("{hook}imbot.bot.list"), &json!({})).await;
    assert_eq!(
        list["result"].as_object().map(|m| m.len()),
        Some(2),
        "{list}"
    );
    assert_error(
        &post_json(
            &format!("{hook}imbot.unregister"),
            &json!({"BOT_ID": bot, "CLIENT_ID": "else"}),
        )
        .await,
        400,
        "APP_ID_ERROR",
    );
    assert_eq!(
        post_json(
            &format!("{hook}imbot.command.unregister"),
            &json!({"COMMAND_ID": cmd, "CLIENT_ID": "app"})
        )
        .await
        .1["result"],
        true
    );
    assert_error(
        &post_json(
            &format!("{hook}imbot.command.unregister"),
            &json!({"COMMAND_ID": cmd, "CLIENT_ID": "app"}),
        )
        .await,
        400,
        "COMMAND_ID_ERROR",
    );
    assert_eq!(
        post_json(
            &format!("{hook}imbot.unregister"),
            &json!({"BOT_ID": bot, "CLIENT_ID": "app"})
        )
        .await
        .1["result"],
        true
    );
    assert_eq!(emu.bots().len(), 1);
}

#[tokio::test]
async fn batch_with_references_halt_and_limits() {
    let emu = emulator().await;
    let url = format!("{}batch", emu.webhook_url());
    // `json!` sorts keys, so the body lists the commands by name: "later" runs after "command".
    let cmd = json!({
        "bot": "imbot.register?CODE=b1&EVENT_HANDLER=https%3A%2F%2Fexample.com%2Fh&PROPERTIES[NAME]=B&CLIENT_ID=app",
        "command": "imbot.command.register?BOT_ID=$result[bot]&COMMAND=go&EVENT_COMMAND_ADD=https://example.com/c&LANG[0][LANGUAGE_ID]=en&LANG[0][TITLE]=Go&CLIENT_ID=app",
        "nested": "batch?cmd[x]=user.current",
        "later": "imbot.command.update?COMMAND_ID=$result[command]&CLIENT_ID=app",
        "after": "user.current",
    });
    let (status, body) = post_json(&url, &json!({"halt": 0, "cmd": cmd})).await;
    assert_eq!(status, 200, "{body}");
    let r = &body["result"];
    let bot = r["result"]["bot"].as_i64().expect("bot id");
    assert!(r["result"]["command"].is_i64(), "{body}");
    assert_eq!(emu.commands()[0].bot_id, bot as u64);
    assert_eq!(
        r["result_error"]["nested"]["error"],
        "ERROR_BATCH_METHOD_NOT_ALLOWED"
    );
    assert_eq!(r["result_error"]["later"]["error"], "WRONG_REQUEST");
    assert!(r["result"]["after"].is_object());
    assert_eq!(r["result_total"], json!([]));
    assert_eq!(r["result_next"], json!([]));
    assert!(r["result_time"]["bot"]["start"].is_number());
    assert!(body["time"]["start"].is_number());

    let (_, body) = post_json(
        &url,
        &json!({"halt": 1, "cmd": {"a": "no.such", "b": "user.current"}}),
    )
    .await;
    assert_eq!(body["result"]["result"], json!([]), "{body}");
    assert_eq!(
        body["result"]["result_error"]["a"]["error"],
        "ERROR_METHOD_NOT_FOUND"
    );
    assert!(body["result"]["result_error"].get("b").is_none());

    let many: serde_json::Map<String, Value> = (0..51)
        .map(|i| (format!("c{i}"), json!("user.current")))
        .collect();
    assert_error(
        &post_json(&url, &json!({"cmd": many})).await,
        400,
        "ERROR_BATCH_LENGTH_EXCEEDED",
    );

    // The query-string form: the whole batch double-encoded in the URL.
    let (status, body) = get(&format!(
        "{url}?cmd[u]=user.current%3Fx%3D1&cmd[l]=crm.item.list%3FentityTypeId%3D2"
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["result"]["result"]["u"].is_object(), "{body}");
    assert!(body["result"]["result_total"]["l"].is_number(), "{body}");
}

#[tokio::test]
async fn list_methods_page_fifty_at_a_time() {
    let emu = emulator().await;
    let items: Vec<Value> = (1..=120)
        .map(|i| json!({"id": i, "entityTypeId": 2, "title": format!("Deal {i}")}))
        .collect();
    emu.seed_list("crm.item.list", items);
    let url = format!("{}crm.item.list", emu.webhook_url());
    let mut start = Some(0);
    let mut seen = Vec::new();
    for _ in 0..5 {
        let Some(s) = start else { break };
        let (status, body) = post_json(&url, &json!({"entityTypeId": 2, "start": s})).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["total"], 120);
        seen.extend(
            body["result"]["items"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        );
        start = body["next"].as_u64();
    }
    assert_eq!(seen.len(), 120);
    assert_eq!(seen[119]["id"], 120);
    let (_, body) = post_json(&url, &json!({"entityTypeId": 2, "start": -1})).await;
    assert_eq!(body["result"]["items"].as_array().map(Vec::len), Some(50));
    assert!(
        body.get("total").is_none() && body.get("next").is_none(),
        "{body}"
    );
    assert_error(&post_json(&url, &json!({})).await, 400, "INVALID_ARGUMENTS");
}
