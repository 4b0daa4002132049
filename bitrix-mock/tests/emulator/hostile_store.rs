//! Random parameters for every stateful method, form and JSON: the emulator answers each with a
//! 2xx or 4xx JSON body and keeps serving. The generator is seeded, so a failure repeats.

use crate::common;

use bitrix_mock::{Config, Emulator};
use common::{post_json, post_raw};
use serde_json::{json, Map, Value};

/// SplitMix64: reproducible draws without a random-number crate.
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn value(&mut self, depth: usize) -> Value {
        let texts = [
            "", "NaN", "-1", "0", "1e400", "ASC", "desc", "/ éé", "%", "@", "=", "Y",
        ];
        match self.below(if depth > 3 { 5 } else { 8 }) {
            0 => Value::Null,
            1 => json!(self.below(2) == 0),
            2 => json!(self.next() as i64),
            3 => json!(self.pick(&texts)),
            4 => json!((self.next() % 1000) as f64 / 7.0),
            5 => Value::Array((0..self.below(4)).map(|_| self.value(depth + 1)).collect()),
            _ => Value::Object(self.object(depth + 1)),
        }
    }

    fn object(&mut self, depth: usize) -> Map<String, Value> {
        let keys = [
            "id",
            "title",
            ">opportunity",
            "!@id",
            "%title",
            "@stageId",
            "0",
            "logic",
            "ufCrm_1",
            "UF_CRM_X",
            "fm",
            "=",
            "!",
            "nope",
            "stageId",
            "",
            "createdTime",
        ];
        (0..self.below(5))
            .map(|_| (self.pick(&keys).to_string(), self.value(depth)))
            .collect()
    }
}

#[tokio::test]
async fn random_parameters_never_break_the_store() {
    let emu = Emulator::start(Config::new()).await.expect("starts");
    let hook = emu.webhook_url();
    let mut draw = Draw(12345);
    let methods = ["add", "get", "list", "update", "delete", "fields"];
    let params = [
        "entityTypeId",
        "id",
        "fields",
        "filter",
        "order",
        "select",
        "start",
    ];
    let (mut answered, mut refused) = (0, 0);
    for round in 0..300 {
        let method = format!("crm.item.{}", draw.pick(&methods));
        let mut body = Map::new();
        body.insert("entityTypeId".into(), json!(2));
        for _ in 0..draw.below(5) {
            let key = draw.pick(&params).to_string();
            let value = draw.value(0);
            body.insert(key, value);
        }
        let url = format!("{hook}{method}");
        let (status, answer) = if round % 2 == 0 {
            post_json(&url, &Value::Object(body)).await
        } else {
            // The same as a form body, through the PHP bracket encoder of the events.
            let form = form(&Value::Object(body));
            post_raw(&url, "application/x-www-form-urlencoded", &form).await
        };
        assert!(
            (200..500).contains(&status) && answer.is_object(),
            "round {round} {method}: {status} {answer}"
        );
        if status == 200 {
            answered += 1;
        } else {
            refused += 1;
        }
    }
    // Both paths were exercised, not only refusals.
    assert!(
        answered > 20 && refused > 20,
        "{answered} answered, {refused} refused"
    );
    assert_eq!(
        post_json(&format!("{hook}crm.item.list"), &json!({"entityTypeId": 2}))
            .await
            .0,
        200
    );
}

/// PHP bracket form encoding.
fn form(value: &Value) -> String {
    fn walk(key: String, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m
                .iter()
                .for_each(|(k, v)| walk(format!("{key}[{k}]"), v, out)),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, v)| walk(format!("{key}[{i}]"), v, out)),
            Value::String(s) => out.push(format!("{}={}", esc(&key), esc(s))),
            other => out.push(format!("{}={}", esc(&key), esc(&other.to_string()))),
        }
    }
    fn esc(s: &str) -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    }
    let mut out = Vec::new();
    if let Value::Object(m) = value {
        m.iter().for_each(|(k, v)| walk(k.clone(), v, &mut out));
    }
    out.join("&")
}
