// Source of the Node CommonJS entry (node.cjs), bundled by tools/build.mjs; `__dirname` is the package root there.
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from './wasm/sqlserverflex_restore.js';
import * as glue from './wasm/sqlserverflex_restore.js';
import { createApi } from './api.js';
import { stackitCredentials } from './node-credentials.js';
import { openFile } from './node-files.js';

// Node 18 scripts have no global WebCrypto (key-flow signing, random GUIDs need it).
globalThis.crypto ??= webcrypto;

initSync({ module: readFileSync(join(__dirname, 'wasm', 'sqlserverflex_restore_bg.wasm')) });

const api = createApi(glue, {
  userAgent: `sqlserverflex-restore/${glue.version()} node/${process.versions.node}`,
  defaultAuth: stackitCredentials,
  openFile,
});
export const {
  RestoreClient, validateImport, buildRequest, buildImportRequest, toCurl, preflight, inspect, inspectFiles, upload, version,
  RestoreError, ValidationError, AuthError, NotFoundError, ConflictError, RateLimitError, ApiError, NetworkError, TimeoutError, PreflightError,
} = api;
