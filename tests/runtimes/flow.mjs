// The user flow every runtime fixture runs against the emulator on loopback. It uses only what all
// the runtimes share (fetch, WebCrypto, btoa), and returns plain data that the Node test asserts on:
// the export list, validation, the request as curl, an accepted import as the emulator recorded it,
// typed errors, and the key flow (an RS512 JWT signed with the runtime's WebCrypto).
export const PROJECT_ID = '11111111-1111-4111-8111-111111111111';
export const INSTANCE_ID = '22222222-2222-4222-8222-222222222222';
export const MISSING_INSTANCE_ID = '99999999-9999-4999-8999-999999999999';
export const S3_SECRET = 'runtime-fixture-S3CR3T';
const BUCKET = 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/';

function importInput(databaseName, overrides = {}) {
  return {
    instanceId: INSTANCE_ID,
    databaseName,
    databaseOwner: 'dbo_owner',
    s3: { bucket: BUCKET, accessKey: 'AKIAFIXTURE', secretKey: S3_SECRET, files: [{ path: `${BUCKET}sales.bak` }] },
    ...overrides,
  };
}

async function admin(url, path, body) {
  const response = await fetch(`${url}/_emulator/${path}`, body === undefined ? {} : {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`emulator ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

const recorded = async (url, operation) => (await admin(url, `requests?operation=${operation}`)).requests;

async function failure(promise) {
  try {
    await promise;
    return { rejected: false };
  } catch (error) {
    return { rejected: true, error };
  }
}

/** Validates, renders curl, imports, provokes a 404 and a validation error, and preflights the instance. */
export async function importFlow(api, url, label) {
  const options = { projectId: PROJECT_ID, region: 'eu01', token: 'emulator-token', baseUrl: url };
  const databaseName = `${label}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const input = importInput(databaseName);

  const bad = api.validateImport({ instanceId: 'not-a-uuid', databaseName: 'master', s3: {} });
  const good = api.validateImport(input, options);
  const curl = api.toCurl(api.buildImportRequest(options, input));

  const client = new api.RestoreClient(options);
  const accepted = await client.importFromS3(input);
  const posts = (await recorded(url, 'RestoreDatabaseFromBackup')).filter((r) => JSON.stringify(r.body).includes(databaseName));

  const missing = await failure(client.importFromS3(importInput(`${databaseName}_404`, { instanceId: MISSING_INSTANCE_ID })));
  const invalid = await failure(client.importFromS3(importInput('tempdb')));
  // The backup side in this runtime too: the client's preflight of the instance alone (no S3), and a
  // standalone preflight's typed validation error.
  const checked = await client.preflight({ instanceId: INSTANCE_ID, databaseName, databaseOwner: 'dbo_owner' });
  const badPreflight = await failure(api.preflight({ s3: {} }));

  return {
    exports: Object.keys(api).sort(),
    version: api.version,
    validation: {
      badOk: bad.ok,
      badCodes: bad.errors.map((e) => `${e.field}:${e.code}`).sort(),
      goodOk: good.ok,
      goodSecret: good.normalized?.s3?.secretKey,
    },
    curl: { masked: curl.includes('$S3_SECRET_KEY') && curl.includes('$TOKEN'), leaks: curl.includes(S3_SECRET) },
    accepted: { accepted: accepted.accepted, status: accepted.status, traceId: accepted.traceId, loggingGuid: accepted.loggingGuid },
    recorded: {
      posts: posts.length,
      path: posts[0]?.path,
      databaseName: posts[0]?.body?.database_name,
      sourceType: posts[0]?.body?.source?.type,
      userAgent: posts[0]?.headers?.['user-agent'],
    },
    notFound: {
      rejected: missing.rejected,
      name: missing.error?.name,
      status: missing.error?.status,
      instanceOf: missing.error instanceof api.NotFoundError && missing.error instanceof api.RestoreError,
      isInstance: api.NotFoundError.isInstance(missing.error),
      leaks: String(missing.error?.stack).includes(S3_SECRET),
    },
    invalid: { rejected: invalid.rejected, name: invalid.error?.name, instanceOf: invalid.error instanceof api.ValidationError },
    preflight: {
      instanceCheck: checked.checks?.find((check) => check.check === 'instance')?.status,
      invalid: { rejected: badPreflight.rejected, name: badPreflight.error?.name, instanceOf: badPreflight.error instanceof api.ValidationError },
    },
  };
}

function pem(label, der) {
  const base64 = btoa(String.fromCharCode(...new Uint8Array(der)));
  return `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g).join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Service-account key flow: a fresh RSA pair made with this runtime's WebCrypto, its public half
 * registered with the emulator, then the client signs the RS512 assertion and exchanges it for a token.
 */
export async function keyFlow(api, url) {
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
  const serviceAccountKey = { id: crypto.randomUUID(), publicKey, credentials };

  const tokensBefore = (await recorded(url, 'Token')).length;
  const client = new api.RestoreClient({ projectId: PROJECT_ID, region: 'eu01', baseUrl: url, serviceAccountKey, tokenEndpoint: `${url}/token` });
  const instance = await client.getInstance({ instanceId: INSTANCE_ID });
  const jobs = await client.listRestoreJobs({ instanceId: INSTANCE_ID });
  const tokens = (await recorded(url, 'Token')).slice(tokensBefore);
  return {
    instanceId: instance.id,
    runningRestoresIsArray: Array.isArray(jobs.runningRestores),
    tokenRequests: tokens.length,
    tokenStatus: tokens[0]?.status,
    leaks: JSON.stringify(client).includes('PRIVATE KEY'),
  };
}

/** Both flows, as one JSON-able result. */
export async function fullFlow(api, url, label) {
  return { ...(await importFlow(api, url, label)), keyFlow: await keyFlow(api, url) };
}
