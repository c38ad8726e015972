// The /_emulator/ admin endpoints: requests (masked), reset, scenario, faults, state, clock, health.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestEmulator, s3RestoreBody, assertionFor, tokenRequest, instancePath, START_MS } from './support/helpers.mjs';
import { startEmulator, DEFAULT_INSTANCE_ID, DEFAULT_PROJECT_ID } from '../../pkg-template/emulator/index.mjs';

let emulator;
before(async () => {
  emulator = await startTestEmulator();
});
after(() => emulator.stop());
beforeEach(() => emulator.reset());

function admin(method, path, body) {
  return call(emulator, method, `/_emulator/${path}`, { token: null, body });
}

test('GET /_emulator/health needs no auth', async () => {
  const { status, json } = await admin('GET', 'health');
  assert.equal(status, 200);
  assert.deepEqual(json, { status: 'ok', url: emulator.url, now: new Date(START_MS).toISOString(), manualClock: true });
});

test('GET /_emulator/requests records method, path, headers and body with secrets masked', async () => {
  const secret = 'Sup3r$ecret/S3+key';
  await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ secret }), token: 'emulator-token' });
  await call(emulator, 'POST', 'restores', { body: `{"database_name":"x","source":{"s3_details":{"s3_access_secret":"${secret}"` });
  const key = emulator.addServiceAccount();
  const assertion = assertionFor(key, { nowSeconds: Math.floor(emulator.now() / 1000) });
  await tokenRequest(emulator, assertion);
  await call(emulator, 'GET', 'restore-jobs?page=1');

  const { status, json, text } = await admin('GET', 'requests');
  assert.equal(status, 200);
  assert.ok(!text.includes(secret), 'the S3 secret never appears');
  assert.ok(!text.includes('emulator-token'), 'the bearer token never appears');
  assert.ok(!text.includes(assertion.split('.')[2]), 'the JWT assertion never appears');
  assert.ok(!text.includes('PRIVATE KEY'));

  const [restore, broken, token, jobs] = json.requests;
  assert.equal(restore.method, 'POST');
  assert.equal(restore.path, `${instancePath()}/restores`);
  assert.equal(restore.operation, 'RestoreDatabaseFromBackup');
  assert.equal(restore.status, 202);
  assert.equal(restore.headers.authorization, 'Bearer ***');
  assert.equal(restore.body.source.s3_details.s3_access_secret, '***');
  assert.equal(restore.body.source.s3_details.s3_access_key, 'AKIAEMULATORTEST');
  assert.match(restore.traceId, /^[0-9a-f]{32}$/);
  assert.equal(broken.status, 400);
  assert.match(broken.body, /"s3_access_secret":"\*\*\*"/);
  assert.equal(token.operation, 'Token');
  assert.equal(token.body, 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=***');
  assert.equal(jobs.path, `${instancePath()}/restore-jobs?page=1`);
  assert.equal(jobs.body, null);

  const filtered = await call(emulator, 'GET', '/_emulator/requests?operation=Token', { token: null });
  assert.equal(filtered.json.requests.length, 1);
  assert.equal(emulator.requests({ method: 'get' }).length, 1);
  assert.equal((await admin('DELETE', 'requests')).status, 204);
  assert.equal(emulator.requests().length, 0);
});

test('admin requests themselves are not recorded', async () => {
  await admin('GET', 'state');
  await admin('GET', 'health');
  assert.equal(emulator.requests().length, 0);
});

test('POST /_emulator/faults adds faults (one or many); GET lists; DELETE removes', async () => {
  const added = await admin('POST', 'faults', [
    { operation: 'GetInstance', kind: 'status', status: 503 },
    { operation: 'ListUsers', kind: 'status', status: 500, times: 'always' },
  ]);
  assert.equal(added.status, 201);
  assert.equal(added.json.faults.length, 2);
  assert.equal((await call(emulator, 'GET', '')).status, 503);
  const listed = await admin('GET', 'faults');
  assert.deepEqual(listed.json.faults.map((f) => [f.operation, f.remaining, f.applied]), [['GetInstance', 0, 1], ['ListUsers', 'always', 0]]);
  assert.equal((await call(emulator, 'DELETE', `/_emulator/faults/${added.json.faults[1].id}`, { token: null })).status, 204);
  assert.equal((await call(emulator, 'DELETE', '/_emulator/faults/999', { token: null })).status, 404);
  assert.equal((await call(emulator, 'GET', 'users')).status, 200);
  await admin('POST', 'faults', { kind: 'status', status: 500, times: 'always' });
  assert.equal((await admin('DELETE', 'faults')).status, 204);
  assert.equal((await call(emulator, 'GET', 'users')).status, 200);
  const bad = await admin('POST', 'faults', { kind: 'nope' });
  assert.equal(bad.status, 400);
  assert.match(bad.json.message, /kind/);
  assert.equal((await admin('POST', 'faults', '{not json')).status, 400);
});

test('faults never apply to admin endpoints', async () => {
  emulator.faults.add({ kind: 'status', status: 500, times: 'always' });
  assert.equal((await admin('GET', 'health')).status, 200);
});

