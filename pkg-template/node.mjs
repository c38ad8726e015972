// Node ESM entry: load the wasm from disk synchronously (no top-level await), and read STACKIT's
// credential conventions when a client is given no auth.
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { initSync } from './wasm/sqlserverflex_restore.js';
import * as glue from './wasm/sqlserverflex_restore.js';
import { createApi } from './api.js';
import { stackitCredentials } from './node-credentials.js';
import { openFile } from './node-files.js';

// Node 18 scripts have no global WebCrypto (key-flow signing, random GUIDs need it).
globalThis.crypto ??= webcrypto;

initSync({ module: readFileSync(new URL('./wasm/sqlserverflex_restore_bg.wasm', import.meta.url)) });

const api = createApi(glue, {
  userAgent: `sqlserverflex-restore/${glue.version()} node/${process.versions.node}`,
  defaultAuth: stackitCredentials,
  openFile,
});
export const {
  RestoreClient, validateImport, buildRequest, buildImportRequest, toCurl, preflight, inspect, inspectFiles, upload, version,
  RestoreError, ValidationError, AuthError, NotFoundError, ConflictError, RateLimitError, ApiError, NetworkError, TimeoutError, PreflightError,
} = api;
