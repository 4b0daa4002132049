//! Incoming events: the body Bitrix24 POSTs to a handler, verified and decoded.
//!
//! The core is framework-neutral: body bytes and the content type in, a verified typed event out.
//!
//! ```
//! use bitrix_runtime::events::{Event, EventError, Receiver};
//!
//! let receiver = Receiver::new("app-token-from-install");
//! let body = "event=ONIMBOTDELETE&data[BOT_ID]=42&data[BOT_CODE]=echo&ts=1772109486\
//!             &auth[domain]=example.bitrix24.com&auth[application_token]=app-token-from-install";
//! let incoming = receiver.receive(Some("application/x-www-form-urlencoded"), body.as_bytes())?;
//! assert_eq!(incoming.event.name(), "ONIMBOTDELETE");
//! // Typed when the `imbot` feature (the folder `events/imbot`) is on, else `Event::Unknown`.
//! #[cfg(feature = "imbot")]
//! match &incoming.event {
//!     Event::OnImBotDelete(data) => assert_eq!(data.bot_id, Some(42)),
//!     other => panic!("unexpected {other:?}"),
//! }
//! assert_eq!(incoming.auth.domain.as_deref(), Some("example.bitrix24.com"));
//!
//! let forged = body.replace("app-token-from-install", "guess");
//! assert!(matches!(receiver.receive(None, forged.as_bytes()), Err(EventError::Forged)));
//! # Ok::<(), EventError>(())
//! ```
//!
//! * Form bodies (`data[PARAMS][MESSAGE]=…`, what Bitrix24 sends) and JSON bodies are accepted;
//!   numbers and booleans that arrive as text decode into their types.
//! * `auth[application_token]` is compared in constant time with the application's token before
//!   anything else is decoded: a forged or missing token is an error and no payload is returned.
//! * Events without a spec (or whose folder's Cargo feature is off) arrive as [`Event::Unknown`]
//!   with their raw `data`; unknown fields of known events are kept in each struct's `extra`.
//! * What portals put in form bodies decodes: the literal `undefined` is an absent value, `""`
//!   an absent number, maps keyed by IDs (`data[BOT][7][…]`) are maps, and deliveries to an
//!   outgoing webhook, whose `auth` has no tokens, are accepted (see [`de`]).
//! * Tokens (`auth`, the bots' tokens in `data`) are [`Secret`]s and never show in `Debug`.

#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod axum;
pub mod de;
pub mod form;
mod verify;

use std::fmt;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::wire::lenient::{Lenient, TextOrNumber};
use crate::Secret;

// One module per folder of `events/`, each behind the Cargo feature of that name (the features
// of the method folders: `crm` turns on the CRM methods and the CRM events).
bitrix_macros::include_events!("events", runtime = "crate", scope_features = true);

/// An event as delivered, before its `data` is decoded: the name and the raw payload.
#[derive(Clone, PartialEq)]
pub struct RawEvent {
    /// The event name as sent, e.g. `ONIMCOMMANDADD`.
    pub name: String,
    /// The `data` object as sent (form bodies give strings for every scalar).
    pub data: Value,
}

impl fmt::Debug for RawEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawEvent")
            .field("name", &self.name)
            .field("data", &Redacted(&self.data))
            .finish()
    }
}

/// The `auth` block of a delivery: where the event comes from, and the tokens of the user on whose
/// behalf it was raised. Every field is optional: deliveries to an outgoing webhook carry no
/// tokens (only `application_token`, `domain`, `member_id`, …), and events raised by no user
/// carry none either. Tokens never show in `Debug`.
#[derive(Clone, PartialEq, Default, Deserialize)]
#[non_exhaustive]
pub struct Auth {
    /// The portal's address, e.g. `example.bitrix24.com`.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub domain: Option<String>,
    /// Base address for REST calls to the portal, e.g. `https://example.bitrix24.com/rest/`.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub client_endpoint: Option<String>,
    /// The OAuth server's address.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub server_endpoint: Option<String>,
    /// The portal's unique identifier.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub member_id: Option<String>,
    /// The user on whose behalf the event was raised.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub user_id: Option<i64>,
    /// Scopes of the tokens.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub scope: Option<String>,
    /// The application's status on the portal.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub status: Option<String>,
    /// Unix time at which the access token expires.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub expires: Option<i64>,
    /// Lifetime of the access token in seconds.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub expires_in: Option<i64>,
    /// OAuth access token of that user (absent for events of applications without UI).
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub access_token: Option<Secret>,
    /// OAuth refresh token of that user.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub refresh_token: Option<Secret>,
    /// The application token the delivery was verified with.
    #[serde(default, deserialize_with = "crate::wire::lenient::lenient")]
    pub application_token: Option<Secret>,
    /// Keys not described here (`client_id`, …), kept as sent; token-like values are hidden from
    /// `Debug`.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Auth")
            .field("domain", &self.domain)
            .field("client_endpoint", &self.client_endpoint)
            .field("server_endpoint", &self.server_endpoint)
            .field("member_id", &self.member_id)
            .field("user_id", &self.user_id)
            .field("scope", &self.scope)
            .field("status", &self.status)
            .field("expires", &self.expires)
            .field("expires_in", &self.expires_in)
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .field("application_token", &self.application_token)
            .field("extra", &Redacted(&self.extra))
            .finish()
    }
}

