// Browser entry (no bundler needed): fetch and compile the wasm next to this file. Browsers never
// read credentials from anywhere but the options, and set their own User-Agent.
import init from './wasm/sqlserverflex_restore.js';
import * as glue from './wasm/sqlserverflex_restore.js';
import { createApi } from './api.js';

await init({ module_or_path: new URL('./wasm/sqlserverflex_restore_bg.wasm', import.meta.url) });

export const {
  RestoreClient, validateImport, buildRequest, buildImportRequest, toCurl, preflight, inspect, inspectFiles, upload, version,
  RestoreError, ValidationError, AuthError, NotFoundError, ConflictError, RateLimitError, ApiError, NetworkError, TimeoutError, PreflightError,
} = createApi(glue);
