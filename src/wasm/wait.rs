//! `waitForRestore`: drives the core's waiter state machine (`crate::waiter`) with real polls of
//! restore-jobs, a database check at the end, the caller's AbortSignal and `onProgress`.

use std::rc::Rc;

use js_sys::{Function, Object, Reflect};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use super::engine::{call_options, database_exists, read, CallOptions, Engine};
use super::js_error::{set, validation_error};
use super::timers::{now_ms, sleep};
use crate::api::read_requests::ReadOperation;
use crate::api::responses::{parse_database, parse_restore_jobs};
use crate::input::issue::{Issues, Location};
use crate::waiter::{JobObservation, Outcome, ProgressEvent, Step, WaitTarget, Waiter, WaiterConfig};

pub async fn wait_for_restore(inner: Rc<Engine>, input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let target = read_input(&input)?;
    let call = call_options(&inner, &options)?;
    let config = waiter_config(&options)?;
    let on_progress = if options.is_object() {
        Reflect::get(&options, &JsValue::from_str("onProgress")).ok().and_then(|f| f.dyn_into::<Function>().ok())
    } else {
        None
    };
    let started = now_ms() as i64;
    let mut waiter = Waiter::new(config, target.database_name.clone(), started);
    let mut polls: u32 = 0;
    loop {
        if aborted(&call) {
            return Ok(result("ABORTED", &target, started, polls, None));
        }
        polls = polls.saturating_add(1);
        let jobs = match read(&inner, ReadOperation::ListRestoreJobs, json!({"instanceId": target.instance_id}), &call)
            .await
        {
            Ok(response) => response,
            Err(_) if aborted(&call) => return Ok(result("ABORTED", &target, started, polls, None)),
            Err(error) => return Err(error.into_js()),
        };
        let job = parse_restore_jobs(&jobs.body)
            .ok()
            .and_then(|j| j.for_database(&target.database_name).map(JobObservation::from));
        let mut step = waiter.observe_jobs(now_ms() as i64, job.as_ref(), js_sys::Math::random());
        loop {
            match step {
                Step::Progress { event, next_poll_in_ms } => {
                    if let Some(callback) = &on_progress {
                        callback.call1(&JsValue::UNDEFINED, &progress_to_js(&event))?;
                    }
                    if sleep(next_poll_in_ms as f64, call.signal.as_ref()).await.is_err() {
                        return Ok(result("ABORTED", &target, started, polls, None));
                    }
                    break;
                }
                Step::Wait { next_poll_in_ms } => {
                    if sleep(next_poll_in_ms as f64, call.signal.as_ref()).await.is_err() {
                        return Ok(result("ABORTED", &target, started, polls, None));
                    }
                    break;
                }
                Step::CheckDatabase => {
                    let exists = match database_exists(&inner, &target.instance_id, &target.database_name, &call).await
                    {
                        Ok(exists) => exists,
                        Err(_) if aborted(&call) => return Ok(result("ABORTED", &target, started, polls, None)),
                        Err(error) => return Err(error.into_js()),
                    };
                    step = waiter.observe_database(now_ms() as i64, exists, js_sys::Math::random());
                }
                Step::Finished(outcome) => {
                    let database = match outcome {
                        Outcome::Succeeded => database_details(&inner, &target, &call).await,
                        _ => None,
                    };
                    return Ok(result(outcome.as_str(), &target, started, polls, database));
                }
            }
        }
    }
}

fn aborted(call: &CallOptions) -> bool {
    call.signal.as_ref().is_some_and(|s| s.aborted())
}

fn read_input(input: &JsValue) -> Result<WaitTarget, JsValue> {
    let mut issues = Issues::default();
    let value = from_js(input, Location::new("input", ""), &mut issues).unwrap_or(Value::Null);
    WaitTarget::from_input(&value, &mut issues).ok_or_else(|| validation_error(&issues))
}

/// `{ maxWaitMs?, minDelayMs?, maxDelayMs?, graceMs? }` from the wait options (`WaiterConfig::from_options`).
fn waiter_config(options: &JsValue) -> Result<WaiterConfig, JsValue> {
    if !options.is_object() {
        return Ok(WaiterConfig::default());
    }
    let mut issues = Issues::default();
    let option = |key: &str| {
        let value = Reflect::get(options, &JsValue::from_str(key)).ok()?;
        (!value.is_undefined() && !value.is_null()).then(|| value.as_f64())
    };
    let config = WaiterConfig::from_options(option, &mut issues);
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

fn result(state: &str, target: &WaitTarget, started: i64, polls: u32, database: Option<JsValue>) -> JsValue {
    let out = Object::new();
    set(&out, "state", &JsValue::from_str(state));
    set(&out, "databaseName", &JsValue::from_str(&target.database_name));
    set(&out, "elapsedMs", &JsValue::from((now_ms() as i64).saturating_sub(started) as f64));
    set(&out, "polls", &JsValue::from(polls));
    if let Some(database) = database {
        set(&out, "database", &database);
    }
    out.into()
}
