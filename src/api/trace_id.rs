//! The trace id of a response: the error body's `traceId`, else `x-trace-id` (read by STACKIT's Go SDK),
//! else the trace-id field of the W3C `traceparent` header (shown in the docs' 202 example).

/// The 32-hex trace id of `00-<trace-id>-<parent-id>-<flags>`, if well formed.
pub fn from_traceparent(traceparent: &str) -> Option<String> {
    let mut parts = traceparent.trim().split('-');
    let _version = parts.next()?;
    let trace = parts.next()?;
    (trace.len() == 32 && trace.bytes().all(|b| b.is_ascii_hexdigit())).then(|| trace.to_ascii_lowercase())
}

/// Picks the best trace id available, in the order above.
pub fn pick(body_trace_id: Option<&str>, x_trace_id: Option<&str>, traceparent: Option<&str>) -> Option<String> {
    let non_empty = |s: &&str| !s.trim().is_empty();
    body_trace_id
        .filter(non_empty)
        .or(x_trace_id.filter(non_empty))
        .map(|s| s.trim().to_owned())
        .or_else(|| traceparent.and_then(from_traceparent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_w3c_traceparent() {
        assert_eq!(
            from_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").as_deref(),
            Some("4bf92f3577b34da6a3ce929d0e0e4736")
        );
        assert_eq!(from_traceparent("garbage"), None);
        assert_eq!(from_traceparent("00-short-00f067aa0ba902b7-01"), None);
    }

    #[test]
    fn prefers_body_then_header_then_traceparent() {
        let tp = Some("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assert_eq!(pick(Some("body"), Some("hdr"), tp).as_deref(), Some("body"));
        assert_eq!(pick(None, Some("hdr"), tp).as_deref(), Some("hdr"));
        assert_eq!(pick(Some(""), None, tp).as_deref(), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
        assert_eq!(pick(None, None, None), None);
    }
}
