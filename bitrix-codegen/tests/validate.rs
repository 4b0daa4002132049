//! The validator over bad specs, without a compiler in the loop: each case asserts the message,
//! the line and the column (and the hint) that `include_specs!` would report.
//!
//! The same cases are compiled by trybuild in `tests/compile-fail/ui/fail/spec_*.rs` (specs in
//! `tests/compile-fail/ui/specs/<case>/`), where the snapshots show what a user sees.

use bitrix_codegen::model::TypeKind;
use bitrix_codegen::{check_all, parse_spec, Diagnostic, Method, SpecSource};

/// The head every case starts from: a valid spec of `demo.ping` up to its parameters.
const HEAD: &str = r#"method = "demo.ping"
scope = "demo"
summary = "Answers pong."
"#;

fn check(file: &str, text: &str) -> Result<Method, Vec<Diagnostic>> {
    parse_spec(&SpecSource::new(file, text))
}

fn problems(text: &str) -> Vec<Diagnostic> {
    match check("x/demo.ping.toml", text) {
        Ok(_) => panic!("the spec passed, but it has a problem:\n{text}"),
        Err(p) => p,
    }
}

/// The only problem of `text`.
fn problem(text: &str) -> Diagnostic {
    let mut p = problems(text);
    assert_eq!(p.len(), 1, "expected one problem, got {p:#?}");
    p.remove(0)
}

#[track_caller]
fn assert_at(d: &Diagnostic, line: usize, column: usize, message: &str, help: Option<&str>) {
    assert_eq!(
        (d.line, d.column, d.message.as_str()),
        (line, column, message),
        "{d}"
    );
    if let Some(help) = help {
        assert_eq!(d.help.as_deref(), Some(help), "{d}");
    }
}

fn ok(text: &str) -> Method {
    match check("x/demo.ping.toml", text) {
        Ok(m) => m,
        Err(p) => panic!(
            "{}",
            p.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        ),
    }
}

#[test]
fn display_names_file_line_column_and_help() {
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\nextra_key = 1\n"
    ));
    assert_eq!(
        d.to_string(),
        "x/demo.ping.toml:7:1: unknown key `extra_key` in [result]\n  help: the keys allowed here are: type, description, paged, items"
    );
}

#[test]
fn toml_syntax_error() {
    let d = problem("method = \"demo.ping\"\nscope = demo\n");
    assert_at(
        &d,
        2,
        9,
        "TOML syntax error: string values must be quoted, expected literal string",
        Some("see specs/README.md for the format"),
    );
}

#[test]
fn unknown_key_with_did_you_mean() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"ID\"\ntype = \"integer\"\nrequird = true\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        8,
        1,
        "unknown key `requird` in a [[params]] entry",
        Some("did you mean `required`?"),
    );
}

#[test]
fn unknown_top_level_key_without_close_match_lists_the_keys() {
    let d = problem(&format!(
        "{HEAD}colour = \"red\"\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(&d, 4, 1, "unknown key `colour` in the spec", None);
    assert!(d
        .help
        .unwrap()
        .starts_with("the keys allowed here are: method, scope"));
}

#[test]
fn one_or_many_of_a_list_or_a_struct() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"ID\"\ntype = \"one_or_many<[integer]>\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        7,
        8,
        "`one_or_many<[integer]>`: `one_or_many` takes one plain value type (integer, double, string, date, datetime or boolean), not `[integer]`",
        Some("see the type table in specs/README.md"),
    );
    let m = ok(&format!(
        "{HEAD}\n[[params]]\nname = \"ID\"\ntype = \"one_or_many<integer>\"\n\n[[params]]\nname = \"NAME\"\ntype = \"lang_text?\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_eq!(m.params[0].ty.to_string(), "one_or_many<integer>");
    assert_eq!(m.params[1].ty.to_string(), "lang_text?");
}

#[test]
fn unknown_type_name() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"ID\"\ntype = \"integr\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        7,
        8,
        "unknown type `integr`",
        Some("did you mean `integer`?"),
    );
}

#[test]
fn unknown_type_inside_a_list() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"IDS\"\ntype = \"[strng]\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        7,
        8,
        "bad type `[strng]`: unknown type `strng`",
        Some("did you mean `string`?"),
    );
}

#[test]
fn undefined_nested_type() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"LANG\"\ntype = \"[Lang]\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(&d, 7, 8, "type `Lang` is not defined in this spec", None);
    assert!(d.help.unwrap().starts_with("declare it as `[types.Lang]`"));
}

