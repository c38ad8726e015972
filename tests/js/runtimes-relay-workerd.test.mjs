// The console's relay (examples/relay/relay.mjs, an edge function) running as a Worker in workerd
// (Miniflare), between the packed package's client and the emulator: once with a static token
// binding, once with a service-account key binding, where workerd's WebCrypto signs the JWT; and
// with user sign-in (OpenID Connect, Cloudflare Access) against a provider on loopback, where
// workerd's WebCrypto verifies the users' tokens.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import { installPackedPackage, root, startPackedEmulator } from '../runtimes/harness.mjs';
import { createSigningKey, signToken, startIdentityProvider } from './support/identity-provider.mjs';

const PROJECT_ID = '11111111-1111-4111-8111-111111111111';
const INSTANCE_ID = '22222222-2222-4222-8222-222222222222';
const ORIGIN = 'http://127.0.0.1:9';
const BUCKET = 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/';
const relayScript = join(root, 'examples', 'relay', 'relay.mjs');
const workerdVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'workerd', 'package.json'), 'utf8')).version;

let install;
let emulator;
let api;
let provider;
const relays = [];

before(async () => {
  install = installPackedPackage();
  emulator = await startPackedEmulator(install);
  api = await import(pathToFileURL(join(install.packageDir, 'node.mjs')).href);
});

after(async () => {
  // After a failed start, dispose() rejects with the error the test already reported.
  for (const relay of relays) await relay.dispose().catch(() => {});
  await provider?.stop();
  await emulator?.stop();
  install?.cleanup();
});

/**
 * The relay Worker with these bindings (unauthenticated on loopback unless a sign-in is given);
 * resolves with its loopback URL. The Worker's stdout (its audit lines) collects in `stdout`.
 */
async function startRelay(bindings, stdout = []) {
  const relay = new Miniflare({
    modules: true, scriptPath: relayScript, modulesRoot: join(root, 'examples', 'relay'), compatibilityDate: '2026-07-01',
    bindings: {
      RELAY_ALLOWED_ORIGIN: ORIGIN, RELAY_PROJECT_ID: PROJECT_ID, RELAY_REGION: 'eu01', RELAY_INSTANCE_IDS: INSTANCE_ID,
      RELAY_API_BASE_URL: emulator.url,
      ...(bindings.RELAY_OIDC_ISSUER || bindings.RELAY_ACCESS_TEAM_DOMAIN ? {} : { RELAY_ALLOW_UNAUTHENTICATED: 'loopback' }),
      ...bindings,
    },
    handleRuntimeStdio(out, err) {
      out.setEncoding('utf8').on('data', (chunk) => stdout.push(chunk));
      err.resume();
    },
  });
  relays.push(relay);
  return (await relay.ready).href.replace(/\/$/, '');
}

/** The package's client as the console uses it: no credential of its own, requests from ORIGIN. */
function clientVia(relayUrl) {
  const fetchFromOrigin = (url, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('origin', ORIGIN);
    return fetch(url, { ...init, headers });
  };
  return new api.RestoreClient({ projectId: PROJECT_ID, region: 'eu01', baseUrl: relayUrl, getToken: () => 'ignored-by-the-relay', fetch: fetchFromOrigin });
}

async function recorded(operation) {
  return (await (await fetch(`${emulator.url}/_emulator/requests?operation=${operation}`)).json()).requests;
}

