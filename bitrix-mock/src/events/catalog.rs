//! The event specs embedded at build time (`events/`), parsed once per process, indexed by name
//! and by the store entity whose writes raise them (`[[raise]]`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use bitrix_codegen::events::raise::{Raise, Write};
use bitrix_codegen::events::{check_events, EventDef};
use bitrix_codegen::SpecSource;

include!(concat!(env!("OUT_DIR"), "/events.rs"));

/// Every event the emulator knows.
#[derive(Debug)]
pub(crate) struct Catalog {
    /// The events, sorted by name.
    pub events: Vec<EventDef>,
    by_name: BTreeMap<String, usize>,
    /// (event index, raise index) by store entity.
    by_entity: BTreeMap<String, Vec<(usize, usize)>>,
}

impl Catalog {
    fn new(events: Vec<EventDef>) -> Self {
        let mut by_name = BTreeMap::new();
        let mut by_entity: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
        for (i, e) in events.iter().enumerate() {
            by_name.insert(e.name.to_ascii_uppercase(), i);
            for (j, r) in e.raise.iter().enumerate() {
                by_entity.entry(r.entity.clone()).or_default().push((i, j));
            }
        }
        Catalog {
            events,
            by_name,
            by_entity,
        }
    }

    /// The event named `name` (any case).
    pub fn get(&self, name: &str) -> Option<&EventDef> {
        self.by_name
            .get(&name.to_ascii_uppercase())
            .map(|&i| &self.events[i])
    }

    /// The events a `write` of a record of `entity` standing in `partition` raises. A raise
    /// naming `"*"` in a position matches only values no other raise of the entity and write
    /// names exactly (dynamic types, beside leads and deals).
    pub fn raised_by<'a>(
        &'a self,
        entity: &str,
        write: Write,
        partition: &[String],
    ) -> Vec<(&'a EventDef, &'a Raise)> {
        let Some(list) = self.by_entity.get(entity) else {
            return Vec::new();
        };
        let candidates: Vec<(&EventDef, &Raise)> = list
            .iter()
            .map(|&(i, j)| (&self.events[i], &self.events[i].raise[j]))
            .filter(|(_, r)| r.write == write)
            .collect();
        let exact = |r: &Raise| {
            !r.partition.is_empty()
                && r.partition.len() <= partition.len()
                && r.partition.iter().zip(partition).all(|(p, v)| p == v)
        };
        let claimed = candidates.iter().any(|(_, r)| exact(r));
        candidates
            .into_iter()
            .filter(|(_, r)| {
                if r.partition.is_empty() || exact(r) {
                    return true;
                }
                let wild = r.partition.len() <= partition.len()
                    && r.partition
                        .iter()
                        .zip(partition)
                        .all(|(p, v)| p == "*" || p == v);
                wild && !claimed
            })
            .collect()
    }
}

/// The embedded catalog, or every problem found in the event specs.
pub(crate) fn catalog() -> Result<&'static Catalog, String> {
    static CATALOG: OnceLock<Result<Catalog, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            let sources: Vec<SpecSource> = EVENTS
                .iter()
                .map(|(display, text)| SpecSource::below_root(*display, *text))
                .collect();
            let checked = check_events(&sources);
            if !checked.problems.is_empty() {
                return Err(checked
                    .problems
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n"));
            }
            Ok(Catalog::new(checked.events))
        })
        .as_ref()
        .map_err(Clone::clone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crm_writes_raise_by_entity_type() {
        let c = catalog().unwrap();
        let names = |p: &[&str], w| {
            let p: Vec<String> = p.iter().map(|s| s.to_string()).collect();
            c.raised_by("crm", w, &p)
                .into_iter()
                .map(|(e, _)| e.name.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(names(&["2"], Write::Add), ["ONCRMDEALADD"]);
        assert_eq!(names(&["1"], Write::Delete), ["ONCRMLEADDELETE"]);
        assert_eq!(names(&["1220"], Write::Update), ["ONCRMDYNAMICITEMUPDATE"]);
        assert!(c.get("onCrmDealAdd").is_some());
    }

    #[test]
    fn every_raise_names_a_write_some_method_makes() {
        use bitrix_codegen::model::Action;
        let methods = crate::specs::methods().unwrap();
        let writes: std::collections::BTreeSet<(String, Write)> = methods
            .values()
            .filter_map(|m| m.state.as_ref())
            .filter_map(|st| {
                let w = match st.action {
                    Action::Add => Write::Add,
                    Action::Update => Write::Update,
                    Action::Delete => Write::Delete,
                    _ => return None,
                };
                Some((st.entity.clone(), w))
            })
            .collect();
        for e in &catalog().unwrap().events {
            for r in &e.raise {
                assert!(
                    writes.contains(&(r.entity.clone(), r.write)),
                    "{}: no method makes a `{}` write of `{}`",
                    e.source,
                    r.write.as_str(),
                    r.entity
                );
            }
        }
    }
}
