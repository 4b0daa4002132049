//! One reference page: its blocks plus the facts every method page states in the same places
//! (title, scope, deprecation note, the method names its cURL examples call).

use crate::markdown::{self, Block};

/// A parsed page of the reference.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path below `api-reference/`, with `/` separators (`crm/deals/crm-deal-add.md`).
    pub rel: String,
    /// The page's blocks in order.
    pub blocks: Vec<Block>,
    /// The first `# ` heading and its line.
    pub title: Option<(String, usize)>,
    /// The scope from `> Scope: [`crm`]`.
    pub scope: Option<String>,
    /// The `DEPRECATED` note: its line and the text inside it.
    pub deprecated: Option<(usize, String)>,
    /// Method names the REST 2 cURL examples call, with the line of each, in page order.
    pub curl_methods: Vec<(String, usize)>,
    /// Whether an example calls `/rest/api/` (REST 3.0).
    pub calls_v3: bool,
    /// Method names the REST 3.0 cURL examples (`/rest/api/...`) call, with the line of each.
    pub v3_methods: Vec<(String, usize)>,
}

impl Page {
    /// Parses a page's text.
    pub fn parse(rel: &str, text: &str) -> Page {
        let blocks = markdown::blocks(text);
        let title = blocks.iter().find_map(|b| match b {
            Block::Heading {
                level: 1,
                text,
                line,
                ..
            } => Some((text.clone(), *line)),
            _ => None,
        });
        let mut page = Page {
            rel: rel.to_string(),
            blocks,
            title,
            scope: None,
            deprecated: None,
            curl_methods: Vec::new(),
            calls_v3: false,
            v3_methods: Vec::new(),
        };
        page.read_scope();
        page.read_deprecation();
        page.read_curls();
        page
    }

    fn read_scope(&mut self) {
        for b in &self.blocks {
            if let Block::Text { text, .. } = b {
                let t = text.trim_start_matches('>').trim();
                if let Some(rest) = t.strip_prefix("Scope:") {
                    let spans = markdown::code_spans(rest);
                    self.scope = spans.first().map(|s| s.trim().to_string());
                    if self.scope.is_none() {
                        let w = markdown::plain(rest);
                        let w = w.split([',', ' ']).next().unwrap_or("").to_string();
                        self.scope = (!w.is_empty()).then_some(w);
                    }
                    return;
                }
            }
        }
    }

    fn read_deprecation(&mut self) {
        let mut inside: Option<(usize, String)> = None;
        for b in &self.blocks {
            let Block::Text { text, line } = b else {
                continue;
            };
            if let Some((_, body)) = inside.as_mut() {
                if text.starts_with("{% endnote") {
                    self.deprecated = inside.take();
                    return;
                }
                body.push_str(text);
                body.push('\n');
            } else if text.starts_with("{% note")
                && text.to_ascii_lowercase().contains("deprecated")
            {
                inside = Some((*line, String::new()));
            }
        }
        if inside.is_some() {
            self.deprecated = inside;
        }
    }

    fn read_curls(&mut self) {
        for b in &self.blocks {
            let Block::Code { text, line, .. } = b else {
                continue;
            };
            if !text.contains("curl") {
                continue;
            }
            let mut rest = text.as_str();
            while let Some(at) = rest.find("/rest/") {
                let tail = &rest[at + 6..];
                let end = tail
                    .find(|c: char| c.is_whitespace() || "'\"?`".contains(c))
                    .unwrap_or(tail.len());
                let address = &tail[..end];
                rest = &tail[end..];
                let last = address.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
                let name = last.strip_suffix(".json").unwrap_or(last);
                let list = if address.starts_with("api/") {
                    self.calls_v3 = true;
                    &mut self.v3_methods
                } else {
                    &mut self.curl_methods
                };
                if is_method_name(name) && !list.iter().any(|(n, _)| n == name) {
                    list.push((name.to_string(), *line));
                }
            }
        }
    }

    /// The method name the title names, if any: the first word with a dot that starts lower-case.
    pub fn title_method(&self) -> Option<String> {
        let (title, _) = self.title.as_ref()?;
        title
            .split(|c: char| c.is_whitespace() || "`*,:()\"'".contains(c))
            .map(|w| w.trim_end_matches(['.', '?']))
            .find(|w| {
                w.contains('.')
                    && w.starts_with(|c: char| c.is_ascii_lowercase())
                    && is_method_name(w)
            })
            .map(str::to_string)
    }

    /// The blocks of the level-2 section whose heading satisfies `pred`, without the heading.
    pub fn section(&self, pred: impl Fn(&str) -> bool) -> &[Block] {
        let mut start = None;
        for (i, b) in self.blocks.iter().enumerate() {
            if let Block::Heading { level, text, .. } = b {
                if *level <= 2 {
                    if let Some(s) = start {
                        return &self.blocks[s..i];
                    }
                    if *level == 2 && pred(&text.to_ascii_lowercase()) {
                        start = Some(i + 1);
                    }
                }
            }
        }
        match start {
            Some(s) => &self.blocks[s..],
            None => &[],
        }
    }

    /// The table that follows the heading anchored `{#anchor}`, if any.
    pub fn anchored_table(&self, anchor: &str) -> Option<&markdown::Table> {
        // An explicit `{#anchor}` first, then the anchor generated from the heading text.
        let at = self
            .blocks
            .iter()
            .position(|b| {
                matches!(b, Block::Heading { anchor: Some(a), .. } if a.eq_ignore_ascii_case(anchor))
            })
            .or_else(|| {
                self.blocks.iter().position(|b| {
                    matches!(b, Block::Heading { text, level, .. } if *level > 1 && slug(text) == anchor.to_ascii_lowercase())
                })
            })?;
        self.blocks[at + 1..]
            .iter()
            .take_while(|b| !matches!(b, Block::Heading { .. }))
            .find_map(|b| match b {
                Block::Table(t) => Some(t),
                _ => None,
            })
    }

    /// The first table of the page whose header starts with a name column.
    pub fn first_field_table(&self) -> Option<&markdown::Table> {
        self.blocks.iter().find_map(|b| match b {
            Block::Table(t)
                if t.header.first().is_some_and(|h| {
                    ["name", "field", "parameter", "value"]
                        .iter()
                        .any(|w| h.starts_with(w))
                }) =>
            {
                Some(t)
            }
            _ => None,
        })
    }
}

/// The anchor Diplodoc generates for a heading: lower case, spaces to `-`, punctuation dropped.
pub fn slug(text: &str) -> String {
    text.trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

/// Dot-separated segments of ASCII letters, digits and `_`.
pub fn is_method_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|seg| {
            !seg.is_empty() && seg.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// Lower-case letters and digits only: `crm-deal-add` and `crm.deal.add` compare equal.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
