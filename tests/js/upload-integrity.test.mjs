// Uploaded bytes are verified (each body's signed SHA-256, checked by the server; the completed
// object's ETag against its parts') and object names follow one rule: in Node and in headless Chromium against s3s-fs, the stored bytes compared on disk.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as api from 'sqlserverflex-restore';
import { ACCESS_KEY, SECRET_KEY, startCorsProxy, startS3Server } from '../support/s3-server.mjs';
import { startStaticServer } from '../../www/serve.mjs';
import { chromiumArgs, runCasesInPage } from './support/chromium.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { integrityCases } from './support/upload-integrity-cases.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let s3;
let site;

before(async () => {
  s3 = await startS3Server();
  s3.bucket('backups');
  const fixtures = writeBackupFixtures();
  site = await startStaticServer({ mounts: { '/pkg/': join(root, 'pkg'), '/tests/': join(root, 'tests'), '/fixtures/': fixtures.dir } });
});
after(async () => {
  await site?.stop();
  await s3?.stop();
});

const stored = (key) => join(s3.root, 'backups', key);
const sha = (key) => createHash('sha256').update(readFileSync(stored(key))).digest('hex');
const pendingUploads = () => readdirSync(s3.root).filter((n) => n.startsWith('.upload'));

function assertResults(r, prefix) {
  // A part corrupted on the way is sent again; the object is the file, byte for byte.
  assert.deepEqual(r.healedParts.corrupted, ['partNumber=2&uploadId=' + r.healedParts.corrupted[0].split('uploadId=')[1]]);
  assert.equal(r.healedParts.parts, 3);
  assert.equal(r.healedParts.requests, 6, 'create, 3 parts, part 2 again, complete');
  assert.ok(r.healedParts.signedHashes, 'every part carries its SHA-256, signed');
  assert.equal(sha(`${prefix}parts/big.bak`), r.bigSha);
  // Unverified, the same corruption is stored: what the check prevents.
  assert.equal(r.unverified.corrupted.length, 1);
  assert.ok(r.unverified.unsigned, "payload: 'unsigned' signs no hash");
  assert.notEqual(sha(`${prefix}blind/big.bak`), r.bigSha, 'without the check the corrupted part was stored');
  // A single PUT refused by the server's Content-MD5 check is sent again.
  assert.deepEqual(r.healedPut, { requests: 2, corrupted: 1 });
  assert.equal(sha(`${prefix}single/full.bak`), r.fullSha);
  // A part that always arrives changed fails the upload after 3 sends, and nothing is kept.
  assert.equal(r.broken.name, 'ApiError');
  assert.equal(r.broken.code, 'BAD_DIGEST');
  assert.match(r.broken.message, /part 1 of .*broken\.bak was refused 3 times, so it was not stored/);
  assert.deepEqual(r.broken.part1Sends, [3]);
  assert.equal(r.broken.aborted, true, 'the multipart upload was aborted in S3');
  assert.ok(!existsSync(stored(`${prefix}broken/broken.bak`)));

  // Unsafe names: refused with a suggestion before any request.
  assert.equal(r.requestsForRefused, 0);
  for (const refused of r.refusedNames) {
    assert.deepEqual([refused.error, refused.field, refused.code], ['ValidationError', 'files[0]', 'format'], refused.name);
    assert.match(refused.suggestion, /^[A-Za-z0-9._()-]+$/, refused.name);
  }
  assert.deepEqual(r.refusedNames.slice(0, 5).map((n) => n.suggestion), ['Sales_DB_(1_of_2).bak', 'grosses_Backup_1.bak', '100_.bak', 'a_b.bak', 'what_.bak']);
  // The suggested names upload, and the paths upload returns validate and preflight.
  assert.deepEqual(r.uploadedNames, r.refusedNames.map((n) => n.suggestion));
  assert.deepEqual(r.validates, r.uploadedNames.map(() => [true, 0]));
  assert.deepEqual(r.preflightStatuses, r.uploadedNames.map(() => ['read', 'ok']));
  for (const name of r.uploadedNames) assert.ok(existsSync(stored(`${prefix}names/${name}`)), name);
  assert.deepEqual(pendingUploads(), [], 'no upload or part is left behind');
  assert.ok(!JSON.stringify(r).includes(SECRET_KEY));
}

const context = (endpoint, prefix) => ({ endpoint, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, fixtures: `${site.url}/fixtures/`, prefix });

test('in Node', async () => {
  assertResults(await integrityCases(api, context(s3.endpoint, 'int-node/')), 'int-node/');
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

  test('the same cases from Blobs through a bucket with a CORS rule', async () => {
    const results = await runCasesInPage(browser, site.url, '/tests/js/support/upload-integrity-cases.mjs', 'integrityCases', context(proxy.endpoint, 'int-chromium/'));
    assertResults(results, 'int-chromium/');
  });
});
