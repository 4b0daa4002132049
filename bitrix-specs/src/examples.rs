//! Examples: the request body of the webhook cURL example (`-d '...'`), the success answer and
//! the error answers, each with the HTTP status the page shows before it.

use serde_json::Value;

use crate::markdown::Block;
use crate::page::Page;
use bitrix_codegen::write::spec::{Example, Spec};

/// Reads the examples of a page into `spec.examples`.
pub fn read(spec: &mut Spec, page: &Page) {
    let calls = if spec.rest == 3 {
        &page.v3_methods
    } else {
        &page.curl_methods
    };
    let calls_other = !calls.is_empty()
        && !calls
            .iter()
            .any(|(m, _)| m.eq_ignore_ascii_case(&spec.method));
    let request = if calls_other {
        let (other, line) = &calls[0];
        spec.todo(format!(
            "the cURL example (page line {line}) calls `{other}`; its request is left out"
        ));
        None
    } else {
        request(spec, page)
    };
    let success = answers(spec, page, false).into_iter().next();
    if request.is_some() || success.is_some() {
        let (status, response) = match success {
            Some((s, r)) => (s, Some(r)),
            None => (200, None),
        };
        spec.examples.push(Example {
            name: "example".into(),
            request,
            status,
            response,
        });
    }
    for (i, (status, response)) in answers(spec, page, true).into_iter().enumerate() {
        spec.examples.push(Example {
            name: if i == 0 {
                "error".into()
            } else {
                format!("error_{}", i + 1)
            },
            request: None,
            status,
            response: Some(response),
        });
    }
}

/// The parsed JSON of an example text, if it is JSON.
pub fn json(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok()
}

/// The webhook cURL example's body as JSON, if it is JSON.
pub fn request_json(page: &Page) -> Option<Value> {
    let mut scratch = Spec::default();
    request(&mut scratch, page).and_then(|t| json(&t))
}

fn request(spec: &mut Spec, page: &Page) -> Option<String> {
    let mut curls: Vec<(&str, usize)> = page
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Code { text, line, .. } if text.contains("curl") && text.contains("-d") => {
                Some((text.as_str(), *line))
            }
            _ => None,
        })
        .collect();
    // The webhook example first: it carries no `auth` key.
    curls.sort_by_key(|(t, _)| !t.contains("webhook"));
    let (text, line) = curls.first()?;
    let body = data_arg(text)?;
    let Some(mut value) = json(&body) else {
        spec.todo(format!(
            "request example at page line {line} is not valid JSON; left out"
        ));
        return None;
    };
    match value.as_object_mut() {
        Some(map) if map.contains_key("auth") => {
            map.remove("auth");
            serde_json::to_string(&value).ok()
        }
        Some(_) => Some(body.trim().to_string()),
        None => {
            spec.todo(format!(
                "request example at page line {line} is not a JSON object; left out"
            ));
            None
        }
    }
}

/// The text of `-d '...'` in a cURL command.
pub fn data_arg(text: &str) -> Option<String> {
    let at = text.find("-d '").map(|p| p + 4).or_else(|| {
        text.find("--data '")
            .map(|p| p + 8)
            .or_else(|| text.find("--data-raw '").map(|p| p + 12))
    })?;
    let tail = &text[at..];
    // The closing quote is the one followed by a line continuation, a new line or the end.
    let mut end = None;
    for (i, c) in tail.char_indices() {
        if c == '\'' {
            let after = tail[i + 1..].trim_start_matches([' ', '\t']);
            if after.is_empty()
                || after.starts_with('\n')
                || after.starts_with('\\')
                || after.starts_with('/')
                || after.starts_with("http")
            {
                end = Some(i);
                break;
            }
        }
    }
    Some(tail[..end?].to_string())
}

