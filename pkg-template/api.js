// The package's API, one module shared by every runtime entry. Each entry (node.mjs, browser.mjs, …)
// loads the wasm its runtime's way, calls `start` (this module's default export, package-internal)
// and re-exports the named exports: `export * from './api.js'` (which leaves the default out). Nothing
// here calls into the wasm before `start`: an entry's imports are evaluated before its own body.
import * as wasm from './wasm/sqlserverflex_restore.js';
import { PreflightError, createError, errorClasses } from './errors.js';
// batch.js and upload-sources.js are imported on first use (both paths are async anyway): a process
// that only validates or triggers does not load them, which keeps the entries' start short.

// The error classes work before the wasm is loaded (the slim entry before `init`).
export {
  RestoreError, ValidationError, AuthError, NotFoundError, ConflictError, RateLimitError, ApiError, NetworkError, TimeoutError, PreflightError,
} from './errors.js';

/**
 * What the entry knows about its runtime, set by `start`: `userAgent`, `defaultAuth` (reads the
 * runtime's credential conventions when a client is given no auth), `openFile` (reads local paths
 * for `upload`, Node only). `undefined` until the wasm is loaded.
 * @type {{ userAgent?: string, defaultAuth?: () => object, openFile?: (path: string) => Promise<object> } | undefined}
 */
let runtime;

/** The package version; `undefined` until the wasm is loaded (the slim entry before `init`). */
export let version;

/** Only the slim entry can be used before its wasm is loaded: every other entry starts before it returns. */
function ready(name) {
  if (runtime === undefined) throw new Error(`sqlserverflex-restore/slim: call \`await init(wasm)\` before using ${name}`);
}

/** Splits what users pass into the core's plain-JSON config and the JS-only `fetch`. */
function splitOptions(options) {
  if (options === null || typeof options !== 'object') return { config: options, fetch: undefined };
  const { fetch, ...config } = options;
  if (fetch !== undefined && typeof fetch !== 'function') {
    throw new TypeError('sqlserverflex-restore: the `fetch` option must be a function (like globalThis.fetch)');
  }
  return { config, fetch };
}

/** JS `Date`s become RFC 3339 strings (the wire form); an invalid Date stays for validation to report. */
function plainInput(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  const out = {};
  for (const [key, value] of Object.entries(input)) {
    out[key] = value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString() : value;
  }
  return out;
}

const AUTH_OPTIONS = ['token', 'serviceAccountKey', 'getToken'];

export class RestoreClient {
  #client;
  #config;
  #fetch;

  /**
   * @param {{ projectId: string, region: string, token?: string, serviceAccountKey?: object | string,
   *   privateKey?: string, tokenEndpoint?: string, getToken?: () => string | Promise<string>,
   *   apiVersion?: 'v3' | 'v3alpha1', baseUrl?: string, timeoutMs?: number, maxRetries?: number,
   *   retry?: object, fetch?: typeof fetch }} options
   */
  constructor(options) {
    ready('RestoreClient');
    const { config, fetch } = splitOptions(options);
    const { getToken, ...settings } = config ?? {};
    const explicitAuth = AUTH_OPTIONS.some((key) => (key === 'getToken' ? getToken : settings[key]) !== undefined);
    const auth = explicitAuth || !runtime.defaultAuth ? {} : runtime.defaultAuth();
    const userAgent = runtime.userAgent;
    this.#config = { ...auth, ...settings };
    this.#fetch = fetch;
    this.#client = new wasm.Client({ ...(userAgent ? { userAgent } : {}), ...this.#config }, { fetch, getToken });
  }

