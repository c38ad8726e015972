//! One HTTP attempt with the runtime's `fetch`: per-attempt timeout, the caller's AbortSignal, the whole
//! body read inside the deadline. The outcome is data for the core's retry decision.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::js_error::{set, simple_error};
use super::timers::{abort_reason, AbortController, AbortListener, AbortSignal, Timer};
use crate::api::error::TraceHeaders;
use crate::http::request::HttpRequest;

#[wasm_bindgen]
extern "C" {
    /// Any fetch `Response`-like object: read structurally so polyfills and wrappers work too.
    type FetchResponse;
    #[wasm_bindgen(method, getter, structural)]
    fn status(this: &FetchResponse) -> u16;
    #[wasm_bindgen(method, getter, structural)]
    fn headers(this: &FetchResponse) -> FetchHeaders;
    #[wasm_bindgen(method, structural, catch)]
    fn text(this: &FetchResponse) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, structural, catch, js_name = arrayBuffer)]
    fn array_buffer(this: &FetchResponse) -> Result<Promise, JsValue>;

    type FetchHeaders;
    #[wasm_bindgen(method, structural, catch)]
    fn get(this: &FetchHeaders, name: &str) -> Result<Option<String>, JsValue>;
}

/// A complete response: status, the headers we use, the body (text, or bytes when asked for).
pub struct Response {
    pub status: u16,
    pub trace: TraceHeaders,
    pub retry_after: Option<String>,
    pub body: String,
    pub bytes: Vec<u8>,
    /// `content-range`, `x-amz-request-id` and `etag`, when present (S3 calls).
    pub content_range: Option<String>,
    pub request_id: Option<String>,
    pub etag: Option<String>,
}

/// How to read the body: as text (API JSON), or as bytes for a 2xx answer (S3 object data).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    Text,
    Bytes,
}

pub enum Failure {
    /// The caller's signal aborted: rethrow this reason unchanged.
    Aborted(JsValue),
    /// No complete response within the attempt's timeout.
    Timeout,
    /// The request failed without a response (refused, reset, DNS, CORS).
    Network(JsValue),
}

/// The `fetch` to use: the caller's, else the runtime's global one, else a clear error.
pub fn resolve_fetch(custom: &JsValue) -> Result<Function, JsValue> {
    if let Some(f) = custom.dyn_ref::<Function>() {
        return Ok(f.clone());
    }
    let global = Reflect::get(&js_sys::global(), &JsValue::from_str("fetch")).unwrap_or(JsValue::UNDEFINED);
    global.dyn_into::<Function>().map_err(|_| {
        simple_error(
            "NetworkError",
            "NO_FETCH",
            "no fetch available: this runtime has no global fetch; pass one as the `fetch` option",
        )
    })
}

pub async fn attempt(
    fetch: &Function,
    request: &HttpRequest,
    timeout_ms: f64,
    signal: Option<&AbortSignal>,
) -> Result<Response, Failure> {
    attempt_reading(fetch, request, None, timeout_ms, signal, BodyKind::Text).await
}

/// One fetch of `request`, its 2xx body read as `kind`; `bytes` (a Uint8Array or Blob, passed to
/// fetch as is) replaces `request.body` when given.
pub async fn attempt_reading(
    fetch: &Function,
    request: &HttpRequest,
    bytes: Option<&JsValue>,
    timeout_ms: f64,
    signal: Option<&AbortSignal>,
    kind: BodyKind,
) -> Result<Response, Failure> {
    if let Some(signal) = signal {
        if signal.aborted() {
            return Err(Failure::Aborted(abort_reason(signal)));
        }
    }
    let controller = Rc::new(AbortController::new());
    let timed_out = Rc::new(Cell::new(false));
    let _timer = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        Timer::new(timeout_ms, move || {
            timed_out.set(true);
            controller.abort(&JsValue::UNDEFINED);
        })
    };
    let _listener = signal.map(|signal| {
        let (controller, source) = (controller.clone(), signal.clone());
        AbortListener::new(signal, move || controller.abort(&abort_reason(&source)))
    });

    let init = Object::new();
    set(&init, "method", &JsValue::from_str(request.method));
    set(&init, "headers", &headers_object(&request.headers));
    match (bytes, &request.body) {
        (Some(bytes), _) => set(&init, "body", bytes),
        (None, Some(body)) => set(&init, "body", &JsValue::from_str(body)),
        (None, None) => {}
    }
    set(&init, "signal", &controller.signal());
    if in_browser() {
        // Browsers' HTTP caches may rewrite a ranged GET (partial-content entries), which breaks its
        // signature, or replay stale API answers. (workerd rejects this field, so only browsers get it.)
        set(&init, "cache", &JsValue::from_str("no-store"));
    }

    let classify = |cause: JsValue| match signal {
        Some(s) if s.aborted() => Failure::Aborted(abort_reason(s)),
        _ if timed_out.get() => Failure::Timeout,
        _ => Failure::Network(cause),
    };
    let pending = fetch.call2(&JsValue::UNDEFINED, &JsValue::from_str(&request.url), &init).map_err(&classify)?;
    let response: FetchResponse = JsFuture::from(Promise::resolve(&pending)).await.map_err(&classify)?.unchecked_into();
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let status = response.status();
    let trace = TraceHeaders { traceparent: header("traceparent"), x_trace_id: header("x-trace-id") };
    let retry_after = header("retry-after");
    let (content_range, request_id, etag) = (header("content-range"), header("x-amz-request-id"), header("etag"));
    let (mut body, mut bytes) = (String::new(), Vec::new());
    if request.method != "HEAD" {
        if kind == BodyKind::Bytes && (200..300).contains(&status) {
            let buffer = response.array_buffer().map_err(&classify)?;
            bytes = js_sys::Uint8Array::new(&JsFuture::from(buffer).await.map_err(&classify)?).to_vec();
        } else {
            let text = response.text().map_err(&classify)?;
            body = JsFuture::from(text).await.map_err(&classify)?.as_string().unwrap_or_default();
        }
    }
    Ok(Response { status, trace, retry_after, body, bytes, content_range, request_id, etag })
}

/// Header pairs as the plain object fetch takes (and `buildRequest` returns).
pub fn headers_object(headers: &[(String, String)]) -> Object {
    let object = Object::new();
    for (name, value) in headers {
        set(&object, name, &JsValue::from_str(value));
    }
    object
}

fn in_browser() -> bool {
    Reflect::has(&js_sys::global(), &JsValue::from_str("document")).unwrap_or(false)
}

/// The message of a network failure's cause (e.g. "fetch failed: connect ECONNREFUSED").
pub fn describe_cause(cause: &JsValue) -> String {
    let text = |v: &JsValue, key: &str| Reflect::get(v, &JsValue::from_str(key)).ok().and_then(|m| m.as_string());
    let message = text(cause, "message").unwrap_or_else(|| "request failed".to_owned());
    let inner = Reflect::get(cause, &JsValue::from_str("cause"))
        .ok()
        .and_then(|c| text(&c, "message").or_else(|| text(&c, "code")));
    match inner {
        Some(inner) if !message.contains(&inner) => format!("{message}: {inner}"),
        _ => message,
    }
}
