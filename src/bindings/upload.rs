//! `upload`: local backup files to S3, checked first (the preflight's header rules), then sent with
//! one PUT or as a multipart upload, parts in parallel, each retried, resumable, aborted
//! server-side on Ctrl-C.
//!
//! The part loop lives here rather than in JS so signing, retries, typed errors and abort handling
//! are the client's own. JS hands over one source per file, `{ name, size, read(offset, length),
//! slice?(offset, length) }` (a file Blob or FileHandle in Node, a File/Blob in browsers). An
//! unhashed part goes to fetch as a Blob slice, streamed from disk; a hashed one is read as a JS
//! Uint8Array and hashed through a 64 KiB window. Part bytes never enter wasm memory whole, and at
//! most `concurrency` parts are in flight, so memory does not grow with the file size.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::client::send_safe_with_body;
use super::js_error::{details, set, simple_error, validation_error};
use super::preflight::{now_seconds, origin_of, s3_failure, s3_request_error};
use super::timers::{now_ms, signal_from, AbortSignal};
use super::transport::{self, BodyKind, Failure, Response};
use super::{from_js, to_js};
use crate::http_request::HttpRequest;
use crate::issue::{IssueCode, Issues, Location};
use crate::multipart::{self, DonePart, PartPlan};
use crate::preflight::{self, FileProbe, Probe, Report, Verdict};
use crate::preflight_input::PreflightInput;
use crate::s3_request::multipart as requests;
use crate::s3_request::{get_object_range, parse_content_range, s3_error, S3Endpoint};
use crate::s3_xml::{
    parse_complete_multipart_upload, parse_error_body, parse_initiate_multipart_upload, parse_list_parts,
};
use crate::sigv4::{hex, Credentials, Payload};

const HEADER_BYTES: u64 = 65_536;
const DEFAULT_TIMEOUT_MS: f64 = 120_000.0;
const DEFAULT_RETRIES: u32 = 4;
const HASH_WINDOW: u32 = 65_536;
/// ListParts pages followed on resume (1000 parts each: the 10 000-part maximum).
const MAX_LIST_PAGES: u32 = 10;

struct Settings {
    fetch: Function,
    signal: Option<AbortSignal>,
    timeout_ms: f64,
    max_retries: u32,
    concurrency: u32,
    part_size: Option<u64>,
    hash_payload: bool,
    force: bool,
    keep_on_failure: bool,
    on_progress: Option<Function>,
    resume: Vec<ResumeState>,
    credentials: Credentials,
}

/// What an interrupted upload leaves to resume with (also attached to its error as `upload`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResumeState {
    /// The object key; a resume entry may name the file (`name`) instead.
    #[serde(default)]
    key: String,
    #[serde(default, skip_serializing)]
    name: Option<String>,
    upload_id: String,
    #[serde(default)]
    part_size: Option<u64>,
    #[serde(default)]
    parts: Vec<DonePart>,
}

struct Source {
    name: String,
    size: u64,
    handle: JsValue,
}

struct Target {
    source: Source,
    path: String,
    number: i32,
    endpoint: S3Endpoint,
}

/// Bytes on the server, for progress events.
struct Tracker {
    loaded: u64,
    skipped: u64,
    total: u64,
    started_ms: f64,
    requests: u32,
    on_progress: Option<Function>,
}

impl Tracker {
    fn report(&self, file: &str) {
        let Some(callback) = &self.on_progress else { return };
        let event = multipart::progress(self.loaded, self.total, self.skipped, now_ms() - self.started_ms);
        if let Ok(value) = to_js(&event) {
            set(&value, "file", &JsValue::from_str(file));
            // A throwing callback must not break the upload.
            let _ = callback.call1(&JsValue::UNDEFINED, &value);
        }
    }
}

type Shared = Rc<RefCell<Tracker>>;

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
        let sources = read_sources(&sources, &mut issues);
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

