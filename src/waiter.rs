//! Waiting for a restore to end: a pure state machine that the bindings drive with real requests
//! and timers (time and randomness are inputs, so the schedule is tested on a fake clock).
//!
//! The API has no job id and no final state (docs/stackit-api.md): a restore is running
//! while `GET …/restore-jobs` lists it; once it is gone, `GET …/databases/{name}` tells how it
//! ended: 200 → `SUCCEEDED`, 404 → `FAILED` (inferred; no STACKIT SDK has a restore waiter).
//!
//! ## Driving it
//! Poll restore-jobs at once and pass the entry for the database (or `None`) to
//! [`Waiter::observe_jobs`]. Then follow the [`Step`]: `Progress` → report the event and poll
//! restore-jobs again after `next_poll_in_ms`; `Wait` → the same without an event;
//! `CheckDatabase` → `GET` the database now and pass whether it exists to
//! [`Waiter::observe_database`]; `Finished` → stop. Aborting is the caller's (`ABORTED`).
//!
//! ## Across invocations
//! A serverless function cannot sleep for the length of a restore. [`Waiter::state`] is the whole
//! wait as plain JSON ([`WaitState`]: settings, start, grace, rate measurement, poll count; no
//! secret); [`Waiter::resume`] continues it in a later invocation with the same schedule, so one
//! poll per invocation (`checkRestore`) and one process sleeping between polls (`waitForRestore`)
//! are the same wait driven two ways.
//!
//! ## Schedule
//! - The remaining time is estimated from the service's `estimated_completion_time` when it lies
//!   ahead (an ETA already passed while the job still runs is stale and ignored), and from the
//!   progress rate this waiter measures: percent gained since it first saw this run of the job,
//!   over the time that took, extrapolated from when the current percent first showed (percent is
//!   an integer; a percent that lasts longer than the rate allows lowers the rate). Before any
//!   gain is measured, the job's average since its `start_time` stands in. The smaller estimate
//!   wins (polling a little early costs one request, polling late costs the user's time), except
//!   that the ETA may not bring it below a quarter of the rate's: an ETA that keeps saying "in
//!   5 s" would otherwise mean a poll every `minDelayMs`.
//! - The next poll comes after half the estimate, ±`jitter` (10 %), clamped to
//!   `[minDelayMs, maxDelayMs]` (2 s, 60 s): far from the end it polls once a minute, then halves
//!   the gap towards the estimated end, so the poll after completion comes about `minDelayMs`
//!   late. With nothing to estimate from (no ETA, no measurable progress) it waits
//!   `2 × minDelayMs`, doubling with each further such observation; a job estimated to be over
//!   but still listed (100 %, recovery running) gets `minDelayMs`, doubling likewise.
//! - Percent going backwards or a new `start_time` (a new `RESTORE` statement) restarts the rate
//!   measurement; the event reports the percent as sent, limited to 0..=100.
//! - No poll is scheduled past `startedMs + maxWaitMs`; a job still listed then ends as `TIMEOUT`.
//!   A job found gone at that moment is still settled by the database check.
//! - Right after the trigger the service may not list the job yet. Before the job has been seen, a
//!   missing database is tolerated for `graceObservations` (2) checks and for `graceMs` (30 s)
//!   after start, whichever lasts longer, polling after `minDelayMs`, doubling; only then is it
//!   `FAILED`. A database that exists ends the wait as `SUCCEEDED` even if the job was never seen
//!   (a restore quicker than the first poll).

use serde::Serialize;
use serde_json::Value;

use crate::api::responses::RunningRestore;
use crate::http::retry::unit_interval;
use crate::input::field_rules::read_instance_id;
use crate::input::issue::{IssueCode, Issues, Location};
use crate::input::reader::ObjectReader;
use crate::input::shape::Shape;

/// The restore a wait is for: `{ instanceId, databaseName }`, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitTarget {
    pub instance_id: String,
    pub database_name: String,
}

