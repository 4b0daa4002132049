//! How values look on the wire: lenient numbers, `Y`/`N` flags, files, texts by language, one
//! value or a list, and the checks that run before a request is sent. Generated code reaches these through `__private`.

pub mod compare;
pub mod fields;
pub mod file;
pub mod flag;
pub mod lang_text;
pub mod lenient;
pub mod one_or_many;
pub mod query;
pub mod record;
pub mod validate;
