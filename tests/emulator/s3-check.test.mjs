// SigV4 against AWS's published example, and the optional S3 check of EXTERNAL_S3 imports
// against a fake S3-compatible endpoint (plain TAPE backup, MSSQLBAK, missing, wrong key).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { signV4, EMPTY_PAYLOAD_SHA256 } from '../../pkg-template/emulator/sigv4.mjs';
import { locateObject } from '../../pkg-template/emulator/s3-check.mjs';
import { call, startTestEmulator, startFakeS3, s3RestoreBody } from './helpers.mjs';

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
  s3 = await startFakeS3({
    objects: {
      'backups/plain.bak': Buffer.concat([Buffer.from('TAPE'), Buffer.alloc(2048, 1)]),
      'backups/stripe 2.bak': Buffer.concat([Buffer.from('TAPE'), Buffer.alloc(64)]),
      'backups/compressed.bak': Buffer.concat([Buffer.from('MSSQLBAK'), Buffer.alloc(64)]),
      'backups/notes.txt': Buffer.from('hello world'),
    },
  });
  emulator = await startTestEmulator({ s3: { endpoint: s3.endpoint } });
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

test('readable TAPE files: the restore succeeds; requests are SigV4-signed ranged GETs', async () => {
  const { dbStatus, restore } = await importAndFinish('s3_ok', ['plain.bak', 'stripe 2.bak']);
  assert.equal(dbStatus, 200);
  assert.equal(restore.s3Check.status, 'PASSED');
  const gets = s3.seen.filter((r) => r.url.startsWith('/backups/'));
  assert.deepEqual(gets.map((r) => r.url), ['/backups/plain.bak', '/backups/stripe%202.bak']);
  assert.equal(gets[0].headers.range, 'bytes=0-7');
  assert.match(gets[0].headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIAEMULATORTEST\/\d{8}\/eu01\/s3\/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
});

test('a missing file, a compressed (MSSQLBAK) file or a non-backup fail the restore; no database appears', async () => {
  const { dbStatus, restore } = await importAndFinish('s3_bad', ['plain.bak', 'missing.bak', 'compressed.bak', 'notes.txt']);
  assert.equal(dbStatus, 404);
  assert.equal(restore.status, 'FAILED');
  assert.equal(restore.s3Check.status, 'FAILED');
  assert.equal(restore.s3Check.problems.length, 3);
  assert.match(restore.failureReason, /missing\.bak\): not found/);
  assert.match(restore.failureReason, /compressed\.bak\): compressed or encrypted backup \(MSSQLBAK\)/);
  assert.match(restore.failureReason, /notes\.txt\): not a SQL Server backup/);
  assert.equal(restore.percentComplete, 2, 'unreadable files fail the job early');
});

test('wrong credentials → the restore fails with access denied', async () => {
  const { dbStatus, restore } = await importAndFinish('s3_denied', ['plain.bak'], { s3_access_key: 'WRONGKEY' });
  assert.equal(dbStatus, 404);
  assert.match(restore.failureReason, /access denied/);
});

test('an unreachable S3 endpoint → the restore fails as unreadable', async (t) => {
  const unreachable = await startTestEmulator({ s3: { endpoint: 'http://127.0.0.1:9' } });
  t.after(() => unreachable.stop());
  await call(unreachable, 'POST', 'restores', { body: s3RestoreBody({ databaseName: 'nowhere_db', bucket: BUCKET, files: ['plain.bak'] }) });
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
