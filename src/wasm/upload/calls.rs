//! The S3 multipart calls of one file (create, list, complete, abort) and the one `send` every
//! upload request goes through, each failure turned into a typed JS error.

use wasm_bindgen::prelude::*;

use super::options::{ResumeState, Settings};
use super::progress::Shared;
use super::target::Target;
use crate::http::request::HttpRequest;
use crate::s3::multipart as requests;
use crate::s3::multipart::DonePart;
use crate::s3::xml::{
    parse_complete_multipart_upload, parse_error_body, parse_initiate_multipart_upload, parse_list_parts,
};
use crate::s3::{get_object_range, parse_content_range, s3_error};
use crate::upload::plan::{self, PartPlan};
use crate::wasm::convert::to_js;
use crate::wasm::js_error::{details, set};
use crate::wasm::s3_errors::{now_seconds, s3_failure, s3_request_error, s3_send_error};
use crate::wasm::safe_send::send_safe_reading;
use crate::wasm::timers::{sleep, AbortSignal};
use crate::wasm::transport::{BodyKind, Response};

/// ListParts pages followed on resume (1000 parts each: the 10 000-part maximum).
const MAX_LIST_PAGES: u32 = 10;
/// Aborts sent while the upload is still found afterwards, and the pause before each next one.
const ABORT_ROUNDS: u32 = 3;
const ABORT_RECHECK_MS: f64 = 500.0;

pub(super) async fn create(target: &Target, settings: &Settings, tracker: &Shared) -> Result<String, JsValue> {
    let request = requests::create_multipart_upload(&target.endpoint, &settings.credentials, now_seconds())
        .map_err(|e| s3_request_error(&e))?;
    let response = send(&request, None, settings, tracker, settings.signal.as_ref()).await?;
    expect_ok(&response, &target.path)?;
    parse_initiate_multipart_upload(&response.body).map_err(|e| malformed("CreateMultipartUpload", &e.to_string()))
}

pub(super) async fn list_parts(
    target: &Target,
    upload_id: &str,
    settings: &Settings,
    tracker: &Shared,
) -> Result<Vec<DonePart>, JsValue> {
    let mut parts = Vec::new();
    let mut marker = None;
    for _ in 0..MAX_LIST_PAGES {
        let request = requests::list_parts(&target.endpoint, upload_id, marker, &settings.credentials, now_seconds())
            .map_err(|e| s3_request_error(&e))?;
        let response = send(&request, None, settings, tracker, settings.signal.as_ref()).await?;
        expect_ok(&response, &format!("{} (upload {upload_id})", target.path))?;
        let page = parse_list_parts(&response.body).map_err(|e| malformed("ListParts", &e.to_string()))?;
        parts.extend(page.parts);
        marker = page.next_part_number_marker.filter(|_| page.is_truncated);
        if marker.is_none() {
            break;
        }
    }
    Ok(parts)
}

pub(super) async fn complete(
    target: &Target,
    upload_id: &str,
    parts: &[(u32, String)],
    settings: &Settings,
    tracker: &Shared,
) -> Result<Option<String>, JsValue> {
    let request =
        requests::complete_multipart_upload(&target.endpoint, upload_id, parts, &settings.credentials, now_seconds())
            .map_err(|e| s3_request_error(&e))?;
    let response = send(&request, None, settings, tracker, settings.signal.as_ref()).await?;
    // A refusal may be a completion sent again after its first answer was lost: S3 says NoSuchUpload
    // (404), some servers AccessDenied (403). Worth one read before reporting it.
    if !(200..300).contains(&response.status) {
        if let Some(etag) = completed_before(target, parts, settings, tracker).await {
            return Ok(etag);
        }
    }
    expect_ok(&response, &target.path)?;
    // S3 may answer 200 and still fail the completion: the body is then an <Error>.
    if parse_error_body(&response.body).is_ok() {
        let error = s3_error(500, &response.body, response.request_id.as_deref());
        return Err(s3_failure(&error, &target.path));
    }
    parse_complete_multipart_upload(&response.body).map_err(|e| malformed("CompleteMultipartUpload", &e.to_string()))
}

