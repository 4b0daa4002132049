//! Typed `batch` calls: generated requests of any methods under caller-chosen keys, each command's
//! typed result or typed error back by its [`Handle`], automatic chunking into batches of 50, and
//! `$result[key][field]` [`Reference`]s between commands.
//!
//! ```ignore
//! use bitrix_rest::{api::user, Batch};
//!
//! # async fn run(client: bitrix_rest::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let mut batch = Batch::new().halt(true);
//! let me = batch.add("me", &user::Current::new())?;
//! let answers = client.batch(&batch).await?;
//! println!("{:?}", answers.get(&me)?.result);
//! # Ok(()) }
//! ```

mod answer;
mod arg;
mod reference;
mod typed;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::marker::PhantomData;

use serde_json::{json, Map, Value};

pub(crate) use self::answer::{ChunkAnswer, Entry};
pub use self::arg::{Arg, IntoArg};
pub use self::reference::Reference;
pub use self::typed::{ListRef, MapRef, Referable, ValueRef};
use crate::client::call::Target;
use crate::envelope::Response;
use crate::error::{Error, InvalidRequest, MethodError, RawError, UnexpectedResponse};
use crate::method::Method;
use crate::wire::query;
use crate::Client;

/// Most commands the portal accepts in one `batch`; longer batches are sent in chunks of this size.
pub const MAX_COMMANDS: usize = bitrix_facts::MAX_BATCH_COMMANDS;

/// Commands to send with [`Client::batch`], in the order added.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    commands: Vec<Command>,
    keys: HashSet<String>,
    halt: bool,
    idempotent: bool,
}

#[derive(Clone)]
struct Command {
    key: String,
    method: String,
    params: Value,
    idempotent: bool,
}

/// Parameters print with secret-looking keys (`BOT_TOKEN`, `botToken`, `CLIENT_SECRET`, `auth`,
/// `*token*`, `password`) as `***`: a batch is easily logged whole.
impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("key", &self.key)
            .field("method", &self.method)
            .field("params", &crate::secret::redact(&self.params))
            .field("idempotent", &self.idempotent)
            .finish()
    }
}

/// The typed ticket of one command in a [`Batch`]: give it to [`BatchResults::get`] for the
/// command's typed answer, or take a [`Reference`] to its result for a later command.
pub struct Handle<M> {
    key: String,
    _method: PhantomData<fn() -> M>,
}

impl<M> Handle<M> {
    /// The key the command was added under.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// An untyped reference to the command's whole result (`$result[key]`); prefer
    /// [`Handle::result`], which knows the result's shape.
    pub fn reference(&self) -> Reference {
        Reference::new(&self.key)
    }

    /// An untyped reference to a field of the command's result (`$result[key][name]`), for
    /// fields the spec does not describe (`UF_*`); prefer [`Handle::result`].
    pub fn field(&self, name: &str) -> Reference {
        Reference::new(&self.key).field(name)
    }
}

impl<M: Method> Handle<M>
where
    M::Output: Referable,
{
    /// A reference to the command's result, typed after it: a plain result (the ID an `add`
    /// returns) is a [`Reference`] to send as it is; an object's reference has one method per
    /// field (`handle.result().bot().id()` is `$result[key][bot][id]`), a list's
    /// [`ListRef::index`], a map's [`MapRef::key`]. A path the result type lacks does not compile.
    pub fn result(&self) -> <M::Output as Referable>::Ref {
        Reference::new(&self.key).into()
    }
}

impl<M> Clone for Handle<M> {
    fn clone(&self) -> Self {
        Handle {
            key: self.key.clone(),
            _method: PhantomData,
        }
    }
}

impl<M> fmt::Debug for Handle<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Handle").field(&self.key).finish()
    }
}

/// The method marker of commands added with [`Batch::add_raw`]; read them with
/// [`BatchResults::get_raw`].
#[derive(Debug, Clone, Copy)]
pub enum Raw {}

impl Batch {
    /// An empty batch that runs every command whatever the others answer.
    pub fn new() -> Self {
        Batch::default()
    }

    /// With `true`, the portal stops at the first command that fails, and later chunks are not
    /// sent; commands that did not run answer [`Error::InvalidRequest`] ("not run").
    #[must_use]
    pub fn halt(mut self, halt: bool) -> Self {
        self.halt = halt;
        self
    }

