//! Finding `auth[application_token]` in a raw body without decoding the rest, so that a forged
//! delivery costs a scan, not a full parse into JSON.

use serde::Deserialize;
use serde_json::Value;

use super::{form, EventError};

/// The token as sent: `Ok(Some)` a non-empty string, `Ok(None)` absent or empty, `Err(Forged)`
/// a value that is no string (a list, an object).
pub(crate) fn find_token(json: bool, body: &[u8]) -> Result<Option<String>, EventError> {
    if json {
        from_json(body)
    } else {
        Ok(from_form(body))
    }
}

/// Form bodies: the last `auth[application_token]` pair wins, as in PHP. Only keys are decoded
/// until the pair is found; a body that is no UTF-8 has no token.
fn from_form(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    let mut found = None;
    for pair in text.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        // Cheap prefix check before decoding: the key starts `auth` however it is escaped.
        if !k.starts_with("auth") {
            continue;
        }
        if form::decode(k).ok().as_deref() == Some("auth[application_token]") {
            found = form::decode(v).ok();
        }
    }
    found.filter(|t| !t.is_empty())
}

/// JSON bodies: only `auth.application_token` is kept; everything else is skipped unallocated.
fn from_json(body: &[u8]) -> Result<Option<String>, EventError> {
    #[derive(Deserialize)]
    struct Top {
        #[serde(default)]
        auth: Option<AuthOnly>,
    }
    #[derive(Deserialize)]
    struct AuthOnly {
        #[serde(default)]
        application_token: Option<Value>,
    }
    // A body that does not parse, or is no object, is malformed whoever sent it; one whose
    // `auth` is no object has no token.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(EventError::Malformed {
            reason: "the body is not an object".into(),
        });
    }
    let top: Top = match serde_json::from_slice(body) {
        Ok(t) => t,
        Err(e) if e.is_data() => return Ok(None),
        Err(e) => {
            return Err(EventError::Malformed {
                reason: format!("the JSON body does not parse: {e}"),
            })
        }
    };
    match top.auth.and_then(|a| a.application_token) {
        Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
        Some(Value::String(_) | Value::Null) | None => Ok(None),
        Some(_) => Err(EventError::Forged),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_in_forms_and_json() {
        let form = b"event=X&data[A]=1&auth%5Bapplication_token%5D=t%2B1&auth[domain]=d";
        assert_eq!(find_token(false, form).unwrap().as_deref(), Some("t+1"));
        assert_eq!(
            find_token(false, b"event=X&auth[application_token]=").unwrap(),
            None
        );
        let json = br#"{"event":"X","data":{"big":[1,2,3]},"auth":{"application_token":"t"}}"#;
        assert_eq!(find_token(true, json).unwrap().as_deref(), Some("t"));
        assert!(find_token(true, br#"{"auth":{"application_token":[1]}}"#).is_err());
        assert!(find_token(true, b"{").is_err());
        assert_eq!(find_token(true, br#"{"auth":[]}"#).unwrap(), None);
    }
}
