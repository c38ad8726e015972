// Error shapes exactly as the spec declares them:
//   Error {code, message, type, traceId} (400/401/404/409/501) and ValidationError {code: 422, validation}.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestEmulator, s3RestoreBody, instancePath, VERSIONS } from './support/helpers.mjs';
import { DEFAULT_PROJECT_ID, DEFAULT_EXISTING_DATABASE, DEFAULT_BUSY_INSTANCE_ID } from '../../pkg-template/emulator/index.mjs';

let emulator;
before(async () => {
  emulator = await startTestEmulator({ tokenLifetimeSeconds: 2 });
});
after(() => emulator.stop());

/** Asserts the exact `Error` schema and that traceId is this response's trace id. */
function assertErrorBody(response, status) {
  assert.equal(response.status, status, response.text);
  assert.match(response.headers.get('content-type'), /^application\/json/);
  assert.deepEqual(Object.keys(response.json).sort(), ['code', 'message', 'traceId', 'type']);
  assert.equal(response.json.code, status);
  assert.equal(typeof response.json.message, 'string');
  assert.ok(response.json.message.length > 0);
  assert.equal(typeof response.json.type, 'string');
  assert.equal(response.json.traceId, response.headers.get('x-trace-id'));
  assert.ok(response.headers.get('traceparent').includes(response.json.traceId));
  return response.json;
}

