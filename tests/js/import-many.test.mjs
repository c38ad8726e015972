// importMany: a plan of many databases against the emulator, which here runs one restore per instance
// at a time (maxParallelRestores: 1) while the plan asks for two: every row validated before anything
// is sent, 409s waited out, every row in the summary, and a run interrupted mid-way completed by a
// second run given the first one's records, without triggering a finished or running row again.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RestoreClient, ValidationError } from 'sqlserverflex-restore';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { clientOptions, importInput, recordedRequests } from './support/fixtures.mjs';

const FAST = { minDelayMs: 50, maxDelayMs: 300, busyDelayMs: 50, preflight: false };
let emulator;
let client;

before(async () => {
  // A 10-minute restore in 1 s, one at a time per instance.
  emulator = await startEmulator({ port: 0, timeScale: 600, maxParallelRestores: 1 });
  client = new RestoreClient(clientOptions(emulator.url));
});
after(() => emulator?.stop());

const plan = (prefix, count) => Array.from({ length: count }, (_, i) => importInput(`${prefix}_${process.pid}_${i + 1}`));
const accepted = async (name) => (await recordedRequests(emulator.url))
  .filter((r) => r.method === 'POST' && r.status === 202 && JSON.stringify(r.body).includes(`"${name}"`)).length;

test('every row is validated first: the problems of two rows together, nothing sent', async () => {
  const rows = plan('invalid', 10);
  rows[2] = { ...rows[2], databaseName: 'master' };
  rows[7] = { ...rows[7], s3: { ...rows[7].s3, files: [] } };
  const before = (await recordedRequests(emulator.url)).length;
  const error = await client.importMany(rows, FAST).then(() => null, (e) => e);
  assert.ok(ValidationError.isInstance(error));
  assert.deepEqual([...new Set(error.errors.map((e) => e.row))], [3, 8]);
  assert.match(error.errors[0].field, /^rows\[2\]\.databaseName$/);
  assert.match(error.message, /in 2 row\(s\), nothing was sent/);
  assert.equal((await recordedRequests(emulator.url)).length, before);
});

test('10 databases with concurrency 2 on an instance that runs one restore at a time: 409s waited out, all SUCCEEDED', async () => {
  const rows = plan('many', 10);
  const events = [];
  const result = await client.importMany(rows, { ...FAST, concurrency: 2, onProgress: (event) => events.push(event) });
  assert.deepEqual(result.rows.map((r) => [r.row, r.databaseName, r.state]), rows.map((r, i) => [i + 1, r.databaseName, 'SUCCEEDED']));
  for (const row of result.rows) {
    assert.match(row.traceId, /^[0-9a-f]{32}$/);
    assert.ok(row.durationMs > 0);
  }
  assert.ok(events.some((e) => e.phase === 'busy'), 'the second lane met the busy instance');
  const refused = (await recordedRequests(emulator.url)).filter((r) => r.method === 'POST' && r.status === 409);
  assert.ok(refused.length > 0, 'the emulator answered 409 while busy');
  for (const row of rows) assert.equal(await accepted(row.databaseName), 1, `${row.databaseName} triggered once`);
  assert.equal(result.records.length, 10);
  assert.ok(result.records.every((r) => r.outcome === 'SUCCEEDED'));
});

test('interrupted mid-way, a second run with the records completes without triggering finished rows again', async () => {
  const rows = plan('resumed', 6);
  const controller = new AbortController();
  let done = 0;
  const first = await client.importMany(rows, {
    ...FAST, concurrency: 2, signal: controller.signal,
    onProgress: (event) => {
      if (event.phase === 'done' && (done += 1) === 2) controller.abort();
    },
  });
  const states = first.rows.map((r) => r.state);
  assert.equal(states.filter((s) => s === 'SUCCEEDED').length, 2, states.join());
  assert.ok(states.some((s) => s === 'ABORTED'), states.join());
  const triggeredFirst = new Set(first.records.map((r) => r.target.databaseName));

  const events = [];
  const second = await client.importMany(rows, { ...FAST, concurrency: 2, records: first.records, onProgress: (e) => events.push(e) });
  assert.deepEqual(second.rows.map((r) => r.state), rows.map(() => 'SUCCEEDED'));
  assert.deepEqual(second.rows.filter((r) => r.skipped).map((r) => r.row), first.rows.filter((r) => r.state === 'SUCCEEDED').map((r) => r.row));
  for (const name of triggeredFirst) {
    const row = second.rows.find((r) => r.databaseName === name);
    assert.ok(row.skipped || events.some((e) => e.phase === 'resumed' && e.databaseName === name), `${name} followed, not triggered again`);
  }
  for (const row of rows) assert.equal(await accepted(row.databaseName), 1, `${row.databaseName} triggered once over both runs`);
});

test('bad options are refused before anything is sent', async () => {
  await assert.rejects(client.importMany({}, FAST), /rows must be an array/);
  await assert.rejects(client.importMany([], { concurrency: 0 }), /concurrency must be a whole number from 1 to 64/);
});
