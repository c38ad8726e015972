// The console's upload panel in headless Chromium against a real S3 server (s3s-fs, SigV4 verified)
// behind a CORS-adding proxy: a local backup picked in the page goes up in parts with a progress bar
// (stored bytes identical), lands in the file rows and imports to SUCCEEDED; chosen files are
// checked in the page first (compressed, backup sets, database files): a compressed backup goes up,
// an encrypted one or a file that is not a backup is refused with nothing sent; cancelling
// mid-upload leaves no parts in the bucket.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY, startCorsProxy, startS3Server } from '../support/s3-server.mjs';
import { launchChromium, openConsole, pageSurfaces, root, screenshot, screenshotDir, startConsoleSite } from './support/console-support.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { uniqueDatabase } from './support/fixtures.mjs';
import { largeBackup } from './support/upload-cases.mjs';

const TOKEN = 'console-upload-T0KEN-never-shown';
const MIB = 1024 * 1024;

let emulator;
let s3;
let proxy;
let slowProxy;
let site;
let browser;
let fullBackup;
let fixtures;
let slowParts = 0;
/** Every request S3 answered through `proxy`, as `METHOD /bucket/key…`. */
const proxied = [];

before(async () => {
  s3 = await startS3Server();
  s3.bucket('backups');
  fixtures = writeBackupFixtures().files;
  fullBackup = fixtures.get('single/full.bak');
  proxy = await startCorsProxy(s3.endpoint, { delayMs: (req) => (proxied.push(`${req.method} ${req.url}`), 0) });
  // S3's answers to part uploads reach the page 2 s late: the test can cancel when S3 holds every
  // part but the page has no answer yet (`slowParts` counts the parts S3 stored).
  slowProxy = await startCorsProxy(s3.endpoint, {
    delayMs: (req) => (req.method === 'PUT' && req.url.includes('partNumber=') ? (slowParts += 1, 2000) : 0),
  });
  emulator = await startEmulator({ port: 0, timeScale: 600, tokens: [TOKEN] });
  site = await startConsoleSite();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await emulator?.stop();
  await slowProxy?.stop();
  await proxy?.stop();
  await s3?.stop();
});

const stored = (key) => join(s3.root, 'backups', key);
/** s3s-fs keeps each unfinished multipart upload as `.upload*` files in its root. */
const pendingUploads = () => readdirSync(s3.root).filter((name) => name.startsWith('.upload'));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

async function fillForm(page, endpoint, prefix) {
  await page.fill('#token', TOKEN);
  await page.press('#token', 'Tab');
  await page.fill('#database-name', uniqueDatabase('uploaded'));
  await page.fill('#database-owner', 'dbo_owner');
  await page.fill('#s3-bucket', `${endpoint}/backups/${prefix}`);
  await page.fill('#s3-access-key', ACCESS_KEY);
  await page.fill('#s3-secret-key', SECRET_KEY);
  await page.press('#s3-secret-key', 'Tab');
}

async function waitForStatus(page, pattern) {
  await page.waitForFunction((source) => new RegExp(source).test(document.getElementById('upload-status').textContent), pattern.source, { timeout: 30_000 });
  return page.textContent('#upload-status');
}

test('a local backup goes up in parts with progress, fills the file row and imports to SUCCEEDED', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await fillForm(page, proxy.endpoint, 'console-up/');
  assert.equal(await page.isDisabled('#start-upload'), true, 'no file chosen yet');
  const big = Buffer.from(largeBackup(fullBackup, 20 * MIB + 4321, 5));
  await page.setInputFiles('#upload-file', { name: 'sales.bak', mimeType: 'application/octet-stream', buffer: big });
  // Random bytes after the header: no end-of-set block, which the check warns of but lets pass.
  assert.equal(await waitForStatus(page, /Checked/), '1 file chosen (20.0 MiB): sales.bak. Checked: ready to upload, with warnings (END_OF_SET_MISSING).');
  assert.equal(await page.isDisabled('#start-upload'), false);

  await page.click('#start-upload');
  const status = await waitForStatus(page, /^Uploaded/);
  assert.match(status, /^Uploaded 1 file \(20\.0 MiB\) in \d+ s; the backup files above now list them\.$/);
  assert.equal(await page.evaluate(() => document.getElementById('upload-progress').value), 100);
  assert.match(await page.textContent('#upload-progress-text'), /^100 % — 20\.0 MiB of 20\.0 MiB at /);
  assert.equal(await page.inputValue('#file-1'), `${proxy.endpoint}/backups/console-up/sales.bak`);
  assert.equal(sha256(readFileSync(stored('console-up/sales.bak'))), sha256(big), 'the stored object is the file');
  assert.deepEqual(pendingUploads(), []);
  await screenshot(page, 'console-upload-done');

  await page.click('#trigger');
  await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
  await page.click('#confirm-start');
  await page.waitForFunction(() => document.getElementById('progress-state').textContent.startsWith('SUCCEEDED'), null, { timeout: 20_000 });

  const surfaces = JSON.stringify(await pageSurfaces(page));
  for (const secret of [SECRET_KEY, TOKEN]) assert.ok(!surfaces.includes(secret), 'the secret is gone from the page');
  assert.deepEqual(session.problems.filter((p) => !/status of 404/.test(p)), [], 'only the waiter\'s 404 before the database exists');
  assert.deepEqual(session.foreignRequests, []);
  await page.close();
});

