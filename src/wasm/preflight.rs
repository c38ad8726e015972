//! `preflight` and `inspect`: read the first 64 KiB of each backup object with one signed ranged GET
//! (the size and ETag come with it), unless `tail: false` also the last 64 KiB (end of set, and the
//! filemark table that counts the backup sets in the file) plus 64 KiB at each later set's start, a
//! bounded number at a time, and judge the set in the core. (A HEAD would tell nothing the ranged GET
//! does not.)

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::convert::{from_js, option, option_value, to_js};
use super::js_error::{details, message_of, validation_error};
use super::s3_errors::{now_seconds, s3_failure, s3_request_error, s3_send_error};
use super::safe_send::send_safe_reading;
use super::timers::{signal_from, AbortSignal};
use super::transport::{self, BodyKind};
use crate::api::responses::Instance;
use crate::backup::instance_check::CheckOutcome;
use crate::backup::mtf::{self, HEADER_BYTES};
use crate::backup::preflight::{self, Discovery, FileProbe, Probe, Report, SetProbe, TailProbe};
use crate::backup::preflight_input::{path_for_key, PreflightInput, PreflightTarget};
use crate::backup::read_plan;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::options::{PreflightSettings, SAFE_SEND_RETRIES};
use crate::s3::sigv4::Credentials;
use crate::s3::xml::{parse_list_objects_v2, unquote_etag};
use crate::s3::{self, get_object_range, get_object_suffix, list_objects_v2, parse_content_range, S3ErrorKind};

/// Discovery reads at most this many `.bak` objects (a bucket full of backups is not a stripe set).
const MAX_DISCOVERED: usize = 512;

/// The header facts of a backup given as bytes (a local file's first 64 KiB, or all of it).
#[wasm_bindgen]
pub fn inspect(bytes: &[u8]) -> Result<JsValue, JsValue> {
    to_js(&mtf::inspect(bytes))
}

#[derive(Clone)]
struct Settings {
    fetch: Function,
    signal: Option<AbortSignal>,
    timeout_ms: f64,
    concurrency: usize,
    credentials: Credentials,
    /// Also read the last bytes of each backup, and the headers of later backup sets.
    tail: bool,
}

/// The preflight's result; the client's preflight adds the instance facts and checks.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Outcome {
    pub report: Option<Report>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery: Option<Discovery>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instance: Option<Instance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checks: Option<Vec<CheckOutcome>>,
    pub requests: u32,
    pub bytes_read: u64,
}

/// `preflight({ s3: { bucket, accessKey, secretKey, files?, endpoint?, region? }, databaseName? },
/// { fetch?, signal?, concurrency?, timeoutMs?, tail? })` → `{ report, discovery?, requests, bytesRead }`.
#[wasm_bindgen]
pub fn preflight(input: JsValue, options: JsValue) -> Promise {
    future_to_promise(async move {
        let mut issues = Issues::default();
        let value = from_js(&input, Location::new("input", ""), &mut issues).unwrap_or(Value::Null);
        to_js(&run(&value, &options, None).await?)
    })
}

/// The backup preflight; `default_fetch` (the client's) serves when `options` names none.
pub(super) async fn run(
    value: &Value,
    options: &JsValue,
    default_fetch: Option<&Function>,
) -> Result<Outcome, JsValue> {
    let mut issues = Issues::default();
    let parsed = PreflightInput::from_input(value, &mut issues);
    let Some(input) = parsed.filter(|_| !issues.has_errors()) else { return Err(validation_error(&issues)) };
    let settings = settings(options, &input, default_fetch)?;
    let counters = Rc::new(RefCell::new((0u32, 0u64)));
    let (report, discovery) = match &input.files {
        Some(targets) => {
            let probes = probe_all(targets.clone(), &settings, &counters).await?;
            (Some(preflight::assess(&probes, input.database_name.as_deref())), None)
        }
        None => {
            let targets = discover_targets(&input, &settings, &counters).await?;
            let probes = probe_all(targets, &settings, &counters).await?;
            let discovery = preflight::discover(&probes);
            let report = discovery.proposal.as_ref().map(|proposal| {
                let chosen: Vec<FileProbe> = proposal
                    .iter()
                    .filter_map(|f| probes.iter().find(|p| p.path == f.path))
                    .map(|p| FileProbe { number: None, ..p.clone() })
                    .collect();
                preflight::assess(&chosen, input.database_name.as_deref())
            });
            (report, Some(discovery))
        }
    };
    let (requests, bytes_read) = *counters.borrow();
    Ok(Outcome { report, discovery, instance: None, checks: None, requests, bytes_read })
}

