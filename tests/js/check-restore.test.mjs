// checkRestore: one poll per call, for functions that live shorter than a restore. A restore followed
// by three separate client instances (as three serverless invocations would), each given only the
// previous result's `resume` or the record, ends like one `waitForRestore` of the same restore, with
// a similar number of polls; a finished record costs no request; a foreign state is refused by name.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { RestoreClient, ValidationError } from 'sqlserverflex-restore';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { INSTANCE_ID, S3_SECRET, TOKEN, clientOptions, importInput, recordedRequests, uniqueDatabase } from './support/fixtures.mjs';

const SCHEDULE = { minDelayMs: 100, maxDelayMs: 1_000 };
let emulator;

before(async () => {
  // A 10-minute restore in 5 s.
  emulator = await startEmulator({ port: 0, timeScale: 120 });
});
after(() => emulator?.stop());

const target = (databaseName) => ({ instanceId: INSTANCE_ID, databaseName });
const sleepUntil = (date) => new Promise((resolve) => setTimeout(resolve, Math.max(0, date.getTime() - Date.now())));

/** Follows a restore with a new client per poll, carrying only `resume` (or the record) between them. */
async function followAcrossInvocations(databaseName, start, { clients = 3 } = {}) {
  let state = start;
  const seen = [];
  for (let poll = 0; poll < 500; poll += 1) {
    const client = new RestoreClient(clientOptions(emulator.url)); // a fresh "invocation"
    const result = await client.checkRestore(target(databaseName), JSON.parse(JSON.stringify(state)), SCHEDULE);
    seen.push(result.state);
    if (['SUCCEEDED', 'FAILED', 'TIMEOUT'].includes(result.state)) return { result, seen, clients };
    state = result.record ?? result.resume;
    await sleepUntil(result.nextCheckAt);
  }
  throw new Error('no final state');
}

test('a restore followed by separate client instances via `resume` ends like one waitForRestore, with similar polls', async () => {
  const client = new RestoreClient(clientOptions(emulator.url));
  const [one, other] = [uniqueDatabase('check_wait'), uniqueDatabase('check_resume')];
  const [acceptedOne, acceptedOther] = await Promise.all([client.importFromS3(importInput(one)), client.importFromS3(importInput(other))]);
  const [waited, followed] = await Promise.all([
    client.waitForRestore(target(one), { ...SCHEDULE, resume: acceptedOne.record }),
    // Only `resume` travels: the first check starts from the record's, each later one from the last result's.
    followAcrossInvocations(other, acceptedOther.record.resume),
  ]);
  assert.equal(waited.state, 'SUCCEEDED');
  assert.equal(followed.result.state, 'SUCCEEDED');
  assert.equal(followed.result.percent, 100);
  assert.equal(followed.result.database.name, other);
  assert.equal(followed.result.nextCheckAt, null);
  assert.ok(followed.seen.includes('RUNNING'));
  const [a, b] = [waited.polls, followed.result.polls];
  assert.ok(Math.abs(a - b) <= Math.max(3, 0.5 * Math.max(a, b)), `similar polls: waitForRestore ${a}, checkRestore ${b}`);
  assert.ok(b >= 3, 'followed over at least three invocations');
});

test('a record carries over: checkRestore updates it to the outcome; a finished record costs no request', async () => {
  const client = new RestoreClient(clientOptions(emulator.url));
  const databaseName = uniqueDatabase('check_record');
  const accepted = await client.importFromS3(importInput(databaseName));
  const { record } = accepted;
  assert.equal(record.kind, 'sqlserverflex-restore/record');
  assert.deepEqual(record.target, { projectId: clientOptions('').projectId, region: 'eu01', instanceId: INSTANCE_ID, databaseName });
  assert.equal(record.traceId, accepted.traceId);
  assert.equal(record.loggingGuid, accepted.loggingGuid);
  assert.match(record.inputFingerprint, /^sha256:[0-9a-f]{64}$/);
  assert.equal(record.outcome, null);
  const text = JSON.stringify(record);
  for (const secret of [S3_SECRET, TOKEN, 'AKIAEXAMPLE']) assert.ok(!text.includes(secret), `no ${secret} in the record`);

  const { result } = await followAcrossInvocations(databaseName, record);
  assert.equal(result.record.outcome, 'SUCCEEDED');
  assert.equal(result.record.polls, result.polls);
  assert.equal(result.record.acceptedAt, record.acceptedAt);

  const before = (await recordedRequests(emulator.url)).length;
  const final = await new RestoreClient(clientOptions(emulator.url)).checkRestore(target(databaseName), result.record);
  assert.equal(final.state, 'SUCCEEDED');
  assert.equal((await recordedRequests(emulator.url)).length, before, 'a finished wait is answered from the record');
});

test('a failed restore is followed to FAILED', async () => {
  const client = new RestoreClient(clientOptions(emulator.url));
  const databaseName = uniqueDatabase('check_fail');
  emulator.faults.add({ operation: 'RestoreDatabaseFromBackup', kind: 'fail-restore', atPercent: 20 });
  const accepted = await client.importFromS3(importInput(databaseName));
  const { result } = await followAcrossInvocations(databaseName, accepted.record);
  assert.equal(result.state, 'FAILED');
  assert.equal(result.record.outcome, 'FAILED');
});

test('right after the trigger a restore not listed yet is NOT_STARTED; a foreign or mismatched state is refused by name', async () => {
  const client = new RestoreClient(clientOptions(emulator.url));
  const fresh = await client.checkRestore(target(uniqueDatabase('never_triggered')));
  assert.equal(fresh.state, 'NOT_STARTED', 'within the grace period nothing is concluded');
  assert.ok(fresh.nextCheckInMs > 0);
  assert.equal(fresh.resume.kind, 'sqlserverflex-restore/wait');

  const refused = async (state, pattern, name = 'sales') => {
    const error = await client.checkRestore(target(name), state).then(() => null, (e) => e);
    assert.ok(ValidationError.isInstance(error), `${JSON.stringify(state).slice(0, 60)} refused`);
    assert.equal(error.errors[0].field, 'state');
    assert.match(error.errors[0].message, pattern);
  };
  await refused({ kind: 'something-else' }, /is not the `resume` value/);
  await refused(fresh.resume, /follows the restore of never_triggered_\d+_\d+, not of sales/);
  const accepted = await client.importFromS3(importInput(uniqueDatabase('check_other')));
  const sameInstance = await client.checkRestore(target(accepted.record.target.databaseName), accepted.record);
  assert.ok(['NOT_STARTED', 'RUNNING', 'SUCCEEDED'].includes(sameInstance.state));
  const otherInstance = { ...accepted.record, target: { ...accepted.record.target, instanceId: '33333333-3333-4333-8333-333333333333' } };
  await refused(otherInstance, /is the record of a restore on instance 33333333/, accepted.record.target.databaseName);
  const waitError = await client.waitForRestore(target('sales'), { resume: 'nonsense' }).then(() => null, (e) => e);
  assert.equal(waitError?.errors?.[0]?.field, 'resume');
});
