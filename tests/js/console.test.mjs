// The restore console (www/) in headless Chromium against the emulator: live validation beside the
// fields, the confirmed import with its progress to 100 % and SUCCEEDED, secrets nowhere in the page
// or its storage afterwards, keyboard-only triggering, 360 px without horizontal scrolling, running
// restores, managed backups with a point-in-time restore, readable API errors, and no console
// errors or requests beyond loopback throughout. Screenshots go to target/screenshots/ (CI
// artifacts); SSFR_UPDATE_SCREENSHOT=1 also refreshes www/screenshot.png for the README.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { defaultScenario, startEmulator } from 'sqlserverflex-restore/emulator';
import { RestoreClient } from 'sqlserverflex-restore';
import { launchChromium, openConsole, pageSurfaces, root, screenshot, startConsoleSite } from './support/console-support.mjs';
import { BUCKET, INSTANCE_ID, PROJECT_ID, TOKEN, clientOptions, importInput, recordedRequests, uniqueDatabase } from './support/fixtures.mjs';

// Distinctive secrets typed into the page; the emulator accepts the token.
const TYPED_TOKEN = 'console-T0KEN-typed-never-shown';
const TYPED_S3_SECRET = 'console-S3CR3T-typed-never-shown';
const LONG_RESTORE = 'console_long_restore';

let emulator;
let site;
let browser;

before(async () => {
  const scenario = defaultScenario();
  scenario.instances[0].restoreOverrides = { [LONG_RESTORE]: { durationMs: 10 * 3_600_000 } };
  // A 10-minute restore takes one second.
  emulator = await startEmulator({ port: 0, timeScale: 600, tokens: [TOKEN, TYPED_TOKEN], scenario });
  site = await startConsoleSite();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await emulator?.stop();
});

/** Types the import form's values (the secret last, then leaves the field, as a person would). */
async function fillImport(page, databaseName) {
  await page.fill('#database-name', databaseName);
  await page.fill('#database-owner', 'dbo_owner');
  await page.fill('#s3-bucket', BUCKET);
  await page.fill('#s3-access-key', 'CONSOLEACCESSKEY');
  await page.fill('#file-1', `${BUCKET}sales.bak`);
  await page.fill('#s3-secret-key', TYPED_S3_SECRET);
  await page.press('#s3-secret-key', 'Tab');
}

async function useTypedToken(page) {
  await page.fill('#token', TYPED_TOKEN);
  await page.press('#token', 'Tab');
}

/** No console errors (Chromium logs a failed HTTP status as one: only `expectedStatuses` pass). */
function assertClean({ problems, foreignRequests }, { expectedStatuses = [] } = {}) {
  const unexpected = problems.filter((problem) => {
    const status = /Failed to load resource: the server responded with a status of (\d+)/.exec(problem)?.[1];
    return !expectedStatuses.includes(Number(status));
  });
  assert.deepEqual(unexpected, [], 'no console errors');
  assert.deepEqual(foreignRequests, [], 'no requests beyond loopback');
}

test('an import: the field error appears and goes, confirm, progress to 100 % and SUCCEEDED, secrets gone', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  assert.match(await page.textContent('#version'), /^\d+\.\d+\.\d+/);
  assert.equal(await page.textContent('#target-badge'), 'Local emulator');
  assert.equal(await page.isDisabled('#trigger'), true, 'nothing to start yet');

  await useTypedToken(page);
  const databaseName = uniqueDatabase('console');
  await fillImport(page, 'master');
  const fieldError = page.locator('[data-field="databaseName"] .field-error');
  await fieldError.waitFor();
  assert.match(await fieldError.textContent(), /master is a SQL Server system database/);
  assert.equal(await page.getAttribute('#database-name', 'aria-invalid'), 'true');
  const describedBy = await page.getAttribute('#database-name', 'aria-describedby');
  assert.ok(describedBy.includes(await fieldError.getAttribute('id')), 'the error is announced with the field');
  assert.equal(await page.isDisabled('#trigger'), true, 'disabled while there are errors');
  assert.match(await page.textContent('#problems'), /Target database: master is a SQL Server system database/);

  // File rows: a second stripe outside the bucket gets its own error; removing the row removes it.
  await page.click('#add-file');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'file-2');
  assert.equal(await page.textContent('label[for="file-2"]'), 'Stripe 2');
  await page.fill('#file-2', 's3://elsewhere/other-bucket/sales_2.bak');
  const stripeError = page.locator('[data-field="s3.files[1].path"] .field-error');
  await stripeError.waitFor();
  assert.match(await stripeError.textContent(), /inside s3:\/\/object\.storage/);
  await page.click('button[aria-label="Remove stripe 2"]');
  assert.equal(await page.locator('#files li').count(), 1);
  await stripeError.waitFor({ state: 'detached' });

  await page.fill('#database-name', databaseName);
  await fieldError.waitFor({ state: 'detached' });
  assert.equal(await page.getAttribute('#database-name', 'aria-invalid'), null);
  assert.match(await page.textContent('#problems'), /Ready to start/);
  const curl = await page.textContent('#curl-text');
  assert.match(curl, /-H "Authorization: Bearer \$TOKEN"/);
  assert.match(curl, /"s3_access_secret": "'"\$S3_SECRET_KEY"'"/);
  assert.ok(curl.includes(`"database_name": "${databaseName}"`));

  await page.click('#trigger');
  const dialog = page.locator('#confirm-dialog');
  await dialog.waitFor({ state: 'visible' });
  const summary = await page.textContent('#confirm-summary');
  assert.ok(summary.includes(databaseName) && summary.includes(INSTANCE_ID), summary);
  await page.click('#confirm-start');
  await page.waitForFunction(() => /^[0-9a-f]{32}$/.test(document.getElementById('progress-trace').textContent));
  await page.waitForFunction(() => document.getElementById('progress-state').textContent.startsWith('SUCCEEDED'), null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => document.getElementById('progress-bar').value), 100);
  assert.equal(await page.textContent('#progress-percent'), '100 %');
  assert.match(await page.textContent('#progress-state'), new RegExp(`SUCCEEDED: database ${databaseName} restored \\(owner dbo_owner\\)`));
  assert.match(await page.textContent('#progress-guid'), /^[0-9a-f-]{36}$/);
  await screenshot(page, 'console-import-succeeded');

  const posted = (await recordedRequests(emulator.url)).filter((r) => r.method === 'POST' && JSON.stringify(r.body ?? '').includes(databaseName));
  assert.equal(posted.length, 1, 'one restore POST');

  const surfaces = JSON.stringify(await pageSurfaces(page));
  for (const secret of [TYPED_TOKEN, TYPED_S3_SECRET]) assert.ok(!surfaces.includes(secret), `${secret} left in the page`);
  assertClean(session);
  await page.close();
});

