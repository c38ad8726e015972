// Production-client cases that run unchanged in Node and in Chromium against the emulator over real
// HTTP: key-flow auth with a key pair made here with WebCrypto, retries, timeouts, aborts, the
// exactly-once trigger and the restore waiter. Each case returns plain data the Node test asserts on.
export const PROJECT = '11111111-1111-4111-8111-111111111111';
export const INSTANCE = '22222222-2222-4222-8222-222222222222';
const BUCKET = 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/';

let counter = 0;
const unique = (prefix) => `${prefix}_${Date.now().toString(36)}_${(counter += 1)}`;

function importInput(databaseName) {
  return {
    instanceId: INSTANCE, databaseName, databaseOwner: 'dbo_owner',
    s3: { bucket: BUCKET, accessKey: 'AK', secretKey: 'client-cases-S3CR3T', files: [{ path: `${BUCKET}db.bak` }] },
  };
}

async function admin(url, path, body) {
  const response = await fetch(`${url}/_emulator/${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`admin ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

async function recorded(url, operation) {
  return (await admin(url, `requests?operation=${operation}`)).requests;
}

function pem(label, der) {
  const base64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g).join('\n')}\n-----END ${label}-----\n`;
}

/** A service-account key JSON with a fresh RSA pair made here; its public half registered with the emulator. */
async function newServiceAccountKey(url) {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-512' },
    true, ['sign', 'verify'],
  );
  const kid = crypto.randomUUID();
  const credentials = {
    kid, iss: `sa-${kid.slice(0, 8)}@sa.stackit.cloud`, sub: crypto.randomUUID(), aud: `${url}/token`,
    privateKey: pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', pair.privateKey)),
  };
  const publicKey = pem('PUBLIC KEY', await crypto.subtle.exportKey('spki', pair.publicKey));
  await admin(url, 'service-account-keys', { kid, publicKey, iss: credentials.iss, sub: credentials.sub });
  return { id: crypto.randomUUID(), publicKey, credentials };
}

async function outcome(promise) {
  try {
    return { value: await promise };
  } catch (error) {
    return { error: { name: error?.name, code: error?.code, status: error?.status, retryable: error?.retryable, attempts: error?.attempts, message: String(error?.message) } };
  }
}

/**
 * @param api the package (Node or browser entry)
 * @param ctx { url, shortTokenUrl } emulator with long-lived tokens, and one whose tokens live 5 s
 */
export async function clientCases(api, { url, shortTokenUrl }) {
  const results = {};
  const options = (extra = {}) => ({ projectId: PROJECT, region: 'eu01', baseUrl: url, token: 'emulator-token', ...extra });

  // Key flow: JWT signed with WebCrypto, verified by the emulator; one token for many calls.
  const key = await newServiceAccountKey(url);
  const keyClient = new api.RestoreClient({ projectId: PROJECT, region: 'eu01', baseUrl: url, serviceAccountKey: key, tokenEndpoint: `${url}/token` });
  const tokensBefore = (await recorded(url, 'Token')).length;
  const instance = await outcome(keyClient.getInstance({ instanceId: INSTANCE }));
  const concurrent = await Promise.all(Array.from({ length: 50 }, () => outcome(keyClient.listRestoreJobs({ instanceId: INSTANCE }))));
  results.keyFlow = {
    instanceState: instance.value?.state ?? instance.error,
    concurrentOk: concurrent.filter((r) => r.value).length,
    tokenRequests: (await recorded(url, 'Token')).length - tokensBefore,
  };

  // 50 concurrent calls of a fresh client share exactly one token request.
  const freshKey = await newServiceAccountKey(url);
  const fresh = new api.RestoreClient({ projectId: PROJECT, region: 'eu01', baseUrl: url, serviceAccountKey: JSON.stringify(freshKey), tokenEndpoint: `${url}/token` });
  const before50 = (await recorded(url, 'Token')).length;
  const fifty = await Promise.all(Array.from({ length: 50 }, () => outcome(fresh.getInstance({ instanceId: INSTANCE }))));
  results.fiftyConcurrent = { ok: fifty.filter((r) => r.value).length, tokenRequests: (await recorded(url, 'Token')).length - before50 };

  // A token that expires within the 5 s safety margin is renewed on the next call.
  const shortKey = await newServiceAccountKey(shortTokenUrl);
  const short = new api.RestoreClient({ projectId: PROJECT, region: 'eu01', baseUrl: shortTokenUrl, serviceAccountKey: shortKey, tokenEndpoint: `${shortTokenUrl}/token` });
  const beforeShort = (await recorded(shortTokenUrl, 'Token')).length;
  await short.getInstance({ instanceId: INSTANCE });
  await short.getInstance({ instanceId: INSTANCE });
  results.refresh = { tokenRequests: (await recorded(shortTokenUrl, 'Token')).length - beforeShort };

  // A wrong key (not registered) → AuthError with the endpoint's message.
  const stranger = await newServiceAccountKey(url);
  stranger.credentials.kid = crypto.randomUUID();
  const wrong = new api.RestoreClient({ projectId: PROJECT, region: 'eu01', baseUrl: url, serviceAccountKey: stranger, tokenEndpoint: `${url}/token` });
  results.wrongKey = await outcome(wrong.getInstance({ instanceId: INSTANCE }));

  const client = new api.RestoreClient(options({ retry: { baseDelayMs: 10, maxDelayMs: 50, verifyDelayMs: 50 } }));

  // 429 with Retry-After, then success.
  await admin(url, 'faults', { operation: 'GetInstance', kind: 'status', status: 429, retryAfterSeconds: 1, times: 1 });
  const getsBefore = (await recorded(url, 'GetInstance')).length;
  const limited = await outcome(client.getInstance({ instanceId: INSTANCE }));
  results.rateLimited = { ok: Boolean(limited.value), requests: (await recorded(url, 'GetInstance')).length - getsBefore };

  // 503 twice, then success.
  await admin(url, 'faults', { operation: 'ListDatabases', kind: 'status', status: 503, times: 2 });
  const listBefore = (await recorded(url, 'ListDatabases')).length;
  const unavailable = await outcome(client.listDatabases({ instanceId: INSTANCE }));
  results.unavailable = { ok: Boolean(unavailable.value), requests: (await recorded(url, 'ListDatabases')).length - listBefore };

  // Retries are bounded: 503 forever → ApiError, retryable, after 1 + maxRetries attempts.
  await admin(url, 'faults', { operation: 'ListUsers', kind: 'status', status: 503, times: 'always' });
  results.exhausted = await outcome(client.listUsers({ instanceId: INSTANCE }, { maxRetries: 2 }));
  await fetch(`${url}/_emulator/faults`, { method: 'DELETE' });

  // A stalled response → TimeoutError within the per-attempt timeout.
  await admin(url, 'faults', { operation: 'GetInstance', kind: 'stall', times: 1 });
  results.stalled = await outcome(client.getInstance({ instanceId: INSTANCE }, { timeoutMs: 300, maxRetries: 0 }));

  // A stall then success: the timeout is retried for a safe request.
  await admin(url, 'faults', { operation: 'GetInstance', kind: 'stall', times: 1 });
  results.stallThenOk = Boolean((await outcome(client.getInstance({ instanceId: INSTANCE }, { timeoutMs: 300 }))).value);

  // An aborted call rejects with the runtime's AbortError, unchanged.
  const controller = new AbortController();
  await admin(url, 'faults', { operation: 'GetInstance', kind: 'latency', latencyMs: 2000, times: 1 });
  const pending = outcome(client.getInstance({ instanceId: INSTANCE }, { signal: controller.signal }));
  controller.abort();
  results.aborted = await pending;

  // Malformed JSON body → typed error.
  await admin(url, 'faults', { operation: 'ListCurrentRunningRestoreJobs', kind: 'malformed-json', times: 1 });
  results.malformed = await outcome(client.listRestoreJobs({ instanceId: INSTANCE }, { maxRetries: 0 }));

  // Connection reset after the restore was recorded: the client checks and never POSTs again.
  const resetDb = unique('reset_after');
  await admin(url, 'faults', { operation: 'RestoreDatabaseFromBackup', kind: 'reset-after', times: 1 });
  const resetAfter = await outcome(client.importFromS3(importInput(resetDb)));
  const postsAfter = (await recorded(url, 'RestoreDatabaseFromBackup')).filter((r) => JSON.stringify(r.body).includes(resetDb));
  const runningAfter = (await client.listRestoreJobs({ instanceId: INSTANCE })).runningRestores.filter((j) => j.databaseName === resetDb);
  results.resetAfter = { accepted: resetAfter.value?.accepted ?? resetAfter.error, posts: postsAfter.length, running: runningAfter.length };

  // Connection reset before processing: the check finds nothing, the POST is sent again, one restore runs.
  const beforeDb = unique('reset_before');
  await admin(url, 'faults', { operation: 'RestoreDatabaseFromBackup', kind: 'reset-before', times: 1 });
  const resetBefore = await outcome(client.importFromS3(importInput(beforeDb)));
  const jobs = await client.listRestoreJobs({ instanceId: INSTANCE });
  results.resetBefore = {
    accepted: resetBefore.value?.accepted ?? resetBefore.error,
    runningRestores: jobs.runningRestores.filter((j) => j.databaseName === beforeDb).length,
  };

  // Import and wait with progress to SUCCEEDED (the emulator runs restores 600× faster).
  const okDb = unique('wait_ok');
  const events = [];
  const waited = await outcome(client.importFromS3(importInput(okDb), {
    wait: true, minDelayMs: 50, maxDelayMs: 250, onProgress: (e) => events.push(e),
  }));
  results.waitSucceeded = {
    state: waited.value?.state ?? waited.error, accepted: waited.value?.accepted, database: waited.value?.database?.name,
    events: events.length,
    percentsInRange: events.every((e) => e.percent >= 0 && e.percent <= 100),
    nonDecreasing: events.every((e, i) => i === 0 || e.percent >= events[i - 1].percent),
    hasEta: events.some((e) => e.estimatedCompletion instanceof Date),
  };

  // A restore that fails server-side → FAILED.
  const failDb = unique('wait_fail');
  await admin(url, 'faults', { operation: 'RestoreDatabaseFromBackup', kind: 'fail-restore', atPercent: 30, times: 1 });
  const failed = await outcome(client.importFromS3(importInput(failDb), { wait: true, minDelayMs: 50, maxDelayMs: 250 }));
  results.waitFailed = { state: failed.value?.state ?? failed.error };

  // Abort in the middle of a wait → ABORTED, and the restore goes on server-side.
  const abortDb = unique('wait_abort');
  await client.importFromS3(importInput(abortDb));
  const waitController = new AbortController();
  const abortedWait = await outcome(client.waitForRestore({ instanceId: INSTANCE, databaseName: abortDb }, {
    signal: waitController.signal, minDelayMs: 50, maxDelayMs: 250, onProgress: () => waitController.abort(),
  }));
  results.waitAborted = { state: abortedWait.value?.state ?? abortedWait.error };

  // Bad input → ValidationError, nothing sent.
  results.invalid = await outcome(client.importFromS3({ instanceId: 'x' }));
  results.errorClasses = Object.keys(api).filter((k) => k.endsWith('Error')).sort();
  return results;
}