    /// Marks the whole batch as safe to repeat, so it is retried after a timeout or a broken
    /// connection even if some command is not idempotent. Without it, a batch is retried then only
    /// if every command's method is [`Method::IDEMPOTENT`].
    #[must_use]
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Adds a typed request under `key` (letters, digits, `_`, `-`, `.`, `:`; unique in the
    /// batch). The request is checked as [`Client::call`] would check it; a REST 3.0 method is
    /// refused (it goes in a [`crate::v3::Batch`]).
    pub fn add<M: Method>(&mut self, key: &str, request: &M) -> Result<Handle<M>, InvalidRequest> {
        if M::REST == 3 {
            return Err(InvalidRequest::new(
                key,
                format!(
                    "`{}` is a REST 3.0 method; REST 2's batch cannot run it (use `bitrix_rest::v3::Batch`)",
                    M::NAME
                ),
            ));
        }
        request.validate()?;
        let params = serde_json::to_value(request)
            .map_err(|e| InvalidRequest::new("", format!("cannot be encoded as JSON: {e}")))?;
        self.push(key, M::NAME, params, M::IDEMPOTENT)
    }

    /// Adds a call of any method by name with JSON parameters (an object).
    pub fn add_raw(
        &mut self,
        key: &str,
        method: &str,
        params: Value,
    ) -> Result<Handle<Raw>, InvalidRequest> {
        if !matches!(params, Value::Object(_) | Value::Null) {
            return Err(InvalidRequest::new(key, "parameters must be a JSON object"));
        }
        if crate::client::call::check_method_name(method).is_err() {
            return Err(InvalidRequest::new(key, "not a method name"));
        }
        self.push(key, method, params, false)
    }

    fn push<M>(
        &mut self,
        key: &str,
        method: &str,
        params: Value,
        idempotent: bool,
    ) -> Result<Handle<M>, InvalidRequest> {
        let valid = !key.is_empty()
            && key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'));
        if !valid {
            return Err(InvalidRequest::new(
                key,
                "a batch key must be non-empty letters, digits, `_`, `-`, `.` or `:`",
            ));
        }
        if !self.keys.insert(key.to_string()) {
            return Err(InvalidRequest::new(key, "the batch already has this key"));
        }
        self.commands.push(Command {
            key: key.to_string(),
            method: method.to_string(),
            params,
            idempotent,
        });
        Ok(Handle {
            key: key.to_string(),
            _method: PhantomData,
        })
    }

    /// How many commands were added.
    pub fn len(&self) -> usize {
        self.commands.len()
    }

    /// Whether no command was added.
    pub fn is_empty(&self) -> bool {
        self.commands.is_empty()
    }
}

/// The answers of a batch by key. Commands that did not run (after `halt`) are absent.
#[derive(Debug, Clone, Default)]
pub struct BatchResults {
    entries: HashMap<String, Entry>,
    /// HTTP `batch` requests sent (one per chunk of 50).
    requests: usize,
}

impl BatchResults {
    /// The typed answer of the command `handle` stands for: its result with its `time`, `next`
    /// and `total`, or its typed error (the method's documented error, a system error, or
    /// `Unknown`). A command that did not run answers [`Error::InvalidRequest`].
    pub fn get<M: Method>(
        &self,
        handle: &Handle<M>,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        let envelope = self.entry::<M::Error>(&handle.key)?;
        match crate::wire::fields::decode_result::<M>(envelope.result.clone()) {
            Ok(output) => Ok(envelope.map(|_| output)),
            Err(e) => Err(Error::UnexpectedResponse(UnexpectedResponse::new(
                200,
                format!(
                    "`result[{}]` does not fit {}: {e}",
                    handle.key,
                    std::any::type_name::<M::Output>()
                ),
                envelope.result.to_string().as_bytes(),
            ))),
        }
    }

    /// The untyped answer of a command added with [`Batch::add_raw`].
    pub fn get_raw(&self, handle: &Handle<Raw>) -> Result<Response<Value>, Error<RawError>> {
        self.entry::<RawError>(&handle.key)
    }

    fn entry<E: MethodError>(&self, key: &str) -> Result<Response<Value>, Error<E>> {
        match self.entries.get(key) {
            Some(entry) => entry.typed(),
            None => Err(InvalidRequest::new(
                key,
                "not run: the batch stopped (halt) before this command, or no such key",
            )
            .into()),
        }
    }

