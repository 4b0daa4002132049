//! Issue 14.10: calls, tries, pacing waits, retries and renewals are traced, and no secret is.
//! One test alone in its binary: tracing caches which call sites are enabled process-wide, so a
//! capturing subscriber shares a process badly with tests that run without one.

use std::time::Duration;

use bitrix_mock::{Config, Emulator, Fault};
use bitrix_rest::{Client, RetryPolicy};
use serde_json::json;

#[path = "e2e/common/mod.rs"]
mod common;

mod capture {
    //! A subscriber that writes every span and event, with their fields, into one string.

    use std::fmt::Write;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Clone, Default)]
    pub struct Capture {
        pub out: Arc<Mutex<String>>,
        next: Arc<AtomicU64>,
    }

    struct Fields<'a>(&'a mut String);

    impl Visit for Fields<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, " {}={:?}", field.name(), value);
        }
    }

    impl Subscriber for Capture {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut out = self.out.lock().unwrap();
            let _ = write!(
                out,
                "\nspan {} {}",
                span.metadata().target(),
                span.metadata().name()
            );
            span.record(&mut Fields(&mut out));
            Id::from_u64(self.next.fetch_add(1, Ordering::SeqCst) + 1)
        }
        fn record(&self, _: &Id, values: &Record<'_>) {
            values.record(&mut Fields(&mut self.out.lock().unwrap()));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut out = self.out.lock().unwrap();
            let _ = write!(out, "\nevent {}", event.metadata().target());
            event.record(&mut Fields(&mut out));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test]
async fn traces_show_calls_retries_and_renewals_but_no_secret() {
    let capture = capture::Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());
    let emu = Emulator::start(Config::new()).await.unwrap();
    let before = emu.credentials();
    let hook = Client::builder()
        .retry(RetryPolicy {
            max_tries: 3,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(5),
            max_operating_wait: Duration::from_secs(600),
        })
        .webhook(&emu.webhook_url())
        .unwrap();
    emu.inject(Fault::Status503, 1);
    hook.call_raw("profile", json!({})).await.unwrap();
    let oauth = Client::oauth(common::oauth(&emu)).unwrap();
    emu.expire_access_token();
    oauth.call_raw("profile", json!({})).await.unwrap();
    let after = emu.credentials();
    let text = capture.out.lock().unwrap().clone();
    for wanted in [
        "bitrix_call",
        "method=\"profile\"",
        "attempt=2",
        "QUERY_LIMIT_EXCEEDED",
        "retry",
        "renewing",
        "renewed",
    ] {
        assert!(text.contains(wanted), "{wanted} missing from {text}");
    }
    for secret in [
        &before.webhook_code,
        &before.access_token,
        &before.refresh_token,
        &after.access_token,
        &after.refresh_token,
        &before.client_secret,
    ] {
        assert!(!text.contains(secret.as_str()), "a secret in {text}");
    }
}
