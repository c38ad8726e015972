// examples/relay in Node against the emulator: the console's way to the real API from a browser.
// It forwards the package's restore operations with its own credentials (static token or key
// flow), refuses everything outside its allow-list (other paths, methods, projects, instances,
// query parameters, origins) without contacting the API, answers CORS for its one origin, and
// never hands out a credential. The console in Chromium then works through it with no auth of its own.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startEmulator, DEFAULT_BUSY_INSTANCE_ID } from 'sqlserverflex-restore/emulator';
import { RestoreClient } from 'sqlserverflex-restore';
import { configFromEnv, matchRoute } from '../../examples/relay/relay.mjs';
import relayWorker from '../../examples/relay/relay.mjs';
import { startRelayServer } from '../../examples/relay/node-server.mjs';
import { launchChromium, openConsole, startConsoleSite } from './support/console-support.mjs';
import { createSigningKey, signToken, startIdentityProvider } from './support/identity-provider.mjs';
import { INSTANCE_ID, PROJECT_ID, TOKEN, importInput, recordedRequests, uniqueDatabase } from './support/fixtures.mjs';

const ORIGIN = 'http://127.0.0.1:9';
/** The audit lines go to the test's own list (relay-sign-in.test.mjs checks them). */
const quiet = { log: () => {} };
let emulator;
let relay;

const baseEnv = () => ({
  RELAY_ALLOWED_ORIGIN: ORIGIN,
  RELAY_PROJECT_ID: PROJECT_ID,
  RELAY_REGION: 'eu01',
  RELAY_INSTANCE_IDS: INSTANCE_ID,
  RELAY_API_BASE_URL: emulator.url,
  // Sign-in is tested in relay-sign-in.test.mjs; here the relay runs unauthenticated on loopback.
  RELAY_ALLOW_UNAUTHENTICATED: 'loopback',
});

/** fetch as a browser on ORIGIN would send it. */
const fromOrigin = (origin = ORIGIN) => (url, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('origin', origin);
  return fetch(url, { ...init, headers });
};

before(async () => {
  emulator = await startEmulator({ port: 0, timeScale: 600 });
  relay = await startRelayServer({ config: configFromEnv({ ...baseEnv(), STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN }), port: 0, runtime: quiet });
});

after(async () => {
  await relay?.stop();
  await emulator?.stop();
});

const instancePath = (instance = INSTANCE_ID, project = PROJECT_ID) => `/v3/projects/${project}/regions/eu01/instances/${instance}`;

test('the package imports and waits through the relay without credentials of its own', async () => {
  const client = new RestoreClient({ projectId: PROJECT_ID, region: 'eu01', baseUrl: relay.url, getToken: () => 'client-side-token-ignored', fetch: fromOrigin() });
  const databaseName = uniqueDatabase('relay');
  const result = await client.importFromS3(importInput(databaseName), { wait: true, minDelayMs: 100, maxDelayMs: 300 });
  assert.equal(result.status, 202);
  assert.match(result.traceId, /^[0-9a-f]{32}$/, 'trace headers pass back');
  assert.equal(result.state, 'SUCCEEDED');
  const backups = await client.listBackups({ instanceId: INSTANCE_ID, page: 1, size: 2, sort: 'end_time.desc' });
  assert.equal(backups.pagination.size, 2);
  // The relay's token replaced the client's (which the emulator would have refused).
  const posted = (await recordedRequests(emulator.url)).filter((r) => r.method === 'POST' && JSON.stringify(r.body ?? '').includes(databaseName));
  assert.equal(posted.length, 1);
});

