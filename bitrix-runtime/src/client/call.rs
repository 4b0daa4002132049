//! The shared call path: validate, serialize, authorize, send, read, type.

use serde_json::Value;

use super::Client;
use crate::auth::Auth;
use crate::envelope::Response;
use crate::error::{
    AuthError, Error, InvalidRequest, RawError, TransportError, UnexpectedResponse,
};
use crate::method::Method;
use crate::transport::answer::{classify, Answer};
use crate::transport::read::{read_body, ReadError};

impl Client {
    /// Calls a method with a typed request. Rules the spec states (required fields, "at least
    /// one field", URL schemes, parameters a webhook must send) are checked before anything is
    /// sent.
    ///
    /// The call is paced to the portal's limits and retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows; after a timeout or broken connection it is
    /// retried only when the method is idempotent ([`Method::IDEMPOTENT`]). A REST 3.0 method
    /// ([`Method::REST`] `= 3`) is called at `/rest/api/`; its writes carry an `Idempotency-Key`
    /// made here and sent again with every retry, so they are retried safely too.
    pub async fn call<M: Method>(
        &self,
        request: &M,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        let key = (M::REST == 3 && !M::IDEMPOTENT).then(idempotency_key);
        self.call_with(request, M::IDEMPOTENT, key).await
    }

    /// Like [`Client::call`], but the caller vouches that doing the call twice does no harm (a
    /// write with its own deduplication, an update setting fixed values), so it is also retried
    /// after a timeout or a connection broken after sending.
    pub async fn call_idempotent<M: Method>(
        &self,
        request: &M,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        self.call_with(request, true, None).await
    }

    /// Calls a REST 3.0 method with the app's own `Idempotency-Key` (1 to 255 printable ASCII
    /// characters): the same key with the same request, now or in a later process within 24
    /// hours, makes the portal answer with the stored result instead of running the write again
    /// ([`Response::replayed`]). The key is sent again with every retry.
    pub async fn call_with_key<M: Method>(
        &self,
        request: &M,
        key: &str,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        if M::REST != 3 {
            return Err(InvalidRequest::new(
                "",
                format!(
                    "`{}` is no REST 3.0 method: REST 2 ignores idempotency keys",
                    M::NAME
                ),
            )
            .into());
        }
        check_key(key)?;
        self.call_with(request, true, Some(key.to_string())).await
    }

    async fn call_with<M: Method>(
        &self,
        request: &M,
        idempotent: bool,
        key: Option<String>,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        request.validate()?;
        let params = serde_json::to_value(request)
            .map_err(|e| InvalidRequest::new("", format!("cannot be encoded as JSON: {e}")))?;
        self.check_webhook_required::<M>(&params)?;
        let target = Target {
            method: M::NAME,
            v3: M::REST == 3,
            key: key.as_deref(),
        };
        // A write with a key runs once however often it is sent: safe to retry.
        let idempotent = idempotent || key.is_some();
        let (answer, status, body) = self.execute_paced(&target, params, idempotent).await?;
        decode::<M>(answer, status, &body)
    }

    /// A webhook identifies no application, so the parameters that stand in for one
    /// (`required = "webhook"`, such as `CLIENT_ID`) must be given: refused before sending.
    pub(crate) fn check_webhook_required<M: Method>(
        &self,
        params: &Value,
    ) -> Result<(), InvalidRequest> {
        if !matches!(self.inner.auth, Auth::Webhook(_)) {
            return Ok(());
        }
        match M::WEBHOOK_REQUIRED
            .iter()
            .find(|key| params.get(**key).is_none_or(Value::is_null))
        {
            Some(key) => Err(InvalidRequest::new(
                *key,
                "is required on webhook calls (a webhook identifies no application)",
            )),
            None => Ok(()),
        }
    }

    /// Calls `M` with already encoded parameters (list streams add `start`, `filter`, `order`).
    pub(crate) async fn call_params<M: Method>(
        &self,
        params: Value,
        idempotent: bool,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        let target = Target {
            method: M::NAME,
            v3: M::REST == 3,
            key: None,
        };
        let (answer, status, body) = self.execute_paced(&target, params, idempotent).await?;
        decode::<M>(answer, status, &body)
    }

    /// Calls any method by name with JSON parameters, for methods that have no spec yet.
    ///
    /// ```no_run
    /// # async fn run(client: bitrix_runtime::Client) -> Result<(), bitrix_runtime::Error> {
    /// let answer = client.call_raw("user.current", serde_json::json!({})).await?;
    /// println!("{}", answer.result["NAME"]);
    /// # Ok(()) }
    /// ```
    pub async fn call_raw(
        &self,
        method: &str,
        params: Value,
    ) -> Result<Response<Value>, Error<RawError>> {
        self.raw(
            Target {
                method,
                v3: false,
                key: None,
            },
            params,
        )
        .await
    }

