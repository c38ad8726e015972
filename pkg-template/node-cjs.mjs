// Source of the Node CommonJS entry (node.cjs), bundled by tools/build.mjs; `__dirname` is the package root there.
// The API itself: api.js.
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync, version as wasmVersion } from './wasm/sqlserverflex_restore.js';
import api from './api.js';
import { stackitCredentials } from './node-credentials.js';
import { openFile } from './node-files.js';

// Node 18 scripts have no global WebCrypto (key-flow signing, random GUIDs need it).
globalThis.crypto ??= webcrypto;

initSync({ module: readFileSync(join(__dirname, 'wasm', 'sqlserverflex_restore_bg.wasm')) });

api.start({
  userAgent: `sqlserverflex-restore/${wasmVersion()} node/${process.versions.node}`,
  defaultAuth: stackitCredentials,
  openFile,
});

export * from './api.js';
