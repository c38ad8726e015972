// The emulated world: instances, their logins/databases/backups and restore jobs.
// Restore jobs advance lazily from the clock on every `settle()` (called before each request),
// so no timers run and a fake clock fully controls the timeline.
//
// Restore semantics (stackit-api.md): there is no job id, final state or history in the API;
// a job is "running" while listed in restore-jobs, and success means the database then exists.
import { normalizeScenario } from './scenario.mjs';
import { formatRestoreJobTime, formatRfc3339 } from './clock.mjs';

/** A failing S3 check ends the job this far in (the service notices unreadable files early). */
const S3_CHECK_FAILS_AT_PERCENT = 2;
const DEFAULT_COLLATION = 'SQL_Latin1_General_CP1_CI_AS';
const DEFAULT_COMPATIBILITY_LEVEL = 160;

export class EmulatorState {
  /**
   * @param {object} deps
   * @param {{now: () => number}} deps.clock
   * @param {number} deps.timeScale            restore time runs this many times faster
   * @param {number} deps.restoreDurationMs    duration of a restore at timeScale 1
   * @param {number} [deps.maxParallelRestores] restores one instance runs at once (default: no limit)
   * @param {null | ((request: object, signal: AbortSignal) => Promise<{ok: boolean, problems: string[]}>)} deps.checkS3Files
   */
  constructor({ clock, timeScale, restoreDurationMs, maxParallelRestores = Infinity, checkS3Files }) {
    this.clock = clock;
    this.maxParallelRestores = maxParallelRestores;
    this.timeScale = timeScale;
    this.restoreDurationMs = restoreDurationMs;
    this.checkS3Files = checkS3Files;
    this.instances = [];
    this.nextRestoreId = 1;
    this.abort = new AbortController();
  }

  /** Replaces the whole world with `scenario` (throws ScenarioError on invalid input). */
  load(scenario) {
    const { instances } = normalizeScenario(scenario, this.clock.now());
    this.abort.abort();
    this.abort = new AbortController();
    this.instances = instances.map((instance) => ({ ...instance, restores: [] }));
    this.nextRestoreId = 1;
  }

  findInstance(projectId, region, instanceId) {
    return this.instances.find((i) => i.projectId === projectId && i.region === region && i.id === instanceId) ?? null;
  }

  hasProject(projectId) {
    return this.instances.some((i) => i.projectId === projectId);
  }

  findDatabase(instance, name) {
    const wanted = name.toLowerCase();
    return instance.databases.find((db) => db.name.toLowerCase() === wanted) ?? null;
  }

  findLogin(instance, username) {
    const wanted = username.toLowerCase();
    return instance.logins.find((login) => login.username.toLowerCase() === wanted) ?? null;
  }

  findRunningRestore(instance, databaseName) {
    const wanted = databaseName.toLowerCase();
    return instance.restores.find((r) => r.status === 'RUNNING' && r.databaseName.toLowerCase() === wanted) ?? null;
  }

  /** How many restores the instance is running now. */
  runningRestoreCount(instance) {
    return instance.restores.filter((r) => r.status === 'RUNNING').length;
  }

  backupsOf(instance, databaseName) {
    const wanted = databaseName.toLowerCase();
    return instance.backups.filter((b) => b.databaseName.toLowerCase() === wanted);
  }

  /**
   * Records an accepted restore. `failure` ({reason, atPercent}, from the `fail-restore` fault)
   * plans a failure and wins over the scenario's restoreOverrides.failRestore for the target name;
   * the override's durationMs always applies.
   */
  startRestore(instance, { databaseName, owner, sourceType, sourceDatabase, restoreDateTime, files = [], s3 = null, traceId, failure = null }) {
    const override = instance.restoreOverrides[databaseName.toLowerCase()];
    const plannedFailure = failure
      ?? (override?.failRestore ? { reason: override.failureReason, atPercent: override.failAtPercent } : null);
    const restore = {
      id: this.nextRestoreId++,
      databaseName,
      owner,
      sourceType,
      sourceDatabase,
      restoreDateTime,
      files: files.map(({ file_number, file_path }) => ({ file_number, file_path })),
      startedMs: this.clock.now(),
      durationMs: (override?.durationMs ?? this.restoreDurationMs) / this.timeScale,
      plannedFailure,
      s3Check: { status: 'SKIPPED', problems: [], done: null },
      status: 'RUNNING',
      endedMs: null,
      failureReason: null,
      traceId,
    };
    if (s3 && this.checkS3Files) this.#startS3Check(restore, s3);
    instance.restores.push(restore);
    return restore;
  }