impl WaitTarget {
    /// Reads `{ instanceId, databaseName }`; every problem goes to `issues`, and there is no target
    /// when `issues` holds any error (also one found before).
    pub fn from_input(value: &Value, issues: &mut Issues) -> Option<WaitTarget> {
        let root = ObjectReader::new(Some(value), Location::new("", ""), issues);
        let instance_id = read_instance_id(&root, issues);
        let at = Location::new("databaseName", "/databaseName");
        let database_name = root.required_string("databaseName", &at, issues);
        if database_name.as_deref() == Some("") {
            issues.error(&at, IssueCode::Required, "must name the database being restored");
        }
        match (instance_id, database_name) {
            (Some(instance_id), Some(database_name)) if !issues.has_errors() => {
                Some(WaitTarget { instance_id, database_name })
            }
            _ => None,
        }
    }
}

/// Waiter settings; missing fields take the defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaiterConfig {
    /// Shortest gap between polls. Default 2 s (at least 1 ms is used).
    pub min_delay_ms: u64,
    /// Longest gap between polls. Default 60 s (at least `min_delay_ms` is used).
    pub max_delay_ms: u64,
    /// Give up (`TIMEOUT`) this long after the start. Default 6 h.
    pub max_wait_ms: u64,
    /// Relative spread of each gap, `0..=1`. Default 0.1 (±10 %).
    pub jitter: f64,
    /// How long after the start a not-yet-listed job with no database is tolerated. Default 30 s.
    pub grace_ms: u64,
    /// How many such checks are tolerated at least, however long they take. Default 2.
    pub grace_observations: u32,
}

impl Default for WaiterConfig {
    fn default() -> Self {
        WaiterConfig {
            min_delay_ms: 2_000,
            max_delay_ms: 60_000,
            max_wait_ms: 6 * 60 * 60 * 1_000,
            jitter: 0.1,
            grace_ms: 30_000,
            grace_observations: 2,
        }
    }
}

impl WaiterConfig {
    /// The defaults, with `maxWaitMs`, `minDelayMs`, `maxDelayMs` and `graceMs` from the wait options
    /// where given. `option(key)` is `None` for an absent option (undefined or null), else the number
    /// it holds (`None` inside for a value that is not a number). A value that is not a non-negative
    /// whole number of ms is an issue.
    pub fn from_options(option: impl Fn(&str) -> Option<Option<f64>>, issues: &mut Issues) -> WaiterConfig {
        WaiterConfig::default().with_options(option, issues)
    }

    /// These settings with the options given (as [`WaiterConfig::from_options`] reads them) in
    /// place: a resumed wait keeps its own settings unless the caller names new ones.
    pub fn with_options(self, option: impl Fn(&str) -> Option<Option<f64>>, issues: &mut Issues) -> WaiterConfig {
        let mut config = self;
        let mut number = |key: &str| -> Option<u64> {
            match option(key)? {
                Some(n) if n >= 0.0 && n.fract() == 0.0 && n <= 9.0e15 => Some(n as u64),
                _ => {
                    issues.error(
                        &Location::new(key, format!("/{key}")),
                        IssueCode::Format,
                        "must be a non-negative integer (ms)",
                    );
                    None
                }
            }
        };
        if let Some(ms) = number("maxWaitMs") {
            config.max_wait_ms = ms;
        }
        if let Some(ms) = number("minDelayMs") {
            config.min_delay_ms = ms;
        }
        if let Some(ms) = number("maxDelayMs") {
            config.max_delay_ms = ms;
        }
        if let Some(ms) = number("graceMs") {
            config.grace_ms = ms;
        }
        config
    }

    /// Settings as [`WaitState`] holds them; a missing field takes its default.
    fn from_shape(shape: &Shape<'_>) -> Result<WaiterConfig, String> {
        let default = WaiterConfig::default();
        Ok(WaiterConfig {
            min_delay_ms: shape.int("minDelayMs")?.unwrap_or(default.min_delay_ms),
            max_delay_ms: shape.int("maxDelayMs")?.unwrap_or(default.max_delay_ms),
            max_wait_ms: shape.int("maxWaitMs")?.unwrap_or(default.max_wait_ms),
            jitter: shape.number("jitter")?.unwrap_or(default.jitter),
            grace_ms: shape.int("graceMs")?.unwrap_or(default.grace_ms),
            grace_observations: shape.int("graceObservations")?.unwrap_or(default.grace_observations),
        })
    }

