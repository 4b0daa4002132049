//! `event.bind` and the events writes raise, over real HTTP: handlers are loopback servers that
//! record what the emulator POSTs; writes go through REST 2, `batch` and REST 3.0.

use crate::common;

use std::time::Duration;

use bitrix_mock::{Config, Emulator};
use common::{assert_error, post_json};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, watch};

/// One POST a handler received: its form body, decoded.
type Received = Value;

/// A loopback event handler: answers `status` once `gate` is open (at once when it is), and
/// sends each decoded body to the test.
struct Handler {
    url: String,
    rx: mpsc::UnboundedReceiver<Received>,
    /// Sends `true` to let held answers go.
    gate: watch::Sender<bool>,
}

async fn handler(status: u16, open: bool) -> Handler {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook?app=1", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    let (gate, gate_rx) = watch::channel(open);
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let tx = tx.clone();
            let mut gate = gate_rx.clone();
            tokio::spawn(async move {
                let body = read_request(&mut stream).await;
                let _ = tx.send(bitrix_mock::decode_query(&body));
                // A held handler answers only when the test opens the gate (or never).
                let _ = gate.wait_for(|open| *open).await;
                let answer = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    Handler { url, rx, gate }
}

/// Reads one HTTP request and answers its body.
async fn read_request(stream: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = stream.read(&mut chunk).await.unwrap_or(0);
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .and_then(|l| l.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if body.len() >= len {
                assert!(head.starts_with("POST /hook?app=1 HTTP/1.1"), "{head}");
                assert!(
                    head.contains("Content-Type: application/x-www-form-urlencoded"),
                    "{head}"
                );
                return body.to_string();
            }
        }
    }
    String::new()
}

impl Handler {
    /// The next delivery (bounded wait: a missing event fails the test, not hangs it).
    async fn next(&mut self) -> Received {
        tokio::time::timeout(Duration::from_secs(20), self.rx.recv())
            .await
            .expect("an event arrives")
            .expect("the handler runs")
    }
}

async fn emulator(config: Config) -> Emulator {
    Emulator::start(config).await.expect("emulator starts")
}

/// Calls `method` with the application's OAuth token.
async fn oauth(emu: &Emulator, method: &str, mut params: Value) -> (u16, Value) {
    params["auth"] = json!(emu.credentials().access_token);
    post_json(&format!("{}rest/{method}", emu.portal_url()), &params).await
}

async fn webhook(emu: &Emulator, method: &str, params: Value) -> (u16, Value) {
    post_json(&format!("{}{method}", emu.webhook_url()), &params).await
}

async fn bind(emu: &Emulator, event: &str, url: &str) {
    let answer = oauth(emu, "event.bind", json!({"event": event, "handler": url})).await;
    assert_eq!(answer, (200, answer.1.clone()));
    assert_eq!(answer.1["result"], json!(true), "{}", answer.1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_write_reaches_each_bound_handler_once_in_order() {
    let emu = emulator(Config::new()).await;
    let mut h = handler(200, true).await;
    for e in [
        "ONCRMDEALADD",
        "ONCRMDEALUPDATE",
        "ONCRMDEALDELETE",
        "ONTASKADD",
    ] {
        bind(&emu, e, &h.url).await;
    }
    // One call (through the webhook: every write raises, whoever makes it).
    let added = webhook(&emu, "crm.deal.add", json!({"fields": {"TITLE": "One"}})).await;
    let id = added.1["result"].clone();
    let ev = h.next().await;
    assert_eq!(ev["event"], "ONCRMDEALADD", "{ev}");
    assert_eq!(ev["data"]["FIELDS"]["ID"], json!(id.to_string()), "{ev}");
    assert_eq!(
        ev["ts"].as_str().map(|t| t.parse::<u64>().is_ok()),
        Some(true)
    );
    let creds = emu.credentials();
    assert_eq!(
        ev["auth"]["application_token"],
        json!(creds.application_token)
    );
    assert_eq!(ev["auth"]["access_token"], json!(creds.access_token));
    assert_eq!(ev["auth"]["member_id"].as_str().map(str::len), Some(32));
    assert_eq!(ev["auth"]["domain"], json!(emu.addr().to_string()));
    assert!(ev["event_handler_id"].as_str().is_some(), "{ev}");

    // A batch: its commands raise in order.
    let batch = oauth(
        &emu,
        "batch",
        json!({"cmd": {
            "a": "crm.deal.add?fields[TITLE]=Two",
            "b": "crm.deal.update?id=$result[a]&fields[TITLE]=Two%2B",
            "c": "crm.item.add?entityTypeId=2&fields[title]=Three",
            "d": "crm.deal.delete?id=$result[a]",
        }}),
    )
    .await;
    assert_eq!(batch.0, 200, "{}", batch.1);
    let two = batch.1["result"]["result"]["a"].to_string();
    let got: Vec<(String, String)> = {
        let mut v = Vec::new();
        for _ in 0..4 {
            let ev = h.next().await;
            v.push((
                ev["event"].as_str().unwrap().to_string(),
                ev["data"]["FIELDS"]["ID"].as_str().unwrap().to_string(),
            ));
        }
        v
    };
    assert_eq!(got[0], ("ONCRMDEALADD".into(), two.clone()));
    assert_eq!(got[1], ("ONCRMDEALUPDATE".into(), two.clone()));
    assert_eq!(
        got[2].0, "ONCRMDEALADD",
        "crm.item.add with entityTypeId=2 adds a deal"
    );
    assert_eq!(got[3], ("ONCRMDEALDELETE".into(), two));

    // REST 3.0.
    let v3 = emu.webhook_url().replacen("/rest/", "/rest/api/", 1);
    let task = post_json(
        &format!("{v3}tasks.task.add"),
        &json!({"fields": {"title": "T", "creatorId": 1, "responsibleId": 1}}),
    )
    .await;
    assert_eq!(task.0, 200, "{}", task.1);
    let ev = h.next().await;
    assert_eq!(ev["event"], "ONTASKADD", "{ev}");
    assert_eq!(
        ev["data"]["FIELDS_AFTER"]["ID"],
        json!(task.1["result"]["item"]["id"].to_string())
    );
    assert_eq!(ev["data"]["IS_ACCESSIBLE_BEFORE"], "N");

    emu.events_settled().await;
    let c = emu.event_counters();
    assert_eq!((c.queued, c.delivered, c.failed, c.dropped), (6, 6, 0, 0));
    assert_eq!(emu.deliveries().len(), 6);
    assert!(h.rx.try_recv().is_err(), "one delivery per write");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unbind_stops_deliveries_and_get_lists_handlers() {
    let emu = emulator(Config::new()).await;
    let mut kept = handler(200, true).await;
    let mut gone = handler(200, true).await;
    bind(&emu, "ONCRMLEADADD", &kept.url).await;
    bind(&emu, "onCrmLeadAdd", &gone.url).await;
    let dup = oauth(
        &emu,
        "event.bind",
        json!({"event": "ONCRMLEADADD", "handler": kept.url}),
    )
    .await;
    assert_error(&dup, 400, "ERROR_CORE");
    let listed = oauth(&emu, "event.get", json!({})).await;
    let rows = listed.1["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 2, "{}", listed.1);
    assert_eq!(rows[1]["handler"], json!(gone.url));
    assert_eq!(rows[1]["offline"], 0);

    let unbound = oauth(
        &emu,
        "event.unbind",
        json!({"event": "ONCRMLEADADD", "handler": gone.url}),
    )
    .await;
    assert_eq!(unbound.1["result"], json!({"count": 1}), "{}", unbound.1);
    webhook(&emu, "crm.lead.add", json!({"fields": {"TITLE": "L"}})).await;
    assert_eq!(kept.next().await["event"], "ONCRMLEADADD");
    emu.events_settled().await;
    assert!(
        gone.rx.try_recv().is_err(),
        "an unbound handler gets nothing"
    );
    assert_eq!(emu.event_counters().queued, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binding_is_for_applications_and_loopback_handlers() {
    let emu = emulator(Config::new()).await;
    let h = handler(200, true).await;
    let by_webhook = webhook(
        &emu,
        "event.bind",
        json!({"event": "ONCRMDEALADD", "handler": h.url}),
    )
    .await;
    assert_error(&by_webhook, 403, "WRONG_AUTH_TYPE");
    let far = oauth(
        &emu,
        "event.bind",
        json!({"event": "ONCRMDEALADD", "handler": "https://example.com/hook"}),
    )
    .await;
    assert_error(&far, 400, "ERROR_WRONG_HANDLER_URL");
    assert!(
        far.1["error_description"]
            .as_str()
            .is_some_and(|d| d.contains("loopback")),
        "{}",
        far.1
    );
    let local = oauth(
        &emu,
        "event.bind",
        json!({"event": "ONCRMDEALADD", "handler": "http://localhost:1/"}),
    )
    .await;
    assert_error(&local, 400, "ERROR_WRONG_HANDLER_URL");
    let unknown = oauth(
        &emu,
        "event.bind",
        json!({"event": "ONNOSUCHTHING", "handler": h.url}),
    )
    .await;
    assert_error(&unknown, 400, "ERROR_EVENT_NOT_FOUND");
    let no_handler = oauth(&emu, "event.bind", json!({"event": "ONCRMDEALADD"})).await;
    assert_error(&no_handler, 400, "ERROR_ARGUMENT");
    let bad_type = oauth(
        &emu,
        "event.bind",
        json!({"event": "ONCRMDEALADD", "handler": h.url, "event_type": "later"}),
    )
    .await;
    assert_error(&bad_type, 400, "ERROR_ARGUMENT");
    let listed = oauth(&emu, "event.get", json!({})).await;
    assert_eq!(listed.1["result"], json!([]), "nothing was bound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_events_round_trip() {
    let emu = emulator(Config::new()).await;
    let bound = oauth(
        &emu,
        "event.bind",
        json!({"event": "ONCRMCONTACTADD", "event_type": "offline"}),
    )
    .await;
    assert_eq!(bound.1["result"], json!(true), "{}", bound.1);
    bind_offline(&emu, "ONCRMCONTACTUPDATE").await;
    let a = webhook(&emu, "crm.contact.add", json!({"fields": {"NAME": "A"}})).await;
    let b = webhook(&emu, "crm.contact.add", json!({"fields": {"NAME": "B"}})).await;
    let a_id = a.1["result"].to_string();
    // The same object changed twice: the queue keeps one record of it.
    for name in ["A1", "A2"] {
        webhook(
            &emu,
            "crm.contact.update",
            json!({"id": a_id, "fields": {"NAME": name}}),
        )
        .await;
    }
    let listed = oauth(&emu, "event.offline.list", json!({})).await;
    assert_eq!(listed.1["total"], 3, "{}", listed.1);
    let rows = listed.1["result"].as_array().cloned().unwrap_or_default();
    assert_eq!(rows[0]["EVENT_NAME"], "ONCRMCONTACTADD");
    assert_eq!(rows[0]["EVENT_DATA"]["FIELDS"]["ID"], json!(a_id));
    assert_eq!(rows[0]["PROCESS_ID"], "");
    assert_eq!(rows[0]["MESSAGE_ID"].as_str().map(str::len), Some(32));

    // Reserve two, clear one of them by MESSAGE_ID, then the rest of the reservation.
    let got = oauth(&emu, "event.offline.get", json!({"clear": 0, "limit": 2})).await;
    let process = got.1["result"]["process_id"].as_str().unwrap().to_string();
    let events = got.1["result"]["events"].as_array().cloned().unwrap();
    assert_eq!(events.len(), 2, "{}", got.1);
    assert_eq!(
        events[1]["EVENT_DATA"]["FIELDS"]["ID"],
        json!(b.1["result"].to_string())
    );
    let hidden = oauth(&emu, "event.offline.get", json!({"clear": 0})).await;
    assert_eq!(
        hidden.1["result"]["events"].as_array().map(Vec::len),
        Some(1)
    );
    let again = oauth(
        &emu,
        "event.offline.get",
        json!({"process_id": process, "clear": 0}),
    )
    .await;
    assert_eq!(
        again.1["result"]["events"].as_array().map(Vec::len),
        Some(2)
    );
    let first = events[0]["MESSAGE_ID"].clone();
    let cleared = oauth(
        &emu,
        "event.offline.clear",
        json!({"process_id": process, "message_id": [first]}),
    )
    .await;
    assert_eq!(cleared.1["result"], json!(true), "{}", cleared.1);
    oauth(&emu, "event.offline.clear", json!({"process_id": process})).await;
    // What is left (the other reservation) is taken and deleted at once.
    let last = oauth(
        &emu,
        "event.offline.get",
        json!({"process_id": hidden.1["result"]["process_id"], "clear": 1}),
    )
    .await;
    assert_eq!(last.1["result"]["events"].as_array().map(Vec::len), Some(1));
    let empty = oauth(&emu, "event.offline.list", json!({})).await;
    assert_eq!(empty.1["total"], 0, "{}", empty.1);
    assert_eq!(emu.event_counters().offline_stored, 4);

    let unbound = oauth(
        &emu,
        "event.unbind",
        json!({"event": "ONCRMCONTACTADD", "event_type": "offline"}),
    )
    .await;
    assert_eq!(unbound.1["result"]["count"], 1, "{}", unbound.1);
}

async fn bind_offline(emu: &Emulator, event: &str) {
    let answer = oauth(
        emu,
        "event.bind",
        json!({"event": event, "event_type": "offline"}),
    )
    .await;
    assert_eq!(answer.1["result"], json!(true), "{}", answer.1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_and_failing_handlers_hold_up_only_themselves() {
    let emu = emulator(Config::new().event_timeout(Duration::from_millis(300))).await;
    let mut slow = handler(200, false).await;
    let mut failing = handler(500, true).await;
    let mut fine = handler(200, true).await;
    let dead = {
        // An address nobody listens on any more.
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        format!("http://{}/hook?app=1", l.local_addr().unwrap())
    };
    for url in [&slow.url, &failing.url, &dead, &fine.url] {
        bind(&emu, "ONCRMCOMPANYADD", url).await;
    }
    let first = webhook(&emu, "crm.company.add", json!({"fields": {"TITLE": "C1"}})).await;
    assert_eq!(first.0, 200, "the write does not wait for handlers");
    webhook(&emu, "crm.company.add", json!({"fields": {"TITLE": "C2"}})).await;
    // The slow handler holds its first event while the others get both.
    assert_eq!(slow.next().await["data"]["FIELDS"]["ID"], "1");
    for h in [&mut fine, &mut failing] {
        assert_eq!(h.next().await["data"]["FIELDS"]["ID"], "1");
        assert_eq!(h.next().await["data"]["FIELDS"]["ID"], "2");
    }
    emu.events_settled().await;
    // Its second event came after the first timed out, still in order.
    assert_eq!(slow.next().await["data"]["FIELDS"]["ID"], "2");
    let _ = slow.gate.send(true);
    let reports = emu.deliveries();
    let of = |url: &str| -> Vec<(u16, bool)> {
        reports
            .iter()
            .filter(|r| r.url == url)
            .map(|r| (r.status, r.error.is_some()))
            .collect()
    };
    assert_eq!(of(&fine.url), [(200, false), (200, false)]);
    assert_eq!(of(&failing.url), [(500, false), (500, false)]);
    assert_eq!(
        of(&slow.url),
        [(0, true), (0, true)],
        "timed out, not retried"
    );
    assert_eq!(of(&dead), [(0, true), (0, true)], "refused, not retried");
    let c = emu.event_counters();
    assert_eq!((c.queued, c.delivered, c.failed, c.dropped), (8, 2, 6, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_drops_and_counts() {
    let emu = emulator(
        Config::new()
            .event_queue(1)
            .event_timeout(Duration::from_secs(30)),
    )
    .await;
    let mut slow = handler(200, false).await;
    bind(&emu, "ONCRMDEALADD", &slow.url).await;
    webhook(&emu, "crm.deal.add", json!({"fields": {}})).await;
    // The first is under way (received, held); the second waits; the third finds the queue full.
    slow.next().await;
    webhook(&emu, "crm.deal.add", json!({"fields": {}})).await;
    webhook(&emu, "crm.deal.add", json!({"fields": {}})).await;
    let c = emu.event_counters();
    assert_eq!((c.queued, c.dropped), (2, 1), "{c:?}");
    let _ = slow.gate.send(true);
    emu.events_settled().await;
    assert_eq!(emu.event_counters().delivered, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_offline_queue_notifies_at_most_once_per_min_timeout() {
    let emu = emulator(Config::new()).await;
    let mut h = handler(200, true).await;
    bind_offline(&emu, "ONCRMLEADADD").await;
    let bound = oauth(
        &emu,
        "event.bind",
        json!({"event": "ONOFFLINEEVENT", "handler": h.url, "options": {"minTimeout": 3600}}),
    )
    .await;
    assert_eq!(bound.1["result"], json!(true), "{}", bound.1);
    let offline = oauth(
        &emu,
        "event.bind",
        json!({"event": "ONOFFLINEEVENT", "event_type": "offline"}),
    )
    .await;
    assert_error(&offline, 400, "ERROR_ARGUMENT");
    for name in ["A", "B"] {
        webhook(&emu, "crm.lead.add", json!({"fields": {"TITLE": name}})).await;
    }
    let ev = h.next().await;
    assert_eq!(ev["event"], "ONOFFLINEEVENT", "{ev}");
    assert_eq!(
        ev["auth"]["refresh_token"],
        json!(emu.credentials().refresh_token)
    );
    emu.events_settled().await;
    assert!(
        h.rx.try_recv().is_err(),
        "one notification within minTimeout"
    );
    // After the interval, the next change notifies again.
    emu.clock().advance(Duration::from_secs(3600));
    webhook(&emu, "crm.lead.add", json!({"fields": {"TITLE": "C"}})).await;
    assert_eq!(h.next().await["event"], "ONOFFLINEEVENT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_comments_belong_to_their_task_and_name_it_in_their_events() {
    let emu = emulator(Config::new()).await;
    let mut h = handler(200, true).await;
    for e in ["ONTASKCOMMENTADD", "ONTASKCOMMENTUPDATE"] {
        bind(&emu, e, &h.url).await;
    }
    let added = webhook(
        &emu,
        "task.commentitem.add",
        json!({"TASKID": 7, "FIELDS": {"POST_MESSAGE": "first"}}),
    )
    .await;
    assert_eq!(added.0, 200, "{}", added.1);
    let id = added.1["result"].clone();
    let ev = h.next().await;
    assert_eq!(ev["event"], "ONTASKCOMMENTADD", "{ev}");
    assert_eq!(
        ev["data"]["FIELDS_AFTER"]["ID"],
        json!(id.to_string()),
        "{ev}"
    );
    assert_eq!(ev["data"]["FIELDS_AFTER"]["TASK_ID"], json!("7"), "{ev}");

    // The comment is task 7's: found there by its own ID, not under another task.
    let got = webhook(
        &emu,
        "task.commentitem.get",
        json!({"TASKID": 7, "ITEMID": id}),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["result"]["POST_MESSAGE"], "first", "{}", got.1);
    let elsewhere = webhook(
        &emu,
        "task.commentitem.get",
        json!({"TASKID": 8, "ITEMID": id}),
    )
    .await;
    assert_ne!(elsewhere.0, 200, "{}", elsewhere.1);
    let listed = webhook(&emu, "task.commentitem.getlist", json!({"TASKID": 7})).await;
    assert_eq!(
        listed.1["result"].as_array().map(Vec::len),
        Some(1),
        "{}",
        listed.1
    );

    let updated = webhook(
        &emu,
        "task.commentitem.update",
        json!({"TASKID": 7, "ITEMID": id, "FIELDS": {"POST_MESSAGE": "second"}}),
    )
    .await;
    assert_eq!(updated.0, 200, "{}", updated.1);
    let ev = h.next().await;
    assert_eq!(ev["event"], "ONTASKCOMMENTUPDATE", "{ev}");
    assert_eq!(ev["data"]["FIELDS_BEFORE"]["TASK_ID"], json!("7"), "{ev}");
}
