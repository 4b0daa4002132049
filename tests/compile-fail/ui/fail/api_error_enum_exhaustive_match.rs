// Error enums are `#[non_exhaustive]`: a spec may document new codes later, so a `match` outside
// the SDK needs a wildcard arm.
use bitrix_rest::api::imbot::command;

fn describe(error: &command::update::Error) -> &'static str {
    match error {
        command::update::Error::CommandId => "no such command",
        command::update::Error::AppId => "another application's command",
        command::update::Error::EventCommandAdd => "bad handler address",
        command::update::Error::EmptyFields => "nothing to change",
        command::update::Error::UpdateFailed => "not saved",
        command::update::Error::Unknown(_) => "something else",
    }
}

fn main() {
    let _ = describe;
}