test(`workerd ${workerdVersion}: the relay Worker (static token) forwards an import and refuses the rest`, async () => {
  const relayUrl = await startRelay({ STACKIT_SERVICE_ACCOUNT_TOKEN: 'emulator-token' });
  const client = clientVia(relayUrl);
  const databaseName = `relay_workerd_${Date.now().toString(36)}`;
  const accepted = await client.importFromS3({
    instanceId: INSTANCE_ID, databaseName, databaseOwner: 'dbo_owner',
    s3: { bucket: BUCKET, accessKey: 'AK', secretKey: 'relay-S3CR3T', files: [{ path: `${BUCKET}db.bak` }] },
  });
  assert.equal(accepted.status, 202);
  assert.match(accepted.traceId, /^[0-9a-f]{32}$/);
  const posts = (await recorded('RestoreDatabaseFromBackup')).filter((r) => JSON.stringify(r.body).includes(databaseName));
  assert.equal(posts.length, 1);
  assert.equal(posts[0].headers['user-agent'], 'sqlserverflex-restore-relay', 'the request came through the relay');

  const refused = await client.getInstance({ instanceId: '99999999-9999-4999-8999-999999999999' }).then(() => null, (error) => error);
  assert.equal(refused?.status, 403, 'an instance outside the allow-list is refused by the relay');
});

test(`workerd ${workerdVersion}: the relay Worker signs in with a service-account key (WebCrypto JWT), one token for many calls`, async () => {
  const key = emulator.addServiceAccount({ email: 'relay-workerd@sa.stackit.cloud' });
  const relayUrl = await startRelay({ STACKIT_SERVICE_ACCOUNT_KEY: JSON.stringify(key), STACKIT_TOKEN_BASEURL: emulator.tokenUrl });
  const client = clientVia(relayUrl);
  const tokensBefore = (await recorded('Token')).length;
  const calls = await Promise.all([
    client.getInstance({ instanceId: INSTANCE_ID }),
    client.listRestoreJobs({ instanceId: INSTANCE_ID }),
    client.listDatabases({ instanceId: INSTANCE_ID }),
  ]);
  assert.equal(calls[0].id, INSTANCE_ID);
  const tokens = (await recorded('Token')).slice(tokensBefore);
  assert.equal(tokens.length, 1, 'one token request');
  assert.equal(tokens[0].status, 200, 'the emulator accepted the JWT workerd signed');
});

test(`workerd ${workerdVersion}: the relay Worker verifies sign-in tokens with WebCrypto; refused ones never reach the API`, async () => {
  const key = await createSigningKey('key-1');
  const rotated = await createSigningKey('key-2');
  provider = await startIdentityProvider([key]);
  const stdout = [];
  const relayUrl = await startRelay({
    RELAY_OIDC_ISSUER: provider.url, RELAY_OIDC_AUDIENCE: 'console', RELAY_KEYS_COOLDOWN_SECONDS: '0',
    RELAY_TRIGGER_LIMIT: '1', STACKIT_SERVICE_ACCOUNT_TOKEN: 'emulator-token',
  }, stdout);
  const seconds = Math.floor(Date.now() / 1000);
  const claims = (overrides = {}) => ({ iss: provider.url, aud: 'console', sub: 'u1', email: 'alice@example.com', iat: seconds, exp: seconds + 300, ...overrides });
  const get = (headers, origin = ORIGIN) => fetch(`${relayUrl}/v3/projects/${PROJECT_ID}/regions/eu01/instances/${INSTANCE_ID}/restore-jobs`, { headers: { origin, ...headers } });
  const bearer = async (signer, overrides) => ({ authorization: `Bearer ${await signToken(signer, claims(overrides))}` });
  const before = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()).requests.length;

  for (const [name, headers, status] of [
    ['no token', {}, 401],
    ['expired', await bearer(key, { exp: seconds - 3600 }), 401],
    ['wrong aud', await bearer(key, { aud: 'another' }), 401],
    ['unknown key', await bearer(await createSigningKey('key-x')), 401],
  ]) {
    assert.equal((await get(headers)).status, status, name);
  }
  assert.equal((await get(await bearer(key), 'https://evil.example')).status, 403, 'spoofed Origin');
  const after = (await (await fetch(`${emulator.url}/_emulator/requests`)).json()).requests.length;
  assert.equal(after, before, 'the emulator recorded nothing');

  assert.equal((await get(await bearer(key))).status, 200);
  provider.setKeys([key, rotated]);
  assert.equal((await get(await bearer(rotated))).status, 200, 'a rotated-in key is fetched on its first use');

  // One restore POST per user in the window, then 429 with Retry-After.
  const client = new api.RestoreClient({
    projectId: PROJECT_ID, region: 'eu01', baseUrl: relayUrl, token: await signToken(rotated, claims()),
    fetch: (url, init = {}) => fetch(url, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), origin: ORIGIN } }),
  });
  const input = (databaseName) => ({
    instanceId: INSTANCE_ID, databaseName, databaseOwner: 'dbo_owner',
    s3: { bucket: BUCKET, accessKey: 'AK', secretKey: 'relay-S3CR3T', files: [{ path: `${BUCKET}db.bak` }] },
  });
  const databaseName = `relay_signed_${Date.now().toString(36)}`;
  const accepted = await client.importFromS3(input(databaseName));
  assert.equal(accepted.status, 202);
  const limited = await client.importFromS3(input(`${databaseName}_2`)).then(() => null, (error) => error);
  assert.equal(limited?.status, 429);
  assert.equal(limited.retryable, true);
  const posts = (await recorded('RestoreDatabaseFromBackup')).filter((r) => JSON.stringify(r.body).includes(databaseName));
  assert.equal(posts.length, 1, 'the limited POST never reached the API');

  const audit = stdout.join('').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
  const trigger = audit.find((line) => line.method === 'POST' && line.outcome === 'forwarded');
  assert.equal(trigger?.user, 'alice@example.com');
  assert.equal(trigger.database, databaseName);
  assert.equal(trigger.loggingGuid, accepted.loggingGuid);
  assert.ok(audit.some((line) => line.status === 429 && line.user === 'alice@example.com'));
  assert.ok(!stdout.join('').includes('emulator-token') && !stdout.join('').includes('eyJ'), 'no token in the Worker\'s log');
});

