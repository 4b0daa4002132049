//! What is tried again, and when: the retry decisions over the pacing machinery. A finished try is
//! done, or tried again after a wait the [`RetryPolicy`](crate::RetryPolicy) allows.

use std::time::Duration;

use serde_json::Value;
use tracing::Instrument;

use super::call::{SendError, Target};
use super::Client;
use crate::transport::answer::Answer;

/// Why a finished try is tried again.
enum Verdict {
    Done,
    RetryAfter(Duration),
}

impl Client {
    /// Sends through the pacer: waits for its turn, sends, records operating time, and retries what
    /// the policy allows. `idempotent` allows retries after a timeout or broken connection.
    /// Each call is one `bitrix_call` span (its method; never its parameters or address).
    pub(crate) async fn execute_paced(
        &self,
        target: &Target<'_>,
        params: Value,
        idempotent: bool,
    ) -> Result<(Answer, u16, Vec<u8>), SendError> {
        let method = target.method;
        let span =
            tracing::debug_span!(target: "bitrix_rest", "bitrix_call", method, v3 = target.v3);
        self.tries(target, params, idempotent)
            .instrument(span)
            .await
    }

    async fn tries(
        &self,
        target: &Target<'_>,
        params: Value,
        idempotent: bool,
    ) -> Result<(Answer, u16, Vec<u8>), SendError> {
        let method = target.method;
        let pacer = &self.inner.pacer;
        let mut tries = 0u32;
        loop {
            tries += 1;
            let permit = pacer.acquire(method).await;
            tracing::debug!(target: "bitrix_rest", method, attempt = tries, "try");
            let outcome = self.execute(target, params.clone()).await;
            drop(permit);
            let verdict = match &outcome {
                Ok((Answer::Success(r), _, _)) => {
                    pacer.record(method, r.time.as_ref());
                    Verdict::Done
                }
                Ok((Answer::Failure { code, .. }, _, _)) if code == "QUERY_LIMIT_EXCEEDED" => {
                    pacer.saturate().await;
                    Verdict::RetryAfter(pacer.backoff(tries))
                }
                Ok((Answer::Failure { code, .. }, _, _)) if code == "OPERATION_TIME_LIMIT" => {
                    match pacer.operating_wait(method, false) {
                        Some(wait) => Verdict::RetryAfter(wait.max(pacer.backoff(1))),
                        None => Verdict::RetryAfter(pacer.backoff(tries)),
                    }
                }
                Err(SendError::Transport(t)) if t.not_sent() || idempotent => {
                    Verdict::RetryAfter(pacer.backoff(tries))
                }
                _ => Verdict::Done,
            };
            let status = match &outcome {
                Ok((_, status, _)) => *status,
                Err(_) => 0,
            };
            let code = match &outcome {
                Ok((Answer::Failure { code, .. }, _, _)) => code.as_str(),
                Ok((Answer::Success(_), _, _)) => "",
                Err(SendError::Transport(_)) => "transport",
                Err(SendError::Unexpected(_)) => "unexpected",
                Err(SendError::Auth(_)) => "auth",
            };
            match verdict {
                Verdict::RetryAfter(wait) if tries < pacer.max_tries() => {
                    tracing::debug!(
                        target: "bitrix_rest",
                        method,
                        attempt = tries,
                        status,
                        code,
                        wait_ms = wait.as_millis() as u64,
                        "retry"
                    );
                    tokio::time::sleep(wait).await;
                }
                _ => {
                    tracing::debug!(target: "bitrix_rest", method, attempt = tries, status, code, "done");
                    return outcome;
                }
            }
        }
    }
}