    /// The settings actually used: `min ≥ 1 ms`, `max ≥ min`, `jitter` within `0..=1` (NaN → 0).
    pub fn normalized(&self) -> WaiterConfig {
        let min_delay_ms = self.min_delay_ms.max(1);
        WaiterConfig {
            min_delay_ms,
            max_delay_ms: self.max_delay_ms.max(min_delay_ms),
            jitter: if self.jitter.is_nan() { 0.0 } else { self.jitter.clamp(0.0, 1.0) },
            ..self.clone()
        }
    }
}

/// What restore-jobs says about the job (see [`RunningRestore`]); times are Unix ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JobObservation {
    /// `percent_complete` as sent (documented 0..=100, not enforced).
    pub percent: i32,
    pub start_time_ms: Option<i64>,
    pub estimated_completion_ms: Option<i64>,
}

impl From<&RunningRestore> for JobObservation {
    fn from(job: &RunningRestore) -> Self {
        JobObservation {
            percent: job.percent_complete,
            start_time_ms: job.start_time_ms(),
            estimated_completion_ms: job.estimated_completion_time_ms(),
        }
    }
}

/// Reported to the caller's `onProgress` on each poll that finds the job running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressEvent {
    /// 0..=100.
    pub percent: u8,
    /// Expected end (Unix ms): the service's estimate while it lies ahead, else this waiter's
    /// estimate from the measured rate; `None` when neither exists.
    pub estimated_completion_ms: Option<i64>,
    /// The job's `start_time` (Unix ms).
    pub started_at_ms: Option<i64>,
    /// Time since the waiter started.
    pub elapsed_ms: u64,
}

/// How the wait ended (`ABORTED` is the caller's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Outcome {
    Succeeded,
    Failed,
    Timeout,
}

impl Outcome {
    const ALL: [Outcome; 3] = [Outcome::Succeeded, Outcome::Failed, Outcome::Timeout];

    /// `SUCCEEDED`, `FAILED` or `TIMEOUT`, as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Succeeded => "SUCCEEDED",
            Outcome::Failed => "FAILED",
            Outcome::Timeout => "TIMEOUT",
        }
    }

    /// The outcome a field names, as [`Outcome::as_str`] wrote it.
    pub fn read(shape: &Shape<'_>, key: &str) -> Result<Option<Outcome>, String> {
        Ok(shape.choice(key, &Outcome::ALL.map(Outcome::as_str))?.and_then(|i| Outcome::ALL.get(i).copied()))
    }
}

/// What to do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Step {
    /// The job is running: report `event`, poll restore-jobs again after `next_poll_in_ms`.
    #[serde(rename_all = "camelCase")]
    Progress { event: ProgressEvent, next_poll_in_ms: u64 },
    /// The job is not listed yet (grace period): poll restore-jobs again after `next_poll_in_ms`.
    #[serde(rename_all = "camelCase")]
    Wait { next_poll_in_ms: u64 },
    /// The job is not listed: `GET` the database now and call [`Waiter::observe_database`].
    CheckDatabase,
    /// Done; every later observation returns the same.
    Finished(Outcome),
}

/// How much earlier than the measured rate suggests the service's ETA may bring the next poll: a
/// stale or wrong ETA (one that stays "in 5 s") then costs a few extra polls, not one per `min_delay`.
const ETA_PULL_LIMIT: f64 = 4.0;

/// Where the current rate measurement starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Anchor {
    at_ms: i64,
    percent: i32,
    job_start_ms: Option<i64>,
}

/// The percent currently shown, and since when this waiter has seen it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct Level {
    percent: i32,
    since_ms: i64,
}

/// Why there is no remaining time to take half of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum Backoff {
    /// No ETA and no measurable progress: from `2 × min_delay`.
    Unknown,
    /// Estimated to be over, yet still listed: from `min_delay`.
    Overdue,
}

/// The state of one wait. See the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Waiter {
    config: WaiterConfig,
    database_name: String,
    started_ms: i64,
    seen_job: bool,
    unlisted_checks: u32,
    /// Why, and how many observations in a row, the delay has been backing off.
    backoff: Option<(Backoff, u32)>,
    anchor: Option<Anchor>,
    level: Option<Level>,
    finished: Option<Outcome>,
    /// restore-jobs observations so far (across resumptions).
    polls: u32,
}