const uploadRows = (page) => page.$$eval('#upload-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
const uploadFindings = (page) => page.$$eval('#upload-verdict .finding', (items) => items.map((li) => [li.querySelector('strong').textContent.replace(/: $/, ''), li.querySelector('code').textContent]));

test('a compressed backup is checked in the page (compressed, sets, database files), then uploaded unchanged', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await fillForm(page, proxy.endpoint, 'console-compressed/');
  const bytes = readFileSync(join(root, 'tests', 'fixtures', 'TutorialDB-compressed.bak'));
  const sentBefore = proxied.length;
  await page.setInputFiles('#upload-file', { name: 'TutorialDB-compressed.bak', mimeType: 'application/octet-stream', buffer: bytes });
  const status = await waitForStatus(page, /Checked/);
  assert.equal(status, '1 file chosen (421.0 KiB): TutorialDB-compressed.bak. Checked: ready to upload.');
  assert.deepEqual(await uploadRows(page), [['TutorialDB-compressed.bak', 'full', 'TutorialDB', '2016', '1 of 1', 'yes', '1', '421.0 KiB']]);
  assert.deepEqual(await page.$$eval('#upload-facts table.db-files tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent))),
    [['TutorialDB', 'DATA', '8.0 MiB'], ['TutorialDB_log', 'LOG', '8.0 MiB']]);
  assert.equal(await page.textContent('#upload-restore-size'), 'The restore creates 16.0 MiB of database files; the backup is 421.0 KiB.');
  assert.equal(await page.textContent('#upload-verdict-text'), 'No problems found: the backup set looks restorable.');
  assert.deepEqual(await uploadFindings(page), [['info', 'COMPRESSED'], ['info', 'DATABASE_NAME_DIFFERS']]);
  assert.equal(proxied.length, sentBefore, 'the check sent nothing');
  assert.equal(await page.isDisabled('#start-upload'), false, 'compressed backups are accepted');

  await page.click('#start-upload');
  assert.match(await waitForStatus(page, /^Uploaded/), /^Uploaded 1 file \(421\.0 KiB\) in \d+ s;/);
  assert.equal(sha256(readFileSync(stored('console-compressed/TutorialDB-compressed.bak'))), sha256(bytes), 'the stored object is the file');
  assert.equal(await page.inputValue('#file-1'), `${proxy.endpoint}/backups/console-compressed/TutorialDB-compressed.bak`);
  assert.deepEqual(pendingUploads(), []);
  await page.locator('#upload').screenshot({ path: join(screenshotDir, 'console-upload-compressed.png') });
  // A phone: the report stays inside the card (its tables scroll in their own boxes).
  await page.setViewportSize({ width: 360, height: 740 });
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(widths.scroll <= widths.client, `no horizontal scroll at 360 px: ${JSON.stringify(widths)}`);
  await page.locator('#upload').screenshot({ path: join(screenshotDir, 'console-upload-compressed-360px.png') });
  const surfaces = JSON.stringify(await pageSurfaces(page));
  for (const secret of [SECRET_KEY, TOKEN]) assert.ok(!surfaces.includes(secret), 'the secret is gone from the page');
  assert.deepEqual(session.problems, []);
  await page.close();
});

test('an encrypted backup is refused when chosen, with the reason; nothing is sent', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await fillForm(page, proxy.endpoint, 'console-encrypted/');
  const sentBefore = proxied.length;
  await page.setInputFiles('#upload-file', { name: 'encrypted.bak', mimeType: 'application/octet-stream', buffer: fixtures.get('single/encrypted.bak') });
  const status = await waitForStatus(page, /Refused/);
  assert.equal(status, '1 file chosen (8.0 KiB): encrypted.bak. Refused, nothing will be sent: ENCRYPTED_OR_UNREADABLE.');
  assert.equal(await page.isDisabled('#start-upload'), true, 'the upload cannot start');
  assert.equal(await page.textContent('#upload-verdict-text'), 'Not uploadable: an import of these files would fail. Nothing will be sent.');
  assert.deepEqual(await uploadFindings(page), [['error', 'ENCRYPTED_OR_UNREADABLE']]);
  assert.match(await page.textContent('#upload-verdict .finding'), /likely encrypted\. The service refuses encrypted backups/);
  assert.deepEqual(await uploadRows(page), [['encrypted.bak', 'encrypted or unreadable', '–', '–', '–', '–', '–', '8.0 KiB']]);

  // Choosing a readable backup instead lifts the refusal.
  await page.setInputFiles('#upload-file', { name: 'sales.bak', mimeType: 'application/octet-stream', buffer: fullBackup });
  await waitForStatus(page, /sales\.bak\. Checked: ready to upload\.$/);
  assert.equal(await page.isDisabled('#start-upload'), false);
  assert.equal(proxied.length, sentBefore, 'nothing reached S3');
  assert.equal(existsSync(stored('console-encrypted')), false, 'nothing reached the bucket');
  assert.equal(await page.inputValue('#file-1'), '', 'the file rows are unchanged');
  assert.deepEqual(session.problems, []);
  await page.close();
});