test('requests outside the allow-list are refused with 403 and never reach the API', async () => {
  const before = (await recordedRequests(emulator.url)).length;
  const send = fromOrigin();
  const refused = [
    ['GET', `${instancePath()}/users/1`],
    ['GET', `${instancePath()}/backups/databases/existing_db/restores`],
    ['DELETE', `${instancePath()}/databases/existing_db`],
    ['PATCH', instancePath()],
    ['POST', `${instancePath()}/databases`],
    ['GET', `${instancePath(DEFAULT_BUSY_INSTANCE_ID)}/restore-jobs`],
    ['GET', `${instancePath(INSTANCE_ID, '99999999-9999-4999-8999-999999999999')}/restore-jobs`],
    ['GET', `/v2/projects/${PROJECT_ID}/regions/eu01/instances/${INSTANCE_ID}/restore-jobs`],
    ['GET', `/v3/projects/${PROJECT_ID}/regions/eu01/instances`],
    ['GET', `${instancePath()}/databases/%2E%2E%2Fusers`],
    ['GET', `${instancePath()}/backups?page=1&filter=x`],
    ['GET', '/_emulator/state'],
    ['POST', '/token'],
  ];
  for (const [method, path] of refused) {
    const response = await send(`${relay.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
    const body = await response.json();
    assert.equal(response.status, 403, `${method} ${path}`);
    assert.equal(body.type, 'RelayRefused', `${method} ${path}`);
    assert.equal(response.headers.get('access-control-allow-origin'), ORIGIN, 'the console can read the refusal');
  }
  assert.equal((await recordedRequests(emulator.url)).length, before, 'nothing forwarded');

  // Another origin, or none: refused without CORS headers.
  for (const origin of ['https://evil.example', null]) {
    const response = await (origin ? fromOrigin(origin) : fetch)(`${relay.url}${instancePath()}/restore-jobs`);
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  }
  assert.equal((await recordedRequests(emulator.url)).length, before, 'nothing forwarded');
});

test('CORS preflight for the configured origin; no credential in any answer', async () => {
  const preflight = await fromOrigin()(`${relay.url}${instancePath()}/restores`, {
    method: 'OPTIONS',
    headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
  });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), ORIGIN);
  assert.match(preflight.headers.get('access-control-allow-headers'), /authorization/);
  assert.match(preflight.headers.get('access-control-expose-headers'), /x-trace-id/);

  const answers = [];
  for (const path of ['', '/restore-jobs', '/backups', '/databases', '/databases/existing_db', '/users', '/databases/nope']) {
    const response = await fromOrigin()(`${relay.url}${instancePath()}${path}`);
    answers.push(JSON.stringify([...response.headers]) + (await response.text()));
  }
  assert.ok(!answers.join('\n').includes(TOKEN), 'the relay token never comes back');
});

test('key flow: the relay signs in with a service-account key, fetching one token for many calls', async () => {
  const key = emulator.addServiceAccount({ email: 'relay@sa.stackit.cloud' });
  const keyRelay = await startRelayServer({
    config: configFromEnv({ ...baseEnv(), STACKIT_SERVICE_ACCOUNT_KEY: JSON.stringify(key), STACKIT_TOKEN_BASEURL: emulator.tokenUrl }),
    port: 0,
    runtime: quiet,
  });
  try {
    const client = new RestoreClient({ projectId: PROJECT_ID, region: 'eu01', baseUrl: keyRelay.url, token: 'unused', fetch: fromOrigin() });
    const tokensBefore = (await recordedRequests(emulator.url)).filter((r) => r.path === '/token').length;
    await Promise.all([1, 2, 3].map(() => client.listRestoreJobs({ instanceId: INSTANCE_ID })));
    await client.getInstance({ instanceId: INSTANCE_ID });
    const tokenRequests = (await recordedRequests(emulator.url)).filter((r) => r.path === '/token').length - tokensBefore;
    assert.equal(tokenRequests, 1);
  } finally {
    await keyRelay.stop();
  }
});

test('configuration: missing settings are named, a wildcard origin is refused; the workerd entry answers', async () => {
  assert.throws(() => configFromEnv({ ...baseEnv(), RELAY_PROJECT_ID: '' }), /RELAY_PROJECT_ID is not set/);
  assert.throws(() => configFromEnv({ ...baseEnv(), RELAY_ALLOWED_ORIGIN: '*', STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN }), /one origin/);
  assert.throws(() => configFromEnv(baseEnv()), /STACKIT_SERVICE_ACCOUNT_KEY.*or STACKIT_SERVICE_ACCOUNT_TOKEN/);
  assert.throws(() => configFromEnv({ ...baseEnv(), STACKIT_SERVICE_ACCOUNT_KEY: '{"credentials": "secret-key-text' }), (error) => {
    assert.match(error.message, /not valid JSON/);
    assert.ok(!error.message.includes('secret-key-text'));
    return true;
  });
  const config = configFromEnv({ ...baseEnv(), STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN });
  assert.deepEqual(matchRoute(config, 'POST', `${instancePath()}/backups/databases/existing_db/restores`), { ok: true, version: 'v3', operation: 'TriggerRestore', instance: INSTANCE_ID, database: 'existing_db' });
  assert.equal(matchRoute(config, 'GET', `${instancePath()}/databases/bad-name`).ok, false);

  // `export default { fetch(request, env) }` as workerd calls it.
  const env = { ...baseEnv(), STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN };
  const response = await relayWorker.fetch(new Request(`http://127.0.0.1${instancePath()}/restore-jobs`, { headers: { origin: ORIGIN } }), env);
  assert.equal(response.status, 200);
  // Unauthenticated, it serves loopback only.
  const deployed = await relayWorker.fetch(new Request(`https://relay.example${instancePath()}/restore-jobs`, { headers: { origin: ORIGIN } }), env);
  assert.equal(deployed.status, 403);
  assert.match((await deployed.json()).message, /loopback requests only/);
  assert.deepEqual(Object.values(await response.json()), [[]], 'no restore running');
});

test('the console in Chromium talks to the relay with no credentials in the browser', async () => {
  const site = await startConsoleSite();
  const pageRelay = await startRelayServer({ config: configFromEnv({ ...baseEnv(), RELAY_ALLOWED_ORIGIN: site.url, STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN }), port: 0, runtime: quiet });
  const browser = await launchChromium();
  try {
    const { page, problems, foreignRequests } = await openConsole(browser, site.url, emulator.url);
    await page.check('input[name="target"][value="relay"]');
    assert.equal(await page.isChecked('input[name="auth"][value="none"]'), true, 'a relay needs no credentials');
    await page.fill('#relay-url', pageRelay.url);
    await page.locator('#relay-identity', { hasText: 'Signed in as local user (unauthenticated, loopback): may trigger restores' }).waitFor();
    await page.click('#load-backups');
    await page.locator('#backups-table tbody tr', { hasText: 'existing_db' }).first().waitFor();
    await page.click('#refresh-jobs');
    await page.locator('#jobs-status', { hasText: 'updated' }).waitFor();
    assert.equal(await page.isHidden('#jobs-error'), true);
    assert.deepEqual(problems, []);
    assert.deepEqual(foreignRequests, []);
    await page.close();
  } finally {
    await browser.close();
    await pageRelay.stop();
    await site.stop();
  }
});

test('the console in Chromium shows who the relay signed in: an OpenID Connect token, then Cloudflare Access\'s cookie', async () => {
  const key = await createSigningKey('console-key');
  const provider = await startIdentityProvider([key]);
  const site = await startConsoleSite();
  const relayFor = (settings) => startRelayServer({
    config: configFromEnv({ ...baseEnv(), RELAY_ALLOW_UNAUTHENTICATED: '', RELAY_ALLOWED_ORIGIN: site.url, STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN, ...settings }),
    port: 0, runtime: quiet,
  });
  const oidcRelay = await relayFor({ RELAY_OIDC_ISSUER: provider.url, RELAY_OIDC_AUDIENCE: 'console', RELAY_TRIGGER_USERS: 'someone-else@example.com' });
  const accessRelay = await relayFor({ RELAY_ACCESS_TEAM_DOMAIN: provider.url, RELAY_ACCESS_AUD: 'tag-1' });
  const seconds = Math.floor(Date.now() / 1000);
  const claims = { iss: provider.url, sub: 'u1', email: 'alice@example.com', name: 'Alice', iat: seconds, exp: seconds + 600 };
  const browser = await launchChromium();
  try {
    const { page, problems } = await openConsole(browser, site.url, emulator.url);
    await page.check('input[name="target"][value="relay"]');
    await page.fill('#relay-url', oidcRelay.url);
    await page.locator('#relay-identity', { hasText: 'Not signed in: not signed in: send the sign-in token as Authorization: Bearer' }).waitFor();
    await page.click('#load-backups');
    await page.locator('#backups-error', { hasText: /401|sign/i }).waitFor();

    // The user pastes their sign-in token (kept in memory only, like any token).
    const token = await signToken(key, { ...claims, aud: 'console' });
    await page.check('input[name="auth"][value="token"]');
    await page.fill('#token', token);
    await page.locator('#token').blur();
    await page.locator('#relay-identity', { hasText: 'Signed in as Alice (alice@example.com): may read, but not trigger restores.' }).waitFor();
    await page.click('#load-backups');
    await page.locator('#backups-table tbody tr', { hasText: 'existing_db' }).first().waitFor();

    // Behind Cloudflare Access the browser holds the CF_Authorization cookie; the console sends it.
    await page.context().addCookies([{ name: 'CF_Authorization', value: await signToken(key, { ...claims, aud: ['tag-1'] }), url: accessRelay.url }]);
    await page.check('input[name="auth"][value="none"]');
    await page.fill('#relay-url', accessRelay.url);
    await page.locator('#relay-identity', { hasText: 'Signed in as Alice (alice@example.com): may trigger restores (at most 10 per hour).' }).waitFor();
    await page.click('#refresh-jobs');
    await page.locator('#jobs-status', { hasText: 'updated' }).waitFor();
    assert.equal(await page.isHidden('#jobs-error'), true);
    assert.deepEqual(problems.filter((p) => !/401/.test(p)), []);
    await page.close();
  } finally {
    await browser.close();
    await oidcRelay.stop();
    await accessRelay.stop();
    await site.stop();
    await provider.stop();
  }
});