#[test]
fn misspelt_nested_type_suggests_the_declared_one() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"LANG\"\ntype = \"Lnag\"\n\n[types.Lang]\nvalues = [{{ value = \"en\" }}]\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        7,
        8,
        "type `Lnag` is not defined in this spec",
        Some("did you mean `Lang`?"),
    );
}

#[test]
fn cycle_of_nested_types_is_reported_once() {
    let d = problem(&format!(
        r#"{HEAD}
[[params]]
name = "NODE"
type = "Node"

[types.Node]
[[types.Node.fields]]
name = "LEAF"
type = "Leaf"

[types.Leaf]
[[types.Leaf.fields]]
name = "PARENT"
type = "Node?"

[result]
type = "boolean"
"#
    ));
    assert_at(
        &d,
        9,
        8,
        "type `Node` contains itself: Node -> Leaf -> Node",
        Some("break the cycle with a list (`[T]`) or a map (`{T}`)"),
    );
}

#[test]
fn a_cycle_through_a_list_is_fine() {
    ok(&format!(
        "{HEAD}\n[types.Node]\n[[types.Node.fields]]\nname = \"CHILDREN\"\ntype = \"[Node]\"\n\n[result]\ntype = \"Node\"\n"
    ));
}

#[test]
fn duplicate_parameter() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"ID\"\ntype = \"integer\"\n\n[[params]]\nname = \"ID\"\ntype = \"string\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        10,
        8,
        "duplicate parameter `ID`",
        Some("each name may appear once; remove or rename the copy"),
    );
}

#[test]
fn two_specs_with_the_same_method_name() {
    let text = format!("{HEAD}\n[result]\ntype = \"boolean\"\n");
    let other = text.replace("\"demo\"", "\"other\"");
    let checked = check_all(&[
        SpecSource::new("specs/demo/demo.ping.toml", text),
        SpecSource::new("specs/other/demo.ping.toml", other),
    ]);
    assert_eq!(checked.methods.len(), 1);
    assert_eq!(checked.failed, ["demo.ping"]);
    assert_eq!(checked.problems.len(), 1);
    let d = &checked.problems[0];
    assert_eq!(d.file, "specs/other/demo.ping.toml");
    assert_at(
        d,
        1,
        1,
        "method `demo.ping` is already defined in specs/demo/demo.ping.toml",
        Some("each method has exactly one spec; remove one of them"),
    );
}

#[test]
fn method_name_not_matching_the_file() {
    let text = format!("{HEAD}\n[result]\ntype = \"boolean\"\n").replace("demo.ping", "demo.pong");
    let d = problem(&text);
    assert_at(
        &d,
        1,
        10,
        "method `demo.pong` is in a file named `demo.ping.toml`",
        Some("rename the file to `demo.pong.toml` or fix the name"),
    );
}

#[test]
fn invalid_method_name() {
    let text =
        format!("{HEAD}\n[result]\ntype = \"boolean\"\n").replace("demo.ping\"", "demo..ping\"");
    let d = problem(&text);
    assert_at(&d, 1, 10, "`demo..ping` is not a valid method name", None);
}

#[test]
fn batch_is_not_a_spec() {
    let text = format!("{HEAD}\n[result]\ntype = \"boolean\"\n").replace("demo.ping\"", "batch\"");
    let d = problem(&text);
    assert_at(
        &d,
        1,
        10,
        "`batch` is built into the runtime and cannot be a spec",
        Some("use `bitrix_rest::Batch` with `Client::batch`; see specs/README.md, *Methods that are not specs*"),
    );
}

#[test]
fn type_named_like_a_reference_type() {
    let d = problem(&format!(
        "{HEAD}\n[types.Kind]\nvalues = [{{ value = \"A\" }}]\n\n[types.Info]\n\n[[types.Info.fields]]\nname = \"x\"\ntype = \"string\"\n\n[types.InfoRef]\nvalues = [{{ value = \"B\" }}]\n\n[result]\ntype = \"Info\"\n"
    ));
    assert_at(
        &d,
        14,
        8,
        "type `InfoRef` is named like the batch reference type of `Info`",
        Some("rename the type; names ending in `Ref` are taken by the reference types of structs"),
    );
}

#[test]
fn missing_method_name() {
    let d =
        problem("scope = \"demo\"\nsummary = \"Answers pong.\"\n\n[result]\ntype = \"boolean\"\n");
    assert_at(
        &d,
        1,
        1,
        "the spec has no `method`",
        Some("add `method = \"scope.name\"` at the top"),
    );
}

#[test]
fn missing_scope() {
    let d = problem(
        "method = \"demo.ping\"\nsummary = \"Answers pong.\"\n\n[result]\ntype = \"boolean\"\n",
    );
    assert_at(
        &d,
        1,
        1,
        "the spec has no `scope`",
        Some("add `scope = \"…\"`, e.g. `scope = \"imbot\"`"),
    );
}

