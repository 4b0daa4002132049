//! Which pages of the reference document events, and which event each section is about.
//!
//! An event page sits in an `events` folder (or says who can subscribe), is not an index, and
//! shows the body a handler receives. Pages about one event give its name in the example body
//! (`"event": "ONCRMDEALADD"`) or in the title (`onCrmDealAdd`); pages about a family
//! (`im.v2/events/events.md`) have one level-2 section per event, headed by its name.

use crate::docs::Docs;
use crate::examples::{json, without_elisions};
use crate::markdown::Block;
use crate::page::{squash, Page};

/// One event found in the reference: a whole page, or one section of a family page.
#[derive(Debug, Clone)]
pub struct Found {
    /// Page path below `api-reference/`.
    pub rel: String,
    /// The event name, upper case (`ONCRMDEALADD`, `CATALOG.PRICE.ON.ADD`).
    pub name: String,
    /// The blocks that describe it: `start..end` into the page's blocks.
    pub start: usize,
    /// End of the blocks (exclusive).
    pub end: usize,
    /// The section's anchor on a family page.
    pub anchor: Option<String>,
}

/// The outcome of looking through the reference.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Pages that document events (family pages once).
    pub pages: Vec<String>,
    /// Events, in page order.
    pub events: Vec<Found>,
    /// Pages in event folders that are not event pages: `(page, why)`.
    pub skipped: Vec<(String, String)>,
}

/// Finds the event pages and their events.
pub fn discover(docs: &Docs) -> Discovery {
    let mut out = Discovery::default();
    for (rel, page) in &docs.pages {
        if !is_candidate(rel, page) {
            continue;
        }
        if rel.starts_with("widgets/") {
            out.skipped.push((
                rel.clone(),
                "a JavaScript event of an embedded page (placement), not posted to a handler"
                    .into(),
            ));
            continue;
        }
        let family = family_sections(page);
        if !family.is_empty() {
            out.pages.push(rel.clone());
            out.events.extend(family);
            continue;
        }
        if page.title_method().is_some() {
            out.skipped
                .push((rel.clone(), "a method page (its spec is in specs/)".into()));
            continue;
        }
        match page_event(page) {
            Some(name) => {
                out.pages.push(rel.clone());
                out.events.push(Found {
                    rel: rel.clone(),
                    name,
                    start: 0,
                    end: page.blocks.len(),
                    anchor: None,
                });
            }
            None => out
                .skipped
                .push((rel.clone(), "an overview: names no single event".into())),
        }
    }
    out
}

/// In an `events` folder, or saying who can subscribe; not an index.
fn is_candidate(rel: &str, page: &Page) -> bool {
    if rel.ends_with("index.md") {
        return false;
    }
    let in_events = rel
        .split('/')
        .rev()
        .skip(1)
        .any(|seg| seg == "events" || seg.starts_with("events-"));
    in_events
        || page
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Text { text, .. } if text.contains("Who can subscribe")))
}

/// The level-2 sections of a family page that are headed by an event name.
fn family_sections(page: &Page) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for (i, b) in page.blocks.iter().enumerate() {
        if let Block::Heading {
            level,
            text,
            anchor,
            ..
        } = b
        {
            if *level > 2 {
                continue;
            }
            if let Some(last) = out.last_mut() {
                if last.end == page.blocks.len() {
                    last.end = i;
                }
            }
            let t = text.trim();
            if *level == 2 && is_event_word(t) && t.chars().all(|c| !c.is_ascii_lowercase()) {
                out.push(Found {
                    rel: page.rel.clone(),
                    name: t.to_string(),
                    start: i + 1,
                    end: page.blocks.len(),
                    anchor: anchor.clone(),
                });
            }
        }
    }
    out
}

/// The event a single-event page is about: the name its example body sends, else the one its
/// title ends with.
fn page_event(page: &Page) -> Option<String> {
    let from_body = page.blocks.iter().find_map(|b| match b {
        Block::Code { text, .. } => body_event(text),
        _ => None,
    });
    from_body.or_else(|| title_event(page).map(|w| w.to_ascii_uppercase()))
}

/// `"event"` of a JSON example body, upper case.
pub fn body_event(text: &str) -> Option<String> {
    let v = json(text).or_else(|| without_elisions(text).and_then(|t| json(&t)))?;
    let name = v.get("event")?.as_str()?;
    is_event_word(name).then(|| name.to_ascii_uppercase())
}

