// Node ESM entry: load the wasm from disk synchronously (no top-level await), and read STACKIT's
// credential conventions when a client is given no auth. The API itself: api.js.
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { initSync, version as wasmVersion } from './wasm/sqlserverflex_restore.js';
import api from './api.js';
import { stackitCredentials } from './node-credentials.js';
import { openFile } from './node-files.js';

// Node 18 scripts have no global WebCrypto (key-flow signing, random GUIDs need it).
globalThis.crypto ??= webcrypto;

initSync({ module: readFileSync(new URL('./wasm/sqlserverflex_restore_bg.wasm', import.meta.url)) });

api.start({
  userAgent: `sqlserverflex-restore/${wasmVersion()} node/${process.versions.node}`,
  defaultAuth: stackitCredentials,
  openFile,
});

export * from './api.js';
