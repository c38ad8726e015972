// `inspect` as users run it (`node pkg/cli.mjs inspect …`) on local fixture backups and on objects in
// real S3 (s3s-fs): the table (compressed, sets), the backup sets of a file holding several, the database
// files, the findings, --json with every fact, and the exit codes (0 only when every file is readable).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../support/s3-server.mjs';
import { cleanEnv, runCli } from './support/cli-support.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';

const REAL_COMPRESSED = fileURLToPath(new URL('../fixtures/TutorialDB-compressed.bak', import.meta.url));
const HOST = 'object.storage.eu01.onstackit.cloud';
let fixtures;
let s3;

before(async () => {
  fixtures = writeBackupFixtures();
  s3 = await startS3Server();
  for (const [path, bytes] of fixtures.files) s3.put('backups', path, bytes);
});
after(() => s3?.stop());

const local = (name) => join(fixtures.dir, name);
const sizeOf = (name) => fixtures.files.get(name).length;
/** The first line of `text` matching `pattern`. */
const lineOf = (text, pattern) => text.split('\n').find((line) => pattern.test(line));

test('a real compressed backup: its facts, its database files and the COMPRESSED info (exit 0)', async () => {
  const run = await runCli(['inspect', REAL_COMPRESSED]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^FILE +KIND +TYPE +DATABASE +SQL SERVER +STRIPE +COMPRESSED +SETS +SIZE$/m);
  assert.match(run.stdout, /TutorialDB-compressed\.bak +MTF +FULL +TutorialDB +2016 +1 of 1 +yes +1 +431104$/m);
  // One file inspected: its database files are listed, with the total a restore allocates.
  assert.match(run.stdout, /^database files of .*TutorialDB-compressed\.bak \(a restore allocates 16\.0 MiB\):$/m);
  assert.match(run.stdout, /^ {2}LOGICAL NAME +TYPE +SIZE +PHYSICAL NAME$/m);
  assert.match(run.stdout, /^ {2}TutorialDB +DATA +8\.0 MiB +C:\\.*\\TutorialDB\.mdf$/m);
  assert.match(run.stdout, /^ {2}TutorialDB_log +LOG +8\.0 MiB +C:\\.*\\TutorialDB_log\.ldf$/m);
  assert.match(run.stdout, /^verdict: OK /m);
  assert.match(run.stdout, /^info +COMPRESSED: TutorialDB-compressed\.bak is a compressed backup: SQL Server restores it transparently$/m);
  assert.doesNotMatch(run.stdout, /holds \d+ backup sets/, 'one set: no sets table');
});

test('a file holding six backup sets: the sets table marks set 1 as what an import restores', async () => {
  const run = await runCli(['inspect', local('production/appended-6sets.bak')]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`appended-6sets\\.bak +MTF +FULL +SalesDb +2022 +1 of 1 +no +6 +${sizeOf('production/appended-6sets.bak')}$`, 'm'));
  assert.match(run.stdout, /^.*appended-6sets\.bak holds 6 backup sets; an import restores set 1:$/m);
  assert.match(run.stdout, /^ {2}POSITION +TYPE +DATABASE +DATE +NOTE$/m);
  const rows = run.stdout.split('\n').filter((line) => /^ {2}\d +[A-Z]+ +SalesDb +2024-/.test(line)).map((line) => line.trim().split(/ +/));
  assert.deepEqual(rows.map((r) => r.slice(0, 4)), [
    ['1', 'FULL', 'SalesDb', '2024-01-01T22:00:00'], ['2', 'DIFFERENTIAL', 'SalesDb', '2024-02-01T22:00:00'],
    ['3', 'LOG', 'SalesDb', '2024-03-01T22:00:00'], ['4', 'LOG', 'SalesDb', '2024-04-01T22:00:00'],
    ['5', 'FULL', 'SalesDb', '2024-05-01T22:00:00'], ['6', 'DIFFERENTIAL', 'SalesDb', '2024-06-01T22:00:00'],
  ]);
  assert.match(lineOf(run.stdout, /^ {2}1 +FULL/), /restored by an import$/);
  assert.equal(run.stdout.match(/restored by an import/g).length, 1, 'only set 1');
  assert.match(run.stdout, /^ {2}SalesDb +DATA +100\.0 MiB +C:\\Data\\SalesDb\.mdf$/m);
  assert.match(run.stdout, /^verdict: WARNING /m);
  assert.match(run.stdout, /^warning MULTIPLE_BACKUP_SETS: appended-6sets\.bak holds 6 backup sets .*restores set 1, a full backup of 2024-01-01T22:00:00; the newest, set 6, is a differential backup of 2024-06-01T22:00:00/m);
});

