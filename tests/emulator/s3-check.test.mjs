// SigV4 against AWS's published example, and the optional S3 check of EXTERNAL_S3 imports against a
// fake S3-compatible endpoint: plain and compressed backups restore (a real compressed SQL Server 2016
// backup among them), an encrypted stand-in, a missing file, a non-backup and a wrong key fail. The
// check judges bytes with the package's wasm parser, so it runs on the built package's emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { signV4, EMPTY_PAYLOAD_SHA256 } from '../../pkg-template/emulator/sigv4.mjs';
import { locateObject } from '../../pkg-template/emulator/s3-check.mjs';
import { writeBackupFixtures } from '../js/support/fixtures-bak.mjs';
import { START_MS, call, startFakeS3, s3RestoreBody } from './support/helpers.mjs';

/** The built package's emulator (its S3 check loads the package's wasm), on the manual clock. */
const startBuiltEmulator = (options) => startEmulator({ manualClock: true, manualClockStartMs: START_MS, ...options });

test('SigV4 matches the AWS S3 documentation example (GET /test.txt with Range)', () => {
  // docs.aws.amazon.com AmazonS3 "Signature Calculations for the Authorization Header", Example: GET Object.
  const headers = signV4({
    method: 'GET',
    host: 'examplebucket.s3.amazonaws.com',
    path: '/test.txt',
    headers: { Range: 'bytes=0-9' },
    region: 'us-east-1',
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    date: new Date('2013-05-24T00:00:00Z'),
  });
  assert.equal(headers['x-amz-date'], '20130524T000000Z');
  assert.equal(headers['x-amz-content-sha256'], EMPTY_PAYLOAD_SHA256);
  assert.equal(headers.authorization,
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, '
    + 'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, '
    + 'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
});

test('bucket and key from path-style and virtual-hosted URLs', () => {
  assert.deepEqual(locateObject('s3://object.storage.eu01.onstackit.cloud/backups/', 's3://object.storage.eu01.onstackit.cloud/backups/2024/full%20one.bak'), { bucket: 'backups', key: '2024/full one.bak' });
  assert.deepEqual(locateObject('https://object.storage.eu01.onstackit.cloud/backups/prefix/', 'https://object.storage.eu01.onstackit.cloud/backups/prefix/a.bak'), { bucket: 'backups', key: 'prefix/a.bak' });
  assert.deepEqual(locateObject('http://mein-beispiel-bucket.s3.eu-central-1.amazonaws.com/', 'http://mein-beispiel-bucket.s3.eu-central-1.amazonaws.com/lummerland/peter_pab.bak'), { bucket: 'mein-beispiel-bucket', key: 'lummerland/peter_pab.bak' });
});

const BUCKET = 's3://object.storage.eu01.onstackit.cloud/backups/';
let s3;
let emulator;

before(async () => {
  const { files } = writeBackupFixtures();
  s3 = await startFakeS3({
    objects: {
      'backups/full.bak': files.get('single/full.bak'),
      'backups/stripe 2.bak': files.get('striped/sales-2of3.bak'),
      'backups/TutorialDB-compressed.bak': readFileSync(new URL('../fixtures/TutorialDB-compressed.bak', import.meta.url)),
      'backups/compressed-4k.bak': files.get('production/compressed-4k-1of2.bak'),
      'backups/encrypted.bak': files.get('single/encrypted.bak'),
      'backups/notes.txt': Buffer.from('hello world'),
      'backups/tiny.bak': Buffer.from('TAP'),
    },
  });
  emulator = await startBuiltEmulator({ s3: { endpoint: s3.endpoint } });
});
after(async () => {
  await emulator.stop();
  await s3.stop();
});

async function importAndFinish(databaseName, files, secretOverrides = {}) {
  const body = s3RestoreBody({ databaseName, bucket: BUCKET, files });
  Object.assign(body.source.s3_details, secretOverrides);
  assert.equal((await call(emulator, 'POST', 'restores', { body })).status, 202, 'the check is asynchronous: always 202');
  emulator.advanceClock(600_000);
  const db = await call(emulator, 'GET', `databases/${databaseName}`);
  const restore = emulator.state.instances[0].restores.find((r) => r.databaseName === databaseName);
  return { dbStatus: db.status, restore };
}

test('plain backups restore; the check reads the first 64 KiB with SigV4-signed ranged GETs', async () => {
  s3.seen.length = 0;
  const { dbStatus, restore } = await importAndFinish('s3_ok', ['full.bak', 'stripe 2.bak']);
  assert.equal(dbStatus, 200);
  assert.equal(restore.s3Check.status, 'PASSED');
  const gets = s3.seen.filter((r) => r.url.startsWith('/backups/'));
  assert.deepEqual(gets.map((r) => r.url), ['/backups/full.bak', '/backups/stripe%202.bak']);
  assert.equal(gets[0].headers.range, 'bytes=0-65535');
  assert.match(gets[0].headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIAEMULATORTEST\/\d{8}\/eu01\/s3\/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
});

test('compressed backups restore, as SQL Server restores them transparently', async () => {
  const real = await importAndFinish('s3_compressed', ['TutorialDB-compressed.bak']);
  assert.equal(real.restore.s3Check.status, 'PASSED', JSON.stringify(real.restore.s3Check.problems));
  assert.equal(real.dbStatus, 200, 'the real compressed SQL Server 2016 backup restores');
  const made = await importAndFinish('s3_compressed_4k', ['compressed-4k.bak']);
  assert.equal(made.restore.s3Check.status, 'PASSED', JSON.stringify(made.restore.s3Check.problems));
  assert.equal(made.dbStatus, 200);
});

test('an encrypted (undecodable MSSQLBAK) file, a missing file or a non-backup fail the restore; no database appears', async () => {
  const { dbStatus, restore } = await importAndFinish('s3_bad', ['full.bak', 'missing.bak', 'encrypted.bak', 'notes.txt', 'tiny.bak']);
  assert.equal(dbStatus, 404);
  assert.equal(restore.status, 'FAILED');
  assert.equal(restore.s3Check.status, 'FAILED');
  assert.equal(restore.s3Check.problems.length, 4, JSON.stringify(restore.s3Check.problems));
  assert.match(restore.failureReason, /missing\.bak\): not found/);
  assert.match(restore.failureReason, /encrypted\.bak\): encrypted or unreadable backup \(MSSQLBAK records do not decode\): the service refuses encrypted backups/);
  assert.match(restore.failureReason, /notes\.txt\): not a SQL Server backup/);
  assert.match(restore.failureReason, /tiny\.bak\): not a SQL Server backup \(too short to tell\)/);
  assert.doesNotMatch(restore.failureReason, /full\.bak/, 'the plain backup passed');
  assert.equal(restore.percentComplete, 2, 'unreadable files fail the job early');
});

