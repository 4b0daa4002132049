//! The other commands against an emulator: `batch` with references, `methods`, `describe`,
//! OAuth with a rewritten credentials file, secrets kept out of output, completions and `mock`.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::{assert_success, interrupt, scratch, stderr, wait_bounded, Portal, B24, PATIENCE};
use serde_json::{json, Value};

#[test]
fn a_toml_batch_passes_results_between_commands() {
    let dir = scratch("batch");
    let portal = Portal::new();
    let file = dir.join("commands.toml");
    std::fs::write(
        &file,
        r#"
[[commands]]
key = "deal"
method = "crm.item.add"
params = { entityTypeId = 2, fields = { title = "From batch" } }

[[commands]]
key = "read"
method = "crm.item.get"
params = { entityTypeId = 2, id = "$result[deal][item][id]" }

[[commands]]
key = "missing"
method = "crm.item.get"
params = { entityTypeId = 2, id = 999 }
"#,
    )
    .unwrap();
    let out = portal.run(&["batch", file.to_str().unwrap()]);
    // One command failed: exit 1, but every answer is printed by key.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let answers: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answers["read"]["item"]["title"], "From batch");
    assert_eq!(answers["missing"]["error"], "NOT_FOUND");
    let err = stderr(&out);
    assert!(err.contains("1 of 3 commands failed"), "{err}");
    assert!(
        err.contains("meaning: No item of this type has the given `id`."),
        "{err}"
    );
}

#[test]
fn a_batch_command_is_checked_against_its_spec_before_sending() {
    let dir = scratch("batch-check");
    let portal = Portal::new();
    let file = dir.join("commands.json");
    let commands = json!([{"key": "a", "method": "crm.item.add", "params": {"entityTypeId": 2, "feilds": {}}}]);
    std::fs::write(&file, commands.to_string()).unwrap();
    let out = portal.run(&["batch", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("did you mean `fields`?"),
        "{}",
        stderr(&out)
    );
    assert!(portal.emu.calls().is_empty());
}

#[test]
fn methods_lists_a_scope_and_describe_shows_the_spec() {
    let out = Command::new(B24).args(["methods", "crm"]).output().unwrap();
    assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines().any(|l| l.starts_with("crm.item.list ")),
        "{text}"
    );
    assert!(!text.contains("imbot."), "{text}");

    let out = Command::new(B24).args(["methods", "crn"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("did you mean `crm`?"));

    let out = Command::new(B24)
        .args(["describe", "crm.item.get"])
        .output()
        .unwrap();
    assert_success(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "Parameters:",
        "entityTypeId",
        "required",
        "Errors:",
        "NOT_FOUND (HTTP 400): Item not found",
        "No item of this type has the given `id`.",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn oauth_tokens_are_renewed_and_the_file_rewritten() {
    let dir = scratch("oauth");
    let portal = Portal::new();
    let old = portal.emu.credentials();
    let file = dir.join("oauth.json");
    let settings = json!({
        "portal": portal.emu.portal_url(),
        "oauth_server": portal.emu.oauth_server_url(),
        "client_id": old.client_id,
        "client_secret": old.client_secret,
        "access_token": old.access_token,
        "refresh_token": old.refresh_token,
        "note": "kept as is",
    });
    std::fs::write(&file, settings.to_string()).unwrap();
    portal.emu.expire_access_token();

    let out = Command::new(B24)
        .args([
            "--oauth",
            file.to_str().unwrap(),
            "--verbose",
            "call",
            "user.current",
        ])
        .env_remove("BITRIX24_WEBHOOK_URL")
        .output()
        .unwrap();
    assert_success(&out);
    let new = portal.emu.credentials();
    assert_ne!(new.access_token, old.access_token, "the pair was renewed");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["access_token"], new.access_token.as_str());
    assert_eq!(saved["refresh_token"], new.refresh_token.as_str());
    assert_eq!(saved["note"], "kept as is");
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
    for secret in [
        &old.access_token,
        &new.access_token,
        &new.refresh_token,
        &old.client_secret,
    ] {
        assert!(
            !printed.contains(secret.as_str()),
            "a secret was printed: {printed}"
        );
    }
}

#[test]
fn the_webhook_code_is_never_printed() {
    let portal = Portal::new();
    let code = portal.emu.credentials().webhook_code;
    let out = portal.run(&[
        "--verbose",
        "call",
        "crm.item.get",
        "entityTypeId=2",
        "id=5",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).contains(&code), "{}", stderr(&out));

    // An address nothing listens on: a transport error, still without the code.
    let dead = format!("http://127.0.0.1:9/rest/1/{code}/");
    let out = Command::new(B24)
        .args(["--webhook", &dead, "call", "user.current"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!stderr(&out).is_empty());
    assert!(!stderr(&out).contains(&code), "{}", stderr(&out));

    // Nor in --help, which shows where the webhook comes from.
    let out = Command::new(B24)
        .arg("--help")
        .env("BITRIX24_WEBHOOK_URL", &dead)
        .output()
        .unwrap();
    assert_success(&out);
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&code));
}

#[test]
fn no_portal_is_a_usage_error() {
    let out = Command::new(B24)
        .args(["call", "user.current"])
        .env_remove("BITRIX24_WEBHOOK_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--webhook"));
}

#[test]
fn completions_and_help_with_examples() {
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(B24)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_success(&out);
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(
            script.contains("b24") && script.contains("export"),
            "{shell}"
        );
    }
    let out = Command::new(B24).args(["call", "--help"]).output().unwrap();
    assert_success(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("b24 call crm.item.get"));
}

#[test]
fn mock_serves_until_ctrl_c() {
    let mut child = Command::new(B24)
        .args(["--plan", "unlimited", "mock", "--seed", "7"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Lines are read on a thread, so that a silent mock fails the test instead of hanging it.
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut webhook = String::new();
    let mut ready = false;
    while !ready {
        match rx.recv_timeout(PATIENCE) {
            Ok(line) if line == "ready" => ready = true,
            Ok(line) => {
                if let Some(url) = line.strip_prefix("webhook=") {
                    webhook = url.to_string();
                }
            }
            Err(e) => panic!("no `ready` from the mock: {e}"),
        }
    }
    assert!(
        ready && webhook.starts_with("http://127.0.0.1:"),
        "{webhook}"
    );

    let out = Command::new(B24)
        .args(["--webhook", &webhook, "call", "user.current"])
        .output()
        .unwrap();
    assert_success(&out);

    interrupt(&child);
    let status = wait_bounded(&mut child);
    assert_eq!(status.code(), Some(0));
}
