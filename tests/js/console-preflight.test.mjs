// The console's preflight and discovery in headless Chromium against a real S3 server (s3s-fs, SigV4
// verified) behind a CORS-adding proxy, as a bucket with a CORS rule behaves: discover a striped set,
// see its stripes and verdict, lose a stripe and see the error, a wrong secret, a bucket without
// CORS explained, then trigger the discovered set to SUCCEEDED — secrets nowhere in the page.
// Production backups: a real compressed SQL Server 2016 backup (its database files and restore
// size), a file with two appended backup sets (which one the import restores, the newest), an
// encrypted stand-in refused. SSFR_UPDATE_SCREENSHOT=1 also refreshes www/screenshot-preflight.png
// for the README (a compressed file with two backup sets).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY, startCorsProxy, startS3Server } from '../support/s3-server.mjs';
import { launchChromium, openConsole, pageSurfaces, root, screenshot, startConsoleSite } from './support/console-support.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { uniqueDatabase } from './support/fixtures.mjs';

const TOKEN = 'console-preflight-T0KEN-never-shown';

let emulator;
let s3;
let proxy;
let site;
let browser;

before(async () => {
  s3 = await startS3Server();
  for (const [path, bytes] of writeBackupFixtures().files) s3.put('backups', path, bytes);
  s3.put('backups', 'production/TutorialDB-compressed.bak', readFileSync(join(root, 'tests', 'fixtures', 'TutorialDB-compressed.bak')));
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

const cells = (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent));
const rows = (page) => page.$$eval('#preflight-table tbody tr', cells);
const findingCodes = (page) => page.$$eval('#preflight-verdict .finding code', (codes) => codes.map((c) => c.textContent));
/** `[severity, code]` of every finding as the list shows it (class and bold label agree). */
const findings = (page) => page.$$eval('#preflight-verdict .finding', (items) => items.map((li) => {
  const severity = li.querySelector('strong').textContent.replace(/: $/, '');
  if (!li.classList.contains(`finding-${severity}`)) throw new Error(`finding styled unlike its severity: ${li.className}`);
  return [severity, li.querySelector('code').textContent];
}));
const dbFiles = (page) => page.$$eval('#preflight-facts table.db-files tbody tr', cells);

/** One file by its key under `backups/`, then the preflight. */
async function preflightOne(page, key) {
  await page.fill('#file-1', `${proxy.endpoint}/backups/${key}`);
  await page.press('#file-1', 'Tab');
  await runPreflight(page);
}

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

test('a real compressed backup: compressed, its database files of 8 MiB each, restore size, verdict ok', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await fillConnectionAndS3(page, { endpoint: proxy.endpoint, databaseName: uniqueDatabase('TutorialDB'), prefix: 'production/' });
  await preflightOne(page, 'production/TutorialDB-compressed.bak');
  assert.deepEqual(await page.$$eval('#preflight-table thead th', (ths) => ths.map((th) => th.textContent.replaceAll('\u00ad', ''))),
    ['File', 'Type', 'Database', 'SQL Server', 'Stripe', 'Compressed', 'Sets', 'Size']);
  assert.deepEqual(await rows(page), [['TutorialDB-compressed.bak', 'full', 'TutorialDB', '2016', '1 of 1', 'yes', '1', '421.0 KiB']]);
  assert.equal(await page.textContent('#preflight-verdict-text'), 'No problems found: the backup set looks restorable.');
  const found = await findings(page);
  assert.ok(found.some(([severity, code]) => severity === 'info' && code === 'COMPRESSED'), JSON.stringify(found));
  assert.ok(!found.some(([severity]) => severity !== 'info'), 'nothing but information');
  // An info is styled (the accent colour), not left as plain text like the message.
  const colours = await page.$eval('#preflight-verdict .finding-info', (li) => [getComputedStyle(li.querySelector('strong')).color, getComputedStyle(li).color]);
  assert.notEqual(colours[0], colours[1]);

  assert.deepEqual(await dbFiles(page), [['TutorialDB', 'DATA', '8.0 MiB'], ['TutorialDB_log', 'LOG', '8.0 MiB']]);
  assert.equal(await page.textContent('#preflight-facts table.db-files caption'), 'Database files the restore creates for TutorialDB');
  assert.equal(await page.textContent('#preflight-restore-size'), 'The restore creates 16.0 MiB of database files; the backup is 421.0 KiB.');
  assert.equal(await page.locator('#preflight-facts details.backup-sets').count(), 0, 'one backup set: no list of sets');
  assert.match(await page.textContent('#preflight-status'), /instance checks: instance passed, database passed, owner passed, restoreJobs passed, version passed, storage passed\.$/);
  assert.deepEqual(session.problems.filter((p) => !/status of 404/.test(p)), []);
  assert.deepEqual(session.foreignRequests, []);
  await page.close();
});