/// A wait between two invocations: everything the next one needs to continue the same schedule
/// (settings, start, grace, rate measurement, polls) as plain JSON, with no secret and no address.
/// `checkRestore` returns it as `resume` and takes it back; see [`Waiter::state`], [`Waiter::resume`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WaitState {
    /// Always [`WAIT_STATE_KIND`]: a record or another value passed by mistake is refused by name.
    pub kind: String,
    /// Format version, [`WAIT_STATE_VERSION`].
    pub v: u32,
    pub database_name: String,
    pub started_ms: i64,
    pub config: WaiterConfig,
    pub polls: u32,
    seen_job: bool,
    unlisted_checks: u32,
    backoff: Option<BackoffState>,
    anchor: Option<Anchor>,
    level: Option<Level>,
    outcome: Option<Outcome>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct BackoffState {
    reason: Backoff,
    streak: u32,
}

impl WaitState {
    /// The state as [`Waiter::state`] wrote it to JSON; `path` names it in errors. Strict: an unknown
    /// field is refused, so a changed state is not silently half-read.
    pub fn from_json(value: &Value, path: &str) -> Result<WaitState, String> {
        let shape = Shape::of(value, path)?.only(&[
            "kind",
            "v",
            "databaseName",
            "startedMs",
            "config",
            "polls",
            "seenJob",
            "unlistedChecks",
            "backoff",
            "anchor",
            "level",
            "outcome",
        ])?;
        let config = shape.need("config", shape.object("config")?)?;
        let backoff = match shape.object("backoff")? {
            Some(b) => {
                let b = b.only(&["reason", "streak"])?;
                let reason = b.need("reason", b.choice("reason", &["unknown", "overdue"])?)?;
                let reason = if reason == 0 { Backoff::Unknown } else { Backoff::Overdue };
                Some(BackoffState { reason, streak: b.need("streak", b.int("streak")?)? })
            }
            None => None,
        };
        let anchor = match shape.object("anchor")? {
            Some(a) => {
                let a = a.only(&["atMs", "percent", "jobStartMs"])?;
                Some(Anchor {
                    at_ms: a.need("atMs", a.int("atMs")?)?,
                    percent: a.need("percent", a.int("percent")?)?,
                    job_start_ms: a.int("jobStartMs")?,
                })
            }
            None => None,
        };
        let level = match shape.object("level")? {
            Some(l) => {
                let l = l.only(&["percent", "sinceMs"])?;
                Some(Level {
                    percent: l.need("percent", l.int("percent")?)?,
                    since_ms: l.need("sinceMs", l.int("sinceMs")?)?,
                })
            }
            None => None,
        };
        Ok(WaitState {
            kind: shape.need("kind", shape.string("kind")?)?,
            v: shape.need("v", shape.int("v")?)?,
            database_name: shape.need("databaseName", shape.string("databaseName")?)?,
            started_ms: shape.need("startedMs", shape.int("startedMs")?)?,
            config: WaiterConfig::from_shape(&config)?,
            polls: shape.need("polls", shape.int("polls")?)?,
            seen_job: shape.need("seenJob", shape.bool("seenJob")?)?,
            unlisted_checks: shape.need("unlistedChecks", shape.int("unlistedChecks")?)?,
            backoff,
            anchor,
            level,
            outcome: Outcome::read(&shape, "outcome")?,
        })
    }

    /// How the wait ended, once it has.
    pub fn outcome(&self) -> Option<Outcome> {
        self.outcome
    }
}

pub const WAIT_STATE_KIND: &str = "sqlserverflex-restore/wait";
pub const WAIT_STATE_VERSION: u32 = 1;

/// Why a [`WaitState`] cannot continue a wait: shown to the caller as is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResumeError {
    /// Not a wait state of this format (`kind`/`v`).
    NotAWaitState,
    /// It follows the restore of another database.
    OtherDatabase { expected: String, found: String },
}