#[test]
fn missing_result() {
    let d = problem(HEAD);
    assert_at(&d, 1, 1, "the spec has no `[result]`", None);
}

#[test]
fn error_row_without_code() {
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ndescription = \"Ping refused\"\nstatus = 403\n"
    ));
    assert_at(
        &d,
        8,
        1,
        "an [[errors]] row has no `code`",
        Some("add `code = \"ERROR_CODE\"` as the server sends it"),
    );
}

#[test]
fn error_rows_sharing_a_code_need_variants() {
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ncode = \"WRONG\"\ndescription = \"a\"\n\n[[errors]]\ncode = \"WRONG\"\ndescription = \"b\"\nvariant = \"B\"\n"
    ));
    assert_at(
        &d,
        9,
        8,
        "code `WRONG` appears in several rows, so each needs its own `variant`",
        None,
    );
}

#[test]
fn error_variant_unknown_is_reserved() {
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ncode = \"UNKNOWN\"\n"
    ));
    assert_at(
        &d,
        9,
        8,
        "the error variant `Unknown` is reserved for codes the spec does not list",
        None,
    );
}

#[test]
fn empty_enum_value_list() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"COLOR\"\ntype = \"Color\"\n\n[types.Color]\ndescription = \"A color.\"\nvalues = []\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        11,
        10,
        "enum type `Color` has no values",
        Some("list the allowed values: `values = [{ value = \"…\" }]`"),
    );
}

#[test]
fn enum_value_unknown_does_not_collide_with_the_catch_all() {
    let m = ok(&format!(
        "{HEAD}\n[types.Color]\nvalues = [{{ value = \"UNKNOWN\" }}, {{ value = \"red\" }}]\n\n[result]\ntype = \"Color\"\n"
    ));
    let TypeKind::Enum { values } = &m.types[0].kind else {
        panic!("not an enum");
    };
    let variants: Vec<&str> = values.iter().map(|v| v.variant.as_str()).collect();
    assert_eq!(variants, ["UnknownValue", "Red"]);
}

#[test]
fn deprecation_replacement_that_is_not_a_method_name() {
    let d = problem(&format!(
        "{HEAD}\n[deprecated]\nreplacement = \"the v2 ping\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        6,
        15,
        "replacement `the v2 ping` is not a valid method name",
        Some("name the method to use instead, e.g. `imbot.v2.Command.update`"),
    );
}

#[test]
fn parameters_colliding_after_case_conversion() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"FIELDS\"\ntype = \"string\"\n\n[[params]]\nname = \"fields\"\ntype = \"string\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        10,
        8,
        "parameters `FIELDS` and `fields` both become `fields` in Rust",
        None,
    );
}

#[test]
fn fields_colliding_after_case_conversion() {
    let d = problem(&format!(
        "{HEAD}\n[types.Filter]\n[[types.Filter.fields]]\nname = \"entityTypeId\"\ntype = \"integer\"\n[[types.Filter.fields]]\nname = \"ENTITY_TYPE_ID\"\ntype = \"integer\"\n\n[result]\ntype = \"Filter\"\n"
    ));
    assert_at(
        &d,
        10,
        8,
        "fields `entityTypeId` and `ENTITY_TYPE_ID` both become `entity_type_id` in Rust",
        None,
    );
}

#[test]
fn keyword_names_are_not_errors() {
    let m = ok(&format!(
        "{HEAD}\n[[params]]\nname = \"type\"\ntype = \"integer\"\nrequired = true\n\n[[params]]\nname = \"match\"\ntype = \"string\"\n\n[[params]]\nname = \"ref\"\ntype = \"string\"\n\n[[params]]\nname = \"self\"\ntype = \"flag\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    let rust: Vec<&str> = m.params.iter().map(|p| p.rust.as_str()).collect();
    assert_eq!(rust, ["r#type", "r#match", "r#ref", "self_"]);
}

#[test]
fn type_named_like_the_request_type_is_fine() {
    // The request type is `app::Info`; the method's own types live in `app::info`.
    let text = "method = \"app.info\"\nscope = \"app\"\nsummary = \"Describes the app.\"\n\n[types.Info]\n[[types.Info.fields]]\nname = \"ID\"\ntype = \"integer\"\n\n[result]\ntype = \"Info\"\n";
    let m = check("x/app.info.toml", text).unwrap();
    assert_eq!(
        (m.rust.type_name.as_str(), m.rust.own.as_str()),
        ("Info", "info")
    );
}

#[test]
fn type_named_like_the_error_enum() {
    let d = problem(&format!(
        "{HEAD}\n[types.Error]\n[[types.Error.fields]]\nname = \"CODE\"\ntype = \"string\"\n\n[result]\ntype = \"Error\"\n"
    ));
    assert_at(
        &d,
        5,
        8,
        "type name `Error` is taken by the method's error enum",
        Some("rename the type, e.g. `ErrorInfo`"),
    );
}

#[test]
fn example_request_with_unknown_key() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"ID\"\ntype = \"integer\"\nrequired = true\n\n[result]\ntype = \"boolean\"\n\n[[examples]]\nname = \"ping\"\nrequest = '{{\"ID\": 1, \"COUNT\": 2}}'\nresponse = '{{\"result\": true}}'\n"
    ));
    assert_at(
        &d,
        15,
        11,
        "example `ping`: `COUNT` is not a parameter of this method",
        Some("the example request must use the spec's own parameters"),
    );
}

