//! Error tables in every layout the reference uses, to `[[errors]]` rows.
//!
//! Layouts: `Code | Description | Value`, `Status | Code | Description | Value`,
//! `Code | Error Message | Description`, `Code | Description` (the description is prose, not the
//! server's text), `Code | Description | Status`; statuses given once for the page
//! ("HTTP status: 400, 403") apply to every row.
//!
//! REST 3.0 pages name a code in the text (`Error code: `BITRIX_REST_V3_...``) and list its
//! messages in a `Field | Error description | How to fix` table below it: one row per distinct
//! message. Their statuses come from the overview's table (`rest-v3.md`) or from an error example
//! of the page with that code; else the default 400.

use std::collections::BTreeMap;

use crate::markdown::{self, Block, Table};
use crate::page::Page;
use bitrix_codegen::write::spec::{ErrorRow, Spec};

/// Reads every error table of the page into `spec.errors`, leaving out system errors.
/// `v3_statuses`: the statuses of REST 3.0 codes from the overview (used for `rest = 3`).
pub fn read(
    spec: &mut Spec,
    page: &Page,
    system: &[(String, String)],
    v3_statuses: &[(String, u16)],
) {
    let section = page.section(|h| h.contains("error"));
    let blocks: Vec<&Block> = if section.is_empty() {
        page.blocks.iter().collect()
    } else {
        section.iter().collect()
    };
    // A REST 3.0 page's "HTTP status" line is the status of its example, not of every row.
    let page_statuses = if spec.rest == 3 {
        Vec::new()
    } else {
        statuses(&blocks)
    };
    let mut rows: Vec<(ErrorRow, usize)> = Vec::new();
    let mut v3_code: Option<String> = None;
    for b in &blocks {
        if spec.rest == 3 {
            if let Block::Text { text, .. } = b {
                if text.to_ascii_lowercase().contains("error code:") {
                    v3_code = markdown::code_spans(text)
                        .into_iter()
                        .next()
                        .map(|c| c.trim().to_string());
                }
            }
        }
        let Block::Table(t) = b else { continue };
        if spec.rest == 3 && t.column("field").is_some() {
            if let Some(code) = &v3_code {
                if let Some((line, what)) = &t.broken {
                    spec.todo(format!(
                        "error table at page line {line} cannot be read: {what}"
                    ));
                    continue;
                }
                let status = v3_status(code, page, v3_statuses);
                read_v3_table(t, code, status, system, &mut rows);
            }
            continue;
        }
        let empty = sends_empty_code(&blocks);
        let Some(code_col) = t.column("code") else {
            if empty && uncoded_table(t, &blocks) {
                read_uncoded_table(spec, t, &page_statuses, &mut rows);
            }
            continue;
        };
        if t.column("field").is_some() || code_col > 1 {
            continue;
        }
        if let Some((line, what)) = &t.broken {
            spec.todo(format!(
                "error table at page line {line} cannot be read: {what}"
            ));
            continue;
        }
        let statuses_as_codes = empty && codes_are_statuses(t, code_col, &blocks);
        read_table(
            spec,
            t,
            code_col,
            &page_statuses,
            (empty, statuses_as_codes),
            system,
            &mut rows,
        );
    }
    name_shared(spec, rows);
}

/// The status of a REST 3.0 code: the overview's, else that of the page's error example with
/// this code; 400 is left implicit.
fn v3_status(code: &str, page: &Page, v3_statuses: &[(String, u16)]) -> Option<u16> {
    let from_overview = v3_statuses.iter().find(|(c, _)| c == code).map(|(_, s)| *s);
    let from_example = || {
        let section = page.section(|h| h.contains("error"));
        let mut status = 400;
        for b in section {
            match b {
                Block::Text { text, .. } => {
                    if let Some(n) = crate::examples::stated_status(text, 400..=599) {
                        status = n;
                    }
                }
                Block::Code { text, .. } => {
                    let v: Option<serde_json::Value> = serde_json::from_str(text).ok();
                    let c = v.as_ref().and_then(|v| v.pointer("/error/code"));
                    if c.and_then(|c| c.as_str()) == Some(code) {
                        return Some(status);
                    }
                }
                _ => {}
            }
        }
        None
    };
    from_overview
        .or_else(from_example)
        .filter(|s| (400..=599).contains(s) && *s != 400)
}

