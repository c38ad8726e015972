// The console's preflight and discovery in headless Chromium against a real S3 server (s3s-fs, SigV4
// verified) behind a CORS-adding proxy, as a bucket with a CORS rule behaves: discover a striped set,
// see its stripes and verdict, lose a stripe and see the error, a wrong secret, a bucket without
// CORS explained, then trigger the discovered set to SUCCEEDED — secrets nowhere in the page.
// SSFR_UPDATE_SCREENSHOT=1 also refreshes www/screenshot-preflight.png for the README.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY, startCorsProxy, startS3Server } from '../support/s3-server.mjs';
import { launchChromium, openConsole, pageSurfaces, root, screenshot, startConsoleSite } from './console-support.mjs';
import { writeBackupFixtures } from './fixtures-bak.mjs';
import { uniqueDatabase } from './fixtures.mjs';

const TOKEN = 'console-preflight-T0KEN-never-shown';

let emulator;
let s3;
let proxy;
let site;
let browser;

before(async () => {
  s3 = await startS3Server();
  for (const [path, bytes] of writeBackupFixtures().files) s3.put('backups', path, bytes);
  proxy = await startCorsProxy(s3.endpoint);
  emulator = await startEmulator({ port: 0, timeScale: 600, tokens: [TOKEN] });
  site = await startConsoleSite();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await emulator?.stop();
  await proxy?.stop();
  await s3?.stop();
});

async function fillConnectionAndS3(page, { endpoint, databaseName, secret = SECRET_KEY, prefix = 'striped/' }) {
  await page.fill('#token', TOKEN);
  await page.press('#token', 'Tab');
  await page.fill('#database-name', databaseName);
  await page.fill('#database-owner', 'dbo_owner');
  await page.fill('#s3-bucket', `${endpoint}/backups/${prefix}`);
  await page.fill('#s3-access-key', ACCESS_KEY);
  await page.fill('#s3-secret-key', secret);
  await page.press('#s3-secret-key', 'Tab');
}

const rows = (page) => page.$$eval('#preflight-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
const findingCodes = (page) => page.$$eval('#preflight-verdict .finding code', (codes) => codes.map((c) => c.textContent));

async function runPreflight(page, button = '#run-preflight') {
  const before = await page.textContent('#preflight-status');
  await page.click(button);
  await page.waitForFunction((text) => {
    const status = document.getElementById('preflight-status').textContent;
    return status !== text && !status.endsWith('…');
  }, before);
}

test('discover a striped set, see its stripes and verdict, lose a stripe, then import it', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  const databaseName = uniqueDatabase('SalesDb');
  // A mistake first: the file row is empty, so only discovery (not the preflight) may run.
  await fillConnectionAndS3(page, { endpoint: proxy.endpoint, databaseName });
  assert.equal(await page.isDisabled('#run-preflight'), true, 'no files to check yet');
  assert.equal(await page.isDisabled('#discover-files'), false);

  await runPreflight(page, '#discover-files');
  const files = await page.$$eval('#files input', (inputs) => inputs.map((i) => i.value.split('/').pop()));
  assert.deepEqual(files, ['sales-1of3.bak', 'sales-2of3.bak', 'sales-3of3.bak'], 'the newest complete full set, in stripe order');
  assert.deepEqual((await rows(page)).map((r) => [r[0], r[1], r[4]]),
    [['sales-1of3.bak', 'full', '1 of 3'], ['sales-2of3.bak', 'full', '2 of 3'], ['sales-3of3.bak', 'full', '3 of 3']]);
  assert.equal((await rows(page))[0][3], '2022');
  assert.match(await page.textContent('#preflight-verdict-text'), /No problems found|Warnings/);
  const status = await page.textContent('#preflight-status');
  assert.match(status, /^6 S3 requests, [0-9.]+ KiB read; instance checks: instance passed, database passed, owner passed, restoreJobs passed, version passed, storage passed\.$/);
  await screenshot(page, 'console-preflight-discovered');
  if (process.env.SSFR_UPDATE_SCREENSHOT === '1') {
    await page.locator('#preflight').screenshot({ path: join(root, 'www', 'screenshot-preflight.png') });
  }

  // Stripe 2 removed: the set is incomplete and the verdict says so.
  await page.click('button[aria-label="Remove stripe 2"]');
  await runPreflight(page);
  assert.equal(await page.textContent('#preflight-verdict-text'), 'Problems found: this restore would fail. Fix them before starting.');
  assert.ok((await findingCodes(page)).includes('STRIPE_MISSING'));

  // Discover again, then start the import of the discovered set.
  await runPreflight(page, '#discover-files');
  assert.equal(await page.locator('#files li').count(), 3);
  await page.click('#trigger');
  await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#confirm-summary'), /3 files/);
  await page.click('#confirm-start');
  await page.waitForFunction(() => document.getElementById('progress-state').textContent.startsWith('SUCCEEDED'), null, { timeout: 20_000 });

  const surfaces = JSON.stringify(await pageSurfaces(page));
  for (const secret of [SECRET_KEY, TOKEN]) assert.ok(!surfaces.includes(secret), 'the secret is gone from the page');
  // Chromium logs every 404 as a console error: the target database's is the check passing.
  assert.deepEqual(session.problems.filter((p) => !/status of 404/.test(p)), []);
  assert.deepEqual(session.foreignRequests, []);
  await page.close();
});

test('a wrong secret is ACCESS_DENIED; a bucket without CORS explains what to configure', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await fillConnectionAndS3(page, { endpoint: proxy.endpoint, databaseName: uniqueDatabase('SalesDb'), secret: 'wrong-secret-value', prefix: 'single/' });
  await page.fill('#file-1', `${proxy.endpoint}/backups/single/full.bak`);
  await runPreflight(page);
  assert.deepEqual(await findingCodes(page), ['ACCESS_DENIED']);
  assert.equal((await rows(page))[0][1], 'access denied');

  // The same bucket straight from s3s-fs, which sends no CORS headers: the browser blocks the read.
  await fillConnectionAndS3(page, { endpoint: s3.endpoint, databaseName: uniqueDatabase('SalesDb'), prefix: 'single/' });
  await page.fill('#file-1', `${s3.endpoint}/backups/single/full.bak`);
  await runPreflight(page);
  assert.deepEqual(await findingCodes(page), ['READ_FAILED']);
  const finding = await page.textContent('#preflight-verdict .finding');
  assert.match(finding, /needs a CORS rule/);
  assert.match(finding, /run the preflight from Node/);
  assert.equal((await rows(page))[0][1], 'not readable');
  // Chromium reports the blocked requests itself; nothing else may go wrong.
  assert.deepEqual(session.problems.filter((p) => !/CORS|Failed to load resource|net::ERR_FAILED/.test(p)), []);
  await page.close();
});
