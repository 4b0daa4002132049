//! A re-import keeps what was added to an imported spec by hand: every key the importer does not
//! write (`auth`, `param_case`, `[state]` with its newer facts and sub-tables, `[[reviewed]]`,
//! descriptions), while the facts it reads from the page are rewritten.

use std::path::{Path, PathBuf};

use bitrix_specs::import::import;

fn pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages")
}

/// A fresh, empty folder in the temp dir, removed again when dropped.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let dir = std::env::temp_dir().join(format!("bitrix-specs-keep-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    Scratch(dir)
}

/// Replaces `from` (which must occur) by `to`.
fn edit(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "{from:?} not in\n{text}");
    text.replacen(from, to, 1)
}

/// Replaces the `[state]` table (up to the next table) by `state`.
fn with_state(text: &str, state: &str) -> String {
    match text.find("\n[state]\n") {
        Some(start) => {
            let rest = &text[start + 1..];
            let end = start + 1 + rest[1..].find("\n[").map(|i| i + 2).unwrap();
            format!("{}{state}\n{}", &text[..start + 1], &text[end..])
        }
        None => {
            let at = text.find("\n[").unwrap() + 1;
            format!("{}{state}\n{}", &text[..at], &text[at..])
        }
    }
}

/// Hand additions to three imported specs; each is the text that must come back unchanged.
fn hand_edits(out: &Path) -> Vec<(PathBuf, String)> {
    let mut edited = Vec::new();

    let path = out.join("demo/demo.thing.add.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = edit(
        &text,
        "scope = \"demo\"\n",
        "scope = \"demo\"\nauth = \"application\"\n",
    );
    let text = edit(
        &text,
        "origin = \"import\"\n",
        "origin = \"import\"\nparam_case = \"exact\"\nsummary = \"Adds a thing.\"\n",
    );
    let text = with_state(
        &text,
        "[state]\n# records of one store\nentity = \"demo\"\naction = \"add\"\nfields = \"fields\"\npartition_value = [\"2\"]\nanswer = \"id\"\n\n[state.defaults]\ntitle = \"New\"\nactive = \"Y\"\n\n[state.form]\nid = \"int_text\"\n",
    );
    let text = edit(
        &text,
        "name = \"options\"\ntype = \"Options\"\n",
        "name = \"options\"\ntype = \"Options\"\ndescription = \"How the thing is added.\"\ndefault = { notify = true }\n",
    );
    let text = edit(
        &text,
        "[types.Options]\n",
        "[types.Options]\ndescription = \"Switches of the call.\"\n",
    );
    let text = edit(
        &text,
        "name = \"notify\"\ntype = \"boolean\"\n",
        "name = \"notify\"\ntype = \"boolean\"\ndescription = \"Tell the owner.\"\n",
    );
    let text = edit(
        &text,
        "[result]\ntype = \"integer\"\n",
        "[result]\ntype = \"integer\"\ndescription = \"The new thing's ID.\"\n",
    );
    let text = edit(
        &text,
        "description = \"Thing exists\"\nvariant = \"ThingExists\"\n",
        "description = \"Thing exists\"\nvariant = \"ThingExists\"\nmeaning = \"A thing of that title is there already.\"\n",
    );
    let text = edit(
        &text,
        "name = \"example\"\nstatus = 200\n",
        "name = \"example\"\ndescription = \"A thing added.\"\nstatus = 200\n",
    );
    let text = format!(
        "{text}\n[[reviewed]]\ndrift = \"parameter `ids`: required is true in the reference, false in the spec\"\nwhy = \"Kept on purpose.\"\n"
    );
    edited.push((path, text));

    // A spec without the importer's `[state]`: a hand-written one with a parent and rows.
    let path = out.join("demo/demo.thing.update.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = with_state(
        &text,
        "[state]\nentity = \"demo.row\"\naction = \"set_rows\"\nparent = \"ID\"\nrows = \"FIELDS\"\n",
    );
    edited.push((path, text));

    // `now`, added where the importer writes no `[state]` at all.
    let path = out.join("core/demo.ping.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("[state]"));
    let text = with_state(&text, "[state]\naction = \"now\"\n");
    edited.push((path, text));

    let path = out.join("demo/demo.record.get.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = with_state(
        &text,
        "[state]\nentity = \"demo.record\"\naction = \"get_rows\"\npartition = [\"id\"]\n",
    );
    edited.push((path, text));
    edited
}

#[test]
fn reimport_keeps_every_key_it_does_not_write() {
    let out = scratch("keys");
    import(&pages(), &out.0, false).unwrap();
    let edited = hand_edits(&out.0);
    for (path, text) in &edited {
        std::fs::write(path, text).unwrap();
    }
    // The edited specs are valid, else the test proves nothing.
    let sources = bitrix_codegen::load_dir(&out.0).unwrap();
    let checked = bitrix_codegen::check_all(&sources);
    let problems: Vec<String> = checked.problems.iter().map(|p| p.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    let report = import(&pages(), &out.0, false).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    for (path, text) in &edited {
        let after = std::fs::read_to_string(path).unwrap();
        assert_eq!(&after, text, "{}", path.display());
    }
    assert_eq!(report.changed, 0);
}

#[test]
fn reimport_rewrites_the_facts_it_reads() {
    let out = scratch("facts");
    import(&pages(), &out.0, false).unwrap();
    let path = out.0.join("demo/demo.thing.add.toml");
    let fresh = std::fs::read_to_string(&path).unwrap();
    // A stale fact (a type) and a stale todo point, next to a hand key.
    let stale = edit(
        &fresh,
        "name = \"notify\"\ntype = \"boolean\"\n",
        "name = \"notify\"\ntype = \"string\"\ndescription = \"Tell the owner.\"\n",
    );
    let stale = edit(
        &stale,
        "todo = [\n",
        "todo = [\n    \"a point settled since\",\n",
    );
    std::fs::write(&path, &stale).unwrap();
    let report = import(&pages(), &out.0, false).unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let after = std::fs::read_to_string(&path).unwrap();
    let expected = edit(
        &fresh,
        "name = \"notify\"\ntype = \"boolean\"\n",
        "name = \"notify\"\ntype = \"boolean\"\ndescription = \"Tell the owner.\"\n",
    );
    assert_eq!(after, expected);
}

#[test]
fn merge_puts_unknown_keys_back_next_to_their_neighbours() {
    let old = "# c\nmethod = \"a.b\"\nx_new = 1\nscope = \"a\"\n\n[[params]]\nname = \"p\"\ntype = \"integer\"\nnote = [1,\n  2]\n\n[types.Kind]\nvalues = [\n    { value = \"A\", description = \"first\" },\n    { value = \"B\" },\n]\n\n[result]\ntype = \"any\"\n\n[[other]]\nk = \"v\"\n";
    let new = "# c\nmethod = \"a.b\"\nscope = \"a\"\n\n[[params]]\nname = \"p\"\ntype = \"string\"\n\n[types.Kind]\nvalues = [\n    { value = \"A\" },\n    { value = \"B\" },\n]\n\n[result]\ntype = \"any\"\n";
    let merged = bitrix_codegen::write::merge(old, new).unwrap();
    assert_eq!(
        merged,
        "# c\nmethod = \"a.b\"\nx_new = 1\nscope = \"a\"\n\n[[params]]\nname = \"p\"\ntype = \"string\"\nnote = [1,\n  2]\n\n[types.Kind]\nvalues = [\n    { value = \"A\", description = \"first\" },\n    { value = \"B\" },\n]\n\n[result]\ntype = \"any\"\n\n[[other]]\nk = \"v\"\n"
    );
    // Merging again changes nothing.
    assert_eq!(bitrix_codegen::write::merge(&merged, new).unwrap(), merged);
}
