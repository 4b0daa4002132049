//! Every documented example of every event spec (`events/`, imported or finished by hand) decodes
//! into its typed variant: the JSON body, the body as a form (every value text, as Bitrix24
//! sends it), and the documented form; every event spec is a variant of `Event` (all features are
//! on by default).

use std::path::Path;

use bitrix_codegen::events::check_events;
use bitrix_rest::events::{form, Event, Receiver};
use serde_json::{json, Value};

const TOKEN: &str = "example-application-token";

fn signed(mut body: Value) -> Value {
    body["auth"] = json!({"application_token": TOKEN, "domain": "example.bitrix24.com"});
    body
}

#[test]
fn every_documented_example_decodes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("events");
    let sources = bitrix_codegen::load_dir(&dir).unwrap();
    let checked = check_events(&sources);
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let receiver = Receiver::new(TOKEN);
    let mut count = 0;
    let mut failures = Vec::new();
    for ev in &checked.events {
        if !Event::NAMES.contains(&ev.name.as_str()) {
            failures.push(format!("{} is not a variant of Event", ev.name));
            continue;
        }
        for ex in &ev.examples {
            let mut bodies: Vec<(&str, Option<&str>, Vec<u8>)> = Vec::new();
            let json_body = match (&ex.body, &ex.data) {
                (Some(b), _) => Some(signed(b.clone())),
                (None, Some(d)) => Some(signed(json!({"event": ev.name, "data": d, "ts": "1"}))),
                _ => None,
            };
            if let Some(b) = &json_body {
                bodies.push((
                    "json",
                    Some("application/json"),
                    serde_json::to_vec(b).unwrap(),
                ));
                bodies.push((
                    "form",
                    Some("application/x-www-form-urlencoded"),
                    form::encode(b).into_bytes(),
                ));
            }
            if let Some(f) = &ex.form {
                // The documented form carries the documented token; re-sign it.
                let mut v = form::parse(f.as_bytes()).unwrap();
                v["auth"]["application_token"] = json!(TOKEN);
                bodies.push(("documented form", None, form::encode(&v).into_bytes()));
            }
            for (kind, ct, body) in bodies {
                match receiver.receive(ct, &body) {
                    Ok(got)
                        if got.event.name() == ev.name
                            && !matches!(got.event, Event::Unknown(_)) =>
                    {
                        count += 1
                    }
                    Ok(got) => failures.push(format!(
                        "{} `{}` ({kind}): decoded as {}",
                        ev.name,
                        ex.name,
                        got.event.name()
                    )),
                    Err(e) => failures.push(format!("{} `{}` ({kind}): {e}", ev.name, ex.name)),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // 202 events, 168 of them with a documented example, each sent as JSON and as a form (and
    // the documented forms as written).
    assert!(
        checked.events.len() >= 200,
        "only {} event specs",
        checked.events.len()
    );
    assert!(count >= 350, "only {count} example bodies");
}

#[test]
fn documented_command_example_fields() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("events/imbot/ONIMCOMMANDADD.toml"),
    )
    .unwrap();
    let ev = bitrix_codegen::events::parse_event(&bitrix_codegen::SpecSource::new(
        "ONIMCOMMANDADD.toml",
        text,
    ))
    .unwrap();
    let body = signed(ev.examples[0].body.clone().unwrap());
    let got = Receiver::new(TOKEN)
        .receive(None, form::encode(&body).as_bytes())
        .unwrap();
    let Event::OnImCommandAdd(cmd) = got.event else {
        panic!()
    };
    let entry = &cmd.command.as_ref().unwrap()["103"];
    assert_eq!(entry.command.as_deref(), Some("echo"));
    assert_eq!(entry.command_params.as_deref(), Some("test"));
    assert_eq!(entry.message_id, Some(33899));
    assert!(entry.auth.as_ref().unwrap().access_token.is_some());
    let params = cmd.params.unwrap();
    assert_eq!(params.dialog_id.as_deref(), Some("1269"));
    assert_eq!(params.system, Some(false));
    assert_eq!(cmd.user.unwrap().first_name.as_deref(), Some("John"));
    assert_eq!(got.ts, Some(1772109486));
    assert_eq!(got.event_handler_id, Some(1045));
}
