//! The restore waiter on a fake clock: how often it polls, how soon it notices the end, and how it
//! copes with a late listing, wrong ETAs, progress going backwards, failures and the deadline.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing, clippy::arithmetic_side_effects)]

use sqlserverflex_restore::api::responses::RunningRestore;
use sqlserverflex_restore::waiter::{
    simulate, simulate_trace, JobObservation, Outcome, ProgressEvent, ResumeError, Step, WaitState, Waiter,
    WaiterConfig,
};

const SECOND: i64 = 1_000;
const MINUTE: i64 = 60 * SECOND;

/// Deterministic `[0, 1)` draws (xorshift64*), so every run of a test sees the same jitter.
fn rng(seed: u64) -> impl FnMut() -> f64 {
    let mut state = seed.max(1);
    move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1_u64 << 53) as f64
    }
}

/// A restore listed from `listed_at` until `listed_at + duration`, with linear progress and an
/// accurate ETA.
fn linear(listed_at: i64, duration: i64) -> impl Fn(i64) -> Option<JobObservation> {
    move |now| {
        let running = now - listed_at;
        (0..duration).contains(&running).then(|| JobObservation {
            percent: i32::try_from(running * 100 / duration).unwrap(),
            start_time_ms: Some(listed_at),
            estimated_completion_ms: Some(listed_at + duration),
        })
    }
}

#[test]
fn a_ten_minute_restore_takes_far_fewer_polls_than_fixed_five_second_polling() {
    let config = WaiterConfig::default();
    let end = 3 * SECOND + 10 * MINUTE;
    let run = simulate_trace(&config, linear(3 * SECOND, 10 * MINUTE), true, rng(7));
    assert_eq!(run.outcome, Outcome::Succeeded);
    // 18 restore-jobs polls (two while not yet listed) and 3 database checks (two during the grace
    // period, one at the end) against 120 polls + 1 check for fixed 5-second polling.
    assert_eq!(run.polls_at_ms.len(), 18, "polls at {:?}", run.polls_at_ms);
    assert_eq!(run.requests, 21);
    assert!(run.finished_at_ms >= end);
    assert!(run.finished_at_ms - end <= 3 * SECOND, "noticed {} ms late", run.finished_at_ms - end);
    // Once a minute in the middle, denser towards the end.
    let gaps: Vec<i64> = run.polls_at_ms.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().filter(|gap| **gap >= 50 * SECOND).count() >= 8, "{gaps:?}");
}

#[test]
fn the_schedule_is_deterministic_given_the_random_draws() {
    let config = WaiterConfig::default();
    let a = simulate_trace(&config, linear(0, 10 * MINUTE), true, rng(42));
    let b = simulate_trace(&config, linear(0, 10 * MINUTE), true, rng(42));
    assert_eq!(a, b);
    let (outcome, requests, finished_at) = simulate(&config, linear(0, 10 * MINUTE), true, rng(42));
    assert_eq!((outcome, requests, finished_at), (a.outcome, a.requests, a.finished_at_ms));
}

#[test]
fn the_ten_minute_restore_stays_cheap_and_prompt_for_any_jitter() {
    let config = WaiterConfig::default();
    let end = 3 * SECOND + 10 * MINUTE;
    for seed in 1..=200 {
        let run = simulate_trace(&config, linear(3 * SECOND, 10 * MINUTE), true, rng(seed));
        assert_eq!(run.outcome, Outcome::Succeeded);
        assert!((19..=24).contains(&run.requests), "seed {seed}: {} requests", run.requests);
        assert!((0..=3 * SECOND).contains(&(run.finished_at_ms - end)), "seed {seed}: {}", run.finished_at_ms);
    }
}

/// The timeline of [`linear`] with the job fields changed by `edit(now, job)`.
fn edited(
    duration: i64,
    edit: impl Fn(i64, JobObservation) -> JobObservation,
) -> impl Fn(i64) -> Option<JobObservation> {
    move |now| linear(0, duration)(now).map(|job| edit(now, job))
}

