// Deno entry (`deno` condition, Deno ≥ 2.6). A source-phase import hands over the compiled
// `WebAssembly.Module` through the module loader, so loading needs no `--allow-read` (reading the
// file with `Deno.readFile` or `fetch(file:)` would) and no top-level await. The API itself: api.js.
import source wasmModule from './wasm/sqlserverflex_restore_bg.wasm';
import { initSync, version as wasmVersion } from './wasm/sqlserverflex_restore.js';
import api from './api.js';

initSync({ module: wasmModule });

api.start({ userAgent: `sqlserverflex-restore/${wasmVersion()} deno/${globalThis.Deno?.version?.deno ?? 'unknown'}` });

export * from './api.js';
