// Cloudflare workerd entry (`workerd` / `worker` conditions). workerd refuses to compile wasm from
// bytes at run time, so the wasm is imported as a module: wrangler's default rule (and Miniflare's
// `CompiledWasm` rule) turns `*.wasm` into a `WebAssembly.Module`. Instantiating a compiled module is
// synchronous and does no I/O, randomness or timers, which workerd forbids outside a request. The API
// itself: api.js.
import wasmModule from './wasm/sqlserverflex_restore_bg.wasm';
import { initSync, version as wasmVersion } from './wasm/sqlserverflex_restore.js';
import api from './api.js';

initSync({ module: wasmModule });

api.start({ userAgent: `sqlserverflex-restore/${wasmVersion()} workerd` });

export * from './api.js';