/// How long after `end` the wait noticed it.
fn lateness(run_finished_at: i64, end: i64) -> i64 {
    assert!(run_finished_at >= end, "finished at {run_finished_at}, before the end at {end}");
    run_finished_at - end
}

#[test]
fn an_eta_that_is_too_early_and_then_jumps_does_not_confuse_it() {
    // The service first claims 2 minutes, then after 5 minutes the true 10.
    let timeline = edited(10 * MINUTE, |now, job| JobObservation {
        estimated_completion_ms: Some(if now < 5 * MINUTE { 2 * MINUTE } else { 10 * MINUTE }),
        ..job
    });
    let run = simulate_trace(&WaiterConfig::default(), timeline, true, rng(3));
    assert_eq!(run.outcome, Outcome::Succeeded);
    assert!(run.requests <= 22, "{} requests: {:?}", run.requests, run.polls_at_ms);
    assert!(lateness(run.finished_at_ms, 10 * MINUTE) <= 3 * SECOND);
}

#[test]
fn times_read_in_the_wrong_zone_do_not_confuse_it() {
    // The zone-less API times read as UTC although they were two hours ahead, or behind.
    for shift in [2 * 60 * MINUTE, -2 * 60 * MINUTE] {
        let timeline = edited(10 * MINUTE, move |_, job| JobObservation {
            start_time_ms: Some(shift),
            estimated_completion_ms: Some(10 * MINUTE + shift),
            ..job
        });
        let run = simulate_trace(&WaiterConfig::default(), timeline, true, rng(3));
        assert_eq!(run.outcome, Outcome::Succeeded);
        assert!(run.requests <= 22, "shift {shift}: {} requests: {:?}", run.requests, run.polls_at_ms);
        assert!(lateness(run.finished_at_ms, 10 * MINUTE) <= 3 * SECOND, "shift {shift}");
    }
}

#[test]
fn an_eta_that_always_says_soon_costs_a_few_polls_not_hundreds() {
    let timeline =
        edited(10 * MINUTE, |now, job| JobObservation { estimated_completion_ms: Some(now + 5 * SECOND), ..job });
    let run = simulate_trace(&WaiterConfig::default(), timeline, true, rng(3));
    assert_eq!(run.outcome, Outcome::Succeeded);
    assert!(run.requests <= 45, "{} requests (a poll per min delay would be 300)", run.requests);
    assert!(lateness(run.finished_at_ms, 10 * MINUTE) <= 3 * SECOND);
}

#[test]
fn long_restores_poll_once_a_minute_and_still_end_promptly() {
    let four_hours = 4 * 60 * MINUTE;
    let run = simulate_trace(&WaiterConfig::default(), linear(0, four_hours), true, rng(3));
    assert_eq!(run.outcome, Outcome::Succeeded);
    assert!(run.requests <= 250, "{} requests (fixed 5 s polling: 2880)", run.requests);
    assert!(lateness(run.finished_at_ms, four_hours) <= 5 * SECOND);
    let without_eta = edited(four_hours, |_, job| JobObservation { estimated_completion_ms: None, ..job });
    let run = simulate_trace(&WaiterConfig::default(), without_eta, true, rng(3));
    assert!(lateness(run.finished_at_ms, four_hours) <= 10 * SECOND, "the integer percent alone is coarser");
}

fn no_jitter() -> WaiterConfig {
    WaiterConfig { jitter: 0.0, ..WaiterConfig::default() }
}

fn job(percent: i32) -> JobObservation {
    JobObservation { percent, start_time_ms: None, estimated_completion_ms: None }
}

fn delay(step: &Step) -> u64 {
    match step {
        Step::Progress { next_poll_in_ms, .. } | Step::Wait { next_poll_in_ms } => *next_poll_in_ms,
        other => panic!("expected a delay, got {other:?}"),
    }
}

