//! A family's template, derived from its specs: the documented record's keys and their forms,
//! with `[state.form]` where the example cannot tell, and the result type where the example
//! shows `null`.

use std::collections::{BTreeMap, HashMap, HashSet};

use bitrix_codegen::model::{Action, Answer, StateDef, WireForm};
use bitrix_codegen::Method;
use serde_json::{Map, Value};

use super::form::{DateShape, Out};
use super::keyed::Keyed;
use crate::names::{self, family, is_upper, loose, same_as, to_camel, to_upper};
use crate::store::shape::{is_user_field, Kind, Shape};

/// One output field.
#[derive(Debug, Clone, PartialEq)]
struct Slot {
    name: String,
    loose: String,
    out: Out,
    /// What an unset field answers: `null`, `[]` for lists, the example's value for flags
    /// (`Y`/`N` and `true`/`false` alike).
    unset: Value,
    /// The example's value when it shows one (not `null`).
    filled: Option<Value>,
    /// The object the portal answers the value inside, when the example shows one.
    keyed: Option<Keyed>,
}

/// How a family writes its records.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Template {
    slots: Vec<Slot>,
    /// Field names are UPPER_SNAKE (`crm.deal`) rather than camelCase (`crm.item`).
    upper: bool,
    /// The slots [`Template::stamp`] fills: shown filled, taken by no add or update, not the ID.
    stamps: Vec<usize>,
    /// Built from a documented record (not from the result type alone, where every field reads
    /// `null` for want of an example).
    documented: bool,
}

impl Template {
    /// Whether the family documents no record (its records are answered as stored).
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Stamps a new record with what the portal fills itself: the fields the family shows filled
    /// in its example but its add and update methods do not take. Dates get the creation time,
    /// user fields (`createdBy`, `MODIFIED_BY`, `authorId`) the caller, others the empty value of
    /// the example's form (`""`, `"0"`, `"0.00"`, `0`, `{}`), so that they read as the portal's
    /// types; a field the example shows `null` stays unset.
    pub fn stamp(&self, record: &mut Map<String, Value>, now: &str, user: u64) {
        for &i in &self.stamps {
            let slot = &self.slots[i];
            // Pairwise, without allocating: most pairs differ at their first letters, which
            // measured cheaper than hashing every name's loose form.
            if record.keys().any(|k| names::loose_eq(k, &slot.name)) {
                continue;
            }
            let l = &slot.loose;
            let by_user = l.ends_with("by")
                || l.ends_with("byid")
                || l.ends_with("userid")
                || l == "authorid";
            let value = match slot.out {
                Out::Date(_) => Value::from(now),
                Out::IntText | Out::Number if by_user => Value::from(user),
                Out::IntText => Value::from("0"),
                Out::Number | Out::Decimal(_) => Value::from(0),
                Out::Text => Value::from(""),
                Out::Raw if slot.filled.as_ref().is_some_and(Value::is_object) => {
                    Value::Object(Map::new())
                }
                _ => continue,
            };
            record.insert(slot.name.clone(), value);
        }
    }

    /// Takes out of a new record the fields of `names` the family's documented record shows
    /// `null`: a requisite or generated document nobody changed yet has no modifier
    /// (`MODIFY_BY_ID`, `updatedBy`), while a deal's example shows it filled from creation; a
    /// task template's checklist item has no creator (`createdBy`).
    pub fn unset_shown_null(&self, record: &mut Map<String, Value>, names: &[&str]) {
        if !self.documented {
            return;
        }
        for name in names {
            let null = self
                .slots
                .iter()
                .any(|s| s.filled.is_none() && names::loose_eq(&s.name, name));
            if null {
                record.remove(*name);
            }
        }
    }

    /// Puts given values the family answers with value IDs (`{"3743": "1269"}`, `{value,
    /// valueId}`) into that form, IDs from `next_id`, so that every read shows the same IDs.
    pub fn with_value_ids(&self, given: &mut Map<String, Value>, next_id: &mut u64) {
        for (name, v) in given.iter_mut() {
            let l = loose(name);
            let keyed = self
                .slots
                .iter()
                .find(|s| s.loose == l)
                .and_then(|s| s.keyed)
                .filter(|k| k.needs_ids());
            if let Some(k) = keyed {
                *v = k.wrap(v, next_id);
            }
        }
    }