impl std::fmt::Display for ResumeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ResumeError::NotAWaitState => {
                write!(
                    f,
                    "is not the `resume` value of a restore check (kind {WAIT_STATE_KIND}, v {WAIT_STATE_VERSION})"
                )
            }
            ResumeError::OtherDatabase { expected, found } => {
                write!(f, "follows the restore of {found}, not of {expected}")
            }
        }
    }
}

impl Waiter {
    /// The state to hand to a later invocation (see [`WaitState`]).
    pub fn state(&self) -> WaitState {
        WaitState {
            kind: WAIT_STATE_KIND.to_owned(),
            v: WAIT_STATE_VERSION,
            database_name: self.database_name.clone(),
            started_ms: self.started_ms,
            config: self.config.clone(),
            polls: self.polls,
            seen_job: self.seen_job,
            unlisted_checks: self.unlisted_checks,
            backoff: self.backoff.map(|(reason, streak)| BackoffState { reason, streak }),
            anchor: self.anchor,
            level: self.level,
            outcome: self.finished,
        }
    }

    /// Continues the wait `state` describes, for the restore into `database_name`.
    pub fn resume(state: WaitState, database_name: &str) -> Result<Waiter, ResumeError> {
        if state.kind != WAIT_STATE_KIND || state.v != WAIT_STATE_VERSION {
            return Err(ResumeError::NotAWaitState);
        }
        if state.database_name != database_name {
            return Err(ResumeError::OtherDatabase { expected: database_name.to_owned(), found: state.database_name });
        }
        Ok(Waiter {
            config: state.config.normalized(),
            database_name: state.database_name,
            started_ms: state.started_ms,
            seen_job: state.seen_job,
            unlisted_checks: state.unlisted_checks,
            backoff: state.backoff.map(|b| (b.reason, b.streak)),
            anchor: state.anchor,
            level: state.level,
            finished: state.outcome,
            polls: state.polls,
        })
    }

    /// restore-jobs observations so far, across resumptions.
    pub fn polls(&self) -> u32 {
        self.polls
    }
}

impl Waiter {
    /// A wait for the restore into `database_name`, started (triggered) at `started_ms`.
    pub fn new(config: WaiterConfig, database_name: impl Into<String>, started_ms: i64) -> Waiter {
        Waiter {
            config: config.normalized(),
            database_name: database_name.into(),
            started_ms,
            seen_job: false,
            unlisted_checks: 0,
            backoff: None,
            anchor: None,
            level: None,
            finished: None,
            polls: 0,
        }
    }

    pub fn database_name(&self) -> &str {
        &self.database_name
    }

    /// The normalized settings in use.
    pub fn config(&self) -> &WaiterConfig {
        &self.config
    }

    pub fn started_ms(&self) -> i64 {
        self.started_ms
    }

    /// `started_ms + max_wait_ms` (saturating).
    pub fn deadline_ms(&self) -> i64 {
        self.started_ms.saturating_add(i64::try_from(self.config.max_wait_ms).unwrap_or(i64::MAX))
    }

    pub fn timed_out(&self, now_ms: i64) -> bool {
        now_ms >= self.deadline_ms()
    }

    /// The outcome once finished.
    pub fn outcome(&self) -> Option<Outcome> {
        self.finished
    }

    /// Ends the wait as `TIMEOUT` if the deadline has passed (for a caller whose poll request
    /// failed and who wants to know whether to keep trying); `None` while time remains.
    pub fn check_timeout(&mut self, now_ms: i64) -> Option<Step> {
        if let Some(outcome) = self.finished {
            return Some(Step::Finished(outcome));
        }
        self.timed_out(now_ms).then(|| self.finish(Outcome::Timeout))
    }

