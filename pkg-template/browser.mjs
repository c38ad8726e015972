// Browser entry (no bundler needed): fetch and compile the wasm next to this file. Browsers never
// read credentials from anywhere but the options, and set their own User-Agent. The API itself: api.js.
import init from './wasm/sqlserverflex_restore.js';
import api from './api.js';

await init({ module_or_path: new URL('./wasm/sqlserverflex_restore_bg.wasm', import.meta.url) });

api.start({});

export * from './api.js';