    /// `record` as the family answers it: every documented key in its form, then the stored
    /// fields the family knows or the user fields, in its casing.
    pub fn render(&self, record: &Map<String, Value>, shape: &Shape) -> Map<String, Value> {
        if self.slots.is_empty() {
            return record.clone();
        }
        // One loose name per stored key, looked up by hash: a record of 50 fields renders in
        // 50 lookups, not 2,500 comparisons.
        let stored: HashMap<String, (&String, &Value)> =
            record.iter().map(|(k, v)| (loose(k), (k, v))).collect();
        let mut used: HashSet<&str> = HashSet::new();
        let mut out = Map::new();
        for slot in &self.slots {
            let found = stored.get(&slot.loose).or_else(|| {
                same_as(&slot.loose)
                    .iter()
                    .find_map(|alias| stored.get(*alias))
            });
            let value = match found {
                Some((k, v)) => {
                    used.insert(k.as_str());
                    if v.is_null() {
                        slot.unset.clone()
                    } else if let Some(keyed) = slot.keyed {
                        keyed.render(v)
                    } else {
                        slot.out.apply(v)
                    }
                }
                None => slot.unset.clone(),
            };
            out.insert(slot.name.clone(), value);
        }
        for (name, v) in record {
            if used.contains(name.as_str()) {
                continue;
            }
            let name = if self.upper {
                to_upper(name)
            } else {
                to_camel(name)
            };
            if out.contains_key(&name) {
                continue;
            }
            if is_user_field(&name) || shape.fields.contains_key(&name) {
                out.insert(name, v.clone());
            }
        }
        out
    }
}

/// A documented record and how good a witness of the family's form it is (0 best).
type Witness = (u8, Map<String, Value>);

/// The template of every family that documents a record.
pub fn catalog<'a>(
    methods: impl Iterator<Item = &'a Method> + Clone,
    shapes: &BTreeMap<String, Shape>,
) -> BTreeMap<String, Template> {
    let mut examples: BTreeMap<String, Vec<Witness>> = BTreeMap::new();
    let mut forms: BTreeMap<String, BTreeMap<String, WireForm>> = BTreeMap::new();
    for m in methods {
        let Some(st) = &m.state else { continue };
        let fam = family(m);
        forms
            .entry(fam.clone())
            .or_default()
            .extend(st.form.iter().map(|(k, v)| (k.clone(), *v)));
        // A get example is the best witness, then a list's, then an add's that shows the record.
        let rank = match st.action {
            // The caller's own record (`user.current`) shows a user in session, dates of activity
            // filled; a list's is the better witness of a record as added.
            Action::Get if st.id.as_deref() == Some("$caller") => 2,
            Action::Get | Action::GetValues => 0,
            Action::List | Action::GetRows => 1,
            Action::Add | Action::Update => 2,
            _ => continue,
        };
        let Some(rec) = documented_record(m, st) else {
            continue;
        };
        examples.entry(fam).or_default().push((rank, rec));
    }
    // The best witness first; the others add the keys it leaves out (a get example showing a
    // few fields, a list example showing them all).
    let examples = examples.into_iter().map(|(fam, mut recs)| {
        recs.sort_by_key(|(rank, _)| *rank);
        let mut merged = Map::new();
        let mut seen: HashSet<String> = HashSet::new();
        for (_, rec) in recs {
            for (k, v) in rec {
                if seen.insert(loose(&k)) {
                    merged.insert(k, v);
                }
            }
        }
        (fam, (0u8, merged))
    });
    let empty = Shape::default();
    let mut out: BTreeMap<String, Template> = examples
        .into_iter()
        .map(|(fam, (_, rec))| {
            let shape = shapes.get(&fam).unwrap_or(&empty);
            let mut t = build(&rec, shape, forms.get(&fam));
            t.documented = true;
            (fam, t)
        })
        .collect();
    // A family without a documented record answers the fields its types declare, in their names.
    for (fam, shape) in shapes {
        if out.contains_key(fam) || shape.fields.is_empty() {
            continue;
        }
        let mut rec: Map<String, Value> = Map::new();
        rec.insert(shape.key.clone(), Value::Null);
        for name in shape.fields.keys() {
            rec.insert(name.clone(), Value::Null);
        }
        out.insert(fam.clone(), build(&rec, shape, forms.get(fam)));
    }
    out
}

/// The record a method's first documented success shows: `result`, under `wrap` or the
/// result's `items` key, the first of a list.
pub fn documented_record(m: &Method, st: &StateDef) -> Option<Map<String, Value>> {
    let result = m
        .examples
        .iter()
        .filter(|e| e.status == 200)
        .find_map(|e| e.response.as_ref()?.get("result").cloned())?;
    let mut node = result;
    for key in [st.wrap.as_deref(), m.result.items.as_deref()]
        .into_iter()
        .flatten()
    {
        if let Some(inner) = node.get(key) {
            node = inner.clone();
        }
    }
    if let Value::Array(items) = node {
        node = items.into_iter().next()?;
    }
    // Records keyed by their key (`{"5": {...}}`): the first one.
    if st.answer == Answer::Keyed {
        if let Value::Object(map) = node {
            node = map.into_iter().next()?.1;
        }
    }
    match node {
        Value::Object(map) if !map.is_empty() && !map.keys().all(|k| k.parse::<u64>().is_ok()) => {
            Some(map)
        }
        _ => None,
    }
}

