// A batch reference follows the earlier command's result type: `imbot.bot.list` answers bots
// by ID, and a bot has an `ID`, not a `BOT_ID`.
#![allow(deprecated)]
use bitrix_rest::Batch;

fn main() {
    let mut batch = Batch::new();
    let list = batch.add("list", &bitrix_rest::api::imbot::bot::List::new()).unwrap();
    let _ = list.result().key("100").bot_id();
}
