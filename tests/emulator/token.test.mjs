// POST /token (service-account key flow) with real RSA keys and JWTs signed here with node:crypto.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { call, startTestEmulator, assertionFor, tokenRequest, signJwtRs512, START_MS } from './support/helpers.mjs';

const NOW_S = Math.floor(START_MS / 1000);
let emulator;
let key;

before(async () => {
  emulator = await startTestEmulator({ tokenLifetimeSeconds: 2 });
  key = emulator.addServiceAccount();
});
after(() => emulator.stop());

test('the generated service-account key JSON has STACKIT\'s shape', () => {
  assert.deepEqual(Object.keys(key).sort(), ['active', 'createdAt', 'credentials', 'id', 'keyAlgorithm', 'keyOrigin', 'keyType', 'publicKey', 'validUntil']);
  assert.equal(key.keyType, 'USER_MANAGED');
  assert.equal(key.keyOrigin, 'GENERATED');
  assert.equal(key.keyAlgorithm, 'RSA_2048');
  assert.equal(key.active, true);
  assert.equal(key.id, key.credentials.kid);
  assert.equal(key.credentials.aud, emulator.tokenUrl);
  assert.equal(key.credentials.tokenEndpoint, emulator.tokenUrl);
  assert.match(key.credentials.privateKey, /^-----BEGIN PRIVATE KEY-----\n/);
  assert.match(key.publicKey, /^-----BEGIN PUBLIC KEY-----\n/);
});

test('a valid assertion yields a Bearer token that the API accepts until it expires', async () => {
  const response = await tokenRequest(emulator, assertionFor(key, { nowSeconds: NOW_S }));
  assert.equal(response.status, 200, response.text);
  assert.deepEqual(Object.keys(response.json).sort(), ['access_token', 'expires_in', 'refresh_token', 'scope', 'token_type']);
  assert.equal(response.json.token_type, 'Bearer');
  assert.equal(response.json.expires_in, 2);
  const claims = JSON.parse(Buffer.from(response.json.access_token.split('.')[1], 'base64url'));
  assert.equal(claims.exp, NOW_S + 2, 'the access token is a JWT whose exp clients may read');
  assert.equal(claims.sub, key.credentials.sub);

  const token = response.json.access_token;
  assert.equal((await call(emulator, 'GET', 'restore-jobs', { token })).status, 200);
  emulator.advanceClock(1_999);
  assert.equal((await call(emulator, 'GET', 'restore-jobs', { token })).status, 200);
  emulator.advanceClock(1);
  const expired = await call(emulator, 'GET', 'restore-jobs', { token });
  assert.equal(expired.status, 401);
  assert.match(expired.json.message, /expired/);
});

test('an assertion with aud as an array containing the token URL is accepted', async () => {
  const assertion = assertionFor(key, { nowSeconds: Math.floor(emulator.now() / 1000), overrides: { aud: ['other', emulator.tokenUrl] } });
  assert.equal((await tokenRequest(emulator, assertion)).status, 200);
});

function assertOAuthError(response, status, error, message) {
  assert.equal(response.status, status, response.text);
  assert.equal(response.json.error, error);
  assert.match(response.json.message, message);
  assert.equal(response.json.error_description, response.json.message);
}

test('wrong signature → 401 (signed by another key with the same kid)', async () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const forged = { ...key, credentials: { ...key.credentials, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) } };
  assertOAuthError(await tokenRequest(emulator, assertionFor(forged, { nowSeconds: Math.floor(emulator.now() / 1000) })), 401, 'invalid_grant', /signature/);
});

test('tampered claims → 401', async () => {
  const [header, , signature] = assertionFor(key, { nowSeconds: Math.floor(emulator.now() / 1000) }).split('.');
  const claims = Buffer.from(JSON.stringify({ iss: key.credentials.iss, sub: key.credentials.sub, aud: emulator.tokenUrl, iat: 1, exp: 9_999_999_999 })).toString('base64url');
  assertOAuthError(await tokenRequest(emulator, `${header}.${claims}.${signature}`), 401, 'invalid_grant', /signature/);
});

