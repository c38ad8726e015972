//! `waitForRestore` and `checkRestore`: the core's waiter state machine (`crate::waiter`) driven by
//! real polls of restore-jobs and a database check at the end. One poll is [`poll_once`];
//! `waitForRestore` loops over it with sleeps (AbortSignal, `onProgress`), `checkRestore` makes one
//! and returns the state for the next invocation (`resume`), so both follow the same schedule.

use std::rc::Rc;

use js_sys::{Function, Object};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::convert::{from_js, option, to_js};
use super::engine::{call_options, database_exists, read, CallError, CallOptions, Engine};
use super::js_error::{set, validation_error};
use super::timers::{now_ms, sleep};
use crate::api::read_requests::ReadOperation;
use crate::api::responses::{parse_database, parse_restore_jobs};
use crate::input::issue::{IssueCode, Issues, Location};
use crate::restore_record::RestoreRecord;
use crate::waiter::{JobObservation, Outcome, ProgressEvent, Step, WaitState, WaitTarget, Waiter, WaiterConfig};

pub async fn wait_for_restore(inner: Rc<Engine>, input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let target = read_input(&input)?;
    let call = call_options(&inner, &options)?;
    let (mut waiter, record) = start_or_resume(&target, &option(&options, "resume"), &options, "resume")?;
    let on_progress = option(&options, "onProgress").dyn_into::<Function>().ok();
    loop {
        if aborted(&call) {
            return Ok(wait_result("ABORTED", &target, &waiter, record.as_ref(), None));
        }
        let step = match poll_once(&inner, &mut waiter, &target, &call).await {
            Ok(step) => step,
            Err(_) if aborted(&call) => return Ok(wait_result("ABORTED", &target, &waiter, record.as_ref(), None)),
            Err(error) => return Err(error.into_js()),
        };
        let next_poll_in_ms = match step {
            Step::Progress { event, next_poll_in_ms } => {
                if let Some(callback) = &on_progress {
                    callback.call1(&JsValue::UNDEFINED, &progress_to_js(&event))?;
                }
                next_poll_in_ms
            }
            Step::Wait { next_poll_in_ms } => next_poll_in_ms,
            Step::Finished(outcome) => {
                let database = match outcome {
                    Outcome::Succeeded => database_details(&inner, &target, &call).await,
                    _ => None,
                };
                return Ok(wait_result(outcome.as_str(), &target, &waiter, record.as_ref(), database));
            }
            // poll_once settles the database check itself.
            Step::CheckDatabase => 0,
        };
        if sleep(next_poll_in_ms as f64, call.signal.as_ref()).await.is_err() {
            return Ok(wait_result("ABORTED", &target, &waiter, record.as_ref(), None));
        }
    }
}

