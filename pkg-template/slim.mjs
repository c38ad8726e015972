// Slim entry (`sqlserverflex-restore/slim`): loads no wasm itself. The caller hands `init` the wasm
// (a URL or path string, a `Response` or a promise of one, bytes, or a compiled `WebAssembly.Module`),
// e.g. from a bundler's asset import or a CDN. The exports (api.js) throw until `init` resolved, and
// `version` is `undefined` until then; the error classes work before it. `init` also resolves with the
// whole API.
import initGlue from './wasm/sqlserverflex_restore.js';
import api, * as namespace from './api.js';

export * from './api.js';

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
  api.start();
  const { default: _start, ...named } = namespace;
  return named;
}
