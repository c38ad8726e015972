//! Requests as plain data and the rules for sending them, whatever the service: the request model,
//! the retry policy (what is retried, after how long, the restore POST never sent twice), the
//! `Retry-After` header, error classes by status, and the URL rules for credentials.

pub mod error_class;
pub mod request;
pub mod retry;
pub mod retry_after;
pub mod url;

pub use error_class::ErrorClass;
pub use request::HttpRequest;
pub use retry::RetryPolicy;