/// One poll, no waiting: `{ state, percent, estimatedCompletion, startedAt, nextCheckAt, nextCheckInMs,
/// polls, elapsedMs, database?, resume, record? }`. `state` is the previous result's `resume`, a
/// restore record, or nothing (a wait that starts now).
pub async fn check_restore(
    inner: Rc<Engine>,
    input: JsValue,
    state: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let target = read_input(&input)?;
    let call = call_options(&inner, &options)?;
    let (mut waiter, record) = start_or_resume(&target, &state, &options, "state")?;
    let now = now_ms() as i64;
    let finished_before = waiter.outcome().is_some();
    // A wait that has ended, or run out of time, needs no request to say so.
    let step = match waiter.check_timeout(now) {
        Some(step) => step,
        None => poll_once(&inner, &mut waiter, &target, &call).await.map_err(CallError::into_js)?,
    };
    let out = Object::new();
    let (state_name, event, next_in) = match step {
        Step::Progress { event, next_poll_in_ms } => ("RUNNING", Some(event), Some(next_poll_in_ms)),
        Step::Wait { next_poll_in_ms } => ("NOT_STARTED", None, Some(next_poll_in_ms)),
        Step::Finished(outcome) => (outcome.as_str(), None, None),
        Step::CheckDatabase => ("NOT_STARTED", None, Some(0)),
    };
    set(&out, "state", &JsValue::from_str(state_name));
    set(&out, "databaseName", &JsValue::from_str(&target.database_name));
    let percent = match (state_name, &event) {
        (_, Some(event)) => JsValue::from(event.percent),
        ("SUCCEEDED", None) => JsValue::from(100),
        _ => JsValue::NULL,
    };
    set(&out, "percent", &percent);
    set(&out, "estimatedCompletion", &date_or_null(event.and_then(|e| e.estimated_completion_ms)));
    set(&out, "startedAt", &date_or_null(event.and_then(|e| e.started_at_ms)));
    let now = now_ms() as i64;
    set(
        &out,
        "nextCheckAt",
        &date_or_null(next_in.map(|ms| now.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX)))),
    );
    set(&out, "nextCheckInMs", &next_in.map_or(JsValue::NULL, |ms| JsValue::from(ms as f64)));
    set(&out, "polls", &JsValue::from(waiter.polls()));
    set(&out, "elapsedMs", &JsValue::from(now.saturating_sub(waiter.started_ms()) as f64));
    if state_name == "SUCCEEDED" && !finished_before {
        if let Some(database) = database_details(&inner, &target, &call).await {
            set(&out, "database", &database);
        }
    }
    set_resume(&out, &waiter, record.as_ref())?;
    Ok(out.into())
}

/// One restore-jobs poll, and the database check when the job is not listed: the step after it
/// (never `CheckDatabase`).
async fn poll_once(
    inner: &Engine,
    waiter: &mut Waiter,
    target: &WaitTarget,
    call: &CallOptions,
) -> Result<Step, CallError> {
    let jobs = read(inner, ReadOperation::ListRestoreJobs, json!({"instanceId": target.instance_id}), call).await?;
    let job = parse_restore_jobs(&jobs.body)
        .ok()
        .and_then(|j| j.for_database(&target.database_name).map(JobObservation::from));
    let step = waiter.observe_jobs(now_ms() as i64, job.as_ref(), js_sys::Math::random());
    if step != Step::CheckDatabase {
        return Ok(step);
    }
    let exists = database_exists(inner, &target.instance_id, &target.database_name, call).await?;
    Ok(waiter.observe_database(now_ms() as i64, exists, js_sys::Math::random()))
}

/// A new wait (no `state`), or the one `state` continues: a `resume` value or a restore record.
/// Waiter settings given in `options` apply to both.
fn start_or_resume(
    target: &WaitTarget,
    state: &JsValue,
    options: &JsValue,
    field: &str,
) -> Result<(Waiter, Option<RestoreRecord>), JsValue> {
    let at = Location::new(field, format!("/{field}"));
    let mut issues = Issues::default();
    let value = if state.is_undefined() || state.is_null() { None } else { from_js(state, at.clone(), &mut issues) };
    let Some(value) = value else {
        if issues.has_errors() {
            return Err(validation_error(&issues));
        }
        let config = waiter_config(options, WaiterConfig::default())?;
        return Ok((Waiter::new(config, target.database_name.clone(), now_ms() as i64), None));
    };
    let (mut wait_state, record) = if RestoreRecord::is_record(&value) {
        match RestoreRecord::from_json(&value, "") {
            Ok(record) if !record.target.instance_id.eq_ignore_ascii_case(&target.instance_id) => {
                let message = format!(
                    "is the record of a restore on instance {}, not {}",
                    record.target.instance_id, target.instance_id
                );
                return Err(resume_error(&at, &message));
            }
            Ok(record) => (record.resume.clone(), Some(record)),
            Err(error) => return Err(resume_error(&at, &format!("is not a readable restore record ({error})"))),
        }
    } else {
        match WaitState::from_json(&value, "") {
            Ok(state) => (state, None),
            Err(_) => {
                return Err(resume_error(&at, "is not the `resume` value of a restore check or a restore record"));
            }
        }
    };
    wait_state.config = waiter_config(options, wait_state.config.clone())?;
    let waiter = Waiter::resume(wait_state, &target.database_name).map_err(|e| resume_error(&at, &e.to_string()))?;
    Ok((waiter, record))
}

