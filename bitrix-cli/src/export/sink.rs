//! Where exported items go: NDJSON, CSV or one JSON array, in a file or on standard output.
//!
//! Each page is written whole and flushed before the next is fetched, so the file is valid at
//! every stop: NDJSON holds whole lines, CSV whole rows, and the JSON array is closed by
//! [`Sink::finish`] (also after Ctrl-C). `--resume` reads the file back to find where it ended.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::Path;

use serde_json::{Map, Value};

use crate::cli::ExportFormat;
use crate::failure::Failure;

/// What an earlier run left in the file.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Resumed {
    /// Items already written.
    pub count: u64,
    /// The last of them, if any.
    pub last: Option<Value>,
}

/// The output of an export.
pub struct Sink {
    format: ExportFormat,
    out: BufWriter<Box<dyn Write>>,
    /// CSV columns; `None` until known (the first item's keys when no `select` names them).
    columns: Option<Vec<String>>,
    header_written: bool,
    /// JSON: no item written yet, so the next one needs no comma.
    first: bool,
}

impl Sink {
    /// Opens the output. `columns`: the CSV columns the user selected. With `resume`, an existing
    /// file is read back and continued; otherwise it is replaced.
    pub fn open(
        path: Option<&Path>,
        format: ExportFormat,
        resume: bool,
        columns: Option<Vec<String>>,
    ) -> Result<(Sink, Resumed), Failure> {
        let fail = |e: std::io::Error| {
            let shown = path.map_or("standard output".into(), |p| p.display().to_string());
            Failure::api(format!("{shown}: {e}"))
        };
        let Some(path) = path else {
            let mut sink = Sink::new(format, Box::new(std::io::stdout()), columns, false, true);
            sink.start().map_err(fail)?;
            return Ok((sink, Resumed::default()));
        };
        let existing = if resume && path.exists() {
            Some(std::fs::read_to_string(path).map_err(fail)?)
        } else {
            None
        };
        let Some(text) = existing.filter(|t| !t.trim().is_empty()) else {
            let file = File::create(path).map_err(fail)?;
            let mut sink = Sink::new(format, Box::new(file), columns, false, true);
            sink.start().map_err(fail)?;
            return Ok((sink, Resumed::default()));
        };
        let (resumed, keep, columns, first) = match format {
            ExportFormat::Ndjson => {
                let (r, keep) = read_ndjson(&text, path)?;
                (r, keep, columns, true)
            }
            ExportFormat::Json => {
                let (r, keep) = read_json(&text, path)?;
                let first = r.count == 0;
                (r, keep, columns, first)
            }
            ExportFormat::Csv => {
                let (r, header) = read_csv(&text, path)?;
                (r, text.len(), Some(header), true)
            }
        };
        let file = OpenOptions::new().write(true).open(path).map_err(fail)?;
        // Cut what an interrupted run left half-written (or the closing `]`), then append.
        file.set_len(keep as u64).map_err(fail)?;
        let mut file = file;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::End(0)).map_err(fail)?;
        let header_written = format == ExportFormat::Csv;
        let sink = Sink::new(format, Box::new(file), columns, header_written, first);
        Ok((sink, resumed))
    }

    fn new(
        format: ExportFormat,
        out: Box<dyn Write>,
        columns: Option<Vec<String>>,
        header_written: bool,
        first: bool,
    ) -> Sink {
        Sink {
            format,
            out: BufWriter::new(out),
            columns,
            header_written,
            first,
        }
    }

    /// What a new output starts with.
    fn start(&mut self) -> std::io::Result<()> {
        match self.format {
            ExportFormat::Json => self.out.write_all(b"["),
            ExportFormat::Csv if self.columns.is_some() => self.header(),
            _ => Ok(()),
        }
    }

    fn header(&mut self) -> std::io::Result<()> {
        if self.header_written {
            return Ok(());
        }
        self.header_written = true;
        let columns = self.columns.clone().unwrap_or_default();
        let row: Vec<String> = columns.iter().map(|c| csv_cell(c)).collect();
        writeln!(self.out, "{}", row.join(","))
    }

    /// Writes a page of items and flushes it.
    pub fn write_page(&mut self, items: &[Value]) -> std::io::Result<()> {
        for item in items {
            match self.format {
                ExportFormat::Ndjson => {
                    serde_json::to_writer(&mut self.out, item)?;
                    self.out.write_all(b"\n")?;
                }
                ExportFormat::Json => {
                    self.out
                        .write_all(if self.first { b"\n" } else { b",\n" })?;
                    self.first = false;
                    serde_json::to_writer(&mut self.out, item)?;
                }
                ExportFormat::Csv => {
                    if self.columns.is_none() {
                        self.columns = Some(match item {
                            Value::Object(map) => map.keys().cloned().collect(),
                            _ => vec!["value".into()],
                        });
                    }
                    self.header()?;
                    let row = csv_row(self.columns.as_deref().unwrap_or_default(), item);
                    writeln!(self.out, "{row}")?;
                }
            }
        }
        self.out.flush()
    }

    /// Closes the output: the JSON array's `]`, and a flush.
    pub fn finish(mut self) -> std::io::Result<()> {
        match self.format {
            ExportFormat::Json => self.out.write_all(b"\n]\n")?,
            ExportFormat::Csv if self.columns.is_some() => self.header()?,
            _ => {}
        }
        self.out.flush()?;
        let out = self.out.into_inner().map_err(|e| e.into_error())?;
        drop(out);
        Ok(())
    }
}