test('POST /_emulator/clock advances the manual clock; GET /_emulator/state shows the world', async () => {
  await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'clocked_db' }) });
  const advanced = await admin('POST', 'clock', { advanceMs: 300_000 });
  assert.equal(advanced.status, 200);
  assert.equal(advanced.json.nowMs, START_MS + 300_000 + 0);
  const state = await admin('GET', 'state');
  const instance = state.json.instances.find((i) => i.id === DEFAULT_INSTANCE_ID);
  assert.equal(instance.projectId, DEFAULT_PROJECT_ID);
  assert.equal(instance.restores[0].percentComplete, 50);
  assert.equal(instance.restores[0].status, 'RUNNING');
  assert.ok(!JSON.stringify(state.json).includes('very-secret-value'), 'state holds no S3 secret');
  assert.equal((await admin('POST', 'clock', { advanceMs: -1 })).status, 400);
  await admin('POST', 'clock', { advanceMs: 300_000 });
  const done = await admin('GET', 'state');
  assert.equal(done.json.instances[0].restores[0].status, 'SUCCEEDED');
  assert.ok(done.json.instances[0].databases.some((db) => db.name === 'clocked_db'));
});

test('POST /_emulator/clock → 409 when the clock is not manual', async (t) => {
  const realClock = await startEmulator();
  t.after(() => realClock.stop());
  const response = await call(realClock, 'POST', '/_emulator/clock', { token: null, body: { advanceMs: 1 } });
  assert.equal(response.status, 409);
});

test('POST /_emulator/reset restores the initial scenario and forgets faults, requests, issued tokens', async () => {
  await call(emulator, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'to_forget' }) });
  emulator.faults.add({ kind: 'status', status: 500, operation: 'ListUsers' });
  const issued = emulator.issueToken();
  assert.equal((await admin('POST', 'reset')).status, 204);
  assert.equal(emulator.state.instances[0].restores.length, 0);
  assert.equal(emulator.faults.list().length, 0);
  assert.equal(emulator.requests().length, 0);
  assert.equal((await call(emulator, 'GET', 'users', { token: issued })).status, 401);
  assert.equal((await call(emulator, 'GET', 'users')).status, 200, 'static tokens stay valid');
});

test('POST /_emulator/scenario loads a custom world (and reset returns to it)', async () => {
  const project = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
  const instance = 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb';
  const scenario = {
    instances: [{
      projectId: project, region: 'eu01', id: instance, name: 'custom', status: 'READY',
      storage: { size: 100 }, edition: 'EnterpriseCore', replicas: 3,
      logins: [{ id: 7, username: 'app_owner', status: 'ACTIVE' }],
      databases: [{ name: 'sales', owner: 'app_owner', created: '2024-01-02T03:04:05Z' }],
      backups: [{ id: 42, databaseName: 'sales', completionTime: '2024-05-01T00:00:00Z', size: 123, type: 'MANUAL' }],
    }],
  };
  assert.equal((await admin('POST', 'scenario', scenario)).status, 204);
  const path = instancePath({ project, instance });
  const got = await call(emulator, 'GET', path);
  assert.equal(got.json.edition, 'EnterpriseCore');
  assert.equal(got.json.replicas, 3);
  assert.deepEqual(got.json.storage, { class: 'premium-perf2-stackit', size: 100 });
  assert.deepEqual((await call(emulator, 'GET', `${path}/databases`)).json.databases, [{ id: 1, name: 'sales', created: '2024-01-02T03:04:05Z', owner: 'app_owner' }]);
  assert.deepEqual((await call(emulator, 'GET', `${path}/users`)).json.users, [{ id: 7, username: 'app_owner', status: 'ACTIVE' }]);
  const backup = await call(emulator, 'GET', `${path}/backups/42`);
  assert.equal(backup.json.completionTime, '2024-05-01T00:00:00Z');
  assert.equal(backup.json.retainedUntil, '2024-06-02T00:00:00Z', 'default: completion + retentionDays (32)');
  assert.equal((await call(emulator, 'GET', '')).status, 404, 'the default project is gone');

  emulator.reset();
  assert.equal((await call(emulator, 'GET', path)).status, 200, 'reset returns to the loaded scenario');

  const invalid = await admin('POST', 'scenario', { instances: [{ id: instance, state: 'SLEEPY' }] });
  assert.equal(invalid.status, 400);
  assert.match(invalid.json.message, /state must be one of/);
  assert.equal((await admin('POST', 'scenario', { nope: true })).status, 400);
  emulator.loadScenario((await import('../../pkg-template/emulator/index.mjs')).defaultScenario());
});

test('POST /_emulator/service-accounts returns a registered key; POST /_emulator/tokens a token', async () => {
  const created = await admin('POST', 'service-accounts', { email: 'ci@sa.stackit.cloud' });
  assert.equal(created.status, 201);
  assert.equal(created.json.credentials.iss, 'ci@sa.stackit.cloud');
  const token = await tokenRequest(emulator, assertionFor(created.json, { nowSeconds: Math.floor(emulator.now() / 1000) }));
  assert.equal(token.status, 200);
  const issued = await admin('POST', 'tokens', { lifetimeSeconds: 5 });
  assert.equal(issued.status, 201);
  assert.equal(issued.json.expires_in, 5);
  assert.equal((await call(emulator, 'GET', 'users', { token: issued.json.access_token })).status, 200);
});

test('unknown admin endpoint → 404', async () => {
  assert.equal((await admin('GET', 'nothing')).status, 404);
});
