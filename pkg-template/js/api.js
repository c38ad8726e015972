// The JavaScript face of the package, shared by every runtime entry: each entry loads the wasm its
// own way, then hands the initialised glue module to `createApi`.

/** @param {typeof import('./wasm/sqlserverflex_restore.js')} wasm */
export function createApi(wasm) {
  /** Splits the options users pass into what the core reads (plain JSON) and JS-only parts. */
  function splitOptions(options) {
    if (options === null || typeof options !== 'object') return { config: options, fetch: undefined };
    const { fetch, ...config } = options;
    if (fetch !== undefined && typeof fetch !== 'function') {
      throw new TypeError('RestoreClient: `fetch` must be a function (like globalThis.fetch)');
    }
    return { config, fetch };
  }

  class RestoreClient {
    #config;
    #fetch;

    /**
     * @param {{ projectId: string, region: string, token: string, apiVersion?: 'v3' | 'v3alpha1',
     *           baseUrl?: string, fetch?: typeof fetch }} options
     */
    constructor(options) {
      const { config, fetch } = splitOptions(options);
      this.#config = config;
      this.#fetch = fetch;
    }

    /** Validates the input, triggers the import and resolves `{ accepted, status, traceId, … }`. */
    importFromS3(input) {
      return wasm.importFromS3(this.#config, input, this.#fetch);
    }

    /** The import request as data; secrets masked unless `{ reveal: true }`. */
    buildImportRequest(input, { reveal = false } = {}) {
      return wasm.buildImportRequest(this.#config, input, reveal);
    }

    // Keeps the token out of console.log / util.inspect output.
    toJSON() {
      return { projectId: this.#config?.projectId, region: this.#config?.region, apiVersion: this.#config?.apiVersion ?? 'v3' };
    }
  }

  /** The import request `{ method, url, headers, body }` built from client options and input, not sent. */
  function buildImportRequest(options, input, { reveal = true } = {}) {
    const { config } = splitOptions(options);
    return wasm.buildImportRequest(config, input, reveal);
  }

  return { RestoreClient, buildImportRequest, version: wasm.version() };
}