test('several files: judged as one restore; database files only with --files', async () => {
  const files = [local('striped/sales-1of3.bak'), local('striped/sales-2of3.bak'), local('striped/sales-3of3.bak')];
  const run = await runCli(['inspect', ...files]);
  assert.equal(run.code, 0, run.stderr);
  for (const n of [1, 2, 3]) assert.match(run.stdout, new RegExp(`sales-${n}of3\\.bak +MTF +FULL +SalesDb +2022 +${n} of 3 +no +1 +${sizeOf(`striped/sales-${n}of3.bak`)}$`, 'm'));
  assert.doesNotMatch(run.stdout, /database files of/);
  assert.match(run.stdout, /^verdict: OK \(the files judged as one restore\)$/m);

  const listed = await runCli(['inspect', ...files, '--files']);
  assert.equal(listed.code, 0, listed.stderr);
  assert.equal(listed.stdout.match(/^database files of .*sales-\dof3\.bak \(a restore allocates 108\.0 MiB\):$/gm).length, 3);

  const renamed = await runCli(['inspect', ...files, '--database', 'Reporting']);
  assert.match(renamed.stdout, /^info +DATABASE_NAME_DIFFERS: the backup is of database SalesDb; it will be restored as Reporting$/m);
  assert.doesNotMatch(run.stdout, /DATABASE_NAME_DIFFERS/, 'no target given, nothing to compare');

  const incomplete = await runCli(['inspect', files[0], files[2]]);
  assert.equal(incomplete.code, 0, 'every file is a readable backup');
  assert.match(incomplete.stdout, /^verdict: ERROR /m);
  assert.match(incomplete.stdout, /^error +STRIPE_MISSING: /m);
});

test('an encrypted stand-in, a log backup and a non-backup: findings, exit 1', async () => {
  const run = await runCli(['inspect', local('single/encrypted.bak'), local('single/compressed.bak')]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /encrypted\.bak +ENCRYPTED_OR_UNREADABLE +- +- +- +- +- +- +8192$/m);
  assert.match(run.stdout, new RegExp(`compressed\\.bak +MTF +FULL +SalesDb +2022 +1 of 1 +yes +1 +${sizeOf('single/compressed.bak')}$`, 'm'));
  assert.match(run.stdout, /^error +ENCRYPTED_OR_UNREADABLE: encrypted\.bak starts like a compressed backup \(MSSQLBAK\) but cannot be read: .*The service refuses encrypted backups$/m);
  const errorAt = run.stdout.indexOf('error   ENCRYPTED_OR_UNREADABLE');
  const infoAt = run.stdout.indexOf('info    COMPRESSED');
  assert.ok(errorAt > 0 && infoAt > errorAt, 'errors first');

  const compressedOnly = await runCli(['inspect', local('single/compressed.bak'), local('production/compressed-diff.bak')]);
  assert.equal(compressedOnly.code, 0, 'compressed backups are readable backups');

  const mixed = await runCli(['inspect', local('single/log.bak'), local('single/not-a-backup.bak'), local('production/sql2005.bak')]);
  assert.equal(mixed.code, 1);
  for (const code of ['LOG_BACKUP', 'NOT_SQL_BACKUP', 'BACKUP_TOO_OLD']) assert.match(mixed.stdout, new RegExp(`^error +${code}: `, 'm'), code);
});

