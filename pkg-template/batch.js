// `client.importMany(rows, options)`: many imports, as people migrating a server do them. Every row
// is validated first (all problems of all rows at once, nothing sent), then preflighted, then
// triggered with at most `concurrency` restores running per instance (STACKIT documents no limit
// on parallel restores; a 409 while another restore runs means "later", not "failed"), followed to
// the end, and summed up per row. Given the records of an earlier run, rows already SUCCEEDED are
// skipped and rows already triggered are followed, never triggered again.
import { ConflictError, ValidationError } from './errors.js';
import { isRecordOf } from './record-target.js';
import { preflightRefusal } from './wasm/sqlserverflex_restore.js';

/** While a 409 says the instance is busy: look again after this, doubling up to the cap. */
const BUSY_FIRST_DELAY_MS = 2_000;
const BUSY_MAX_DELAY_MS = 60_000;

/**
 * @param {import('./api.js').RestoreClient} client
 * @param {object[]} rows  import inputs (as for importFromS3)
 * @param {{ concurrency?: number, preflight?: boolean, force?: boolean, wait?: boolean, records?: object[],
 *   onProgress?: (event: object) => void, signal?: AbortSignal, busyDelayMs?: number } & object} options
 *   the rest (timeoutMs, maxRetries, minDelayMs, maxDelayMs, maxWaitMs, …) goes to each call
 */
export async function importMany(client, rows, options = {}) {
  const {
    concurrency = 1, preflight = true, force = false, wait = true, records = [], onProgress, signal,
    busyDelayMs = BUSY_FIRST_DELAY_MS, ...callOptions
  } = options;
  if (!Array.isArray(rows)) throw new TypeError('importMany: rows must be an array of import inputs');
  if (!(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) {
    throw new RangeError('importMany: concurrency must be a whole number from 1 to 64 (restores per instance at once)');
  }
  if (!Array.isArray(records)) throw new TypeError('importMany: records must be the array an earlier run returned');
  const report = (event) => onProgress?.(event);
  const call = signal ? { ...callOptions, signal } : callOptions;

  // 1. Every row, every problem, before anything is sent.
  const errors = [];
  rows.forEach((row, index) => {
    const checked = client.validateImport(row);
    if (!checked.ok) for (const error of checked.errors) errors.push({ ...error, field: `rows[${index}].${error.field}`, row: index + 1 });
  });
  if (errors.length > 0) {
    const rowsWithProblems = new Set(errors.map((e) => e.row)).size;
    throw new ValidationError(`${errors.length} problem(s) in ${rowsWithProblems} row(s), nothing was sent: ${errors
      .map((e) => `row ${e.row} ${e.field.replace(/^rows\[\d+\]\./, '')}: ${e.message}`).join('; ')}`, { code: 'VALIDATION_ERROR', errors });
  }

  const results = rows.map((row, index) => ({
    row: index + 1, instanceId: row.instanceId, databaseName: row.databaseName, state: 'PENDING',
    durationMs: 0, traceId: null, record: findRecord(records, row), error: null, findings: [],
  }));

  // 2. Earlier runs: finished rows are done, triggered ones are followed.
  for (const result of results) {
    if (result.record?.outcome === 'SUCCEEDED') {
      result.state = 'SUCCEEDED';
      result.skipped = true;
      result.traceId = result.record.traceId ?? null;
      report({ row: result.row, databaseName: result.databaseName, phase: 'skipped', state: 'SUCCEEDED' });
    }
  }

  // 3. Preflight what is still to be triggered.
  if (preflight) {
    for (const [index, result] of results.entries()) {
      if (result.state !== 'PENDING' || result.record) continue;
      if (signal?.aborted) break;
      try {
        const checked = await client.preflight(rows[index], call);
        result.findings = checked.report.findings;
        report({ row: result.row, databaseName: result.databaseName, phase: 'preflight', verdict: checked.report.verdict });
        const refusal = preflightRefusal(checked.report, force);
        if (refusal) {
          result.state = 'REFUSED';
          result.error = `preflight: ${refusal.problems}`;
        }
      } catch (error) {
        if (signal?.aborted) break;
        result.state = 'ERROR';
        result.error = `preflight: ${error.message}`;
      }
    }
  }

  // 4. + 5. Trigger and follow, `concurrency` at a time per instance.
  const byInstance = new Map();
  for (const [index, result] of results.entries()) {
    if (result.state !== 'PENDING') continue;
    const key = result.instanceId.toLowerCase();
    if (!byInstance.has(key)) byInstance.set(key, []);
    byInstance.get(key).push(index);
  }
  const lanes = [];
  for (const queue of byInstance.values()) {
    for (let lane = 0; lane < Math.min(concurrency, queue.length); lane += 1) {
      lanes.push((async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
          if (signal?.aborted) {
            results[next].state = 'ABORTED';
            continue;
          }
          await runRow(client, rows[next], results[next], { call, wait, busyDelayMs, signal, report });
        }
      })());
    }
  }
  await Promise.all(lanes);
  return { rows: results.map(summary), records: results.map((r) => r.record).filter(Boolean) };
}

