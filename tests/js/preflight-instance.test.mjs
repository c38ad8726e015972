// The instance side of the preflight against the emulator over HTTP, with the backups in real S3
// (s3s-fs): every finding code, a refused (403) and a failing read that hide no other check,
// skipping, both API versions, and importFromS3 refusing before anything is triggered.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as api from 'sqlserverflex-restore';
import { DEFAULT_BUSY_INSTANCE_ID, DEFAULT_INSTANCE_ID, defaultScenario, startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../support/s3-server.mjs';
import { writeBackupFixtures } from './fixtures-bak.mjs';

const HOST = 'object.storage.eu01.onstackit.cloud';
const PROJECT = '11111111-1111-4111-8111-111111111111';
/** An instance whose storage (0 GB) is smaller than any backup: stands in for a too-large backup. */
const TINY_INSTANCE_ID = '44444444-4444-4444-8444-444444444444';
let s3;
let emulator;

before(async () => {
  s3 = await startS3Server();
  for (const [path, bytes] of writeBackupFixtures().files) s3.put('backups', path, bytes);
  const scenario = defaultScenario();
  scenario.instances.push({ id: TINY_INSTANCE_ID, name: 'tiny', storage: { size: 0 }, logins: ['dbo_owner'] });
  emulator = await startEmulator({ port: 0, scenario });
});
after(async () => {
  await emulator?.stop();
  await s3?.stop();
});

const client = (options = {}) => new api.RestoreClient({ projectId: PROJECT, region: 'eu01', baseUrl: emulator.url, token: 'emulator-token', ...options });
const input = ({ databaseName = 'pf_fresh', owner = 'dbo_owner', instanceId = DEFAULT_INSTANCE_ID, file = 'single/full.bak' } = {}) => ({
  instanceId, databaseName, databaseOwner: owner,
  s3: {
    bucket: `s3://${HOST}/backups/`, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint,
    files: [{ number: 1, path: `s3://${HOST}/backups/${file}` }],
  },
});
/** The finding codes, less DATABASE_NAME_DIFFERS (the fixtures are backups of SalesDb). */
const codes = (outcome) => outcome.report.findings.map((f) => f.code).filter((c) => c !== 'DATABASE_NAME_DIFFERS');
const status = (outcome) => Object.fromEntries(outcome.checks.map((c) => [c.check, c.status]));

describe('client.preflight', () => {
  test('a ready instance, a new database and an existing owner pass every check', async () => {
    const outcome = await client().preflight(input());
    assert.equal(outcome.report.verdict, 'ok', JSON.stringify(outcome.report.findings));
    assert.deepEqual(status(outcome), { instance: 'passed', database: 'passed', owner: 'passed', restoreJobs: 'passed', version: 'passed', storage: 'passed' });
    assert.equal(outcome.instance.state, 'READY');
    assert.equal(outcome.instance.version, '2022');
    assert.equal(outcome.instance.storageSizeGb, 40);
    assert.equal(outcome.report.files[0].header.databaseName, 'SalesDb', 'the backup part ran too');
    assert.ok(!JSON.stringify(outcome).includes(SECRET_KEY));
  });

  test('each instance problem has its finding', async () => {
    const cases = [
      [{ instanceId: DEFAULT_BUSY_INSTANCE_ID }, 'INSTANCE_NOT_READY', 'error'],
      [{ instanceId: '99999999-9999-4999-8999-999999999999' }, 'INSTANCE_NOT_FOUND', 'error'],
      [{ databaseName: 'existing_db' }, 'DATABASE_EXISTS', 'error'],
      [{ owner: 'ghost_login' }, 'OWNER_NOT_FOUND', 'error'],
      [{ file: 'checks/future.bak' }, 'BACKUP_NEWER_THAN_INSTANCE', 'error'],
      [{ instanceId: TINY_INSTANCE_ID }, 'STORAGE_TOO_SMALL', 'warning'],
    ];
    for (const [change, code, severity] of cases) {
      const outcome = await client().preflight(input(change));
      const instanceFindings = outcome.report.findings.filter((f) => f.code !== 'DATABASE_NAME_DIFFERS');
      assert.deepEqual(instanceFindings.map((f) => [f.code, f.severity]), [[code, severity]], code);
      assert.equal(outcome.report.verdict, severity, code);
    }
  });

  test('a restore of the same database already running', async () => {
    const databaseName = 'pf_running';
    const accepted = await client().importFromS3(input({ databaseName }));
    assert.equal(accepted.accepted, true);
    const outcome = await client().preflight(input({ databaseName: databaseName.toUpperCase() }));
    assert.deepEqual(codes(outcome), ['RESTORE_ALREADY_RUNNING']);
    assert.match(outcome.report.findings.at(-1).message, /already running \(\d+ % done\)/);
  });

  test('a 403 on one check names its permission; the other checks still run', async () => {
    emulator.faults.add({ operation: 'GetDatabase', kind: 'status', status: 403, body: { code: 403, message: 'forbidden' } });
    const outcome = await client().preflight(input({ owner: 'ghost_login' }));
    assert.deepEqual(codes(outcome).sort(), ['MISSING_PERMISSION', 'OWNER_NOT_FOUND']);
    const permission = outcome.report.findings.find((f) => f.code === 'MISSING_PERMISSION');
    assert.equal(permission.severity, 'warning');
    assert.match(permission.message, /sqlserver-flex\.database\.get/);
    assert.equal(status(outcome).database, 'unavailable');
    assert.equal(status(outcome).instance, 'passed');
    assert.equal(outcome.report.verdict, 'error');
  });

  test('a read that keeps failing is a CHECK_FAILED warning, not a rejection', async () => {
    emulator.faults.add({ operation: 'ListCurrentRunningRestoreJobs', kind: 'status', status: 500, times: 1 });
    const outcome = await client({ maxRetries: 0 }).preflight(input());
    assert.deepEqual(codes(outcome), ['CHECK_FAILED']);
    assert.match(outcome.report.findings.at(-1).message, /running restores could not be read/);
    assert.equal(outcome.report.verdict, 'warning');
  });

  test('skipped checks send nothing and report nothing', async () => {
    emulator.clearRequests();
    const outcome = await client().preflight(input({ databaseName: 'existing_db' }), { skip: ['database', 'backup', 'restoreJobs'] });
    assert.deepEqual(codes(outcome), []);
    assert.equal(outcome.report.files.length, 0, 'no S3 reads');
    assert.equal(emulator.requests({ operation: 'GetDatabase' }).length, 0);
    assert.equal(emulator.requests({ operation: 'ListCurrentRunningRestoreJobs' }).length, 0);
    assert.equal(emulator.requests({ operation: 'GetInstance' }).length, 1);
    const invalid = await client().preflight(input(), { skip: ['nope'] }).then(() => null, (e) => e);
    assert.equal(invalid.name, 'ValidationError');
  });

  test('v3alpha1 reports the instance state from `status`', async () => {
    const outcome = await client({ apiVersion: 'v3alpha1' }).preflight(input({ instanceId: DEFAULT_BUSY_INSTANCE_ID }));
    assert.ok(codes(outcome).includes('INSTANCE_NOT_READY'));
    assert.equal(outcome.instance.state, 'PROGRESSING');
  });

  test('an aborted preflight rejects with the abort reason', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await client().preflight(input(), { signal: controller.signal }).then(() => null, (e) => e);
    assert.equal(error?.name, 'AbortError');
  });
});

