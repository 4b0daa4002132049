//! The reference data every portal has from its first day, loaded into the store on start: the
//! current user (ID 1, an administrator) and a few colleagues, departments, CRM statuses and
//! sources as a fresh portal has them, the default deal category, currencies. The built-in set
//! is `seed/portal.json`; [`Config::seed_file`](crate::Config::seed_file) loads another of the
//! same form: `{"entities": [{"entity": "crm.status", "partition": ["2"], "records": [...]}]}`.
//! A value written `"$now"` is the emulator's time at start, in ISO 8601 (the event log's entries
//! of the day the portal was set up).

use std::collections::BTreeMap;

use bitrix_codegen::model::Action;
use bitrix_codegen::Method;
use serde_json::{Map, Value};

use crate::config::Config;
use crate::store::{Record, Store};

/// The built-in reference data.
const PORTAL: &str = include_str!("../seed/portal.json");

/// A seed value standing for the time the emulator started.
const NOW: &str = "$now";

/// A store holding the configured reference data. Entities no spec names are skipped (a
/// portal built from other specs has no use for them); a file that cannot be read or is not of
/// the documented form is an error.
pub fn load(
    config: &Config,
    methods: &BTreeMap<String, Method>,
    now: f64,
) -> Result<Store, String> {
    let text = match &config.seed_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("seed data {}: {e}", path.display()))?,
        None => PORTAL.to_string(),
    };
    let doc: Value =
        serde_json::from_str(&text).map_err(|e| format!("seed data is not JSON: {e}"))?;
    let groups = doc
        .get("entities")
        .and_then(Value::as_array)
        .ok_or("seed data needs `entities`: a list of {entity, partition, records}")?;
    let mut store = Store::default();
    for g in groups {
        let entity = g
            .get("entity")
            .and_then(Value::as_str)
            .ok_or("a seed group needs `entity`")?;
        let Some(key) = methods
            .values()
            .filter_map(|m| m.state.as_ref())
            .find(|st| st.entity == entity)
            .map(|st| st.key.clone())
        else {
            continue;
        };
        let partition: Vec<String> = match g.get("partition") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(p)) => p
                .iter()
                .map(|v| crate::store::value::text(v).ok_or("partition values are scalars"))
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("`partition` is a list".into()),
        };
        let records = g
            .get("records")
            .and_then(Value::as_array)
            .ok_or("a seed group needs `records`")?
            .iter()
            .map(|r| match r {
                Value::Object(fields) => Ok(Record {
                    partition: partition.clone(),
                    fields: fields
                        .iter()
                        .map(|(k, v)| match v {
                            Value::String(s) if s == NOW => {
                                (k.clone(), Value::from(crate::clock::iso8601(now)))
                            }
                            v => (k.clone(), v.clone()),
                        })
                        .collect(),
                }),
                _ => Err("every seed record is an object".to_string()),
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut all: Vec<Record> = store.all(entity).into_iter().cloned().collect();
        all.extend(records);
        store.replace(entity, &key, all, None);
    }
    documented(methods, &mut store);
    Ok(store)
}

/// The records of each `[state] documented` list's documented answer, stored under the name
/// their key field holds (REST 3.0 field descriptions: `tasks.task.field.list`'s `name`), so
/// that the list serves them and the family's named get finds them; and the settings a
/// `documented` `get_values` answers before anything is set. Seeding is no write: the
/// journal that raises events is left empty.
fn documented(methods: &BTreeMap<String, Method>, store: &mut Store) {
    for m in methods.values() {
        let Some(st) = m.state.as_ref().filter(|st| st.documented) else {
            continue;
        };
        let Some(result) = m
            .examples
            .iter()
            .filter(|e| e.status == 200)
            .find_map(|e| e.response.as_ref()?.get("result"))
        else {
            continue;
        };
        let inner = match st.wrap.as_deref().or(m.result.items.as_deref()) {
            Some(key) => result.get(key).unwrap_or(&Value::Null),
            None => result,
        };
        let partition: Vec<String> = st.partition_value.clone();
        // Settings start as the documented answer shows them: the one `pick`ed value, or every
        // key of the documented object.
        if st.action == Action::GetValues {
            let start: Map<String, Value> = match (&st.pick, inner) {
                (Some(key), v) if !v.is_null() => Map::from_iter([(key.clone(), v.clone())]),
                (None, Value::Object(map)) => map.clone(),
                _ => continue,
            };
            store.settings_mut(&st.entity, &partition).extend(start);
            continue;
        }
        for record in inner.as_array().into_iter().flatten() {
            let (Some(fields), Some(name)) = (record.as_object(), record.get(&st.key)) else {
                continue;
            };
            let taken = crate::store::value::text(name)
                .is_some_and(|n| store.named(&st.entity, &partition, &st.key, &n).is_some());
            if !taken {
                store.insert_named(
                    &st.entity,
                    &st.key,
                    partition.clone(),
                    fields.clone(),
                    name.clone(),
                );
            }
        }
    }
    store.journal.clear();
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_built_in_data_reads() {
        let methods = crate::specs::methods().expect("specs");
        let store = super::load(&crate::Config::new(), &methods, 0.0).expect("seed");
        assert!(store.all("crm.status").len() > 20);
        let log = store.all("main.eventlog");
        assert!(!log.is_empty());
        assert_eq!(log[0].fields["timestampX"], "1970-01-01T00:00:00+00:00");
        assert!(!store.all("user").is_empty());
    }
}