fn read_sources(sources: &Array, issues: &mut Issues) -> Vec<Source> {
    let at = Location::new("files", "/files");
    if sources.length() == 0 {
        issues.error(&at, IssueCode::Required, "must list at least one backup file");
    }
    let mut out: Vec<Source> = Vec::new();
    for (i, handle) in sources.iter().enumerate() {
        let file_at = at.index(i);
        let name = Reflect::get(&handle, &JsValue::from_str("name")).ok().and_then(|n| n.as_string());
        let size = Reflect::get(&handle, &JsValue::from_str("size")).ok().and_then(|s| s.as_f64());
        let readable = Reflect::get(&handle, &JsValue::from_str("read")).is_ok_and(|r| r.is_function());
        let Some(name) = name.filter(|n| is_plain_name(n)) else {
            issues.error(
                &file_at,
                IssueCode::Format,
                "needs a file name without '/' or '\\' (the object key's last part)",
            );
            continue;
        };
        let Some(size) = size.filter(|s| *s >= 0.0 && s.fract() == 0.0 && *s <= multipart::MAX_OBJECT_SIZE as f64)
        else {
            issues.error(&file_at, IssueCode::Format, "has no valid size (at most 5 TiB)");
            continue;
        };
        if !readable {
            issues.error(&file_at, IssueCode::Type, "must be a File, a Blob or a file path");
            continue;
        }
        if out.iter().any(|s| s.name == name) {
            issues.error(&file_at, IssueCode::Duplicate, format!("{name} is listed twice (object names must differ)"));
            continue;
        }
        out.push(Source { name, size: size as u64, handle });
    }
    out
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\'])
        && !name.chars().any(char::is_control)
}