#[test]
fn example_request_missing_a_required_parameter() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"ID\"\ntype = \"integer\"\nrequired = true\n\n[[params]]\nname = \"TEXT\"\ntype = \"string\"\n\n[result]\ntype = \"boolean\"\n\n[[examples]]\nname = \"ping\"\nrequest = '{{\"TEXT\": \"hi\"}}'\n"
    ));
    assert_at(
        &d,
        19,
        11,
        "example `ping`: required parameter `ID` is missing",
        None,
    );
}

#[test]
fn example_request_with_a_wrong_type() {
    let d = problem(&format!(
        "{HEAD}\n[[params]]\nname = \"ID\"\ntype = \"integer\"\nrequired = true\n\n[result]\ntype = \"boolean\"\n\n[[examples]]\nname = \"ping\"\nrequest = '{{\"ID\": \"first\"}}'\n"
    ));
    assert_at(
        &d,
        15,
        11,
        "example `ping`: `ID` must be an integer, found the string \"first\"",
        None,
    );
}

#[test]
fn several_problems_of_one_spec_are_all_reported() {
    let p = problems(&format!(
        r#"{HEAD}
[[params]]
name = "ID"
type = "integr"
requird = true

[[params]]
name = "ID"
type = "string"

[[params]]
name = "LANG"
type = "Lang"

[result]
type = "boolean"

[[errors]]
description = "Ping refused"
"#
    ));
    let found: Vec<(usize, usize, &str)> = p
        .iter()
        .map(|d| (d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (7, 8, "unknown type `integr`"),
            (8, 1, "unknown key `requird` in a [[params]] entry"),
            (11, 8, "duplicate parameter `ID`"),
            (16, 8, "type `Lang` is not defined in this spec"),
            (21, 1, "an [[errors]] row has no `code`"),
        ]
    );
}

#[test]
fn a_sound_spec_with_problems_falls_back_to_what_was_understood() {
    let text = r#"method = "demo.ping"
scope = "demo"
summary = "Answers pong."

[[params]]
name = "ID"
type = "integer"
required = true

[[params]]
name = "NOTE"
type = "strng"

[result]
type = "boolean"
"#;
    let checked = bitrix_codegen::check_all(&[SpecSource::new("demo/demo.ping.toml", text)]);
    assert_eq!(checked.problems.len(), 1);
    assert!(checked.methods.is_empty());
    let fallback = &checked.fallback[0];
    let params: Vec<&str> = fallback.params.iter().map(|p| p.wire.as_str()).collect();
    assert_eq!(
        params,
        ["ID"],
        "the bad parameter is left out, the good one kept"
    );
}

#[test]
fn names_that_would_clash_in_rust_get_no_fallback() {
    let text = r#"method = "demo.ping"
scope = "demo"
summary = "Answers pong."

[types.Error]
fields = [{ name = "A", type = "string" }]

[result]
type = "boolean"
"#;
    let checked = bitrix_codegen::check_all(&[SpecSource::new("demo/demo.ping.toml", text)]);
    assert!(!checked.problems.is_empty());
    assert!(checked.fallback.is_empty());
}

const STATEFUL: &str = r#"method = "demo.ping"
scope = "demo"

[[params]]
name = "id"
type = "integer"
required = true

[result]
type = "any"

[[errors]]
code = "NOT_FOUND"
status = 404
"#;

#[test]
fn summary_is_optional_and_state_is_read() {
    let m = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\nnot_found = \"NOT_FOUND\"\n"
    ));
    assert_eq!(m.summary, None);
    let state = m.state.expect("state");
    assert_eq!(state.entity, "demo.thing");
    assert_eq!(state.action, bitrix_codegen::model::Action::Get);
    assert_eq!(state.answer, bitrix_codegen::model::Answer::Record);
    assert_eq!(state.key, "ID");
}

