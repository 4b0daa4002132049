//! Diplodoc tables: `#|` opens, `||` opens and closes a row, `|` separates cells, `|#` closes.

/// One table row: its cells (trimmed Markdown) and the line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Cell texts, trimmed; a merged cell (`|>`) is empty.
    pub cells: Vec<String>,
    /// 1-based line of the row's opening `||`.
    pub line: usize,
}

/// A table: the header row, the body rows, where it starts, and what is wrong with it, if anything.
///
/// Some defects leave no doubt about what the author meant, and the table is read as meant, each
/// repair noted in `repaired`: a row still open when `|#` ends the table, or when the next row
/// starts with `|| text` at the start of a line (in both cases only when the open row already
/// has as many cells as the header), and a stray list marker before a row's opening `||`.
/// Anything else out of place makes the table `broken`.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// 1-based line of `#|`.
    pub line: usize,
    /// The first row, as plain lower-cased words per cell (`name`, `code`, `description`).
    pub header: Vec<String>,
    /// The other rows.
    pub rows: Vec<Row>,
    /// Why the table cannot be read (`line`, `what`), when it cannot.
    pub broken: Option<(usize, String)>,
    /// Defects read past (`line`, `what`), in page order.
    pub repaired: Vec<(usize, String)>,
}

impl Table {
    /// Index of the first header cell whose first line contains `word` (lower case).
    pub fn column(&self, word: &str) -> Option<usize> {
        self.header.iter().position(|h| h.contains(word))
    }
}

/// Parses the table that opens at `lines[start]`; returns it and the index of the line after it.
pub fn parse(lines: &[&str], start: usize) -> (Table, usize) {
    let mut table = Table {
        line: start + 1,
        header: Vec::new(),
        rows: Vec::new(),
        broken: None,
        repaired: Vec::new(),
    };
    let mut rows: Vec<Row> = Vec::new();
    let mut current: Option<(Vec<String>, String, usize)> = None;
    let mut fenced = false;
    let mut nested = 0usize;
    let mut i = start;
    let mut closed = false;
    // The text after `#|` on the first line.
    let first = lines[start].trim_start();
    let mut pending: Option<(String, usize)> = Some((first[2..].to_string(), start));
    loop {
        let (text, at) = match pending.take() {
            Some(p) => p,
            None => {
                if i >= lines.len() {
                    break;
                }
                (lines[i].to_string(), i)
            }
        };
        i = at + 1;
        let trimmed = text.trim();
        if !fenced && current.is_none() && trimmed.starts_with("|#") {
            closed = true;
            break;
        }
        // A table inside a cell belongs to the cell.
        if !fenced && current.is_some() && trimmed.starts_with("#|") {
            nested += 1;
        }
        if nested > 0 {
            if let Some((_, cell, _)) = current.as_mut() {
                cell.push_str(&text);
                cell.push('\n');
            }
            if trimmed.starts_with("|#") || (trimmed.ends_with("|#") && !trimmed.starts_with("#|"))
            {
                nested -= 1;
            }
            continue;
        }
        // `|#` at the start of a line while a row is open: the author forgot the row's `||`.
        if !fenced && trimmed.starts_with("|#") {
            if let Some((mut cells, cell, line)) = current.take() {
                cells.push(clean(&cell));
                if !complete(cells.len(), &rows) {
                    current = Some((cells, cell, line));
                    break;
                }
                rows.push(Row {
                    cells,
                    line: line + 1,
                });
                table.repaired.push((
                    line + 1,
                    format!(
                        "table row is not closed with `||`; `|#` on line {} closes it",
                        at + 1
                    ),
                ));
                closed = true;
                break;
            }
        }
        if trimmed.starts_with("```") && !trimmed[3..].contains("```") {
            fenced = !fenced;
            let fence_end = text.find("```").map_or(0, |p| p + 3);
            let after = &text[fence_end..];
            if !fenced && after.trim_start().starts_with("||") {
                // A closing fence followed by the end of the row: `` ``` || ``.
                if let Some((_, cell, _)) = current.as_mut() {
                    cell.push_str(&text[..fence_end]);
                    cell.push('\n');
                }
                scan_line(after, at, &mut current, &mut rows, &mut table);
                continue;
            }
            if let Some((_, cell, _)) = current.as_mut() {
                cell.push_str(&text);
                cell.push('\n');
            }
            continue;
        }
        if fenced {
            if let Some((_, cell, _)) = current.as_mut() {
                cell.push_str(&text);
                cell.push('\n');
            }
            continue;
        }
        scan_line(&text, at, &mut current, &mut rows, &mut table);
        if table.broken.is_some() {
            break;
        }
        // A table closed on the same line as the last row.
        if current.is_none() && trimmed.ends_with("|#") && !trimmed.starts_with("#|") {
            closed = true;
            break;
        }
    }
    if table.broken.is_none() {
        if let Some((_, _, line)) = current {
            table.broken = Some((line + 1, "table row is never closed with `||`".into()));
        } else if !closed {
            table.broken = Some((start + 1, "table is never closed with `|#`".into()));
        }
    }
    let mut rows = rows.into_iter();
    if let Some(h) = rows.next() {
        table.header = h
            .cells
            .iter()
            .map(|c| {
                let first = c.lines().next().unwrap_or("");
                super::plain(first).to_ascii_lowercase()
            })
            .collect();
    }
    table.rows = rows.collect();
    (table, i)
}