test('expired assertion → 401', async () => {
  const nowSeconds = Math.floor(emulator.now() / 1000);
  const assertion = assertionFor(key, { nowSeconds: nowSeconds - 700, overrides: { exp: nowSeconds - 100 } });
  assertOAuthError(await tokenRequest(emulator, assertion), 401, 'invalid_grant', /expired/);
});

test('wrong aud → 401', async () => {
  const assertion = assertionFor(key, { nowSeconds: Math.floor(emulator.now() / 1000), overrides: { aud: 'https://service-account.api.stackit.cloud/token' } });
  assertOAuthError(await tokenRequest(emulator, assertion), 401, 'invalid_grant', /aud/);
});

test('iss/sub not of the key\'s service account → 401; missing iat → 401', async () => {
  const nowSeconds = Math.floor(emulator.now() / 1000);
  assertOAuthError(await tokenRequest(emulator, assertionFor(key, { nowSeconds, overrides: { sub: randomUUID() } })), 401, 'invalid_grant', /iss\/sub/);
  assertOAuthError(await tokenRequest(emulator, assertionFor(key, { nowSeconds, overrides: { iss: 'someone@sa.stackit.cloud' } })), 401, 'invalid_grant', /iss\/sub/);
  assertOAuthError(await tokenRequest(emulator, assertionFor(key, { nowSeconds, overrides: { iat: undefined } })), 401, 'invalid_grant', /iat/);
});

test('unknown kid → 401; inactive or expired key → 401', async () => {
  const nowSeconds = Math.floor(emulator.now() / 1000);
  assertOAuthError(await tokenRequest(emulator, assertionFor(key, { nowSeconds, header: { kid: randomUUID() } })), 401, 'invalid_grant', /kid/);
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const retired = {
    kid: randomUUID(), iss: 'retired@sa.stackit.cloud', sub: randomUUID(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }), validUntil: '2020-01-01T00:00:00Z',
  };
  emulator.registerServiceAccountKey(retired);
  const assertion = signJwtRs512({ alg: 'RS512', typ: 'JWT', kid: retired.kid },
    { iss: retired.iss, sub: retired.sub, aud: emulator.tokenUrl, iat: nowSeconds, exp: nowSeconds + 600, jti: randomUUID() }, privateKey);
  assertOAuthError(await tokenRequest(emulator, assertion), 401, 'invalid_grant', /inactive or expired/);
});

test('malformed requests → 400', async () => {
  const good = assertionFor(key, { nowSeconds: Math.floor(emulator.now() / 1000) });
  assertOAuthError(await tokenRequest(emulator, good, { grantType: 'client_credentials' }), 400, 'unsupported_grant_type', /grant_type/);
  assertOAuthError(await tokenRequest(emulator, good, { contentType: 'application/json' }), 400, 'invalid_request', /Content-Type/);
  assertOAuthError(await tokenRequest(emulator, ''), 400, 'invalid_request', /assertion is required/);
  assertOAuthError(await tokenRequest(emulator, 'not.a.jwt!'), 400, 'invalid_request', /not a compact JWT/);
  const hs = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.id })).toString('base64url')}.${good.split('.')[1]}.${good.split('.')[2]}`;
  assertOAuthError(await tokenRequest(emulator, hs), 400, 'invalid_request', /RS512/);
});

test('keys passed as startEmulator({serviceAccountKeys}) are trusted', async (t) => {
  const other = await startTestEmulator();
  t.after(() => other.stop());
  const audienceKey = { ...key, credentials: { ...key.credentials, aud: 'https://stackit-service-account-prod.apps.01.cf.eu01.stackit.cloud' } };
  const withKey = await startTestEmulator({ serviceAccountKeys: [audienceKey], tokenAudiences: [audienceKey.credentials.aud] });
  t.after(() => withKey.stop());
  const assertion = assertionFor(audienceKey, { nowSeconds: NOW_S });
  assert.equal((await tokenRequest(withKey, assertion)).status, 200);
  assert.equal((await tokenRequest(other, assertion)).status, 401);
});