#[test]
fn state_names_a_missing_parameter_with_a_suggestion() {
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"idd\"\n"
    ));
    assert_at(
        &d,
        19,
        6,
        "`idd` is not a parameter of this method",
        Some("did you mean `id`?"),
    );
}

#[test]
fn state_refuses_an_unknown_action_and_an_undocumented_not_found() {
    let p = problems(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"fetch\"\nnot_found = \"GONE\"\n"
    ));
    let messages: Vec<_> = p.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "unknown action `fetch`",
            "`not_found = \"GONE\"` is no documented error code"
        ]
    );
}

#[test]
fn state_reads_rows_partitions_defaults_and_forms() {
    let m = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.row\"\naction = \"set_rows\"\nparent = \"id\"\nrows = \"id\"\npartition_value = [\"2\"]\n\n[state.form]\nPRICE = \"money\"\n"
    ));
    let st = m.state.expect("state");
    assert_eq!(st.action, bitrix_codegen::model::Action::SetRows);
    assert_eq!(st.answer, bitrix_codegen::model::Answer::True);
    assert_eq!(st.partition_value, ["2"]);
    assert_eq!(st.parent.as_deref(), Some("id"));
    assert_eq!(
        st.form.get("PRICE"),
        Some(&bitrix_codegen::model::WireForm::Money)
    );
    // `now` needs no entity; `fields = "*"` names no parameter.
    let now = ok(&format!("{STATEFUL}\n[state]\naction = \"now\"\n"));
    assert_eq!(
        now.state.map(|s| s.answer),
        Some(bitrix_codegen::model::Answer::Time)
    );
    ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"add\"\nfields = \"*\"\n\n[state.defaults]\nSTAGE_ID = \"NEW\"\n"
    ));
}

#[test]
fn state_refuses_misplaced_rows_keys_and_unknown_forms() {
    let p = problems(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get_rows\"\nrows = \"id\"\npartition = [\"id\"]\npartition_value = [\"2\"]\n\n[state.form]\nPRICE = \"cash\"\n"
    ));
    let messages: Vec<_> = p.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`rows` means nothing to this action",
            "`[state]` has both `partition` and `partition_value`",
            "unknown wire form `cash` for `PRICE`",
        ]
    );
    // Each points at its own line of the file.
    assert_eq!(p.iter().map(|d| d.line).collect::<Vec<_>>(), [19, 21, 24]);
    // A `set_rows` without `rows` empties the partition (`*.unset`).
    let unset = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"set_rows\"\nparent = \"id\"\n"
    ));
    assert_eq!(unset.state.and_then(|s| s.rows), None);
}

#[test]
fn state_reads_named_records_taken_rows_documented_lists_and_unpaged_lists() {
    let named = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"add\"\nid = \"id\"\nnamed = true\nfields = \"*\"\ntaken = \"NOT_FOUND\"\n"
    ));
    let st = named.state.expect("state");
    assert!(st.named);
    assert_eq!(st.taken.as_deref(), Some("NOT_FOUND"));
    // A named add names the parameter its name comes from, and `taken` is a documented row.
    let p = problems(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"add\"\nnamed = true\nfields = \"*\"\ntaken = \"GONE\"\n"
    ));
    let messages: Vec<_> = p.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`[state]` of this action needs `id`",
            "`taken = \"GONE\"` is no documented error row",
        ]
    );
    let p = problems(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\ntaken = \"NOT_FOUND\"\ndocumented = true\n"
    ));
    let messages: Vec<_> = p.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`taken` needs `named = true`",
            "`taken` means nothing to this action",
            "`documented` means nothing to this action",
        ]
    );
    // A list the reference shows unpaged is served unpaged; `documented` seeds it.
    let list = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.field\"\naction = \"list\"\nkey = \"name\"\ndocumented = true\n"
    ));
    assert!(list.state.expect("state").documented);
    // An upserting update names its records.
    let save = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.note\"\naction = \"update\"\nid = \"id\"\nnamed = true\nupsert = true\nfields = \"*\"\n"
    ));
    assert!(save.state.expect("state").upsert);
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.note\"\naction = \"update\"\nid = \"id\"\nupsert = true\nfields = \"*\"\n"
    ));
    assert_eq!(d.message, "`upsert` needs `named = true`");
    // Only a list answers the keys of its records.
    let keys = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"list\"\nkey = \"CODE\"\nanswer = \"keys\"\n"
    ));
    assert_eq!(
        keys.state.map(|s| s.answer),
        Some(bitrix_codegen::model::Answer::Keys)
    );
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\nanswer = \"keys\"\n"
    ));
    assert_eq!(
        d.message,
        "`answer = \"keys\"` means nothing to this action"
    );
    // Only a list answers its records keyed by their key.
    let keyed = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"list\"\nanswer = \"keyed\"\n"
    ));
    assert_eq!(
        keyed.state.map(|s| s.answer),
        Some(bitrix_codegen::model::Answer::Keyed)
    );
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"add\"\nfields = \"*\"\nanswer = \"keyed\"\n"
    ));
    assert_eq!(
        d.message,
        "`answer = \"keyed\"` means nothing to this action"
    );
    // An add fills a field it leaves out from another (`[state.copy]`); nothing else does.
    let copy = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"add\"\nfields = \"*\"\n\n[state.copy]\nprice = \"basePrice\"\n"
    ));
    assert_eq!(
        copy.state.map(|s| s.copy.get("price").cloned()),
        Some(Some("basePrice".to_string()))
    );
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\n\n[state.copy]\nprice = \"basePrice\"\n"
    ));
    assert_eq!(d.message, "`copy` means nothing to this action");
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"add\"\nfields = \"*\"\n\n[state.copy]\nprice = \"price\"\n"
    ));
    assert_eq!(d.message, "`[state.copy]` field `price` copies itself");
    // A dotted `id` names a nested parameter by its first segment.
    let nested = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"delete\"\nid = \"id.inner\"\n"
    ));
    assert_eq!(nested.state.and_then(|s| s.id).as_deref(), Some("id.inner"));
}

