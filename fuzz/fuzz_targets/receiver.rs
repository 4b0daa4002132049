//! The event `Receiver` on arbitrary deliveries: an `EventError` or an event, never a panic.
//! Input: one byte choosing the content type, then the body. The receiver's token is `app`, so
//! that seeds (and mutations of them) get past verification into the decoding of `data`.
#![no_main]

use bitrix_runtime::events::Receiver;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let (content_type, body): (Option<String>, &[u8]) = match selector % 6 {
        0 => (None, rest),
        1 => (Some("application/x-www-form-urlencoded".into()), rest),
        2 => (Some("application/json".into()), rest),
        3 => (Some("application/json; charset=utf-8".into()), rest),
        4 => (Some("text/plain".into()), rest),
        // The first line is the content type as sent.
        _ => {
            let cut = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
            let ct = String::from_utf8_lossy(&rest[..cut]).into_owned();
            (Some(ct), rest.get(cut + 1..).unwrap_or_default())
        }
    };
    let receiver = Receiver::new("app");
    match receiver.receive(content_type.as_deref(), body) {
        Ok(incoming) => {
            let _ = format!("{incoming:?}");
        }
        Err(e) => {
            let _ = (e.status(), e.to_string());
        }
    }
});
