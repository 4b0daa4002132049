//! Every method of the specs answers its documented requests, and hostile input never breaks the
//! server.

use crate::common;

use bitrix_codegen::{check_all, load_dir};
use bitrix_mock::{Config, Emulator};
use common::{get, post_json, post_raw};
use serde_json::json;

/// The bot extension's methods: their answers depend on emulated state, so the example's literal
/// result cannot match (nor can the answers of methods with `[state]`).
const STATEFUL: &[&str] = &[
    "imbot.register",
    "imbot.unregister",
    "imbot.bot.list",
    "imbot.command.register",
    "imbot.command.unregister",
    "imbot.command.update",
    "imbot.command.answer",
    "imbot.message.add",
    // The event book (`event.bind` and friends) answers what was bound and queued.
    "event.bind",
    "event.unbind",
    "event.get",
    "event.offline.get",
    "event.offline.clear",
    "event.offline.error",
    "event.offline.list",
];

#[tokio::test]
async fn every_spec_method_answers_its_examples() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let sources = load_dir(&dir).expect("specs readable");
    let checked = check_all(&sources);
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    assert!(checked.methods.len() > 50);
    let emu = Emulator::start(Config::new()).await.expect("starts");
    let hook = emu.webhook_url();
    let hook_v3 = hook.replacen("/rest/", "/rest/api/", 1);
    // Methods only applications may call (`auth = "application"`) are called with the OAuth
    // token: a webhook gets `WRONG_AUTH_TYPE`, as on a portal.
    let oauth = format!("{}rest/", emu.portal_url());
    let token = emu.credentials().access_token;
    let with_token = |method: &bitrix_codegen::Method, body: &serde_json::Value| {
        let mut body = body.clone();
        if let (true, Some(map)) = (method.application_only, body.as_object_mut()) {
            map.insert("auth".into(), json!(token));
        }
        body
    };
    for method in &checked.methods {
        let hook = match (method.rest, method.application_only) {
            (3, _) => &hook_v3,
            (_, true) => &oauth,
            _ => &hook,
        };
        let mut sent = false;
        for example in method.examples.iter().filter(|e| e.status == 200) {
            let Some(request) = &example.request else {
                continue;
            };
            sent = true;
            let request = with_token(method, request);
            let (status, body) = post_json(&format!("{hook}{}", method.name), &request).await;
            // 404 only as a row the method documents with it (a record its example names and
            // this empty portal lacks), never as an unknown address.
            let documented_404 = status == 404
                && body["error"]
                    .as_str()
                    .is_some_and(|c| method.errors.iter().any(|e| e.code == c && e.status == 404));
            assert!(
                (status != 404 || documented_404) && status < 500,
                "{} {}: {status} {body}",
                method.name,
                example.name
            );
            // Some modules answer their documented errors with HTTP 200.
            if status == 200 && body.get("error").is_none() {
                assert!(
                    body["time"]["operating"].is_number(),
                    "{}: {body}",
                    method.name
                );
                if !STATEFUL.contains(&method.name.as_str())
                    && method.state.is_none()
                    && !method.result.paged
                {
                    // The emulator answers the first documented success that shows a `result`.
                    let documented = method
                        .examples
                        .iter()
                        .filter(|e| e.status == 200)
                        .find_map(|e| e.response.as_ref()?.get("result"));
                    if let Some(documented) = documented {
                        assert_eq!(&body["result"], documented, "{}", method.name);
                    }
                }
            } else {
                // REST 3.0 sends `{"error": {"code", ...}}`.
                let code = body["error"]
                    .as_str()
                    .or_else(|| body["error"]["code"].as_str())
                    .unwrap_or("");
                // An example of a stateful method names a record this empty portal lacks.
                // The emulator's store may refuse an example it cannot model (a filter on a field
                // its records lack) with Bitrix24's generic codes; never with anything else.
                let generic = (method.state.is_some() || method.rest == 3)
                    && [
                        // A missing record without a documented row: the portal's empty code.
                        "",
                        "NOT_FOUND",
                        "INVALID_ARG_VALUE",
                        "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION",
                        "BITRIX_REST_V3_EXCEPTION_UNKNOWNDTOPROPERTYEXCEPTION",
                    ]
                    .contains(&code);
                assert!(
                    generic
                        || code == "INVALID_ARGUMENTS"
                        || method.errors.iter().any(|e| e.code == code),
                    "{} {}: undocumented {body}",
                    method.name,
                    example.name
                );
            }
        }
        if !sent {
            // Methods without a documented request still answer (or name what is missing).
            let request = with_token(method, &json!({}));
            let (status, body) = post_json(&format!("{hook}{}", method.name), &request).await;
            assert!(
                status == 200 || status == 400,
                "{}: {status} {body}",
                method.name
            );
        }
    }
}

#[tokio::test]
async fn hostile_input_gets_answers_not_crashes() {
    let emu = Emulator::start(Config::new()).await.expect("starts");
    let hook = emu.webhook_url();
    let portal = emu.portal_url();
    let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
    let cases: Vec<(String, &str, String)> = vec![
        (
            format!("{hook}user.current"),
            "application/json",
            "{not json".into(),
        ),
        (
            format!("{hook}user.current"),
            "application/json",
            "[1,2]".into(),
        ),
        (format!("{hook}user.current"), "application/json", deep),
        (
            format!("{hook}imbot.command.update"),
            "application/x-www-form-urlencoded",
            "FIELDS[[[=%ff%fe&COMMAND_ID[]=1&&==&%".into(),
        ),
        (
            format!("{hook}imbot.command.update"),
            "application/x-www-form-urlencoded",
            format!("a{}=1", "[x]".repeat(2000)),
        ),
        (
            format!("{hook}batch"),
            "application/json",
            r#"{"cmd":{"a":"$result[a][b][c]","b":"?","c":42}}"#.into(),
        ),
        (
            format!("{hook}batch"),
            "application/json",
            r#"{"cmd":"nope","halt":"maybe"}"#.into(),
        ),
        (format!("{portal}rest/"), "text/plain", String::new()),
        (
            format!("{portal}rest/a/b/c/d/e"),
            "text/plain",
            String::new(),
        ),
        (
            format!("{portal}oauth/token/"),
            "text/plain",
            "grant_type=refresh_token".into(),
        ),
        (format!("{portal}elsewhere"), "text/plain", String::new()),
    ];
    for (url, content_type, body) in cases {
        let (status, answer) = post_raw(&url, content_type, &body).await;
        assert!((200..500).contains(&status), "{url}: {status} {answer}");
        assert!(answer.is_object(), "{url}: {answer}");
    }
    // Still serving.
    assert_eq!(get(&format!("{hook}user.current")).await.0, 200);
}