/// A completion sent again (its first answer was lost) finds the upload gone when the first one took
/// effect: a one-byte read tells whether the object is this completed upload (size, multipart ETag).
/// `Some(etag)` then; `None` when it is not, or cannot be told.
async fn completed_before(
    target: &Target,
    parts: &[(u32, String)],
    settings: &Settings,
    tracker: &Shared,
) -> Option<Option<String>> {
    let request = get_object_range(&target.endpoint, 0, 0, &settings.credentials, now_seconds()).ok()?;
    let response = send(&request, None, settings, tracker, settings.signal.as_ref()).await.ok()?;
    let total = response.content_range.as_deref().and_then(parse_content_range).and_then(|r| r.total);
    let count = u32::try_from(parts.len()).ok()?;
    let etag = response.etag.as_deref();
    plan::is_completed_object(target.source.size, count, total, etag).then(|| etag.map(crate::s3::xml::unquote_etag))
}

/// After a failed or aborted multipart upload: abort it server-side (always on abort, and on
/// failure unless `onFailure: 'keep'`); when it stays, the error carries `upload` to resume with.
pub(super) async fn after_failure(
    error: JsValue,
    target: &Target,
    upload_id: &str,
    plan: &PartPlan,
    done: &[(u32, String)],
    settings: &Settings,
    tracker: &Shared,
) -> JsValue {
    let aborted = settings.signal.as_ref().is_some_and(AbortSignal::aborted);
    let mut removed = false;
    if aborted || !settings.keep_on_failure {
        removed = remove_upload(target, upload_id, settings, tracker).await;
    }
    let state = ResumeState {
        key: target.endpoint.key.clone(),
        name: None,
        upload_id: upload_id.to_owned(),
        part_size: Some(plan.part_size),
        parts: done
            .iter()
            .map(|(n, etag)| DonePart {
                part_number: *n,
                size: plan.part(*n).map_or(0, |p| p.1),
                etag: Some(etag.clone()),
            })
            .collect(),
    };
    if error.is_object() {
        if let Ok(value) = to_js(&state) {
            set(&value, "aborted", &JsValue::from_bool(removed));
            set(&error, "upload", &value);
        }
    }
    error
}

/// Aborts the upload in S3 and checks that it is gone: a part still in flight when the abort arrives
/// may land after it (S3 documents this and advises aborting again until ListParts no longer finds the
/// upload). Sent without the caller's signal, which may be why we are here. `true` once it is gone.
async fn remove_upload(target: &Target, upload_id: &str, settings: &Settings, tracker: &Shared) -> bool {
    for round in 0..ABORT_ROUNDS {
        if round > 0 && sleep(ABORT_RECHECK_MS, None).await.is_err() {
            return false;
        }
        let Ok(abort) =
            requests::abort_multipart_upload(&target.endpoint, upload_id, &settings.credentials, now_seconds())
        else {
            return false;
        };
        match send(&abort, None, settings, tracker, None).await {
            Ok(r) if (200..300).contains(&r.status) || r.status == 404 => {}
            _ => return false,
        }
        let Ok(list) = requests::list_parts(&target.endpoint, upload_id, None, &settings.credentials, now_seconds())
        else {
            return true;
        };
        // A refusal (NoSuchUpload) or an empty list means gone; listed parts mean it is still there.
        match send(&list, None, settings, tracker, None).await {
            Ok(r) if (200..300).contains(&r.status) && parse_list_parts(&r.body).is_ok_and(|l| !l.parts.is_empty()) => {
            }
            _ => return true,
        }
    }
    false
}

pub(super) fn expect_ok(response: &Response, what: &str) -> Result<(), JsValue> {
    if (200..300).contains(&response.status) {
        return Ok(());
    }
    let error = s3_error(response.status, &response.body, response.request_id.as_deref());
    Err(s3_failure(&error, what))
}

fn malformed(call: &str, reason: &str) -> JsValue {
    details("S3_MALFORMED_RESPONSE").error("ApiError", &format!("the {call} answer could not be read: {reason}"))
}

pub(super) async fn send(
    request: &HttpRequest,
    body: Option<&JsValue>,
    settings: &Settings,
    tracker: &Shared,
    signal: Option<&AbortSignal>,
) -> Result<Response, JsValue> {
    let result = send_safe_reading(
        &settings.fetch,
        request,
        body,
        settings.timeout_ms,
        signal,
        settings.max_retries,
        BodyKind::Text,
    )
    .await;
    {
        let mut t = tracker.borrow_mut();
        t.requests = t.requests.saturating_add(1);
    }
    result.map_err(|failure| {
        let cors_rule =
            "PUT, POST and DELETE with the Authorization and x-amz-* headers from this origin, exposing ETag";
        s3_send_error(failure, &request.url, settings.timeout_ms, cors_rule)
    })
}
