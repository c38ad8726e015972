// Slim entry (`sqlserverflex-restore/slim`): loads no wasm itself. The caller hands `init` the wasm
// (a URL or path string, a `Response` or a promise of one, bytes, or a compiled `WebAssembly.Module`),
// e.g. from a bundler's asset import or a CDN. The exports are live bindings that `init` fills in; the
// error classes work before it. `init` also resolves with the whole API.
import initGlue, * as glue from './wasm/sqlserverflex_restore.js';
import { createApi } from './api.js';

export {
  RestoreError, ValidationError, AuthError, NotFoundError, ConflictError, RateLimitError, ApiError, NetworkError, TimeoutError, PreflightError,
} from './errors.js';

const notReady = (name) => () => {
  throw new Error(`sqlserverflex-restore/slim: call \`await init(wasm)\` before using ${name}`);
};

export let RestoreClient = class RestoreClient {
  constructor() {
    notReady('RestoreClient')();
  }
};
export let validateImport = notReady('validateImport');
export let buildRequest = notReady('buildRequest');
export let buildImportRequest = notReady('buildImportRequest');
export let toCurl = notReady('toCurl');
export let preflight = notReady('preflight');
export let inspect = notReady('inspect');
export let inspectFiles = notReady('inspectFiles');
export let upload = notReady('upload');
/** The package version; `undefined` until `init` resolves. */
export let version;

let ready;

/**
 * Instantiates the wasm once; later calls resolve with the same API (a failed call can be retried).
 * @param {string | URL | Request | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module} wasm
 */
export function init(wasm) {
  if (wasm === undefined || wasm === null) {
    return Promise.reject(new TypeError('sqlserverflex-restore/slim: init(wasm) needs the wasm: a URL, Response, bytes or WebAssembly.Module'));
  }
  ready ??= load(wasm).catch((error) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

async function load(wasm) {
  await initGlue({ module_or_path: wasm });
  const api = createApi(glue);
  ({ RestoreClient, validateImport, buildRequest, buildImportRequest, toCurl, preflight, inspect, inspectFiles, upload, version } = api);
  return api;
}
