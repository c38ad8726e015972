//! Reading an API response: 202 accepted, or an error body `{code, message, type, traceId}` /
//! 422 `{code, validation: [{field, message}]}` (OpenAPI specs in pkg-template/emulator/openapi: `Error`, `ValidationError` schemas).

use serde::Serialize;
use serde_json::Value;

use crate::api::trace_id;

/// What the response headers tell about tracing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceHeaders {
    pub traceparent: Option<String>,
    pub x_trace_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// A non-2xx answer. `code` is a stable machine code: the body's `type` (e.g. `NOT_FOUND`) or `HTTP_<status>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub validation: Vec<FieldProblem>,
}

/// A 202 (or other 2xx) with its trace id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Accepted {
    pub accepted: bool,
    pub status: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traceparent: Option<String>,
}

pub fn accepted(status: u16, headers: &TraceHeaders) -> Accepted {
    Accepted {
        accepted: true,
        status,
        trace_id: trace_id::pick(None, headers.x_trace_id.as_deref(), headers.traceparent.as_deref()),
        traceparent: headers.traceparent.clone(),
    }
}

/// Builds the error for a non-2xx response from whatever the body holds; never fails.
pub fn api_error(status: u16, headers: &TraceHeaders, body: &str) -> ApiError {
    let parsed: Option<Value> = serde_json::from_str(body).ok();
    let object = parsed.as_ref().and_then(Value::as_object);
    let text = |key: &str| object.and_then(|o| o.get(key)).and_then(Value::as_str).filter(|s| !s.is_empty());

    let validation: Vec<FieldProblem> = object
        .and_then(|o| o.get("validation"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_object)
                .map(|item| FieldProblem {
                    field: item.get("field").and_then(Value::as_str).unwrap_or_default().to_owned(),
                    message: item.get("message").and_then(Value::as_str).unwrap_or_default().to_owned(),
                })
                .collect()
        })
        .unwrap_or_default();

    let message = match text("message") {
        Some(m) => m.to_owned(),
        None if !validation.is_empty() => {
            validation.iter().map(|p| format!("{}: {}", p.field, p.message)).collect::<Vec<_>>().join("; ")
        }
        None if object.is_none() && !body.trim().is_empty() => {
            format!("HTTP {status} {} (response body is not the API's JSON error)", reason(status))
        }
        None => format!("HTTP {status} {}", reason(status)),
    };
    let code = match text("type") {
        Some(t) => t.to_owned(),
        None if !validation.is_empty() => "VALIDATION_ERROR".to_owned(),
        None => format!("HTTP_{status}"),
    };
    ApiError {
        status,
        code,
        message,
        trace_id: trace_id::pick(text("traceId"), headers.x_trace_id.as_deref(), headers.traceparent.as_deref()),
        validation,
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        423 => "Locked",
        425 => "Too Early",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TP: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    fn headers() -> TraceHeaders {
        TraceHeaders { traceparent: Some(TP.into()), x_trace_id: None }
    }

    #[test]
    fn reads_the_spec_error_body() {
        let e = api_error(
            404,
            &headers(),
            r#"{"code":404,"message":"instance not found","type":"NOT_FOUND","traceId":"885bef8bbc18649c"}"#,
        );
        assert_eq!(e.status, 404);
        assert_eq!(e.code, "NOT_FOUND");
        assert_eq!(e.message, "instance not found");
        assert_eq!(e.trace_id.as_deref(), Some("885bef8bbc18649c"));
    }

    #[test]
    fn reads_the_422_validation_body() {
        let e = api_error(
            422,
            &headers(),
            r#"{"code":422,"validation":[{"field":"name","message":"this field is required"}]}"#,
        );
        assert_eq!(e.code, "VALIDATION_ERROR");
        assert_eq!(e.message, "name: this field is required");
        assert_eq!(e.validation.len(), 1);
        assert_eq!(e.trace_id.as_deref(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
    }

    #[test]
    fn tolerates_garbage_and_wrong_types() {
        let e = api_error(502, &TraceHeaders::default(), "<html>bad gateway</html>");
        assert_eq!(e.code, "HTTP_502");
        assert!(e.message.contains("not the API's JSON error"));
        let e = api_error(500, &TraceHeaders::default(), r#"{"code":"x","message":7,"type":[],"traceId":1}"#);
        assert_eq!(e.code, "HTTP_500");
        assert_eq!(e.trace_id, None);
        let e = api_error(400, &TraceHeaders::default(), "");
        assert_eq!(e.message, "HTTP 400 Bad Request");
    }

    #[test]
    fn accepted_takes_the_trace_id_from_traceparent() {
        let a = accepted(202, &headers());
        assert!(a.accepted);
        assert_eq!(a.trace_id.as_deref(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
    }
}