/// JSON answers in the response section (`errors` false) or the error section (`errors` true).
fn answers(spec: &mut Spec, page: &Page, errors: bool) -> Vec<(u16, String)> {
    let section = page.section(|h| {
        if errors {
            h.contains("error")
        } else {
            (h.contains("response") || h.contains("success") || h.contains("returned"))
                && !h.contains("error")
        }
    });
    let key = if errors { "error" } else { "result" };
    let mut status: u16 = if errors { 400 } else { 200 };
    let mut out = Vec::new();
    // Some pages show only the value of `result` (no envelope): the first such block, kept in
    // case the section has no full answer.
    let mut bare: Option<(u16, Value)> = None;
    for b in section {
        match b {
            Block::Text { text, .. } => {
                // "HTTP status: 160, 400" over an error answer: no answer comes with a 1xx
                // status, so the list's next one is the example's.
                let error_status = errors.then(|| stated_status(text, 200..=599)).flatten();
                if let Some(n) = error_status.or_else(|| stated_status(text, 100..=599)) {
                    status = n;
                }
            }
            Block::Code { lang, text, line } if lang.starts_with("json") || lang.is_empty() => {
                let raw = text.as_str();
                // Elisions (`...`, `// more items`) are dropped; the rest is the page's JSON.
                let (text, elided) = match json(text) {
                    Some(_) => (text.clone(), false),
                    None => match without_elisions(text) {
                        Some(t) => (t, true),
                        None => (text.clone(), false),
                    },
                };
                let Some(v) = json(&text) else {
                    if lang.starts_with("json") {
                        spec.todo(format!(
                            "{} example at page line {line} is not valid JSON; left out",
                            if errors { "error" } else { "answer" }
                        ));
                    }
                    continue;
                };
                if v.get(key).is_none() {
                    let plain =
                        v.is_object() && v.get("error").is_none() && v.get("time").is_none();
                    if !errors && !elided && plain && status < 300 && bare.is_none() {
                        bare = Some((status, v));
                    }
                    continue;
                }
                let ok = if errors {
                    (400..=599).contains(&status)
                } else {
                    status < 300
                };
                if !ok {
                    spec.todo(format!(
                        "example at page line {line} has status {status}, which does not fit; left out"
                    ));
                    continue;
                }
                // Items left out of a list or a stray comma lose nothing the type needs; keys
                // left out of an object may be fields the spec then lacks.
                if elided && elides_keys(raw) {
                    spec.todo(format!(
                        "{} example at page line {line}: elisions (`...`, comments) removed to read it as JSON",
                        if errors { "error" } else { "answer" }
                    ));
                }
                let text = text.trim().to_string();
                if !out.iter().any(|(_, t)| *t == text) {
                    out.push((status, text));
                }
            }
            _ => {}
        }
    }
    if let (true, Some((status, value))) = (out.is_empty(), bare) {
        // Wrapping in the envelope every answer has settles it: the wrapped answer is checked
        // against the result type like any other, and a misfit is a todo point of its own.
        let mut answer = serde_json::Map::new();
        answer.insert("result".into(), value);
        let text = serde_json::to_string_pretty(&Value::Object(answer)).unwrap_or_default();
        out.push((status, text));
    }
    out
}

/// The HTTP status a line of text states ("HTTP Status: **200**"), if it names one in `range`.
pub fn stated_status(text: &str, range: std::ops::RangeInclusive<u16>) -> Option<u16> {
    if !text.to_ascii_lowercase().contains("status") {
        return None;
    }
    text.split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse::<u16>().ok())
        .find(|n| range.contains(n))
}

/// The JSON text without `//` comments, lines that are only `...`, and the trailing commas
/// that leaves; `None` when that is still not JSON.
pub fn without_elisions(text: &str) -> Option<String> {
    let mut lines = Vec::new();
    for line in text.lines() {
        let kept = strip_comment(line);
        let bare = kept.trim().trim_end_matches(',').trim();
        if bare.is_empty() && !line.trim().is_empty()
            || bare.chars().all(|c| c == '.') && !bare.is_empty()
        {
            continue;
        }
        lines.push(kept.trim_end().to_string());
    }
    let joined = lines.join("\n");
    let cleaned = drop_trailing_commas(&joined);
    json(&cleaned).map(|_| cleaned)
}