/// A verified delivery: the decoded event and the envelope around it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Incoming<E = Event> {
    /// The event.
    pub event: E,
    /// The `auth` block (its `application_token` matched).
    pub auth: Auth,
    /// When the event left the portal's queue (Unix time), if sent.
    pub ts: Option<i64>,
    /// The identifier of the event binding, if sent.
    pub event_handler_id: Option<i64>,
}

/// Why a delivery was refused. The handler must not run for any of them.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EventError {
    /// The body is not a readable event (bad encoding, no `event`, a known event whose `data`
    /// does not fit). HTTP 400.
    #[error("malformed event: {reason}")]
    Malformed {
        /// What is wrong, without secrets.
        reason: String,
    },
    /// The body has no `auth[application_token]`. HTTP 401.
    #[error("the event carries no application token")]
    MissingToken,
    /// `auth[application_token]` is not the application's token (or none is configured). HTTP 401.
    #[error("the event's application token does not match")]
    Forged,
    /// The body is larger than the receiver's limit ([`Receiver::max_body_size`]). HTTP 413.
    #[error("the event body is larger than {limit} bytes")]
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The content type is neither a form nor JSON. HTTP 415.
    #[error("unsupported content type `{content_type}`")]
    UnsupportedContentType {
        /// The content type as sent.
        content_type: String,
    },
}

impl EventError {
    /// The HTTP status to answer the sender with.
    pub fn status(&self) -> u16 {
        match self {
            EventError::Malformed { .. } => 400,
            EventError::MissingToken | EventError::Forged => 401,
            EventError::TooLarge { .. } => 413,
            EventError::UnsupportedContentType { .. } => 415,
        }
    }

    fn malformed(reason: impl Into<String>) -> Self {
        EventError::Malformed {
            reason: reason.into(),
        }
    }
}

/// A set of events an app decodes deliveries into; implemented by the generated `Event` enums
/// (this crate's [`Event`], or one from an app's own `include_events!`).
pub trait FromRawEvent: Sized {
    /// Decodes `raw.data` by `raw.name`.
    fn from_raw(raw: RawEvent) -> Result<Self, EventError>;
}

/// The default limit of an event body: deliveries are a few kilobytes.
pub const DEFAULT_MAX_EVENT_BODY: usize = 1024 * 1024;

/// Verifies and decodes deliveries for one application.
#[derive(Debug, Clone)]
pub struct Receiver {
    token: Secret,
    max_body: usize,
}

impl Receiver {
    /// A receiver that trusts deliveries carrying `application_token` (the token Bitrix24 hands the
    /// application at installation, `auth[application_token]` of `ONAPPINSTALL`). An empty token
    /// trusts nothing.
    pub fn new(application_token: impl Into<Secret>) -> Self {
        Receiver {
            token: application_token.into(),
            max_body: DEFAULT_MAX_EVENT_BODY,
        }
    }

    /// Refuses bodies over `bytes` (default [`DEFAULT_MAX_EVENT_BODY`], 1 MiB) with
    /// [`EventError::TooLarge`] before reading them.
    #[must_use]
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The body limit (the axum extractor reads at most this much).
    pub fn body_limit(&self) -> usize {
        self.max_body
    }

