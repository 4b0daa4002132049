// Error enums are `#[non_exhaustive]`: a spec may document new codes later, so a `match` outside
// the SDK needs a wildcard arm.
use bitrix_rest::api::imbot::ImbotCommandUpdateError;

fn describe(error: &ImbotCommandUpdateError) -> &'static str {
    match error {
        ImbotCommandUpdateError::CommandIdError => "no such command",
        ImbotCommandUpdateError::AppIdError => "another application's command",
        ImbotCommandUpdateError::EventCommandAddError => "bad handler address",
        ImbotCommandUpdateError::EmptyFields => "nothing to change",
        ImbotCommandUpdateError::UpdateFailed => "not saved",
        ImbotCommandUpdateError::Unknown(_) => "something else",
    }
}

fn main() {
    let _ = describe;
}
