// The relay's user sign-in (examples/relay/user-auth.mjs) on Node, against a sign-in provider on
// loopback whose keys are generated here: OpenID Connect bearer tokens and Cloudflare Access
// assertions. Every refused sign-in is refused before any upstream call (the emulator records
// none); a signed-in user's requests are forwarded and audited, triggers are authorised per user
// and rate-limited; the relay will not start without a sign-in unless told to serve loopback only.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { startEmulator } from 'sqlserverflex-restore/emulator';
import { RestoreClient } from 'sqlserverflex-restore';
import { configFromEnv } from '../../examples/relay/relay.mjs';
import { startRelayServer } from '../../examples/relay/node-server.mjs';
import { createSigningKey, signToken, startIdentityProvider } from './support/identity-provider.mjs';
import { INSTANCE_ID, PROJECT_ID, TOKEN, importInput, recordedRequests, uniqueDatabase } from './support/fixtures.mjs';

const ORIGIN = 'http://127.0.0.1:9';
const AUDIENCE = 'sqlserverflex-restore-console';
const ACCESS_TAG = '4714c1358e65fe4b408ad6d432a5f878f08194bdb4752441fd56faefa9b2b6f2';
const nodeServer = fileURLToPath(new URL('../../examples/relay/node-server.mjs', import.meta.url));
const instancePath = `/v3/projects/${PROJECT_ID}/regions/eu01/instances/${INSTANCE_ID}`;

let emulator;
let provider;
let key;
let ecKey;
const relays = [];
let clock = Date.now();
const now = () => clock;

before(async () => {
  emulator = await startEmulator({ port: 0, timeScale: 600 });
  key = await createSigningKey('key-1');
  ecKey = await createSigningKey('key-es', 'ES256');
  provider = await startIdentityProvider([key, ecKey]);
});

after(async () => {
  for (const relay of relays) await relay.stop();
  await provider?.stop();
  await emulator?.stop();
});

/** A relay on loopback with `settings`; its audit lines collect in `relay.audit`. */
async function startRelay(settings) {
  const audit = [];
  const config = configFromEnv({
    RELAY_ALLOWED_ORIGIN: ORIGIN, RELAY_PROJECT_ID: PROJECT_ID, RELAY_REGION: 'eu01', RELAY_INSTANCE_IDS: INSTANCE_ID,
    RELAY_API_BASE_URL: emulator.url, STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN, ...settings,
  });
  const relay = await startRelayServer({ config, port: 0, runtime: { now, log: (line) => audit.push(JSON.parse(line)) } });
  relays.push(relay);
  return Object.assign(relay, { audit });
}

const oidc = (extra = {}) => ({ RELAY_OIDC_ISSUER: provider.url, RELAY_OIDC_AUDIENCE: AUDIENCE, ...extra });
const claims = (overrides = {}) => ({
  iss: provider.url, aud: AUDIENCE, sub: 'user-1', email: 'alice@example.com', name: 'Alice',
  iat: Math.floor(clock / 1000), exp: Math.floor(clock / 1000) + 300, ...overrides,
});