/** Triggers (unless an earlier run did) and follows one row; never throws: the row says what happened. */
async function runRow(client, input, result, { call, wait, busyDelayMs, signal, report }) {
  const started = Date.now();
  const target = { instanceId: input.instanceId, databaseName: input.databaseName };
  try {
    if (!result.record) {
      const accepted = await triggerWhenFree(client, input, target, { call, busyDelayMs, signal, report, row: result.row });
      if (!accepted) {
        result.state = 'ABORTED';
        return;
      }
      result.record = accepted.record;
      result.traceId = accepted.traceId ?? null;
      report({ row: result.row, databaseName: result.databaseName, phase: 'triggered', traceId: result.traceId, record: result.record });
    } else {
      result.traceId = result.record.traceId ?? null;
      report({ row: result.row, databaseName: result.databaseName, phase: 'resumed', record: result.record });
    }
    if (!wait) {
      result.state = 'RUNNING';
      return;
    }
    const end = await client.waitForRestore(target, {
      ...call,
      resume: result.record,
      onProgress: (event) => report({ row: result.row, databaseName: result.databaseName, phase: 'progress', ...event }),
    });
    result.state = end.state;
    result.record = end.record ?? result.record;
    report({ row: result.row, databaseName: result.databaseName, phase: 'done', state: end.state, record: result.record });
  } catch (error) {
    result.state = signal?.aborted ? 'ABORTED' : 'ERROR';
    result.error = error.message;
    result.traceId ??= error.traceId ?? null;
  } finally {
    result.durationMs = Date.now() - started;
  }
}

/**
 * POSTs the import; a 409 while the instance runs another restore is waited out (the restore-jobs
 * list says whether one runs; a 409 with nothing running is a real conflict and is thrown).
 * Resolves `null` when aborted while waiting.
 */
async function triggerWhenFree(client, input, target, { call, busyDelayMs, signal, report, row }) {
  let delay = busyDelayMs;
  for (;;) {
    try {
      return await client.importFromS3(input, call);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const { runningRestores } = await client.listRestoreJobs({ instanceId: target.instanceId }, call);
      const others = runningRestores.filter((job) => job.databaseName.toLowerCase() !== target.databaseName.toLowerCase());
      if (others.length === 0) throw error;
      report({ row, databaseName: target.databaseName, phase: 'busy', running: others.map((job) => job.databaseName), retryInMs: delay });
      if (!(await sleep(delay, signal))) return null;
      delay = Math.min(delay * 2, BUSY_MAX_DELAY_MS);
    }
  }
}

function findRecord(records, row) {
  return records.find((record) => isRecordOf(record, row)) ?? null;
}

function summary(result) {
  const { row, instanceId, databaseName, state, durationMs, traceId, error, findings, skipped } = result;
  return {
    row, instanceId, databaseName, state: state === 'PENDING' ? 'NOT_STARTED' : state, durationMs, traceId,
    ...(skipped ? { skipped: true } : {}), ...(error ? { error } : {}),
    ...(findings.length > 0 ? { findings: findings.map(({ code, severity, message }) => ({ code, severity, message })) } : {}),
  };
}

/** `true` after `ms`, `false` when `signal` aborts first. */
function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
