//! `lang_text` and `one_or_many<T>` end to end: a spec using them (`tests/union-specs`), the
//! generated request sent to a portal on loopback (JSON body) and in a batch's bracket form, the
//! answer decoded in each form portals send, and values that fit neither form refused with
//! their path.

use std::collections::BTreeMap;

use bitrix_runtime::{encode_query, Client, LangText, Method, OneOrMany};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod generated {
    bitrix_macros::include_specs!("tests/union-specs", runtime = "bitrix_runtime");
}

use generated::demo::label::add::Label;
use generated::demo::label::Add;

/// A portal on loopback that answers one call with `answer` and hands back the body it got.
async fn portal(answer: Value) -> (String, tokio::task::JoinHandle<Value>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let served = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        // Read the head, then as many body bytes as it announces.
        let (head_end, length) = loop {
            let n = sock.read(&mut buf).await.unwrap();
            assert!(n > 0, "the client closed before sending a request");
            got.extend_from_slice(&buf[..n]);
            if let Some(at) = got.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&got[..at]).to_ascii_lowercase();
                let length = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length:"))
                    .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                break (at + 4, length);
            }
        };
        while got.len() < head_end + length {
            let n = sock.read(&mut buf).await.unwrap();
            assert!(n > 0, "the client closed inside the body");
            got.extend_from_slice(&buf[..n]);
        }
        let body = serde_json::to_vec(&json!({"result": answer, "time": {}})).unwrap();
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        sock.write_all(head.as_bytes()).await.unwrap();
        sock.write_all(&body).await.unwrap();
        serde_json::from_slice(&got[head_end..head_end + length]).unwrap()
    });
    (format!("http://{addr}/rest/1/code/"), served)
}

#[tokio::test]
async fn a_call_sends_each_form_as_given_and_reads_either() {
    let (url, sent) = portal(json!({
        "ID": "3",
        "NAME": {"en": "Label", "de": "Etikett"},
        "USER_ID": "5",
        "TITLE": "One",
        "ACTIVE": "1",
        "OWNER": {"ID": 9}
    }))
    .await;
    let client = Client::webhook(&url).unwrap();
    let request = Add::new("Label", vec![5, 7]).tags("urgent");
    let answer = client.call(&request).await.unwrap();
    assert_eq!(
        sent.await.unwrap(),
        json!({"NAME": "Label", "USER_ID": [5, 7], "TAGS": "urgent"})
    );
    let label: Label = answer.result;
    assert_eq!(label.id, 3);
    assert_eq!(label.name.for_lang("de"), Some("Etikett"));
    assert_eq!(label.user_id, OneOrMany::One(5));
    assert_eq!(label.title, Some(Some(LangText::from("One"))));
    assert_eq!(label.active, Some(true));
    assert_eq!(label.owner.and_then(|o| o.id), Some(9));
}

#[test]
fn the_bracket_form_follows_the_given_form() {
    let by_lang = LangText::by_lang([("en", "Label"), ("de", "Etikett")]);
    let request = Add::new(by_lang, OneOrMany::One(5)).tags(vec!["a".to_string()]);
    let body = serde_json::to_value(&request).unwrap();
    assert_eq!(
        encode_query(&body),
        "NAME[de]=Etikett&NAME[en]=Label&TAGS[0]=a&USER_ID=5"
    );
}

#[test]
fn answers_in_every_form_portals_send_decode() {
    // Texts by language, a PHP list with kept keys, `0` for a boolean, `false` for no object.
    let label = Add::decode_output(json!({
        "ID": 1,
        "NAME": "Label",
        "USER_ID": {"4": "5", "9": 7},
        "TITLE": null,
        "ACTIVE": 0,
        "OWNER": false
    }))
    .unwrap();
    assert_eq!(label.name, LangText::Text("Label".into()));
    assert_eq!(label.user_id.as_slice(), [5, 7]);
    assert_eq!(label.title, Some(None));
    assert_eq!(label.active, Some(false));
    assert!(label.owner.is_none_or(|o| o.id.is_none()));
    // `[]` is PHP's empty object: no translations.
    let empty = Add::decode_output(json!({"ID": 1, "NAME": [], "USER_ID": []})).unwrap();
    assert_eq!(empty.name, LangText::ByLang(BTreeMap::new()));
    assert_eq!(empty.user_id, OneOrMany::Many(Vec::new()));
}

#[test]
fn values_that_fit_neither_form_fail_naming_their_path() {
    let wrong = |answer: Value| Add::decode_output(answer).unwrap_err().to_string();
    let e = wrong(json!({"ID": 1, "NAME": ["Label"], "USER_ID": 5}));
    assert!(
        e.starts_with("`NAME`: ") && e.contains("found a list"),
        "{e}"
    );
    let e = wrong(json!({"ID": 1, "NAME": {"en": {"x": 1}}, "USER_ID": 5}));
    assert!(e.starts_with("`NAME`: `en`: "), "{e}");
    let e = wrong(json!({"ID": 1, "NAME": "a", "USER_ID": [5, "x"]}));
    assert!(e.starts_with("`USER_ID`: [1]: "), "{e}");
    let e = wrong(json!({"ID": 1, "NAME": "a", "USER_ID": 5, "ACTIVE": 2}));
    assert!(e.starts_with("`ACTIVE`: "), "{e}");
}
