//! The shared call path: validate, serialize, authorize, send, read, type.

use serde_json::Value;

use super::answer::{classify, typed_failure, Answer};
use super::read::{read_body, ReadError};
use super::Client;
use crate::auth::Auth;
use crate::envelope::Response;
use crate::error::{
    AuthError, Error, InvalidRequest, RawError, TransportError, UnexpectedResponse,
};
use crate::method::Method;

impl Client {
    /// Calls a method with a typed request. Rules the spec states (required fields, "at least
    /// one field", URL schemes) are checked before anything is sent.
    ///
    /// The call is paced to the portal's limits and retried as the client's
    /// [`RetryPolicy`](crate::RetryPolicy) allows; after a timeout or broken connection it is
    /// retried only when the method is idempotent ([`Method::IDEMPOTENT`]).
    pub async fn call<M: Method>(
        &self,
        request: &M,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        self.call_with(request, M::IDEMPOTENT).await
    }

    /// Like [`Client::call`], but the caller vouches that doing the call twice does no harm (a
    /// write with its own deduplication, an update setting fixed values), so it is also retried
    /// after a timeout or a connection broken after sending.
    pub async fn call_idempotent<M: Method>(
        &self,
        request: &M,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        self.call_with(request, true).await
    }

    async fn call_with<M: Method>(
        &self,
        request: &M,
        idempotent: bool,
    ) -> Result<Response<M::Output>, Error<M::Error>> {
        request.validate()?;
        let params = serde_json::to_value(request)
            .map_err(|e| InvalidRequest::new("", format!("cannot be encoded as JSON: {e}")))?;
        self.check_webhook_required::<M>(&params)?;
        self.call_params::<M>(params, idempotent).await
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
        let (answer, status, body) = self.execute_paced(M::NAME, params, idempotent).await?;
        match answer {
            Answer::Success(envelope) => {
                let Response {
                    result,
                    time,
                    next,
                    total,
                } = envelope;
                match M::decode_output(result) {
                    Ok(result) => Ok(Response {
                        result,
                        time,
                        next,
                        total,
                    }),
                    Err(e) => Err(Error::UnexpectedResponse(UnexpectedResponse::new(
                        status,
                        format!(
                            "`result` does not fit {}: {e}",
                            std::any::type_name::<M::Output>()
                        ),
                        &body,
                    ))),
                }
            }
            Answer::Failure {
                code,
                description,
                status,
            } => Err(typed_failure(code, description, status)),
        }
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
        if !matches!(params, Value::Object(_) | Value::Null) {
            return Err(InvalidRequest::new("", "parameters must be a JSON object").into());
        }
        check_method_name(method)?;
        let (answer, _, _) = self.execute_paced(method, params, false).await?;
        match answer {
            Answer::Success(envelope) => Ok(envelope),
            Answer::Failure {
                code,
                description,
                status,
            } => Err(typed_failure(code, description, status)),
        }
    }

    /// Sends once, and for OAuth renews the token and sends again on `expired_token`.
    pub(crate) async fn execute(
        &self,
        method: &str,
        params: Value,
    ) -> Result<(Answer, u16, Vec<u8>), SendError> {
        let mut params = match params {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        match &self.inner.auth {
            Auth::Webhook(w) => {
                self.send(w.method_url(method), &Value::Object(params))
                    .await
            }
            Auth::OAuth(o) => {
                let url = o.method_url(method);
                let (token, ticket) = o.current();
                params.insert("auth".into(), Value::String(token.expose().to_string()));
                let (answer, status, body) = self
                    .send(url.clone(), &Value::Object(params.clone()))
                    .await?;
                if !matches!(&answer, Answer::Failure { code, .. } if code == "expired_token") {
                    return Ok((answer, status, body));
                }
                tracing::debug!(target: "bitrix_rest", method, "expired_token: renewing");
                o.renew(&self.inner.http, self.inner.max_body, ticket)
                    .await?;
                let (token, _) = o.current();
                params.insert("auth".into(), Value::String(token.expose().to_string()));
                self.send(url, &Value::Object(params)).await
            }
        }
    }

    async fn send(&self, url: String, body: &Value) -> Result<(Answer, u16, Vec<u8>), SendError> {
        let answer = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .json(body)
            .send()
            .await
            .map_err(TransportError::from_reqwest)?;
        let (status, bytes) =
            read_body(answer, self.inner.max_body)
                .await
                .map_err(|e| match e {
                    ReadError::Transport(t) => SendError::Transport(t),
                    ReadError::Unexpected(u) => SendError::Unexpected(u),
                })?;
        let classified = classify(status, &bytes)?;
        Ok((classified, status, bytes))
    }
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