    /// A restore-jobs poll at `now_ms` found `job` for the database (`None`: not listed).
    /// `random` in `[0, 1)` draws the jitter.
    pub fn observe_jobs(&mut self, now_ms: i64, job: Option<&JobObservation>, random: f64) -> Step {
        if let Some(outcome) = self.finished {
            return Step::Finished(outcome);
        }
        self.polls = self.polls.saturating_add(1);
        let Some(job) = job else {
            // Even past the deadline: one GET settles what the waiter otherwise reports as TIMEOUT.
            return Step::CheckDatabase;
        };
        self.seen_job = true;
        if self.timed_out(now_ms) {
            return self.finish(Outcome::Timeout);
        }
        let percent = job.percent.clamp(0, 100);
        self.track(now_ms, percent, job.start_time_ms);
        let rate_remaining_ms = self.rate_remaining_ms(now_ms, percent, job.start_time_ms);
        let eta_remaining_ms = job
            .estimated_completion_ms
            .map(|eta| eta.saturating_sub(now_ms))
            .filter(|remaining| *remaining > 0)
            .map(|remaining| remaining as f64);
        let remaining_ms = match (eta_remaining_ms, rate_remaining_ms) {
            (Some(eta), Some(rate)) => Some(eta.min(rate).max(rate / ETA_PULL_LIMIT)),
            (eta, rate) => eta.or(rate),
        };
        let estimated_completion_ms = match (job.estimated_completion_ms, rate_remaining_ms) {
            (Some(eta), _) if eta > now_ms => Some(eta),
            (_, Some(rate)) if rate >= 1.0 => Some(now_ms.saturating_add(rate as i64)),
            _ => None,
        };
        let base_ms = match remaining_ms {
            Some(remaining) if remaining >= 1.0 => {
                self.backoff = None;
                remaining / 2.0
            }
            // Estimated to be over already (100 %, or the last percent overdue).
            Some(_) => self.back_off(Backoff::Overdue),
            None => self.back_off(Backoff::Unknown),
        };
        let event = ProgressEvent {
            percent: u8::try_from(percent).unwrap_or(100),
            estimated_completion_ms,
            started_at_ms: job.start_time_ms,
            elapsed_ms: self.elapsed_ms(now_ms),
        };
        Step::Progress { event, next_poll_in_ms: self.schedule(now_ms, base_ms, random) }
    }

    /// The database check after `CheckDatabase`: `exists` is `GET …/databases/{name}` → 200
    /// (404 → `false`; any other failure is the caller's to retry or throw).
    pub fn observe_database(&mut self, now_ms: i64, exists: bool, random: f64) -> Step {
        if let Some(outcome) = self.finished {
            return Step::Finished(outcome);
        }
        if exists {
            return self.finish(Outcome::Succeeded);
        }
        if !self.seen_job {
            self.unlisted_checks = self.unlisted_checks.saturating_add(1);
            let in_grace = self.unlisted_checks <= self.config.grace_observations
                || self.elapsed_ms(now_ms) < self.config.grace_ms;
            if in_grace {
                if self.timed_out(now_ms) {
                    return self.finish(Outcome::Timeout);
                }
                let base_ms = doubled(self.config.min_delay_ms, self.unlisted_checks.saturating_sub(1));
                return Step::Wait { next_poll_in_ms: self.schedule(now_ms, base_ms as f64, random) };
            }
        }
        self.finish(Outcome::Failed)
    }

    fn finish(&mut self, outcome: Outcome) -> Step {
        self.finished = Some(outcome);
        Step::Finished(outcome)
    }

    fn elapsed_ms(&self, now_ms: i64) -> u64 {
        u64::try_from(now_ms.saturating_sub(self.started_ms)).unwrap_or(0)
    }

    /// Restart the rate measurement on the first sighting, when percent goes backwards, or when
    /// the job's start time changes (a new RESTORE statement); note when the percent changes.
    fn track(&mut self, now_ms: i64, percent: i32, job_start_ms: Option<i64>) {
        let restart = match self.anchor {
            None => true,
            Some(anchor) => {
                percent < anchor.percent
                    || (job_start_ms.is_some() && anchor.job_start_ms.is_some() && job_start_ms != anchor.job_start_ms)
            }
        };
        if restart {
            self.anchor = Some(Anchor { at_ms: now_ms, percent, job_start_ms });
        }
        let new_level = match self.level {
            None => true,
            Some(level) => restart || level.percent != percent,
        };
        if new_level {
            self.level = Some(Level { percent, since_ms: now_ms });
        }
    }

