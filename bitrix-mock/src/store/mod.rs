//! The generic record store behind every method with `[state]`: entities (`crm.item`,
//! `crm.deal`) hold records by ID; each record remembers its partition (the values of the
//! spec's `partition` parameters, e.g. `entityTypeId`), so records added under one value are not
//! seen under another. The list machinery (filter, order, select) lives in the sibling modules.

pub mod filter;
pub mod multi;
pub mod order;
pub mod select;
pub mod shape;
pub mod value;

use std::collections::BTreeMap;

use bitrix_codegen::events::raise::Write;
use serde_json::{Map, Value};

/// The values of the partition parameters, as text (`["2"]` for `entityTypeId=2`), so that a form
/// body's `"2"` and a JSON body's `2` reach the same records.
pub type Partition = Vec<String>;

/// One stored record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Where it lives.
    pub partition: Partition,
    /// Its fields, the ID field included.
    pub fields: Map<String, Value>,
}

/// The records of one partition of an entity, with its own ID sequence (deals and leads count
/// apart, as each smart process does).
#[derive(Debug, Default)]
struct Part {
    /// The ID the next added record gets.
    next_id: u64,
    records: BTreeMap<u64, Record>,
}

/// One write to the store, journaled for the events it raises (see `crate::events::raise`).
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    /// The entity written.
    pub entity: String,
    /// The record's partition.
    pub partition: Partition,
    /// The record's ID.
    pub id: u64,
    /// Added, updated or removed.
    pub write: Write,
    /// The removed record's fields (for `Delete`).
    pub removed: Option<Map<String, Value>>,
}

/// The ID of the one record that holds a partition's settings (`[state]` `set_values`).
pub const SETTINGS_ID: u64 = 1;

/// Every entity's records.
#[derive(Debug, Default)]
pub struct Store {
    entities: BTreeMap<String, BTreeMap<Partition, Part>>,
    /// The writes since the last call ended (adds, updates, removals; not seeding).
    pub journal: Vec<Written>,
    /// The ID the next multi-value entry (a phone, an e-mail) gets; shared by all entities, as the
    /// portal's multifield table is.
    pub next_multi: u64,
}

impl Store {
    /// The records of one entity and partition, made empty if there were none.
    fn part_mut(&mut self, entity: &str, partition: &Partition) -> &mut Part {
        self.entities
            .entry(entity.to_string())
            .or_default()
            .entry(partition.clone())
            .or_default()
    }

    /// Stores `fields` as a new record and returns its ID (IDs count from 1 per entity and
    /// partition). The ID field `key` is set to the ID.
    pub fn insert(
        &mut self,
        entity: &str,
        key: &str,
        partition: Partition,
        mut fields: Map<String, Value>,
    ) -> u64 {
        let part = self.part_mut(entity, &partition);
        let id = part.next_id.max(1);
        part.next_id = id + 1;
        fields.insert(key.to_string(), Value::from(id));
        part.records.insert(
            id,
            Record {
                partition: partition.clone(),
                fields,
            },
        );
        self.journal.push(Written {
            entity: entity.to_string(),
            partition,
            id,
            write: Write::Add,
            removed: None,
        });
        id
    }

    /// Stores `fields` as a new record the caller named: its ID field `key` keeps the `name`
    /// given (`ENTITY`, `CODE`), the store's own ID only finds it. See [`Store::named`].
    pub fn insert_named(
        &mut self,
        entity: &str,
        key: &str,
        partition: Partition,
        mut fields: Map<String, Value>,
        name: Value,
    ) -> u64 {
        let id = self.insert(entity, key, partition.clone(), fields.clone());
        fields.insert(key.to_string(), name);
        if let Some(r) = self.get_mut(entity, &partition, id) {
            r.fields = fields;
        }
        id
    }

    /// The store's ID of the record of `partition` whose `key` field is `name` (text compared, so
    /// `"7"` finds `7`). Only named families look records up this way; it walks the partition.
    pub fn named(&self, entity: &str, partition: &Partition, key: &str, name: &str) -> Option<u64> {
        let part = self.entities.get(entity)?.get(partition)?;
        part.records
            .iter()
            .find(|(_, r)| {
                value::field(&r.fields, key)
                    .and_then(value::text)
                    .is_some_and(|t| t == name)
            })
            .map(|(id, _)| *id)
    }

    /// Journals that the record `id` was changed (through [`Store::get_mut`]).
    pub fn updated(&mut self, entity: &str, partition: &Partition, id: u64) {
        self.journal.push(Written {
            entity: entity.to_string(),
            partition: partition.clone(),
            id,
            write: Write::Update,
            removed: None,
        });
    }

    /// The record `id` of `entity` within `partition`.
    pub fn get(&self, entity: &str, partition: &Partition, id: u64) -> Option<&Record> {
        self.entities.get(entity)?.get(partition)?.records.get(&id)
    }

    /// The record `id` of `entity` within `partition`, to change.
    pub fn get_mut(&mut self, entity: &str, partition: &Partition, id: u64) -> Option<&mut Record> {
        self.entities
            .get_mut(entity)?
            .get_mut(partition)?
            .records
            .get_mut(&id)
    }

    /// Removes the record; `false` when there was none.
    pub fn remove(&mut self, entity: &str, partition: &Partition, id: u64) -> bool {
        let removed = self
            .entities
            .get_mut(entity)
            .and_then(|e| e.get_mut(partition))
            .and_then(|p| p.records.remove(&id));
        let Some(record) = removed else {
            return false;
        };
        self.journal.push(Written {
            entity: entity.to_string(),
            partition: partition.clone(),
            id,
            write: Write::Delete,
            removed: Some(record.fields),
        });
        true
    }

