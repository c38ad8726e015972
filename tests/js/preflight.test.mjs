// Backup preflight over real S3 (s3s-fs verifies SigV4) in Node, and in Chromium through a CORS proxy:
// plain, striped and production backups (compressed — the real SQL Server 2016 one among them —, several
// sets in one file, too old, a system database), the request count of each, and inspectFiles on local files.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as api from 'sqlserverflex-restore';
import { ACCESS_KEY, SECRET_KEY, startCorsProxy, startS3Server } from '../support/s3-server.mjs';
import { startStaticServer } from '../../www/serve.mjs';
import { chromiumArgs, runCasesInPage } from './support/chromium.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { preflightCases } from './support/preflight-cases.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const REAL_COMPRESSED = fileURLToPath(new URL('../fixtures/TutorialDB-compressed.bak', import.meta.url));
const KIB64 = 65_536;
const MIB = 1024 * 1024;
let s3;
let fixtures;
let site;

before(async () => {
  s3 = await startS3Server();
  fixtures = writeBackupFixtures();
  for (const [path, bytes] of fixtures.files) s3.put('backups', path, bytes);
  s3.put('backups', 'production/TutorialDB-compressed.bak', readFileSync(REAL_COMPRESSED));
  // The cases fetch the fixtures (and the real backup beside them) to check Blobs and bytes locally.
  copyFileSync(REAL_COMPRESSED, join(fixtures.dir, 'TutorialDB-compressed.bak'));
  site = await startStaticServer({ mounts: { '/pkg/': join(root, 'pkg'), '/tests/': join(root, 'tests'), '/fixtures/': fixtures.dir } });
});
after(async () => {
  await site?.stop();
  await s3?.stop();
});

/** The six sets of production/appended-6sets.bak, as the fixture writer made them. */
const SIX_SETS = [[1, 'FULL', '2024-01-01T22:00:00'], [2, 'DIFFERENTIAL', '2024-02-01T22:00:00'], [3, 'LOG', '2024-03-01T22:00:00'],
  [4, 'LOG', '2024-04-01T22:00:00'], [5, 'FULL', '2024-05-01T22:00:00'], [6, 'DIFFERENTIAL', '2024-06-01T22:00:00']];
const TUTORIAL_FILES = [['TutorialDB', 'DATA', 8 * MIB], ['TutorialDB_log', 'LOG', 8 * MIB]];
const SALES_FILES = [['SalesDb', 'DATA', 100 * MIB], ['SalesDb_log', 'LOG', 8 * MIB]];

/** The facts every file of a case shares. */
function assertEachFile(result, expected) {
  for (const file of result.files) {
    for (const [key, value] of Object.entries(expected)) assert.deepEqual(file[key], value, `${file.name}: ${key}`);
  }
}

/** A file within 64 KiB comes whole with its first read (the tail is in it); a larger one costs a head and a tail read. */
function assertSmallFileReads(result) {
  assert.ok(result.files.every((f) => f.size <= KIB64), 'the case is about files within 64 KiB');
  assert.equal(result.requests, result.files.length, 'one read per file');
  assert.equal(result.bytesRead, result.files.reduce((total, f) => total + f.size, 0));
}

