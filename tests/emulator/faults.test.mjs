// Every fault kind, matched by operation, method and path, applied once or N times.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestEmulator, s3RestoreBody, assertionFor, tokenRequest } from './support/helpers.mjs';

let emulator;
before(async () => {
  emulator = await startTestEmulator();
});
after(() => emulator.stop());
beforeEach(() => emulator.reset());

test('status 503 applies once, then the operation works again', async () => {
  const [fault] = emulator.faults.add({ operation: 'ListCurrentRunningRestoreJobs', kind: 'status', status: 503 });
  assert.equal(fault.id > 0, true);
  const failed = await call(emulator, 'GET', 'restore-jobs');
  assert.equal(failed.status, 503);
  assert.deepEqual(Object.keys(failed.json).sort(), ['code', 'message', 'traceId', 'type']);
  assert.equal(failed.json.type, 'SERVICE_UNAVAILABLE');
  assert.equal((await call(emulator, 'GET', 'restore-jobs')).status, 200);
  assert.equal(emulator.faults.list()[0].remaining, 0);
});

test('429 carries Retry-After (default 1 s, or the given seconds)', async () => {
  emulator.faults.add([
    { operation: 'RestoreDatabaseFromBackup', kind: 'status', status: 429 },
    { operation: 'RestoreDatabaseFromBackup', kind: 'status', status: 429, retryAfterSeconds: 7 },
  ]);
  const first = await call(emulator, 'POST', 'restores', { body: s3RestoreBody() });
  assert.equal(first.status, 429);
  assert.equal(first.headers.get('retry-after'), '1');
  const second = await call(emulator, 'POST', 'restores', { body: s3RestoreBody() });
  assert.equal(second.status, 429);
  assert.equal(second.headers.get('retry-after'), '7');
  assert.equal(emulator.state.instances[0].restores.length, 0, 'a status fault does not process the request');
  assert.equal((await call(emulator, 'POST', 'restores', { body: s3RestoreBody() })).status, 202);
});

test('500, 502, 504 and a custom body', async () => {
  for (const status of [500, 502, 504]) {
    emulator.faults.add({ operation: 'GetInstance', kind: 'status', status });
    assert.equal((await call(emulator, 'GET', '')).status, status);
  }
  emulator.faults.add({ operation: 'GetInstance', kind: 'status', status: 502, body: '<html>Bad Gateway</html>' });
  const html = await call(emulator, 'GET', '');
  assert.equal(html.status, 502);
  assert.equal(html.text, '<html>Bad Gateway</html>');
  assert.match(html.headers.get('content-type'), /^text\/plain/);
});

test('times and skip: let one through, fail the next two, then pass', async () => {
  emulator.faults.add({ method: 'GET', path: '/v3/**/restore-jobs', kind: 'status', status: 500, times: 2, skip: 1 });
  const statuses = [];
  for (let i = 0; i < 4; i += 1) statuses.push((await call(emulator, 'GET', 'restore-jobs')).status);
  assert.deepEqual(statuses, [200, 500, 500, 200]);
});

test('times "always" until removed; path globs with * match one segment', async () => {
  const [fault] = emulator.faults.add({ path: '/v3alpha1/projects/*/regions/*/instances/*', kind: 'status', status: 503, times: 'always' });
  assert.equal((await call(emulator, 'GET', '', { version: 'v3alpha1' })).status, 503);
  assert.equal((await call(emulator, 'GET', '', { version: 'v3alpha1' })).status, 503);
  assert.equal((await call(emulator, 'GET', 'restore-jobs', { version: 'v3alpha1' })).status, 200, '* does not cross /');
  assert.equal((await call(emulator, 'GET', '', { version: 'v3' })).status, 200);
  assert.equal(emulator.faults.remove(fault.id), true);
  assert.equal((await call(emulator, 'GET', '', { version: 'v3alpha1' })).status, 200);
});

test('latency delays the response, then the request is processed normally', async () => {
  emulator.faults.add({ operation: 'GetInstance', kind: 'latency', latencyMs: 150 });
  const started = performance.now();
  const response = await call(emulator, 'GET', '');
  assert.ok(performance.now() - started >= 140);
  assert.equal(response.status, 200);
});

