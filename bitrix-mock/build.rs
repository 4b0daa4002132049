//! Embeds the specs (`bitrix_codegen::build::embed_specs`): the emulator answers the specs it was built with.
fn main() {
    bitrix_codegen::build::embed_specs();
}
