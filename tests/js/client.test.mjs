// The production client (auth, retries, timeouts, aborts, exactly-once trigger, waiter) in Node and in
// headless Chromium, each against its own emulator over real HTTP.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import * as api from 'sqlserverflex-restore';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { startStaticServer } from '../../www/serve.mjs';
import { chromiumArgs } from './support/chromium.mjs';
import { clientCases } from './support/client-cases.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function emulators() {
  const main = await startEmulator({ port: 0, timeScale: 600 });
  const short = await startEmulator({ port: 0, tokenLifetimeSeconds: 5 });
  return { main, short, stop: () => Promise.all([main.stop(), short.stop()]) };
}

/** `browser`: Chromium itself re-sends a POST whose reused connection was reset before any response
 *  byte arrived (the service then refuses the copy with 409); Node's fetch does not. */
function assertResults(r, { browser = false } = {}) {
  assert.equal(r.keyFlow.instanceState, 'READY');
  assert.equal(r.keyFlow.concurrentOk, 50);
  assert.equal(r.keyFlow.tokenRequests, 1, 'one token for 51 calls');
  assert.deepEqual(r.fiftyConcurrent, { ok: 50, tokenRequests: 1 });
  assert.equal(r.refresh.tokenRequests, 2, 'a token inside the 5 s margin is renewed');
  assert.equal(r.wrongKey.error.name, 'AuthError');
  assert.equal(r.wrongKey.error.code, 'TOKEN_REJECTED');
  assert.deepEqual(r.rateLimited, { ok: true, requests: 2 });
  assert.deepEqual(r.unavailable, { ok: true, requests: 3 });
  assert.equal(r.exhausted.error.name, 'ApiError');
  assert.equal(r.exhausted.error.status, 503);
  assert.equal(r.exhausted.error.retryable, true);
  assert.equal(r.exhausted.error.attempts, 3);
  assert.equal(r.stalled.error.name, 'TimeoutError');
  assert.equal(r.stalled.error.code, 'TIMEOUT');
  assert.equal(r.stallThenOk, true);
  assert.equal(r.aborted.error.name, 'AbortError');
  assert.equal(r.malformed.error.name, 'ApiError');
  assert.equal(r.malformed.error.code, 'MALFORMED_RESPONSE');
  assert.equal(r.resetAfter.running, 1, 'exactly one restore runs after a reset once processed');
  if (browser) {
    assert.ok(r.resetAfter.accepted === true || r.resetAfter.accepted.status === 409, JSON.stringify(r.resetAfter));
  } else {
    assert.deepEqual(r.resetAfter, { accepted: true, posts: 1, running: 1 }, 'the client sent no second POST');
  }
  assert.deepEqual(r.resetBefore, { accepted: true, runningRestores: 1 });
  assert.equal(r.waitSucceeded.state, 'SUCCEEDED');
  assert.equal(r.waitSucceeded.accepted, true);
  assert.ok(r.waitSucceeded.database, 'the restored database is returned');
  assert.ok(r.waitSucceeded.events >= 1, 'progress was reported');
  assert.equal(r.waitSucceeded.percentsInRange, true);
  assert.equal(r.waitSucceeded.hasEta, true);
  assert.equal(r.waitFailed.state, 'FAILED');
  assert.equal(r.waitAborted.state, 'ABORTED');
  assert.equal(r.invalid.error.name, 'ValidationError');
  assert.deepEqual(r.errorClasses, ['ApiError', 'AuthError', 'ConflictError', 'NetworkError', 'NotFoundError', 'PreflightError', 'RateLimitError', 'RestoreError', 'TimeoutError', 'ValidationError']);
}

describe('in Node', () => {
  let servers;
  before(async () => {
    servers = await emulators();
  });
  after(() => servers.stop());

  test('every client behaviour against the emulator', async () => {
    assertResults(await clientCases(api, { url: servers.main.url, shortTokenUrl: servers.short.url }));
  });
});

describe('in headless Chromium', () => {
  let servers;
  let site;
  let browser;
  before(async () => {
    servers = await emulators();
    site = await startStaticServer({ mounts: { '/pkg/': join(root, 'pkg'), '/tests/': join(root, 'tests') } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
    await servers?.stop();
  });

  test('every client behaviour against the emulator', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}/pkg/package.json`);
    const results = await page.evaluate(async (ctx) => {
      const browserApi = await import('/pkg/browser.mjs');
      const { clientCases: cases } = await import('/tests/js/support/client-cases.mjs');
      return cases(browserApi, ctx);
    }, { url: servers.main.url, shortTokenUrl: servers.short.url });
    assertResults(results, { browser: true });
    await page.close();
  });
});
