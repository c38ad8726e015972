// Backup preflight over real S3 (s3s-fs verifies SigV4) in Node, and in Chromium through a CORS proxy.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as api from 'sqlserverflex-restore';
import { ACCESS_KEY, SECRET_KEY, startCorsProxy, startS3Server } from '../support/s3-server.mjs';
import { startStaticServer } from '../../www/serve.mjs';
import { chromiumArgs } from './chromium.mjs';
import { writeBackupFixtures } from './fixtures-bak.mjs';
import { preflightCases } from './preflight-cases.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let s3;

before(async () => {
  s3 = await startS3Server();
  for (const [path, bytes] of writeBackupFixtures().files) s3.put('backups', path, bytes);
});
after(() => s3?.stop());

function assertResults(r) {
  assert.equal(r.single.verdict, 'ok', JSON.stringify(r.single.codes));
  assert.deepEqual(r.single.codes, []);
  assert.equal(r.single.header.databaseName, 'SalesDb');
  assert.equal(r.single.header.backupType, 'FULL');
  assert.equal(r.single.header.sqlServerVersion, '2022');
  assert.equal(r.single.size, 532480, 'size from Content-Range');
  assert.equal(r.single.requests, 1, 'one ranged GET per file');
  assert.equal(r.single.bytesRead, 65536);
  assert.deepEqual(r.striped.codes, ['FILE_ORDER_CORRECTED']);
  assert.deepEqual(r.striped.order, ['sales-1of3.bak', 'sales-2of3.bak', 'sales-3of3.bak']);
  assert.deepEqual(r.stripeMissing.codes, ['STRIPE_MISSING']);
  assert.equal(r.stripeMissing.verdict, 'error');
  assert.deepEqual(r.mixed.codes, ['MIXED_MEDIA_SETS']);
  assert.deepEqual(r.kinds.codes, ['LOG_BACKUP', 'ENCRYPTED_OR_COMPRESSED', 'NOT_SQL_BACKUP', 'OBJECT_MISSING']);
  assert.deepEqual(r.wrongSecret.codes, ['ACCESS_DENIED']);
  assert.deepEqual(r.tail.codes, [], 'a complete file ends with its ESET block');
  assert.equal(r.tail.requests, 2, 'tail: one more ranged GET (the last 64 KiB)');
  assert.equal(r.tail.bytesRead, 2 * 65536);
  assert.ok(r.tail.etag && r.tail.etag === r.tail.tailEtag && !r.tail.etag.includes('"'), `ETag from both reads: ${r.tail.etag}`);
  assert.ok(r.tail.endOfSet > r.tail.size - 65536 && r.tail.endOfSet < r.tail.size, `ESET at ${r.tail.endOfSet} of ${r.tail.size}`);
  assert.deepEqual(r.truncated.codes, ['END_OF_SET_MISSING']);
  assert.equal(r.truncated.verdict, 'warning');
  assert.deepEqual(r.renamed.codes, ['DATABASE_NAME_DIFFERS']);
  assert.equal(r.renamed.verdict, 'ok');
  assert.deepEqual(r.discovery.proposal, ['1:sales-1of3.bak', '2:sales-2of3.bak', '3:sales-3of3.bak']);
  assert.equal(r.discovery.verdict, 'ok');
  assert.deepEqual(r.discovery.sets, [{ count: 3, complete: true, files: 3 }, { count: 2, complete: true, files: 2 }]);
  assert.equal(r.invalid.error.name, 'ValidationError');
  assert.equal(r.aborted.error.name, 'AbortError');
  assert.ok(!JSON.stringify(r).includes(SECRET_KEY), 'the S3 secret appears in no result or error');
}

test('in Node', async () => {
  assertResults(await preflightCases(api, { endpoint: s3.endpoint, accessKey: ACCESS_KEY, secretKey: SECRET_KEY }));
});

test('inspect reads local bytes', () => {
  const { files } = writeBackupFixtures();
  const header = api.inspect(files.get('striped/sales-2of3.bak'));
  assert.equal(header.kind, 'MTF');
  assert.equal(header.familyCount, 3);
  assert.equal(header.familySequence, 2);
  assert.equal(api.inspect(new Uint8Array([1, 2, 3])).kind, 'NOT_SQL_BACKUP');
});