    /// Calls any REST 3.0 method by name (`/rest/api/<method>`, JSON parameters), with an
    /// `Idempotency-Key` when `key` is given (then it is retried safely after a lost connection).
    pub async fn call_raw_v3(
        &self,
        method: &str,
        params: Value,
        key: Option<&str>,
    ) -> Result<Response<Value>, Error<RawError>> {
        if let Some(key) = key {
            check_key(key)?;
        }
        self.raw(
            Target {
                method,
                v3: true,
                key,
            },
            params,
        )
        .await
    }

    async fn raw(
        &self,
        target: Target<'_>,
        params: Value,
    ) -> Result<Response<Value>, Error<RawError>> {
        check_method_name(target.method)?;
        if !matches!(params, Value::Object(_) | Value::Null) {
            return Err(InvalidRequest::new("", "parameters must be a JSON object").into());
        }
        let idempotent = target.key.is_some();
        let (answer, status, body) = self.execute_paced(&target, params, idempotent).await?;
        let response = answer.into_result()?;
        if file_headers(&response.result).is_some() {
            return Err(UnexpectedResponse::new(status, "the answer is not JSON", &body).into());
        }
        Ok(response)
    }

    /// Sends once, and for OAuth renews the token and sends again on `expired_token`.
    pub(crate) async fn execute(
        &self,
        target: &Target<'_>,
        params: Value,
    ) -> Result<(Answer, u16, Vec<u8>), SendError> {
        let o = match &self.inner.auth {
            Auth::OAuth(o) => o,
            Auth::Webhook(w) => {
                let url = w.method_url(target.method, target.v3);
                return self.send(url, &object_or_list(params), target.key).await;
            }
        };
        let url = o.method_url(target.method, target.v3);
        // Two renewals at most: the pair a shared token store hands over (renewed by another
        // process) may itself have expired since; then this call renews once more.
        let mut renewals = 0;
        loop {
            let (token, ticket) = o.current();
            let (address, body) = signed(&url, params.clone(), &token);
            let (answer, status, bytes) = self.send(address, &body, target.key).await?;
            let expired =
                matches!(&answer, Answer::Failure { code, .. } if code == "expired_token");
            if !expired || renewals == 2 {
                return Ok((answer, status, bytes));
            }
            renewals += 1;
            tracing::debug!(target: "bitrix_rest", method = target.method, "expired_token: renewing");
            o.renew(&self.inner.http, self.inner.max_body, ticket)
                .await?;
        }
    }

    async fn send(
        &self,
        url: String,
        body: &Value,
        key: Option<&str>,
    ) -> Result<(Answer, u16, Vec<u8>), SendError> {
        let mut request = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .json(body);
        if let Some(key) = key {
            request = request.header("Idempotency-Key", key);
        }
        let answer = request.send().await.map_err(TransportError::from_reqwest)?;
        let header = |name: reqwest::header::HeaderName| {
            answer
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let replayed = header(reqwest::header::HeaderName::from_static(
            "idempotent-replayed",
        ))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let disposition = header(reqwest::header::CONTENT_DISPOSITION);
        let (status, bytes) =
            read_body(answer, self.inner.max_body)
                .await
                .map_err(|e| match e {
                    ReadError::Transport(t) => SendError::Transport(t),
                    ReadError::Unexpected(u) => SendError::Unexpected(u),
                })?;
        let mut classified = match classify(status, &bytes) {
            Ok(c) => c,
            // A success that is no JSON: a file, for the methods that answer one (see
            // `decode`); any other method still fails on it there.
            Err(_) if is_file(status, content_type.as_deref()) => {
                Answer::Success(file_answer(content_type, disposition))
            }
            Err(e) => return Err(e.into()),
        };
        if let Answer::Success(r) = &mut classified {
            r.replayed = replayed;
        }
        Ok((classified, status, bytes))
    }
}

/// The body as sent: an object of parameters, or the list of a REST 3.0 batch.
fn object_or_list(params: Value) -> Value {
    match params {
        v @ (Value::Object(_) | Value::Array(_)) => v,
        _ => Value::Object(serde_json::Map::new()),
    }
}

/// The address and body of an OAuth call: `auth` goes into the parameters, or, for a REST 3.0
/// batch whose body is a list with no room for it, into the address.
fn signed(url: &str, params: Value, token: &crate::Secret) -> (String, Value) {
    match object_or_list(params) {
        Value::Object(mut map) => {
            map.insert("auth".into(), Value::String(token.expose().to_string()));
            (url.to_string(), Value::Object(map))
        }
        list => {
            let query = crate::wire::query::encode(&serde_json::json!({"auth": token.expose()}));
            (format!("{url}?{query}"), list)
        }
    }
}

/// Where a call goes: the method, its REST version, and its idempotency key (REST 3.0).
pub(crate) struct Target<'a> {
    /// The method name.
    pub method: &'a str,
    /// REST 3.0: `/rest/api/`, JSON only.
    pub v3: bool,
    /// Sent as `Idempotency-Key`.
    pub key: Option<&'a str>,
}

