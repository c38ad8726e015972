//! `upload`: local backup files to S3, checked first (the preflight's header rules), then sent with
//! one PUT or as a multipart upload, parts in parallel, each retried, resumable, aborted
//! server-side on Ctrl-C.
//!
//! The part loop lives here rather than in JS so signing, retries, typed errors and abort handling
//! are the client's own. JS hands over one source per file, `{ name, size, read(offset, length),
//! readPart?(offset, length, sha256), slice?(offset, length) }` (a FileHandle in Node, a File/Blob in
//! browsers). A Node path lends each part a reused buffer, hashed there and sent without a copy, and
//! gets it back once the part's answer arrived; a Blob's unhashed part goes to fetch as a slice,
//! streamed from disk, a hashed one is read as a JS Uint8Array. Part bytes never enter wasm memory,
//! and at most `concurrency` parts are in flight, so memory does not grow with the file size.

mod calls;
mod local_check;
mod options;
mod progress;
mod source;
mod target;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Promise};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::convert::{from_js, to_js};
use super::js_error::{details, simple_error, validation_error};
use super::s3_errors::{now_seconds, s3_request_error};
use super::timers::now_ms;
use crate::backup::preflight::{self, FileProbe, Report};
use crate::backup::preflight_input::PreflightInput;
use crate::http::request::HttpRequest;
use crate::input::issue::{Issues, Location};
use crate::s3::address::object_path;
use crate::s3::multipart as requests;
use crate::s3::xml::unquote_etag;
use crate::s3::{s3_error, S3Endpoint};
use crate::upload::order::in_family_order;
use crate::upload::part_digest::{check_multipart_etag, EtagCheck};
use crate::upload::plan::{self, PartPlan};
use crate::util::sort::sort_small;
use calls::{after_failure, complete, create, expect_ok, list_parts, send};
use options::{settings, Settings};
use progress::{advance, Shared, Tracker};
use source::{is_runtime_fetch, part_body, read_sources, PartBody, Source};
use target::Target;