/// One row per distinct message of a REST 3.0 `Field | Error description | How to fix` table.
fn read_v3_table(
    t: &Table,
    code: &str,
    status: Option<u16>,
    system: &[(String, String)],
    rows: &mut Vec<(ErrorRow, usize)>,
) {
    let col = t
        .header
        .iter()
        .position(|h| h.contains("description") || h.contains("message"))
        .unwrap_or(1);
    for r in &t.rows {
        // The message as the server sends it: REST 3.0 messages keep their backticks.
        let description = r
            .cells
            .get(col)
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty() && d != "-" && d != "—");
        if is_system(code, description.as_deref(), system) {
            continue;
        }
        let row = ErrorRow {
            code: code.to_string(),
            description,
            status,
            variant: None,
        };
        push_new(rows, row, r.line);
    }
}

fn read_table(
    spec: &mut Spec,
    t: &Table,
    code_col: usize,
    page_statuses: &[u16],
    (empty_code, statuses_as_codes): (bool, bool),
    system: &[(String, String)],
    rows: &mut Vec<(ErrorRow, usize)>,
) {
    let status_col = t.column("status");
    let literal_col = t
        .header
        .iter()
        .position(|h| h.contains("message") || h.contains("error text"))
        .or_else(|| {
            let d = t.column("description")?;
            let v = t.header.iter().position(|h| {
                h.starts_with("value") || h.starts_with("when") || h.contains("occurs")
            })?;
            (v > d).then_some(d)
        });
    for r in &t.rows {
        let Some(cell) = r.cells.get(code_col) else {
            continue;
        };
        let code = match markdown::code_spans(cell).into_iter().next() {
            Some(c) => c.trim().to_string(),
            None => markdown::plain(cell.lines().next().unwrap_or("")),
        };
        let mut description = literal_col
            .and_then(|c| r.cells.get(c))
            .map(|d| literal(d))
            .filter(|d| !d.is_empty());
        if literal_col.is_none() && t.header.len() >= 2 && code_col == 0 {
            // `Code` cell carrying the message on its second line, as the system table does.
            let second = cell.lines().skip(1).collect::<Vec<_>>().join(" ");
            let second = literal(&second);
            if !second.is_empty() {
                description = Some(second);
            }
            // A description that is one code span is the server's text.
            let next = r.cells.get(code_col + 1).map(|d| d.trim()).unwrap_or("");
            let spans = markdown::code_spans(next);
            if description.is_none()
                && spans.len() == 1
                && next.starts_with('`')
                && next.ends_with('`')
                && !spans[0].trim().is_empty()
            {
                description = Some(literal(next));
            }
        }
        // A status in the code column of a page whose error answer has an empty code: the
        // row is sent with an empty code and that status.
        let mut row_status = None;
        let code = if statuses_as_codes && is_status(&code) && description.is_some() {
            row_status = code.parse::<u16>().ok();
            String::new()
        } else {
            code
        };
        let code = if is_empty_code(&code) {
            // Sent as `{"error": "", "error_description": "…"}`: the server's text names the
            // row. Without it (a prose description only) there is nothing to match.
            if description.is_none() {
                spec.todo(format!(
                    "error row at page line {} has no code and no server text; left out",
                    r.line
                ));
                continue;
            }
            String::new()
        } else {
            code
        };
        let message = code.contains(char::is_whitespace) || code.len() > 80;
        // A message in the code column of a page whose error answer has an empty code: the
        // server sends the message as `error_description` with `"error": ""`.
        let (code, description) = if message && empty_code {
            (String::new(), Some(literal(cell)))
        } else {
            (code, description)
        };
        if message && !code.is_empty() {
            spec.todo(format!(
                "error row at page line {}: `{}` is not a code; left out",
                r.line,
                code.chars().take(40).collect::<String>()
            ));
            continue;
        }
        if !code.is_empty() && is_system(&code, description.as_deref(), system) {
            continue;
        }
        let status = row_status
            .or_else(|| {
                status_col
                    .and_then(|c| r.cells.get(c))
                    .and_then(|s| markdown::plain(s).trim().parse::<u16>().ok())
            })
            .or_else(|| page_status(&code, page_statuses))
            .filter(|s| (*s == 200 || (400..=599).contains(s)) && *s != 400);
        let row = ErrorRow {
            code,
            description,
            status,
            variant: None,
        };
        push_new(rows, row, r.line);
    }
}

