// Shared helpers for the emulator tests: start an emulator with a manual clock, call its API over
// real HTTP with the global fetch, sign JWTs independently with node:crypto, fake an S3 endpoint.
import { createServer } from 'node:http';
import { createSign } from 'node:crypto';
import {
  startEmulator, DEFAULT_PROJECT_ID, DEFAULT_REGION, DEFAULT_INSTANCE_ID, DEFAULT_TOKEN, DEFAULT_OWNER_LOGIN,
} from '../../../pkg-template/emulator/index.mjs';

export const VERSIONS = ['v3', 'v3alpha1'];
export const START_MS = Date.parse('2025-06-02T10:00:00Z');

/** An emulator with the built-in manual clock (starting at START_MS) unless options say otherwise. */
export function startTestEmulator(options = {}) {
  return startEmulator({ manualClock: true, manualClockStartMs: START_MS, ...options });
}

export function instancePath({ version = 'v3', project = DEFAULT_PROJECT_ID, region = DEFAULT_REGION, instance = DEFAULT_INSTANCE_ID } = {}) {
  return `/${version}/projects/${project}/regions/${region}/instances/${instance}`;
}

/**
 * Calls the emulator. `path` is absolute (starts with /) or relative to the default instance.
 * @returns {Promise<{status: number, headers: Headers, text: string, json: any}>}
 */
export async function call(emulator, method, path, { version = 'v3', body, token = DEFAULT_TOKEN, headers = {}, instance, signal } = {}) {
  const relative = path === '' ? '' : `/${path}`;
  const url = path.startsWith('/') ? `${emulator.url}${path}` : `${emulator.url}${instancePath({ version, instance })}${relative}`;
  const requestHeaders = { ...headers };
  if (token !== null) requestHeaders.authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' ? body : JSON.stringify(body);
    requestHeaders['content-type'] ??= 'application/json';
  }
  const response = await fetch(url, { method, headers: requestHeaders, body: payload, signal });
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

export function s3RestoreBody({ databaseName = 'imported_db', owner = DEFAULT_OWNER_LOGIN, bucket = 's3://object.storage.eu01.onstackit.cloud/backups/', files = ['full.bak'], secret = 'very-secret-value' } = {}) {
  return {
    database_name: databaseName,
    source: {
      type: 'EXTERNAL_S3',
      database_owner: owner,
      logging_guid: '1',
      s3_details: {
        s3_bucket: bucket,
        s3_access_key: 'AKIAEMULATORTEST',
        s3_access_secret: secret,
        s3_files: files.map((name, i) => ({ file_number: i + 1, file_path: `${bucket}${name}` })),
      },
    },
  };
}

/** RS512 JWT signed here, independently of the emulator: RSASSA-PKCS1-v1_5 with SHA-512. */
export function signJwtRs512(header, claims, privateKeyPem) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signature = createSign('RSA-SHA512').update(signingInput).sign(privateKeyPem, 'base64url');
  return `${signingInput}.${signature}`;
}

/** A JWT assertion for a service-account key JSON, as the STACKIT SDKs build it. */
export function assertionFor(key, { nowSeconds = Math.floor(Date.now() / 1000), overrides = {}, header = {} } = {}) {
  const { kid, iss, sub, aud, privateKey } = key.credentials;
  return signJwtRs512(
    { alg: 'RS512', typ: 'JWT', kid, ...header },
    { iss, sub, aud, jti: crypto.randomUUID(), iat: nowSeconds, exp: nowSeconds + 600, ...overrides },
    privateKey,
  );
}

export function tokenRequest(emulator, assertion, { grantType = 'urn:ietf:params:oauth:grant-type:jwt-bearer', contentType = 'application/x-www-form-urlencoded' } = {}) {
  const form = new URLSearchParams({ grant_type: grantType, assertion });
  return call(emulator, 'POST', '/token', { token: null, body: form.toString(), headers: { 'content-type': contentType } });
}

/**
 * A minimal S3-compatible server: path-style GET /<bucket>/<key> honouring `Range`, answering
 * 403 for another access key and 404 for unknown objects. Records the requests it saw.
 */
export async function startFakeS3({ objects = {}, accessKeyId = 'AKIAEMULATORTEST' } = {}) {
  const seen = [];
  const server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    const auth = req.headers.authorization ?? '';
    const credential = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/([^/]+)\/s3\/aws4_request, SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(auth);
    if (!credential || credential[1] !== accessKeyId || !req.headers['x-amz-date'] || !req.headers['x-amz-content-sha256']) {
      res.writeHead(403).end('<Error><Code>AccessDenied</Code></Error>');
      return;
    }
    const object = objects[decodeURIComponent(req.url.slice(1))];
    if (!object) {
      res.writeHead(404).end('<Error><Code>NoSuchKey</Code></Error>');
      return;
    }
    const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (range) {
      const slice = object.subarray(Number(range[1]), Number(range[2]) + 1);
      res.writeHead(206, { 'content-range': `bytes ${range[1]}-${range[2]}/${object.length}` }).end(slice);
    } else {
      res.writeHead(200).end(object);
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${server.address().port}`,
    seen,
    stop: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