fn settings(options: &JsValue, input: &PreflightInput, issues: &mut Issues) -> Settings {
    let get = |key: &str| {
        if options.is_object() {
            Reflect::get(options, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
        } else {
            JsValue::UNDEFINED
        }
    };
    let given = |v: &JsValue| !v.is_undefined() && !v.is_null();
    let at = |name: &str| Location::new(name, format!("/{name}"));
    let whole = |key: &str, min: f64, max: f64, issues: &mut Issues| -> Option<f64> {
        let value = get(key);
        if !given(&value) {
            return None;
        }
        match value.as_f64().filter(|n| n.fract() == 0.0 && (min..=max).contains(n)) {
            Some(n) => Some(n),
            None => {
                issues.error(&at(key), IssueCode::Format, format!("must be a whole number from {min} to {max}"));
                None
            }
        }
    };
    let part_size = whole("partSize", multipart::MIN_PART_SIZE as f64, multipart::MAX_PART_SIZE as f64, issues);
    let concurrency = whole("concurrency", 1.0, f64::from(multipart::MAX_CONCURRENCY), issues);
    let timeout_ms = whole("timeoutMs", 1.0, 3_600_000.0, issues).unwrap_or(DEFAULT_TIMEOUT_MS);
    let max_retries = whole("maxRetries", 0.0, 20.0, issues).map_or(DEFAULT_RETRIES, |n| n as u32);
    let payload = get("payload").as_string();
    let hash_payload = match payload.as_deref() {
        None | Some("unsigned") => false,
        Some("sha256") => true,
        Some(_) => {
            issues.error(&at("payload"), IssueCode::Format, "must be 'unsigned' or 'sha256'");
            false
        }
    };
    let keep_on_failure = match get("onFailure").as_string().as_deref() {
        None | Some("abort") => false,
        Some("keep") => true,
        Some(_) => {
            issues.error(&at("onFailure"), IssueCode::Format, "must be 'abort' or 'keep'");
            false
        }
    };
    let signal_value = get("signal");
    let signal = if given(&signal_value) { signal_from(&signal_value) } else { None };
    if given(&signal_value) && signal.is_none() {
        issues.error(&at("signal"), IssueCode::Type, "must be an AbortSignal");
    }
    let resume_value = get("resume");
    let resume = if !given(&resume_value) {
        Vec::new()
    } else {
        let list = if Array::is_array(&resume_value) { resume_value } else { Array::of1(&resume_value).into() };
        serde_wasm_bindgen::from_value::<Vec<ResumeState>>(list).unwrap_or_else(|_| {
            issues.error(
                &at("resume"),
                IssueCode::Type,
                "must be { key or name, uploadId, partSize?, parts? } (or a list), as an upload error's `upload` field gives",
            );
            Vec::new()
        })
    };
    let fetch = transport::resolve_fetch(&get("fetch"));
    if fetch.is_err() {
        issues.error(&at("fetch"), IssueCode::Type, "no fetch available: pass one as the `fetch` option");
    }
    Settings {
        fetch: fetch.unwrap_or_else(|_| Function::new_no_args("")),
        signal,
        timeout_ms,
        max_retries,
        concurrency: concurrency.map_or(multipart::DEFAULT_CONCURRENCY, |n| n as u32),
        part_size: part_size.map(|n| n as u64),
        hash_payload,
        force: get("force").as_bool().unwrap_or(false),
        keep_on_failure,
        on_progress: get("onProgress").dyn_into::<Function>().ok(),
        resume,
        credentials: input.credentials.clone(),
    }
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
        let head = read(&source, 0, source.size.min(HEADER_BYTES)).await?.to_vec();
        let header = Box::new(crate::mtf::inspect(&head));
        let path = format!("{bucket}{}", source.name);
        probes.push(FileProbe {
            path: path.clone(),
            number: None,
            probe: Probe::Read { size: Some(source.size), etag: None, header, tail: None },
        });
        let key = format!("{}{}", input.listing.key, source.name);
        let number = i32::try_from(i.saturating_add(1)).unwrap_or(i32::MAX);
        targets.push(Target { endpoint: input.listing.with_key(key), path, number, source });
    }
    let report = preflight::assess(&probes, input.database_name.as_deref());
    if report.verdict == Verdict::Error && !settings.force {
        let problems: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == preflight::Severity::Error)
            .map(|f| format!("{}: {}", to_js(&f.code).ok().and_then(|c| c.as_string()).unwrap_or_default(), f.message))
            .collect();
        return Err(details("PREFLIGHT_FAILED").field("report", &to_js(&report)?).error(
            "PreflightError",
            &format!(
                "the files were checked before uploading and nothing was sent (pass force: true to upload anyway): {}",
                problems.join("; ")
            ),
        ));
    }
    if let Some(order) = &report.files_in_order {
        let mut ordered = Vec::with_capacity(targets.len());
        for file in order {
            if let Some(at) = targets.iter().position(|t| t.path == file.path) {
                let mut target = targets.remove(at);
                target.number = file.number;
                ordered.push(target);
            }
        }
        ordered.append(&mut targets);
        targets = ordered;
    }
    Ok((report, targets))
}

fn changed(source: &Source, offset: u64, length: u64, got: u64) -> JsValue {
    details("SOURCE_CHANGED").error(
        "ValidationError",
        &format!("{} gave {got} bytes at offset {offset} instead of {length}: did the file change?", source.name),
    )
}

/// `length` bytes at `offset` from the JS source, checked: a short read means the file changed.
async fn read(source: &Source, offset: u64, length: u64) -> Result<Uint8Array, JsValue> {
    let read = Reflect::get(&source.handle, &JsValue::from_str("read"))?.dyn_into::<Function>()?;
    let pending = read.call2(&source.handle, &JsValue::from(offset as f64), &JsValue::from(length as f64))?;
    let bytes = JsFuture::from(Promise::resolve(&pending)).await?;
    let bytes = if bytes.is_instance_of::<Uint8Array>() { bytes.unchecked_into() } else { Uint8Array::new(&bytes) };
    if u64::from(bytes.length()) != length {
        return Err(changed(source, offset, length, u64::from(bytes.length())));
    }
    Ok(bytes)
}

