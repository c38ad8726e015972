//! The client's `preflight`: the backup preflight (S3) and the instance reads (instance, target
//! database, logins, running restores) all at once, through the client so auth, retries and timeouts
//! apply; the core judges them into one report.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use js_sys::{Array, Promise};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::convert::{from_js, option, option_value, to_js};
use super::engine::{call_options, read, CallError, CallOptions, Engine};
use super::js_error::{message_of, validation_error};
use super::preflight::{run as run_backup, Outcome};
use super::timers::{abort_reason, AbortSignal};
use super::transport::Response;
use crate::api::read_requests::ReadOperation;
use crate::api::responses::{parse_instance, parse_restore_jobs, parse_user_list, Instance, RestoreJobs};
use crate::backup::instance_check::{judge, Check, CheckTarget, Login, Observations, Read};
use crate::backup::preflight;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::options::PreflightSettings;

/// Logins are read 1000 a page (the client's page-size bound), at most this many pages.
const USER_PAGE_SIZE: i64 = 1000;
const MAX_USER_PAGES: i64 = 50;

/// `client.preflight({ instanceId, databaseName, databaseOwner?, s3? }, { signal?, timeoutMs?,
/// maxRetries?, concurrency?, tail?, skip? })` → `{ report, discovery?, instance?, checks, requests, bytesRead }`.
pub(super) async fn preflight(inner: Rc<Engine>, input: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let call = call_options(&inner, &options)?;
    let mut issues = Issues::default();
    let value = from_js(&input, Location::new("input", ""), &mut issues).unwrap_or(Value::Null);
    let target = CheckTarget::from_input(&value, &mut issues);
    let (skipped, skip_backup) = read_skips(&options, &mut issues);
    // The backup part's own options (concurrency) are checked before any read starts.
    PreflightSettings::read(|key| option_value(&options, key), &mut issues);
    let Some(CheckTarget { instance_id, database_name, owner }) = target else {
        return Err(validation_error(&issues));
    };
    if issues.has_errors() {
        return Err(validation_error(&issues));
    }
    let wants = |checks: &[Check]| checks.iter().any(|c| !skipped.contains(c));
    let id = json!({ "instanceId": instance_id });

    let mut tasks = Vec::new();
    let backup = (!skip_backup && value.get("s3").is_some()).then(|| {
        let backup_input = json!({ "s3": value.get("s3"), "databaseName": database_name });
        let (inner, options) = (inner.clone(), options.clone());
        spawn(&mut tasks, async move { run_backup(&backup_input, &options, Some(&inner.fetch)).await })
    });
    let instance = wants(&[Check::Instance, Check::Version, Check::Storage])
        .then(|| spawn_read(&mut tasks, &inner, &call, ReadOperation::GetInstance, id.clone()));
    let database = wants(&[Check::Database]).then(|| {
        let input = json!({ "instanceId": instance_id, "databaseName": database_name });
        spawn_read(&mut tasks, &inner, &call, ReadOperation::GetDatabase, input)
    });
    let logins = (wants(&[Check::Owner]) && owner.is_some()).then(|| {
        let (inner, call, id) = (inner.clone(), call.clone(), instance_id.clone());
        spawn(&mut tasks, async move { all_logins(&inner, &id, &call).await })
    });
    let jobs = wants(&[Check::RestoreJobs])
        .then(|| spawn_read(&mut tasks, &inner, &call, ReadOperation::ListRestoreJobs, id.clone()));
    let all: Array = tasks.into_iter().collect();
    JsFuture::from(Promise::all(&all)).await?;
    if let Some(signal) = call.signal.as_ref().filter(|s| AbortSignal::aborted(s)) {
        return Err(abort_reason(signal));
    }

    let mut outcome = match backup.and_then(take) {
        Some(result) => result?,
        None => Outcome { report: None, discovery: None, instance: None, checks: None, requests: 0, bytes_read: 0 },
    };
    let malformed = |p: crate::api::responses::ParseError| Unanswered::Failed(format!("malformed answer: {p}"));
    let api_version = inner.config.api_version;
    let instance: Read<Instance> =
        settled(instance.map(|slot| parsed(slot, |r| parse_instance(&r.body, api_version).map_err(malformed))));
    let observations = Observations {
        instance_id,
        database_name,
        owner,
        database: settled(database.map(|slot| parsed(slot, |_| Ok(())))),
        logins: settled(logins),
        restore_jobs: settled::<RestoreJobs>(
            jobs.map(|slot| parsed(slot, |r| parse_restore_jobs(&r.body).map_err(malformed))),
        ),
        database_version: outcome.report.as_ref().and_then(|r| r.database_version),
        backup_size: outcome.report.as_ref().map(|r| r.total_size),
        restore_size: outcome.report.as_ref().and_then(|r| r.restore_size),
        skipped,
        instance,
    };
    let judged = judge(&observations);
    let report = outcome.report.take().unwrap_or_else(|| preflight::assess(&[], None));
    outcome.report = Some(report.with_findings(judged.findings));
    outcome.checks = Some(judged.checks);
    if let Read::Done(instance) = observations.instance {
        outcome.instance = Some(instance);
    }
    to_js(&outcome)
}

