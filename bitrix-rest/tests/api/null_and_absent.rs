//! On an optional field whose type is nullable, `null` and a missing key mean different things
//! ("remove the attachment" and "leave it as it is"); both survive decoding and encoding.

#![allow(deprecated)]
use serde_json::json;

#[test]
fn null_clears_and_absent_leaves() {
    let clear = bitrix_rest::api::imbot::message::Update::new(5)
        .attach(None::<bitrix_rest::api::imbot::message::update::Attach>);
    assert_eq!(clear.attach, Some(bitrix_rest::Arg::Value(None)));
    assert_eq!(
        serde_json::to_value(&clear).unwrap(),
        json!({"MESSAGE_ID": 5, "ATTACH": null})
    );

    let leave = bitrix_rest::api::imbot::message::Update::new(5).message("new text");
    assert_eq!(leave.attach, None);
    assert_eq!(
        serde_json::to_value(&leave).unwrap(),
        json!({"MESSAGE_ID": 5, "MESSAGE": "new text"})
    );

    for body in [
        json!({"MESSAGE_ID": 5, "ATTACH": null}),
        json!({"MESSAGE_ID": "5", "MESSAGE": "x"}),
    ] {
        let typed: bitrix_rest::api::imbot::message::Update =
            serde_json::from_value(body.clone()).unwrap();
        let mut expected = body;
        expected["MESSAGE_ID"] = json!(5); // a quoted ID decodes as a number
        assert_eq!(serde_json::to_value(&typed).unwrap(), expected);
    }
}

#[test]
fn decode_errors_name_the_field_and_keep_unknown_keys() {
    let err = serde_json::from_value::<bitrix_rest::api::imbot::message::Update>(
        json!({"MESSAGE_ID": "five"}),
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("`MESSAGE_ID`: "), "{err}");
    let missing =
        serde_json::from_value::<bitrix_rest::api::imbot::message::Update>(json!({})).unwrap_err();
    assert_eq!(missing.to_string(), "missing field `MESSAGE_ID`");
    let typed: bitrix_rest::api::imbot::message::Update =
        serde_json::from_value(json!({"MESSAGE_ID": 1, "UF_NEW": [1, 2]})).unwrap();
    assert_eq!(typed.extra.get("UF_NEW"), Some(&json!([1, 2])));
}