/// The key under which a file answer's headers travel from `send` to `decode`, in place of a
/// `result` (no JSON answer has a key starting with NUL).
const FILE_KEY: &str = "\u{0}file";

/// A 2xx answer whose `Content-Type` is given and is not JSON.
fn is_file(status: u16, content_type: Option<&str>) -> bool {
    (200..300).contains(&status)
        && content_type.is_some_and(|c| !c.to_ascii_lowercase().contains("json"))
}

/// The envelope standing in for a file answer: its headers, the bytes stay the body.
fn file_answer(content_type: Option<String>, disposition: Option<String>) -> Response<Value> {
    let file_name = disposition.as_deref().and_then(crate::download::file_name);
    Response {
        result: serde_json::json!({ FILE_KEY: { "content_type": content_type, "file_name": file_name } }),
        time: None,
        next: None,
        total: None,
        replayed: false,
    }
}

/// The headers of a file answer made by [`file_answer`].
fn file_headers(result: &Value) -> Option<(Option<String>, Option<String>)> {
    let file = result.get(FILE_KEY)?;
    let text = |k: &str| file.get(k).and_then(Value::as_str).map(str::to_string);
    Some((text("content_type"), text("file_name")))
}

/// Types a success (the result decoded into `M::Output`, or the file of a method answering
/// one) or a failure (the method's error).
fn decode<M: Method>(
    answer: Answer,
    status: u16,
    body: &[u8],
) -> Result<Response<M::Output>, Error<M::Error>> {
    let mut envelope = answer.into_result::<M::Error>()?;
    if let Some((content_type, file_name)) = file_headers(&envelope.result) {
        let download = crate::Download {
            content_type,
            file_name,
            bytes: body.to_vec(),
        };
        return match M::from_download(download) {
            Some(file) => Ok(envelope.map(|_| file)),
            None => Err(Error::UnexpectedResponse(UnexpectedResponse::new(
                status,
                "the answer is not JSON",
                body,
            ))),
        };
    }
    // The raw body is kept for the error, so the value need not be.
    let value = std::mem::take(&mut envelope.result);
    match crate::wire::fields::decode_result::<M>(value) {
        Ok(result) => Ok(envelope.map(|_| result)),
        Err(e) => Err(Error::UnexpectedResponse(UnexpectedResponse::new(
            status,
            format!(
                "`result` does not fit {}: {e}",
                std::any::type_name::<M::Output>()
            ),
            body,
        ))),
    }
}

/// A fresh idempotency key: 32 hex digits from the clock, a process-wide counter and the
/// standard library's per-process random hash keys, unique without a dependency on a random
/// number generator.
pub(crate) fn idempotency_key() -> String {
    use std::hash::BuildHasher;
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let random = std::collections::hash_map::RandomState::new().hash_one((n, nanos));
    format!("{nanos:016x}{:016x}", random ^ n)
}

/// Refuses a method name that could change the address it is sent to (`?`, `#`, `/`, `..`,
/// whitespace) or is empty, as [`Batch::add_raw`](crate::Batch::add_raw) does: the name goes
/// into the URL path, after the webhook code.
pub(crate) fn check_method_name(method: &str) -> Result<(), InvalidRequest> {
    let valid = !method.is_empty()
        && !method.contains("..")
        && method
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_'));
    if valid {
        Ok(())
    } else {
        Err(InvalidRequest::new(
            "",
            "not a method name (letters, digits, `.` and `_` only)",
        ))
    }
}

/// An idempotency key is 1 to 255 printable ASCII characters (rest-v3.md).
fn check_key(key: &str) -> Result<(), InvalidRequest> {
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Err(InvalidRequest::new(
            "Idempotency-Key",
            "must be 1 to 255 printable ASCII characters",
        ));
    }
    Ok(())
}

/// What can go wrong between handing parameters to the transport and reading an answer. Not
/// generic over the method's error type, so the whole send path (pacing, retries, OAuth renewal,
/// HTTP) is compiled once instead of once per method; it becomes an [`Error`] at the typed edge.
#[derive(Debug)]
pub(crate) enum SendError {
    Transport(TransportError),
    Unexpected(UnexpectedResponse),
    Auth(AuthError),
}

impl From<TransportError> for SendError {
    fn from(e: TransportError) -> Self {
        SendError::Transport(e)
    }
}

impl From<UnexpectedResponse> for SendError {
    fn from(e: UnexpectedResponse) -> Self {
        SendError::Unexpected(e)
    }
}

impl From<AuthError> for SendError {
    fn from(e: AuthError) -> Self {
        SendError::Auth(e)
    }
}

impl<E> From<SendError> for Error<E> {
    fn from(e: SendError) -> Self {
        match e {
            SendError::Transport(e) => Error::Transport(e),
            SendError::Unexpected(e) => Error::UnexpectedResponse(e),
            SendError::Auth(e) => Error::Auth(e),
        }
    }
}
