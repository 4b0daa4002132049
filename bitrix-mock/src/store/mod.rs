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

/// The records of one entity.
#[derive(Debug, Default)]
struct Entity {
    /// The ID the next added record gets.
    next_id: u64,
    records: BTreeMap<u64, Record>,
}

/// Every entity's records.
#[derive(Debug, Default)]
pub struct Store {
    entities: BTreeMap<String, Entity>,
    /// The ID the next multi-value entry (a phone, an e-mail) gets; shared by all entities, as the
    /// portal's multifield table is.
    pub next_multi: u64,
}

impl Store {
    /// Stores `fields` as a new record and returns its ID (IDs count from 1 per entity). The ID
    /// field `key` is set to the ID.
    pub fn insert(
        &mut self,
        entity: &str,
        key: &str,
        partition: Partition,
        mut fields: Map<String, Value>,
    ) -> u64 {
        let e = self.entities.entry(entity.to_string()).or_default();
        let id = e.next_id.max(1);
        e.next_id = id + 1;
        fields.insert(key.to_string(), Value::from(id));
        e.records.insert(id, Record { partition, fields });
        id
    }

    /// The record `id` of `entity` within `partition`.
    pub fn get(&self, entity: &str, partition: &Partition, id: u64) -> Option<&Record> {
        self.entities
            .get(entity)?
            .records
            .get(&id)
            .filter(|r| &r.partition == partition)
    }

    /// The record `id` of `entity` within `partition`, to change.
    pub fn get_mut(&mut self, entity: &str, partition: &Partition, id: u64) -> Option<&mut Record> {
        self.entities
            .get_mut(entity)?
            .records
            .get_mut(&id)
            .filter(|r| &r.partition == partition)
    }

    /// Removes the record; `false` when there was none.
    pub fn remove(&mut self, entity: &str, partition: &Partition, id: u64) -> bool {
        if self.get(entity, partition, id).is_none() {
            return false;
        }
        self.entities
            .get_mut(entity)
            .is_some_and(|e| e.records.remove(&id).is_some())
    }

    /// The records of `partition`, in ID order.
    pub fn in_partition<'a>(
        &'a self,
        entity: &str,
        partition: &'a Partition,
    ) -> impl Iterator<Item = &'a Record> + 'a {
        self.entities
            .get(entity)
            .into_iter()
            .flat_map(|e| e.records.values())
            .filter(move |r| &r.partition == partition)
    }

    /// Every record of `entity`, in ID order.
    pub fn all(&self, entity: &str) -> Vec<&Record> {
        self.entities
            .get(entity)
            .map(|e| e.records.values().collect())
            .unwrap_or_default()
    }

    /// Replaces all records of `entity`. Records whose `key` holds a positive integer keep it as
    /// their ID; others get new ones above the largest.
    pub fn replace(&mut self, entity: &str, key: &str, records: Vec<Record>) {
        let e = self.entities.entry(entity.to_string()).or_default();
        e.records.clear();
        let mut unnumbered = Vec::new();
        for r in records {
            match r.fields.get(key).and_then(value::number) {
                Some(n) if n >= 1.0 && n.fract() == 0.0 && n < 9e15 => {
                    e.records.insert(n as u64, r);
                }
                _ => unnumbered.push(r),
            }
        }
        let mut next = e.records.keys().next_back().map_or(1, |k| k + 1);
        for mut r in unnumbered {
            r.fields.insert(key.to_string(), Value::from(next));
            e.records.insert(next, r);
            next += 1;
        }
        e.next_id = e.next_id.max(next);
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
        assert_eq!(
            s.insert("crm.item", "id", one.clone(), fields(json!({}))),
            2
        );
        assert_eq!(s.insert("crm.deal", "ID", vec![], fields(json!({}))), 1);
        assert!(s.get("crm.item", &two, 1).is_some());
        assert!(s.get("crm.item", &one, 1).is_none());
        assert!(!s.remove("crm.item", &one, 1));
        assert!(s.remove("crm.item", &two, 1));
        assert_eq!(s.in_partition("crm.item", &one).count(), 1);
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
        s.replace("e", "ID", recs);
        assert!(s.get("e", &p, 7).is_some());
        assert_eq!(
            s.get("e", &p, 8).map(|r| r.fields["ID"].clone()),
            Some(json!(8))
        );
        assert_eq!(s.insert("e", "ID", p, Map::new()), 9);
    }
}