test('two appended backup sets: a warning, the set the import restores and the newest, fitting 360 px', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await fillConnectionAndS3(page, { endpoint: proxy.endpoint, databaseName: uniqueDatabase('SalesDb'), prefix: 'production/' });
  await preflightOne(page, 'production/appended-2sets.bak');
  assert.deepEqual(await rows(page), [['appended-2sets.bak', 'full', 'SalesDb', '2022', '1 of 1', 'no', '2', '279.5 KiB']]);
  assert.equal(await page.textContent('#preflight-verdict-text'), 'Warnings: the restore may work; read them before starting.');
  assert.deepEqual((await findings(page)).filter(([severity]) => severity !== 'info'), [['warning', 'MULTIPLE_BACKUP_SETS']]);
  const sets = page.locator('#preflight-facts details.backup-sets');
  assert.equal(await sets.count(), 1);
  assert.equal(await sets.locator('summary').textContent(),
    'appended-2sets.bak holds 2 backup sets; the import restores set 1 (full, 2024-01-01 22:00:00); '
    + 'the newest is set 2 (full, 2024-02-01 22:00:00).');
  // The list of sets is folded until asked for.
  const firstSet = sets.locator('tbody tr').first();
  assert.equal(await firstSet.isVisible(), false);
  await sets.locator('summary').click();
  assert.equal(await firstSet.isVisible(), true);
  assert.deepEqual(await page.$$eval('#preflight-facts details.backup-sets thead th', (ths) => ths.map((th) => th.textContent)), ['Set', 'Type', 'Date', 'Note']);
  assert.deepEqual(await page.$$eval('#preflight-facts details.backup-sets tbody tr', cells),
    [['1', 'full', '2024-01-01 22:00:00', 'restored by the import'], ['2', 'full', '2024-02-01 22:00:00', 'newest']]);
  assert.deepEqual(await dbFiles(page), [['SalesDb', 'DATA', '100.0 MiB'], ['SalesDb_log', 'LOG', '8.0 MiB']]);
  assert.equal(await page.textContent('#preflight-restore-size'), 'The restore creates 108.0 MiB of database files; the backup is 279.5 KiB.');

  // Compressed and appended: both facts at once (the README's picture).
  await preflightOne(page, 'production/appended-compressed.bak');
  assert.deepEqual((await rows(page)).map((r) => [r[0], r[5], r[6]]), [['appended-compressed.bak', 'yes', '2']]);
  assert.deepEqual(await findingCodes(page), ['COMPRESSED', 'MULTIPLE_BACKUP_SETS', 'DATABASE_NAME_DIFFERS']);
  await page.locator('#preflight-facts details.backup-sets summary').click();
  await page.evaluate(() => document.activeElement?.blur());
  await screenshot(page, 'console-preflight-production');
  if (process.env.SSFR_UPDATE_SCREENSHOT === '1') {
    await page.locator('#preflight').screenshot({ path: join(root, 'www', 'screenshot-preflight.png') });
  }

  // A phone: the facts stay inside the card (tables scroll in their own box).
  await page.setViewportSize({ width: 360, height: 740 });
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(widths.scroll <= widths.client, `no horizontal scroll at 360 px: ${JSON.stringify(widths)}`);
  const card = await page.locator('#preflight').boundingBox();
  for (const part of ['#preflight-restore-size', '#preflight-facts details.backup-sets', '#preflight-verdict']) {
    const box = await page.locator(part).boundingBox();
    assert.ok(box.x >= card.x && box.x + box.width <= card.x + card.width + 0.5, `${part} inside the card at 360 px`);
  }
  await screenshot(page, 'console-preflight-360px');
  assert.deepEqual(session.problems.filter((p) => !/status of 404/.test(p)), []);
  await page.close();
});

test('an encrypted backup (MSSQLBAK that does not decode) is ENCRYPTED_OR_UNREADABLE, an error', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await fillConnectionAndS3(page, { endpoint: proxy.endpoint, databaseName: uniqueDatabase('SalesDb'), prefix: 'single/' });
  await preflightOne(page, 'single/encrypted.bak');
  assert.deepEqual(await rows(page), [['encrypted.bak', 'encrypted or unreadable', '–', '–', '–', '–', '–', '8.0 KiB']]);
  assert.equal(await page.textContent('#preflight-verdict-text'), 'Problems found: this restore would fail. Fix them before starting.');
  assert.deepEqual(await findings(page), [['error', 'ENCRYPTED_OR_UNREADABLE']]);
  assert.match(await page.textContent('#preflight-verdict .finding'), /likely encrypted\. The service refuses encrypted backups/);
  assert.equal(await page.isVisible('#preflight-facts'), false, 'no database files or sets to show');
  const surfaces = JSON.stringify(await pageSurfaces(page));
  for (const secret of [SECRET_KEY, TOKEN]) assert.ok(!surfaces.includes(secret), 'the secret is gone from the page');
  assert.deepEqual(session.problems.filter((p) => !/status of 404/.test(p)), []);
  await page.close();
});
