//! List streams against the emulator: every item across pages, plain (`start`/`next`) and keyset
//! export (`start=-1`, `>id`), with items added and removed during the traversal.

use std::collections::HashSet;
use std::pin::pin;

use bitrix_mock::{Config, Emulator};
use bitrix_rest::{Client, FastExport};
use futures_util::StreamExt;
use serde_json::{json, Value};

const METHOD: &str = "crm.item.list";

fn item(id: i64) -> Value {
    json!({"id": id, "entityTypeId": 2, "stageId": "NEW", "title": format!("Deal {id}")})
}

fn items(ids: impl IntoIterator<Item = i64>) -> Vec<Value> {
    ids.into_iter().map(item).collect()
}

async fn setup(ids: impl IntoIterator<Item = i64>) -> (Emulator, Client) {
    let emu = Emulator::start(Config::new()).await.unwrap();
    emu.seed_list(METHOD, items(ids));
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    (emu, client)
}

fn list_calls(emu: &Emulator) -> usize {
    emu.calls().iter().filter(|c| c.method == METHOD).count()
}

#[tokio::test]
async fn plain_stream_reads_every_page() {
    let (emu, client) = setup(1..=120).await;
    let ids: Vec<i64> = client
        .stream(&bitrix_rest::api::crm::item::List::new(2))
        .map(|r| r.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, (1..=120).collect::<Vec<_>>());
    assert_eq!(list_calls(&emu), 3);
}

#[tokio::test]
async fn plain_stream_keeps_items_added_during_the_traversal() {
    let (emu, client) = setup(1..=120).await;
    let mut stream = pin!(client.stream(&bitrix_rest::api::crm::item::List::new(2)));
    let mut seen = Vec::new();
    let mut round = 0;
    while let Some(item) = stream.next().await {
        seen.push(item.unwrap().id.unwrap());
        // After each of the first two pages, another writer appends ten items (new IDs go at
        // the end); the third page then reads up to 140.
        if seen.len() % 50 == 0 && round < 2 {
            round += 1;
            emu.seed_list(METHOD, items(1..=120 + round * 10));
        }
    }
    assert_eq!(
        seen,
        (1..=140).collect::<Vec<_>>(),
        "none lost, none repeated"
    );
}

#[tokio::test]
async fn export_is_exact_under_inserts_and_deletes() {
    let (emu, client) = setup(1..=200).await;
    let mut stream = pin!(client.export(
        &bitrix_rest::api::crm::item::List::new(2).filter(std::collections::BTreeMap::from([(
            "stageId".to_string(),
            json!("NEW"),
        )])),
        FastExport::new("id"),
    ));
    let mut seen = Vec::new();
    let mut changed = false;
    while let Some(item) = stream.next().await {
        seen.push(item.unwrap().id.unwrap());
        if seen.len() == 50 && !changed {
            changed = true;
            // Remove some seen (10..20) and some unseen (60..70) items; add new ones at the end.
            let now = (1..=200).filter(|id| !(10..20).contains(id) && !(60..70).contains(id));
            emu.seed_list(METHOD, items(now.chain(201..=230)));
        }
    }
    let expected: Vec<i64> = (1..=230).filter(|id| !(60..70).contains(id)).collect();
    assert_eq!(seen, expected);
    let unique: HashSet<_> = seen.iter().collect();
    assert_eq!(unique.len(), seen.len());
}

#[tokio::test]
async fn export_stops_on_a_short_page_and_counts_nothing() {
    let (emu, client) = setup(1..=100).await;
    let ids: Vec<i64> = client
        .export(
            &bitrix_rest::api::crm::item::List::new(2),
            FastExport::new("id"),
        )
        .map(|r| r.unwrap().id.unwrap())
        .collect()
        .await;
    assert_eq!(ids, (1..=100).collect::<Vec<_>>());
    // Two full pages, then an empty one ends it.
    assert_eq!(list_calls(&emu), 3);
    let (emu, client) = setup(std::iter::empty()).await;
    let n = client
        .export(
            &bitrix_rest::api::crm::item::List::new(2),
            FastExport::new("id"),
        )
        .count()
        .await;
    assert_eq!(n, 0);
    assert_eq!(list_calls(&emu), 1);
}