/// A table without a code column whose first column is the server's text (`Error text`,
/// `Message`, `Error`): on a page whose error answer has an empty code, its rows are sent so.
/// A first column headed `Description` holds the server's text too when another column explains
/// it (`Description | Value`) and the page's answer carries one of its texts.
fn uncoded_table(t: &Table, blocks: &[&Block]) -> bool {
    if t.column("field").is_some() {
        return false;
    }
    let Some(first) = t.header.first() else {
        return false;
    };
    if first == "error" || first.contains("error text") || first.contains("message") {
        return true;
    }
    let norm = |s: &str| s.trim().trim_end_matches('.').trim().to_lowercase();
    let sent: Vec<String> = empty_code_texts(blocks).iter().map(|s| norm(s)).collect();
    first.starts_with("description")
        && t.header.len() >= 2
        && t.rows.iter().any(|r| {
            r.cells
                .first()
                .is_some_and(|c| sent.contains(&norm(&literal(c))))
        })
}

/// One empty-code row per distinct text of an [`uncoded_table`].
fn read_uncoded_table(
    spec: &mut Spec,
    t: &Table,
    page_statuses: &[u16],
    rows: &mut Vec<(ErrorRow, usize)>,
) {
    if let Some((line, what)) = &t.broken {
        spec.todo(format!(
            "error table at page line {line} cannot be read: {what}"
        ));
        return;
    }
    for r in &t.rows {
        let description = r.cells.first().map(|c| literal(c)).unwrap_or_default();
        if is_empty_code(&description) {
            continue;
        }
        let row = ErrorRow {
            code: String::new(),
            description: Some(description),
            status: page_status("", page_statuses).filter(|s| *s != 400),
            variant: None,
        };
        push_new(rows, row, r.line);
    }
}

/// Whether the code column holds HTTP statuses (`400`, `403`) for some rows rather than codes:
/// the page's error answer, sent with an empty code, carries the text of one of those rows (a
/// final period aside).
fn codes_are_statuses(t: &Table, code_col: usize, blocks: &[&Block]) -> bool {
    let norm = |s: &str| s.trim().trim_end_matches('.').trim().to_lowercase();
    let sent: Vec<String> = empty_code_texts(blocks).iter().map(|s| norm(s)).collect();
    t.rows.iter().any(|r| {
        let code = r.cells.get(code_col).map(|c| markdown::plain(c));
        is_status(code.as_deref().unwrap_or(""))
            && r.cells
                .get(code_col + 1)
                .is_some_and(|d| sent.contains(&norm(&literal(d))))
    })
}

/// A code cell that is an HTTP error status.
fn is_status(code: &str) -> bool {
    code.trim()
        .parse::<u16>()
        .is_ok_and(|n| (400..=599).contains(&n))
}

