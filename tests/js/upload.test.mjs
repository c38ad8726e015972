// Upload of local backups to a real S3 server (s3s-fs verifies SigV4), in Node and in headless
// Chromium through a CORS proxy; what lands on the server's disk is compared byte for byte (SHA-256).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as api from 'sqlserverflex-restore';
import { ACCESS_KEY, SECRET_KEY, startCorsProxy, startS3Server } from '../support/s3-server.mjs';
import { startStaticServer } from '../../www/serve.mjs';
import { chromiumArgs, runCasesInPage } from './support/chromium.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { largeBackup, uploadCases } from './support/upload-cases.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MIB_5 = 5 * 1024 * 1024;
let s3;
let site;
let fixtures;

before(async () => {
  s3 = await startS3Server();
  s3.bucket('backups');
  fixtures = writeBackupFixtures();
  site = await startStaticServer({ mounts: { '/pkg/': join(root, 'pkg'), '/tests/': join(root, 'tests'), '/fixtures/': fixtures.dir } });
});
after(async () => {
  await site?.stop();
  await s3?.stop();
});

const stored = (key) => join(s3.root, 'backups', key);
const sha = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** s3s-fs keeps each unfinished upload as `.upload-<id>.json` and its parts as `.upload_id-<id>.part-N`. */
const pendingUploads = () => readdirSync(s3.root).filter((n) => n.startsWith('.upload'));

function assertResults(r, prefix) {
  assert.deepEqual(r.small.files.map((f) => [f.key, f.parts, f.multipart]), [[`${prefix}small/full.bak`, 1, false]]);
  assert.equal(r.small.requests, 1, 'a small file is one PUT');
  assert.equal(sha(stored(`${prefix}small/full.bak`)), r.smallSha);

  assert.deepEqual(r.multi.files.map((f) => [f.parts, f.multipart, f.resumedParts]), [[5, true, 0]]);
  assert.equal(r.multi.requests, 7, 'create, 5 parts, complete');
  assert.equal(sha(stored(`${prefix}multi/big.bak`)), r.multiSha, 'the object is the file, byte for byte');
  assert.ok(r.events.monotonic);
  assert.equal(r.events.last.percent, 100);
  assert.equal(r.events.last.done, true);
  assert.deepEqual(r.events.fields, ['bytesPerSecond', 'done', 'elapsedMs', 'etaMs', 'file', 'loaded', 'percent', 'total']);
  assert.ok(r.events.count >= 6, 'an event per part');

  assert.equal(sha(stored(`${prefix}hashed/file-1.bak`)), r.hashedSha, 'SHA-256 payloads verified by the server');

  assert.deepEqual(r.failed, { name: 'NetworkError', code: 'NETWORK_ERROR', parts: 2, aborted: false, key: `${prefix}resume/r.bak` });
  assert.deepEqual(r.resumed.files.map((f) => [f.parts, f.resumedParts]), [[4, 2]]);
  assert.equal(r.resumed.sentBytes, 6 * 1024 * 1024, 'only the two missing parts were sent');
  assert.equal(sha(stored(`${prefix}resume/r.bak`)), r.resumedSha);

  assert.equal(r.lostCompletion.completions, 2, 'the completion was sent again');
  assert.equal(r.lostCompletion.requests, 6, 'create, 3 parts, the completion (its retry inside), a one-byte read');
  assert.equal(r.lostCompletion.files[0].parts, 3);
  assert.equal(sha(stored(`${prefix}lost/l.bak`)), r.lostSha);

  assert.deepEqual(r.aborted, { name: 'AbortError', removed: true });
  assert.deepEqual(r.abortedTwice, { name: 'AbortError', removed: true, deletes: 2 }, 'aborted again while ListParts found it');
  assert.ok(!existsSync(stored(`${prefix}abort-again/b.bak`)));
  assert.ok(!existsSync(stored(`${prefix}abort/a.bak`)));

  for (const denied of [r.wrongKey, r.wrongKeyMultipart]) {
    assert.equal(denied.name, 'AuthError');
    assert.equal(denied.code, 'ACCESS_DENIED');
    assert.match(denied.message, /SignatureDoesNotMatch/);
  }
  assert.equal(r.notBackup.name, 'PreflightError');
  assert.deepEqual(r.notBackup.findings, ['NOT_SQL_BACKUP']);
  assert.ok(!existsSync(stored(`${prefix}refused/noise.bak`)), 'nothing was sent');
  assert.equal(r.forced.files[0].size, 70_000);
  assert.deepEqual(r.striped.files.map((f) => [f.number, f.key.split('/').pop()]), [[1, 'sales-1of3.bak'], [2, 'sales-2of3.bak'], [3, 'sales-3of3.bak']]);
  assert.deepEqual(r.stripeMissing.findings, ['STRIPE_MISSING']);
  assert.deepEqual(r.compressed.codes, ['COMPRESSED'], 'a compressed backup is uploaded, with an info');
  assert.equal(r.compressed.compressed, true);
  assert.equal(sha(stored(`${prefix}compressed/compressed.bak`)), r.compressedSha);
  assert.deepEqual(r.appended.codes, ['COMPRESSED', 'MULTIPLE_BACKUP_SETS'], 'a warning does not refuse');
  assert.deepEqual(r.appended.sets, [[1, '2024-01-01T22:00:00'], [2, '2024-02-01T22:00:00']]);
  assert.equal(r.appended.restoreSize, 108 * 1024 * 1024);
  assert.ok(existsSync(stored(`${prefix}appended/appended.bak`)));
  assert.equal(r.encrypted.name, 'PreflightError');
  assert.deepEqual(r.encrypted.findings, ['ENCRYPTED_OR_UNREADABLE']);
  assert.match(r.encrypted.message, /nothing was sent/);
  assert.ok(!existsSync(stored(`${prefix}encrypted/encrypted.bak`)), 'nothing was sent');
  assert.equal(r.invalid.name, 'ValidationError');
  assert.match(r.invalid.message, /accessKey/);
  assert.match(r.invalid.message, /partSize/);
  assert.ok(!JSON.stringify(r).includes(SECRET_KEY), 'the S3 secret appears in no result or error');
}

