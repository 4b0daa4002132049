//! Helpers shared by the HTTP tests: plain reqwest calls that return (status, JSON).

#![allow(dead_code)]

use serde_json::Value;

/// POSTs a JSON body.
pub async fn post_json(url: &str, body: &Value) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(url)
        .json(body)
        .send()
        .await
        .expect("request sent");
    decode(resp).await
}

/// POSTs a raw body with a content type (form bodies).
pub async fn post_raw(url: &str, content_type: &str, body: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(url)
        .header("content-type", content_type)
        .body(body.to_string())
        .send()
        .await
        .expect("request sent");
    decode(resp).await
}

/// GETs a URL.
pub async fn get(url: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .get(url)
        .send()
        .await
        .expect("request sent");
    decode(resp).await
}

async fn decode(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body read");
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

/// Asserts an error answer.
pub fn assert_error(answer: &(u16, Value), status: u16, code: &str) {
    assert_eq!(answer.0, status, "{}", answer.1);
    assert_eq!(answer.1["error"], code, "{}", answer.1);
    assert!(answer.1["error_description"].is_string(), "{}", answer.1);
}

/// The eight keys of a method answer's `time`.
pub const TIME_KEYS: [&str; 8] = [
    "start",
    "finish",
    "duration",
    "processing",
    "date_start",
    "date_finish",
    "operating",
    "operating_reset_at",
];