test('keyboard only: Tab to the trigger, Enter, Escape cancels, Enter then Tab+Enter starts', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await useTypedToken(page);
  const databaseName = uniqueDatabase('console_kbd');
  await fillImport(page, databaseName);
  await page.focus('#file-1');
  let focused = '';
  for (let i = 0; i < 40 && focused !== 'trigger'; i += 1) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.id ?? '');
  }
  assert.equal(focused, 'trigger', 'the trigger is reachable with Tab');
  const before = (await recordedRequests(emulator.url)).filter((r) => r.method === 'POST').length;
  await page.keyboard.press('Enter');
  await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm-cancel', 'focus starts on Cancel');
  await page.keyboard.press('Escape');
  await page.locator('#confirm-dialog').waitFor({ state: 'hidden' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'trigger', 'focus returns to the trigger');
  assert.equal((await recordedRequests(emulator.url)).filter((r) => r.method === 'POST').length, before, 'cancel sends nothing');

  await page.keyboard.press('Enter');
  await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm-start');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('progress-state').textContent.startsWith('SUCCEEDED'), null, { timeout: 20_000 });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'progress-title', 'focus moves to the progress');
  assertClean(session);
  await page.close();
});

test('a pasted service-account key signs in through the token endpoint and leaves no trace in the page', async () => {
  const key = emulator.addServiceAccount({ email: 'console@sa.stackit.cloud' });
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await page.check('input[name="auth"][value="key"]');
  await page.fill('#key-json', 'not json at all');
  await page.press('#key-json', 'Tab');
  await page.locator('[data-field="serviceAccountKey"] .field-error', { hasText: 'not valid JSON' }).waitFor();
  await page.fill('#key-json', JSON.stringify(key));
  await page.press('#key-json', 'Tab');
  await page.locator('#auth-status', { hasText: 'service-account key of console@sa.stackit.cloud' }).waitFor();
  assert.equal(await page.inputValue('#key-json'), '', 'the pasted key is cleared at once');
  await page.click('#refresh-jobs');
  await page.locator('#jobs-status', { hasText: 'updated' }).waitFor();
  assert.equal(await page.isHidden('#jobs-error'), true);
  const tokenRequests = (await recordedRequests(emulator.url)).filter((r) => r.path === '/token');
  assert.ok(tokenRequests.length >= 1, 'a token was fetched with the key');
  const surfaces = JSON.stringify(await pageSurfaces(page));
  const privateKeyBody = key.credentials.privateKey.split('\n')[1];
  assert.ok(!surfaces.includes(privateKeyBody), 'no private key in the page');
  assertClean(session);
  await page.close();
});

test('360 px wide: one column, no horizontal scrolling, with errors shown and tables loaded', async () => {
  const session = await openConsole(browser, site.url, emulator.url, { viewport: { width: 360, height: 740 } });
  const { page } = session;
  await page.click('#use-emulator-token');
  await fillImport(page, 'master');
  await page.locator('[data-field="databaseName"] .field-error').waitFor();
  await page.click('#load-backups');
  await page.locator('#backups-table').waitFor();
  await page.locator('#backups-table button').first().click();
  await page.locator('#pitr').waitFor();
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(widths.scroll <= widths.client, `no horizontal scroll at 360 px: ${JSON.stringify(widths)}`);
  await screenshot(page, 'console-360px');
  assertClean(session);
  await page.close();
});

