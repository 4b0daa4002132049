//! One application on 100 emulated portals (SQLite): every portal installs it, 10,000 new deals
//! across them are each answered once on the right portal, and uninstalling one portal removes
//! its data and nothing else.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use bitrix_app::Status;
use bitrix_mock::Cloud;
use tokio::sync::Semaphore;

const PORTALS: usize = 100;
const DEALS_PER_PORTAL: usize = 100;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_portals_ten_thousand_events_one_uninstall() {
    let mut cloud = Cloud::start(PORTALS, common::portal_config())
        .await
        .unwrap();
    let (db, _dir) = common::sqlite().await;
    let served = common::serve(&mut cloud, db.clone(), true).await;
    let cloud = Arc::new(cloud);

    // Install everywhere, a few portals at a time.
    let gate = Arc::new(Semaphore::new(8));
    let mut installs = Vec::new();
    for i in 0..PORTALS {
        let (cloud, gate) = (cloud.clone(), gate.clone());
        installs.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            cloud.install(i).await.unwrap()
        }));
    }
    for (i, h) in installs.into_iter().enumerate() {
        let report = h.await.unwrap();
        assert!(report.ok(), "portal {i}: {report:?}");
    }
    let accounts = db.accounts().await.unwrap();
    assert_eq!(accounts.len(), PORTALS);
    assert!(accounts
        .iter()
        .all(|a| a.status == Status::Active && a.application_token.is_some()));
    for p in cloud.portals() {
        let events: BTreeSet<String> = p.bindings().into_iter().map(|b| b.event).collect();
        assert_eq!(
            events,
            ["ONAPPINSTALL", "ONAPPUNINSTALL", "ONCRMDEALADD"]
                .map(String::from)
                .into()
        );
    }

    // 10,000 deals, portals interleaved; every delivery must be answered 200.
    let gate = Arc::new(Semaphore::new(16));
    let mut adds = Vec::new();
    for i in 0..PORTALS {
        let (cloud, gate) = (cloud.clone(), gate.clone());
        adds.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for n in 0..DEALS_PER_PORTAL {
                let _permit = gate.acquire().await.unwrap();
                let p = cloud.portal(i);
                let (id, reports) = p
                    .add_deal(&format!("deal {n} of {}", p.member_id()))
                    .await
                    .unwrap();
                assert_eq!(reports.len(), 1);
                assert_eq!(reports[0].status, 200, "portal {i}: {}", reports[0].body);
                ids.push(id as i64);
            }
            ids
        }));
    }
    let mut sent: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for (i, h) in adds.into_iter().enumerate() {
        sent.insert(
            cloud.portal(i).member_id().to_string(),
            h.await.unwrap().into_iter().collect(),
        );
    }

    // 0 lost, 0 under the wrong portal: every (portal, deal) handled exactly once, and the
    // answer written on the portal the deal was added on.
    let handled = served.recorder.handled.lock().unwrap().clone();
    assert_eq!(handled.len(), PORTALS * DEALS_PER_PORTAL);
    let wrong = handled
        .iter()
        .filter(|h| h.context_member != h.delivery_member)
        .count();
    assert_eq!(wrong, 0);
    let mut got: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    for h in &handled {
        assert!(
            got.entry(h.context_member.clone())
                .or_default()
                .insert(h.deal),
            "{h:?} twice"
        );
    }
    assert_eq!(got, sent);
    for p in cloud.portals() {
        let expected = format!("seen by {}", p.member_id());
        let records = p.emulator().records("crm");
        let answered = records
            .iter()
            .filter(|r| r["COMMENTS"] == expected.as_str())
            .count();
        assert_eq!(answered, DEALS_PER_PORTAL, "portal {}", p.member_id());
        let counted = db.data(p.member_id(), "deals").await.unwrap();
        assert_eq!(counted.as_deref(), Some("100"));
    }

    // Uninstall portal 7 with CLEAN=1: its account and data go, the 99 others stay whole.
    let gone = cloud.portal(7);
    let reports = gone.uninstall(true).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].status, 200, "{}", reports[0].body);
    assert!(db.account(gone.member_id()).await.unwrap().is_none());
    assert_eq!(db.data_count(gone.member_id()).await.unwrap(), 0);
    assert!(db.domains(gone.member_id()).await.unwrap().is_empty());
    let rest = db.accounts().await.unwrap();
    assert_eq!(rest.len(), PORTALS - 1);
    for a in &rest {
        assert_eq!(a.status, Status::Active);
        assert_eq!(
            db.data_count(&a.member_id).await.unwrap(),
            2,
            "{}",
            a.member_id
        );
    }
    assert!(served.app.portal(gone.member_id()).await.is_err());
    assert_eq!(
        served.recorder.uninstalled.lock().unwrap().as_slice(),
        &[(gone.member_id().to_string(), true)]
    );
}
