// Fault sweep: every client operation × every transport fault of the emulator (429, 423, 425, 503, stall, reset
// before / after processing, malformed body), once (a transient fault) and always (a fault that does
// not go away). Each case completes, or fails with the error class its fault calls for, within a bound
// derived from the client's own short timeouts and backoffs; and the emulator's recording shows that
// a restore trigger reached the service at most once. The single cases are in support/client-cases.mjs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { RestoreClient } from 'sqlserverflex-restore';
import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN, startEmulator } from 'sqlserverflex-restore/emulator';
import { OPERATIONS } from './support/operation-table.mjs';

const TIMEOUT_MS = 200;
const MAX_RETRIES = 2;
const RETRY = { baseDelayMs: 5, maxDelayMs: 20, verifyDelayMs: 20, maxRetryAfterMs: 1_000 };
// Every attempt times out at worst, plus the backoffs and a trigger's checks, plus slack for a slow CI.
const BOUND_MS = (MAX_RETRIES + 1) * 2 * (TIMEOUT_MS + RETRY.maxDelayMs + RETRY.verifyDelayMs) + 3_000;

/** Each fault, and the error a call must end with when the fault never goes away. */
const FAULTS = {
  429: { spec: { kind: 'status', status: 429, retryAfterSeconds: 0 }, persistent: ['RateLimitError', 'TOO_MANY_REQUESTS'] },
  // Locked / Too Early: STACKIT's "busy, not ready yet" — refused before it ran, so retried (the POST too).
  423: { spec: { kind: 'status', status: 423, retryAfterSeconds: 0 }, persistent: ['ApiError', 'LOCKED'] },
  425: { spec: { kind: 'status', status: 425 }, persistent: ['ApiError', 'TOO_EARLY'] },
  503: { spec: { kind: 'status', status: 503 }, persistent: ['ApiError', 'SERVICE_UNAVAILABLE'] },
  stall: { spec: { kind: 'stall' }, persistent: ['TimeoutError', 'TIMEOUT'] },
  'reset before': { spec: { kind: 'reset-before' }, persistent: ['NetworkError', 'NETWORK_ERROR'] },
  'reset after': { spec: { kind: 'reset-after' }, persistent: ['NetworkError', 'NETWORK_ERROR'] },
  'malformed body': { spec: { kind: 'malformed-json' }, persistent: ['ApiError', 'MALFORMED_RESPONSE'] },
};

/**
 * The expected end of a call: `null` for success, else `[error class, code]`. A trigger's answer
 * body is not read, and after a reset once processed the client finds the restore running instead of
 * sending it again, so both end in success however often they happen. A malformed 200 body is
 * not retried (the service answered; reading it again would not help).
 */
function expected(operation, faultName, times) {
  if (operation.trigger && (faultName === 'reset after' || faultName === 'malformed body')) return null;
  if (faultName === 'malformed body' || times === 'always') return FAULTS[faultName].persistent;
  return null;
}

let emulator;
let client;
const ctx = {};
before(async () => {
  emulator = await startEmulator({ port: 0, timeScale: 600 });
  client = new RestoreClient({ projectId: DEFAULT_PROJECT_ID, region: 'eu01', baseUrl: emulator.url, token: DEFAULT_TOKEN, timeoutMs: TIMEOUT_MS, maxRetries: MAX_RETRIES, retry: RETRY });
  ctx.backupId = emulator.state.instances[0].backups[0].id;
});
after(() => emulator?.stop());

async function outcome(operation) {
  let timer;
  const deadline = new Promise((resolve) => { timer = setTimeout(() => resolve({ deadline: true }), BOUND_MS); });
  const run = operation.call(client, {}, ctx).then((value) => ({ value }), (error) => ({ error }));
  try {
    return await Promise.race([run, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** POSTs of this operation that reached the service's handler (faults before handling did not). */
function triggersHandled(operation) {
  return emulator.requests({ operation: operation.emulated, method: 'POST' })
    .filter((r) => !['status', 'stall', 'reset-before'].includes(r.fault)).length;
}

for (const operation of OPERATIONS) {
  describe(operation.name, () => {
    for (const [faultName, fault] of Object.entries(FAULTS)) {
      for (const times of [1, 'always']) {
        test(`${faultName}, ${times === 1 ? 'once' : 'always'}`, async () => {
          emulator.reset();
          emulator.faults.add({ operation: operation.emulated, ...fault.spec, times });
          const result = await outcome(operation);
          assert.equal(result.deadline, undefined, `no answer within ${BOUND_MS} ms`);
          const want = expected(operation, faultName, times);
          if (want === null) {
            assert.equal(result.error, undefined, `expected success, got ${result.error?.name} ${result.error?.code}: ${result.error?.message}`);
          } else {
            assert.ok(result.error instanceof Error, 'expected an error');
            assert.deepEqual([result.error.name, result.error.code], want, result.error.message);
          }
          const sent = emulator.requests({ operation: operation.emulated }).length;
          if (operation.trigger) {
            assert.equal(triggersHandled(operation), want === null ? 1 : 0, 'the trigger reached the service once on success, never on failure');
          } else if (want !== null) {
            // Bounded retries: a malformed answer is final, anything else is tried 1 + maxRetries times.
            assert.equal(sent, faultName === 'malformed body' ? 1 : MAX_RETRIES + 1);
          }
        });
      }
    }
  });
}
