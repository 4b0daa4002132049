// Two folders declare the shared type `Owner` differently, and a spec names a shared type that
// does not exist: both fail the build with the file and line.
bitrix_macros::include_specs!("ui/specs/shared_differs");

fn main() {}
