// The asynchronous restore timeline, driven by the manual or an injected clock (no sleeping):
// a job is listed in restore-jobs with advancing percent_complete, then disappears; on success the
// database exists, on failure it does not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestEmulator, s3RestoreBody, START_MS } from './support/helpers.mjs';
import { startEmulator, DEFAULT_EXISTING_DATABASE, DEFAULT_DROPPED_DATABASE, DEFAULT_OWNER_LOGIN, defaultScenario } from '../../pkg-template/emulator/index.mjs';

const MINUTE = 60_000;

async function jobFor(emulator, databaseName) {
  const { json } = await call(emulator, 'GET', 'restore-jobs');
  return json.runningRestores.find((job) => job.database_name === databaseName) ?? null;
}

async function databaseStatus(emulator, databaseName) {
  return (await call(emulator, 'GET', `databases/${databaseName}`)).status;
}

test('a 10-minute restore: 0% → 10% → 50% → 99% → gone, then the database exists', async (t) => {
  const emulator = await startTestEmulator();
  t.after(() => emulator.stop());
  assert.equal((await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'timeline_db' }) })).status, 202);

  const first = await jobFor(emulator, 'timeline_db');
  assert.deepEqual(first, {
    command: 'RESTORE DATABASE',
    database_name: 'timeline_db',
    start_time: '2025-06-02T10:00:00',
    estimated_completion_time: '2025-06-02T10:10:00',
    percent_complete: 0,
  });
  assert.equal(await databaseStatus(emulator, 'timeline_db'), 404);

  emulator.advanceClock(1 * MINUTE);
  assert.equal((await jobFor(emulator, 'timeline_db')).percent_complete, 10);
  emulator.advanceClock(4 * MINUTE);
  assert.equal((await jobFor(emulator, 'timeline_db')).percent_complete, 50);
  emulator.advanceClock(5 * MINUTE - 1);
  const last = await jobFor(emulator, 'timeline_db');
  assert.equal(last.percent_complete, 99);
  assert.equal(last.estimated_completion_time, '2025-06-02T10:10:00');
  assert.equal(await databaseStatus(emulator, 'timeline_db'), 404);

  emulator.advanceClock(1);
  assert.equal(await jobFor(emulator, 'timeline_db'), null);
  const db = await call(emulator, 'GET', 'databases/timeline_db');
  assert.equal(db.status, 200);
  assert.equal(db.json.owner, DEFAULT_OWNER_LOGIN);
  const list = await call(emulator, 'GET', 'databases?sort=database_name.asc');
  assert.deepEqual(list.json.databases.map((d) => d.name), [DEFAULT_EXISTING_DATABASE, 'timeline_db']);
  assert.equal(list.json.databases[1].created, '2025-06-02T10:10:00Z');
  const restore = emulator.state.instances[0].restores[0];
  assert.equal(restore.status, 'SUCCEEDED');
  assert.equal(restore.percentComplete, 100);
  assert.equal(restore.endTime, '2025-06-02T10:10:00.000Z');
});

test('emulator.state is settled at the clock without any HTTP request', async (t) => {
  const emulator = await startTestEmulator();
  t.after(() => emulator.stop());
  await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'quiet_db' }) });
  emulator.advanceClock(3 * MINUTE);
  assert.equal(emulator.state.instances[0].restores[0].percentComplete, 30);
  emulator.advanceClock(7 * MINUTE);
  const instance = emulator.state.instances[0];
  assert.equal(instance.restores[0].status, 'SUCCEEDED');
  assert.ok(instance.databases.some((db) => db.name === 'quiet_db'));
  assert.deepEqual((await emulator.settledState()).instances[0].restores[0].status, 'SUCCEEDED');
});

test('timeScale makes restores run faster; restoreDurationMs sets the base duration', async (t) => {
  const emulator = await startTestEmulator({ timeScale: 60, restoreDurationMs: 20 * MINUTE });
  t.after(() => emulator.stop());
  await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'fast_db' }) });
  assert.equal((await jobFor(emulator, 'fast_db')).estimated_completion_time, '2025-06-02T10:00:20');
  emulator.advanceClock(10_000);
  assert.equal((await jobFor(emulator, 'fast_db')).percent_complete, 50);
  emulator.advanceClock(10_000);
  assert.equal(await jobFor(emulator, 'fast_db'), null);
  assert.equal(await databaseStatus(emulator, 'fast_db'), 200);
});

test('an injected now() drives the timeline too', async (t) => {
  let fakeNow = Date.parse('2030-01-01T00:00:00Z');
  const emulator = await startEmulator({ now: () => fakeNow });
  t.after(() => emulator.stop());
  await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'injected_db' }) });
  assert.equal((await jobFor(emulator, 'injected_db')).start_time, '2030-01-01T00:00:00');
  fakeNow += 6 * MINUTE;
  assert.equal((await jobFor(emulator, 'injected_db')).percent_complete, 60);
  fakeNow += 4 * MINUTE;
  assert.equal(await jobFor(emulator, 'injected_db'), null);
  assert.equal(await databaseStatus(emulator, 'injected_db'), 200);
  assert.throws(() => emulator.advanceClock(1), /not manual/);
});

