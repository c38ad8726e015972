// Cloudflare workerd entry (`workerd` / `worker` conditions). workerd refuses to compile wasm from
// bytes at run time, so the wasm is imported as a module: wrangler's default rule (and Miniflare's
// `CompiledWasm` rule) turns `*.wasm` into a `WebAssembly.Module`. Instantiating a compiled module is
// synchronous and does no I/O, randomness or timers, which workerd forbids outside a request.
import wasmModule from './wasm/sqlserverflex_restore_bg.wasm';
import { initSync } from './wasm/sqlserverflex_restore.js';
import * as glue from './wasm/sqlserverflex_restore.js';
import { createApi } from './api.js';

initSync({ module: wasmModule });

export const {
  RestoreClient, validateImport, buildRequest, buildImportRequest, toCurl, preflight, inspect, inspectFiles, upload, version,
  RestoreError, ValidationError, AuthError, NotFoundError, ConflictError, RateLimitError, ApiError, NetworkError, TimeoutError, PreflightError,
} = createApi(glue, { userAgent: `sqlserverflex-restore/${glue.version()} workerd` });
