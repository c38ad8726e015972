//! S3 failures as typed JS errors: no answer (timeout, network — naming the CORS rule a browser
//! needs), an S3 error document, or a request the core could not build.

use wasm_bindgen::prelude::*;

use super::js_error::details;
use super::timers::now_ms;
use super::transport::{self, Failure};
use crate::s3::{self, S3ErrorKind};

/// An S3 request that got no answer, as a typed error; a network failure names the CORS rule
/// (`cors_rule`: the methods and headers the bucket must allow) that a browser needs.
pub(super) fn s3_send_error(failure: Failure, url: &str, timeout_ms: f64, cors_rule: &str) -> JsValue {
    match failure {
        Failure::Aborted(reason) => reason,
        Failure::Timeout => details("TIMEOUT")
            .error("TimeoutError", &format!("S3 did not answer within {} ms", crate::util::whole_text(timeout_ms))),
        Failure::Network(cause) => {
            let message = format!(
                "could not reach {}: {} — in a browser this is usually CORS: the bucket needs a CORS rule allowing {cors_rule}",
                origin_of(url),
                transport::describe_cause(&cause)
            );
            details("NETWORK_ERROR").field("cause", &cause).error("NetworkError", &message)
        }
    }
}

fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i.saturating_add(3));
    let end =
        url.get(after_scheme..).and_then(|rest| rest.find('/')).map_or(url.len(), |i| i.saturating_add(after_scheme));
    url.get(..end).unwrap_or(url)
}

pub(super) fn s3_failure(error: &s3::S3Error, what: &str) -> JsValue {
    let (name, code) = match error.kind {
        S3ErrorKind::AccessDenied => ("AuthError", "ACCESS_DENIED"),
        S3ErrorKind::NotFound => ("NotFoundError", "OBJECT_MISSING"),
        S3ErrorKind::Other => ("ApiError", "S3_ERROR"),
    };
    details(code)
        .field("status", &JsValue::from(error.status))
        .maybe("requestId", error.request_id.as_deref())
        .error(name, &format!("{what}: {} ({})", error.message, error.code))
}

pub(super) fn s3_request_error(error: &s3::S3RequestError) -> JsValue {
    details("VALIDATION_ERROR").error("ValidationError", &error.message())
}

pub(super) fn now_seconds() -> i64 {
    (now_ms() / 1000.0) as i64
}