    /// Verifies a delivery and decodes it into this crate's [`Event`].
    // Inlined: decoding every event type is compiled where deliveries are received, not in
    // every build of the runtime.
    #[inline]
    pub fn receive(
        &self,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Incoming<Event>, EventError> {
        self.receive_as(content_type, body)
    }

    /// Verifies a delivery and decodes it into `E` (an app's own generated event enum).
    pub fn receive_as<E: FromRawEvent>(
        &self,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Incoming<E>, EventError> {
        if body.len() > self.max_body {
            return Err(EventError::TooLarge {
                limit: self.max_body,
            });
        }
        let json = is_json(content_type, body)?;
        // Verify on the raw body first: a forged delivery is refused without being parsed.
        let expected = self.token.expose();
        match verify::find_token(json, body)? {
            None => return Err(EventError::MissingToken),
            Some(sent)
                if expected.is_empty()
                    || !constant_time_eq(sent.as_bytes(), expected.as_bytes()) =>
            {
                return Err(EventError::Forged)
            }
            Some(_) => {}
        }
        let mut value = parse_body(content_type, body)?;
        let Value::Object(top) = &mut value else {
            return Err(EventError::malformed("the body is not an object"));
        };
        // Verify before decoding anything else.
        let auth_value = top.remove("auth").unwrap_or(Value::Null);
        let sent = match auth_value.get("application_token") {
            Some(Value::String(s)) if !s.is_empty() => s.as_str(),
            Some(Value::String(_)) | None | Some(Value::Null) => {
                return Err(EventError::MissingToken)
            }
            Some(_) => return Err(EventError::Forged),
        };
        if !constant_time_eq(sent.as_bytes(), expected.as_bytes()) || expected.is_empty() {
            return Err(EventError::Forged);
        }
        // `undefined` is PHP's word for a value it never had: absent, in `auth` as in `data`.
        let mut auth_value = auth_value;
        de::drop_undefined(&mut auth_value);
        let auth: Auth = crate::wire::lenient::lenient(auth_value)
            .map_err(|e| EventError::malformed(format!("`auth`: {e}")))?;
        let name = match top.remove("event") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            _ => return Err(EventError::malformed("the body has no `event` name")),
        };
        let ts = number(top.get("ts"), "ts")?;
        let event_handler_id = number(top.get("event_handler_id"), "event_handler_id")?;
        let mut data = top.remove("data").unwrap_or(Value::Object(Map::new()));
        de::drop_undefined(&mut data);
        let event = E::from_raw(RawEvent { name, data })?;
        Ok(Incoming {
            event,
            auth,
            ts,
            event_handler_id,
        })
    }
}

fn number(value: Option<&Value>, key: &str) -> Result<Option<i64>, EventError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(v) => crate::wire::lenient::lenient::<_, i64>(v)
            .map(Some)
            .map_err(|_| EventError::malformed(format!("`{key}` is not a number"))),
    }
}

/// Reads a body as a form (`application/x-www-form-urlencoded`, also when no content type is
/// given) or as JSON (`application/json`, or a body starting with `{`) into a JSON value.
pub fn parse_body(content_type: Option<&str>, body: &[u8]) -> Result<Value, EventError> {
    if is_json(content_type, body)? {
        serde_json::from_slice(body)
            .map_err(|e| EventError::malformed(format!("the JSON body does not parse: {e}")))
    } else {
        form::parse(body).map_err(EventError::malformed)
    }
}

/// Whether a body is JSON (else a form), from its content type and first byte.
fn is_json(content_type: Option<&str>, body: &[u8]) -> Result<bool, EventError> {
    let mime = content_type
        .map(|c| {
            c.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    match mime.as_str() {
        "application/json" => Ok(true),
        "application/x-www-form-urlencoded" => Ok(false),
        "" | "text/plain" => Ok(body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')),
        _ => Err(EventError::UnsupportedContentType {
            content_type: content_type.unwrap_or_default().chars().take(100).collect(),
        }),
    }
}

/// Decodes `raw.data` into a payload type; used by generated `Event::parse`.
pub fn decode_data<T: Lenient>(raw: &RawEvent) -> Result<T, EventError> {
    crate::wire::lenient::lenient(&raw.data).map_err(|e| {
        EventError::malformed(format!(
            "`data` of `{}` does not fit its spec: {e}",
            raw.name
        ))
    })
}

pub use crate::secret::constant_time_eq;

/// Prints a JSON value with the values of token-like keys (`*token*`, `*secret*`, `password`,
/// `AUTH`) replaced by `***`; used by the `Debug` of payloads.
pub struct Redacted<'a, T>(pub &'a T);

impl fmt::Debug for Redacted<'_, Value> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&crate::secret::redact(self.0), f)
    }
}