    /// Remaining time at the measured rate, else at the job's average rate since its start.
    ///
    /// The percent is an integer, so the rate is measured between the first sightings of two
    /// levels, and the progress since the current level was first seen is extrapolated (less than
    /// one percent: the next level has not shown up). A level that lasts longer than the rate
    /// allows lowers the rate to one percent per that duration.
    fn rate_remaining_ms(&self, now_ms: i64, percent: i32, job_start_ms: Option<i64>) -> Option<f64> {
        let to_go = 100.0 - f64::from(percent);
        if let (Some(anchor), Some(level)) = (self.anchor, self.level) {
            let gained = f64::from(percent) - f64::from(anchor.percent);
            let took_ms = level.since_ms.saturating_sub(anchor.at_ms) as f64;
            if gained > 0.0 && took_ms > 0.0 {
                let stuck_ms = now_ms.saturating_sub(level.since_ms).max(0) as f64;
                let measured = gained / took_ms;
                let rate = if stuck_ms > 0.0 { measured.min(1.0 / stuck_ms) } else { measured };
                return Some(((to_go - rate * stuck_ms) / rate).max(0.0));
            }
        }
        let start = job_start_ms.filter(|start| *start < now_ms && percent > 0)?;
        Some(to_go * now_ms.saturating_sub(start) as f64 / f64::from(percent))
    }

    /// The doubling delay for an observation without a usable estimate; the doubling restarts
    /// when the reason changes.
    fn back_off(&mut self, reason: Backoff) -> f64 {
        let streak = match self.backoff {
            Some((previous, streak)) if previous == reason => streak,
            _ => 0,
        };
        self.backoff = Some((reason, streak.saturating_add(1)));
        let base_ms = match reason {
            Backoff::Unknown => self.config.min_delay_ms.saturating_mul(2),
            Backoff::Overdue => self.config.min_delay_ms,
        };
        doubled(base_ms, streak) as f64
    }

    /// `base_ms` ± jitter, clamped to the delay bounds, and never past the deadline.
    fn schedule(&self, now_ms: i64, base_ms: f64, random: f64) -> u64 {
        let spread = self.config.jitter * (2.0 * unit_interval(random) - 1.0);
        let jittered = (base_ms * (1.0 + spread)).max(0.0) as u64; // `as` saturates; NaN → 0
        let delay = jittered.clamp(self.config.min_delay_ms, self.config.max_delay_ms);
        let to_deadline = u64::try_from(self.deadline_ms().saturating_sub(now_ms)).unwrap_or(0);
        delay.min(to_deadline)
    }
}

/// `base × 2^times`, saturating.
fn doubled(base: u64, times: u32) -> u64 {
    base.saturating_mul(2_u64.saturating_pow(times))
}

/// A whole wait replayed against a synthetic timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Simulation {
    pub outcome: Outcome,
    /// Requests made: restore-jobs polls plus database checks.
    pub requests: u32,
    /// Simulated time of the last request (ms since the start).
    pub finished_at_ms: i64,
    /// When each restore-jobs poll happened (ms since the start).
    pub polls_at_ms: Vec<i64>,
}

/// Safety net for [`simulate_trace`]; a finite `max_wait_ms` ends every wait long before.
const MAX_SIMULATED_REQUESTS: u32 = 1_000_000;

/// Runs a wait started at 0 against `timeline(now_ms)` (the job as restore-jobs lists it then, or
/// `None`). The database exists at a check iff `finish_exists` and the job has been listed at some
/// earlier poll (so a timeline that starts unlisted models the listing delay). `random` supplies
/// the jitter draws.
pub fn simulate_trace(
    config: &WaiterConfig,
    timeline: impl Fn(i64) -> Option<JobObservation>,
    finish_exists: bool,
    mut random: impl FnMut() -> f64,
) -> Simulation {
    let mut waiter = Waiter::new(config.clone(), "simulated", 0);
    let mut now_ms = 0_i64;
    let mut requests = 0_u32;
    let mut listed = false;
    let mut polls_at_ms = Vec::new();
    while requests < MAX_SIMULATED_REQUESTS {
        requests = requests.saturating_add(1);
        polls_at_ms.push(now_ms);
        let job = timeline(now_ms);
        listed |= job.is_some();
        let mut step = waiter.observe_jobs(now_ms, job.as_ref(), random());
        if step == Step::CheckDatabase {
            requests = requests.saturating_add(1);
            step = waiter.observe_database(now_ms, finish_exists && listed, random());
        }
        match step {
            Step::Progress { next_poll_in_ms, .. } | Step::Wait { next_poll_in_ms } => {
                now_ms = now_ms.saturating_add(i64::try_from(next_poll_in_ms).unwrap_or(i64::MAX));
            }
            Step::Finished(outcome) => return Simulation { outcome, requests, finished_at_ms: now_ms, polls_at_ms },
            Step::CheckDatabase => {}
        }
    }
    Simulation { outcome: Outcome::Timeout, requests, finished_at_ms: now_ms, polls_at_ms }
}