    /// Whether the command under `key` ran (succeeded or failed).
    pub fn ran(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// Keys of the commands that answered an error.
    pub fn failed(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().filter_map(|(k, e)| match e {
            Entry::Err { .. } => Some(k.as_str()),
            Entry::Ok(_) => None,
        })
    }

    /// How many commands ran.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no command ran.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// How many HTTP `batch` requests were sent.
    pub fn requests(&self) -> usize {
        self.requests
    }
}

/// A `batch` HTTP request failed as a whole (after the retries the policy allows). The answers of
/// the chunks sent before are kept in `completed`.
#[derive(Debug, thiserror::Error)]
#[error("batch request failed ({} commands done before): {error}", completed.len())]
pub struct BatchError {
    /// Why the request failed.
    pub error: Error,
    /// The answers of the chunks that completed.
    pub completed: BatchResults,
}

impl Client {
    /// Sends a batch: chunks of 50 commands in order, one `batch` request each, paced and retried
    /// like any call. References to commands of earlier chunks are resolved here; those within a
    /// chunk by the portal. With `halt`, a failing command stops the batch.
    pub async fn batch(&self, batch: &Batch) -> Result<BatchResults, BatchError> {
        let mut out = BatchResults::default();
        // Results so far, for references across chunks.
        let mut done = Map::new();
        for chunk in batch.commands.chunks(MAX_COMMANDS) {
            // The chunk goes as a list (`cmd[0]`, `cmd[1]`, …): JSON objects may be reordered on
            // the way, lists never are. References within the chunk are renamed to the indexes.
            let index: HashMap<String, usize> = chunk
                .iter()
                .enumerate()
                .map(|(i, c)| (c.key.clone(), i))
                .collect();
            let mut cmd = Vec::with_capacity(chunk.len());
            for c in chunk {
                let params = reference::substitute(c.params.clone(), &done);
                let params = reference::rename(params, &index);
                let q = query::encode(&params);
                let text = if q.is_empty() {
                    c.method.clone()
                } else {
                    format!("{}?{q}", c.method)
                };
                cmd.push(Value::String(text));
            }
            let idempotent = batch.idempotent || chunk.iter().all(|c| c.idempotent);
            let params = json!({"halt": u8::from(batch.halt), "cmd": cmd});
            out.requests += 1;
            let target = Target {
                method: "batch",
                v3: false,
                key: None,
            };
            let answer = self
                .execute_paced(&target, params, idempotent)
                .await
                .map_err(Error::<RawError>::from)
                .and_then(|(answer, _, _)| answer.into_result::<RawError>());
            let envelope = match answer {
                Ok(envelope) => envelope,
                Err(error) => {
                    return Err(BatchError {
                        error: error.into(),
                        completed: out,
                    })
                }
            };
            let answer = match ChunkAnswer::read(envelope.result) {
                Ok(answer) => answer,
                Err(e) => {
                    return Err(BatchError {
                        error: Error::UnexpectedResponse(e),
                        completed: out,
                    })
                }
            };
            let mut failed = false;
            for (i, c) in chunk.iter().enumerate() {
                let Some(entry) = answer.entry(&i.to_string()) else {
                    continue;
                };
                match &entry {
                    Entry::Ok(r) => {
                        self.inner.pacer.record(&c.method, r.time.as_ref());
                        done.insert(c.key.clone(), r.result.clone());
                    }
                    Entry::Err { .. } => failed = true,
                }
                out.entries.insert(c.key.clone(), entry);
            }
            if failed && batch.halt {
                break;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        let mut b = Batch::new();
        assert!(b.add_raw("a", "user.current", json!({})).is_ok());
        assert!(b.add_raw("a", "user.current", json!({})).is_err());
        assert!(b.add_raw("a[b]", "user.current", json!({})).is_err());
        assert!(b.add_raw("", "user.current", json!({})).is_err());
        assert!(b.add_raw("c", "user.current?x=1", json!({})).is_err());
        assert!(b.add_raw("d", "user.current", json!([1])).is_err());
        assert_eq!(b.len(), 1);
    }

    #[test]
    fn debug_hides_secret_parameters() {
        let mut b = Batch::new();
        b.add_raw(
            "a",
            "imbot.v2.Bot.update",
            json!({"botToken": "bt-s3cret", "FIELDS": {"BOT_TOKEN": "BT-s3cret", "NAME": "echo"},
                   "CLIENT_SECRET": "cs-s3cret", "auth": "tok-s3cret", "password": "pw-s3cret"}),
        )
        .unwrap();
        let text = format!("{b:?}");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("echo"));
    }
}