function assertProductionResults(r) {
  // The real compressed SQL Server 2016 backup, read completely.
  const real = r.realCompressed;
  assert.equal(real.verdict, 'ok', JSON.stringify(real.messages));
  assert.deepEqual(real.codes, ['COMPRESSED']);
  assert.match(real.messages.COMPRESSED, /TutorialDB-compressed\.bak is a compressed backup: SQL Server restores it transparently/);
  assert.deepEqual(real.files.map(({ name, kind, compressed, backupType, databaseName, databaseVersion, sqlServerVersion, stripe }) => ({ name, kind, compressed, backupType, databaseName, databaseVersion, sqlServerVersion, stripe })),
    [{ name: 'TutorialDB-compressed.bak', kind: 'MTF', compressed: true, backupType: 'FULL', databaseName: 'TutorialDB', databaseVersion: 852, sqlServerVersion: '2016', stripe: '1 of 1' }]);
  assert.deepEqual(real.files[0].databaseFiles, TUTORIAL_FILES);
  assert.equal(real.restoreSize, 16 * MIB, 'the two 8 MiB files');
  assert.deepEqual(real.files[0].sets, [[1, 'FULL', '2016-11-09T15:27:49']]);
  assert.equal(real.requests, 2, 'the first and the last 64 KiB');
  assert.equal(real.bytesRead, 2 * KIB64);

  // Compressed stripes with 4 KiB blocks: every fact, in family order.
  assert.equal(r.compressedStripes.verdict, 'ok', JSON.stringify(r.compressedStripes.messages));
  assert.deepEqual(r.compressedStripes.codes, ['COMPRESSED', 'COMPRESSED']);
  assert.deepEqual(r.compressedStripes.order, ['compressed-4k-1of2.bak', 'compressed-4k-2of2.bak']);
  assert.deepEqual(r.compressedStripes.files.map((f) => f.stripe), ['1 of 2', '2 of 2']);
  assertEachFile(r.compressedStripes, { kind: 'MTF', compressed: true, backupType: 'FULL', databaseName: 'SalesDb', databaseFiles: SALES_FILES });
  assert.equal(r.compressedStripes.restoreSize, 108 * MIB);
  assertSmallFileReads(r.compressedStripes);
  assert.deepEqual(r.compressedStripesSwapped.codes, ['COMPRESSED', 'COMPRESSED', 'FILE_ORDER_CORRECTED']);
  assert.deepEqual(r.compressedStripesSwapped.order, ['compressed-4k-1of2.bak', 'compressed-4k-2of2.bak']);

  // Compressed differential and log backups are refused as plain ones are.
  assert.deepEqual([r.compressedDiff.verdict, r.compressedDiff.codes], ['error', ['COMPRESSED', 'DIFFERENTIAL_WITHOUT_FULL']]);
  assert.deepEqual([r.compressedLog.verdict, r.compressedLog.codes], ['error', ['COMPRESSED', 'LOG_BACKUP']]);
  assert.deepEqual([r.compressedDiff.files[0].backupType, r.compressedLog.files[0].backupType], ['DIFFERENTIAL', 'LOG']);

  // MSSQLBAK whose records do not decode: an error that says what was tried.
  assert.deepEqual([r.encrypted.verdict, r.encrypted.codes], ['error', ['ENCRYPTED_OR_UNREADABLE']]);
  assert.match(r.encrypted.messages.ENCRYPTED_OR_UNREADABLE, /encrypted\.bak starts like a compressed backup \(MSSQLBAK\) but cannot be read: .*tried LZ77\+Huffman .*The service refuses encrypted backups$/);
  assert.deepEqual(r.encrypted.files.map((f) => [f.kind, f.compressed, f.backupType, f.sets]), [['ENCRYPTED_OR_UNREADABLE', false, null, null]]);

  // Several sets in one file: set 1 is what an import restores; the warning names it and the newest.
  assert.deepEqual([r.twoSets.verdict, r.twoSets.codes], ['warning', ['MULTIPLE_BACKUP_SETS']]);
  assert.match(r.twoSets.messages.MULTIPLE_BACKUP_SETS, /appended-2sets\.bak holds 2 backup sets .*the import restores set 1, a full backup of 2024-01-01T22:00:00; the newest, set 2, is a full backup of 2024-02-01T22:00:00/);
  assert.deepEqual(r.twoSets.files[0].sets, [[1, 'FULL', '2024-01-01T22:00:00'], [2, 'FULL', '2024-02-01T22:00:00']]);
  assert.equal(r.twoSets.files[0].filemarksUsed, 4, 'two filemarks per set');
  assert.equal(r.twoSets.requests, 3, 'head, tail, and the second set\'s header');
  assert.equal(r.twoSets.bytesRead, 3 * KIB64);
  assert.deepEqual([r.sixSets.verdict, r.sixSets.codes], ['warning', ['MULTIPLE_BACKUP_SETS']]);
  assert.match(r.sixSets.messages.MULTIPLE_BACKUP_SETS, /holds 6 backup sets .*restores set 1, a full backup of 2024-01-01T22:00:00; the newest, set 6, is a differential backup of 2024-06-01T22:00:00/);
  assert.deepEqual(r.sixSets.files[0].sets, SIX_SETS);
  assert.equal(r.sixSets.requests, 1 + 1 + 5, 'head, tail, one read per set after the first');
  assert.equal(r.sixSets.bytesRead, 7 * KIB64);
  assert.deepEqual(r.twoFilesWithSets.files.map((f) => f.sets.length), [2, 6]);
  assert.equal(r.twoFilesWithSets.requests, 3 + 7, 'counted per file');
  assert.equal(r.twoFilesWithSets.codes.filter((c) => c === 'MULTIPLE_BACKUP_SETS').length, 1, 'a second file would be another stripe: the set is judged as mixed instead');
  assert.ok(r.twoFilesWithSets.codes.includes('MIXED_MEDIA_SETS'));
  assert.deepEqual(r.appendedCompressed.codes, ['COMPRESSED', 'MULTIPLE_BACKUP_SETS']);
  assert.deepEqual(r.appendedCompressed.files[0].sets, [[1, 'FULL', '2024-01-01T22:00:00'], [2, 'FULL', '2024-02-01T22:00:00']]);
  assertSmallFileReads(r.appendedCompressed);

  // tail: false reads the first 64 KiB only: no sets, no warning.
  assert.deepEqual([r.noTail.verdict, r.noTail.codes], ['ok', []]);
  assert.deepEqual(r.noTail.files.map((f) => [f.sets, f.tailBytes, f.filemarksUsed]), [[null, null, null]]);
  assert.equal(r.noTail.requests, 1);
  assert.equal(r.noTail.bytesRead, KIB64);

  // Too old for any SQL Server STACKIT offers; a system database.
  assert.deepEqual([r.sql2005.verdict, r.sql2005.codes], ['error', ['BACKUP_TOO_OLD']]);
  assert.deepEqual([r.sql2005.files[0].databaseVersion, r.sql2005.files[0].sqlServerVersion], [611, '2005']);
  assert.match(r.sql2005.messages.BACKUP_TOO_OLD, /database version 611 \(SQL Server 2005\).*SQL Server 2008 \(version 655\)/);
  assert.deepEqual([r.master.verdict, r.master.codes], ['warning', ['SYSTEM_DATABASE']]);
  assert.match(r.master.messages.SYSTEM_DATABASE, /system database master/);

  // inspectFiles on a Blob, bytes and a File: the same report, names as paths.
  assert.deepEqual(r.localSets.codes, ['MULTIPLE_BACKUP_SETS']);
  assert.deepEqual(r.localSets.files[0].sets, SIX_SETS);
  assert.equal(r.localSets.files[0].name, 'file-1.bak', 'an unnamed Blob is named by its position');
  assert.deepEqual(r.localNamed.codes, ['COMPRESSED', 'ENCRYPTED_OR_UNREADABLE']);
  assert.deepEqual(r.localNamed.files.map((f) => [f.name, f.kind, f.compressed, f.databaseName]),
    [['TutorialDB.bak', 'MTF', true, 'TutorialDB'], ['encrypted.bak', 'ENCRYPTED_OR_UNREADABLE', false, null]]);
  assert.deepEqual(r.localNamed.files[0].databaseFiles, TUTORIAL_FILES);
  assert.equal(r.localNamed.restoreSize, 16 * MIB);
  assert.equal(r.localStripes.verdict, 'ok');
  assert.deepEqual(r.localStripes.codes, ['COMPRESSED', 'COMPRESSED', 'DATABASE_NAME_DIFFERS']);
  assert.deepEqual(r.localStripes.order, ['s1.bak', 's0.bak'], 'ArrayBuffers put in family order');
}