/// Sends of one body in all when the server keeps refusing it (`send_verified`).
const SEND_ATTEMPTS: u32 = 3;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FileResult {
    path: String,
    key: String,
    number: i32,
    size: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    etag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upload_id: Option<String>,
    part_size: u64,
    parts: u32,
    resumed_parts: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Outcome {
    bucket: String,
    files: Vec<FileResult>,
    report: Report,
    total_bytes: u64,
    sent_bytes: u64,
    elapsed_ms: f64,
    requests: u32,
}

/// `upload({ s3: { bucket, accessKey, secretKey, endpoint?, region? }, databaseName? }, sources,
/// { fetch?, signal?, onProgress?, partSize?, concurrency?, timeoutMs?, maxRetries?, payload?,
/// force?, onFailure?, resume? })` → `{ bucket, files, report, totalBytes, sentBytes, elapsedMs, requests }`.
#[wasm_bindgen]
pub fn upload(input: JsValue, sources: Array, options: JsValue) -> Promise {
    future_to_promise(async move {
        let mut issues = Issues::default();
        let value = from_js(&input, Location::new("input", ""), &mut issues).unwrap_or(Value::Null);
        let parsed = PreflightInput::from_input(&value, &mut issues);
        let sources = read_sources(&sources, true, &mut issues);
        let settings = parsed.as_ref().map(|input| settings(&options, input, &mut issues));
        let (Some(input), Some(settings), false) = (parsed, settings, issues.has_errors()) else {
            return Err(validation_error(&issues));
        };
        let settings = Rc::new(settings);
        let (report, targets) = check_files(&input, sources, &settings).await?;
        let total = targets.iter().map(|t| t.source.size).fold(0u64, u64::saturating_add);
        let tracker = Rc::new(RefCell::new(Tracker {
            loaded: 0,
            skipped: 0,
            total,
            started_ms: now_ms(),
            requests: 0,
            on_progress: settings.on_progress.clone(),
        }));
        let mut files = Vec::with_capacity(targets.len());
        for target in &targets {
            files.push(upload_file(target, &settings, &tracker).await?);
        }
        let t = tracker.borrow();
        if let Some(last) = targets.last() {
            t.report(&last.source.name);
        }
        to_js(&Outcome {
            bucket: input.bucket.to_text(),
            files,
            report,
            total_bytes: total,
            sent_bytes: t.loaded.saturating_sub(t.skipped),
            elapsed_ms: (now_ms() - t.started_ms).round(),
            requests: t.requests,
        })
    })
}

/// Reads each file's header and judges the set as the preflight would; refuses an error verdict
/// unless forced. The targets come back in family order (stripe 1..N), numbered.
async fn check_files(
    input: &PreflightInput,
    sources: Vec<Source>,
    settings: &Settings,
) -> Result<(Report, Vec<Target>), JsValue> {
    let bucket = input.bucket.to_text();
    let mut probes = Vec::with_capacity(sources.len());
    let mut targets = Vec::with_capacity(sources.len());
    for (i, source) in sources.into_iter().enumerate() {
        let probe = local_check::read_probe(&source).await?;
        let path = object_path(&bucket, &source.name);
        probes.push(FileProbe { path: path.clone(), number: None, probe });
        let number = i32::try_from(i.saturating_add(1)).unwrap_or(i32::MAX);
        targets.push(Target { endpoint: input.listing.child(&source.name), path, number, source });
    }
    let report = preflight::assess(&probes, input.database_name.as_deref());
    if let Some(refusal) = report.refusal(settings.force) {
        return Err(details("PREFLIGHT_FAILED").field("report", &to_js(&report)?).error(
            "PreflightError",
            &format!(
                "the files were checked before uploading and nothing was sent (pass force: true to upload anyway): {}",
                refusal.problems()
            ),
        ));
    }
    if let Some(order) = &report.files_in_order {
        let order = order.iter().map(|file| (file.path.as_str(), file.number));
        targets = in_family_order(targets, order, |t| t.path.as_str(), |t, number| t.number = number);
    }
    Ok((report, targets))
}

async fn upload_file(target: &Target, settings: &Rc<Settings>, tracker: &Shared) -> Result<FileResult, JsValue> {
    let size = target.source.size;
    let resume = settings
        .resume
        .iter()
        .find(|r| r.key == target.endpoint.key || r.name.as_deref() == Some(target.source.name.as_str()))
        .cloned();
    let requested = resume.as_ref().and_then(|r| r.part_size).or(settings.part_size);
    let plan =
        plan::plan(size, requested).map_err(|e| simple_error("ValidationError", "INVALID_PART_SIZE", e.message()))?;
    let result = |etag, upload_id, parts, resumed_parts| FileResult {
        path: target.path.clone(),
        key: target.endpoint.key.clone(),
        number: target.number,
        size,
        etag,
        upload_id,
        part_size: plan.part_size,
        parts,
        resumed_parts,
    };
    if plan.is_single() && resume.is_none() {
        let put = |body: &PartBody| {
            requests::put_object(&target.endpoint, body.payload.clone(), &settings.credentials, now_seconds())
                .map_err(|e| s3_request_error(&e))
        };
        let etag = send_verified(&target.source, (0, size), &target.path, &put, settings, tracker).await?;
        advance(tracker, size, false, &target.source.name);
        return Ok(result(etag, None, 1, 0));
    }

    let (upload_id, resumed) = match &resume {
        Some(state) => {
            let listed = list_parts(target, &state.upload_id, settings, tracker).await?;
            (state.upload_id.clone(), plan::reconcile(&plan, &listed, &state.parts))
        }
        None => {
            let id = create(target, settings, tracker).await?;
            (id, plan::reconcile(&plan, &[], &[]))
        }
    };
    advance(tracker, resumed.kept_bytes, true, &target.source.name);
    let kept = u32::try_from(resumed.kept.len()).unwrap_or(0);
    let done = Rc::new(RefCell::new(resumed.kept.clone()));
    let sent = send_parts(target, &upload_id, &plan, resumed.to_send, &done, settings, tracker).await;
    let mut parts = done.borrow().clone();
    let completed = match sent {
        Ok(()) => {
            sort_small(&mut parts, |a, b| a.0 < b.0);
            complete(target, &upload_id, &parts, settings, tracker).await
        }
        Err(error) => Err(error),
    };
    match completed {
        Ok(etag) => {
            check_completed(target, etag.as_deref(), &parts)?;
            Ok(result(etag, Some(upload_id), plan.count, kept))
        }
        // One place awaits the clean-up, so its state machine is in the wasm once.
        Err(error) => Err(after_failure(error, target, &upload_id, &plan, &parts, settings, tracker).await),
    }
}

/// Sends `numbers` with `concurrency` workers; the first failure stops the others taking new parts.
async fn send_parts(
    target: &Target,
    upload_id: &str,
    plan: &PartPlan,
    numbers: Vec<u32>,
    done: &Rc<RefCell<Vec<(u32, String)>>>,
    settings: &Rc<Settings>,
    tracker: &Shared,
) -> Result<(), JsValue> {
    let queue: Rc<RefCell<VecDeque<u32>>> = Rc::new(RefCell::new(numbers.into_iter().collect()));
    let failure: Rc<RefCell<Option<JsValue>>> = Rc::new(RefCell::new(None));
    let stop = Rc::new(Cell::new(false));
    let workers = Array::new();
    let count = settings.concurrency.min(u32::try_from(queue.borrow().len()).unwrap_or(u32::MAX).max(1));
    for _ in 0..count {
        let (queue, failure, stop, done) = (queue.clone(), failure.clone(), stop.clone(), done.clone());
        let (settings, tracker, plan) = (settings.clone(), tracker.clone(), *plan);
        let (source, endpoint, path) = (target.source.clone(), target.endpoint.clone(), target.path.clone());
        let upload_id = upload_id.to_owned();
        workers.push(&future_to_promise(async move {
            loop {
                if stop.get() {
                    return Ok(JsValue::UNDEFINED);
                }
                let next = queue.borrow_mut().pop_front();
                let Some(number) = next else { return Ok(JsValue::UNDEFINED) };
                match send_part(&source, &endpoint, &path, &upload_id, &plan, number, &settings, &tracker).await {
                    Ok(etag) => done.borrow_mut().push((number, etag)),
                    Err(error) => {
                        stop.set(true);
                        failure.borrow_mut().get_or_insert(error);
                        return Ok(JsValue::UNDEFINED);
                    }
                }
            }
        }));
    }
    JsFuture::from(Promise::all(&workers)).await?;
    let failed = failure.borrow_mut().take();
    failed.map_or(Ok(()), Err)
}

#[allow(clippy::too_many_arguments)]
async fn send_part(
    source: &Source,
    endpoint: &S3Endpoint,
    path: &str,
    upload_id: &str,
    plan: &PartPlan,
    number: u32,
    settings: &Settings,
    tracker: &Shared,
) -> Result<String, JsValue> {
    let range = plan.part(number).unwrap_or((0, 0));
    let request = |body: &PartBody| {
        requests::upload_part(endpoint, upload_id, number, body.payload.clone(), &settings.credentials, now_seconds())
            .map_err(|e| s3_request_error(&e))
    };
    let what = format!("part {number} of {path}");
    let etag = send_verified(source, range, &what, &request, settings, tracker).await?;
    let etag = etag.filter(|e| !e.is_empty()).ok_or_else(|| {
        details("ETAG_HIDDEN").error(
            "ApiError",
            "S3 accepted the part but its ETag header is not visible: in a browser the bucket's CORS rule must list ETag in ExposeHeaders",
        )
    })?;
    advance(tracker, range.1, false, &source.name);
    Ok(etag)
}

/// Sends one body — a part, or the whole file — until the server stored exactly our bytes. A signed
/// body (the default) carries its SHA-256, which the server checks before storing it. A refusal for a
/// body that does not match its hash (S3: `XAmzContentSHA256Mismatch`; s3s answers a bare 500) means
/// the bytes changed on the way: they are read afresh and sent again, at most `SEND_ATTEMPTS` times in
/// all (a part is idempotent, so re-sending after any server error is safe). Returns the ETag, unquoted.
async fn send_verified(
    source: &Source,
    (offset, length): (u64, u64),
    what: &str,
    request_for: &dyn Fn(&PartBody) -> Result<HttpRequest, JsValue>,
    settings: &Settings,
    tracker: &Shared,
) -> Result<Option<String>, JsValue> {
    let mut refused = String::new();
    let lend = is_runtime_fetch(&settings.fetch);
    for _ in 0..SEND_ATTEMPTS {
        let body = part_body(source, offset, length, settings.hash_payload, lend).await?;
        let request = request_for(&body)?;
        let response = send(&request, Some(&body.body), settings, tracker, settings.signal.as_ref()).await?;
        let error = (!(200..300).contains(&response.status))
            .then(|| s3_error(response.status, &response.body, response.request_id.as_deref()));
        match error {
            Some(error) if is_changed_on_the_way(&error) || error.status >= 500 => {
                refused = format!("{} ({})", error.message, error.code);
            }
            _ => {
                expect_ok(&response, what)?;
                return Ok(response.etag.as_deref().map(unquote_etag));
            }
        }
    }
    Err(details("BAD_DIGEST").error(
        "ApiError",
        &format!(
            "{what} was refused {SEND_ATTEMPTS} times, so it was not stored: {refused}. A refusal naming the SHA-256 or BadDigest means something between here and the bucket alters data"
        ),
    ))
}

/// S3's refusals of a body that does not match its checksum: the signed SHA-256 (AWS:
/// `XAmzContentSHA256Mismatch`) or an MD5 (`BadDigest`); other servers say so in a 400's message.
fn is_changed_on_the_way(error: &crate::s3::S3Error) -> bool {
    matches!(error.code.as_str(), "XAmzContentSHA256Mismatch" | "BadDigest")
        || (error.status == 400 && error.message.to_ascii_lowercase().contains("sha256"))
}

/// The completed object's ETag is the one its parts' ETags make (`crate::upload::part_digest`): otherwise the
/// server assembled something else than the parts it accepted.
fn check_completed(target: &Target, etag: Option<&str>, parts: &[(u32, String)]) -> Result<(), JsValue> {
    let part_etags: Vec<&str> = parts.iter().map(|(_, etag)| etag.as_str()).collect();
    if check_multipart_etag(etag, &part_etags) != EtagCheck::Differs {
        return Ok(());
    }
    Err(details("BAD_DIGEST").error(
        "ApiError",
        &format!(
            "{} was completed, but its ETag {} is not the one its {} verified parts make: do not import it; upload it again",
            target.path,
            etag.unwrap_or_default(),
            parts.len()
        ),
    ))
}