/// Whether `text` elides something inside an object (a `...` line or a comment standing among
/// keys): what it stands for may be keys. Elisions among the items of a list stand for more
/// items of the same shape, and a stray trailing comma hides nothing.
pub fn elides_keys(text: &str) -> bool {
    let mut stack: Vec<char> = Vec::new();
    let (mut in_str, mut escaped) = (false, false);
    for line in text.lines() {
        let kept = strip_comment(line);
        for c in kept.chars() {
            if in_str {
                match c {
                    _ if escaped => escaped = false,
                    '\\' => escaped = true,
                    '"' => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '{' | '[' => stack.push(c),
                '}' | ']' => {
                    stack.pop();
                }
                _ => {}
            }
        }
        let bare = kept.trim().trim_end_matches(',').trim();
        let dots = !bare.is_empty() && bare.chars().all(|c| c == '.');
        let comment = kept.len() < line.len();
        if (dots || comment) && stack.last() == Some(&'{') {
            return true;
        }
    }
    false
}

/// The line up to a `//` that is not inside a string.
fn strip_comment(line: &str) -> &str {
    let mut in_str = false;
    let mut escaped = false;
    let b = line.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            _ if escaped => escaped = false,
            b'\\' if in_str => escaped = true,
            b'"' => in_str = !in_str,
            b'/' if !in_str && b.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Removes commas that stand right before `}` or `]` (outside strings).
fn drop_trailing_commas(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut in_str, mut escaped) = (false, false);
    for (i, &c) in chars.iter().enumerate() {
        if in_str {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_str = false,
                _ => {}
            }
            out.push(c);
            continue;
        }
        if c == '"' {
            in_str = true;
        }
        if c == ',' {
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if matches!(next, Some('}') | Some(']') | None) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn elisions() {
        let t = "{\n  \"result\": [\n    {\"id\": 1}, // first\n    ...\n  ],\n  \"url\": \"http://x\"\n}";
        let clean = super::without_elisions(t).unwrap();
        assert!(clean.contains("http://x"));
        assert!(super::json(&clean).is_some());
        assert!(super::without_elisions("Array\n(").is_none());
    }

    #[test]
    fn elisions_among_keys_are_told_from_elisions_among_items() {
        // More items of a list, a comment after an item, a stray comma: nothing of the shape lost.
        let items =
            "{\n  \"result\": [\n    {\"id\": 1}, // first\n    ...\n  ],\n  \"total\": 2,\n}";
        assert!(super::without_elisions(items).is_some());
        assert!(!super::elides_keys(items));
        assert!(!super::elides_keys(
            "{\"error\": 1,\n\"error_description\": \"x\",\n}"
        ));
        // Keys left out of an object, by `...` or by a comment among them.
        let keys = "{\n  \"result\": {\n    \"ID\": {\"type\": \"integer\"},\n    ... // each field\n  }\n}";
        assert!(super::without_elisions(keys).is_some());
        assert!(super::elides_keys(keys));
        assert!(super::elides_keys(
            "{\n  \"a\": 1,\n  // more keys\n  \"b\": \"// not a comment\"\n}"
        ));
        assert!(!super::elides_keys("{\"url\": \"http://x\"}"));
    }

    #[test]
    fn an_error_answer_takes_the_error_status_of_the_stated_list() {
        let page = |line: &str| {
            let text = format!("# Delete a thing\n\n## Error Handling\n\n{line}\n\n```json\n{{\n    \"error\": \"NOT_FOUND\",\n    \"error_description\": \"Element not found\"\n}}\n```\n");
            let mut spec = bitrix_codegen::write::spec::Spec {
                method: "demo.thing.delete".into(),
                rest: 2,
                ..Default::default()
            };
            super::read(&mut spec, &crate::page::Page::parse("demo/x.md", &text));
            (
                spec.examples.iter().map(|e| e.status).collect::<Vec<_>>(),
                spec.todo,
            )
        };
        assert_eq!(page("HTTP status: **160**, **400**"), (vec![400], vec![]));
        assert_eq!(page("HTTP status: **403**"), (vec![403], vec![]));
        // "200, 403": the example may be one of the rows sent with 200; not read as 403.
        assert!(page("HTTP status: **200**, **403**").0.is_empty());
        // Errors the page says come with HTTP 200 cannot be an error example.
        let (kept, todo) = page("HTTP status: **200**");
        assert!(kept.is_empty());
        assert_eq!(todo.len(), 1, "{todo:?}");
    }

    #[test]
    fn data() {
        let t = "curl -X POST \\\n-d '{\"a\":1}' \\\nhttps://x/rest/m";
        assert_eq!(super::data_arg(t).as_deref(), Some("{\"a\":1}"));
        let t = "curl -d '{\"a\":\"it's\"}' /\nhttps://x";
        assert_eq!(super::data_arg(t).as_deref(), Some("{\"a\":\"it's\"}"));
    }
}
