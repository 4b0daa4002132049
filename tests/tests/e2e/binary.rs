//! Methods answering a file (`[result] type = "binary"`): the call returns the bytes with their
//! headers as `bitrix_rest::Download`; an error answer in JSON still becomes the typed error.

use axum::extract::Json;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use bitrix_rest::{Client, Download, Error};
use serde_json::{json, Value};

mod files {
    bitrix_macros::include_specs!("specs_binary");
}
use files::vote::attached_vote::{download, Download as DownloadVote};

/// A portal whose `vote.AttachedVote.download` answers attachment 1 with a file, attachment 2 with
/// a JSON error, and anything else with an empty-code JSON error.
async fn portal() -> String {
    async fn answer(Json(body): Json<Value>) -> Response {
        match body["attachId"].as_i64() {
            Some(1) => (
                [
                    (header::CONTENT_TYPE, "text/csv"),
                    (
                        header::CONTENT_DISPOSITION,
                        "attachment; filename=\"votes.csv\"; filename*=UTF-8''vot%C3%A9s.csv",
                    ),
                ],
                b"answer;count\nyes;3\n".to_vec(),
            )
                .into_response(),
            Some(2) => (
                axum::http::StatusCode::BAD_REQUEST,
                Json(json!({"error": "ATTACH_NOT_FOUND", "error_description": "Attach not found"})),
            )
                .into_response(),
            _ => (
                axum::http::StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "text/html")],
                "<html>oops</html>",
            )
                .into_response(),
        }
    }
    let app = axum::Router::new().route("/rest/1/code/vote.AttachedVote.download", post(answer));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/rest/1/code/")
}

#[tokio::test]
async fn a_file_answer_is_a_download() {
    let client = Client::webhook(&portal().await).unwrap();
    let answer = client.call(&DownloadVote::new(1)).await.unwrap();
    let file: Download = answer.result;
    assert_eq!(file.content_type.as_deref(), Some("text/csv"));
    assert_eq!(file.file_name.as_deref(), Some("votés.csv"));
    assert_eq!(file.bytes, b"answer;count\nyes;3\n");
}

#[tokio::test]
async fn a_json_error_stays_the_typed_error() {
    let client = Client::webhook(&portal().await).unwrap();
    match client.call(&DownloadVote::new(2)).await {
        Err(Error::Method(e)) => assert_eq!(e.kind, download::Error::AttachNotFound),
        other => panic!("expected the typed error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_failed_answer_that_is_no_json_is_unexpected() {
    let client = Client::webhook(&portal().await).unwrap();
    match client.call(&DownloadVote::new(3)).await {
        Err(Error::UnexpectedResponse(u)) => assert_eq!(u.status, 400),
        other => panic!("expected an unexpected answer, got {other:?}"),
    }
}

#[tokio::test]
async fn a_file_for_a_json_method_is_unexpected() {
    let client = Client::webhook(&portal().await).unwrap();
    let raw = client
        .call_raw("vote.AttachedVote.download", json!({"attachId": 1}))
        .await;
    assert!(matches!(raw, Err(Error::UnexpectedResponse(_))), "{raw:?}");
}