#[test]
fn without_eta_or_measurable_progress_it_backs_off_from_twice_the_minimum() {
    let mut waiter = Waiter::new(no_jitter(), "db", 0);
    let mut now = 0;
    let mut delays = Vec::new();
    for _ in 0..7 {
        let step = waiter.observe_jobs(now, Some(&job(0)), 0.5);
        delays.push(delay(&step));
        now += i64::try_from(delay(&step)).unwrap();
    }
    assert_eq!(delays, [4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
}

#[test]
fn the_first_observation_uses_the_eta_or_the_average_since_start() {
    let mut waiter = Waiter::new(no_jitter(), "db", 0);
    let step =
        waiter.observe_jobs(0, Some(&JobObservation { estimated_completion_ms: Some(20 * SECOND), ..job(0) }), 0.5);
    assert_eq!(delay(&step), 10_000, "half the ETA");
    let mut waiter = Waiter::new(no_jitter(), "db", 0);
    // 30 % in 30 s since the job's start: 70 s to go.
    let step = waiter.observe_jobs(30 * SECOND, Some(&JobObservation { start_time_ms: Some(0), ..job(30) }), 0.5);
    assert_eq!(delay(&step), 35_000);
    match step {
        Step::Progress { event, .. } => {
            assert_eq!(
                event,
                ProgressEvent {
                    percent: 30,
                    estimated_completion_ms: Some(100 * SECOND),
                    started_at_ms: Some(0),
                    elapsed_ms: 30_000
                }
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_job_still_listed_after_its_estimated_end_is_polled_with_a_growing_gap() {
    // 100 % but still listed (database recovery): min delay, doubling.
    let mut waiter = Waiter::new(no_jitter(), "db", 0);
    let mut now = 0;
    waiter.observe_jobs(now, Some(&job(50)), 0.5);
    now += 60 * SECOND;
    let mut delays = Vec::new();
    for _ in 0..7 {
        let step = waiter.observe_jobs(now, Some(&job(100)), 0.5);
        delays.push(delay(&step));
        now += i64::try_from(delay(&step)).unwrap();
    }
    assert_eq!(delays, [2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
}

#[test]
fn percent_going_backwards_is_reported_and_tolerated() {
    // Two RESTORE phases: 0 → 60 % in five minutes, then 0 → 100 % in the next five.
    let timeline = |now: i64| {
        if now < 5 * MINUTE {
            linear(0, 5 * MINUTE)(now).map(|job| JobObservation { percent: job.percent * 6 / 10, ..job })
        } else {
            linear(5 * MINUTE, 5 * MINUTE)(now)
        }
    };
    let run = simulate_trace(&WaiterConfig::default(), timeline, true, rng(3));
    assert_eq!(run.outcome, Outcome::Succeeded);
    assert!(lateness(run.finished_at_ms, 10 * MINUTE) <= 3 * SECOND);
    assert!(run.requests <= 22, "{}", run.requests);

    let mut waiter = Waiter::new(no_jitter(), "db", 0);
    waiter.observe_jobs(0, Some(&job(50)), 0.5);
    waiter.observe_jobs(60 * SECOND, Some(&job(60)), 0.5);
    let step = waiter.observe_jobs(120 * SECOND, Some(&job(10)), 0.5);
    match step {
        Step::Progress { event, next_poll_in_ms } => {
            assert_eq!(event.percent, 10);
            assert_eq!(next_poll_in_ms, 4_000, "the rate is measured afresh");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn percent_outside_0_to_100_is_clamped_in_the_event() {
    let mut waiter = Waiter::new(no_jitter(), "db", 0);
    let percent = |step: Step| match step {
        Step::Progress { event, .. } => event.percent,
        other => panic!("{other:?}"),
    };
    assert_eq!(percent(waiter.observe_jobs(0, Some(&job(-5)), 0.5)), 0);
    assert_eq!(percent(waiter.observe_jobs(1, Some(&job(150)), 0.5)), 100);
}

#[test]
fn a_job_not_listed_yet_is_tolerated_during_the_grace_period() {
    let mut waiter = Waiter::new(no_jitter(), "db", 0);
    let mut now = 0;
    let mut waits = Vec::new();
    loop {
        assert_eq!(waiter.observe_jobs(now, None, 0.5), Step::CheckDatabase);
        match waiter.observe_database(now, false, 0.5) {
            Step::Wait { next_poll_in_ms } => {
                waits.push(now);
                now += i64::try_from(next_poll_in_ms).unwrap();
            }
            Step::Finished(outcome) => {
                assert_eq!(outcome, Outcome::Failed);
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(waits, [0, 2_000, 6_000, 14_000], "min delay, doubling, for 30 s");
    assert_eq!(now, 30_000);

    // Listed after 20 s: no failure, the restore is followed to its end.
    let timeline = |now: i64| linear(20 * SECOND, 5 * MINUTE)(now);
    let run = simulate_trace(&WaiterConfig::default(), timeline, true, rng(5));
    assert_eq!(run.outcome, Outcome::Succeeded);
    assert!(lateness(run.finished_at_ms, 20 * SECOND + 5 * MINUTE) <= 3 * SECOND);
}

#[test]
fn the_grace_period_covers_at_least_two_checks_however_late_they_come() {
    let mut waiter = Waiter::new(no_jitter(), "db", 0);
    for now in [40 * SECOND, 42 * SECOND] {
        assert_eq!(waiter.observe_jobs(now, None, 0.5), Step::CheckDatabase);
        assert!(matches!(waiter.observe_database(now, false, 0.5), Step::Wait { .. }));
    }
    assert_eq!(waiter.observe_jobs(46 * SECOND, None, 0.5), Step::CheckDatabase);
    assert_eq!(waiter.observe_database(46 * SECOND, false, 0.5), Step::Finished(Outcome::Failed));
}

#[test]
fn a_restore_done_before_the_first_poll_succeeds() {
    let mut waiter = Waiter::new(WaiterConfig::default(), "db", 0);
    assert_eq!(waiter.observe_jobs(0, None, 0.5), Step::CheckDatabase);
    assert_eq!(waiter.observe_database(0, true, 0.5), Step::Finished(Outcome::Succeeded));
}

#[test]
fn a_job_gone_without_its_database_has_failed() {
    let run = simulate_trace(&WaiterConfig::default(), linear(0, 10 * MINUTE), false, rng(9));
    assert_eq!(run.outcome, Outcome::Failed);
    assert!(lateness(run.finished_at_ms, 10 * MINUTE) <= 3 * SECOND);

    let mut waiter = Waiter::new(WaiterConfig::default(), "db", 0);
    waiter.observe_jobs(0, Some(&job(10)), 0.5);
    assert_eq!(waiter.observe_jobs(5_000, None, 0.5), Step::CheckDatabase);
    assert_eq!(waiter.observe_database(5_000, false, 0.5), Step::Finished(Outcome::Failed), "no grace once seen");
}

#[test]
fn it_times_out_at_max_wait_without_polling_past_it() {
    let config = WaiterConfig { max_wait_ms: 5 * 60 * 1_000, ..WaiterConfig::default() };
    for seed in 1..=50 {
        let run = simulate_trace(&config, linear(0, 10 * MINUTE), true, rng(seed));
        assert_eq!(run.outcome, Outcome::Timeout);
        assert_eq!(run.finished_at_ms, 5 * MINUTE, "seed {seed}");
        assert!(run.polls_at_ms.iter().all(|at| *at <= 5 * MINUTE));
    }
    // Never listed and no grace left before the deadline: TIMEOUT, not FAILED.
    let short = WaiterConfig { max_wait_ms: 10_000, ..no_jitter() };
    let (outcome, _, finished_at) = simulate(&short, |_| None, false, || 0.5);
    assert_eq!((outcome, finished_at), (Outcome::Timeout, 10_000));
}

#[test]
fn a_job_gone_at_the_deadline_is_still_settled_by_the_database() {
    let mut waiter = Waiter::new(WaiterConfig { max_wait_ms: 60_000, ..WaiterConfig::default() }, "db", 0);
    waiter.observe_jobs(0, Some(&job(10)), 0.5);
    assert_eq!(waiter.observe_jobs(60_000, None, 0.5), Step::CheckDatabase);
    assert_eq!(waiter.observe_database(60_000, true, 0.5), Step::Finished(Outcome::Succeeded));
    let mut waiter = Waiter::new(WaiterConfig { max_wait_ms: 60_000, ..WaiterConfig::default() }, "db", 0);
    assert_eq!(waiter.observe_jobs(60_000, Some(&job(90)), 0.5), Step::Finished(Outcome::Timeout));
}

#[test]
fn check_timeout_and_finished_is_final() {
    let mut waiter = Waiter::new(WaiterConfig { max_wait_ms: 1_000, ..WaiterConfig::default() }, "db", 500);
    assert_eq!(waiter.deadline_ms(), 1_500);
    assert_eq!(waiter.check_timeout(1_499), None);
    assert_eq!(waiter.check_timeout(1_500), Some(Step::Finished(Outcome::Timeout)));
    assert_eq!(waiter.outcome(), Some(Outcome::Timeout));
    assert_eq!(waiter.observe_jobs(2_000, None, 0.5), Step::Finished(Outcome::Timeout));
    assert_eq!(waiter.observe_database(2_000, true, 0.5), Step::Finished(Outcome::Timeout));
    let mut waiter = Waiter::new(WaiterConfig { max_wait_ms: u64::MAX, ..WaiterConfig::default() }, "db", 1);
    assert_eq!(waiter.deadline_ms(), i64::MAX);
    assert_eq!(waiter.check_timeout(i64::MAX - 1), None);
}

#[test]
fn delays_stay_within_bounds_for_any_input() {
    let configs = [
        WaiterConfig::default(),
        WaiterConfig {
            min_delay_ms: 500,
            max_delay_ms: 5_000,
            jitter: 1.0,
            max_wait_ms: 20 * 60 * 1_000,
            ..WaiterConfig::default()
        },
        WaiterConfig { min_delay_ms: 0, max_delay_ms: 0, ..WaiterConfig::default() },
        WaiterConfig { jitter: f64::NAN, max_delay_ms: 1, ..WaiterConfig::default() },
    ];
    let odd_randoms = [0.0, 0.999_999, 1.0, -1.0, 5.0, f64::NAN, f64::INFINITY];
    for config in &configs {
        let used = config.normalized();
        for seed in 1..=40_u64 {
            let mut random = rng(seed);
            let mut waiter = Waiter::new(config.clone(), "db", 1_000);
            let mut now = 1_000;
            let mut steps = 0;
            loop {
                steps += 1;
                assert!(steps < 100_000, "did not end");
                let draw = if steps % 5 == 0 { odd_randoms[(steps / 5) % odd_randoms.len()] } else { random() };
                // A wild job: random percent jumps, ETAs in the past and future, missing fields.
                let pick = random();
                let observation = JobObservation {
                    percent: (random() * 130.0) as i32 - 15,
                    start_time_ms: (pick < 0.8).then_some(now - (random() * 1e7) as i64),
                    estimated_completion_ms: (pick > 0.3).then_some(now + (random() * 2e7) as i64 - 5_000_000),
                };
                let listed = now - 1_000 < 25 * MINUTE && random() < 0.97;
                let mut step = waiter.observe_jobs(now, listed.then_some(&observation), draw);
                if step == Step::CheckDatabase {
                    step = waiter.observe_database(now, random() < 0.5, draw);
                }
                match step {
                    Step::Progress { next_poll_in_ms, .. } | Step::Wait { next_poll_in_ms } => {
                        let to_deadline = u64::try_from(waiter.deadline_ms() - now).unwrap();
                        assert!(next_poll_in_ms > 0);
                        assert!(next_poll_in_ms <= used.max_delay_ms);
                        assert!(
                            next_poll_in_ms >= used.min_delay_ms || next_poll_in_ms == to_deadline,
                            "{next_poll_in_ms} at {now}"
                        );
                        assert!(next_poll_in_ms <= to_deadline);
                        now += i64::try_from(next_poll_in_ms).unwrap();
                    }
                    Step::Finished(_) => break,
                    Step::CheckDatabase => panic!("asked twice"),
                }
            }
        }
    }
}

#[test]
fn serializes_for_js() {
    let event = ProgressEvent { percent: 42, estimated_completion_ms: Some(5), started_at_ms: None, elapsed_ms: 7 };
    assert_eq!(
        serde_json::to_value(event).unwrap(),
        serde_json::json!({"percent":42,"estimatedCompletionMs":5,"startedAtMs":null,"elapsedMs":7})
    );
    for (outcome, text) in
        [(Outcome::Succeeded, "SUCCEEDED"), (Outcome::Failed, "FAILED"), (Outcome::Timeout, "TIMEOUT")]
    {
        assert_eq!(serde_json::to_value(outcome).unwrap(), serde_json::json!(text));
        assert_eq!(outcome.as_str(), text);
    }
    assert_eq!(
        serde_json::to_value(Step::Progress { event, next_poll_in_ms: 3 }).unwrap(),
        serde_json::json!({"progress":{"event":serde_json::to_value(event).unwrap(),"nextPollInMs":3}})
    );
    // A state's settings may leave fields out: they take the defaults.
    let mut state = serde_json::to_value(Waiter::new(WaiterConfig::default(), "db", 0).state()).unwrap();
    state["config"] = serde_json::json!({"maxWaitMs":60000,"minDelayMs":1000});
    let config = WaitState::from_json(&state, "").unwrap().config;
    assert_eq!(config, WaiterConfig { max_wait_ms: 60_000, min_delay_ms: 1_000, ..WaiterConfig::default() });
    let defaults = WaiterConfig::default();
    assert_eq!(
        (defaults.min_delay_ms, defaults.max_delay_ms, defaults.max_wait_ms, defaults.jitter),
        (2_000, 60_000, 21_600_000, 0.1)
    );
    assert_eq!((defaults.grace_ms, defaults.grace_observations), (30_000, 2));
}

#[test]
fn reads_a_running_restore_from_the_api() {
    let running = RunningRestore {
        command: "RESTORE DATABASE".into(),
        database_name: "db".into(),
        estimated_completion_time: "2023-09-25T12:27:30".into(),
        percent_complete: 42,
        start_time: "2023-09-25T12:17:30".into(),
    };
    assert_eq!(
        JobObservation::from(&running),
        JobObservation {
            percent: 42,
            start_time_ms: Some(1_695_644_250_000),
            estimated_completion_ms: Some(1_695_644_850_000)
        }
    );
    let garbled = RunningRestore { start_time: "soon".into(), ..running };
    assert_eq!(JobObservation::from(&garbled).start_time_ms, None);
}

/// Drives a wait like `simulate_trace`, but as separate invocations: after every step the waiter is
/// dropped and the next observation continues from its state sent through JSON (as `checkRestore`'s
/// `resume` travels between serverless invocations). Returns the steps and the final state.
fn run_resumed(
    config: &WaiterConfig,
    timeline: impl Fn(i64) -> Option<JobObservation>,
    mut random: impl FnMut() -> f64,
) -> (Vec<Step>, WaitState) {
    let mut state = Waiter::new(config.clone(), "sales", 0).state();
    let mut now = 0_i64;
    let mut listed = false;
    let mut steps = Vec::new();
    for _ in 0..10_000 {
        let json = serde_json::to_string(&state).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let mut waiter = Waiter::resume(WaitState::from_json(&value, "resume").unwrap(), "sales").unwrap();
        let job = timeline(now);
        listed |= job.is_some();
        let mut step = waiter.observe_jobs(now, job.as_ref(), random());
        if step == Step::CheckDatabase {
            step = waiter.observe_database(now, listed, random());
        }
        steps.push(step.clone());
        state = waiter.state();
        match step {
            Step::Progress { next_poll_in_ms, .. } | Step::Wait { next_poll_in_ms } => now += next_poll_in_ms as i64,
            _ => break,
        }
    }
    (steps, state)
}

#[test]
fn a_wait_resumed_from_json_after_every_poll_keeps_the_same_schedule() {
    let config = WaiterConfig::default();
    let whole = simulate_trace(&config, linear(3 * SECOND, 10 * MINUTE), true, rng(7));
    let (steps, state) = run_resumed(&config, linear(3 * SECOND, 10 * MINUTE), rng(7));
    assert_eq!(steps.last(), Some(&Step::Finished(Outcome::Succeeded)));
    assert_eq!(steps.len(), whole.polls_at_ms.len(), "one step per restore-jobs poll, as in one process");
    assert_eq!(state.polls as usize, whole.polls_at_ms.len(), "the poll count carries over");
    // The same times: the rate measurement and the grace period travelled in the state.
    let mut at = 0_i64;
    let mut times = vec![0_i64];
    for step in &steps {
        if let Step::Progress { next_poll_in_ms, .. } | Step::Wait { next_poll_in_ms } = step {
            at += *next_poll_in_ms as i64;
            times.push(at);
        }
    }
    assert_eq!(times, whole.polls_at_ms);
}

#[test]
fn a_resumed_wait_that_never_sees_its_job_fails_after_the_same_grace() {
    let config = WaiterConfig::default();
    let (steps, _) = run_resumed(&config, |_| None, rng(3));
    let whole = simulate_trace(&config, |_| None, false, rng(3));
    assert_eq!(whole.outcome, Outcome::Failed);
    assert_eq!(steps.last(), Some(&Step::Finished(Outcome::Failed)));
    assert_eq!(steps.len(), whole.polls_at_ms.len());
}

#[test]
fn the_state_is_plain_json_naming_what_it_is() {
    let mut waiter = Waiter::new(WaiterConfig::default(), "sales", 1_000);
    waiter.observe_jobs(5_000, Some(&job(40)), 0.5);
    let json = serde_json::to_value(waiter.state()).unwrap();
    assert_eq!(json["kind"], "sqlserverflex-restore/wait");
    assert_eq!(json["v"], 1);
    assert_eq!(json["databaseName"], "sales");
    assert_eq!(json["startedMs"], 1_000);
    assert_eq!(json["polls"], 1);
    assert_eq!(json["level"]["percent"], 40);
    assert_eq!(json["config"]["minDelayMs"], 2_000);
}

#[test]
fn a_foreign_or_mismatched_state_is_refused_by_name() {
    let state = Waiter::new(WaiterConfig::default(), "sales", 0).state();
    assert_eq!(
        Waiter::resume(state.clone(), "hr").unwrap_err(),
        ResumeError::OtherDatabase { expected: "hr".into(), found: "sales".into() }
    );
    assert_eq!(Waiter::resume(state.clone(), "hr").unwrap_err().to_string(), "follows the restore of sales, not of hr");
    let mut other_kind = state.clone();
    other_kind.kind = "sqlserverflex-restore/record".into();
    assert_eq!(Waiter::resume(other_kind, "sales").unwrap_err(), ResumeError::NotAWaitState);
    let mut newer = state;
    newer.v = 2;
    assert!(Waiter::resume(newer, "sales").unwrap_err().to_string().contains("is not the `resume` value"));
    // Unknown fields are refused: a changed state is not silently half-read.
    let mut json = serde_json::to_value(Waiter::new(WaiterConfig::default(), "sales", 0).state()).unwrap();
    json["token"] = serde_json::json!("x");
    assert_eq!(WaitState::from_json(&json, "resume").unwrap_err(), "`resume.token` is not a known field");
    json.as_object_mut().unwrap().remove("token");
    json["level"] = serde_json::json!({ "percent": 1.5, "sinceMs": 0 });
    assert_eq!(
        WaitState::from_json(&json, "resume").unwrap_err(),
        "`resume.level.percent` must be a whole number in range"
    );
    json["level"] = serde_json::Value::Null;
    json["outcome"] = serde_json::json!("DONE");
    assert!(WaitState::from_json(&json, "").unwrap_err().starts_with("`outcome` must be one of SUCCEEDED, FAILED"));
}

#[test]
fn a_finished_state_stays_finished() {
    let mut waiter = Waiter::new(WaiterConfig::default(), "sales", 0);
    waiter.observe_jobs(0, None, 0.5);
    waiter.observe_database(0, true, 0.5);
    let mut resumed = Waiter::resume(waiter.state(), "sales").unwrap();
    assert_eq!(resumed.outcome(), Some(Outcome::Succeeded));
    assert_eq!(resumed.observe_jobs(9_000, Some(&job(10)), 0.5), Step::Finished(Outcome::Succeeded));
    assert_eq!(resumed.polls(), 1, "a finished wait counts no further polls");
}
