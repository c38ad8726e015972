// Shared inputs of the package tests: the emulator's default project/instance and distinctive secrets
// that the tests search for in every output.
export const PROJECT_ID = '11111111-1111-4111-8111-111111111111';
export const INSTANCE_ID = '22222222-2222-4222-8222-222222222222';
export const TOKEN = 'emulator-token';
export const S3_SECRET = 'js-test-S3CR3T-never-print';
export const BUCKET = 's3://object.storage.eu01.onstackit.cloud/my-bucket/backups/';

let counter = 0;
/** A database name no earlier test used (the emulator refuses to restore over an existing one). */
export function uniqueDatabase(prefix) {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

export function importInput(databaseName, overrides = {}) {
  return {
    instanceId: INSTANCE_ID,
    databaseName,
    databaseOwner: 'dbo_owner',
    loggingGuid: '1',
    s3: {
      bucket: BUCKET,
      accessKey: 'AKIAEXAMPLE',
      secretKey: S3_SECRET,
      files: [{ number: 1, path: `${BUCKET}sales.bak` }],
    },
    ...overrides,
  };
}

export function clientOptions(emulatorUrl, overrides = {}) {
  return { projectId: PROJECT_ID, region: 'eu01', token: TOKEN, baseUrl: emulatorUrl, ...overrides };
}

export async function recordedRequests(emulatorUrl) {
  const response = await fetch(`${emulatorUrl}/_emulator/requests`);
  const data = await response.json();
  return Array.isArray(data) ? data : data.requests;
}
