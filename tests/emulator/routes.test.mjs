// Every emulated route, for both API generations, on the default scenario.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, startTestEmulator, s3RestoreBody, instancePath, VERSIONS } from './support/helpers.mjs';
import {
  DEFAULT_INSTANCE_ID, DEFAULT_PROJECT_ID, DEFAULT_EXISTING_DATABASE, DEFAULT_DROPPED_DATABASE, DEFAULT_OWNER_LOGIN, DEFAULT_ADMIN_LOGIN,
} from '../../pkg-template/emulator/index.mjs';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;
let emulator;

before(async () => {
  emulator = await startTestEmulator();
});
after(() => emulator.stop());

for (const version of VERSIONS) {
  test(`${version}: GET instance serves the version's own shape`, async () => {
    const { status, json } = await call(emulator, 'GET', '', { version });
    assert.equal(status, 200);
    assert.equal(json.id, DEFAULT_INSTANCE_ID);
    assert.equal(json.version, '2022');
    if (version === 'v3') {
      assert.equal(json.state, 'READY');
      assert.equal(json.status, undefined);
      assert.deepEqual(json.labels, {});
    } else {
      assert.equal(json.status, 'READY');
      assert.equal(json.state, undefined);
      assert.equal(json.labels, undefined);
    }
  });

  test(`${version}: GET backups is paged and grouped per database`, async () => {
    const all = await call(emulator, 'GET', 'backups?size=100&sort=index.asc', { version });
    assert.equal(all.status, 200);
    assert.deepEqual(all.json.pagination, { page: 1, size: 100, sort: 'index.asc', totalRows: 5, totalPages: 1 });
    assert.deepEqual(all.json.backups.map((g) => g.databaseName), [DEFAULT_EXISTING_DATABASE, DEFAULT_DROPPED_DATABASE]);
    assert.deepEqual(all.json.backups[0].backups.map((b) => b.id), [1, 2, 3]);
    assert.match(all.json.backups[0].backups[0].completionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const page2 = await call(emulator, 'GET', 'backups?page=2&size=2&sort=size.desc', { version });
    assert.equal(page2.status, 200);
    assert.deepEqual(page2.json.pagination, { page: 2, size: 2, sort: 'size.desc', totalRows: 5, totalPages: 3 });
    const sizes = page2.json.backups.flatMap((g) => g.backups.map((b) => b.size));
    assert.deepEqual(sizes, [8_394_655, 2_105_344]);

    const defaults = await call(emulator, 'GET', 'backups', { version });
    assert.deepEqual(defaults.json.pagination, { page: 1, size: 10, sort: 'index.desc', totalRows: 5, totalPages: 1 });
  });

  test(`${version}: GET backup by id`, async () => {
    const { status, json } = await call(emulator, 'GET', 'backups/2', { version });
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(json).sort(), ['completionTime', 'id', 'name', 'retainedUntil', 'size', 'type']);
    assert.equal(json.id, 2);
    assert.equal(json.type, 'AUTOMATED');
  });

  test(`${version}: GET databases (paged) and one database`, async () => {
    const list = await call(emulator, 'GET', 'databases', { version });
    assert.equal(list.status, 200);
    assert.equal(list.json.databases.length, 1);
    assert.deepEqual(Object.keys(list.json.databases[0]).sort(), ['created', 'id', 'name', 'owner']);
    assert.equal(list.json.databases[0].name, DEFAULT_EXISTING_DATABASE);
    assert.equal(list.json.pagination.totalRows, 1);

    const one = await call(emulator, 'GET', `databases/${DEFAULT_EXISTING_DATABASE}`, { version });
    assert.equal(one.status, 200);
    assert.deepEqual(one.json, { id: 1, name: DEFAULT_EXISTING_DATABASE, owner: DEFAULT_OWNER_LOGIN, collationName: 'SQL_Latin1_General_CP1_CI_AS', compatibilityLevel: 160 });
  });

  test(`${version}: GET users lists the logins, paged and sorted`, async () => {
    const { status, json } = await call(emulator, 'GET', 'users?sort=name.asc', { version });
    assert.equal(status, 200);
    assert.deepEqual(json.users, [
      { id: 1, username: DEFAULT_OWNER_LOGIN, status: 'ACTIVE' },
      { id: 2, username: DEFAULT_ADMIN_LOGIN, status: 'ACTIVE' },
    ]);
    assert.deepEqual(json.pagination, { page: 1, size: 10, sort: 'name.asc', totalRows: 2, totalPages: 1 });
  });

  test(`${version}: POST restores (S3 import) → 202, empty body, traceparent and x-trace-id`, async () => {
    const { status, text, headers } = await call(emulator, 'POST', 'restores', { version, body: s3RestoreBody({ databaseName: `s3_${version}` }) });
    assert.equal(status, 202);
    assert.equal(text, '');
    const traceparent = TRACEPARENT.exec(headers.get('traceparent'));
    assert.ok(traceparent, headers.get('traceparent'));
    assert.equal(headers.get('x-trace-id'), traceparent[1]);
    const jobs = await call(emulator, 'GET', 'restore-jobs', { version });
    assert.equal(jobs.status, 200);
    const job = jobs.json.runningRestores.find((j) => j.database_name === `s3_${version}`);
    assert.deepEqual(Object.keys(job).sort(), ['command', 'database_name', 'estimated_completion_time', 'percent_complete', 'start_time']);
    assert.equal(job.command, 'RESTORE DATABASE');
    assert.equal(job.percent_complete, 0);
    assert.match(job.start_time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
  });

  test(`${version}: POST restores from a managed backup (type BACKUP) → 202`, async () => {
    emulator.reset();
    const { status, text } = await call(emulator, 'POST', 'restores', { version, body: { database_name: DEFAULT_DROPPED_DATABASE, source: { type: 'BACKUP' } } });
    assert.equal(status, 202);
    assert.equal(text, '');
    const restore = emulator.state.instances[0].restores.at(-1);
    assert.equal(restore.sourceType, 'BACKUP');
    assert.equal(restore.databaseName, DEFAULT_DROPPED_DATABASE);
    emulator.reset();
  });

  test(`${version}: POST point-in-time restore → 202 and a running job`, async () => {
    const restoreDateTime = new Date(emulator.now() - 3_600_000).toISOString();
    const { status, text, headers } = await call(emulator, 'POST', `backups/databases/${DEFAULT_EXISTING_DATABASE}/restores`, {
      version, body: { name: `pitr_${version}`, restoreDateTime },
    });
    assert.equal(status, 202);
    assert.equal(text, '');
    assert.match(headers.get('traceparent'), TRACEPARENT);
    const jobs = await call(emulator, 'GET', 'restore-jobs', { version });
    assert.ok(jobs.json.runningRestores.some((j) => j.database_name === `pitr_${version}`));
  });
}

test('v3alpha1 is served whatever the Host header (regional host mssql-flex-service.api.eu01.stackit.cloud)', async () => {
  // fetch forbids setting Host, so use node:http directly.
  const { request } = await import('node:http');
  const status = await new Promise((resolve, reject) => {
    const req = request(`${emulator.url}${instancePath({ version: 'v3alpha1' })}`, {
      headers: { host: 'mssql-flex-service.api.eu01.stackit.cloud', authorization: 'Bearer emulator-token' },
    }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.on('error', reject);
    req.end();
  });
  assert.equal(status, 200);
});

test('an operation of the spec that is not emulated → 501 Error body; an unknown path → 404', async () => {
  const notEmulated = await call(emulator, 'DELETE', `databases/${DEFAULT_EXISTING_DATABASE}`);
  assert.equal(notEmulated.status, 501);
  assert.equal(notEmulated.json.type, 'NOT_IMPLEMENTED');
  const flavors = await call(emulator, 'GET', `/v3/projects/${DEFAULT_PROJECT_ID}/regions/eu01/flavors`);
  assert.equal(flavors.status, 501);
  const unknown = await call(emulator, 'GET', '/v2/whatever');
  assert.equal(unknown.status, 404);
  assert.deepEqual(Object.keys(unknown.json).sort(), ['code', 'message', 'traceId', 'type']);
});

test('GET /token is not allowed (405)', async () => {
  const { status, headers, json } = await call(emulator, 'GET', '/token', { token: null });
  assert.equal(status, 405);
  assert.equal(headers.get('allow'), 'POST');
  assert.equal(typeof json.message, 'string');
});