fn resume_error(at: &Location, message: &str) -> JsValue {
    let mut issues = Issues::default();
    issues.error(at, IssueCode::Format, message);
    validation_error(&issues)
}

/// `resume` (and `record`, updated, when one was given) on a result.
fn set_resume(out: &Object, waiter: &Waiter, record: Option<&RestoreRecord>) -> Result<(), JsValue> {
    let state = waiter.state();
    set(out, "resume", &to_js(&state)?);
    if let Some(record) = record {
        set(out, "record", &to_js(&record.updated(state))?);
    }
    Ok(())
}

fn aborted(call: &CallOptions) -> bool {
    call.signal.as_ref().is_some_and(|s| s.aborted())
}

fn read_input(input: &JsValue) -> Result<WaitTarget, JsValue> {
    let mut issues = Issues::default();
    let value = from_js(input, Location::new("input", ""), &mut issues).unwrap_or(Value::Null);
    WaitTarget::from_input(&value, &mut issues).ok_or_else(|| validation_error(&issues))
}

/// `base` with the `{ maxWaitMs?, minDelayMs?, maxDelayMs?, graceMs? }` the options give
/// (`WaiterConfig::with_options`).
fn waiter_config(options: &JsValue, base: WaiterConfig) -> Result<WaiterConfig, JsValue> {
    let mut issues = Issues::default();
    let number = |key: &str| {
        let value = option(options, key);
        (!value.is_undefined() && !value.is_null()).then(|| value.as_f64())
    };
    let config = base.with_options(number, &mut issues);
    if issues.has_errors() {
        return Err(validation_error(&issues));
    }
    Ok(config)
}

async fn database_details(inner: &Engine, target: &WaitTarget, call: &CallOptions) -> Option<JsValue> {
    let input = json!({"instanceId": target.instance_id, "databaseName": target.database_name});
    let response = read(inner, ReadOperation::GetDatabase, input, call).await.ok()?;
    parse_database(&response.body).ok().and_then(|d| to_js(&d).ok())
}

fn progress_to_js(event: &ProgressEvent) -> JsValue {
    let out = Object::new();
    set(&out, "percent", &JsValue::from(event.percent));
    set(&out, "estimatedCompletion", &date_or_null(event.estimated_completion_ms));
    set(&out, "startedAt", &date_or_null(event.started_at_ms));
    set(&out, "elapsedMs", &JsValue::from(event.elapsed_ms as f64));
    out.into()
}

fn date_or_null(ms: Option<i64>) -> JsValue {
    match ms {
        Some(ms) => js_sys::Date::new(&JsValue::from(ms as f64)).into(),
        None => JsValue::NULL,
    }
}

fn wait_result(
    state: &str,
    target: &WaitTarget,
    waiter: &Waiter,
    record: Option<&RestoreRecord>,
    database: Option<JsValue>,
) -> JsValue {
    let out = Object::new();
    set(&out, "state", &JsValue::from_str(state));
    set(&out, "databaseName", &JsValue::from_str(&target.database_name));
    set(&out, "elapsedMs", &JsValue::from((now_ms() as i64).saturating_sub(waiter.started_ms()) as f64));
    set(&out, "polls", &JsValue::from(waiter.polls()));
    if let Some(database) = database {
        set(&out, "database", &database);
    }
    // Serializing plain data cannot fail; a result without `resume` is still a result.
    let _ = set_resume(&out, waiter, record);
    out.into()
}