describe('in headless Chromium', () => {
  let proxy;
  let site;
  let browser;
  before(async () => {
    proxy = await startCorsProxy(s3.endpoint);
    site = await startStaticServer({ mounts: { '/pkg/': join(root, 'pkg'), '/tests/': join(root, 'tests') } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
    await proxy?.stop();
  });

  test('the same preflight through a bucket with a CORS rule', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/pkg/package.json`);
    const results = await page.evaluate(async (ctx) => {
      const browserApi = await import('/pkg/browser.mjs');
      const { preflightCases: cases } = await import('/tests/js/preflight-cases.mjs');
      return cases(browserApi, ctx);
    }, { endpoint: proxy.endpoint, accessKey: ACCESS_KEY, secretKey: SECRET_KEY });
    assertResults(results);
    await page.close();
  });

  test('without a CORS rule the error says what to configure', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/pkg/package.json`);
    const result = await page.evaluate(async (ctx) => {
      const { preflight } = await import('/pkg/browser.mjs');
      const r = await preflight({ s3: { bucket: 's3://object.storage.eu01.onstackit.cloud/backups/single/', accessKey: ctx.accessKey, secretKey: ctx.secretKey, endpoint: ctx.endpoint, files: [{ path: 's3://object.storage.eu01.onstackit.cloud/backups/single/full.bak' }] } });
      return r.report.findings.map((f) => `${f.code} ${f.message}`);
    }, { endpoint: s3.endpoint, accessKey: ACCESS_KEY, secretKey: SECRET_KEY });
    assert.equal(result.length, 1);
    assert.match(result[0], /^READ_FAILED .*CORS/);
    await page.close();
  });
});

describe('importFromS3 with { preflight: true }', () => {
  let emulator;
  before(async () => {
    const { startEmulator } = await import('sqlserverflex-restore/emulator');
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator?.stop());

  const HOST = 'object.storage.eu01.onstackit.cloud';
  const input = (databaseName, prefix, files) => ({
    instanceId: '22222222-2222-4222-8222-222222222222', databaseName, databaseOwner: 'dbo_owner',
    s3: {
      bucket: `s3://${HOST}/backups/${prefix}`, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint,
      files: files.map((f, i) => ({ number: i + 1, path: `s3://${HOST}/backups/${prefix}${f}` })),
    },
  });
  const client = () => new api.RestoreClient({ projectId: '11111111-1111-4111-8111-111111111111', region: 'eu01', baseUrl: emulator.url, token: 'emulator-token' });
  const posts = (db) => emulator.requests({ operation: 'RestoreDatabaseFromBackup' }).filter((r) => JSON.stringify(r.body).includes(db));

  test('a log backup is refused before anything is sent, unless forced', async () => {
    const error = await client().importFromS3(input('pf_log', 'single/', ['log.bak']), { preflight: true }).then(() => assert.fail(), (e) => e);
    assert.equal(error.name, 'PreflightError');
    assert.ok(api.PreflightError.isInstance(error));
    assert.equal(error.code, 'PREFLIGHT_FAILED');
    assert.deepEqual(error.report.findings.map((f) => f.code), ['LOG_BACKUP', 'DATABASE_NAME_DIFFERS']);
    assert.equal(posts('pf_log').length, 0, 'nothing was triggered');
    assert.ok(!JSON.stringify(error.report).includes(SECRET_KEY) && !error.message.includes(SECRET_KEY));
    const forced = await client().importFromS3(input('pf_log', 'single/', ['log.bak']), { preflight: true, force: true });
    assert.equal(forced.accepted, true);
    assert.equal(forced.preflight.verdict, 'error');
  });

  test('stripes listed out of order are sent in family order', async () => {
    const result = await client().importFromS3(input('pf_order', 'striped/', ['sales-2of3.bak', 'sales-3of3.bak', 'sales-1of3.bak']), { preflight: true });
    assert.equal(result.accepted, true);
    assert.equal(result.preflight.verdict, 'warning');
    const [post] = posts('pf_order');
    const files = (typeof post.body === 'string' ? JSON.parse(post.body) : post.body).source.s3_details.s3_files;
    assert.deepEqual(files.map((f) => [f.file_number, f.file_path.split('/').pop()]), [[1, 'sales-1of3.bak'], [2, 'sales-2of3.bak'], [3, 'sales-3of3.bak']]);
  });
});
