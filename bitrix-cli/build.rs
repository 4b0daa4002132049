//! Embeds the specs (`bitrix_codegen::build::embed_specs`): `b24` describes and checks methods without the file system.
fn main() {
    bitrix_codegen::build::embed_specs();
}