/// A part's body and its payload hash. Unhashed parts go as the source's `slice` when it has one (a
/// Blob: fetch streams it from disk, nothing is copied); hashed ones are read as bytes first.
async fn part_body(
    source: &Source,
    offset: u64,
    length: u64,
    settings: &Settings,
) -> Result<(JsValue, Payload), JsValue> {
    let slice = Reflect::get(&source.handle, &JsValue::from_str("slice"))?.dyn_into::<Function>().ok();
    if let (Some(slice), false) = (slice, settings.hash_payload) {
        let blob = slice.call2(&source.handle, &JsValue::from(offset as f64), &JsValue::from(length as f64))?;
        let size = Reflect::get(&blob, &JsValue::from_str("size"))?.as_f64();
        if size != Some(length as f64) {
            return Err(changed(source, offset, length, size.unwrap_or(0.0) as u64));
        }
        return Ok((blob, Payload::Unsigned));
    }
    let bytes = read(source, offset, length).await?;
    let payload = if settings.hash_payload { sha256_payload(&bytes) } else { Payload::Unsigned };
    Ok((bytes.into(), payload))
}

/// SHA-256 of a JS byte array, copied into wasm memory through a 64 KiB window.
fn sha256_payload(bytes: &Uint8Array) -> Payload {
    let mut hasher = Sha256::new();
    let mut window = vec![0u8; HASH_WINDOW as usize];
    let mut at = 0u32;
    while at < bytes.length() {
        let end = at.saturating_add(HASH_WINDOW).min(bytes.length());
        let Some(chunk) = window.get_mut(..end.saturating_sub(at) as usize) else { break };
        bytes.subarray(at, end).copy_to(chunk);
        hasher.update(&*chunk);
        at = end;
    }
    Payload::Sha256Hex(hex(&hasher.finalize()))
}

async fn upload_file(target: &Target, settings: &Rc<Settings>, tracker: &Shared) -> Result<FileResult, JsValue> {
    let size = target.source.size;
    let resume = settings
        .resume
        .iter()
        .find(|r| r.key == target.endpoint.key || r.name.as_deref() == Some(target.source.name.as_str()))
        .cloned();
    let requested = resume.as_ref().and_then(|r| r.part_size).or(settings.part_size);
    let plan = multipart::plan(size, requested)
        .map_err(|e| simple_error("ValidationError", "INVALID_PART_SIZE", e.message()))?;
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
        let (body, payload) = part_body(&target.source, 0, size, settings).await?;
        let request = requests::put_object(&target.endpoint, payload, &settings.credentials, now_seconds())
            .map_err(|e| s3_request_error(&e))?;
        let response = send(&request, Some(&body), settings, tracker, settings.signal.as_ref()).await?;
        expect_ok(&response, &target.path)?;
        {
            let mut t = tracker.borrow_mut();
            t.loaded = t.loaded.saturating_add(size);
        }
        tracker.borrow().report(&target.source.name);
        return Ok(result(response.etag.as_deref().map(crate::s3_xml::unquote_etag), None, 1, 0));
    }

    let (upload_id, resumed) = match &resume {
        Some(state) => {
            let listed = list_parts(target, &state.upload_id, settings, tracker).await?;
            (state.upload_id.clone(), multipart::reconcile(&plan, &listed, &state.parts))
        }
        None => {
            let id = create(target, settings, tracker).await?;
            (id, multipart::reconcile(&plan, &[], &[]))
        }
    };
    {
        let mut t = tracker.borrow_mut();
        t.loaded = t.loaded.saturating_add(resumed.kept_bytes);
        t.skipped = t.skipped.saturating_add(resumed.kept_bytes);
    }
    tracker.borrow().report(&target.source.name);
    let kept = u32::try_from(resumed.kept.len()).unwrap_or(0);
    let done = Rc::new(RefCell::new(resumed.kept.clone()));
    let sent = send_parts(target, &upload_id, &plan, resumed.to_send, &done, settings, tracker).await;
    if let Err(error) = sent {
        let done = done.borrow().clone();
        return Err(after_failure(error, target, &upload_id, &plan, &done, settings, tracker).await);
    }
    let mut parts = done.borrow().clone();
    parts.sort_by_key(|(n, _)| *n);
    match complete(target, &upload_id, &parts, settings, tracker).await {
        Ok(etag) => Ok(result(etag, Some(upload_id), plan.count, kept)),
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
        let (source, endpoint, path) = (
            Source { name: target.source.name.clone(), size: target.source.size, handle: target.source.handle.clone() },
            target.endpoint.clone(),
            target.path.clone(),
        );
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
    let (offset, length) = plan.part(number).unwrap_or((0, 0));
    let (body, payload) = part_body(source, offset, length, settings).await?;
    let request = requests::upload_part(endpoint, upload_id, number, payload, &settings.credentials, now_seconds())
        .map_err(|e| s3_request_error(&e))?;
    let response = send(&request, Some(&body), settings, tracker, settings.signal.as_ref()).await?;
    expect_ok(&response, path)?;
    let etag = response.etag.as_deref().map(crate::s3_xml::unquote_etag).filter(|e| !e.is_empty()).ok_or_else(|| {
        details("ETAG_HIDDEN").error(
            "ApiError",
            "S3 accepted the part but its ETag header is not visible: in a browser the bucket's CORS rule must list ETag in ExposeHeaders",
        )
    })?;
    {
        let mut t = tracker.borrow_mut();
        t.loaded = t.loaded.saturating_add(length);
    }
    tracker.borrow().report(&source.name);
    Ok(etag)
}

