//! A read of a record that does not exist, answered as real portals answer it: where the spec
//! says `missing = "empty"` (`tasks.task.get`), an empty success that decodes into an answer
//! without the record, not an error.

use bitrix_mock::{Config, Emulator};
use bitrix_rest::api::tasks::{task, TaskFields};
use bitrix_rest::Client;

#[tokio::test]
async fn a_missing_task_is_an_answer_without_the_task() {
    let emu = Emulator::start(Config::new()).await.unwrap();
    let client = Client::webhook(&emu.webhook_url()).unwrap();
    let answer = client.call(&task::Get::new(999_999)).await.unwrap();
    assert!(answer.result.task.flatten().is_none());

    let added = client
        .call(&task::Add::new(
            TaskFields::new().title("written").responsible_id(1),
        ))
        .await
        .unwrap();
    let id = added
        .result
        .task
        .flatten()
        .and_then(|t| t.id.flatten())
        .expect("the added task's ID");
    let read = client.call(&task::Get::new(id)).await.unwrap();
    let title = read.result.task.flatten().and_then(|t| t.title.flatten());
    assert_eq!(title.as_deref(), Some("written"));
}