#[test]
fn origin_todo_and_rest_are_read() {
    let m = ok(&format!(
        "origin = \"import\"\nrest = 3\ntodo = [\"a union\"]\n{STATEFUL}"
    ));
    assert!(m.imported);
    assert_eq!(m.rest, 3);
    assert_eq!(m.todo, ["a union"]);
    let d = problem(&format!("rest = 4\n{STATEFUL}"));
    assert_at(&d, 1, 8, "`rest = 4` is no REST version", None);
}

#[test]
fn reviewed_entry_needs_a_reason() {
    ok(&format!(
        "{HEAD}\n[[reviewed]]\ndrift = \"error `X` is new in the reference\"\nwhy = \"the portal never sends it\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    let d = problem(&format!(
        "{HEAD}\n[[reviewed]]\ndrift = \"error `X` is new in the reference\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(
        &d,
        5,
        1,
        "a [[reviewed]] entry needs a non-empty `drift` line and a non-empty `why`",
        None,
    );
}

#[test]
fn auth_application_marks_a_method_webhooks_may_not_call() {
    let m = ok(&format!(
        "{HEAD}auth = \"application\"\n[result]\ntype = \"boolean\"\n"
    ));
    assert!(m.application_only);
    assert!(!ok(&format!("{HEAD}[result]\ntype = \"boolean\"\n")).application_only);
    let d = problem(&format!(
        "{HEAD}auth = \"webhook\"\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(&d, 4, 8, "`auth = \"webhook\"` is not known", None);
}

#[test]
fn no_example_says_why_a_hand_spec_keeps_none() {
    let m = ok(&format!(
        "{HEAD}no_example = \"the page's only request names its ID as placeholder text\"\n[result]\ntype = \"boolean\"\n"
    ));
    assert_eq!(
        m.no_example.as_deref(),
        Some("the page's only request names its ID as placeholder text")
    );
    let d = problem(&format!(
        "{HEAD}no_example = \" \"\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(&d, 4, 14, "`no_example` is empty", None);
    let d = problem(&format!(
        "{HEAD}origin = \"import\"\nno_example = \"x\"\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(&d, 5, 14, "`no_example` on an imported spec", None);
    let d = problem(&format!(
        "{HEAD}no_example = \"x\"\n[result]\ntype = \"boolean\"\n\n[[examples]]\nname = \"ok\"\nresponse = '{{\"result\": true}}'\n"
    ));
    assert_at(&d, 4, 14, "`no_example`, but the spec has examples", None);
}

#[test]
fn param_case_exact_marks_names_read_only_as_documented() {
    let m = ok(&format!(
        "{HEAD}param_case = \"exact\"\n[result]\ntype = \"boolean\"\n"
    ));
    assert!(m.exact_names);
    assert!(!ok(&format!("{HEAD}[result]\ntype = \"boolean\"\n")).exact_names);
    let d = problem(&format!(
        "{HEAD}param_case = \"upper\"\n[result]\ntype = \"boolean\"\n"
    ));
    assert_at(&d, 4, 14, "`param_case = \"upper\"` is not known", None);
}

#[test]
fn empty_code_rows_need_a_description_and_a_variant() {
    let m = ok(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ncode = \"\"\ndescription = \"Not found\"\nvariant = \"NotFound\"\n\n[[errors]]\ncode = \"\"\ndescription = \"Access denied\"\nvariant = \"AccessDenied\"\nstatus = 403\n"
    ));
    assert_eq!(m.errors.len(), 2);
    assert!(m.errors.iter().all(|e| e.code.is_empty() && e.shared_code));
    assert_eq!(m.errors[0].description.as_deref(), Some("Not found"));
    // Without a variant: refused at the code, with what to add.
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ncode = \"\"\ndescription = \"Not found\"\n"
    ));
    assert_at(
        &d,
        9,
        8,
        "an error `code` is empty, but the row lacks a `description` or a `variant`",
        Some("a row sent with an empty code needs the server's `error_description` as `description` and its own `variant`"),
    );
    // Without a description.
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ncode = \"\"\nvariant = \"NotFound\"\n"
    ));
    assert_eq!(
        d.message,
        "an error `code` is empty, but the row lacks a `description` or a `variant`"
    );
    // Two rows with one text (case aside): the second could never be matched.
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ncode = \"\"\ndescription = \"Not found\"\nvariant = \"NotFound\"\n\n[[errors]]\ncode = \"\"\ndescription = \"not found \"\nvariant = \"NotFound2\"\n"
    ));
    assert_at(
        &d,
        14,
        8,
        "two error rows with code `` have the description \"not found\"",
        Some("the runtime tells such rows apart by their text: merge them into one row"),
    );
    // Blank is not empty.
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ncode = \" \"\ndescription = \"x\"\nvariant = \"X\"\n"
    ));
    assert_eq!(d.message, "an error `code` is blank");
}

