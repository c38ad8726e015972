// Deno entry (`deno` condition, Deno ≥ 2.6). A source-phase import hands over the compiled
// `WebAssembly.Module` through the module loader, so loading needs no `--allow-read` (reading the
// file with `Deno.readFile` or `fetch(file:)` would) and no top-level await.
import source wasmModule from './wasm/sqlserverflex_restore_bg.wasm';
import { initSync } from './wasm/sqlserverflex_restore.js';
import * as glue from './wasm/sqlserverflex_restore.js';
import { createApi } from './api.js';

initSync({ module: wasmModule });

export const {
  RestoreClient, validateImport, buildRequest, buildImportRequest, toCurl, preflight, inspect, inspectFiles, upload, version,
  RestoreError, ValidationError, AuthError, NotFoundError, ConflictError, RateLimitError, ApiError, NetworkError, TimeoutError, PreflightError,
} = createApi(glue, { userAgent: `sqlserverflex-restore/${glue.version()} deno/${globalThis.Deno?.version?.deno ?? 'unknown'}` });