fn build(
    rec: &Map<String, Value>,
    shape: &Shape,
    forms: Option<&BTreeMap<String, WireForm>>,
) -> Template {
    let keys: Vec<&String> = rec.keys().filter(|k| !is_user_field(k)).collect();
    let upper = keys.iter().filter(|k| is_upper(k)).count() * 2 > keys.len();
    // How the example writes numbers and dates, for its `null` fields of those kinds.
    let mut int_text = 0i32;
    let mut date = None;
    for (k, v) in rec {
        match (shape.fields.get(k), Out::of_example(v)) {
            (Some(Kind::Integer), Some(Out::IntText)) => int_text += 1,
            (Some(Kind::Integer), Some(Out::Number)) => int_text -= 1,
            (_, Some(Out::Date(s))) if date.is_none() => date = Some(s),
            _ => {}
        }
    }
    let numbers_as_text = int_text > 0;
    let slots: Vec<Slot> = keys
        .into_iter()
        .map(|name| {
            let v = &rec[name];
            let given = forms.and_then(|f| f.get(name)).map(|f| from_word(*f));
            let keyed = given.is_none().then(|| Keyed::of_example(v)).flatten();
            let out = given
                .or_else(|| Out::of_example(v))
                .or_else(|| {
                    shape
                        .fields
                        .get(name)
                        .map(|k| from_kind(*k, numbers_as_text, date))
                })
                .unwrap_or(Out::Raw);
            let unset = match (out, v) {
                (Out::Flag | Out::Bool, v) => v.clone(),
                (_, Value::Array(_)) => Value::Array(Vec::new()),
                _ => Value::Null,
            };
            Slot {
                loose: loose(name),
                name: name.clone(),
                out,
                unset,
                filled: (!v.is_null()).then(|| v.clone()),
                keyed,
            }
        })
        .collect();
    let key = loose(&shape.key);
    let stamps = slots
        .iter()
        .enumerate()
        .filter(|(_, s): &(usize, &Slot)| {
            s.filled.is_some()
                && !shape.writable.is_empty()
                && !shape.writable.contains(&s.loose)
                && s.loose != key
                && s.loose != "id"
        })
        .map(|(i, _)| i)
        .collect();
    Template {
        slots,
        upper,
        stamps,
        documented: false,
    }
}

fn from_word(w: WireForm) -> Out {
    match w {
        WireForm::Text => Out::Text,
        WireForm::IntText => Out::IntText,
        WireForm::Money => Out::Decimal(2),
        WireForm::Number => Out::Number,
        WireForm::Flag => Out::Flag,
        WireForm::Boolean => Out::Bool,
        WireForm::Date => Out::Date(DateShape::IsoDate),
        WireForm::DateTime => Out::Date(DateShape::Iso),
        WireForm::Raw => Out::Raw,
    }
}

fn from_kind(k: Kind, numbers_as_text: bool, date: Option<DateShape>) -> Out {
    match k {
        Kind::Integer if numbers_as_text => Out::IntText,
        Kind::Double if numbers_as_text => Out::Decimal(2),
        Kind::Integer | Kind::Double => Out::Number,
        Kind::Flag => Out::Flag,
        Kind::Boolean => Out::Bool,
        Kind::Date | Kind::DateTime => Out::Date(date.unwrap_or(DateShape::Iso)),
        Kind::Text => Out::Text,
        _ => Out::Raw,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_in_the_documented_form() {
        let rec = json!({"ID": "410", "TITLE": "x", "OPPORTUNITY": "100.00", "OPENED": "Y",
            "LEAD_ID": null, "DATE_CREATE": "2024-08-30T14:29:00+02:00", "UF_CRM_1": "a"});
        let mut shape = Shape::default();
        shape.fields.insert("LEAD_ID".into(), Kind::Integer);
        shape.fields.insert("ID".into(), Kind::Integer);
        let t = build(rec.as_object().unwrap(), &shape, None);
        let stored = json!({"id": 7, "title": "Deal", "opportunity": 5000, "createdTime": "2026-01-02T03:04:05+00:00", "ufCrm_5": 1});
        let out = Value::Object(t.render(stored.as_object().unwrap(), &shape));
        assert_eq!(
            out,
            json!({"ID": "7", "TITLE": "Deal", "OPPORTUNITY": "5000.00", "OPENED": "Y",
                "LEAD_ID": null, "DATE_CREATE": "2026-01-02T03:04:05+00:00", "UF_CRM_5": 1})
        );
    }
}
