//! Reading an answer's body within the client's size limit: chunk by chunk, so a portal (or
//! anything between) that sends hundreds of megabytes is cut off once the limit is passed instead
//! of being buffered whole; and redirects, which the client never follows, become errors.

use crate::error::{TransportError, UnexpectedResponse};

/// The default limit of an answer's body (the largest Bitrix24 answers, 50 records with every
/// field, stay far below it).
pub(crate) const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The connection failed while reading.
    Transport(TransportError),
    /// Too large, or a redirect.
    Unexpected(UnexpectedResponse),
}

/// Reads the whole body of `answer` (status, bytes), refusing a body over `limit` bytes and any
/// 3xx answer. Dropping the response on refusal closes the connection, so the rest is never read.
pub(crate) async fn read_body(
    mut answer: reqwest::Response,
    limit: usize,
) -> Result<(u16, Vec<u8>), ReadError> {
    let status = answer.status().as_u16();
    let too_large = |prefix: &[u8]| {
        ReadError::Unexpected(UnexpectedResponse::new(
            status,
            format!("the answer is larger than the client's limit of {limit} bytes"),
            prefix,
        ))
    };
    if answer.content_length().is_some_and(|n| n > limit as u64) {
        return Err(too_large(b""));
    }
    let mut body = Vec::new();
    while let Some(chunk) = answer
        .chunk()
        .await
        .map_err(|e| ReadError::Transport(TransportError::from_reqwest(e)))?
    {
        if chunk.len() > limit - body.len() {
            let room = limit - body.len();
            body.extend_from_slice(&chunk[..room]);
            return Err(too_large(&body));
        }
        body.extend_from_slice(&chunk);
    }
    if (300..400).contains(&status) {
        // Following it could carry the webhook code or the token to another origin.
        return Err(ReadError::Unexpected(UnexpectedResponse::new(
            status,
            "a redirect; the client never follows redirects",
            &body,
        )));
    }
    Ok((status, body))
}