  #call(operation, input, options) {
    return this.#client.call(operation, plainInput(input), options);
  }

  /**
   * Validates the input, triggers the import from S3 and resolves `{ accepted, status, traceId, loggingGuid }`.
   * With `{ wait: true }` it then waits for the restore (see `waitForRestore`) and resolves with both.
   */
  async importFromS3(input, options = {}) {
    return this.#triggerAndMaybeWait('importFromS3', input, options, input?.databaseName);
  }

  /** Restores the instance's managed backup into `databaseName`. */
  async restoreFromBackup(input, options = {}) {
    return this.#triggerAndMaybeWait('restoreFromBackup', input, options, input?.databaseName);
  }

  /** Restores `databaseName` as of `restoreDateTime` (RFC 3339 string or Date) into the new database `name`. */
  async restorePointInTime(input, options = {}) {
    return this.#triggerAndMaybeWait('restorePointInTime', input, options, input?.name);
  }

  async #triggerAndMaybeWait(operation, input, options, databaseName) {
    const { wait, onProgress, maxWaitMs, minDelayMs, maxDelayMs, preflight: check, force, upload: toUpload, ...callOptions } = options ?? {};
    let uploaded;
    if (toUpload && operation === 'importFromS3') {
      uploaded = await this.#uploadForImport(input, toUpload, force, callOptions.signal);
      input = { ...input, s3: { ...input.s3, files: uploaded.files.map(({ number, path }) => ({ number, path })) } };
    }
    let checked;
    if (check && operation === 'importFromS3') {
      checked = await this.preflight(input, { ...(typeof check === 'object' ? check : {}), signal: callOptions.signal });
      const refusal = wasm.preflightRefusal(checked.report, force);
      if (refusal) {
        throw new PreflightError(`the preflight found problems, nothing was triggered (pass force: true to trigger anyway): ${refusal.problems}`, {
          code: 'PREFLIGHT_FAILED', report: checked.report,
        });
      }
      // Stripe numbers follow the backups' family sequence, whatever the input said.
      if (checked.report?.filesInOrder) input = { ...input, s3: { ...input.s3, files: checked.report.filesInOrder } };
    }
    const accepted = await this.#call(operation, input, callOptions);
    if (checked) accepted.preflight = checked.report;
    if (uploaded) accepted.upload = uploaded;
    if (!wait) return accepted;
    const waited = await this.waitForRestore(
      { instanceId: input.instanceId, databaseName },
      { onProgress, maxWaitMs, minDelayMs, maxDelayMs, ...callOptions, resume: accepted.record },
    );
    return { ...accepted, ...waited };
  }

  /**
   * Will this restore work? Reads each backup object's header from S3 (unless there is no `s3`)
   * and, at the same time, the instance, the target database, the logins and the running restores;
   * resolves one report over both `{ report, discovery?, instance?, checks, requests, bytesRead }`.
   * Triggers nothing. Options: `{ signal, timeoutMs, concurrency, tail, skip: ['storage', …] }`.
   */
  preflight(input, options = {}) {
    return this.#client.preflight(plainInput(input), options ?? {});
  }

  /**
   * `importFromS3(input, { upload })`: the import is validated (with the objects the files will
   * become) before the first byte is sent, then the files go to `input.s3.bucket`.
   */
  async #uploadForImport(input, toUpload, force, signal) {
    const { files, ...options } = Array.isArray(toUpload) ? { files: toUpload } : toUpload;
    return withSources(files, (sources) => {
      const bucket = String(input?.s3?.bucket ?? '');
      const planned = { ...input, s3: { ...input?.s3, files: sources.map((s, i) => ({ number: i + 1, path: wasm.objectPath(bucket, s.name) })) } };
      const check = wasm.validate('importFromS3', this.#config, plainInput(planned));
      if (!check.ok) throw new errorClasses.ValidationError('invalid input: nothing was uploaded', { code: 'VALIDATION_ERROR', errors: check.errors, warnings: check.warnings });
      const { endpoint, region, accessKey, secretKey, bucket: address } = input.s3;
      return wasm.upload({ s3: { bucket: address, accessKey, secretKey, endpoint, region }, databaseName: input.databaseName }, sources,
        { signal, force, fetch: this.#fetch, ...options });
    });
  }

  /**
   * Polls restore-jobs until the restore of `databaseName` ends, then confirms with the database:
   * resolves `{ state: 'SUCCEEDED' | 'FAILED' | 'TIMEOUT' | 'ABORTED', database?, elapsedMs, polls }`.
   */
  waitForRestore(input, options = {}) {
    return this.#client.waitForRestore(input, options ?? {});
  }

  /**
   * One poll, no waiting (serverless functions, cron jobs, workflow steps): resolves `{ state:
   * 'NOT_STARTED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMEOUT', percent, estimatedCompletion,
   * nextCheckAt, nextCheckInMs, polls, resume, record? }`. Pass `resume` (or the restore's record) to
   * the next call: the schedule, the grace right after the trigger and the start carry over.
   */
  checkRestore(input, state = null, options = {}) {
    return this.#client.checkRestore(input, state ?? undefined, options ?? {});
  }

  /**
   * Many imports: all rows validated first (every problem at once, nothing sent), preflighted,
   * triggered `concurrency` at a time per instance (409 while busy is waited out), followed, summed
   * up: `{ rows: [{ row, databaseName, state, durationMs, traceId, … }], records }`. `records` of an
   * earlier run skip rows that SUCCEEDED and follow rows already triggered.
   */
  importMany(rows, options = {}) {
    return import('./batch.js').then((batch) => batch.importMany(this, rows, options ?? {}));
  }

  /** Running restores of the instance: `{ runningRestores: [{ databaseName, percentComplete, … }] }`. */
  listRestoreJobs(input, options) {
    return this.#call('listRestoreJobs', input, options);
  }

  /** Managed backups, one page (`page`, `size`, `sort`). */
  listBackups(input, options) {
    return this.#call('listBackups', input, options);
  }

  /** Every managed backup, page after page. */
  async *allBackups(input, options) {
    const size = input?.size ?? 100;
    for (let page = input?.page ?? 1; ; page += 1) {
      const result = await this.listBackups({ ...input, page, size }, options);
      for (const group of result.backups) {
        for (const backup of group.backups) yield { databaseName: group.databaseName, ...backup };
      }
      if (page >= result.pagination.totalPages || result.backups.length === 0) return;
    }
  }

  getBackup(input, options) {
    return this.#call('getBackup', input, options);
  }

  listDatabases(input, options) {
    return this.#call('listDatabases', input, options);
  }

  getDatabase(input, options) {
    return this.#call('getDatabase', input, options);
  }

  getInstance(input, options) {
    return this.#call('getInstance', input, options);
  }

  /** Logins of the instance, one page. */
  listUsers(input, options) {
    return this.#call('listUsers', input, options);
  }

  /** `{ ok, errors, warnings, normalized }` for an import input, client settings included; sends nothing. */
  validateImport(input) {
    return wasm.validate('importFromS3', this.#config, plainInput(input));
  }

  /** The request an operation would send, as data; secrets masked unless `{ reveal: true }`. */
  buildRequest(operation, input, { reveal = false } = {}) {
    return wasm.buildRequest(operation, this.#config, plainInput(input), reveal);
  }

  buildImportRequest(input, options) {
    return this.buildRequest('importFromS3', input, options);
  }

  // Keeps credentials out of JSON dumps; private fields keep them out of console.log / util.inspect.
  toJSON() {
    const { projectId, region, apiVersion = 'v3', baseUrl } = this.#config;
    return { projectId, region, apiVersion, baseUrl };
  }
}

/** `{ ok, errors, warnings, normalized }` for an import input; with client options, those are checked too. */
export function validateImport(input, options) {
  ready('validateImport');
  const config = options === undefined ? undefined : splitOptions(options).config;
  return wasm.validate('importFromS3', config, plainInput(input));
}

/** An operation's request `{ method, url, headers, body }`, not sent. Secrets included unless `reveal: false`. */
export function buildRequest(operation, options, input, { reveal = true } = {}) {
  ready('buildRequest');
  return wasm.buildRequest(operation, splitOptions(options).config, plainInput(input), reveal);
}

export function buildImportRequest(options, input, settings) {
  ready('buildImportRequest');
  return buildRequest('importFromS3', options, input, settings);
}

/** The request as a shell-safe curl command; `$TOKEN` / `$S3_SECRET_KEY` placeholders unless `reveal: true`. */
export function toCurl(request, { reveal = false } = {}) {
  ready('toCurl');
  return wasm.toCurl(request, reveal);
}

/**
 * Reads the first 64 KiB of each backup object (one signed ranged GET each, `concurrency` at a time;
 * with `tail: true` also the last 64 KiB) and judges the set: `{ report: { verdict, findings, files, filesInOrder }, discovery?, requests, bytesRead }`.
 * Without `s3.files`, every `.bak` under the bucket address is read and the newest complete full
 * backup set is proposed (`discovery.proposal`).
 */
export function preflight(input) {
  ready('preflight');
  return preflightObjects(input);
}

function preflightObjects({ signal, concurrency, timeoutMs, fetch, tail, ...input } = {}) {
  return wasm.preflight(input, { signal, concurrency, timeoutMs, fetch, tail });
}

/**
 * Uploads local backups to `s3.bucket` (one PUT, or a multipart upload with `concurrency` parts in
 * flight), after checking each file's header and the stripe set like the preflight. Resolves
 * `{ bucket, files: [{ path, key, number, size, etag, uploadId?, parts, resumedParts }], report, … }`,
 * `files` in family order. A failure the upload survives carries `error.upload` to resume with.
 * @param {{ s3: object, files: Array<string | Blob | File | { name?: string, source: string | Blob | BufferSource }>, databaseName?: string }} input
 */
export function upload(input, options) {
  ready('upload');
  return uploadFiles(input, options);
}

async function uploadFiles({ files, ...input } = {}, options = {}) {
  const { config, fetch } = splitOptions(options);
  return withSources(files, (sources) => wasm.upload(input, sources, { ...config, fetch }));
}

/** Opens the files to upload (paths in Node, Blobs, bytes), hands them to `use`, and always closes them. */
async function withSources(files, use) {
  const { openSources } = await import('./upload-sources.js');
  const { sources, close } = await openSources(files, runtime.openFile);
  try {
    return await use(sources);
  } finally {
    await close();
  }
}

/**
 * Local backups checked as the preflight checks S3 objects — first and last 64 KiB of each, and
 * each later backup set's header — without sending anything: the preflight's report, with the
 * file names as paths.
 * @param {Array<string | Blob | File | { name?: string, source: string | Blob | BufferSource }>} files
 */
export function inspectFiles(files, options) {
  ready('inspectFiles');
  return inspectLocalFiles(files, options);
}

async function inspectLocalFiles(files, { databaseName } = {}) {
  return withSources(files, (sources) => wasm.inspectFiles(sources, { databaseName }));
}

/** The header facts of a backup from its bytes (the first 64 KiB are enough). */
export function inspect(bytes) {
  ready('inspect');
  const view = bytes instanceof Uint8Array ? bytes : ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
  return wasm.inspect(view);
}

/**
 * Package-internal (an entry's `export *` never re-exports a default, so this is not part of the API).
 * `start(runtime)` runs once the entry has loaded the wasm: a runtime entry passes what it knows about
 * its runtime (see `runtime` above); the slim entry passes nothing, so where a runtime entry of the same
 * package already started (both imported in one process), its runtime stays.
 */
export default {
  start(options) {
    if (options !== undefined || runtime === undefined) runtime = options ?? {};
    wasm.setErrorFactory(createError);
    version = wasm.version();
  },
  /** For the CLI: the core's rules, one home each (not public API). */
  refusal: (report, force) => wasm.preflightRefusal(report, force),
  objectPath: (bucket, name) => wasm.objectPath(bucket, name),
};