test('a huge timeScale on the real clock completes at once (no sleeping)', async (t) => {
  const emulator = await startEmulator({ timeScale: 1e12 });
  t.after(() => emulator.stop());
  await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'instant_db' }) });
  assert.equal(await databaseStatus(emulator, 'instant_db'), 200);
});

test('scenario restoreOverrides: failRestore ends the job without a database; failAtPercent and durationMs', async (t) => {
  const scenario = defaultScenario();
  scenario.instances[0].restoreOverrides = {
    broken_db: { failRestore: true, failureReason: 'corrupt backup' },
    early_fail_db: { failRestore: true, failAtPercent: 40 },
    slow_db: { durationMs: 60 * MINUTE },
  };
  const emulator = await startTestEmulator({ scenario });
  t.after(() => emulator.stop());
  for (const name of ['broken_db', 'early_fail_db', 'slow_db']) {
    assert.equal((await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: name }) })).status, 202);
  }
  assert.equal((await jobFor(emulator, 'slow_db')).estimated_completion_time, '2025-06-02T11:00:00');

  emulator.advanceClock(4 * MINUTE - 1);
  assert.equal((await jobFor(emulator, 'early_fail_db')).percent_complete, 39);
  emulator.advanceClock(1);
  assert.equal(await jobFor(emulator, 'early_fail_db'), null, 'fails at 40 %');
  assert.equal(await databaseStatus(emulator, 'early_fail_db'), 404);

  emulator.advanceClock(6 * MINUTE);
  assert.equal(await jobFor(emulator, 'broken_db'), null);
  assert.equal(await databaseStatus(emulator, 'broken_db'), 404);
  assert.equal((await jobFor(emulator, 'slow_db')).percent_complete, 16);

  const restores = emulator.state.instances[0].restores;
  assert.deepEqual(restores.map((r) => [r.databaseName, r.status]), [['broken_db', 'FAILED'], ['early_fail_db', 'FAILED'], ['slow_db', 'RUNNING']]);
  assert.equal(restores[0].failureReason, 'corrupt backup');
  assert.equal(restores[1].percentComplete, 40);

  // After a failure the name is free again: the client can retry.
  assert.equal((await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'early_fail_db' }) })).status, 202);
});

test('the fail-restore fault: the next accepted restore fails, later ones succeed', async (t) => {
  const emulator = await startTestEmulator();
  t.after(() => emulator.stop());
  emulator.faults.add({ operation: 'RestoreDatabaseFromBackup', kind: 'fail-restore', failureReason: 'injected', atPercent: 50 });
  // A rejected request does not consume the fault.
  assert.equal((await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'master' }) })).status, 400);
  await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'doomed_db' }) });
  await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'lucky_db' }) });
  emulator.advanceClock(5 * MINUTE);
  assert.equal(await jobFor(emulator, 'doomed_db'), null);
  assert.equal((await jobFor(emulator, 'lucky_db')).percent_complete, 50);
  emulator.advanceClock(5 * MINUTE);
  assert.equal(await databaseStatus(emulator, 'doomed_db'), 404);
  assert.equal(await databaseStatus(emulator, 'lucky_db'), 200);
  assert.equal(emulator.state.instances[0].restores[0].failureReason, 'injected');
});

test('point-in-time restore creates a new database owned like the source; the source stays', async (t) => {
  const emulator = await startTestEmulator();
  t.after(() => emulator.stop());
  const response = await call(emulator, 'POST', `backups/databases/${DEFAULT_EXISTING_DATABASE}/restores`, {
    body: { name: 'existing_db_copy', restoreDateTime: new Date(START_MS - 30 * MINUTE).toISOString() },
  });
  assert.equal(response.status, 202);
  emulator.advanceClock(10 * MINUTE);
  const copy = await call(emulator, 'GET', 'databases/existing_db_copy');
  assert.equal(copy.status, 200);
  assert.equal(copy.json.owner, DEFAULT_OWNER_LOGIN);
  assert.equal(await databaseStatus(emulator, DEFAULT_EXISTING_DATABASE), 200);
  const restore = emulator.state.instances[0].restores[0];
  assert.equal(restore.sourceType, 'POINT_IN_TIME');
  assert.equal(restore.sourceDatabase, DEFAULT_EXISTING_DATABASE);
});

test('restore from a managed backup (type BACKUP) recreates the dropped database', async (t) => {
  const emulator = await startTestEmulator();
  t.after(() => emulator.stop());
  assert.equal((await call(emulator, 'POST', 'restores', { body: { database_name: DEFAULT_DROPPED_DATABASE, source: { type: 'BACKUP' } } })).status, 202);
  emulator.advanceClock(10 * MINUTE);
  assert.equal(await databaseStatus(emulator, DEFAULT_DROPPED_DATABASE), 200);
});