/// Reads the row and cell separators of one line (outside inline code).
fn scan_line(
    text: &str,
    at: usize,
    current: &mut Option<(Vec<String>, String, usize)>,
    rows: &mut Vec<Row>,
    table: &mut Table,
) {
    let chars: Vec<char> = text.chars().collect();
    let mut j = 0;
    let mut code = false;
    while j < chars.len() {
        let c = chars[j];
        if c == '`' {
            code = !code;
        }
        // `\|` is a pipe inside a cell (`integer \| string`).
        if c == '\\' && chars.get(j + 1) == Some(&'|') {
            if let Some((_, cell, _)) = current.as_mut() {
                cell.push('|');
            }
            j += 2;
            continue;
        }
        if c == '|' && !code {
            if chars.get(j + 1) == Some(&'|') {
                match current.take() {
                    None => *current = Some((Vec::new(), String::new(), at)),
                    Some((mut cells, cell, line)) => {
                        cells.push(clean(&cell));
                        // `|| text` at the start of a line ends a row only when the author
                        // forgot that row's `||` and opens the next one.
                        let rest: String = chars[j + 2..].iter().collect();
                        let opens = chars[..j].iter().all(|c| c.is_whitespace())
                            && !rest.trim().is_empty()
                            && !rest.trim_start().starts_with('|')
                            && complete(cells.len(), rows);
                        rows.push(Row {
                            cells,
                            line: line + 1,
                        });
                        if opens {
                            table.repaired.push((
                                line + 1,
                                format!(
                                    "table row is not closed with `||`; the row on line {} closes it",
                                    at + 1
                                ),
                            ));
                            *current = Some((Vec::new(), String::new(), at));
                            j += 2;
                            continue;
                        }
                        // A stray `||` after the end of a row (`... || ||`) opens nothing.
                        if rest.trim() == "||" {
                            return;
                        }
                    }
                }
                j += 2;
                continue;
            }
            if chars.get(j + 1) == Some(&'#') && current.is_none() {
                return;
            }
            match current.as_mut() {
                Some((cells, cell, _)) => {
                    cells.push(clean(cell));
                    cell.clear();
                    if chars.get(j + 1) == Some(&'>') {
                        j += 1;
                    }
                }
                None => {
                    table.broken = Some((at + 1, "cell separator `|` outside a row".into()));
                    return;
                }
            }
            j += 1;
            continue;
        }
        match current.as_mut() {
            Some((_, cell, _)) => cell.push(c),
            // A list marker left before a row's `||` (`- || **NAME**`).
            None if "-*+".contains(c)
                && chars[..j].iter().all(|c| c.is_whitespace())
                && chars.get(j + 1).is_some_and(|c| c.is_whitespace())
                && chars[j + 1..]
                    .iter()
                    .collect::<String>()
                    .trim_start()
                    .starts_with("||") =>
            {
                table.repaired.push((
                    at + 1,
                    format!("stray `{c}` before the row's `||`; ignored"),
                ));
            }
            None if !c.is_whitespace() => {
                table.broken = Some((at + 1, "text outside a table row".into()));
                return;
            }
            None => {}
        }
        j += 1;
    }
    if let Some((_, cell, _)) = current.as_mut() {
        cell.push('\n');
    }
}

