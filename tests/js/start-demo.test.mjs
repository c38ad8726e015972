// `npm start` as a newcomer meets it: the demo prints its S3 settings and a console URL; the console
// at that URL is filled in (emulator, token, demo bucket and keys — the secrets in the tab's memory
// only), and the whole job works in it against the demo's own S3 server (s3s-fs, signatures checked)
// and emulator: Discover from prefix, upload of a generated sample backup, preflight, import, and
// the progress view to SUCCEEDED. The settings endpoint answers only the demo's own console.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchChromium, pageSurfaces, root, screenshot } from './support/console-support.mjs';

let child;
let stdout = '';
let stderr = '';
let exited = null;
let browser;
/** What `npm start` printed: { emulator, consoleUrl, bucket, endpoint, accessKey, secretKey, objects, samplesDir }. */
let demo;

const LOOPBACK = /^(https?|wss?):\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//;

/** Resolves once the output matches; rejects when the demo exits first or takes too long. */
function waitForOutput(pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (pattern.test(stdout)) finish(resolve);
      else if (exited) finish(() => reject(new Error(`npm start exited (${exited.code ?? exited.signal}) before ${pattern}:\n${stdout}\n${stderr}`)));
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${stdout}\n${stderr}`))), timeoutMs);
    const finish = (done) => {
      clearTimeout(timer);
      child.stdout.off('data', check);
      child.off('exit', check);
      done();
    };
    child.stdout.on('data', check);
    child.on('exit', check);
    check();
  });
}

const printed = (label) => {
  const match = stdout.match(new RegExp(`^ *${label}: +(\\S+)`, 'm'));
  assert.ok(match, `npm start printed no "${label}:" line:\n${stdout}`);
  return match[1];
};

before(async () => {
  child = spawn(process.execPath, ['www/start.mjs'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  // A first run builds the package and the fixture writer, and may install s3s-fs.
  await waitForOutput(/^press Ctrl-C to stop$/m, 600_000);
  demo = {
    emulator: printed('emulator'),
    consoleUrl: [...stdout.matchAll(/^console: +(\S+)$/gm)].pop()?.[1],
    bucket: printed('bucket'),
    endpoint: printed('endpoint'),
    accessKey: printed('access key'),
    secretKey: printed('secret key'),
    // A folder in the temp dir, whose path may hold spaces: up to the note after it.
    objects: stdout.match(/^ *objects: +(.+?) {2}\(the bucket's folder/m)?.[1],
    samplesDir: stdout.match(/^sample backups in the bucket \(copies to upload from the console: (.+)\):$/m)?.[1],
  };
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  if (child && !exited) {
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await gone;
  }
});

test('npm start prints the demo S3 settings and fills the bucket with the sample backups', () => {
  assert.match(demo.bucket, /^http:\/\/127\.0\.0\.1:\d+\/demo\/backups\/$/);
  assert.equal(demo.endpoint, new URL(demo.bucket).origin);
  assert.match(stdout, new RegExp(`= s3://${new URL(demo.bucket).host}/demo/backups/ with s3\\.endpoint ${demo.endpoint}`));
  assert.equal(demo.accessKey, 'DEMOACCESSKEY');
  assert.ok(demo.secretKey.length >= 16);
  assert.match(demo.consoleUrl, /^http:\/\/127\.0\.0\.1:\d+\/\?api=http%3A%2F%2F127\.0\.0\.1%3A\d+&demo=1$/);
  assert.ok(!demo.consoleUrl.includes(demo.secretKey), 'the secret is not in the URL');
  for (const key of ['full/full.bak', 'striped/sales-1of3.bak', 'striped/sales-2of3.bak', 'striped/sales-3of3.bak',
    'compressed/compressed.bak', 'compressed/TutorialDB-compressed.bak', 'refused/log.bak', 'refused/encrypted.bak']) {
    const inBucket = join(demo.objects, 'backups', key);
    assert.ok(existsSync(inBucket), `${key} is in the bucket`);
    assert.deepEqual(readFileSync(inBucket), readFileSync(join(demo.samplesDir, key)), `${key}: the local copy is the object`);
  }
  // The demo import it ran: refusals, discovery, preflight, progress, the end.
  assert.match(stdout, /^preflight of refused\/log\.bak: error \(LOG_BACKUP/m);
  assert.match(stdout, /^preflight of refused\/encrypted\.bak: error \(ENCRYPTED_OR_UNREADABLE/m);
  assert.match(stdout, /^ {2}proposed: striped\/sales-1of3\.bak, striped\/sales-2of3\.bak, striped\/sales-3of3\.bak /m);
  assert.match(stdout, /^SUCCEEDED: database SalesDb_demo exists .*the emulator read 3 files from S3 \(check PASSED\)$/m);
});

/** GET on the console's server with chosen headers: `{ status, headers, body }`. */
function getSettings(headers = {}) {
  const url = new URL('/_demo/settings.json', demo.consoleUrl);
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    }).on('error', reject).end();
  });
}