async fn create(target: &Target, settings: &Settings, tracker: &Shared) -> Result<String, JsValue> {
    let request = requests::create_multipart_upload(&target.endpoint, &settings.credentials, now_seconds())
        .map_err(|e| s3_request_error(&e))?;
    let response = send(&request, None, settings, tracker, settings.signal.as_ref()).await?;
    expect_ok(&response, &target.path)?;
    parse_initiate_multipart_upload(&response.body).map_err(|e| malformed("CreateMultipartUpload", &e.to_string()))
}

async fn list_parts(
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

async fn complete(
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
    multipart::is_completed_object(target.source.size, count, total, etag)
        .then(|| etag.map(crate::s3_xml::unquote_etag))
}

/// After a failed or aborted multipart upload: abort it server-side (always on abort, and on
/// failure unless `onFailure: 'keep'`); when it stays, the error carries `upload` to resume with.
async fn after_failure(
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
        // Without the caller's signal: it may be the reason we are here.
        if let Ok(request) =
            requests::abort_multipart_upload(&target.endpoint, upload_id, &settings.credentials, now_seconds())
        {
            removed = send(&request, None, settings, tracker, None)
                .await
                .is_ok_and(|r| (200..300).contains(&r.status) || r.status == 404);
        }
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

fn expect_ok(response: &Response, what: &str) -> Result<(), JsValue> {
    if (200..300).contains(&response.status) {
        return Ok(());
    }
    let error = s3_error(response.status, &response.body, response.request_id.as_deref());
    Err(s3_failure(&error, what))
}

fn malformed(call: &str, reason: &str) -> JsValue {
    details("S3_MALFORMED_RESPONSE").error("ApiError", &format!("the {call} answer could not be read: {reason}"))
}

async fn send(
    request: &HttpRequest,
    body: Option<&JsValue>,
    settings: &Settings,
    tracker: &Shared,
    signal: Option<&AbortSignal>,
) -> Result<Response, JsValue> {
    let result = send_safe_with_body(
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
    result.map_err(|failure| match failure {
        Failure::Aborted(reason) => reason,
        Failure::Timeout => details("TIMEOUT")
            .error("TimeoutError", &format!("S3 did not answer within {} ms", settings.timeout_ms)),
        Failure::Network(cause) => {
            let message = format!(
                "could not reach {}: {} — in a browser this is usually CORS: the bucket needs a CORS rule allowing PUT, POST and DELETE with the Authorization and x-amz-* headers from this origin, exposing ETag",
                origin_of(&request.url),
                transport::describe_cause(&cause)
            );
            details("NETWORK_ERROR").field("cause", &cause).error("NetworkError", &message)
        }
    })
}
