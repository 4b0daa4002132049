// A batch reference is typed after the field it points to: a bot's `NAME` is text, and
// `BOT_ID` takes an integer (or a reference to one).
#![allow(deprecated)]
use bitrix_rest::api::imbot::{self, bot, command};
use bitrix_rest::Batch;

fn main() {
    let mut batch = Batch::new();
    let list = batch.add("list", &bot::List::new()).unwrap();
    let lang = [imbot::CommandLang::new("en", "Echo")];
    let name = list.result().key("100").name();
    let _ = command::Register::new(name, "echo", "https://example.com/c", lang);
}