test('in Node', async () => {
  const prefix = 'up-node/';
  const r = await uploadCases(api, { endpoint: s3.endpoint, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, fixtures: `${site.url}/fixtures/`, prefix });
  assertResults(r, prefix);
  assert.deepEqual(pendingUploads(), [], 'no upload or part is left behind');
});

test('Node file paths are read part by part', async () => {
  const path = join(fixtures.dir, 'single', 'full.bak');
  const r = await api.upload({ s3: { bucket: `s3://x.invalid/backups/up-path/`, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint }, files: [path] });
  assert.equal(r.files[0].key, 'up-path/full.bak');
  assert.equal(sha(stored('up-path/full.bak')), sha(path));
});

test('Node paths: parts sent from reused buffers are the file byte for byte, verified or not; a file cut short fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssfr-up-pool-'));
  const path = join(dir, 'pooled.bak');
  writeFileSync(path, largeBackup(fixtures.files.get('single/full.bak'), 3 * MIB_5 + 4321, 7));
  const s3Input = (prefix) => ({ bucket: `s3://x.invalid/backups/${prefix}`, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint });
  for (const payload of ['sha256', 'unsigned']) {
    const r = await api.upload({ s3: s3Input(`up-pool-${payload}/`), files: [path] }, { partSize: MIB_5, concurrency: 2, payload });
    assert.deepEqual(r.files.map((f) => [f.parts, f.size]), [[4, 3 * MIB_5 + 4321]], payload);
    assert.equal(sha(stored(`up-pool-${payload}/pooled.bak`)), sha(path), payload);
  }
  // The file shrinks after the first part: the short read is reported, the upload aborted in S3.
  let cut = false;
  const onProgress = () => {
    if (!cut) truncateSync(path, MIB_5 + 10);
    cut = true;
  };
  const error = await api.upload({ s3: s3Input('up-pool-cut/'), files: [path] }, { partSize: MIB_5, concurrency: 1, onProgress }).then(() => null, (e) => e);
  assert.equal(error?.code, 'SOURCE_CHANGED');
  assert.equal(error.upload?.aborted, true);
  assert.ok(!existsSync(stored('up-pool-cut/pooled.bak')));
  rmSync(dir, { recursive: true, force: true });
});

