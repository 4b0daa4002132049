// A REST 3.0 filter follows the object's type: a bot's `ID` is an integer, so comparing it with
// text does not compile, and a field the type lacks has no method to pick it.
use bitrix_rest::api::imbot::bot::list::Bot;
use bitrix_rest::v3::{Filter, Select};

fn main() {
    let _ = Filter::<Bot>::new().eq(|b| b.id(), "seven");
    let _ = Select::<Bot>::new().field(|b| b.bot_id());
}