/// The `error_description`s of the section's error answers that have `"error": ""`.
fn empty_code_texts(blocks: &[&Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Code { text, .. } => crate::examples::json(text).or_else(|| {
                crate::examples::without_elisions(text).and_then(|t| crate::examples::json(&t))
            }),
            _ => None,
        })
        .filter(|v| v.get("error").and_then(|e| e.as_str()) == Some(""))
        .filter_map(|v| Some(v.get("error_description")?.as_str()?.to_string()))
        .collect()
}

/// Whether an error answer of the section has `"error": ""`.
fn sends_empty_code(blocks: &[&Block]) -> bool {
    blocks.iter().any(|b| match b {
        Block::Code { text, .. } => crate::examples::json(text)
            .or_else(|| {
                crate::examples::without_elisions(text).and_then(|t| crate::examples::json(&t))
            })
            .is_some_and(|v| v.get("error").and_then(|e| e.as_str()) == Some("")),
        _ => false,
    })
}

/// How the tables write "no code": an empty cell, a dash, `Empty value`, `Empty string`
/// (a stray quote after it, `Empty string"`, is a typo of the page).
fn is_empty_code(code: &str) -> bool {
    let code = code.trim_matches('"').trim();
    code.is_empty()
        || ["empty value", "empty", "empty string", "-", "—"]
            .iter()
            .any(|w| code.eq_ignore_ascii_case(w))
}

/// The server text of a cell: backticks and emphasis removed, one line; JSON escapes the
/// tables copy from answers (`\u0027`) and Markdown escapes (`\*`) read as the characters.
fn literal(cell: &str) -> String {
    let t = unescape(&markdown::plain(cell));
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `\u0027` -> `'`, `\*` -> `*`; anything else is kept as written.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let unicode = after
            .strip_prefix('u')
            .and_then(|h| h.get(..4))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        if let Some(c) = unicode {
            out.push(c);
            rest = &after[5..];
        } else if let Some(c) = after.chars().next().filter(|c| "*_`[]#|".contains(*c)) {
            out.push(c);
            rest = &after[c.len_utf8()..];
        } else {
            out.push('\\');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn is_system(code: &str, description: Option<&str>, system: &[(String, String)]) -> bool {
    system.iter().any(|(c, m)| {
        c == code
            && (!matches!(code, "ACCESS_DENIED" | "INVALID_REQUEST")
                || description.is_some_and(|d| d.eq_ignore_ascii_case(m)))
    })
}

/// Statuses stated for the whole section ("HTTP status: 400, 403").
fn statuses(blocks: &[&Block]) -> Vec<u16> {
    let mut out = Vec::new();
    for b in blocks {
        let Block::Text { text, .. } = b else {
            continue;
        };
        let lower = text.to_ascii_lowercase();
        if !lower.contains("status") || lower.contains("20x") {
            continue;
        }
        // "HTTP status: 200" heading the error section: these errors come with HTTP 200.
        let stated = lower.trim_start().starts_with("http status");
        for w in lower.split(|c: char| !c.is_ascii_digit()) {
            if let Ok(n) = w.parse::<u16>() {
                let fits = (400..=599).contains(&n) || (n == 200 && stated);
                if fits && !out.contains(&n) {
                    out.push(n);
                }
            }
        }
    }
    out
}

fn page_status(code: &str, statuses: &[u16]) -> Option<u16> {
    match statuses {
        [] => None,
        [one] => Some(*one),
        many => {
            let access = code.to_ascii_uppercase().contains("ACCESS")
                || code.to_ascii_uppercase().contains("PERMISSION")
                || code.eq_ignore_ascii_case("forbidden");
            let others: Vec<u16> = many.iter().copied().filter(|s| *s != 403).collect();
            if access && many.contains(&403) {
                Some(403)
            } else if many.contains(&400) {
                Some(400)
            } else if let [one] = others.as_slice() {
                // "200, 403": the access rows 403, the others the other status.
                Some(*one)
            } else {
                None
            }
        }
    }
}

/// Rows sharing a code need the server texts and variant names; without texts, one row is kept.
fn name_shared(spec: &mut Spec, rows: Vec<(ErrorRow, usize)>) {
    let mut by_code: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (r, _)) in rows.iter().enumerate() {
        by_code.entry(r.code.clone()).or_default().push(i);
    }
    let mut keep = vec![true; rows.len()];
    let mut rows = rows;
    // The variants rows with a code of their own get by default are taken too.
    let mut used: Vec<String> = by_code
        .iter()
        .filter(|(code, idx)| idx.len() == 1 && !code.is_empty())
        .map(|(code, _)| bitrix_codegen::names::error_variant_name(code))
        .collect();
    for (code, idx) in &by_code {
        // Rows sent without a code are told apart by their text, however many there are.
        if idx.len() < 2 && !code.is_empty() {
            continue;
        }
        let all_texts = idx.iter().all(|&i| rows[i].0.description.is_some());
        if !all_texts {
            spec.todo(format!(
                "error `{code}`: {} rows that the page does not tell apart by server text; one kept",
                idx.len()
            ));
            for &i in &idx[1..] {
                keep[i] = false;
            }
            rows[idx[0]].0.description = None;
            continue;
        }
        for &i in idx {
            let base = variant_from(rows[i].0.description.as_deref().unwrap_or(""), code);
            let mut v = base.clone();
            let mut n = 2;
            while used.contains(&v) || v == "Unknown" {
                v = format!("{base}{n}");
                n += 1;
            }
            used.push(v.clone());
            rows[i].0.variant = Some(v);
        }
    }
    spec.errors = rows
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|((r, _), _)| r)
        .collect();
}