/** A request as the console's browser sends it: from ORIGIN, with these headers. */
function send(relay, path, { method = 'GET', headers = {}, body } = {}) {
  return fetch(`${relay.url}${path}`, {
    method, body, headers: { origin: ORIGIN, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
  });
}
const bearer = (token) => ({ authorization: `Bearer ${token}` });
const importBody = (databaseName) => JSON.stringify({
  database_name: databaseName,
  source: { type: 'EXTERNAL_S3', database_owner: 'dbo_owner', logging_guid: 'guid-of-this-import', s3_details: {
    s3_bucket: 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/', s3_access_key: 'AK', s3_access_secret: 'relay-S3CR3T',
    s3_files: [{ file_number: 1, file_path: 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/db.bak' }],
  } },
});
const upstreamCount = async () => (await recordedRequests(emulator.url)).length;

test('OpenID Connect: missing, expired, foreign, forged and unknown-key tokens are refused before any upstream call', async () => {
  const relay = await startRelay(oidc());
  const stranger = await createSigningKey('key-1'); // same kid as the provider's, other key
  const unknown = await createSigningKey('key-unknown');
  const before = await upstreamCount();
  const cases = [
    ['no token', {}, /not signed in/],
    ['expired', bearer(await signToken(key, claims({ exp: Math.floor(clock / 1000) - 120 }))), /expired/],
    ['wrong aud', bearer(await signToken(key, claims({ aud: 'another-app' }))), /another audience/],
    ['wrong issuer', bearer(await signToken(key, claims({ iss: 'https://login.example' }))), /not issued by/],
    ['not yet valid', bearer(await signToken(key, claims({ nbf: Math.floor(clock / 1000) + 600 }))), /not valid yet/],
    ['unknown key', bearer(await signToken(unknown, claims())), /unknown key/],
    ['forged with a known kid', bearer(await signToken(stranger, claims())), /signature is not valid/],
    ['alg none', bearer(`${Buffer.from('{"alg":"none","kid":"key-1"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`), /algorithm/],
    ['not a JWT', bearer('emulator-token'), /not a JWT/],
  ];
  for (const [name, headers, message] of cases) {
    for (const [method, path, body] of [['GET', `${instancePath}/restore-jobs`], ['POST', `${instancePath}/restores`, importBody(uniqueDatabase('refused'))]]) {
      const response = await send(relay, path, { method, headers, body });
      const answer = await response.json();
      assert.equal(response.status, 401, `${name} ${method}`);
      assert.equal(answer.type, 'RelayUnauthenticated', name);
      assert.match(answer.message, message, name);
      assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      assert.equal(response.headers.get('access-control-allow-origin'), ORIGIN, 'the console can read why');
    }
  }
  // A spoofed Origin (anything but the console's) gets nothing, token or not.
  const spoofed = await fetch(`${relay.url}${instancePath}/restore-jobs`, { headers: { origin: 'https://evil.example', ...bearer(await signToken(key, claims())) } });
  assert.equal(spoofed.status, 403);
  assert.equal(await upstreamCount(), before, 'the emulator recorded no request');
  assert.ok(relay.audit.every((line) => line.outcome === 'refused' && line.status === 401 && line.user === null));
  const everything = JSON.stringify(relay.audit);
  assert.ok(!everything.includes('eyJ'), 'no token in the audit trail');
});

test('OpenID Connect: a valid token is forwarded and audited with the user, operation, target and trace id', async () => {
  const relay = await startRelay(oidc());
  const token = await signToken(key, claims());
  const databaseName = uniqueDatabase('signed_in');
  const accepted = await send(relay, `${instancePath}/restores`, { method: 'POST', headers: bearer(token), body: importBody(databaseName) });
  assert.equal(accepted.status, 202);
  assert.equal(decodeURIComponent(accepted.headers.get('x-relay-user')), 'alice@example.com');
  assert.equal(accepted.headers.get('x-relay-logging-guid'), 'guid-of-this-import');
  assert.match(accepted.headers.get('access-control-expose-headers'), /x-relay-user/);

  const posted = (await recordedRequests(emulator.url)).filter((r) => r.method === 'POST' && JSON.stringify(r.body ?? '').includes(databaseName));
  // The emulator accepts only its own token: the 202 shows the relay's credential replaced the user's.
  assert.equal(posted.length, 1);

  const [line] = relay.audit;
  assert.deepEqual({ ...line, time: undefined }, {
    time: undefined, event: 'sqlserverflex-restore-relay', outcome: 'forwarded', user: 'alice@example.com',
    operation: 'RestoreDatabaseFromBackup', method: 'POST', instance: INSTANCE_ID, database: databaseName,
    loggingGuid: 'guid-of-this-import', status: 202, traceId: posted[0].traceId ?? line.traceId,
  });
  assert.match(line.traceId, /^[0-9a-f]{32}$/);
  assert.equal(new Date(line.time).getTime(), clock);
  const everything = JSON.stringify(relay.audit);
  for (const secret of [token, TOKEN, 'relay-S3CR3T']) assert.ok(!everything.includes(secret), 'no secret in the audit trail');

  // An ES256-signed token from the same provider works too; `/relay/me` says who is signed in.
  assert.equal((await send(relay, `${instancePath}/restore-jobs`, { headers: bearer(await signToken(ecKey, claims())) })).status, 200);
  const me = await send(relay, '/relay/me', { headers: bearer(token) });
  assert.equal(me.status, 200);
  assert.deepEqual(await me.json(), {
    user: { id: 'alice@example.com', email: 'alice@example.com', name: 'Alice', groups: [] },
    signIn: 'oidc', canTrigger: true, triggerLimit: { limit: 10, windowSeconds: 3600 },
  });
});

test('the package\'s client signs in with the user\'s token; the audit line carries the import\'s logging GUID', async () => {
  const relay = await startRelay(oidc());
  const fromOrigin = (url, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set('origin', ORIGIN);
    return fetch(url, { ...init, headers });
  };
  const client = new RestoreClient({ projectId: PROJECT_ID, region: 'eu01', baseUrl: relay.url, token: await signToken(key, claims({ email: 'dana@example.com' })), fetch: fromOrigin });
  const { loggingGuid: _, ...input } = importInput(uniqueDatabase('client_oidc'));
  const result = await client.importFromS3(input);
  assert.equal(result.status, 202);
  const line = relay.audit.find((entry) => entry.method === 'POST');
  assert.equal(line.user, 'dana@example.com');
  assert.equal(line.loggingGuid, result.loggingGuid, 'the GUID the instance logs is tied to the person');
  assert.equal(line.traceId, result.traceId);

  const anonymous = new RestoreClient({ projectId: PROJECT_ID, region: 'eu01', baseUrl: relay.url, token: 'not-a-sign-in-token', fetch: fromOrigin });
  const refused = await anonymous.listRestoreJobs({ instanceId: INSTANCE_ID }).then(() => null, (error) => error);
  assert.equal(refused?.status, 401);
  assert.match(refused.message, /not a JWT/);
});

test('key rotation: an unknown kid refetches the keys (at most once per cool-down)', async () => {
  const relay = await startRelay(oidc());
  assert.equal((await send(relay, `${instancePath}/restore-jobs`, { headers: bearer(await signToken(key, claims())) })).status, 200);
  const fetched = provider.requests.keys;
  const rotated = await createSigningKey('key-2');
  provider.setKeys([rotated]);
  try {
    // Right after a fetch, a new kid is not fetched again: forged kids cannot make the relay hammer the provider.
    const early = await send(relay, `${instancePath}/restore-jobs`, { headers: bearer(await signToken(rotated, claims())) });
    assert.equal(early.status, 401);
    assert.equal(provider.requests.keys, fetched);
    clock += 31_000;
    const after = await send(relay, `${instancePath}/restore-jobs`, { headers: bearer(await signToken(rotated, claims())) });
    assert.equal(after.status, 200, 'the rotated key was fetched and accepted');
    assert.equal(provider.requests.keys, fetched + 1);
    const retired = await send(relay, `${instancePath}/restore-jobs`, { headers: bearer(await signToken(key, claims())) });
    assert.equal(retired.status, 401, 'a key the provider no longer publishes is refused');
  } finally {
    provider.setKeys([key, ecKey]);
    clock += 31_000;
  }
});

test('authorisation: listed users and groups may trigger; everyone signed in may read; others may not sign in at all', async () => {
  const relay = await startRelay(oidc({
    RELAY_TRIGGER_USERS: 'alice@example.com', RELAY_TRIGGER_GROUPS: 'DBA',
    RELAY_ALLOWED_GROUPS: 'staff, dba', RELAY_ALLOWED_EMAILS: 'alice@example.com',
  }));
  const reader = bearer(await signToken(key, claims({ sub: 'user-2', email: 'bob@example.com', groups: ['staff'] })));
  const dba = bearer(await signToken(key, claims({ sub: 'user-3', email: 'carol@example.com', groups: ['dba'] })));
  const outsider = bearer(await signToken(key, claims({ sub: 'user-4', email: 'eve@example.com', groups: ['contractors'] })));
  const before = await upstreamCount();

  const refused = await send(relay, `${instancePath}/restores`, { method: 'POST', headers: reader, body: importBody(uniqueDatabase('reader')) });
  assert.equal(refused.status, 403);
  assert.match((await refused.json()).message, /bob@example.com may read but not trigger/);
  const outside = await send(relay, `${instancePath}/restore-jobs`, { headers: outsider });
  assert.equal(outside.status, 403);
  assert.match((await outside.json()).message, /eve@example.com is not allowed/);
  assert.equal(await upstreamCount(), before, 'nothing forwarded');

  assert.equal((await send(relay, `${instancePath}/restore-jobs`, { headers: reader })).status, 200);
  assert.equal((await (await send(relay, '/relay/me', { headers: reader })).json()).canTrigger, false);
  assert.equal((await send(relay, `${instancePath}/restores`, { method: 'POST', headers: dba, body: importBody(uniqueDatabase('dba')) })).status, 202);
  assert.equal((await send(relay, `${instancePath}/restores`, { method: 'POST', headers: bearer(await signToken(key, claims())), body: importBody(uniqueDatabase('alice')) })).status, 202);
  assert.deepEqual(relay.audit.map((line) => [line.user, line.method, line.status]), [
    ['bob@example.com', 'POST', 403], ['eve@example.com', 'GET', 403], ['bob@example.com', 'GET', 200],
    ['carol@example.com', 'POST', 202], ['alice@example.com', 'POST', 202],
  ], '/relay/me is not audited: it forwards nothing');
});

test('rate limit: restore POSTs per user and window, then 429 with Retry-After; reads and other users unaffected', async () => {
  const relay = await startRelay(oidc({ RELAY_TRIGGER_LIMIT: '2', RELAY_TRIGGER_WINDOW_SECONDS: '600' }));
  const alice = bearer(await signToken(key, claims()));
  const bob = bearer(await signToken(key, claims({ sub: 'user-2', email: 'bob@example.com' })));
  const post = (headers) => send(relay, `${instancePath}/restores`, { method: 'POST', headers, body: importBody(uniqueDatabase('limited')) });
  const posts = async () => (await recordedRequests(emulator.url)).filter((r) => r.method === 'POST').length;
  const before = await posts();
  assert.equal((await post(alice)).status, 202);
  clock += 60_000;
  assert.equal((await post(alice)).status, 202);
  const limited = await post(alice);
  assert.equal(limited.status, 429);
  assert.equal((await limited.json()).type, 'RelayRateLimited');
  assert.equal(limited.headers.get('retry-after'), '540', 'until the first trigger leaves the window');
  assert.match(limited.headers.get('access-control-expose-headers'), /retry-after/);
  assert.equal((await send(relay, `${instancePath}/restore-jobs`, { headers: alice })).status, 200, 'reads are not limited');
  assert.equal((await post(bob)).status, 202, 'the limit is per user');
  assert.equal(await posts(), before + 3, 'the refused POST never reached the API');
  clock += 541_000;
  assert.equal((await post(bearer(await signToken(key, claims())))).status, 202, 'after the window, alice may trigger again');
});

test('Cloudflare Access: the Cf-Access-Jwt-Assertion header or the CF_Authorization cookie, never a bearer token', async () => {
  const relay = await startRelay({ RELAY_ACCESS_TEAM_DOMAIN: provider.url, RELAY_ACCESS_AUD: ACCESS_TAG });
  const access = (overrides) => signToken(key, { ...claims({ aud: [ACCESS_TAG], type: 'app', country: 'DE' }), ...overrides });
  const before = await upstreamCount();
  for (const [name, headers, status] of [
    ['no assertion', {}, 401],
    ['a bearer token instead', bearer(await access()), 401],
    ['expired', { 'cf-access-jwt-assertion': await access({ exp: Math.floor(clock / 1000) - 3600 }) }, 401],
    ['another application', { 'cf-access-jwt-assertion': await access({ aud: ['0000'] }) }, 401],
  ]) {
    const response = await send(relay, `${instancePath}/restore-jobs`, { headers });
    assert.equal(response.status, status, name);
    assert.equal(response.headers.get('www-authenticate'), null);
  }
  assert.equal(await upstreamCount(), before, 'nothing forwarded');

  assert.equal((await send(relay, `${instancePath}/restore-jobs`, { headers: { 'cf-access-jwt-assertion': await access() } })).status, 200);
  const viaCookie = await send(relay, '/relay/me', { headers: { cookie: `theme=dark; CF_Authorization=${await access({ email: 'Frank@Example.com' })}` } });
  assert.equal(viaCookie.status, 200);
  assert.equal(viaCookie.headers.get('access-control-allow-credentials'), 'true', 'the browser may send Access\'s cookie cross-origin');
  const me = await viaCookie.json();
  assert.equal(me.user.id, 'frank@example.com');
  assert.equal(me.signIn, 'cloudflare-access');
  assert.deepEqual(relay.audit.map((line) => [line.user, line.status]).slice(-1), [['alice@example.com', 200]]);
});

test('the provider\'s keys unreachable: 503, nothing forwarded', async () => {
  const relay = await startRelay({ RELAY_OIDC_ISSUER: 'http://127.0.0.1:9', RELAY_OIDC_AUDIENCE: AUDIENCE });
  const before = await upstreamCount();
  const response = await send(relay, `${instancePath}/restore-jobs`, { headers: bearer(await signToken(key, claims({ iss: 'http://127.0.0.1:9' }))) });
  assert.equal(response.status, 503);
  const body = await response.json();
  assert.equal(body.type, 'RelayAuthError');
  assert.match(body.message, /could not fetch the provider's discovery document/);
  assert.equal(await upstreamCount(), before);
});

test('start-up: the README\'s old settings exit naming the missing sign-in; unauthenticated only on loopback', async () => {
  const oldSettings = {
    RELAY_ALLOWED_ORIGIN: ORIGIN, RELAY_PROJECT_ID: PROJECT_ID, RELAY_REGION: 'eu01', RELAY_INSTANCE_IDS: INSTANCE_ID,
    STACKIT_SERVICE_ACCOUNT_TOKEN: TOKEN, PORT: '0',
  };
  const run = (env) => spawnSync(process.execPath, [nodeServer], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 20_000 });
  const refused = run(oldSettings);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /no user sign-in is configured: set RELAY_ACCESS_TEAM_DOMAIN and RELAY_ACCESS_AUD \(Cloudflare Access\) or RELAY_OIDC_ISSUER and RELAY_OIDC_AUDIENCE/);
  assert.ok(!refused.stderr.includes(TOKEN));
  const half = run({ ...oldSettings, RELAY_OIDC_ISSUER: 'https://login.example' });
  assert.match(half.stderr, /RELAY_OIDC_AUDIENCE is not set/);
  const plainHttp = run({ ...oldSettings, RELAY_OIDC_ISSUER: 'http://login.example', RELAY_OIDC_AUDIENCE: 'x' });
  assert.match(plainHttp.stderr, /RELAY_OIDC_ISSUER must be an https:\/\/ URL/);
  const exposed = run({ ...oldSettings, RELAY_ALLOW_UNAUTHENTICATED: 'loopback', HOST: '0.0.0.0' });
  assert.equal(exposed.status, 2);
  assert.match(exposed.stderr, /binds to loopback only, not 0\.0\.0\.0/);
  assert.match(run({ ...oldSettings, RELAY_ALLOW_UNAUTHENTICATED: 'yes' }).stderr, /accepts only "loopback"/);

  const local = spawn(process.execPath, [nodeServer], { env: { PATH: process.env.PATH, ...oldSettings, RELAY_ALLOW_UNAUTHENTICATED: 'loopback' } });
  try {
    let stderr = '';
    local.stderr.setEncoding('utf8');
    while (!/listening/.test(stderr)) stderr += (await once(local.stderr, 'data'))[0];
    assert.match(stderr, /relay listening on http:\/\/127\.0\.0\.1:\d+ \(sign-in: loopback\)/);
  } finally {
    local.kill();
  }
});

test('the provider down after keys were fetched: its last keys are still trusted', async () => {
  const ownKey = await createSigningKey('own-1');
  const ownProvider = await startIdentityProvider([ownKey]);
  const relay = await startRelay({ RELAY_OIDC_ISSUER: ownProvider.url, RELAY_OIDC_AUDIENCE: AUDIENCE });
  const token = () => signToken(ownKey, claims({ iss: ownProvider.url }));
  assert.equal((await send(relay, `${instancePath}/restore-jobs`, { headers: bearer(await token()) })).status, 200);
  await ownProvider.stop();
  clock += 11 * 60_000; // past the keys' 10-minute cache
  assert.equal((await send(relay, `${instancePath}/restore-jobs`, { headers: bearer(await token()) })).status, 200);
  const unknown = await send(relay, `${instancePath}/restore-jobs`, { headers: bearer(await signToken(await createSigningKey('own-2'), claims({ iss: ownProvider.url }))) });
  assert.equal(unknown.status, 401, 'an unknown key is still refused');
});
