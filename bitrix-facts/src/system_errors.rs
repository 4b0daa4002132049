//! Errors any method can answer, from the reference's system error table and the limits page.
//! Each row is the code as sent, the documented HTTP status and what the error means (the
//! variant's documentation, and what `b24` prints beside the portal's own text).

use std::fmt;

macro_rules! system_errors {
    ($($variant:ident = ($code:literal, $status:literal, $meaning:literal),)*) => {
        /// An error common to all methods, with the HTTP status the documentation gives for it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum SystemError {
            $(#[doc = $meaning] $variant,)*
        }

        impl SystemError {
            /// Every system error.
            pub const ALL: &'static [SystemError] = &[$(SystemError::$variant,)*];

            /// The system error with this code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $($code => Some(SystemError::$variant),)*
                    _ => None,
                }
            }

            /// The code as sent.
            pub fn code(self) -> &'static str {
                match self {
                    $(SystemError::$variant => $code,)*
                }
            }

            /// The documented HTTP status.
            pub fn status(self) -> u16 {
                match self {
                    $(SystemError::$variant => $status,)*
                }
            }

            /// What the error means, in one or two sentences.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(SystemError::$variant => $meaning,)*
                }
            }
        }
    };
}

system_errors! {
    InternalServerError = (
        "INTERNAL_SERVER_ERROR",
        500,
        "The portal failed internally."
    ),
    ErrorUnexpectedAnswer = (
        "ERROR_UNEXPECTED_ANSWER",
        500,
        "The portal produced an answer it could not deliver."
    ),
    QueryLimitExceeded = (
        "QUERY_LIMIT_EXCEEDED",
        503,
        "Too many requests: the portal's leaky bucket is full. The call did not run."
    ),
    ErrorBatchMethodNotAllowed = (
        "ERROR_BATCH_METHOD_NOT_ALLOWED",
        405,
        "The method may not be called inside `batch`."
    ),
    ErrorBatchLengthExceeded = (
        "ERROR_BATCH_LENGTH_EXCEEDED",
        400,
        "A `batch` had more than 50 commands."
    ),
    NoAuthFound = (
        "NO_AUTH_FOUND",
        401,
        "The token or webhook code is wrong."
    ),
    InvalidRequest = (
        "INVALID_REQUEST",
        400,
        "The portal requires HTTPS."
    ),
    OverloadLimit = (
        "OVERLOAD_LIMIT",
        503,
        "The REST API of the portal was blocked by hand for overload."
    ),
    AccessDenied = (
        "ACCESS_DENIED",
        403,
        "The REST API needs a commercial plan."
    ),
    InvalidCredentials = (
        "INVALID_CREDENTIALS",
        403,
        "The user behind the token or webhook lacks the rights."
    ),
    ErrorManifestIsNotAvailable = (
        "ERROR_MANIFEST_IS_NOT_AVAILABLE",
        404,
        "The manifest is not available."
    ),
    InsufficientScope = (
        "insufficient_scope",
        403,
        "The method needs a scope the token or webhook lacks."
    ),
    ExpiredToken = (
        "expired_token",
        401,
        "The access token has expired; the client renews it and retries once."
    ),
    UserAccessError = (
        "user_access_error",
        403,
        "The administrator limited the application to other users."
    ),
    PortalDeleted = (
        "PORTAL_DELETED",
        500,
        "The portal's public part is closed or the portal was deleted."
    ),
    OperationTimeLimit = (
        "OPERATION_TIME_LIMIT",
        429,
        "The method's operating-time budget for this application is spent until `operating_reset_at`."
    ),
    ErrorMethodNotFound = (
        "ERROR_METHOD_NOT_FOUND",
        404,
        "No such method."
    ),
    InvalidToken = (
        "invalid_token",
        401,
        "The access token is not valid."
    ),
    ErrorCore = (
        "ERROR_CORE",
        400,
        "A portal module failed while running the method; `description` carries its message (sometimes with markup). Methods that document their own `ERROR_CORE` rows get those."
    ),
    WrongAuthType = (
        "WRONG_AUTH_TYPE",
        403,
        "The method may not be called with this kind of authorization (a webhook where an application is required, or the reverse)."
    ),
    ErrorOauth = (
        "ERROR_OAUTH",
        401,
        "The portal's OAuth layer refused the token or the application."
    ),
    Uncoded = (
        "",
        400,
        "An error without a code: `{\"error\": \"\", \"error_description\": \"Not found\"}`, as crm.*.get answers a missing ID. The text (`ApiError::description`) and the status tell what it is."
    ),
}

impl fmt::Display for SystemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SystemError::Uncoded => f.write_str("(no code)"),
            other => f.write_str(other.code()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for e in SystemError::ALL {
            assert_eq!(SystemError::from_code(e.code()), Some(*e));
        }
        assert_eq!(SystemError::QueryLimitExceeded.status(), 503);
        assert_eq!(SystemError::OperationTimeLimit.status(), 429);
        assert_eq!(SystemError::from_code(""), Some(SystemError::Uncoded));
        assert_eq!(
            SystemError::from_code("ERROR_CORE"),
            Some(SystemError::ErrorCore)
        );
    }
}
