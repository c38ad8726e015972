// The JavaScript face of the package, shared by every runtime entry: each entry loads the wasm its
// own way, then hands the initialised glue module to `createApi`.

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

/** @param {typeof import('./wasm/sqlserverflex_restore.js')} wasm */
export function createApi(wasm) {
  class RestoreClient {
    #config;
    #fetch;

    /**
     * @param {{ projectId: string, region: string, token?: string, apiVersion?: 'v3' | 'v3alpha1',
     *           baseUrl?: string, fetch?: typeof fetch }} options
     */
    constructor(options) {
      const { config, fetch } = splitOptions(options);
      this.#config = config;
      this.#fetch = fetch;
    }

    #send(operation, input) {
      return wasm.send(operation, this.#config, plainInput(input), this.#fetch);
    }

    /** Validates the input, triggers the import from S3 and resolves `{ accepted, status, traceId, loggingGuid }`. */
    importFromS3(input) {
      return this.#send('importFromS3', input);
    }

    /** Restores the instance's managed backup into `databaseName`. */
    restoreFromBackup(input) {
      return this.#send('restoreFromBackup', input);
    }

    /** Restores `databaseName` as of `restoreDateTime` (RFC 3339 string or Date) into the new database `name`. */
    restorePointInTime(input) {
      return this.#send('restorePointInTime', input);
    }

    /** Running restores of the instance: `{ runningRestores: [{ databaseName, percentComplete, … }] }`. */
    listRestoreJobs(input) {
      return this.#send('listRestoreJobs', input);
    }

    /** Managed backups, one page (`page`, `size`, `sort`). */
    listBackups(input) {
      return this.#send('listBackups', input);
    }

    getBackup(input) {
      return this.#send('getBackup', input);
    }

    listDatabases(input) {
      return this.#send('listDatabases', input);
    }

    getDatabase(input) {
      return this.#send('getDatabase', input);
    }

    getInstance(input) {
      return this.#send('getInstance', input);
    }

    /** Logins of the instance, one page. */
    listUsers(input) {
      return this.#send('listUsers', input);
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

    // Keeps the token out of JSON dumps; private fields keep it out of console.log / util.inspect.
    toJSON() {
      const { projectId, region, apiVersion = 'v3', baseUrl } = this.#config ?? {};
      return { projectId, region, apiVersion, baseUrl };
    }
  }

  /** `{ ok, errors, warnings, normalized }` for an import input; with client options, those are checked too. */
  function validateImport(input, options) {
    const config = options === undefined ? undefined : splitOptions(options).config;
    return wasm.validate('importFromS3', config, plainInput(input));
  }

  /** An operation's request `{ method, url, headers, body }`, not sent. Secrets included unless `reveal: false`. */
  function buildRequest(operation, options, input, { reveal = true } = {}) {
    return wasm.buildRequest(operation, splitOptions(options).config, plainInput(input), reveal);
  }

  function buildImportRequest(options, input, settings) {
    return buildRequest('importFromS3', options, input, settings);
  }

  /** The request as a shell-safe curl command; `$TOKEN` / `$S3_SECRET_KEY` placeholders unless `reveal: true`. */
  function toCurl(request, { reveal = false } = {}) {
    return wasm.toCurl(request, reveal);
  }

  return { RestoreClient, validateImport, buildRequest, buildImportRequest, toCurl, version: wasm.version() };
}