    /// Removes every record of `partition` (its ID sequence goes on).
    pub fn clear(&mut self, entity: &str, partition: &Partition) {
        if let Some(p) = self
            .entities
            .get_mut(entity)
            .and_then(|e| e.get_mut(partition))
        {
            p.records.clear();
        }
    }

    /// Keeps only the records of `partition` that pass `keep` (its ID sequence goes on).
    pub fn retain(
        &mut self,
        entity: &str,
        partition: &Partition,
        keep: impl Fn(&Map<String, Value>) -> bool,
    ) {
        if let Some(p) = self
            .entities
            .get_mut(entity)
            .and_then(|e| e.get_mut(partition))
        {
            p.records.retain(|_, r| keep(&r.fields));
        }
    }

    /// The settings of `partition` (`[state]` `set_values`, `get_values`): its one record's
    /// fields, when anything was set.
    pub fn settings(&self, entity: &str, partition: &Partition) -> Option<&Map<String, Value>> {
        self.get(entity, partition, SETTINGS_ID).map(|r| &r.fields)
    }

    /// The settings of `partition`, to change; created empty (no ID field: every key is a
    /// setting) when nothing was set yet.
    pub fn settings_mut(&mut self, entity: &str, partition: &Partition) -> &mut Map<String, Value> {
        let part = self.part_mut(entity, partition);
        part.next_id = part.next_id.max(SETTINGS_ID + 1);
        &mut part
            .records
            .entry(SETTINGS_ID)
            .or_insert_with(|| Record {
                partition: partition.clone(),
                fields: Map::new(),
            })
            .fields
    }

    /// The records of `partition`, in ID order.
    pub fn in_partition<'a>(
        &'a self,
        entity: &str,
        partition: &'a Partition,
    ) -> impl Iterator<Item = &'a Record> + 'a {
        self.entities
            .get(entity)
            .and_then(|e| e.get(partition))
            .into_iter()
            .flat_map(|p| p.records.values())
    }

    /// Every record of `entity`, by partition, then in ID order.
    pub fn all(&self, entity: &str) -> Vec<&Record> {
        self.entities
            .get(entity)
            .map(|e| e.values().flat_map(|p| p.records.values()).collect())
            .unwrap_or_default()
    }

    /// Replaces the records of `entity` (only those of `only`, when given). Records whose `key`
    /// holds a whole number keep it as their ID (`0` too: the default deal category is 0);
    /// others get new ones above the largest of their partition.
    pub fn replace(
        &mut self,
        entity: &str,
        key: &str,
        records: Vec<Record>,
        only: Option<&Partition>,
    ) {
        let e = self.entities.entry(entity.to_string()).or_default();
        match only {
            Some(p) => {
                if let Some(part) = e.get_mut(p) {
                    part.records.clear();
                }
            }
            None => e.values_mut().for_each(|p| p.records.clear()),
        }
        let mut unnumbered = Vec::new();
        for r in records {
            match value::field(&r.fields, key).and_then(value::number) {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n < 9e15 => {
                    let part = e.entry(r.partition.clone()).or_default();
                    part.next_id = part.next_id.max(n as u64 + 1);
                    part.records.insert(n as u64, r);
                }
                _ => unnumbered.push(r),
            }
        }
        for mut r in unnumbered {
            let part = e.entry(r.partition.clone()).or_default();
            let next = part
                .records
                .keys()
                .next_back()
                .map_or(1, |k| k + 1)
                .max(part.next_id);
            r.fields.insert(key.to_string(), Value::from(next));
            part.records.insert(next, r);
            part.next_id = next + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn partitions_split_and_ids_count_per_entity() {
        let mut s = Store::default();
        let two = vec!["2".to_string()];
        let one = vec!["1".to_string()];
        assert_eq!(
            s.insert("crm.item", "id", two.clone(), fields(json!({"title": "a"}))),
            1
        );
        // Each partition counts its own IDs, as deals and leads do.
        assert_eq!(
            s.insert("crm.item", "id", one.clone(), fields(json!({}))),
            1
        );
        assert_eq!(s.insert("crm.deal", "ID", vec![], fields(json!({}))), 1);
        assert!(s.get("crm.item", &two, 1).is_some());
        assert!(s.get("crm.item", &one, 2).is_none());
        assert!(!s.remove("crm.item", &one, 2));
        assert!(s.remove("crm.item", &two, 1));
        assert_eq!(s.in_partition("crm.item", &one).count(), 1);
        assert_eq!(s.in_partition("crm.item", &two).count(), 0);
    }

    #[test]
    fn replace_keeps_given_ids() {
        let mut s = Store::default();
        let p = Vec::new();
        let recs = vec![
            Record {
                partition: p.clone(),
                fields: fields(json!({"ID": "7"})),
            },
            Record {
                partition: p.clone(),
                fields: fields(json!({"NAME": "x"})),
            },
        ];
        s.replace("e", "ID", recs, None);
        assert!(s.get("e", &p, 7).is_some());
        assert_eq!(
            s.get("e", &p, 8).map(|r| r.fields["ID"].clone()),
            Some(json!(8))
        );
        assert_eq!(s.insert("e", "ID", p, Map::new()), 9);
    }
}
