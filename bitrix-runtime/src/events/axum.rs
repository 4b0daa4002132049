//! Incoming events in an `axum` app: the [`VerifiedEvent`] extractor, or [`router`] for a
//! handler that only takes events.
//!
//! A forged or missing `application_token` answers 401, an unreadable body 400, an unknown
//! content type 415; the handler does not run for any of them.
//!
//! ```no_run
//! use axum::{routing::post, Router};
//! use bitrix_runtime::events::axum::VerifiedEvent;
//! use bitrix_runtime::events::{Event, Receiver};
//!
//! async fn on_event(VerifiedEvent(incoming): VerifiedEvent) -> &'static str {
//!     println!("{} from {:?}", incoming.event.name(), incoming.auth.domain);
//!     #[cfg(feature = "imbot")]
//!     if let Event::OnImCommandAdd(cmd) = incoming.event {
//!         println!("command: {:?}", cmd.params.and_then(|p| p.message));
//!     }
//!     "ok"
//! }
//!
//! let app: Router = Router::new()
//!     .route("/bitrix/events", post(on_event))
//!     .with_state(Receiver::new("application-token"));
//! ```

use std::future::Future;

use axum::extract::{FromRef, FromRequest, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;

use super::{Event, EventError, FromRawEvent, Incoming, Receiver};

/// Extracts a verified, decoded event from the request body. The state must provide a
/// [`Receiver`] (`Receiver: FromRef<S>`; a `Receiver` state itself does).
#[derive(Debug, Clone)]
pub struct VerifiedEvent<E = Event>(pub Incoming<E>);

/// Why [`VerifiedEvent`] refused a request; answers with the error's status and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRejection(pub EventError);

impl IntoResponse for EventRejection {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.status()).unwrap_or(StatusCode::BAD_REQUEST);
        (status, self.0.to_string()).into_response()
    }
}

impl<S, E> FromRequest<S> for VerifiedEvent<E>
where
    S: Send + Sync,
    Receiver: FromRef<S>,
    E: FromRawEvent + Send,
{
    type Rejection = EventRejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let receiver = Receiver::from_ref(state);
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        // Read at most one byte over the receiver's limit, so an over-large body is refused
        // (413) without being buffered whole.
        let limit = receiver.body_limit();
        let body = axum::body::to_bytes(req.into_body(), limit.saturating_add(1))
            .await
            .map_err(|e| {
                let too_large = std::error::Error::source(&e)
                    .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
                EventRejection(if too_large {
                    EventError::TooLarge { limit }
                } else {
                    EventError::Malformed {
                        reason: format!("the body cannot be read: {e}"),
                    }
                })
            })?;
        receiver
            .receive_as(content_type.as_deref(), &body)
            .map(VerifiedEvent)
            .map_err(EventRejection)
    }
}

/// A router that answers `POST /` by verifying the event and handing it to `handler`, whose
/// output is the response (`()` answers 200 with an empty body). Nest it where the handler URL
/// points: `Router::new().nest("/bitrix", events::axum::router(receiver, handle))`.
pub fn router<H, Fut, R>(receiver: Receiver, handler: H) -> Router
where
    H: Fn(Incoming<Event>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = R> + Send + 'static,
    R: IntoResponse + 'static,
{
    Router::new()
        .route(
            "/",
            post(move |VerifiedEvent(incoming): VerifiedEvent| {
                let handler = handler.clone();
                async move { handler(incoming).await.into_response() }
            }),
        )
        .with_state(receiver)
}