/// [`simulate_trace`] reduced to `(outcome, requests, finished_at_ms)`.
pub fn simulate(
    config: &WaiterConfig,
    timeline: impl Fn(i64) -> Option<JobObservation>,
    finish_exists: bool,
    random: impl FnMut() -> f64,
) -> (Outcome, u32, i64) {
    let run = simulate_trace(config, timeline, finish_exists, random);
    (run.outcome, run.requests, run.finished_at_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_targets_need_an_instance_id_and_a_database_name() {
        let read = |value: serde_json::Value| {
            let mut issues = Issues::default();
            let target = WaitTarget::from_input(&value, &mut issues);
            (target, issues.errors.iter().map(|i| (i.path.clone(), i.code)).collect::<Vec<_>>())
        };
        let id = "df727477-8991-486c-a3ed-d11d9d9beb1c";
        assert_eq!(
            read(serde_json::json!({ "instanceId": id, "databaseName": "db" })),
            (Some(WaitTarget { instance_id: id.to_owned(), database_name: "db".to_owned() }), vec![])
        );
        assert_eq!(
            read(serde_json::json!({ "instanceId": "x", "databaseName": "" })),
            (
                None,
                vec![("/instanceId".to_owned(), IssueCode::Format), ("/databaseName".to_owned(), IssueCode::Required)]
            )
        );
    }

    #[test]
    fn wait_options_override_the_defaults_or_are_issues() {
        let read = |options: &[(&str, Option<f64>)]| {
            let mut issues = Issues::default();
            let option = |key: &str| options.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
            let config = WaiterConfig::from_options(option, &mut issues);
            (config, issues.errors.iter().map(|i| i.path.clone()).collect::<Vec<_>>())
        };
        assert_eq!(read(&[]), (WaiterConfig::default(), vec![]));
        let (config, errors) = read(&[("maxWaitMs", Some(60_000.0)), ("graceMs", Some(0.0))]);
        assert_eq!((config.max_wait_ms, config.grace_ms, errors.len()), (60_000, 0, 0));
        let (config, errors) = read(&[("minDelayMs", Some(-1.0)), ("maxDelayMs", Some(1.5)), ("graceMs", None)]);
        assert_eq!(config, WaiterConfig::default());
        assert_eq!(errors, vec!["/minDelayMs", "/maxDelayMs", "/graceMs"]);
    }

    #[test]
    fn doubling_saturates() {
        assert_eq!(doubled(2_000, 0), 2_000);
        assert_eq!(doubled(2_000, 3), 16_000);
        assert_eq!(doubled(2_000, 200), u64::MAX);
    }

    #[test]
    fn normalizes_nonsense_settings() {
        let config =
            WaiterConfig { min_delay_ms: 0, max_delay_ms: 0, jitter: f64::NAN, ..WaiterConfig::default() }.normalized();
        assert_eq!((config.min_delay_ms, config.max_delay_ms, config.jitter), (1, 1, 0.0));
        assert_eq!(WaiterConfig { jitter: 7.0, ..WaiterConfig::default() }.normalized().jitter, 1.0);
    }

    #[test]
    fn anchor_restarts_when_percent_goes_back() {
        let mut waiter = Waiter::new(WaiterConfig::default(), "db", 0);
        let job = |percent| JobObservation { percent, start_time_ms: Some(0), estimated_completion_ms: None };
        waiter.observe_jobs(1_000, Some(&job(50)), 0.5);
        waiter.observe_jobs(2_000, Some(&job(10)), 0.5);
        assert_eq!(waiter.anchor.map(|a| (a.at_ms, a.percent)), Some((2_000, 10)));
    }
}
