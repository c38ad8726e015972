// Node reads STACKIT's credential conventions when a client gets no auth option: the token variable,
// a key file with a separate private key file, and the credentials file. Each run is a child process
// with its own environment, against the emulator.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_INSTANCE_ID, DEFAULT_PROJECT_ID, startEmulator } from 'sqlserverflex-restore/emulator';

const run = promisify(execFile);
// A path (fileURLToPath decodes %20 and the like: a URL's .pathname would keep them and not exist).
const here = fileURLToPath(new URL('.', import.meta.url));
let emulator;
let dir;

before(async () => {
  emulator = await startEmulator({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'ssfr-credentials-'));
});
after(async () => {
  await emulator.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs getInstance in a fresh Node with only `env`; prints the state and the User-Agent seen. */
async function getInstanceWith(env) {
  const script = `
    import { RestoreClient } from 'sqlserverflex-restore';
    const client = new RestoreClient({ projectId: '${DEFAULT_PROJECT_ID}', region: 'eu01', baseUrl: '${emulator.url}' });
    try {
      const instance = await client.getInstance({ instanceId: '${DEFAULT_INSTANCE_ID}' });
      console.log(JSON.stringify({ state: instance.state }));
    } catch (e) {
      console.log(JSON.stringify({ error: e.name, code: e.code, message: e.message }));
    }`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: here,
    env: { PATH: process.env.PATH, HOME: dir, ...env },
  });
  return JSON.parse(stdout.trim());
}

function registeredKey() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const credentials = { kid, iss: `sa-${kid.slice(0, 6)}@sa.stackit.cloud`, sub: randomUUID(), aud: `${emulator.url}/token` };
  emulator.registerServiceAccountKey({ ...credentials, publicKey: publicKey.export({ type: 'spki', format: 'pem' }) });
  return { key: { id: randomUUID(), credentials }, pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
}

test('STACKIT_SERVICE_ACCOUNT_TOKEN is used when no auth option is given', async () => {
  assert.deepEqual(await getInstanceWith({ STACKIT_SERVICE_ACCOUNT_TOKEN: 'emulator-token' }), { state: 'READY' });
  const last = emulator.requests({ operation: 'GetInstance' }).at(-1);
  assert.match(last.headers['user-agent'], /^sqlserverflex-restore\/\d+\.\d+\.\d+ node\/\d+/);
});

test('a key file plus a separate private key file runs the key flow', async () => {
  const { key, pem } = registeredKey();
  writeFileSync(join(dir, 'key.json'), JSON.stringify(key));
  writeFileSync(join(dir, 'private.pem'), pem);
  const result = await getInstanceWith({
    STACKIT_SERVICE_ACCOUNT_KEY_PATH: join(dir, 'key.json'),
    STACKIT_PRIVATE_KEY_PATH: join(dir, 'private.pem'),
    STACKIT_TOKEN_BASEURL: `${emulator.url}/token`,
  });
  assert.deepEqual(result, { state: 'READY' });
});

test('the credentials file (~/.stackit/credentials.json or $STACKIT_CREDENTIALS_PATH) is read', async () => {
  const { key, pem } = registeredKey();
  const path = join(dir, 'creds.json');
  writeFileSync(path, JSON.stringify({
    STACKIT_SERVICE_ACCOUNT_KEY: JSON.stringify({ ...key, credentials: { ...key.credentials, privateKey: pem } }),
    STACKIT_TOKEN_BASEURL: `${emulator.url}/token`,
  }));
  assert.deepEqual(await getInstanceWith({ STACKIT_CREDENTIALS_PATH: path }), { state: 'READY' });
});

test('without any credentials the API answers 401 and the client says AuthError', async () => {
  const result = await getInstanceWith({});
  assert.equal(result.error, 'AuthError');
});

test('an unreadable key file is a clear error that never prints the file', async () => {
  writeFileSync(join(dir, 'broken.json'), '{"credentials": "-----BEGIN PRIVATE KEY----- s3cr3t');
  const script = `import { RestoreClient } from 'sqlserverflex-restore';
    try { new RestoreClient({ projectId: '${DEFAULT_PROJECT_ID}', region: 'eu01' }); } catch (e) { console.log(e.message); }`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: here,
    env: { PATH: process.env.PATH, HOME: dir, STACKIT_SERVICE_ACCOUNT_KEY_PATH: join(dir, 'broken.json') },
  });
  assert.match(stdout, /is not valid JSON/);
  assert.ok(!stdout.includes('s3cr3t'));
});
