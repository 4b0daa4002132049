//! REST 2 `filter` typed as `conditions<T>`: conditions built from the listed record's fields go
//! over the wire as the portal's prefixed keys, and the emulator's list answers exactly the
//! records they select.

#![allow(deprecated)]

use bitrix_mock::{Config, Emulator};
use bitrix_rest::api::crm::deal;
use bitrix_rest::{Client, Compare, Conditions};

async fn add(client: &Client, title: &str, amount: f64, stage: &str) -> i64 {
    let fields = deal::add::Fields::new()
        .title(title)
        .opportunity(amount)
        .stage_id(stage);
    client
        .call(&deal::Add::new().fields(fields))
        .await
        .unwrap()
        .result
}

async fn titles(client: &Client, filter: Conditions<bitrix_rest::api::crm::Deal>) -> Vec<String> {
    let list = deal::List::new()
        .filter(filter)
        .select(vec!["ID".to_string(), "TITLE".to_string()]);
    let mut out: Vec<String> = client
        .call(&list)
        .await
        .unwrap()
        .result
        .into_iter()
        .filter_map(|d| d.title.flatten())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn typed_conditions_select_the_records_they_name() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    let small = add(&client, "small", 100.0, "NEW").await;
    add(&client, "middle", 5_000.0, "PREPARATION").await;
    let large = add(&client, "large", 20_000.0, "WON").await;
    add(&client, "marble", 7_000.0, "NEW").await;

    let c = || Conditions::<bitrix_rest::api::crm::Deal>::new();
    assert_eq!(
        titles(&client, c().ge(|d| d.opportunity(), 5_000.0)).await,
        ["large", "marble", "middle"]
    );
    assert_eq!(
        titles(
            &client,
            c().ge(|d| d.opportunity(), 5_000.0)
                .lt(|d| d.opportunity(), 20_000.0)
        )
        .await,
        ["marble", "middle"]
    );
    assert_eq!(
        titles(&client, c().is_in(|d| d.id(), [small, large])).await,
        ["large", "small"]
    );
    assert_eq!(
        titles(&client, c().not_in(|d| d.stage_id(), ["NEW", "WON"])).await,
        ["middle"]
    );
    assert_eq!(
        titles(&client, c().like(|d| d.title(), "m%")).await,
        ["marble", "middle"]
    );
    assert_eq!(
        titles(&client, c().contains(|d| d.title(), "arg")).await,
        ["large"]
    );
    assert_eq!(
        titles(
            &client,
            c().ne(|d| d.stage_id(), "NEW")
                .field(Compare::Gt, "OPPORTUNITY", 10_000)
        )
        .await,
        ["large"]
    );
    // A condition with nothing to match answers no records, not all of them.
    assert!(titles(&client, c().eq(|d| d.stage_id(), "LOSE"))
        .await
        .is_empty());
}