function assertResults(r) {
  assert.equal(r.single.verdict, 'ok', JSON.stringify(r.single.codes));
  assert.deepEqual(r.single.codes, []);
  assert.equal(r.single.header.databaseName, 'SalesDb');
  assert.equal(r.single.header.backupType, 'FULL');
  assert.equal(r.single.header.sqlServerVersion, '2022');
  assert.equal(r.single.size, fixtures.files.get('single/full.bak').length, 'size from Content-Range');
  assert.equal(r.single.requests, 2, 'two ranged GETs: the first and (by default) the last 64 KiB');
  assert.equal(r.single.bytesRead, 2 * KIB64);
  assert.deepEqual(r.single.sets.map((s) => [s.position, s.backupType, s.databaseName]), [[1, 'FULL', 'SalesDb']]);
  assert.deepEqual(r.striped.codes, ['FILE_ORDER_CORRECTED']);
  assert.deepEqual(r.striped.order, ['sales-1of3.bak', 'sales-2of3.bak', 'sales-3of3.bak']);
  assert.deepEqual(r.stripeMissing.codes, ['STRIPE_MISSING']);
  assert.equal(r.stripeMissing.verdict, 'error');
  assert.deepEqual(r.mixed.codes, ['MIXED_MEDIA_SETS']);
  assert.deepEqual(r.kinds.codes, ['LOG_BACKUP', 'ENCRYPTED_OR_UNREADABLE', 'NOT_SQL_BACKUP', 'OBJECT_MISSING']);
  assert.equal(r.kinds.requests, 4, 'three files within 64 KiB (one read each) and a missing one');
  assert.deepEqual(r.wrongSecret.codes, ['ACCESS_DENIED']);
  assert.deepEqual(r.tail.codes, [], 'a complete file ends with its ESET block');
  assert.equal(r.tail.requests, 2, 'the tail by default: one more ranged GET (the last 64 KiB)');
  assert.equal(r.tail.bytesRead, 2 * KIB64);
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
  assertProductionResults(r);
  assert.ok(!JSON.stringify(r).includes(SECRET_KEY), 'the S3 secret appears in no result or error');
}

