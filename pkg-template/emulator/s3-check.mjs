// Optional S3 check of EXTERNAL_S3 imports: reads the first 64 KiB of every listed backup file from
// a configured S3-compatible endpoint, like the real import would, and reports files that are
// missing, unreadable, encrypted or not a SQL Server backup. The bytes are judged by the package's
// own header parser (wasm `inspect`), as SQL Server would judge them: plain (`TAPE`) and compressed
// (`MSSQLBAK` whose records decode) backups restore; an `MSSQLBAK` file whose records do not decode
// (WITH ENCRYPTION) is refused by the service.
import { encodeS3Path, signV4 } from './sigv4.mjs';

/** What the preflight reads of a file's start: the header of a plain or compressed backup fits. */
const FIRST_BYTES = 65_536;

let parser;
/** The package's Node entry (next to emulator/ in the built package), loaded on the first check only. */
function loadInspect() {
  parser ??= import('../node.mjs').then((api) => api.inspect);
  return parser;
}

/**
 * @param {{endpoint: string, region?: string, timeoutMs?: number}} options
 * @returns {(request: {s3_bucket: string, s3_access_key: string, s3_access_secret: string, files: {file_number: number, file_path: string}[]}, signal?: AbortSignal) => Promise<{ok: boolean, problems: string[]}>}
 */
export function createS3Checker({ endpoint, region = 'eu01', timeoutMs = 10_000 }) {
  const base = new URL(endpoint);
  return async function checkS3Files(request, signal) {
    const problems = [];
    for (const file of request.files) {
      const problem = await checkFile(file.file_path, request, { base, region, timeoutMs, signal });
      if (problem) problems.push(`file ${file.file_number} (${file.file_path}): ${problem}`);
    }
    return { ok: problems.length === 0, problems };
  };
}

async function checkFile(filePath, request, { base, region, timeoutMs, signal }) {
  const location = locateObject(request.s3_bucket, filePath);
  if (!location) return 'cannot derive bucket and key from s3_bucket and file_path';
  const basePath = base.pathname.replace(/\/+$/, '');
  const path = `${basePath}${encodeS3Path(location.bucket, location.key)}`;
  const headers = signV4({
    method: 'GET',
    host: base.host,
    path,
    headers: { range: `bytes=0-${FIRST_BYTES - 1}` },
    region,
    accessKeyId: request.s3_access_key,
    secretAccessKey: request.s3_access_secret,
  });
  let response;
  let bytes;
  const abort = abortOnEither(signal, timeoutMs);
  try {
    response = await fetch(new URL(path, base.origin), { headers, signal: abort.signal });
    bytes = await firstBytes(response, FIRST_BYTES).catch(() => new Uint8Array(0));
  } catch (error) {
    return `unreadable (${abort.timedOut() ? 'timed out' : error.message})`;
  } finally {
    abort.dispose();
  }
  if (response.status === 404) return 'not found in the bucket';
  if (response.status === 403) return 'access denied (HTTP 403): check s3_access_key/s3_access_secret';
  if (response.status !== 200 && response.status !== 206) return `unreadable (HTTP ${response.status})`;
  let inspect;
  try {
    inspect = await loadInspect();
  } catch (error) {
    return `cannot be judged: the package's header parser did not load (${error.message})`;
  }
  const { kind } = inspect(bytes);
  if (kind === 'MTF') return null;
  if (kind === 'ENCRYPTED_OR_UNREADABLE') return 'encrypted or unreadable backup (MSSQLBAK records do not decode): the service refuses encrypted backups';
  if (kind === 'TRUNCATED') return 'not a SQL Server backup (too short to tell)';
  return 'not a SQL Server backup (neither TAPE nor a readable MSSQLBAK at its start)';
}

/** At most `limit` bytes of the body: a server that ignores Range must not make the check read a whole backup. */
async function firstBytes(response, limit) {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks = [];
  let length = 0;
  while (length < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  if (length >= limit) await reader.cancel().catch(() => {});
  return Buffer.concat(chunks).subarray(0, limit);
}

/** An AbortSignal for "emulator stopping or timeout" (AbortSignal.any needs Node ≥ 20.3). */
function abortOnEither(signal, timeoutMs) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Bucket and key of a backup file. Path-style bucket URLs (`s3://host/bucket/prefix/`) name the
 * bucket in the first path segment; virtual-hosted ones (`http://bucket.s3.host/`) in the host.
 */
export function locateObject(bucketUrl, filePath) {
  let bucket;
  let file;
  try {
    bucket = new URL(bucketUrl);
    file = new URL(filePath);
  } catch {
    return null;
  }
  const bucketSegments = bucket.pathname.split('/').filter(Boolean);
  const fileSegments = file.pathname.split('/').slice(1).map(decodeURIComponent);
  if (bucketSegments.length > 0) {
    const [name, ...key] = fileSegments;
    return name && key.length ? { bucket: decodeURIComponent(bucketSegments[0]), key: key.join('/') } : null;
  }
  const name = bucket.hostname.split('.')[0];
  return name && fileSegments.join('/') ? { bucket: name, key: fileSegments.join('/') } : null;
}
