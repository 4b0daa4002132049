//! REST 3.0 `Idempotency-Key`: a successful write's answer is kept per (application or webhook,
//! user, method, key) for 24 emulated hours. The same key with the same body replays the answer;
//! with another body it is refused; a failed call is not kept, so repeating it runs it again.

use std::collections::BTreeMap;

use serde_json::Value;

/// How long an answer is kept, in emulated seconds.
const TTL: f64 = 24.0 * 3600.0;
/// Most answers kept at once; beyond it the one expiring first is dropped, so a long run with
/// many keys stays bounded.
const MAX_KEPT: usize = 100_000;

/// Who sent the key: (application or webhook, user, method, key).
pub type Slot = (String, u64, String, String);

/// A kept answer.
#[derive(Debug, Clone)]
struct Kept {
    request: Value,
    status: u16,
    body: Value,
    expires: f64,
}

/// What to do with a call carrying a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// Not seen (or expired): run the method.
    Fresh,
    /// Seen with the same body: send this (status, body) again.
    Replay(u16, Value),
    /// Seen with another body.
    Reused,
}

/// The kept answers.
#[derive(Debug, Default)]
pub struct Replays {
    kept: BTreeMap<Slot, Kept>,
}

impl Replays {
    /// Looks `slot` up for a call with `request` at `now`.
    pub fn lookup(&mut self, slot: &Slot, request: &Value, now: f64) -> Lookup {
        self.kept.retain(|_, k| k.expires > now);
        match self.kept.get(slot) {
            None => Lookup::Fresh,
            Some(k) if &k.request == request => Lookup::Replay(k.status, k.body.clone()),
            Some(_) => Lookup::Reused,
        }
    }

    /// Keeps a successful answer.
    pub fn keep(&mut self, slot: Slot, request: Value, status: u16, body: Value, now: f64) {
        if self.kept.len() >= MAX_KEPT {
            let oldest = self
                .kept
                .iter()
                .min_by(|a, b| a.1.expires.total_cmp(&b.1.expires))
                .map(|(s, _)| s.clone());
            if let Some(oldest) = oldest {
                self.kept.remove(&oldest);
            }
        }
        self.kept.insert(
            slot,
            Kept {
                request,
                status,
                body,
                expires: now + TTL,
            },
        );
    }
}

/// The key when it is 1 to 255 printable ASCII characters (rest-v3.md), else `None`.
pub fn valid_key(raw: &[u8]) -> Option<String> {
    let fits = (1..=255).contains(&raw.len()) && raw.iter().all(|b| (0x20..=0x7e).contains(b));
    fits.then(|| String::from_utf8_lossy(raw).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn replay_reuse_and_expiry() {
        let mut r = Replays::default();
        let slot: Slot = ("app".into(), 1, "m".into(), "k".into());
        assert_eq!(r.lookup(&slot, &json!({"a": 1}), 0.0), Lookup::Fresh);
        r.keep(
            slot.clone(),
            json!({"a": 1}),
            200,
            json!({"result": 1}),
            0.0,
        );
        assert_eq!(
            r.lookup(&slot, &json!({"a": 1}), 10.0),
            Lookup::Replay(200, json!({"result": 1}))
        );
        assert_eq!(r.lookup(&slot, &json!({"a": 2}), 10.0), Lookup::Reused);
        assert_eq!(r.lookup(&slot, &json!({"a": 1}), TTL + 1.0), Lookup::Fresh);
    }

    #[test]
    fn keys_are_printable_ascii_up_to_255() {
        assert_eq!(valid_key(b"9f1c-uuid"), Some("9f1c-uuid".into()));
        assert!(valid_key(b"").is_none());
        assert!(valid_key(&[b'a'; 256]).is_none());
        assert!(valid_key(&[b'a'; 255]).is_some());
        assert!(valid_key("ключ".as_bytes()).is_none());
        assert!(valid_key(b"tab\there").is_none());
    }
}
