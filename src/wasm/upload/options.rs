//! The upload's options as JS hands them over, checked into `Settings` (every bad field an issue with
//! its path).

use js_sys::{Array, Function};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::backup::preflight_input::PreflightInput;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::options::{whole as whole_number, MAX_RETRIES, MAX_TIMEOUT_MS, UPLOAD_RETRIES, UPLOAD_TIMEOUT_MS};
use crate::input::shape::Shape;
use crate::s3::multipart::DonePart;
use crate::s3::sigv4::Credentials;
use crate::upload::plan;
use crate::wasm::convert::{json_of, option, option_value};
use crate::wasm::timers::{signal_from, AbortSignal};
use crate::wasm::transport;

/// The checked options of one `upload` call.
pub(super) struct Settings {
    pub(super) fetch: Function,
    pub(super) signal: Option<AbortSignal>,
    pub(super) timeout_ms: f64,
    pub(super) max_retries: u32,
    pub(super) concurrency: u32,
    pub(super) part_size: Option<u64>,
    /// Sign each body's SHA-256 (the default): the server checks the body against it, so nothing
    /// changed on the way is stored; `payload: 'unsigned'` streams parts from disk unread instead.
    pub(super) hash_payload: bool,
    pub(super) force: bool,
    pub(super) keep_on_failure: bool,
    pub(super) on_progress: Option<Function>,
    pub(super) resume: Vec<ResumeState>,
    pub(super) credentials: Credentials,
}

/// What an interrupted upload leaves to resume with (also attached to its error as `upload`).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ResumeState {
    /// The object key; a resume entry may name the file (`name`) instead.
    pub(super) key: String,
    #[serde(skip_serializing)]
    pub(super) name: Option<String>,
    pub(super) upload_id: String,
    pub(super) part_size: Option<u64>,
    pub(super) parts: Vec<DonePart>,
}

impl ResumeState {
    /// An entry as an upload error's `upload` field gives it (`name` may stand for `key`).
    fn from_json(value: &Value, path: &str) -> Result<ResumeState, String> {
        let shape = Shape::of(value, path)?;
        let mut parts = Vec::new();
        for part in shape.array("parts")?.into_iter().flatten() {
            parts.push(DonePart::from_json(part, &format!("{path}.parts"))?);
        }
        Ok(ResumeState {
            key: shape.string("key")?.unwrap_or_default(),
            name: shape.string("name")?,
            upload_id: shape.need("uploadId", shape.string("uploadId")?)?,
            part_size: shape.int("partSize")?,
            parts,
        })
    }
}

pub(super) fn settings(options: &JsValue, input: &PreflightInput, issues: &mut Issues) -> Settings {
    let get = |key: &str| option(options, key);
    let given = |v: &JsValue| !v.is_undefined() && !v.is_null();
    let at = |name: &str| Location::new(name, format!("/{name}"));
    let whole = |key: &str, min: f64, max: f64, issues: &mut Issues| {
        whole_number(&option_value(options, key), key, min, max, issues)
    };
    let part_size = whole("partSize", plan::MIN_PART_SIZE as f64, plan::MAX_PART_SIZE as f64, issues);
    let concurrency = whole("concurrency", 1.0, f64::from(plan::MAX_CONCURRENCY), issues);
    let timeout_ms = whole("timeoutMs", 1.0, f64::from(MAX_TIMEOUT_MS), issues).unwrap_or(UPLOAD_TIMEOUT_MS);
    let max_retries = whole("maxRetries", 0.0, f64::from(MAX_RETRIES), issues).map_or(UPLOAD_RETRIES, |n| n as u32);
    let payload = get("payload").as_string();
    let hash_payload = match payload.as_deref() {
        Some("unsigned") => false,
        None | Some("sha256") => true,
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
        let entries = json_of(&list);
        let read = entries.as_ref().and_then(Value::as_array).and_then(|list| {
            let mut states = Vec::with_capacity(list.len());
            for entry in list {
                states.push(ResumeState::from_json(entry, "resume").ok()?);
            }
            Some(states)
        });
        read.unwrap_or_else(|| {
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
        concurrency: concurrency.map_or(plan::DEFAULT_CONCURRENCY, |n| n as u32),
        part_size: part_size.map(|n| n as u64),
        hash_payload,
        force: get("force").as_bool().unwrap_or(false),
        keep_on_failure,
        on_progress: get("onProgress").dyn_into::<Function>().ok(),
        resume,
        credentials: input.credentials.clone(),
    }
}