impl fmt::Debug for Redacted<'_, Map<String, Value>> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&crate::secret::redact_map(self.0), f)
    }
}

impl Lenient for Auth {
    fn deserialize_lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::wire::lenient::object_or_empty_array(d)
    }
}

impl Lenient for Secret {
    fn deserialize_lenient<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Secret::new(TextOrNumber::deserialize(d)?.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small event set of its own, so that these tests do not depend on which folders'
    /// features are on.
    mod test_events {
        bitrix_macros::include_events!("src/events/testdata", runtime = "crate");
    }
    use test_events::Event;

    fn receive(r: &Receiver, ct: Option<&str>, body: &[u8]) -> Result<Incoming<Event>, EventError> {
        r.receive_as::<Event>(ct, body)
    }

    #[test]
    fn constant_time_compare() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"", b"a"));
        assert!(constant_time_eq(b"", b""));
    }

    fn body(token: &str) -> String {
        format!("event=ONIMCOMMANDADD&data[COMMAND][7][COMMAND]=echo&data[COMMAND][7][COMMAND_ID]=7&data[COMMAND][7][access_token]=bot-secret&data[PARAMS][MESSAGE]=/echo+hi&data[PARAMS][MESSAGE_ID]=12&data[NEW_THING]=x&ts=1772109486&auth[application_token]={token}&auth[access_token]=user-secret&auth[domain]=d.example")
    }

    #[test]
    fn verified_form_event_decodes_and_hides_tokens() {
        let r = Receiver::new("app");
        let got = receive(&r, None, body("app").as_bytes()).unwrap();
        assert_eq!(got.ts, Some(1772109486));
        let Event::OnImCommandAdd(cmd) = &got.event else {
            panic!("{got:?}")
        };
        let c = &cmd.command.as_ref().unwrap()["7"];
        assert_eq!(c.command.as_deref(), Some("echo"));
        assert_eq!(c.command_id, Some(7));
        assert_eq!(c.access_token.as_ref().unwrap().expose(), "bot-secret");
        assert_eq!(cmd.params.as_ref().unwrap().message_id, Some(12));
        assert_eq!(cmd.extra["NEW_THING"], "x");
        let debug = format!("{got:?}");
        for secret in ["bot-secret", "user-secret", "app\""] {
            assert!(!debug.contains(secret), "{secret} in {debug}");
        }
    }

    #[test]
    fn forged_missing_and_unconfigured_tokens_are_refused() {
        let r = Receiver::new("app");
        assert_eq!(
            receive(&r, None, body("apq").as_bytes()).unwrap_err(),
            EventError::Forged
        );
        assert_eq!(
            receive(&r, None, body("").as_bytes()).unwrap_err(),
            EventError::MissingToken
        );
        let none = body("x").replace("auth[application_token]=x", "");
        assert_eq!(
            receive(&r, None, none.as_bytes()).unwrap_err(),
            EventError::MissingToken
        );
        assert_eq!(
            receive(&Receiver::new(""), None, body("").as_bytes()).unwrap_err(),
            EventError::MissingToken
        );
        let json = br#"{"event":"X","auth":{"application_token":["app"]}}"#;
        assert_eq!(
            receive(&r, Some("application/json"), json).unwrap_err(),
            EventError::Forged
        );
    }

    #[test]
    fn over_large_bodies_are_refused_before_anything_else() {
        let r = Receiver::new("app").max_body_size(100);
        let big = format!("{}&x={}", body("app"), "a".repeat(200));
        let e = receive(&r, None, big.as_bytes()).unwrap_err();
        assert_eq!(e, EventError::TooLarge { limit: 100 });
        assert_eq!(e.status(), 413);
        let default = Receiver::new("app");
        let huge = format!("{}&x={}", body("app"), "a".repeat(DEFAULT_MAX_EVENT_BODY));
        assert_eq!(
            receive(&default, None, huge.as_bytes())
                .unwrap_err()
                .status(),
            413
        );
    }

    #[test]
    fn the_token_is_checked_before_the_body_is_decoded() {
        let r = Receiver::new("app");
        // Undecodable data with a wrong token: refused as forged, the data never parsed.
        for bad in [
            "event=ONIMCOMMANDADD&data[a[b=1&data[%zz]=2&auth[application_token]=guess",
            "auth%5Bapplication_token%5D=guess&event=X&data[PARAMS][MESSAGE_ID]=nope",
        ] {
            assert_eq!(
                receive(&r, None, bad.as_bytes()).unwrap_err(),
                EventError::Forged,
                "{bad}"
            );
        }
        let json =
            br#"{"event":"X","data":{"deep":[[[[1]]]]},"auth":{"application_token":"guess"}}"#;
        assert_eq!(
            receive(&r, Some("application/json"), json).unwrap_err(),
            EventError::Forged
        );
        let json = br#"{"event":"X","data":"not an object","auth":{"application_token":"guess"}}"#;
        assert_eq!(
            receive(&r, Some("application/json"), json).unwrap_err(),
            EventError::Forged
        );
    }

    #[test]
    fn unknown_events_are_kept_raw_and_bad_bodies_are_malformed() {
        let r = Receiver::new("app");
        let got = receive(
            &r,
            Some("application/json; charset=utf-8"),
            br#"{"event":"ONSOMETHINGNEW","data":{"A":1,"refresh_token":"s"},"auth":{"application_token":"app"}}"#,
        )
        .unwrap();
        let Event::Unknown(raw) = &got.event else {
            panic!()
        };
        assert_eq!(raw.data["A"], 1);
        assert!(!format!("{got:?}").contains("\"s\""));
        for (ct, bad) in [
            (Some("application/json"), &b"{"[..]),
            (None, b"auth[application_token]=app"),
            (
                None,
                b"event=ONIMCOMMANDADD&data[PARAMS][MESSAGE_ID]=nope&auth[application_token]=app",
            ),
            (None, b"a[b=1&auth[application_token]=app"),
            (Some("application/json"), b"[1,2]"),
        ] {
            let e = receive(&r, ct, bad).unwrap_err();
            assert_eq!(e.status(), 400, "{e:?}");
        }
        assert_eq!(
            receive(&r, Some("image/png"), b"x").unwrap_err().status(),
            415
        );
    }

    // Hazard 12 of the recorded answers: what portals send.

    #[test]
    fn every_value_arrives_as_text_and_decodes_into_its_type() {
        let r = Receiver::new("app");
        let body = "event=ONIMCOMMANDADD&data[PARAMS][MESSAGE_ID]=12&data[PARAMS][SYSTEM]=N\
                    &data[PARAMS][CHAT_ID]=&ts=1772109486&event_handler_id=7&auth[application_token]=app";
        let got = receive(&r, None, body.as_bytes()).unwrap();
        let Event::OnImCommandAdd(cmd) = &got.event else {
            panic!("{got:?}")
        };
        let params = cmd.params.as_ref().unwrap();
        assert_eq!(params.message_id, Some(12));
        assert_eq!(params.system, Some(false));
        // PHP writes `null` as an empty value: an absent number.
        assert_eq!(params.chat_id, None);
        assert_eq!((got.ts, got.event_handler_id), (Some(1772109486), Some(7)));
    }

    #[test]
    fn the_text_undefined_is_an_absent_value() {
        let r = Receiver::new("app");
        // As the reference documents ONTASKUPDATE: `IS_ACCESSIBLE_*` may be `undefined`, and so
        // may whole objects.
        let body = "event=ONTASKUPDATE&data[FIELDS_BEFORE]=undefined&data[FIELDS_AFTER][ID]=123\
                    &data[IS_ACCESSIBLE_BEFORE]=undefined&data[IS_ACCESSIBLE_AFTER]=Y\
                    &auth[application_token]=app&auth[access_token]=undefined";
        let got = receive(&r, None, body.as_bytes()).unwrap();
        let Event::OnTaskUpdate(task) = &got.event else {
            panic!("{got:?}")
        };
        assert_eq!(task.fields_before, None);
        assert_eq!(task.fields_after.as_ref().unwrap().id, Some(123));
        assert_eq!(task.is_accessible_before, None);
        assert_eq!(task.is_accessible_after, Some(true));
        assert!(!task.extra.contains_key("FIELDS_BEFORE"));
        assert_eq!(got.auth.access_token, None);
        // The same in a JSON body, and through `Event::parse` without a receiver.
        let json = br#"{"event":"ONTASKUPDATE","data":{"FIELDS_BEFORE":"undefined","IS_ACCESSIBLE_BEFORE":"undefined"},"auth":{"application_token":"app"}}"#;
        let got = receive(&r, Some("application/json"), json).unwrap();
        assert!(matches!(&got.event, Event::OnTaskUpdate(t) if t.fields_before.is_none()));
        let raw = RawEvent {
            name: "ONTASKUPDATE".into(),
            data: serde_json::json!({"FIELDS_AFTER": "undefined", "IS_ACCESSIBLE_AFTER": "undefined"}),
        };
        let Event::OnTaskUpdate(task) = Event::parse(raw).unwrap() else {
            panic!()
        };
        assert_eq!((task.fields_after, task.is_accessible_after), (None, None));
    }

    #[test]
    fn dynamic_keys_are_maps_keyed_by_data() {
        let r = Receiver::new("app");
        let body = "event=ONIMCOMMANDADD&data[BOT][7][BOT_ID]=7&data[BOT][7][BOT_CODE]=echo\
                    &data[BOT][12][BOT_ID]=12&data[COMMAND][3][COMMAND]=help&auth[application_token]=app";
        let got = receive(&r, None, body.as_bytes()).unwrap();
        let Event::OnImCommandAdd(cmd) = &got.event else {
            panic!("{got:?}")
        };
        let bots = cmd.bot.as_ref().unwrap();
        assert_eq!(bots.keys().collect::<Vec<_>>(), ["12", "7"]);
        assert_eq!(bots["7"].bot_code.as_deref(), Some("echo"));
        assert_eq!(bots["12"].bot_id, Some(12));
        assert_eq!(
            cmd.command.as_ref().unwrap()["3"].command.as_deref(),
            Some("help")
        );
        // Keys that happen to be `0..n` read back as a list; they are still a map.
        let body = "event=ONIMCOMMANDADD&data[BOT][0][BOT_ID]=5&data[BOT][1][BOT_ID]=6&auth[application_token]=app";
        let got = receive(&r, None, body.as_bytes()).unwrap();
        let Event::OnImCommandAdd(cmd) = &got.event else {
            panic!("{got:?}")
        };
        let bots = cmd.bot.as_ref().unwrap();
        assert_eq!((bots["0"].bot_id, bots["1"].bot_id), (Some(5), Some(6)));
    }

    #[test]
    fn outgoing_webhook_deliveries_have_no_tokens_in_auth() {
        let r = Receiver::new("hook-token");
        let body = "event=ONTASKUPDATE&data[FIELDS_AFTER][ID]=9&ts=1700000000\
                    &auth[domain]=example.bitrix24.com&auth[client_endpoint]=https%3A%2F%2Fexample.bitrix24.com%2Frest%2F\
                    &auth[server_endpoint]=https%3A%2F%2Foauth.bitrix.info%2Frest%2F&auth[member_id]=abc\
                    &auth[application_token]=hook-token";
        let got = receive(&r, None, body.as_bytes()).unwrap();
        assert_eq!(got.auth.access_token, None);
        assert_eq!(got.auth.refresh_token, None);
        assert_eq!(got.auth.member_id.as_deref(), Some("abc"));
        assert_eq!(got.auth.domain.as_deref(), Some("example.bitrix24.com"));
        assert!(matches!(got.event, Event::OnTaskUpdate(_)));
    }

    #[test]
    fn unknown_fields_are_kept_and_secret_ones_stay_hidden() {
        let r = Receiver::new("app");
        let body = "event=ONTASKUPDATE&data[FIELDS_AFTER][ID]=9&data[FIELDS_AFTER][TITLE]=New\
                    &data[SOMETHING][deep]=1&auth[application_token]=app&auth[client_id]=local.1\
                    &auth[client_secret]=hidden-value";
        let got = receive(&r, None, body.as_bytes()).unwrap();
        let Event::OnTaskUpdate(task) = &got.event else {
            panic!("{got:?}")
        };
        assert_eq!(task.fields_after.as_ref().unwrap().extra["TITLE"], "New");
        assert_eq!(task.extra["SOMETHING"]["deep"], "1");
        assert_eq!(got.auth.extra["client_id"], "local.1");
        let debug = format!("{got:?}");
        assert!(debug.contains("local.1"), "{debug}");
        assert!(!debug.contains("hidden-value"), "{debug}");
    }
}