/// Whether a row of `cells` cells can be closed where its `||` is missing: it has as many cells
/// as the header (`rows[0]`), or at least two when it is the header.
fn complete(cells: usize, rows: &[Row]) -> bool {
    match rows.first() {
        Some(header) => cells == header.cells.len(),
        None => cells >= 2,
    }
}

fn clean(cell: &str) -> String {
    let t = cell.trim();
    if t == ">" {
        String::new()
    } else {
        t.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_cells() {
        let text = "#|\n|| **Name**\n`type` | **Description** ||\n|| **A***\n[`integer`](x.md) | one | two ||\n|#";
        let lines: Vec<&str> = text.lines().collect();
        let (t, next) = parse(&lines, 0);
        assert_eq!(next, 6);
        assert!(t.broken.is_none(), "{:?}", t.broken);
        assert_eq!(t.header, vec!["name", "description"]);
        assert_eq!(t.rows.len(), 1);
        assert_eq!(t.rows[0].cells[0], "**A***\n[`integer`](x.md)");
        assert_eq!(t.rows[0].line, 4);
    }

    #[test]
    fn unclosed_row_is_broken() {
        let text = "#|\n|| **Code** | **Description** ||\n|| `A` text\n|#";
        let lines: Vec<&str> = text.lines().collect();
        let (t, _) = parse(&lines, 0);
        assert!(t.broken.is_some());
    }

    fn read(text: &str) -> Table {
        let lines: Vec<&str> = text.lines().collect();
        parse(&lines, 0).0
    }

    #[test]
    fn end_of_table_closes_a_complete_open_row() {
        let t = read("#|\n|| **Name** | **Description** ||\n|| **a** | one ||\n|| **b** | two\n\nmore\n|#\nafter");
        assert!(t.broken.is_none(), "{:?}", t.broken);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1].cells, vec!["**b**", "two\n\nmore"]);
        assert_eq!(t.repaired.len(), 1);
        assert_eq!(t.repaired[0].0, 4);
    }

    #[test]
    fn next_row_closes_a_complete_open_row() {
        let t = read("#|\n|| **Name** | **Description** ||\n|| **a** | one\n|| **b** | two\n|| **c** | three ||\n|#");
        assert!(t.broken.is_none(), "{:?}", t.broken);
        let names: Vec<&str> = t.rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(names, ["**a**", "**b**", "**c**"]);
        assert_eq!(t.rows[1].line, 4);
        assert_eq!(t.repaired.iter().map(|r| r.0).collect::<Vec<_>>(), [3, 4]);
    }

    #[test]
    fn stray_list_marker_before_a_row_is_skipped() {
        let t = read("#|\n|| **Name** | **Description** ||\n|| **a** | one ||\n- || **b** | two ||\n  * || **c** | three ||\n|#");
        assert!(t.broken.is_none(), "{:?}", t.broken);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.repaired.iter().map(|r| r.0).collect::<Vec<_>>(), [4, 5]);
    }

    #[test]
    fn incomplete_or_stray_text_stays_broken() {
        // The open row lacks a cell: nothing says where its name ends.
        let t = read("#|\n|| **Name** | **Description** ||\n|| **a** one\n|#");
        assert_eq!(t.broken.as_ref().map(|b| b.0), Some(3));
        let t = read("#|\n|| **Name** | **Description** ||\n|| **a** one\n|| **b** | two ||\n|#");
        assert_eq!(t.broken, Some((4, "text outside a table row".into())));
        // A list marker followed by text rather than a row.
        let t = read("#|\n|| **Name** | **Description** ||\n- **b** | two ||\n|#");
        assert_eq!(t.broken, Some((3, "text outside a table row".into())));
        // A row still open at the end of the page.
        let t = read("#|\n|| **Name** | **Description** ||\n|| **a** | one");
        assert_eq!(t.broken.as_ref().map(|b| b.0), Some(3));
        assert!(t.repaired.is_empty());
    }

    #[test]
    fn end_of_a_nested_table_does_not_close_the_row() {
        let t = read("#|\n|| **Name** | **Description** ||\n|| **a** | one\n#|\n|| x | y ||\n|#\nmore ||\n|#");
        assert!(t.broken.is_none(), "{:?}", t.broken);
        assert!(t.repaired.is_empty());
        assert_eq!(t.rows.len(), 1);
    }
}