test('in Node', async () => {
  assertResults(await preflightCases(api, { endpoint: s3.endpoint, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, fixtures: `${site.url}/fixtures/` }));
});

test('inspect reads local bytes, compressed ones decoded', () => {
  const { files } = fixtures;
  const header = api.inspect(files.get('striped/sales-2of3.bak'));
  assert.equal(header.kind, 'MTF');
  assert.equal(header.familyCount, 3);
  assert.equal(header.familySequence, 2);
  assert.equal(header.compressed, false);
  assert.equal(api.inspect(new Uint8Array([1, 2, 3])).kind, 'NOT_SQL_BACKUP');
  const real = api.inspect(readFileSync(REAL_COMPRESSED).subarray(0, KIB64));
  assert.deepEqual([real.kind, real.compressed, real.databaseName, real.sqlServerVersion, real.filemarkSize], ['MTF', true, 'TutorialDB', '2016', 512]);
  assert.deepEqual(real.files.map((f) => [f.fileId, f.logicalName, f.fileType, f.size]), [[1, 'TutorialDB', 'DATA', 8 * MIB], [2, 'TutorialDB_log', 'LOG', 8 * MIB]]);
  assert.match(real.files[0].physicalName, /\\TutorialDB\.mdf$/);
  const encrypted = api.inspect(files.get('single/encrypted.bak'));
  assert.equal(encrypted.kind, 'ENCRYPTED_OR_UNREADABLE');
  assert.deepEqual(encrypted.problems.map((p) => p.code), ['ENCRYPTED_OR_UNREADABLE']);
  assert.equal(api.inspect(files.get('production/sql2005.bak')).sqlServerVersion, '2005');
});

test('inspectFiles reads local paths where they lie: the preflight\'s report, nothing sent', async () => {
  const path = (name) => join(fixtures.dir, name);
  const report = await api.inspectFiles([path('production/appended-6sets.bak'), REAL_COMPRESSED], { databaseName: 'SalesDb' });
  assert.deepEqual(report.files.map((f) => f.path), ['appended-6sets.bak', basename(REAL_COMPRESSED)], 'file names as paths');
  assert.deepEqual(report.files[0].backupSets.map((s) => [s.position, s.backupType, s.backupDate]), SIX_SETS);
  assert.equal(report.files[0].tail.filemarks.used, 12);
  assert.deepEqual(report.files[1].header.files.map((f) => [f.logicalName, f.fileType, f.size]), TUTORIAL_FILES);
  assert.equal(report.restoreSize, 108 * MIB, 'the first file\'s database files');
  assert.deepEqual(report.findings.map((f) => f.code).sort(), ['COMPRESSED', 'MIXED_MEDIA_SETS', 'MULTIPLE_BACKUP_SETS']);
  assert.equal(report.verdict, 'error');

  const old = await api.inspectFiles([path('production/sql2005.bak')]);
  assert.deepEqual(old.findings.map((f) => [f.code, f.severity]), [['BACKUP_TOO_OLD', 'error']]);
  const system = await api.inspectFiles([path('production/master.bak')]);
  assert.deepEqual(system.findings.map((f) => [f.code, f.severity]), [['SYSTEM_DATABASE', 'warning']]);
  const big = await api.inspectFiles([path('production/big-files.bak')]);
  assert.equal(big.restoreSize, (100 + 2) * 1024 * MIB, 'the data file (100 GiB) and the log (2 GiB), not the backup');
  assert.ok(big.totalSize < MIB, `the backup itself is small: ${big.totalSize}`);
  const missing = await api.inspectFiles([path('nope.bak')]).then(() => null, (e) => e);
  assert.equal(missing?.code, 'ENOENT');
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

  test('the same preflight through a bucket with a CORS rule', async () => {
    const results = await runCasesInPage(browser, site.url, '/tests/js/support/preflight-cases.mjs', 'preflightCases',
      { endpoint: proxy.endpoint, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, fixtures: `${site.url}/fixtures/` });
    assertResults(results);
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
