//! Which JS error class a failed HTTP attempt becomes, and whether trying again can help.
//!
//! One class per failure kind, chosen by status (the pattern of stripe-node and the AWS SDK v3).
//! The class `name` is what JS code and `isXError()` guards key on, so never
//! rename one. API failures carry the body's `code` (see [`crate::api::error`]); the failures that
//! have no response carry the fixed codes [`NETWORK_ERROR`] and [`TIMEOUT`].

use serde::Serialize;

/// Machine code of a fetch that failed without an HTTP response (DNS, refused connection, TLS, CORS, reset).
pub const NETWORK_ERROR: &str = "NETWORK_ERROR";
/// Machine code of an attempt that hit the client's per-attempt timeout.
pub const TIMEOUT: &str = "TIMEOUT";

/// The JS error class to throw. Serialized as its [`name`](ErrorClass::name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ErrorClass {
    /// Input rejected before anything was sent.
    #[serde(rename = "ValidationError")]
    Validation,
    /// 401/403, and failures to obtain an access token (bad key, token endpoint refusing).
    #[serde(rename = "AuthError")]
    Auth,
    /// 404.
    #[serde(rename = "NotFoundError")]
    NotFound,
    /// 409.
    #[serde(rename = "ConflictError")]
    Conflict,
    /// 429.
    #[serde(rename = "RateLimitError")]
    RateLimit,
    /// Any other non-2xx status (including 400, 422 and 5xx).
    #[serde(rename = "ApiError")]
    Api,
    /// No HTTP response at all.
    #[serde(rename = "NetworkError")]
    Network,
    /// The per-attempt timeout fired.
    #[serde(rename = "TimeoutError")]
    Timeout,
}

impl ErrorClass {
    /// Every class, for exhaustive tests and for generating the JS class list.
    pub const ALL: [ErrorClass; 8] = [
        ErrorClass::Validation,
        ErrorClass::Auth,
        ErrorClass::NotFound,
        ErrorClass::Conflict,
        ErrorClass::RateLimit,
        ErrorClass::Api,
        ErrorClass::Network,
        ErrorClass::Timeout,
    ];

    /// The class of a non-2xx HTTP status. 400 and 422 stay `Api`: `Validation` is reserved for
    /// input this client rejected itself, and the API's 4xx body (`code`, `validation`) says more.
    pub fn for_status(status: u16) -> ErrorClass {
        match status {
            401 | 403 => ErrorClass::Auth,
            404 => ErrorClass::NotFound,
            409 => ErrorClass::Conflict,
            429 => ErrorClass::RateLimit,
            _ => ErrorClass::Api,
        }
    }

    /// The JS `Error.name`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorClass::Validation => "ValidationError",
            ErrorClass::Auth => "AuthError",
            ErrorClass::NotFound => "NotFoundError",
            ErrorClass::Conflict => "ConflictError",
            ErrorClass::RateLimit => "RateLimitError",
            ErrorClass::Api => "ApiError",
            ErrorClass::Network => "NetworkError",
            ErrorClass::Timeout => "TimeoutError",
        }
    }

    /// The fixed machine code of a failure that has no API body; `None` where the code comes from
    /// elsewhere (the API error body, or the validation issue codes).
    pub fn fixed_code(self) -> Option<&'static str> {
        match self {
            ErrorClass::Network => Some(NETWORK_ERROR),
            ErrorClass::Timeout => Some(TIMEOUT),
            _ => None,
        }
    }

    /// Whether the same request may succeed if sent again later (the JS error's `retryable`).
    /// `status` is the HTTP status when there was a response.
    ///
    /// Retryable: network errors, timeouts, 429, 423 and 425 (busy, not ready: refused before it
    /// ran), and the gateway/availability statuses 502, 503, 504, which say the request did not
    /// get a proper answer. Not retryable: other 4xx (the
    /// request itself is wrong and stays wrong), and 500 and 501: a 500 says the service failed
    /// while handling the request, so it may have executed part or all of it (for the restore POST
    /// that could mean a restore is running), and 501 will not change. Whether a retryable failure
    /// of the non-idempotent restore POST is actually retried is decided in [`crate::http::retry`].
    pub fn retryable(self, status: Option<u16>) -> bool {
        match self {
            ErrorClass::Network | ErrorClass::Timeout | ErrorClass::RateLimit => true,
            ErrorClass::Api => status.is_some_and(is_retryable_status),
            ErrorClass::Validation | ErrorClass::Auth | ErrorClass::NotFound | ErrorClass::Conflict => false,
        }
    }
}

/// 423, 425, 429, 502, 503 and 504: see [`ErrorClass::retryable`]. 423 Locked and 425 Too Early
/// are what STACKIT answers while an instance or user is busy or not ready yet; its own Terraform
/// provider retries them (docs/stackit-api.md, "Errors").
pub fn is_retryable_status(status: u16) -> bool {
    matches!(status, 423 | 425 | 429 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_the_js_name() {
        for class in ErrorClass::ALL {
            assert_eq!(serde_json::to_value(class).ok(), Some(serde_json::Value::from(class.name())));
        }
    }

    #[test]
    fn statuses_map_to_classes() {
        assert_eq!(ErrorClass::for_status(401), ErrorClass::Auth);
        assert_eq!(ErrorClass::for_status(403), ErrorClass::Auth);
        assert_eq!(ErrorClass::for_status(404), ErrorClass::NotFound);
        assert_eq!(ErrorClass::for_status(409), ErrorClass::Conflict);
        assert_eq!(ErrorClass::for_status(429), ErrorClass::RateLimit);
        for status in [400, 422, 500, 501, 502, 503, 504, 302, 0] {
            assert_eq!(ErrorClass::for_status(status), ErrorClass::Api, "{status}");
        }
    }

    #[test]
    fn retryability() {
        assert!(ErrorClass::Network.retryable(None));
        assert!(ErrorClass::Timeout.retryable(None));
        assert!(ErrorClass::RateLimit.retryable(Some(429)));
        for status in [502, 503, 504] {
            assert!(ErrorClass::for_status(status).retryable(Some(status)), "{status}");
        }
        for status in [400, 401, 403, 404, 409, 422, 500, 501] {
            assert!(!ErrorClass::for_status(status).retryable(Some(status)), "{status}");
        }
        assert!(!ErrorClass::Api.retryable(None));
        assert!(!ErrorClass::Validation.retryable(None));
    }

    #[test]
    fn fixed_codes() {
        assert_eq!(ErrorClass::Network.fixed_code(), Some("NETWORK_ERROR"));
        assert_eq!(ErrorClass::Timeout.fixed_code(), Some("TIMEOUT"));
        assert_eq!(ErrorClass::Api.fixed_code(), None);
    }
}