test('running restores refresh, managed backups offer "restore this" as a point-in-time restore', async () => {
  const client = new RestoreClient(clientOptions(emulator.url));
  await client.importFromS3(importInput(LONG_RESTORE));
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await page.click('#use-emulator-token');
  await page.click('#refresh-jobs');
  await page.locator('#jobs-table tbody tr', { hasText: LONG_RESTORE }).waitFor();
  // The row may come from the refresh that the token started; the click's own refresh ends later.
  await page.waitForFunction(() => document.getElementById('jobs-status').textContent !== 'Loading…');
  assert.match(await page.textContent('#jobs-status'), /1 running · updated/);

  await page.click('#load-backups');
  const row = page.locator('#backups-table tbody tr', { hasText: 'existing_db' }).first();
  await row.waitFor();
  await row.locator('button').click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pitr-title');
  assert.equal(await page.inputValue('#pitr-source'), 'existing_db');
  const newName = uniqueDatabase('pitr');
  await page.fill('#pitr-name', 'tempdb');
  await page.locator('[data-field="name"] .field-error', { hasText: 'system database' }).waitFor();
  assert.equal(await page.isDisabled('#pitr-start'), true);
  await page.fill('#pitr-name', newName);
  await page.locator('[data-field="name"] .field-error').waitFor({ state: 'detached' });
  await page.click('#pitr-start');
  await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#confirm-summary'), new RegExp(`From databaseexisting_db.*New database${newName}`, 's'));
  await page.click('#confirm-start');
  await page.waitForFunction(() => document.getElementById('progress-state').textContent.startsWith('SUCCEEDED'), null, { timeout: 20_000 });
  assert.match(await page.textContent('#progress-title'), new RegExp(newName));
  const pitr = (await recordedRequests(emulator.url)).filter((r) => r.method === 'POST' && r.path.endsWith('/backups/databases/existing_db/restores'));
  assert.equal(pitr.length, 1);
  assertClean(session);
  await page.close();
});

test('API errors read as title, code, HTTP status and trace id; the switch to STACKIT changes the endpoint only', async () => {
  const session = await openConsole(browser, site.url, emulator.url);
  const { page } = session;
  await page.click('#use-emulator-token');
  await fillImport(page, 'existing_db');
  await page.click('#trigger');
  await page.click('#confirm-start');
  const error = page.locator('#run-error');
  await error.waitFor({ state: 'visible' });
  const text = await error.textContent();
  assert.match(text, /The service refused: conflict \(.*HTTP 409\)/);
  assert.match(text, /Trace id: [0-9a-f]{32}/);
  assert.ok(!/at \S+ \(|\.js:\d+/.test(text), 'no stack trace');
  assert.match(await page.textContent('#progress-state'), /^ERROR/);

  // Forget the token first: with credentials the console would start calling STACKIT itself.
  await page.click('#forget-secrets');
  assert.match(await page.textContent('#auth-status'), /No secrets in memory/);
  await page.fill('#s3-secret-key', TYPED_S3_SECRET);
  await page.press('#s3-secret-key', 'Tab');
  await page.check('input[name="target"][value="stackit"]');
  assert.equal(await page.textContent('#target-badge'), 'STACKIT API');
  assert.ok((await page.textContent('#curl-text')).includes(`https://mssql-flex-service.api.stackit.cloud/v3/projects/${PROJECT_ID}/`));
  await page.selectOption('#api-version', 'v3alpha1');
  assert.ok((await page.textContent('#curl-text')).includes('https://mssql-flex-service.api.eu01.stackit.cloud/v3alpha1/'));
  assert.match(await page.textContent('#problems'), /Authentication: no bearer token/);
  assertClean(session, { expectedStatuses: [409] });

  if (process.env.SSFR_UPDATE_SCREENSHOT === '1') await readmeScreenshot();
  await page.close();
});

/** The README's picture: a desktop window after a finished import. */
async function readmeScreenshot() {
  const session = await openConsole(browser, site.url, emulator.url, { viewport: { width: 1360, height: 1020 } });
  const { page } = session;
  await page.click('#use-emulator-token');
  await fillImport(page, uniqueDatabase('sales'));
  await page.click('#trigger');
  await page.click('#confirm-start');
  await page.waitForFunction(() => document.getElementById('progress-state').textContent.startsWith('SUCCEEDED'), null, { timeout: 20_000 });
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  const path = join(root, 'target', 'screenshots', 'console-readme.png');
  await page.screenshot({ path });
  copyFileSync(path, join(root, 'www', 'screenshot.png'));
  await page.close();
}