fn settings(options: &JsValue, input: &PreflightInput, default_fetch: Option<&Function>) -> Result<Settings, JsValue> {
    let get = |key: &str| option(options, key);
    let mut issues = Issues::default();
    let PreflightSettings { timeout_ms, concurrency } =
        PreflightSettings::read(|key| option_value(options, key), &mut issues);
    let signal_value = get("signal");
    let given = !signal_value.is_undefined() && !signal_value.is_null();
    let signal = if given { signal_from(&signal_value) } else { None };
    if given && signal.is_none() {
        issues.error(&Location::new("signal", "/signal"), IssueCode::Type, "must be an AbortSignal");
    }
    if issues.has_errors() {
        return Err(validation_error(&issues));
    }
    let fetch = match (get("fetch"), default_fetch) {
        (given, Some(fetch)) if given.is_undefined() || given.is_null() => fetch.clone(),
        (given, _) => transport::resolve_fetch(&given)?,
    };
    Ok(Settings {
        fetch,
        signal,
        timeout_ms,
        concurrency,
        credentials: input.credentials.clone(),
        tail: get("tail").as_bool() != Some(false),
    })
}

/// Every `.bak` under the bucket address (ListObjectsV2, following continuation tokens).
async fn discover_targets(
    input: &PreflightInput,
    settings: &Settings,
    counters: &Rc<RefCell<(u32, u64)>>,
) -> Result<Vec<PreflightTarget>, JsValue> {
    let mut targets = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let request = list_objects_v2(
            &input.listing,
            &input.listing.key,
            token.as_deref(),
            1000,
            &settings.credentials,
            now_seconds(),
        )
        .map_err(|e| s3_request_error(&e))?;
        let response = send(&request, settings, BodyKind::Text).await?;
        count(counters, 0);
        if !(200..300).contains(&response.status) {
            let error = s3::s3_error(response.status, &response.body, response.request_id.as_deref());
            return Err(s3_failure(&error, &input.listing.bucket_url()));
        }
        let listing = parse_list_objects_v2(&response.body).map_err(|e| {
            details("S3_MALFORMED_RESPONSE")
                .error("ApiError", &format!("the bucket listing could not be read: {}", e.code()))
        })?;
        for object in listing.contents.iter().filter(|o| o.key.to_ascii_lowercase().ends_with(".bak")) {
            if targets.len() >= MAX_DISCOVERED {
                break;
            }
            targets.push(PreflightTarget {
                path: path_for_key(input, &object.key),
                number: None,
                endpoint: input.listing.with_key(object.key.clone()),
            });
        }
        token = listing.next_continuation_token.filter(|_| listing.is_truncated && targets.len() < MAX_DISCOVERED);
        if token.is_none() {
            return Ok(targets);
        }
    }
}

/// Reads every target with at most `concurrency` requests in flight; keeps the input order.
async fn probe_all(
    targets: Vec<PreflightTarget>,
    settings: &Settings,
    counters: &Rc<RefCell<(u32, u64)>>,
) -> Result<Vec<FileProbe>, JsValue> {
    let count = targets.len();
    let queue: Rc<RefCell<VecDeque<(usize, PreflightTarget)>>> =
        Rc::new(RefCell::new(targets.into_iter().enumerate().collect()));
    let results: Rc<RefCell<Vec<Option<FileProbe>>>> = Rc::new(RefCell::new(vec![None; count]));
    let workers = Array::new();
    for _ in 0..settings.concurrency.min(count.max(1)) {
        let (queue, results, settings, counters) = (queue.clone(), results.clone(), settings.clone(), counters.clone());
        workers.push(&future_to_promise(async move {
            loop {
                let next = queue.borrow_mut().pop_front();
                let Some((index, target)) = next else { return Ok(JsValue::UNDEFINED) };
                let probe = probe(&target, &settings, &counters).await?;
                if let Some(slot) = results.borrow_mut().get_mut(index) {
                    *slot = Some(probe);
                }
            }
        }));
    }
    JsFuture::from(Promise::all(&workers)).await?;
    let probes = results.borrow_mut().drain(..).flatten().collect();
    Ok(probes)
}