/// The event word of the title as written (`onCrmDealAdd`, `CATALOG.PRICE.ON.ADD`).
pub fn title_event(page: &Page) -> Option<String> {
    let (title, _) = page.title.as_ref()?;
    title
        .split(|c: char| c.is_whitespace() || "`*,:()\"'".contains(c))
        .rev()
        .filter(|w| is_event_word(w))
        .find(|w| {
            w.len() > 4 && (w.contains('.') || w[1..].contains(|c: char| c.is_ascii_uppercase()))
        })
        .map(str::to_string)
}

/// Letters, digits, `_` and inner dots, starting with `on` (any case) or holding `.ON.`.
fn is_event_word(w: &str) -> bool {
    let upper = w.to_ascii_uppercase();
    (upper.starts_with("ON") || upper.contains(".ON."))
        && w.len() > 4
        && w.split('.')
            .all(|s| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        && w.starts_with(|c: char| c.is_ascii_alphabetic())
}

/// The Rust name of an event: the title's spelling when it is the same name (`onCrmDealAdd`),
/// else the page file's (`on-crm-deal-add.md`), else the name cut into the words other events use.
pub fn rust_name(name: &str, page: &Page, found_anchor: bool, words: &[String]) -> String {
    let key = squash(name);
    if !found_anchor {
        if let Some(w) = title_event(page).filter(|w| squash(w) == key) {
            if w.contains(|c: char| c.is_ascii_lowercase()) {
                return pascal(&w);
            }
        }
        let stem = page
            .rel
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md");
        if squash(stem) == key {
            return pascal(stem);
        }
    }
    segment(&key, words)
}

/// `onCrmDealAdd`, `on-crm-deal-add`, `CATALOG.PRICE.ON.ADD` -> `OnCrmDealAdd`, `CatalogPriceOnAdd`.
pub fn pascal(w: &str) -> String {
    let mut out = String::new();
    for part in w.split(|c: char| !c.is_ascii_alphanumeric()) {
        if part.is_empty() {
            continue;
        }
        let all_upper = !part.contains(|c: char| c.is_ascii_lowercase());
        let mut chars = part.chars();
        if let Some(f) = chars.next() {
            out.push(f.to_ascii_uppercase());
            let rest: String = chars.collect();
            out.push_str(&if all_upper {
                rest.to_ascii_lowercase()
            } else {
                rest
            });
        }
    }
    out
}

/// The words of a Rust name (`OnCrmDealAdd` -> `on`, `crm`, `deal`, `add`), lower case.
pub fn words_of(rust: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in rust.chars() {
        if c.is_ascii_uppercase() && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        cur.push(c.to_ascii_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Cuts a squashed name into known words, longest first (`onimv2messageadd` -> `OnImV2MessageAdd`).
/// Letters no word covers stay in one piece.
fn segment(key: &str, words: &[String]) -> String {
    let mut out = String::new();
    let mut rest = key;
    while !rest.is_empty() {
        let hit = words
            .iter()
            .filter(|w| rest.starts_with(w.as_str()))
            .max_by_key(|w| w.len());
        let take = match hit {
            Some(w) => w.len(),
            // A digit run or an unknown letter: keep going one character at a time.
            None => 1,
        };
        let piece = &rest[..take];
        if hit.is_some() || out.is_empty() || piece.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&pascal(piece));
        } else {
            out.push_str(piece);
        }
        rest = &rest[take..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(pascal("onCrmDealAdd"), "OnCrmDealAdd");
        assert_eq!(pascal("on-crm-deal-add"), "OnCrmDealAdd");
        assert_eq!(pascal("CATALOG.PRICE.ON.ADD"), "CatalogPriceOnAdd");
        assert_eq!(
            words_of("OnImV2MessageAdd"),
            ["on", "im", "v2", "message", "add"]
        );
        let words: Vec<String> = ["on", "im", "v2", "message", "add", "bot"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(segment("onimv2messageadd", &words), "OnImV2MessageAdd");
        assert!(is_event_word("onCrmDealAdd"));
        assert!(is_event_word("CATALOG.PRICE.ON.ADD"));
        assert!(!is_event_word("on"));
        assert!(!is_event_word("event.bind"));
    }
}