test('stall: the client times out; stop() does not hang on a stalled response', async () => {
  const own = await startTestEmulator();
  own.faults.add({ operation: 'ListCurrentRunningRestoreJobs', kind: 'stall', times: 2 });
  await assert.rejects(call(own, 'GET', 'restore-jobs', { signal: AbortSignal.timeout(150) }), { name: 'TimeoutError' });
  const pending = call(own, 'GET', 'restore-jobs').then(() => 'answered', () => 'cut');
  // Wait until the emulator has received (and stalled) the second request.
  while (own.requests().length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  await own.stop();
  assert.ok(performance.now() - started < 1_000, 'stop() returns promptly');
  assert.equal(await pending, 'cut');
});

test('a long latency fault: stop() also cuts the waiting request', async () => {
  const own = await startTestEmulator();
  own.faults.add({ operation: 'GetInstance', kind: 'latency', latencyMs: 60_000 });
  const pending = call(own, 'GET', '').then(() => 'answered', () => 'cut');
  while (own.requests().length < 1) await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  await own.stop();
  assert.ok(performance.now() - started < 1_000);
  assert.equal(await pending, 'cut');
});

test('reset-before: the connection is reset and the restore is NOT recorded', async () => {
  emulator.faults.add({ operation: 'RestoreDatabaseFromBackup', kind: 'reset-before' });
  await assert.rejects(call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'reset_before_db' }) }), TypeError);
  assert.equal(emulator.state.instances[0].restores.length, 0);
  const [recorded] = emulator.requests({ operation: 'RestoreDatabaseFromBackup' });
  assert.equal(recorded.fault, 'reset-before');
  assert.equal(recorded.status, null);
  assert.equal((await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'reset_before_db' }) })).status, 202, 'a retry works');
});

test('reset-after: the connection is reset but the restore IS recorded (a blind retry gets 409)', async () => {
  emulator.faults.add({ operation: 'RestoreDatabaseFromBackup', kind: 'reset-after' });
  await assert.rejects(call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'exactly_once_db' }) }), TypeError);
  const restores = emulator.state.instances[0].restores;
  assert.deepEqual(restores.map((r) => [r.databaseName, r.status]), [['exactly_once_db', 'RUNNING']]);
  const jobs = await call(emulator, 'GET', 'restore-jobs');
  assert.deepEqual(jobs.json.runningRestores.map((j) => j.database_name), ['exactly_once_db']);
  const retry = await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'exactly_once_db' }) });
  assert.equal(retry.status, 409);
  assert.equal(emulator.state.instances[0].restores.length, 1, 'still exactly one restore');
});

test('malformed-json: a 200 whose body is not valid JSON', async () => {
  emulator.faults.add({ operation: 'ListCurrentRunningRestoreJobs', kind: 'malformed-json' });
  const response = await call(emulator, 'GET', 'restore-jobs');
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /application\/json/);
  assert.throws(() => JSON.parse(response.text));
  assert.equal((await call(emulator, 'GET', 'restore-jobs')).json.runningRestores.length, 0);
});

test('faults on the token endpoint (operation "Token")', async () => {
  const key = emulator.addServiceAccount();
  emulator.faults.add({ operation: 'Token', kind: 'status', status: 503, retryAfterSeconds: 3 });
  const failed = await tokenRequest(emulator, assertionFor(key, { nowSeconds: Math.floor(emulator.now() / 1000) }));
  assert.equal(failed.status, 503);
  assert.equal(failed.headers.get('retry-after'), '3');
  assert.equal((await tokenRequest(emulator, assertionFor(key, { nowSeconds: Math.floor(emulator.now() / 1000) }))).status, 200);
});

test('a method filter keeps other methods unaffected', async () => {
  emulator.faults.add({ method: 'post', kind: 'status', status: 500 });
  assert.equal((await call(emulator, 'GET', 'restore-jobs')).status, 200);
  assert.equal((await call(emulator, 'POST', 'restores', { body: s3RestoreBody() })).status, 500);
});

test('invalid fault specs are rejected', () => {
  assert.throws(() => emulator.faults.add({ kind: 'explode' }), /kind must be one of/);
  assert.throws(() => emulator.faults.add({ kind: 'status' }), /status from 400 to 599/);
  assert.throws(() => emulator.faults.add({ kind: 'status', status: 503, times: 0 }), /times/);
  assert.throws(() => emulator.faults.add({ kind: 'latency' }), /latencyMs/);
  assert.throws(() => emulator.faults.add({ kind: 'stall', operaton: 'x' }), /unknown fault field/);
});
