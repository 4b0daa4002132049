//! `batch` of REST 3.0 (rest-v3.md, *Batch call*): a JSON list of `{"method", "query"}` sent to
//! `/rest/api/batch`, answered by a list of results in the same order. Unlike REST 2's batch it
//! has no per-command errors: the whole request succeeds or answers one error.
//!
//! The page documents no syntax for using one command's result in a later command, so this
//! batch offers none; use REST 2's [`crate::Batch`] references, or two calls.

use std::fmt;
use std::marker::PhantomData;

use serde_json::{json, Value};

use crate::batch::MAX_COMMANDS;
use crate::client::call::{check_method_name, idempotency_key, Target};
use crate::envelope::{Response, Time};
use crate::error::{Error, InvalidRequest, RawError, UnexpectedResponse};
use crate::method::Method;
use crate::Client;

/// REST 3.0 commands to send with [`Client::batch_v3`], in the order added.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    commands: Vec<Command>,
    idempotent: bool,
}

#[derive(Clone)]
struct Command {
    method: String,
    query: Value,
    idempotent: bool,
}

/// Parameters print with secret-looking keys as `***`: a batch is easily logged whole.
impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command")
            .field("method", &self.method)
            .field("query", &crate::secret::redact(&self.query))
            .finish()
    }
}

/// The typed ticket of one command in a REST 3.0 [`Batch`]: give it to [`BatchResults::get`].
pub struct Handle<M> {
    index: usize,
    _method: PhantomData<fn() -> M>,
}

impl<M> Handle<M> {
    /// The command's position in the batch (its answer's position in `result`).
    pub fn index(&self) -> usize {
        self.index
    }
}

impl<M> Clone for Handle<M> {
    fn clone(&self) -> Self {
        Handle {
            index: self.index,
            _method: PhantomData,
        }
    }
}

impl<M> fmt::Debug for Handle<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Handle").field(&self.index).finish()
    }
}

impl Batch {
    /// An empty batch.
    pub fn new() -> Self {
        Batch::default()
    }

    /// Marks the batch as safe to repeat even without an `Idempotency-Key` being honoured. A
    /// batch with a write is always sent with a key (reused on every retry), so this is rarely
    /// needed.
    #[must_use]
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// Adds a typed request of a REST 3.0 method (its spec says `rest = 3`), checked as
    /// [`Client::call`] would check it. A REST 2 method is refused: its address and answer differ.
    pub fn add<M: Method>(&mut self, request: &M) -> Result<Handle<M>, InvalidRequest> {
        if M::REST != 3 {
            return Err(InvalidRequest::new(
                "",
                format!(
                    "`{}` is not a REST 3.0 method; use `bitrix_rest::Batch`",
                    M::NAME
                ),
            ));
        }
        request.validate()?;
        let query = serde_json::to_value(request)
            .map_err(|e| InvalidRequest::new("", format!("cannot be encoded as JSON: {e}")))?;
        Ok(self.push(M::NAME, query, M::IDEMPOTENT))
    }

    /// Adds a call of any REST 3.0 method by name with JSON parameters (an object).
    pub fn add_raw(&mut self, method: &str, query: Value) -> Result<Handle<Raw>, InvalidRequest> {
        check_method_name(method)?;
        let query = match query {
            Value::Null => json!({}),
            q @ Value::Object(_) => q,
            _ => return Err(InvalidRequest::new("", "parameters must be a JSON object")),
        };
        Ok(self.push(method, query, false))
    }