describe('importFromS3 with { preflight: true } and the instance checks', () => {
  test('refuses an existing target before anything is sent; force triggers anyway', async () => {
    emulator.clearRequests();
    const error = await client().importFromS3(input({ databaseName: 'existing_db' }), { preflight: true }).then(() => null, (e) => e);
    assert.equal(error?.name, 'PreflightError');
    assert.ok(error.report.findings.some((f) => f.code === 'DATABASE_EXISTS'));
    assert.equal(emulator.requests({ operation: 'RestoreDatabaseFromBackup' }).length, 0, 'nothing triggered');
    const skipped = await client().importFromS3(input({ databaseName: 'pf_skip' }), { preflight: { skip: ['owner'], tail: true } });
    assert.equal(skipped.accepted, true);
    assert.equal(skipped.preflight.verdict, 'ok');
    assert.ok(skipped.preflight.files[0].tail.endOfSetOffset > 0, 'preflight options pass through');
  });
});

test('the README\'s preflight section explains every finding code of the typings', () => {
  const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  const union = /export type FindingCode =([^;]+);/.exec(read('pkg-template/index.d.ts'))[1];
  const codes = [...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
  assert.ok(codes.includes('MISSING_PERMISSION') && codes.includes('END_OF_SET_MISSING'));
  const readme = read('README.md');
  const section = readme.slice(readme.indexOf('## Backup preflight'), readme.indexOf('## Restore console'));
  for (const code of codes) assert.match(section, new RegExp(`^\\| [^\\n]*\`${code}\`[^\\n]*\\| (error|warning|info) \\| \\S`, 'm'), code);
});