  #startS3Check(restore, s3) {
    restore.s3Check.status = 'PENDING';
    restore.s3Check.done = this.checkS3Files({ ...s3, files: restore.files }, this.abort.signal)
      .catch((error) => ({ ok: false, problems: [`S3 check failed: ${error.message}`] }))
      .then(({ ok, problems }) => {
        restore.s3Check.status = ok ? 'PASSED' : 'FAILED';
        restore.s3Check.problems = problems;
      });
  }

  /**
   * Moves every restore job forward to the clock's now: finishes due jobs (success or failure).
   * Waits for S3 checks whose result is due, so the outcome never depends on network timing.
   */
  async settle() {
    const now = this.clock.now();
    const dueChecks = this.#runningRestores()
      .filter(({ restore }) => restore.s3Check.status === 'PENDING' && now >= this.#percentTime(restore, S3_CHECK_FAILS_AT_PERCENT))
      .map(({ restore }) => restore.s3Check.done);
    await Promise.all(dueChecks);
    this.settleWithoutWaiting();
  }

  /** Like settle(), but leaves jobs whose S3 check is still running as they are. */
  settleWithoutWaiting() {
    const now = this.clock.now();
    for (const { instance, restore } of this.#runningRestores()) {
      if (restore.s3Check.status === 'PENDING' && now >= this.#percentTime(restore, S3_CHECK_FAILS_AT_PERCENT)) continue;
      const ending = this.#ending(restore);
      if (now >= ending.atMs) this.#finish(instance, restore, ending);
    }
  }

  #runningRestores() {
    return this.instances.flatMap((instance) => instance.restores
      .filter((restore) => restore.status === 'RUNNING')
      .map((restore) => ({ instance, restore })));
  }

  #ending(restore) {
    if (restore.s3Check.status === 'FAILED') {
      return { failed: true, reason: restore.s3Check.problems.join('; '), atMs: this.#percentTime(restore, S3_CHECK_FAILS_AT_PERCENT) };
    }
    if (restore.plannedFailure) {
      return { failed: true, reason: restore.plannedFailure.reason, atMs: this.#percentTime(restore, restore.plannedFailure.atPercent) };
    }
    return { failed: false, atMs: restore.startedMs + restore.durationMs };
  }

  #percentTime(restore, percent) {
    return restore.startedMs + (restore.durationMs * percent) / 100;
  }

  #finish(instance, restore, ending) {
    restore.endedMs = ending.atMs;
    if (ending.failed) {
      restore.status = 'FAILED';
      restore.failureReason = ending.reason;
      return;
    }
    restore.status = 'SUCCEEDED';
    instance.databases.push({
      id: Math.max(0, ...instance.databases.map((db) => db.id)) + 1,
      name: restore.databaseName,
      owner: restore.owner,
      createdMs: ending.atMs,
      collationName: DEFAULT_COLLATION,
      compatibilityLevel: DEFAULT_COMPATIBILITY_LEVEL,
    });
  }

  /** Running jobs of an instance in the API's shape (components.schemas.backup.runningRestore). */
  runningRestoreJobs(instance) {
    const now = this.clock.now();
    return instance.restores
      .filter((r) => r.status === 'RUNNING')
      .map((r) => ({
        command: 'RESTORE DATABASE',
        database_name: r.databaseName,
        start_time: formatRestoreJobTime(r.startedMs),
        estimated_completion_time: formatRestoreJobTime(r.startedMs + r.durationMs),
        percent_complete: percentComplete(r, now),
      }));
  }

  /** Everything, as plain JSON, for tests and GET /_emulator/state. Secrets are never stored. */
  snapshot() {
    const now = this.clock.now();
    return {
      now: new Date(now).toISOString(),
      instances: this.instances.map((instance) => ({
        projectId: instance.projectId,
        region: instance.region,
        id: instance.id,
        name: instance.name,
        state: instance.state,
        logins: instance.logins.map((l) => ({ ...l })),
        databases: instance.databases.map((db) => ({
          id: db.id, name: db.name, owner: db.owner, created: formatRfc3339(db.createdMs),
          collationName: db.collationName, compatibilityLevel: db.compatibilityLevel,
        })),
        backups: instance.backups.map((b) => ({
          id: b.id, databaseName: b.databaseName, name: b.name, type: b.type, size: b.size,
          completionTime: formatRfc3339(b.completionMs), retainedUntil: formatRfc3339(b.retainedUntilMs),
        })),
        restores: instance.restores.map((r) => ({
          id: r.id,
          databaseName: r.databaseName,
          owner: r.owner,
          sourceType: r.sourceType,
          sourceDatabase: r.sourceDatabase ?? null,
          restoreDateTime: r.restoreDateTime ?? null,
          files: r.files,
          status: r.status,
          percentComplete: r.status === 'SUCCEEDED' ? 100 : percentComplete(r, r.endedMs ?? now),
          startTime: new Date(r.startedMs).toISOString(),
          estimatedCompletionTime: new Date(r.startedMs + r.durationMs).toISOString(),
          endTime: r.endedMs === null ? null : new Date(r.endedMs).toISOString(),
          failureReason: r.failureReason,
          s3Check: { status: r.s3Check.status, problems: r.s3Check.problems },
          traceId: r.traceId,
        })),
      })),
    };
  }

  /** Stops background S3 checks (on emulator stop). */
  close() {
    this.abort.abort();
  }
}

function percentComplete(restore, atMs) {
  if (restore.durationMs <= 0) return 99;
  const percent = Math.floor(((atMs - restore.startedMs) / restore.durationMs) * 100);
  return Math.min(99, Math.max(0, percent));
}