    fn push<M>(&mut self, method: &str, query: Value, idempotent: bool) -> Handle<M> {
        self.commands.push(Command {
            method: method.to_string(),
            query,
            idempotent,
        });
        Handle {
            index: self.commands.len() - 1,
            _method: PhantomData,
        }
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

/// The method marker of commands added with [`Batch::add_raw`]; read them with
/// [`BatchResults::get_raw`].
#[derive(Debug, Clone, Copy)]
pub enum Raw {}

/// The results of a REST 3.0 batch, in the order the commands were added.
#[derive(Debug, Clone, Default)]
pub struct BatchResults {
    results: Vec<Value>,
    times: Vec<Option<Time>>,
    requests: usize,
}

impl BatchResults {
    /// The typed result of the command `handle` stands for.
    pub fn get<M: Method>(
        &self,
        handle: &Handle<M>,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        let value = self.value(handle.index)?;
        match crate::wire::fields::decode_result::<M>(value.clone()) {
            Ok(output) => Ok(Response {
                result: output,
                time: self.times.get(handle.index).cloned().flatten(),
                next: None,
                total: None,
                replayed: false,
            }),
            Err(e) => Err(Error::UnexpectedResponse(UnexpectedResponse::new(
                200,
                format!(
                    "`result[{}]` does not fit {}: {e}",
                    handle.index,
                    std::any::type_name::<M::Output>()
                ),
                value.to_string().as_bytes(),
            ))),
        }
    }

    /// The untyped result of a command added with [`Batch::add_raw`].
    pub fn get_raw(&self, handle: &Handle<Raw>) -> Result<Value, Error<RawError>> {
        self.value(handle.index).cloned().map_err(Error::from)
    }

    fn value(&self, index: usize) -> Result<&Value, InvalidRequest> {
        self.results.get(index).ok_or_else(|| {
            InvalidRequest::new(
                "",
                format!("no result at {index}: the batch stopped before this command"),
            )
        })
    }

    /// How many commands answered.
    pub fn len(&self) -> usize {
        self.results.len()
    }

    /// Whether no command answered.
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }

    /// How many HTTP requests were sent (one per 50 commands).
    pub fn requests(&self) -> usize {
        self.requests
    }
}

/// A REST 3.0 batch request failed as a whole. The results of the chunks of 50 sent before are
/// kept in `completed`.
#[derive(Debug, thiserror::Error)]
#[error("REST 3.0 batch failed ({} commands done before): {error}", completed.len())]
pub struct BatchError {
    /// Why the request failed (a v3 error keeps its `validation` rows).
    pub error: Error,
    /// The results of the chunks that completed.
    pub completed: BatchResults,
}

impl Client {
    /// Sends a REST 3.0 batch: chunks of 50 commands in order, one request to `/rest/api/batch`
    /// each, paced and retried like any call. A chunk holding a write carries an
    /// `Idempotency-Key`, reused on its retries, so a retried chunk runs once. The first chunk that
    /// fails stops the batch.
    pub async fn batch_v3(&self, batch: &Batch) -> Result<BatchResults, BatchError> {
        let mut out = BatchResults::default();
        for chunk in batch.commands.chunks(MAX_COMMANDS) {
            let body: Vec<Value> = chunk
                .iter()
                .map(|c| json!({"method": c.method, "query": c.query}))
                .collect();
            let reads_only = batch.idempotent || chunk.iter().all(|c| c.idempotent);
            let key = (!reads_only).then(idempotency_key);
            let target = Target {
                method: "batch",
                v3: true,
                key: key.as_deref(),
            };
            out.requests += 1;
            let answer = self
                .execute_paced(&target, Value::Array(body), true)
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
            let results = match envelope.result {
                Value::Array(items) if items.len() == chunk.len() => items,
                other => {
                    let error = Error::UnexpectedResponse(UnexpectedResponse::new(
                        200,
                        format!(
                            "a REST 3.0 batch of {} commands must answer a list of as many results",
                            chunk.len()
                        ),
                        other.to_string().as_bytes(),
                    ));
                    return Err(BatchError {
                        error,
                        completed: out,
                    });
                }
            };
            // The portal bills the request to `batch` (recorded by the send path), not to the
            // methods inside it.
            for result in results {
                out.times.push(envelope.time.clone());
                out.results.push(result);
            }
        }
        Ok(out)
    }
}