test('--json: every fact — header with database files, backup sets, tail, findings', async () => {
  const run = await runCli(['inspect', local('production/appended-2sets.bak'), REAL_COMPRESSED, local('single/not-a-backup.bak'), '--json']);
  assert.equal(run.code, 1, 'the non-backup');
  const result = JSON.parse(run.stdout);
  assert.equal(result.verdict, 'error');
  assert.deepEqual(result.findings.map((f) => f.code).sort(), ['COMPRESSED', 'MIXED_MEDIA_SETS', 'MULTIPLE_BACKUP_SETS', 'NOT_SQL_BACKUP']);
  assert.deepEqual(result.files.map((f) => [f.kind, f.compressed, f.backupType, f.backupSets.length]),
    [['MTF', false, 'FULL', 2], ['MTF', true, 'FULL', 1], ['NOT_SQL_BACKUP', false, null, 0]]);
  assert.deepEqual(result.files[0].backupSets.map((s) => [s.position, s.backupType, s.backupDate]),
    [[1, 'FULL', '2024-01-01T22:00:00'], [2, 'FULL', '2024-02-01T22:00:00']]);
  assert.equal(result.files[0].tail.filemarks.used, 4);
  assert.equal(result.files[0].path, local('production/appended-2sets.bak'), 'the path as given');
  assert.deepEqual(result.files[1].header.files.map((f) => [f.logicalName, f.fileType, f.size]),
    [['TutorialDB', 'DATA', 8 * 1024 * 1024], ['TutorialDB_log', 'LOG', 8 * 1024 * 1024]]);
  assert.equal(result.files[1].restoreSize, 16 * 1024 * 1024);
  assert.equal(result.files[1].databaseVersion, 852);
  assert.equal(run.stderr, '');
});

test('s3:// objects are read through the preflight (the tail and later sets too)', async () => {
  const env = cleanEnv({ S3_ACCESS_KEY: ACCESS_KEY, S3_SECRET_KEY: SECRET_KEY });
  const uri = (name) => `s3://${HOST}/backups/${name}`;
  const run = await runCli(['inspect', uri('production/appended-compressed.bak'), '--endpoint', s3.endpoint], { env });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /appended-compressed\.bak +MTF +FULL +SalesDb +2022 +1 of 1 +yes +2 +\d+$/m);
  assert.match(run.stdout, /appended-compressed\.bak holds 2 backup sets; an import restores set 1:$/m);
  assert.match(run.stdout, /^warning MULTIPLE_BACKUP_SETS: /m);
  assert.match(run.stdout, /^info +COMPRESSED: /m);
  assert.ok(!run.stdout.includes(SECRET_KEY) && !run.stderr.includes(SECRET_KEY));

  const missing = await runCli(['inspect', uri('production/nope.bak'), '--endpoint', s3.endpoint, '--json'], { env });
  assert.equal(missing.code, 1);
  const result = JSON.parse(missing.stdout);
  assert.deepEqual(result.files.map((f) => f.kind), ['MISSING']);
  assert.deepEqual(result.findings.map((f) => f.code), ['OBJECT_MISSING']);
});

test('usage: no file, an unreadable path, no S3 keys (exit 2); the help explains the output', async () => {
  assert.equal((await runCli(['inspect'])).code, 2);
  const typo = await runCli(['inspect', local('single/nope.bak')]);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /cannot read .*nope\.bak: ENOENT/);
  const noKeys = await runCli(['inspect', `s3://${HOST}/backups/single/full.bak`]);
  assert.equal(noKeys.code, 2);
  const help = await runCli(['inspect', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^ {2}--files +list the database files of every backup \(default: only when one file is inspected\)$/m);
  assert.match(help.stdout, /an import restores set 1/);
  assert.match(help.stdout, /Exit codes: 0 every file is a readable SQL Server backup \(plain or compressed\)/);
});
