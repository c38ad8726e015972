// Node ESM entry: load the wasm from disk synchronously (no top-level await), and read STACKIT's
// credential conventions when a client is given no auth. The API itself: api.js.
import { createRequire } from 'node:module';
import { initSync, version as wasmVersion } from './wasm/sqlserverflex_restore.js';
import api from './api.js';
import { stackitCredentials } from './node-credentials.js';

// `require`, not `import`: an ESM import of node:fs builds its whole namespace, which loads fs/promises
// and streams (milliseconds of every start).
const require = createRequire(import.meta.url);

// Node 18 scripts have no global WebCrypto (key-flow signing, random GUIDs need it). `in`, not a read:
// where Node has it, reading `globalThis.crypto` loads it, which costs milliseconds of every start.
if (!('crypto' in globalThis)) globalThis.crypto = require('node:crypto').webcrypto;

initSync({ module: require('node:fs').readFileSync(new URL('./wasm/sqlserverflex_restore_bg.wasm', import.meta.url)) });

api.start({
  userAgent: `sqlserverflex-restore/${wasmVersion()} node/${process.versions.node}`,
  defaultAuth: stackitCredentials,
  // Loaded on the first upload of a path: most processes never upload.
  openFile: async (path) => (await import('./node-files.js')).openFile(path),
});

export * from './api.js';