test('the settings endpoint answers the demo\'s own origin only, without CORS', async () => {
  const own = await getSettings();
  assert.equal(own.status, 200);
  assert.equal(own.headers['access-control-allow-origin'], undefined, 'no other origin may read it');
  assert.equal(own.headers['cache-control'], 'no-store');
  const settings = JSON.parse(own.body);
  assert.deepEqual({ bucket: settings.s3.bucket, accessKey: settings.s3.accessKey, secretKey: settings.s3.secretKey, api: settings.api },
    { bucket: demo.bucket, accessKey: demo.accessKey, secretKey: demo.secretKey, api: demo.emulator });
  // A DNS-rebinding page (a foreign Host) and a cross-site request are refused.
  const rebound = await getSettings({ host: `rebinding.example:${new URL(demo.consoleUrl).port}` });
  assert.equal(rebound.status, 403);
  assert.ok(!rebound.body.includes(demo.secretKey));
  assert.equal((await getSettings({ 'sec-fetch-site': 'cross-site' })).status, 403);
});

async function waitForText(page, selector, pattern, timeout = 30_000) {
  await page.waitForFunction(([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''),
    [selector, pattern.source], { timeout });
  return page.textContent(selector);
}

/** Clicks a preflight button and waits until the status line has the outcome. */
async function runPreflight(page, button) {
  const before = await page.textContent('#preflight-status');
  await page.click(button);
  await page.waitForFunction((text) => {
    const status = document.getElementById('preflight-status').textContent;
    return status !== text && !status.endsWith('…');
  }, before, { timeout: 30_000 });
  return page.textContent('#preflight-status');
}

test('in the console it opens: discover, upload a sample, preflight, import, SUCCEEDED', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  const foreignRequests = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (req) => {
    if (!LOOPBACK.test(req.url())) foreignRequests.push(req.url());
  });
  await page.goto(demo.consoleUrl);
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true' || !document.getElementById('boot-error').hidden);

  // Filled in: the connection and the S3 source; the secrets are in memory, not in the fields.
  assert.equal(await page.inputValue('#emulator-url'), demo.emulator);
  assert.equal(await page.inputValue('#s3-bucket'), demo.bucket);
  assert.equal(await page.inputValue('#s3-access-key'), demo.accessKey);
  assert.equal(await page.inputValue('#s3-secret-key'), '');
  assert.equal(await page.inputValue('#token'), '');
  assert.equal(await page.inputValue('#database-owner'), 'dbo_owner');
  const databaseName = await page.inputValue('#database-name');
  assert.equal(databaseName, 'SalesDb_console');
  assert.equal(await page.textContent('#auth-status'), 'In this tab\'s memory only: bearer token, S3 secret key.');
  assert.match(await page.textContent('#demo-status'), /the bucket http:\/\/127\.0\.0\.1:\d+\/demo\/backups\/ on a local S3 server/);
  assert.equal(await page.locator('#demo-samples li').count(), 8);

  // Discover from prefix: the newest complete full set, the 3 stripes, checked with the instance.
  const discovered = await runPreflight(page, '#discover-files');
  assert.match(discovered, /instance checks: instance passed, database passed, owner passed/);
  assert.deepEqual(await page.$$eval('#files input', (inputs) => inputs.map((i) => i.value)),
    [1, 2, 3].map((n) => `${demo.bucket}striped/sales-${n}of3.bak`));
  assert.equal(await page.textContent('#preflight-verdict-text'), 'No problems found: the backup set looks restorable.');

  // Upload a generated sample: checked in the page, sent to the demo bucket, the file rows list it.
  const sample = join(demo.samplesDir, 'compressed', 'compressed.bak');
  await page.setInputFiles('#upload-file', sample);
  assert.match(await waitForText(page, '#upload-status', /Checked/), /compressed\.bak\. Checked: ready to upload/);
  await page.click('#start-upload');
  assert.match(await waitForText(page, '#upload-status', /^Uploaded|did not complete/), /^Uploaded 1 file /,
    await page.textContent('#upload-error'));
  const uploaded = join(demo.objects, 'backups', 'compressed.bak');
  assert.deepEqual(readFileSync(uploaded), readFileSync(sample), 'the object s3s-fs stored is the file');
  assert.deepEqual(await page.$$eval('#files input', (inputs) => inputs.map((i) => i.value)), [`${demo.bucket}compressed.bak`]);

  // Preflight of the uploaded file, with the instance.
  const checked = await runPreflight(page, '#run-preflight');
  assert.match(checked, /; instance checks: instance passed, database passed, owner passed, restoreJobs passed/);
  assert.equal(await page.textContent('#preflight-verdict-text'), 'No problems found: the backup set looks restorable.');
  assert.ok((await page.$$eval('#preflight-verdict .finding code', (codes) => codes.map((c) => c.textContent))).includes('COMPRESSED'));

  // Import, followed to its end in the progress view.
  await page.click('#trigger');
  await page.locator('#confirm-dialog').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#confirm-summary'), /1 file in http:\/\/127\.0\.0\.1:\d+\/demo\/backups\//);
  await page.click('#confirm-start');
  await page.waitForFunction(() => /^(SUCCEEDED|FAILED)/.test(document.getElementById('progress-state').textContent), null, { timeout: 60_000 });
  assert.match(await page.textContent('#progress-state'), /^SUCCEEDED/);
  assert.equal(await page.textContent('#progress-percent'), '100 %');
  await screenshot(page, 'start-demo-succeeded');

  // The emulator read the uploaded file from the demo S3 (signed with the keys from memory).
  const state = await (await fetch(`${demo.emulator}/_emulator/state`)).json();
  const restore = state.instances.flatMap((i) => i.restores).find((r) => r.databaseName === databaseName);
  assert.equal(restore.status, 'SUCCEEDED');
  assert.equal(restore.s3Check.status, 'PASSED');
  assert.deepEqual(restore.files, [{ file_number: 1, file_path: `${demo.bucket}compressed.bak` }]);

  const surfaces = await pageSurfaces(page);
  assert.ok(!JSON.stringify(surfaces).includes(demo.secretKey), 'the S3 secret is nowhere in the page, its storage or URL');
  assert.ok(!surfaces.values.some((value) => value.includes('emulator-token')), 'the token is in no field');
  assert.ok(!surfaces.url.includes('token') && surfaces.storage === '{"local":{},"session":{}}');
  // Chromium logs every 404 as a console error: the waiter's look for the database before it exists.
  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  assert.deepEqual(foreignRequests, []);
  await page.close();
});

test('Ctrl-C (SIGTERM) stops the demo and removes the bucket folder', async () => {
  assert.ok(existsSync(demo.objects));
  const gone = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.kill('SIGTERM');
  assert.deepEqual(await gone, { code: 0, signal: null });
  assert.ok(!existsSync(demo.objects), 'the bucket folder is removed');
  await assert.rejects(fetch(demo.endpoint), 'the S3 proxy is stopped');
});