test('wrong credentials → the restore fails with access denied', async () => {
  const { dbStatus, restore } = await importAndFinish('s3_denied', ['full.bak'], { s3_access_key: 'WRONGKEY' });
  assert.equal(dbStatus, 404);
  assert.match(restore.failureReason, /access denied/);
});

test('an unreachable S3 endpoint → the restore fails as unreadable', async (t) => {
  const unreachable = await startBuiltEmulator({ s3: { endpoint: 'http://127.0.0.1:9' } });
  t.after(() => unreachable.stop());
  await call(unreachable, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'nowhere_db', bucket: BUCKET, files: ['full.bak'] }) });
  unreachable.advanceClock(600_000);
  const jobs = await call(unreachable, 'GET', 'restore-jobs');
  assert.deepEqual(jobs.json.runningRestores, []);
  const [restore] = unreachable.state.instances[0].restores;
  assert.equal(restore.status, 'FAILED');
  assert.match(restore.failureReason, /unreadable/);
});

test('BACKUP and point-in-time restores are not S3-checked', async () => {
  assert.equal((await call(emulator, 'POST', 'restores', { body: { database_name: 'dropped_db', source: { type: 'BACKUP' } } })).status, 202);
  const restore = emulator.state.instances[0].restores.at(-1);
  assert.equal(restore.s3Check.status, 'SKIPPED');
});