test('a file that is not a backup is refused before anything is sent', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await fillForm(page, proxy.endpoint, 'console-refused/');
  const sentBefore = proxied.length;
  await page.setInputFiles('#upload-file', { name: 'notes.bak', mimeType: 'application/octet-stream', buffer: Buffer.alloc(100_000, 7) });
  assert.match(await waitForStatus(page, /Refused/), /Refused, nothing will be sent: NOT_SQL_BACKUP\.$/);
  assert.equal(await page.isDisabled('#start-upload'), true);
  assert.deepEqual(await uploadFindings(page), [['error', 'NOT_SQL_BACKUP']]);
  assert.equal(proxied.length, sentBefore, 'nothing reached S3');
  assert.equal(existsSync(stored('console-refused')), false, 'nothing reached the bucket');
  assert.equal(await page.inputValue('#file-1'), '', 'the file rows are unchanged');
  assert.deepEqual(session.problems, []);
  await page.close();
});

test('cancelling mid-upload aborts the multipart upload in S3: no parts left behind', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await fillForm(page, slowProxy.endpoint, 'console-cancel/');
  await page.setInputFiles('#upload-file', { name: 'big.bak', mimeType: 'application/octet-stream', buffer: Buffer.from(largeBackup(fullBackup, 20 * MIB, 9)) });
  const partsBefore = slowParts;
  await page.click('#start-upload');
  await page.locator('#cancel-upload').waitFor({ state: 'visible' });
  // 20 MiB in 8 MiB parts: S3 has stored all three, their answers are held back. Cancel now.
  for (let i = 0; slowParts < partsBefore + 3 && i < 400; i += 1) await new Promise((r) => setTimeout(r, 25));
  assert.equal(slowParts - partsBefore, 3, 'S3 stored the parts before the cancel');
  assert.ok(pendingUploads().length > 0, 'the unfinished upload is in S3');
  await page.click('#cancel-upload');
  await waitForStatus(page, /^Upload cancelled/);
  assert.equal(await page.isVisible('#cancel-upload'), false);
  assert.equal(await page.isDisabled('#start-upload'), false, 'ready for another try');
  assert.deepEqual(pendingUploads(), [], 'the multipart upload was aborted in S3');
  assert.equal(existsSync(stored('console-cancel/big.bak')), false);
  assert.deepEqual(session.problems.filter((p) => !/status of 404/.test(p)), []);
  await page.close();
});
