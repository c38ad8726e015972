// `import --preflight` and `import --discover` run as users run them (`node pkg/cli.mjs import …`)
// against the emulator and real S3 (s3s-fs): the combined report (files + instance findings) in text
// and --json, refusal with exit 5 that triggers nothing, --force, discovery's proposal as the files,
// and production backups (compressed, several sets in one file, encrypted, --no-tail).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../support/s3-server.mjs';
import { cleanEnv, emulatorFlags, runCli } from './support/cli-support.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { INSTANCE_ID, TOKEN, uniqueDatabase } from './support/fixtures.mjs';

const BUCKET = 's3://object.storage.eu01.onstackit.cloud/backups/';
let s3;
let emulator;
let fixtures;

before(async () => {
  s3 = await startS3Server();
  fixtures = writeBackupFixtures();
  for (const [path, bytes] of fixtures.files) s3.put('backups', path, bytes);
  emulator = await startEmulator({ port: 0 });
});
after(async () => {
  await emulator?.stop();
  await s3?.stop();
});

const env = () => cleanEnv({ S3_ACCESS_KEY: ACCESS_KEY, S3_SECRET_KEY: SECRET_KEY });
const args = (databaseName, extra) => [
  'import', ...emulatorFlags(emulator.url), '--token', TOKEN, '--instance', INSTANCE_ID, '--database', databaseName,
  '--owner', 'dbo_owner', '--bucket', BUCKET, '--s3-endpoint', s3.endpoint, ...extra,
];
const posted = (databaseName) => emulator.requests({ operation: 'RestoreDatabaseFromBackup' })
  .filter((r) => JSON.stringify(r.body ?? '').includes(databaseName));
const bodyOf = (request) => (typeof request.body === 'string' ? JSON.parse(request.body) : request.body);

function assertNoSecret(run) {
  for (const secret of [SECRET_KEY, TOKEN]) assert.ok(!run.stdout.includes(secret) && !run.stderr.includes(secret), `${secret} printed`);
}

test('--preflight prints the files and the instance facts, then triggers', async () => {
  const databaseName = uniqueDatabase('cli_pf_ok');
  const run = await runCli(args(databaseName, ['--preflight', '--file', 'single/full.bak']), { env: env() });
  assert.equal(run.code, 0, run.stderr);
  const size = fixtures.files.get('single/full.bak').length;
  assert.match(run.stdout, new RegExp(`^preflight: OK \\(1 file\\(s\\), ${(size / 1024).toFixed(1)} KiB, a restore allocates 108\\.0 MiB; instance emulated-sqlserver: READY, SQL Server 2022, 40 GB\\)$`, 'm'));
  assert.match(run.stdout, /^FILE +STATUS +TYPE +DATABASE +SQL SERVER +STRIPE +COMPRESSED +SETS +SIZE$/m);
  assert.match(run.stdout, new RegExp(`single/full\\.bak +read +FULL +SalesDb +2022 +1 of 1 +no +1 +${size}$`, 'm'));
  assert.match(run.stdout, /^info +DATABASE_NAME_DIFFERS: /m);
  assert.match(run.stdout, /^instance checks: instance passed, database passed, owner passed, restoreJobs passed, version passed, storage passed$/m);
  assert.match(run.stdout, new RegExp(`^import accepted \\(HTTP 202\\): ${databaseName}`, 'm'));
  assert.equal(posted(databaseName).length, 1);
  assertNoSecret(run);
});

test('errors refuse with exit 5 and trigger nothing; --json carries the report; --force triggers', async () => {
  const run = await runCli(args('existing_db', ['--preflight', '--file', 'single/log.bak', '--owner', 'ghost_login']), { env: env() });
  assert.equal(run.code, 5, run.stderr);
  assert.match(run.stdout, /^preflight: ERROR /m);
  for (const code of ['LOG_BACKUP', 'DATABASE_EXISTS', 'OWNER_NOT_FOUND']) assert.match(run.stdout, new RegExp(`^error +${code}: `, 'm'));
  assert.match(run.stderr, /^error: the preflight found 3 error\(s\); nothing was triggered \(--force triggers anyway\): .*\[PREFLIGHT_FAILED\]$/m);
  assert.equal(posted('existing_db').length, 0);

  const json = await runCli(args('existing_db', ['--preflight', '--file', 'single/log.bak', '--json']), { env: env() });
  assert.equal(json.code, 5, json.stderr);
  const { error } = JSON.parse(json.stdout);
  assert.equal(error.name, 'PreflightError');
  assert.equal(error.report.verdict, 'error');
  assert.deepEqual(error.report.findings.map((f) => f.code).sort(), ['DATABASE_EXISTS', 'DATABASE_NAME_DIFFERS', 'LOG_BACKUP']);
  assertNoSecret(json);

  const databaseName = uniqueDatabase('cli_pf_force');
  const forced = await runCli(args(databaseName, ['--preflight', '--force', '--file', 'single/log.bak', '--json']), { env: env() });
  assert.equal(forced.code, 0, forced.stderr);
  const result = JSON.parse(forced.stdout);
  assert.equal(result.accepted, true);
  assert.equal(result.preflight.verdict, 'error');
  assert.equal(posted(databaseName).length, 1);
});