/// `skip: ["instance", "database", "owner", "restoreJobs", "version", "storage", "backup"]`.
fn read_skips(options: &JsValue, issues: &mut Issues) -> (Vec<Check>, bool) {
    let at = Location::new("skip", "/skip");
    let value = option(options, "skip");
    if value.is_undefined() || value.is_null() {
        return (Vec::new(), false);
    }
    let Some(names) = Array::is_array(&value).then(|| Array::from(&value)) else {
        issues.error(&at, IssueCode::Type, "must be an array of check names");
        return (Vec::new(), false);
    };
    Check::parse_skips(names.iter().map(|name| name.as_string()), &at, issues)
}

/// Every login (name and status), page after page.
async fn all_logins(inner: &Engine, instance_id: &str, call: &CallOptions) -> Result<Vec<Login>, Unanswered> {
    let mut names = Vec::new();
    for page in 1..=MAX_USER_PAGES {
        let input = json!({ "instanceId": instance_id, "page": page, "size": USER_PAGE_SIZE });
        let response = classify(read(inner, ReadOperation::ListUsers, input, call).await)?;
        let list = parse_user_list(&response.body).map_err(|p| Unanswered::Failed(format!("malformed answer: {p}")))?;
        let last = list.users.is_empty() || page >= list.pagination.total_pages;
        names.extend(list.users.into_iter().map(|u| Login { name: u.username, status: u.status }));
        if last {
            break;
        }
    }
    Ok(names)
}

/// A read without the data it asked for.
enum Unanswered {
    NotFound,
    Forbidden,
    Failed(String),
}

/// 404 and 403 are answers for the checks; anything else is a failed read.
fn classify<T>(result: Result<T, CallError>) -> Result<T, Unanswered> {
    result.map_err(|error| match error.status() {
        Some(404) => Unanswered::NotFound,
        Some(403) => Unanswered::Forbidden,
        _ => Unanswered::Failed(message_of(&error.into_js())),
    })
}

type Slot<T> = Rc<RefCell<Option<T>>>;
type ReadSlot = Slot<Result<Response, Unanswered>>;

/// Starts one API read now; one boxed future type for every read keeps the wasm smaller.
fn spawn_read(
    tasks: &mut Vec<Promise>,
    inner: &Rc<Engine>,
    call: &CallOptions,
    operation: ReadOperation,
    input: Value,
) -> ReadSlot {
    let (inner, call) = (inner.clone(), call.clone());
    let future: Pin<Box<dyn Future<Output = Result<Response, Unanswered>>>> =
        Box::pin(async move { classify(read(&inner, operation, input, &call).await) });
    spawn(tasks, future)
}

/// A settled read's answer, parsed.
fn parsed<T>(slot: ReadSlot, parse: impl FnOnce(Response) -> Result<T, Unanswered>) -> Slot<Result<T, Unanswered>> {
    Rc::new(RefCell::new(take(slot).map(|result| result.and_then(parse))))
}

/// Starts `future` now; its result lands in the returned slot.
fn spawn<T: 'static>(tasks: &mut Vec<Promise>, future: impl Future<Output = T> + 'static) -> Slot<T> {
    let slot: Slot<T> = Rc::new(RefCell::new(None));
    let out = slot.clone();
    tasks.push(future_to_promise(async move {
        let value = future.await;
        *out.borrow_mut() = Some(value);
        Ok(JsValue::UNDEFINED)
    }));
    slot
}

fn take<T>(slot: Slot<T>) -> Option<T> {
    slot.borrow_mut().take()
}

/// A read's outcome; a read not made (skipped) is `Skipped`.
fn settled<T>(slot: Option<Slot<Result<T, Unanswered>>>) -> Read<T> {
    match slot.and_then(take) {
        None => Read::Skipped,
        Some(Ok(value)) => Read::Done(value),
        Some(Err(Unanswered::NotFound)) => Read::NotFound,
        Some(Err(Unanswered::Forbidden)) => Read::Forbidden,
        Some(Err(Unanswered::Failed(message))) => Read::Failed(message),
    }
}