test('Node paths: the real compressed backup is uploaded, an encrypted one refused before anything is sent', async () => {
  const s3Input = (prefix) => ({ bucket: `s3://x.invalid/backups/${prefix}`, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint });
  const real = fileURLToPath(new URL('../fixtures/TutorialDB-compressed.bak', import.meta.url));
  const r = await api.upload({ s3: s3Input('up-real/'), files: [real] });
  assert.equal(r.report.verdict, 'ok');
  assert.deepEqual(r.report.findings.map((f) => f.code), ['COMPRESSED']);
  assert.equal(r.report.files[0].header.databaseName, 'TutorialDB');
  assert.equal(r.report.restoreSize, 16 * 1024 * 1024);
  assert.equal(sha(stored('up-real/TutorialDB-compressed.bak')), sha(real));
  const refused = await api.upload({ s3: s3Input('up-enc/'), files: [join(fixtures.dir, 'single', 'encrypted.bak')] }).then(() => null, (e) => e);
  assert.equal(refused?.name, 'PreflightError');
  assert.deepEqual(refused.report.findings.map((f) => [f.code, f.severity]), [['ENCRYPTED_OR_UNREADABLE', 'error']]);
  assert.ok(!existsSync(stored('up-enc')), 'nothing was sent');
  const forced = await api.upload({ s3: s3Input('up-enc/'), files: [join(fixtures.dir, 'single', 'encrypted.bak')] }, { force: true });
  assert.equal(forced.files[0].size, fixtures.files.get('single/encrypted.bak').length, 'force uploads it anyway');
});

describe('in headless Chromium', () => {
  let proxy;
  let browser;
  before(async () => {
    proxy = await startCorsProxy(s3.endpoint);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    await proxy?.stop();
  });

  test('the same uploads from Blobs through a bucket with a CORS rule', async () => {
    const prefix = 'up-chromium/';
    const results = await runCasesInPage(browser, site.url, '/tests/js/support/upload-cases.mjs', 'uploadCases',
      { endpoint: proxy.endpoint, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, fixtures: `${site.url}/fixtures/`, prefix });
    assertResults(results, prefix);
    assert.deepEqual(pendingUploads(), []);
  });
});

describe('importFromS3 with { upload }', () => {
  let emulator;
  before(async () => {
    const { startEmulator } = await import('sqlserverflex-restore/emulator');
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator?.stop());

  const HOST = 'object.storage.eu01.onstackit.cloud';
  const client = () => new api.RestoreClient({ projectId: '11111111-1111-4111-8111-111111111111', region: 'eu01', baseUrl: emulator.url, token: 'emulator-token' });
  const input = (databaseName, prefix) => ({
    instanceId: '22222222-2222-4222-8222-222222222222', databaseName, databaseOwner: 'dbo_owner',
    s3: { bucket: `s3://${HOST}/backups/${prefix}`, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint, files: [] },
  });
  const stripes = () => ['sales-2of3.bak', 'sales-3of3.bak', 'sales-1of3.bak'].map((n) => join(fixtures.dir, 'striped', n));

  test('uploads the stripes, then imports them in family order', async () => {
    const result = await client().importFromS3(input('up_import', 'up-import/'), { upload: { files: stripes(), concurrency: 2 } });
    assert.equal(result.accepted, true);
    assert.deepEqual(result.upload.files.map((f) => f.number), [1, 2, 3]);
    const [post] = emulator.requests({ operation: 'RestoreDatabaseFromBackup' }).filter((r) => JSON.stringify(r.body).includes('up_import'));
    const files = (typeof post.body === 'string' ? JSON.parse(post.body) : post.body).source.s3_details.s3_files;
    assert.deepEqual(files.map((f) => [f.file_number, f.file_path]), [1, 2, 3].map((n) => [n, `s3://${HOST}/backups/up-import/sales-${n}of3.bak`]));
    for (const n of [1, 2, 3]) assert.equal(sha(stored(`up-import/sales-${n}of3.bak`)), sha(join(fixtures.dir, 'striped', `sales-${n}of3.bak`)));
  });

  test('an invalid import is refused before anything is uploaded', async () => {
    const error = await client().importFromS3(input('master', 'up-invalid/'), { upload: stripes() }).then(() => assert.fail(), (e) => e);
    assert.equal(error.name, 'ValidationError');
    assert.ok(error.errors.some((i) => i.code === 'reserved_name'));
    assert.ok(!existsSync(stored('up-invalid')));
  });
});
