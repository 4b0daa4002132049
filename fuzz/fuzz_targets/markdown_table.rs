//! The importer's Markdown reader (blocks, Diplodoc tables, links, code spans) on arbitrary text:
//! blocks, never a panic.
#![no_main]

use bitrix_specs::markdown::{self, Block};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for block in markdown::blocks(text) {
        if let Block::Table(table) = block {
            let _ = table.column("name");
            for cell in table.rows.iter().flat_map(|r| &r.cells) {
                let _ = markdown::links(cell);
                let _ = markdown::code_spans(cell);
                let _ = markdown::plain(cell);
            }
        }
    }
    // A table may also start on a line the block reader would not look at.
    let lines: Vec<&str> = text.lines().collect();
    if let Some(start) = lines.iter().position(|l| l.trim_start().starts_with("#|")) {
        let (_, next) = markdown::table::parse(&lines, start);
        // The block reader continues at `next`: it must move on, or it would loop forever.
        assert!(next > start, "table end {next} not after its start {start}");
    }
});
