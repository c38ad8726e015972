// The console's relay (examples/relay/relay.mjs, an edge function) running as a Worker in workerd
// (Miniflare), between the packed package's client and the emulator: once with a static token
// binding, once with a service-account key binding, where workerd's WebCrypto signs the JWT.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Miniflare } from 'miniflare';
import { installPackedPackage, root, startPackedEmulator } from '../runtimes/harness.mjs';

const PROJECT_ID = '11111111-1111-4111-8111-111111111111';
const INSTANCE_ID = '22222222-2222-4222-8222-222222222222';
const ORIGIN = 'http://127.0.0.1:9';
const BUCKET = 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/';
const relayScript = join(root, 'examples', 'relay', 'relay.mjs');
const workerdVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'workerd', 'package.json'), 'utf8')).version;

let install;
let emulator;
let api;
const relays = [];

before(async () => {
  install = installPackedPackage();
  emulator = await startPackedEmulator(install);
  api = await import(pathToFileURL(join(install.packageDir, 'node.mjs')).href);
});

after(async () => {
  // After a failed start, dispose() rejects with the error the test already reported.
  for (const relay of relays) await relay.dispose().catch(() => {});
  await emulator?.stop();
  install?.cleanup();
});

/** The relay Worker with these bindings; resolves with its loopback URL. */
async function startRelay(credentials) {
  const relay = new Miniflare({
    modules: true, scriptPath: relayScript, modulesRoot: join(root, 'examples', 'relay'), compatibilityDate: '2026-07-01',
    bindings: {
      RELAY_ALLOWED_ORIGIN: ORIGIN, RELAY_PROJECT_ID: PROJECT_ID, RELAY_REGION: 'eu01', RELAY_INSTANCE_IDS: INSTANCE_ID,
      RELAY_API_BASE_URL: emulator.url, ...credentials,
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