/// PascalCase from the first words of a server text: `Command not found` -> `CommandNotFound`.
fn variant_from(text: &str, code: &str) -> String {
    let mut out = String::new();
    let text = text.replace(['\'', '\u{2019}'], "");
    for w in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
    {
        let mut c = w.chars();
        if let Some(f) = c.next() {
            out.push(f.to_ascii_uppercase());
            out.extend(c.map(|c| c.to_ascii_lowercase()));
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert_str(0, &crate::types::type_name(code));
    }
    if !out.starts_with(|c: char| c.is_ascii_uppercase()) {
        out.insert(0, 'E');
    }
    out
}

/// Adds `row` unless a row with its code and (case aside) its description is there already.
fn push_new(rows: &mut Vec<(ErrorRow, usize)>, row: ErrorRow, line: usize) {
    let lower = |d: &Option<String>| d.as_deref().map(str::to_lowercase);
    let known = rows
        .iter()
        .any(|(e, _)| e.code == row.code && lower(&e.description) == lower(&row.description));
    if !known {
        rows.push((row, line));
    }
}

/// A row is matched by its text when its code is empty or shared: where the page's error
/// example sends the row's text with a difference the table smooths over (backticks, a final
/// period, case), the example's text is the one the server sends.
pub fn align_with_examples(spec: &mut Spec) {
    rows_from_examples(spec);
    let norm = |s: &str| {
        s.replace('`', "")
            .trim()
            .trim_end_matches('.')
            .trim()
            .to_lowercase()
    };
    let sent: Vec<(String, String)> = spec
        .examples
        .iter()
        .filter(|e| e.status >= 300)
        .filter_map(|e| crate::examples::json(e.response.as_deref()?))
        .filter_map(|v| {
            let code = match v.get("error")? {
                serde_json::Value::String(c) => c.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => return None,
            };
            Some((code, v.get("error_description")?.as_str()?.to_string()))
        })
        .collect();
    for row in spec.errors.iter_mut() {
        let Some(d) = row.description.clone() else {
            continue;
        };
        if let Some((_, s)) = sent
            .iter()
            .find(|(c, s)| *c == row.code && norm(s) == norm(&d) && *s != d)
        {
            row.description = Some(s.clone());
        }
    }
}

/// A documented error answer whose code is on no row of the table (and is no system error) is
/// still a fact of the page: the method sends that code. It becomes a row of its own, with the
/// example's status, so the example stays. REST 3.0 rows are keyed by message too and are left
/// to the table.
fn rows_from_examples(spec: &mut Spec) {
    if spec.rest == 3 {
        return;
    }
    let mut new_rows: Vec<ErrorRow> = Vec::new();
    for e in spec.examples.iter().filter(|e| e.status >= 300) {
        let Some(v) = e.response.as_deref().and_then(crate::examples::json) else {
            continue;
        };
        let code = match v.get("error") {
            Some(serde_json::Value::String(c)) => c.trim().to_string(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => continue,
        };
        let plain = code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-');
        // `ERROR_CODE` is the page's placeholder, not a code.
        if code.is_empty()
            || code.eq_ignore_ascii_case("ERROR_CODE")
            || !plain
            || crate::roundtrip::is_system_code(&code)
            || spec.errors.iter().any(|r| r.code == code)
            || new_rows.iter().any(|r| r.code == code)
        {
            continue;
        }
        new_rows.push(ErrorRow {
            code,
            description: None,
            status: (e.status != 400).then_some(e.status),
            variant: None,
        });
    }
    spec.errors.extend(new_rows);
}

#[cfg(test)]
mod tests {
    use crate::page::Page;
    use bitrix_codegen::write::spec::{ErrorRow, Spec};

    fn rows(page: &str) -> (Vec<ErrorRow>, Vec<String>) {
        let page = Page::parse("demo/demo-thing-get.md", page);
        let mut spec = Spec {
            method: "demo.thing.get".into(),
            rest: 2,
            ..Spec::default()
        };
        super::read(&mut spec, &page, &[], &[]);
        (spec.errors, spec.todo)
    }

    fn empty(description: &str, variant: &str) -> ErrorRow {
        ErrorRow {
            code: String::new(),
            description: Some(description.into()),
            status: None,
            variant: Some(variant.into()),
        }
    }

    #[test]
    fn rows_sent_without_a_code_are_kept_with_the_servers_text() {
        let page = "# Get a thing\n\n## Error Handling\n\n#|\n|| **Code** | **Error text** | **Description** ||\n|| Empty value | `ID is not defined or invalid` | The ID is missing ||\n|| `-` | `Access denied` | No rights ||\n|| `ERROR_NOT_FOUND` | `Not found` | No such thing ||\n|#\n";
        let (errors, todo) = rows(page);
        assert_eq!(
            errors,
            vec![
                empty("ID is not defined or invalid", "IdIsNotDefinedOr"),
                empty("Access denied", "AccessDenied"),
                ErrorRow {
                    code: "ERROR_NOT_FOUND".into(),
                    description: Some("Not found".into()),
                    status: None,
                    variant: None,
                },
            ]
        );
        assert!(todo.is_empty(), "{todo:?}");
    }

    #[test]
    fn rows_without_a_code_and_with_one_text_are_one_row() {
        let page = "# Get a thing\n\n## Error Handling\n\n#|\n|| **Code** | **Error text** | **Description** ||\n|| Empty string | `Access denied` | No rights to read ||\n|| Empty string\" | `Access denied` | No rights to the folder ||\n|| Empty string | `access denied` | No rights at all ||\n|#\n";
        let (errors, todo) = rows(page);
        assert_eq!(errors, vec![empty("Access denied", "AccessDenied")]);
        assert!(todo.is_empty(), "{todo:?}");
    }

    #[test]
    fn messages_in_the_code_column_of_a_page_sending_an_empty_code_are_rows() {
        let page = "# Get a thing\n\n## Error Handling\n\nHTTP status: **400**\n\n```json\n{\n    \"error\": \"\",\n    \"error_description\": \"Thing not found\"\n}\n```\n\n#|\n|| **Code** | **Description** ||\n|| `Thing not found` | The thing does not exist ||\n|| `Access denied` | No rights ||\n|#\n";
        let (errors, todo) = rows(page);
        assert_eq!(
            errors,
            vec![
                empty("Thing not found", "ThingNotFound"),
                empty("Access denied", "AccessDenied"),
            ]
        );
        assert!(todo.is_empty(), "{todo:?}");
    }

    #[test]
    fn a_table_of_texts_only_on_a_page_sending_an_empty_code_is_rows_without_a_code() {
        let page = "# Get a thing\n\n## Error Handling\n\nHTTP status: **400**\n\n```json\n{\n    \"error\": \"\",\n    \"error_description\": \"Too many ids\"\n}\n```\n\n#|\n|| **Error text** | **Description** ||\n|| `Too many ids` | More than 50 ||\n|| `Thing X not found` | No such thing ||\n|#\n";
        let (errors, todo) = rows(page);
        assert_eq!(
            errors,
            vec![
                empty("Too many ids", "TooManyIds"),
                empty("Thing X not found", "ThingXNotFound"),
            ]
        );
        assert!(todo.is_empty(), "{todo:?}");
        // Without an answer sent with an empty code, nothing says how the texts are sent.
        let coded = page.replace("\"error\": \"\"", "\"error\": \"TOO_MANY\"");
        assert_eq!(rows(&coded).0, vec![]);
    }

    #[test]
    fn statuses_in_the_code_column_of_a_page_sending_an_empty_code_are_statuses() {
        let page = "# Get a thing\n\n## Error Handling\n\nHTTP status: **400**\n\n```json\n{\n    \"error\": \"\",\n    \"error_description\": \"ID is not defined or invalid.\"\n}\n```\n\n#|\n|| **Code** | **Description** | **Value** ||\n|| `403` | Access denied | No rights ||\n|| `400` | ID is not defined or invalid | No ID given ||\n|| `ERROR_NOT_FOUND` | Not found | No such thing ||\n|#\n";
        let (errors, todo) = rows(page);
        let mut denied = empty("Access denied", "AccessDenied");
        denied.status = Some(403);
        assert_eq!(
            errors,
            vec![
                denied,
                empty("ID is not defined or invalid", "IdIsNotDefinedOr"),
                ErrorRow {
                    code: "ERROR_NOT_FOUND".into(),
                    description: Some("Not found".into()),
                    status: None,
                    variant: None,
                },
            ]
        );
        assert!(todo.is_empty(), "{todo:?}");
        // The answer's text on no row: the numbers stay codes.
        let other = page.replace("ID is not defined or invalid.\"", "Something else\"");
        let codes: Vec<String> = rows(&other).0.into_iter().map(|r| r.code).collect();
        assert_eq!(codes, vec!["403", "400", "ERROR_NOT_FOUND"]);
    }

    #[test]
    fn a_description_column_of_texts_is_rows_without_a_code_when_the_answer_sends_one() {
        let page = "# Delete a thing\n\n## Error Handling\n\nHTTP status: **400**\n\n```json\n{\n    \"error\": \"\",\n    \"error_description\": \"ID is not defined or invalid.\"\n}\n```\n\n#|\n|| **Description** | **Value** ||\n|| `ID is not defined or invalid` | No ID given ||\n|| Access denied | No rights ||\n|#\n";
        let (errors, todo) = rows(page);
        assert_eq!(
            errors,
            vec![
                empty("ID is not defined or invalid", "IdIsNotDefinedOr"),
                empty("Access denied", "AccessDenied"),
            ]
        );
        assert!(todo.is_empty(), "{todo:?}");
        // The answer's text is on no row: the column may be prose.
        let other = page.replace("ID is not defined or invalid.\"", "Something else\"");
        assert_eq!(rows(&other).0, vec![]);
    }
}