async fn probe(
    target: &PreflightTarget,
    settings: &Settings,
    counters: &Rc<RefCell<(u32, u64)>>,
) -> Result<FileProbe, JsValue> {
    let file = |probe: Probe| FileProbe { path: target.path.clone(), number: target.number, probe };
    let head = read_plan::head(None);
    let request =
        match get_object_range(&target.endpoint, head.start, head.last(), &settings.credentials, now_seconds()) {
            Ok(request) => request,
            Err(e) => return Ok(file(Probe::Failed { message: e.message() })),
        };
    let response = match send(&request, settings, BodyKind::Bytes).await {
        Ok(response) => response,
        Err(error) if settings.signal.as_ref().is_some_and(AbortSignal::aborted) => return Err(error),
        Err(error) => return Ok(file(Probe::Failed { message: message_of(&error) })),
    };
    count(counters, response.bytes.len());
    if !(200..300).contains(&response.status) {
        let error = s3::s3_error(response.status, &response.body, response.request_id.as_deref());
        return Ok(file(match error.kind {
            S3ErrorKind::NotFound => Probe::Missing,
            S3ErrorKind::AccessDenied => Probe::AccessDenied { message: format!("{}: {}", error.code, error.message) },
            S3ErrorKind::Other => Probe::Failed { message: error.to_string() },
        }));
    }
    // 206 carries the total in Content-Range; a 200 (Range ignored) means the whole object was sent.
    let size = response
        .content_range
        .as_deref()
        .and_then(parse_content_range)
        .and_then(|r| r.total)
        .or_else(|| (response.status == 200).then_some(response.bytes.len() as u64));
    let header = mtf::inspect(response.bytes.get(..head.len as usize).unwrap_or(&response.bytes));
    let etag = response.etag.as_deref().map(unquote_etag);
    let tail = if settings.tail && header.kind == mtf::BackupKind::Mtf {
        Some(read_tail(target, settings, counters, size, etag.as_deref(), &response.bytes).await?)
    } else {
        None
    };
    let mut later_sets = Vec::new();
    // One ranged GET per later backup set, one after another (files with several sets are rare);
    // none when the first read held the whole object.
    let whole = (size == Some(response.bytes.len() as u64)).then_some(response.bytes.as_slice());
    for (position, offset) in tail.as_ref().map(|t| t.later_set_starts(&header)).unwrap_or_default() {
        let held = whole.and_then(|bytes| bytes.get(usize::try_from(offset).ok()?..));
        later_sets.push(match held {
            Some(bytes) => SetProbe::read(position, offset, bytes, &header),
            None => {
                let range = read_plan::later_set(offset, None);
                let request =
                    get_object_range(&target.endpoint, range.start, range.last(), &settings.credentials, now_seconds());
                match ranged_get(request, settings, counters).await? {
                    Ok(response) => SetProbe::read(position, offset, &response.bytes, &header),
                    Err(error) => SetProbe { position, offset, header: Err(error) },
                }
            }
        });
    }
    Ok(file(Probe::Read { size, etag, header: Box::new(header), tail, later_sets }))
}

/// One more ranged GET (of the tail or a later set): the answer, or why there is none. Only an abort
/// is an `Err` of the outer result: a failed extra read is reported, and the rest of the preflight goes on.
async fn ranged_get(
    request: Result<crate::http::request::HttpRequest, s3::S3RequestError>,
    settings: &Settings,
    counters: &Rc<RefCell<(u32, u64)>>,
) -> Result<Result<transport::Response, String>, JsValue> {
    let request = match request {
        Ok(request) => request,
        Err(e) => return Ok(Err(e.message())),
    };
    let response = match send(&request, settings, BodyKind::Bytes).await {
        Ok(response) => response,
        Err(error) if settings.signal.as_ref().is_some_and(AbortSignal::aborted) => return Err(error),
        Err(error) => return Ok(Err(message_of(&error))),
    };
    count(counters, response.bytes.len());
    if !(200..300).contains(&response.status) {
        let error = s3::s3_error(response.status, &response.body, response.request_id.as_deref());
        return Ok(Err(error.to_string()));
    }
    Ok(Ok(response))
}

/// One more request made and `bytes` read.
fn count(counters: &Rc<RefCell<(u32, u64)>>, bytes: usize) {
    let mut c = counters.borrow_mut();
    c.0 = c.0.saturating_add(1);
    c.1 = c.1.saturating_add(bytes as u64);
}

/// The last `HEADER_BYTES` of an object (one suffix-ranged GET), or the first read's bytes when those
/// were the whole object.
async fn read_tail(
    target: &PreflightTarget,
    settings: &Settings,
    counters: &Rc<RefCell<(u32, u64)>>,
    size: Option<u64>,
    etag: Option<&str>,
    first: &[u8],
) -> Result<TailProbe, JsValue> {
    if size == Some(first.len() as u64) {
        return Ok(TailProbe::read(first, 0, size, etag.map(str::to_owned)));
    }
    let request = get_object_suffix(&target.endpoint, HEADER_BYTES, &settings.credentials, now_seconds());
    let response = match ranged_get(request, settings, counters).await? {
        Ok(response) => response,
        Err(error) => return Ok(TailProbe::failed(error)),
    };
    let range = response.content_range.as_deref().and_then(parse_content_range);
    let total = range.and_then(|r| r.total).or_else(|| (response.status == 200).then_some(response.bytes.len() as u64));
    let start = range.and_then(|r| r.first).unwrap_or(0);
    Ok(TailProbe::read(&response.bytes, start, total, response.etag.as_deref().map(unquote_etag)))
}

async fn send(
    request: &crate::http::request::HttpRequest,
    settings: &Settings,
    kind: BodyKind,
) -> Result<transport::Response, JsValue> {
    send_safe_reading(
        &settings.fetch,
        request,
        None,
        settings.timeout_ms,
        settings.signal.as_ref(),
        SAFE_SEND_RETRIES,
        kind,
    )
    .await
    .map_err(|failure| {
        let cors_rule =
            "GET with the Range, Authorization and x-amz-* headers from this origin (or run the preflight from Node)";
        s3_send_error(failure, &request.url, settings.timeout_ms, cors_rule)
    })
}