for (const version of VERSIONS) {
  test(`${version}: 400 for a body that is not JSON`, async () => {
    const body = assertErrorBody(await call(emulator, 'POST', 'restores', { version, body: '{"database_name": ' }), 400);
    assert.match(body.message, /not valid JSON/);
    assert.equal(body.type, 'BAD_REQUEST');
  });

  test(`${version}: 400 for a schema violation on /restores (which declares 400, not 422)`, async () => {
    const body = assertErrorBody(await call(emulator, 'POST', 'restores', { version, body: { database_name: 'x', source: { type: 'FTP' } } }), 400);
    assert.match(body.message, /source\.type: must be BACKUP or EXTERNAL_S3/);
  });

  test(`${version}: 400 for bad paging parameters`, async () => {
    const body = assertErrorBody(await call(emulator, 'GET', 'backups?page=0&sort=bogus', { version }), 400);
    assert.match(body.message, /page: must be a positive integer/);
    assert.match(body.message, /sort: must be one of/);
  });

  test(`${version}: 400 for a non-integer backupId`, async () => {
    assertErrorBody(await call(emulator, 'GET', 'backups/abc', { version }), 400);
  });

  test(`${version}: 401 without a token, with an unknown token, with an expired issued token`, async () => {
    const missing = assertErrorBody(await call(emulator, 'GET', 'restore-jobs', { version, token: null }), 401);
    assert.match(missing.message, /missing bearer token/);
    const unknown = await call(emulator, 'GET', 'restore-jobs', { version, token: 'not-a-token' });
    assertErrorBody(unknown, 401);
    assert.match(unknown.headers.get('www-authenticate'), /^Bearer/);
    const issued = emulator.issueToken();
    assert.equal((await call(emulator, 'GET', 'restore-jobs', { version, token: issued })).status, 200);
    emulator.advanceClock(2_000);
    const expired = assertErrorBody(await call(emulator, 'GET', 'restore-jobs', { version, token: issued }), 401);
    assert.match(expired.message, /expired/);
  });

  test(`${version}: 401 comes before 404 (no probing of ids without a token)`, async () => {
    const path = instancePath({ version, project: 'unknown-project' });
    assertErrorBody(await call(emulator, 'GET', path, { token: null }), 401);
  });

  test(`${version}: 404 for unknown project, instance, database, backup`, async () => {
    const project = assertErrorBody(await call(emulator, 'GET', instancePath({ version, project: '99999999-9999-4999-8999-999999999999' })), 404);
    assert.match(project.message, /project/);
    assert.equal(project.type, 'NOT_FOUND');
    const instance = assertErrorBody(await call(emulator, 'GET', instancePath({ version, instance: '99999999-9999-4999-8999-999999999999' })), 404);
    assert.match(instance.message, /instance/);
    assertErrorBody(await call(emulator, 'GET', instancePath({ version, region: 'eu02' })), 404);
    assertErrorBody(await call(emulator, 'GET', 'databases/no_such_db', { version }), 404);
    assertErrorBody(await call(emulator, 'GET', 'backups/999', { version }), 404);
    assertErrorBody(await call(emulator, 'POST', 'restores', { version, instance: '99999999-9999-4999-8999-999999999999', body: s3RestoreBody() }), 404);
    assertErrorBody(await call(emulator, 'POST', 'backups/databases/no_such_db/restores', { version, body: { name: 'copy_db', restoreDateTime: '2025-06-02T09:00:00Z' } }), 404);
  });

  test(`${version}: 409 Error body when the target database exists or the instance is not READY`, async () => {
    const exists = assertErrorBody(await call(emulator, 'POST', 'restores', { version, body: s3RestoreBody({ databaseName: DEFAULT_EXISTING_DATABASE.toUpperCase() }) }), 409);
    assert.match(exists.message, /already exists/);
    assert.equal(exists.type, 'CONFLICT');
    const busy = assertErrorBody(await call(emulator, 'POST', 'restores', { version, instance: DEFAULT_BUSY_INSTANCE_ID, body: s3RestoreBody() }), 409);
    assert.match(busy.message, /not READY/);
  });

  test(`${version}: 422 ValidationError for point-in-time restore field problems`, async () => {
    const response = await call(emulator, 'POST', `backups/databases/${DEFAULT_EXISTING_DATABASE}/restores`, {
      version, body: { name: 'bad-name!', restoreDateTime: 'yesterday', extra: 1 },
    });
    assert.equal(response.status, 422);
    assert.deepEqual(Object.keys(response.json).sort(), ['code', 'validation']);
    assert.equal(response.json.code, 422);
    assert.deepEqual(response.json.validation.map((v) => v.field).sort(), ['extra', 'name', 'restoreDateTime']);
    for (const problem of response.json.validation) {
      assert.deepEqual(Object.keys(problem).sort(), ['field', 'message']);
      assert.equal(typeof problem.message, 'string');
    }
    const missing = await call(emulator, 'POST', `backups/databases/${DEFAULT_EXISTING_DATABASE}/restores`, { version, body: {} });
    assert.equal(missing.status, 422);
    assert.deepEqual(missing.json.validation, [
      { field: 'name', message: 'is required' },
      { field: 'restoreDateTime', message: 'is required' },
    ]);
  });

  test(`${version}: 422 when restoreDateTime is outside first backup .. now; 400 for non-JSON`, async () => {
    const path = `backups/databases/${DEFAULT_EXISTING_DATABASE}/restores`;
    const tooEarly = await call(emulator, 'POST', path, { version, body: { name: 'early_copy', restoreDateTime: '2001-01-01T00:00:00Z' } });
    assert.equal(tooEarly.status, 422);
    assert.equal(tooEarly.json.validation[0].field, 'restoreDateTime');
    const future = await call(emulator, 'POST', path, { version, body: { name: 'future_copy', restoreDateTime: new Date(emulator.now() + 60_000).toISOString() } });
    assert.equal(future.status, 422);
    assertErrorBody(await call(emulator, 'POST', path, { version, body: 'nope' }), 400);
  });
}

test('501 for a spec operation the emulator does not emulate uses the Error body', async () => {
  assertErrorBody(await call(emulator, 'GET', `/v3/projects/${DEFAULT_PROJECT_ID}/regions/eu01/versions`), 501);
});

test('413 for an oversized body', async () => {
  const huge = JSON.stringify({ database_name: 'x'.repeat(1_100_000) });
  assertErrorBody(await call(emulator, 'POST', 'restores', { body: huge }), 413);
});
