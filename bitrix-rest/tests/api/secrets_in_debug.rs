//! A request printed with `{:?}` (a log line, a panic message) gives no secret away: generated
//! types print their wire form with secret-looking keys as `***`, `extra` included.

use bitrix_rest::api::imbot::v2::chat::message;

#[test]
fn a_bot_token_never_prints_in_debug() {
    let request = message::Send::new(7, "chat1")
        .bot_token("tok-s3cret")
        .with_extra("CLIENT_SECRET", "cs-s3cret");
    let printed = format!("{request:?} {request:#?}");
    assert!(!printed.contains("s3cret"), "{printed}");
    assert!(
        printed.contains("botToken") && printed.contains("***"),
        "{printed}"
    );
    assert!(
        printed.contains("chat1"),
        "other parameters still print: {printed}"
    );
}
