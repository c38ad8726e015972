// The browser entry in real headless Chromium (Playwright driving Debian's /usr/bin/chromium):
// the page npm start serves shows the version and a masked request, and an import runs from the page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { startStaticServer } from '../../www/serve.mjs';
import { chromiumArgs } from './chromium.mjs';
import { INSTANCE_ID, PROJECT_ID, S3_SECRET, TOKEN, importInput, recordedRequests, uniqueDatabase } from './fixtures.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let emulator;
let site;
let browser;

before(async () => {
  emulator = await startEmulator({ port: 0 });
  site = await startStaticServer({ mounts: { '/': join(root, 'www'), '/pkg/': join(root, 'pkg') } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await emulator?.stop();
});

async function openPage() {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${site.url}/?api=${encodeURIComponent(emulator.url)}`);
  await page.waitForFunction(() => window.sqlserverflexRestore || document.querySelector('.error'));
  return { page, problems };
}

test('the page shows the package version and the masked import request', async () => {
  const { page, problems } = await openPage();
  const version = await page.textContent('#version');
  assert.match(version, /^\d+\.\d+\.\d+/);
  const request = await page.textContent('#request');
  assert.ok(request.startsWith(`POST ${emulator.url}/v3alpha1/projects/${PROJECT_ID}/regions/eu01/instances/${INSTANCE_ID}/restores`), request);
  assert.match(request, /authorization: Bearer \*\*\*/);
  assert.match(request, /"s3_access_secret": "\*\*\*"/);
  // The sample values sit in the page's own script; what the page renders must never show them.
  const shown = await page.evaluate(() => document.body.innerText);
  assert.ok(!shown.includes('sample-secret-key') && !shown.includes(TOKEN), 'no secret rendered');
  assert.deepEqual(problems, []);
  await page.close();
});

test('an import from the browser entry is accepted by the emulator', async () => {
  const { page, problems } = await openPage();
  const databaseName = uniqueDatabase('chromium');
  const result = await page.evaluate(async ({ options, input }) => {
    const { RestoreClient, api } = window.sqlserverflexRestore;
    const client = new RestoreClient({ ...options, baseUrl: api });
    try {
      return await client.importFromS3(input);
    } catch (e) {
      return { error: `${e.name} ${e.code} ${e.message}` };
    }
  }, { options: { projectId: PROJECT_ID, region: 'eu01', token: TOKEN }, input: importInput(databaseName) });
  assert.equal(result.error, undefined);
  assert.equal(result.accepted, true);
  assert.equal(result.status, 202);
  assert.match(result.traceId, /^[0-9a-f]{32}$/);
  const recorded = await recordedRequests(emulator.url);
  const mine = recorded.filter((r) => JSON.stringify(r.body ?? '').includes(databaseName));
  assert.equal(mine.length, 1);
  assert.ok(!JSON.stringify(recorded).includes(S3_SECRET));
  assert.deepEqual(problems, []);
  await page.close();
});
