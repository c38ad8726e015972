// Source of the Node CommonJS entry (node.cjs), bundled by tools/build.mjs; `__dirname` is the package root there.
// The API itself: api.js.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync, version as wasmVersion } from './wasm/sqlserverflex_restore.js';
import api from './api.js';
import { stackitCredentials } from './node-credentials.js';

// Node 18 scripts have no global WebCrypto (key-flow signing, random GUIDs need it). `in`, not a read:
// where Node has it, reading `globalThis.crypto` loads it, which costs milliseconds of every start.
if (!('crypto' in globalThis)) globalThis.crypto = require('node:crypto').webcrypto;

initSync({ module: readFileSync(join(__dirname, 'wasm', 'sqlserverflex_restore_bg.wasm')) });

api.start({
  userAgent: `sqlserverflex-restore/${wasmVersion()} node/${process.versions.node}`,
  defaultAuth: stackitCredentials,
  // Loaded on the first upload of a path: most processes never upload.
  openFile: async (path) => (await import('./node-files.js')).openFile(path),
});

export * from './api.js';
