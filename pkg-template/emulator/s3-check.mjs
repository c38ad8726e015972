// Optional S3 check of EXTERNAL_S3 imports: reads the first bytes of every listed backup file
// from a configured S3-compatible endpoint, like the real import would, and reports files that
// are missing, unreadable or not a plain SQL Server backup.
// backup-format.md: `TAPE` at offset 0 = plain MTF backup; `MSSQLBAK` = compressed or encrypted,
// which the import service does not accept.
import { encodeS3Path, signV4 } from './sigv4.mjs';

const FIRST_BYTES = 8;
const PLAIN_BACKUP_MAGIC = 'TAPE';
const COMPRESSED_OR_ENCRYPTED_MAGIC = 'MSSQLBAK';

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
  const abort = abortOnEither(signal, timeoutMs);
  try {
    response = await fetch(new URL(path, base.origin), { headers, signal: abort.signal });
  } catch (error) {
    return `unreadable (${abort.timedOut() ? 'timed out' : error.message})`;
  } finally {
    abort.dispose();
  }
  const bytes = Buffer.from(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
  if (response.status === 404) return 'not found in the bucket';
  if (response.status === 403) return 'access denied (HTTP 403): check s3_access_key/s3_access_secret';
  if (response.status !== 200 && response.status !== 206) return `unreadable (HTTP ${response.status})`;
  const magic = bytes.subarray(0, FIRST_BYTES).toString('latin1');
  if (magic.startsWith(PLAIN_BACKUP_MAGIC)) return null;
  if (magic === COMPRESSED_OR_ENCRYPTED_MAGIC) return 'compressed or encrypted backup (MSSQLBAK); only unencrypted, uncompressed backups can be imported';
  return 'not a SQL Server backup (does not start with TAPE)';
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