fn unreadable(path: &Path, why: &str) -> Failure {
    Failure::usage(format!(
        "cannot resume {}: {why}; move it away or export without --resume",
        path.display()
    ))
}

/// Whole lines only: a line cut by a crash is dropped (and rewritten by the next page).
fn read_ndjson(text: &str, path: &Path) -> Result<(Resumed, usize), Failure> {
    let keep = text.rfind('\n').map_or(0, |i| i + 1);
    let lines: Vec<&str> = text[..keep]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .collect();
    let last = match lines.last() {
        Some(line) => Some(
            serde_json::from_str(line)
                .map_err(|e| unreadable(path, &format!("its last line is not JSON: {e}")))?,
        ),
        None => None,
    };
    let resumed = Resumed {
        count: lines.len() as u64,
        last,
    };
    Ok((resumed, keep))
}

/// A closed array; the continuation goes before its `]`.
fn read_json(text: &str, path: &Path) -> Result<(Resumed, usize), Failure> {
    let items: Vec<Value> = serde_json::from_str(text)
        .map_err(|e| unreadable(path, &format!("it is not a closed JSON array: {e}")))?;
    let close = text.rfind(']').unwrap_or(text.len());
    let keep = text[..close].trim_end().len();
    Ok((
        Resumed {
            count: items.len() as u64,
            last: items.last().cloned(),
        },
        keep,
    ))
}

/// The header and the last row (as an object; numbers as numbers, so IDs compare as IDs).
fn read_csv(text: &str, path: &Path) -> Result<(Resumed, Vec<String>), Failure> {
    let rows = parse_csv(text);
    let Some((header, rows)) = rows.split_first() else {
        return Err(unreadable(path, "it has no header row"));
    };
    let last = rows.last().map(|row| {
        let map: Map<String, Value> = header
            .iter()
            .zip(row)
            .map(|(k, v)| {
                let value = v
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| Value::String(v.clone()));
                (k.clone(), value)
            })
            .collect();
        Value::Object(map)
    });
    Ok((
        Resumed {
            count: rows.len() as u64,
            last,
        },
        header.clone(),
    ))
}

/// One CSV row in the order of `columns`: text as is, `null` empty, objects and lists as JSON.
fn csv_row(columns: &[String], item: &Value) -> String {
    columns
        .iter()
        .map(|c| {
            let cell = match item.get(c) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(v @ (Value::Number(_) | Value::Bool(_))) => v.to_string(),
                Some(v) => v.to_string(),
            };
            csv_cell(&cell)
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// RFC 4180 quoting.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_round_trips() {
        let cols = vec!["id".to_string(), "title".to_string()];
        let row = csv_row(&cols, &json!({"id": 7, "title": "a, \"b\"\nc"}));
        let text = format!("id,title\n{row}\n");
        let (r, header) = read_csv(&text, Path::new("x")).unwrap();
        assert_eq!(header, cols);
        assert_eq!(r.count, 1);
        assert_eq!(r.last, Some(json!({"id": 7, "title": "a, \"b\"\nc"})));
    }

    #[test]
    fn ndjson_drops_a_cut_line() {
        let (r, keep) = read_ndjson("{\"id\":1}\n{\"id\":2}\n{\"id\"", Path::new("x")).unwrap();
        assert_eq!((r.count, keep), (2, 18));
        assert_eq!(r.last, Some(json!({"id": 2})));
    }

    #[test]
    fn json_continues_before_the_bracket() {
        let (r, keep) = read_json("[\n{\"id\":1}\n]\n", Path::new("x")).unwrap();
        assert_eq!((r.count, keep), (1, 10));
        assert!(read_json("[\n{\"id\":1}", Path::new("x")).is_err());
    }
}