#[test]
fn error_rows_may_come_with_http_200() {
    let m = ok(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ncode = \"LOCKED\"\nstatus = 200\n"
    ));
    assert_eq!(m.errors[0].status, 200);
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"boolean\"\n\n[[errors]]\ncode = \"LOCKED\"\nstatus = 302\n"
    ));
    assert_eq!(d.message, "error status 302 is not an HTTP error status");
}

#[test]
fn scopes_keep_their_dots() {
    let m = ok("method = \"demo.ping\"\nscope = \"sign.b2e\"\nsummary = \"Answers pong.\"\n\n[result]\ntype = \"boolean\"\n");
    assert_eq!(m.scope, "sign.b2e");
    for bad in ["sign..b2e", ".sign", "Sign.b2e", "sign-b2e"] {
        let d = problem(&format!(
            "method = \"demo.ping\"\nscope = \"{bad}\"\nsummary = \"Answers pong.\"\n\n[result]\ntype = \"boolean\"\n"
        ));
        assert_eq!(
            d.message,
            format!("scope `{bad}` is not a valid scope name")
        );
    }
}

#[test]
fn binary_results() {
    let m = ok(&format!("{HEAD}\n[result]\ntype = \"binary\"\n"));
    assert!(m.result.binary);
    let d = problem(&format!(
        "{HEAD}\n[result]\ntype = \"binary\"\npaged = true\n"
    ));
    assert_eq!(d.message, "a `binary` result cannot be `paged`");
    // Only a result type: a field of that type is unknown.
    let p = problems(&format!(
        "{HEAD}\n[[params]]\nname = \"FILE\"\ntype = \"binary\"\n\n[result]\ntype = \"boolean\"\n"
    ));
    assert!(!p.is_empty());
}

#[test]
fn state_reads_strict_filter_and_the_caller_id() {
    let paged = STATEFUL.replace("type = \"any\"\n", "type = \"any\"\npaged = true\n");
    let list = ok(&format!(
        "{paged}\n[state]\nentity = \"demo.thing\"\naction = \"list\"\nstrict_filter = true\n"
    ));
    assert!(list.state.expect("state").strict_filter);
    // `$caller` names the calling user's record, no parameter.
    let me = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"$caller\"\n"
    ));
    assert_eq!(me.state.and_then(|s| s.id).as_deref(), Some("$caller"));
    let p = problems(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\nstrict_filter = true\n"
    ));
    let messages: Vec<_> = p.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["`strict_filter` means nothing to this action"]);
    // Rows kept by owner: only nested-row actions read `owner_type`.
    let rows = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.row\"\naction = \"get_rows\"\nparent = \"id\"\nowner_type = \"D\"\n"
    ));
    assert_eq!(rows.state.and_then(|s| s.owner_type).as_deref(), Some("D"));
    let p = problems(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\nowner_type = \"D\"\n"
    ));
    let messages: Vec<_> = p.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages, ["`owner_type` means nothing to this action"]);
}