test(`workerd ${workerdVersion}: behind Cloudflare Access the relay Worker reads the Cf-Access-Jwt-Assertion header`, async () => {
  const key = await createSigningKey('access-1');
  provider ??= await startIdentityProvider([key]);
  provider.setKeys([key]);
  const relayUrl = await startRelay({ RELAY_ACCESS_TEAM_DOMAIN: provider.url, RELAY_ACCESS_AUD: 'tag-1', STACKIT_SERVICE_ACCOUNT_TOKEN: 'emulator-token' });
  const seconds = Math.floor(Date.now() / 1000);
  const assertion = await signToken(key, { iss: provider.url, aud: ['tag-1'], sub: 'u9', email: 'grace@example.com', type: 'app', iat: seconds, exp: seconds + 300 });
  const me = await fetch(`${relayUrl}/relay/me`, { headers: { origin: ORIGIN, 'cf-access-jwt-assertion': assertion } });
  assert.equal(me.status, 200);
  assert.deepEqual((await me.json()).user.id, 'grace@example.com');
  const missing = await fetch(`${relayUrl}/relay/me`, { headers: { origin: ORIGIN } });
  assert.equal(missing.status, 401);
  assert.equal((await missing.json()).type, 'RelayUnauthenticated');
});

test(`workerd ${workerdVersion}: the relay Worker with the old settings (no sign-in) serves nothing and names what is missing`, async () => {
  const relayUrl = await startRelay({ RELAY_ALLOW_UNAUTHENTICATED: '', STACKIT_SERVICE_ACCOUNT_TOKEN: 'emulator-token' });
  const response = await fetch(`${relayUrl}/v3/projects/${PROJECT_ID}/regions/eu01/instances/${INSTANCE_ID}/restore-jobs`, { headers: { origin: ORIGIN } });
  assert.equal(response.status, 500);
  const body = await response.json();
  assert.equal(body.type, 'RelayMisconfigured');
  assert.match(body.message, /no user sign-in is configured: set RELAY_ACCESS_TEAM_DOMAIN/);
  assert.ok(!JSON.stringify(body).includes('emulator-token'));
});