test('--discover imports the proposed set, stripes in family order', async () => {
  const databaseName = uniqueDatabase('cli_discover');
  const run = await runCli(args(databaseName, ['--discover', 'striped/', '--json']), { env: env() });
  assert.equal(run.code, 0, run.stderr);
  const result = JSON.parse(run.stdout);
  assert.deepEqual(result.discovery.proposal.map((f) => f.path.split('/').pop()), ['sales-1of3.bak', 'sales-2of3.bak', 'sales-3of3.bak']);
  assert.equal(result.preflight.verdict, 'ok');
  const [request] = posted(databaseName);
  const files = bodyOf(request).source.s3_details.s3_files;
  assert.deepEqual(files.map((f) => [f.file_number, f.file_path]), [1, 2, 3].map((n) => [n, `${BUCKET}striped/sales-${n}of3.bak`]));

  const text = await runCli(args(uniqueDatabase('cli_discover'), ['--discover', 'striped/', '--dry-run']), { env: env() });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /^discovered 2 backup set\(s\); proposing the newest complete full backup \(3 file\(s\)\)$/m);
  assert.match(text.stdout, /^dry run: the input is valid and the preflight passed; nothing was triggered\.$/m);

  const none = await runCli(args(uniqueDatabase('cli_discover'), ['--discover', 'nothing-here/']), { env: env() });
  assert.equal(none.code, 5, none.stderr);
  assert.match(none.stderr, /no complete full backup set under .*nothing-here\/.*\[NO_BACKUP_SET\]/);

  const both = await runCli(args('x_db', ['--discover', 'striped/', '--file', 'a.bak']), { env: env() });
  assert.equal(both.code, 2);
});

test('production backups: compressed and several sets pass with their facts; encrypted refuses; --no-tail reads the head only', async () => {
  const databaseName = uniqueDatabase('cli_pf_sets');
  const run = await runCli(args(databaseName, ['--preflight', '--file', 'production/appended-compressed.bak']), { env: env() });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^preflight: WARNING \(1 file\(s\), .*a restore allocates 108\.0 MiB;/m);
  assert.match(run.stdout, /production\/appended-compressed\.bak +read +FULL +SalesDb +2022 +1 of 1 +yes +2 +\d+$/m);
  assert.match(run.stdout, /appended-compressed\.bak holds 2 backup sets; an import restores set 1:$/m);
  assert.match(run.stdout, /^ {2}1 +FULL +SalesDb +2024-01-01T22:00:00 +restored by an import$/m);
  assert.match(run.stdout, /^ {2}2 +FULL +SalesDb +2024-02-01T22:00:00$/m);
  assert.match(run.stdout, /^warning MULTIPLE_BACKUP_SETS: .*restores set 1, a full backup of 2024-01-01T22:00:00/m);
  assert.match(run.stdout, /^info +COMPRESSED: /m);
  assert.equal(posted(databaseName).length, 1, 'warnings do not refuse');

  const encrypted = await runCli(args(uniqueDatabase('cli_pf_enc'), ['--preflight', '--file', 'single/encrypted.bak', '--json']), { env: env() });
  assert.equal(encrypted.code, 5, encrypted.stderr);
  const { error } = JSON.parse(encrypted.stdout);
  assert.deepEqual(error.report.findings.filter((f) => f.severity === 'error').map((f) => f.code), ['ENCRYPTED_OR_UNREADABLE']);

  const headOnly = await runCli(args(uniqueDatabase('cli_pf_head'), ['--preflight', '--no-tail', '--dry-run', '--file', 'production/appended-2sets.bak', '--json']), { env: env() });
  assert.equal(headOnly.code, 0, headOnly.stderr);
  const result = JSON.parse(headOnly.stdout);
  assert.equal(result.preflight.files[0].backupSets, undefined, 'no tail, no sets');
  assert.ok(!result.preflight.findings.some((f) => f.code === 'MULTIPLE_BACKUP_SETS'));
  const withTail = await runCli(args(uniqueDatabase('cli_pf_tail'), ['--preflight', '--dry-run', '--file', 'production/appended-2sets.bak', '--json']), { env: env() });
  assert.equal(withTail.code, 0, withTail.stderr);
  assert.deepEqual(JSON.parse(withTail.stdout).preflight.files[0].backupSets.map((s) => s.position), [1, 2], 'the tail by default');

  const both = await runCli(args('x_db', ['--preflight', '--tail', '--no-tail', '--file', 'single/full.bak']), { env: env() });
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--tail or --no-tail, not both/);
});
