// The instance side of the preflight against the emulator over HTTP, with the backups in real S3
// (s3s-fs): every finding code, a refused (403) and a failing read that hide no other check,
// skipping, both API versions, the storage a restore really needs (the database files' sizes), a
// backup too old for the instance's release, and importFromS3 refusing before anything is triggered.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import * as api from 'sqlserverflex-restore';
import { DEFAULT_BUSY_INSTANCE_ID, DEFAULT_INSTANCE_ID, defaultScenario, startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../support/s3-server.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';

const HOST = 'object.storage.eu01.onstackit.cloud';
const PROJECT = '11111111-1111-4111-8111-111111111111';
/** An instance whose storage (0 GB) is smaller than any backup: stands in for a too-large backup. */
const TINY_INSTANCE_ID = '44444444-4444-4444-8444-444444444444';
/** 100 GB of storage: less than production/big-files.bak's 100 GiB data file + 2 GiB log, more than its backup. */
const HUNDRED_GB_INSTANCE_ID = '55555555-5555-4555-8555-555555555555';
/** 110 GB: room for those files. */
const ROOMY_INSTANCE_ID = '66666666-6666-4666-8666-666666666666';
let s3;
let emulator;

before(async () => {
  s3 = await startS3Server();
  for (const [path, bytes] of writeBackupFixtures().files) s3.put('backups', path, bytes);
  const scenario = defaultScenario();
  scenario.instances.push({ id: TINY_INSTANCE_ID, name: 'tiny', storage: { size: 0 }, logins: ['dbo_owner'] });
  scenario.instances.push({ id: HUNDRED_GB_INSTANCE_ID, name: 'hundred', storage: { size: 100 }, logins: ['dbo_owner'] });
  scenario.instances.push({ id: ROOMY_INSTANCE_ID, name: 'roomy', storage: { size: 110 }, logins: ['dbo_owner', { username: 'new_owner', status: 'PENDING' }] });
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
      [{ instanceId: ROOMY_INSTANCE_ID, owner: 'new_owner' }, 'OWNER_NOT_READY', 'warning'],
    ];
    for (const [change, code, severity] of cases) {
      const outcome = await client().preflight(input(change));
      const instanceFindings = outcome.report.findings.filter((f) => f.code !== 'DATABASE_NAME_DIFFERS');
      assert.deepEqual(instanceFindings.map((f) => [f.code, f.severity]), [[code, severity]], code);
      assert.equal(outcome.report.verdict, severity, code);
    }
  });

  test('the storage check compares the database files a restore creates, not the backup\'s size', async () => {
    const big = await client().preflight(input({ instanceId: HUNDRED_GB_INSTANCE_ID, file: 'production/big-files.bak' }));
    assert.equal(big.report.restoreSize, 102 * 1024 ** 3, 'data file 100 GiB + log 2 GiB');
    assert.ok(big.report.totalSize < 1024 ** 2, `the backup is small: ${big.report.totalSize}`);
    assert.deepEqual(codes(big), ['STORAGE_TOO_SMALL']);
    const [finding] = big.report.findings.filter((f) => f.code === 'STORAGE_TOO_SMALL');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, new RegExp(`database files of ${102 * 1024 ** 3} bytes in all .*storage of 100 GB`));
    assert.equal(status(big).storage, 'problem');
    const fits = await client().preflight(input({ instanceId: ROOMY_INSTANCE_ID, file: 'production/big-files.bak' }));
    assert.deepEqual(codes(fits), [], 'the same files fit 110 GB');
    assert.equal(status(fits).storage, 'passed');
    const small = await client().preflight(input({ instanceId: HUNDRED_GB_INSTANCE_ID }));
    assert.deepEqual(codes(small), [], 'a backup whose files take 108 MiB fits 100 GB');
  });

  test('a SQL Server 2005 backup is too old for the instance\'s release; master is a system database', async () => {
    const old = await client().preflight(input({ file: 'production/sql2005.bak' }));
    assert.deepEqual(codes(old), ['BACKUP_TOO_OLD'], 'one finding: the instance\'s replaces the backup-only one');
    const [finding] = old.report.findings.filter((f) => f.code === 'BACKUP_TOO_OLD');
    assert.equal(finding.severity, 'error');
    assert.match(finding.message, /database version 611, older than SQL Server 2022 restores/);
    assert.equal(status(old).version, 'problem');
    const system = await client().preflight(input({ file: 'production/master.bak' }));
    assert.deepEqual(system.report.findings.map((f) => [f.code, f.severity]).filter(([c]) => c !== 'DATABASE_NAME_DIFFERS'), [['SYSTEM_DATABASE', 'warning']]);
    assert.equal(system.report.verdict, 'warning');
  });

  test('several backup sets in one file and a compressed backup, with the instance checks', async () => {
    const outcome = await client().preflight(input({ file: 'production/appended-compressed.bak' }));
    assert.deepEqual(codes(outcome), ['COMPRESSED', 'MULTIPLE_BACKUP_SETS']);
    assert.deepEqual(outcome.report.files[0].backupSets.map((s) => s.position), [1, 2]);
    assert.equal(outcome.report.verdict, 'warning');
    const encrypted = await client().preflight(input({ file: 'single/encrypted.bak' }));
    assert.deepEqual(codes(encrypted), ['ENCRYPTED_OR_UNREADABLE']);
    assert.equal(encrypted.report.verdict, 'error');
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

  test('a bad option is a ValidationError naming it, never a silent default; nothing is read', async () => {
    const before = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()).requests.length;
    for (const [options, field, message] of [
      [{ concurrency: 0 }, 'concurrency', /whole number from 1 to 64/],
      [{ concurrency: 'eight' }, 'concurrency', /whole number from 1 to 64/],
      [{ timeoutMs: 2.5 }, 'timeoutMs', /whole number from 1 to 3600000/],
      [{ signal: { aborted: false } }, 'signal', /must be an AbortSignal/],
    ]) {
      const error = await client().preflight(input(), options).then(() => null, (e) => e);
      assert.ok(api.ValidationError.isInstance(error), JSON.stringify(options));
      assert.equal(error.errors[0].field, field);
      assert.match(error.errors[0].message, message);
    }
    assert.equal((await (await fetch(`${emulator.url}/_emulator/requests`)).json()).requests.length, before);
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
    const skipped = await client().importFromS3(input({ databaseName: 'pf_skip' }), { preflight: { skip: ['owner'] } });
    assert.equal(skipped.accepted, true);
    assert.equal(skipped.preflight.verdict, 'ok');
    assert.ok(skipped.preflight.files[0].tail.endOfSetOffset > 0, 'the tail is read by default');
    const headOnly = await client().importFromS3(input({ databaseName: 'pf_head_only' }), { preflight: { tail: false } });
    assert.equal(headOnly.preflight.files[0].tail, undefined, 'preflight options pass through');
  });

  test('a file holding several backup sets is imported (a warning), naming set 1 as what is restored', async () => {
    const accepted = await client().importFromS3(input({ databaseName: 'pf_two_sets', file: 'production/appended-2sets.bak' }), { preflight: true });
    assert.equal(accepted.accepted, true);
    assert.equal(accepted.preflight.verdict, 'warning');
    assert.match(accepted.preflight.findings.find((f) => f.code === 'MULTIPLE_BACKUP_SETS').message, /restores set 1, a full backup of 2024-01-01T22:00:00/);
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