#[test]
fn aliases_name_old_spellings_no_other_parameter_takes() {
    let params = |aliases: &str| {
        format!(
            "{HEAD}\n[[params]]\nname = \"taskId\"\ntype = \"integer\"\naliases = {aliases}\n\n[[params]]\nname = \"select\"\ntype = \"[string]\"\n\n[result]\ntype = \"boolean\"\n"
        )
    };
    let m = ok(&params("[\"id\"]"));
    assert_eq!(m.params[0].aliases, ["id"]);
    assert!(m.params[1].aliases.is_empty());
    // Another parameter's name, in any case: a portal that reads any case finds both there.
    let d = problem(&params("[\"SELECT\"]"));
    assert_at(
        &d,
        8,
        12,
        "alias `SELECT` of `taskId` clashes with `select`",
        Some("a name may read one parameter only; remove the alias, or check which parameter the portal reads under it"),
    );
    // Read exactly, `SELECT` is another name.
    let exact = params("[\"SELECT\"]").replacen("summary", "param_case = \"exact\"\nsummary", 1);
    assert_eq!(ok(&exact).params[0].aliases, ["SELECT"]);
    // Twice the same alias, and the parameter's own name.
    let d = problem(&params("[\"id\", \"ID\"]"));
    assert_at(
        &d,
        8,
        18,
        "alias `ID` of `taskId` clashes with `taskId`",
        None,
    );
    let d = problem(&params("[\"TASKID\"]"));
    assert_at(
        &d,
        8,
        12,
        "alias `TASKID` is the parameter's own name",
        Some("a portal reads any case of the name already; leave it out"),
    );
    // Not on a type's fields, and only strings.
    let d = problem(&format!(
        "{HEAD}\n[types.Item]\nfields = [{{ name = \"taskId\", type = \"integer\", aliases = [\"id\"] }}]\n\n[result]\ntype = \"Item\"\n"
    ));
    assert_eq!(d.message, "a field of `Item` has `aliases`");
    let d = problem(&params("[5]"));
    assert!(d.message.contains("aliases"), "{d}");
}

#[test]
fn state_reads_settings_and_refuses_misplaced_pick() {
    use bitrix_codegen::model::{Action, Answer};
    let set = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.option\"\naction = \"set_values\"\nfields = \"*\"\n"
    ));
    let st = set.state.expect("state");
    assert_eq!((st.action, st.answer), (Action::SetValues, Answer::True));
    let get = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.option\"\naction = \"get_values\"\npick = \"STATUS\"\ndocumented = true\n"
    ));
    let st = get.state.expect("state");
    assert_eq!((st.action, st.answer), (Action::GetValues, Answer::Record));
    assert_eq!(st.pick.as_deref(), Some("STATUS"));
    assert!(st.documented);
    // The parameter asking for one setting is a parameter of the method.
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.option\"\naction = \"get_values\"\nid = \"option\"\n"
    ));
    assert_eq!(d.message, "`option` is not a parameter of this method");
    // A set names where its settings come from.
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.option\"\naction = \"set_values\"\n"
    ));
    assert_eq!(d.message, "`[state]` of this action needs `fields`");
    // `pick` is a get_values' own, not beside `id`, and not empty.
    let p = problems(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.option\"\naction = \"get\"\nid = \"id\"\npick = \"\"\n"
    ));
    let messages: Vec<_> = p.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`pick` means nothing to this action",
            "`pick` is empty",
            "`[state]` has both `id` and `pick`",
        ]
    );
    assert_eq!(p[0].line, 20);
}

#[test]
fn a_missing_record_may_be_an_empty_success_of_a_get_only() {
    let get = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\nmissing = \"empty\"\n"
    ));
    assert!(get.state.expect("state").missing_empty);
    let plain = ok(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\n"
    ));
    assert!(!plain.state.expect("state").missing_empty);
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\nmissing = \"null\"\n"
    ));
    assert_eq!(d.message, "`missing = \"null\"` is not a known answer");
    assert_eq!(d.line, 20, "the `missing` line");
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"delete\"\nid = \"id\"\nmissing = \"empty\"\n"
    ));
    assert_eq!(d.message, "`missing` is for a `get`");
    let d = problem(&format!(
        "{STATEFUL}\n[state]\nentity = \"demo.thing\"\naction = \"get\"\nid = \"id\"\nnot_found = \"NOT_FOUND\"\nmissing = \"empty\"\n"
    ));
    assert_eq!(
        d.message,
        "`missing = \"empty\"` and `not_found` say two answers for a missing ID"
    );
}
