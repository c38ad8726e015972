// Types of `sqlserverflex-restore/slim`: the same API as the main entry, usable once `init` resolved.
export * from './index.js';

/** Where the wasm comes from: a URL (or path string), a fetch `Response` (or its promise), bytes, or a compiled module. */
export type WasmSource = string | URL | Request | Response | PromiseLike<Response> | BufferSource | WebAssembly.Module;

/** Instantiates the package's wasm once (later calls resolve with the same API) and resolves with the API. */
export function init(wasm: WasmSource): Promise<typeof import('./index.js')>;
