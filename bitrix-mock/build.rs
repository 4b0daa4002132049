//! Embeds the specs and the event specs (`bitrix_codegen::build`): the emulator answers the
//! specs it was built with and raises the events they describe.
fn main() {
    bitrix_codegen::build::embed_specs();
    bitrix_codegen::build::embed_events();
}
