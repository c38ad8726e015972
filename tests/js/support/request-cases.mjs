// Request building, validation and curl cases that run unchanged in Node and in Chromium: each returns
// plain data, so the Node test asserts on it and checks that Chromium produced exactly the same.
export const PROJECT = '11111111-1111-4111-8111-111111111111';
export const INSTANCE = '22222222-2222-4222-8222-222222222222';
export const SECRET = 'cases-S3CR3T-value';
export const TOKEN = 'cases-T0KEN-value';
const BUCKET = 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/';

export function importInput(overrides = {}) {
  return {
    instanceId: INSTANCE, databaseName: 'sales', databaseOwner: 'dbo_owner', loggingGuid: '1',
    s3: { bucket: BUCKET, accessKey: 'AKIAEXAMPLE', secretKey: SECRET, files: [{ number: 1, path: `${BUCKET}sales.bak` }] },
    ...overrides,
  };
}

const options = (apiVersion) => ({ projectId: PROJECT, region: 'eu01', token: TOKEN, apiVersion });

const inputs = {
  importFromS3: importInput(),
  restoreFromBackup: { instanceId: INSTANCE, databaseName: 'sales_copy' },
  restorePointInTime: { instanceId: INSTANCE, databaseName: 'sales', name: 'sales_at_noon', restoreDateTime: new Date(Date.UTC(2024, 4, 1, 12)) },
  listRestoreJobs: { instanceId: INSTANCE },
  listBackups: { instanceId: INSTANCE, page: 2, size: 50, sort: 'end_time.desc' },
  getBackup: { instanceId: INSTANCE, backupId: 42 },
  listDatabases: { instanceId: INSTANCE },
  getDatabase: { instanceId: INSTANCE, databaseName: 'sales' },
  getInstance: { instanceId: INSTANCE },
  listUsers: { instanceId: INSTANCE, page: 1, size: 100 },
};

function caught(fn) {
  try {
    return { value: fn() };
  } catch (error) {
    return { error: { name: error.name, code: error.code, errors: error.errors?.map((e) => `${e.path}:${e.code}`) } };
  }
}

/** A seeded xorshift, so Node and Chromium see the same random inputs. */
function random(seed) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 2 ** 32;
  };
}

function randomJson(next, depth = 0) {
  const pick = Math.floor(next() * (depth > 3 ? 5 : 8));
  const keys = ['instanceId', 'databaseName', 'databaseOwner', 'loggingGuid', 's3', 'bucket', 'accessKey', 'secretKey',
    'files', 'number', 'path', 'name', 'restoreDateTime', 'backupId', 'page', 'size', 'sort', 'x'];
  switch (pick) {
    case 0: return null;
    case 1: return next() < 0.5;
    case 2: return [0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, NaN, 64, 65][Math.floor(next() * 9)];
    case 3: return ['', 'sales', 'master', INSTANCE, BUCKET, `${BUCKET}x.bak`, 'é\u0000', 'x'.repeat(10000), '2024-05-01T12:00:00Z'][Math.floor(next() * 9)];
    case 4: return undefined;
    case 5: return Array.from({ length: Math.floor(next() * 4) }, () => randomJson(next, depth + 1));
    default: {
      const out = {};
      for (let i = Math.floor(next() * 6); i > 0; i -= 1) out[keys[Math.floor(next() * keys.length)]] = randomJson(next, depth + 1);
      return out;
    }
  }
}

export function requestCases(api) {
  const results = {};
  for (const apiVersion of ['v3', 'v3alpha1']) {
    for (const [operation, input] of Object.entries(inputs)) {
      results[`${apiVersion} ${operation}`] = api.buildRequest(operation, options(apiVersion), input);
    }
  }
  const client = new api.RestoreClient(options('v3alpha1'));
  results.maskedImport = client.buildImportRequest(importInput());
  results.curlMasked = api.toCurl(api.buildImportRequest(options('v3alpha1'), importInput()));
  results.curlRevealed = api.toCurl(api.buildImportRequest(options('v3alpha1'), importInput()), { reveal: true });
  results.validateValid = api.validateImport(importInput());
  results.validateMany = api.validateImport({
    instanceId: 'x', databaseName: 'tempdb', databaseOwner: '',
    s3: { bucket: 'nope', accessKey: ' ', secretKey: SECRET, files: [{ number: 3, path: 's3://elsewhere/b/x.bak' }, { path: 5 }] },
  });
  results.validateWithClient = client.validateImport(importInput({ databaseName: 'a b' }));
  results.validateWarnings = api.validateImport(importInput({ s3: { ...importInput().s3, files: [{ path: `${BUCKET}sales.trn` }] } }));
  results.wrongTypes = [undefined, null, 5, 'x', [], { s3: [] }, { instanceId: {} }].map((input) => caught(() => api.buildRequest('importFromS3', options('v3'), input)));
  results.unknownOperation = caught(() => api.buildRequest('dropDatabase', options('v3'), {}));
  results.badPitrTime = caught(() => api.buildRequest('restorePointInTime', options('v3'), { ...inputs.restorePointInTime, restoreDateTime: '2024-05-01 12:00' }));
  results.invalidDate = caught(() => api.buildRequest('restorePointInTime', options('v3'), { ...inputs.restorePointInTime, restoreDateTime: new Date(NaN) }));

  // Random JSON from JS never panics the module: every call returns or throws a typed error.
  const next = random(20261125);
  const outcomes = {};
  const operations = Object.keys(inputs);
  for (let round = 0; round < 3000; round += 1) {
    const operation = operations[round % operations.length];
    const config = round % 7 === 0 ? randomJson(next) : options(round % 2 ? 'v3' : 'v3alpha1');
    const outcome = caught(() => (round % 3 === 0 ? api.validateImport(randomJson(next), config) : api.buildRequest(operation, config, randomJson(next))));
    const kind = outcome.error ? outcome.error.name : 'ok';
    outcomes[kind] = (outcomes[kind] ?? 0) + 1;
  }
  results.fuzzOutcomes = outcomes;
  results.afterFuzz = api.buildRequest('importFromS3', options('v3'), importInput()).url;
  return results;
}
