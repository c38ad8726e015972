// Node ESM entry: load the wasm from disk synchronously, no top-level await.
import { readFileSync } from 'node:fs';
import { initSync } from './wasm/sqlserverflex_restore.js';
import * as glue from './wasm/sqlserverflex_restore.js';
import { createApi } from './api.js';

initSync({ module: readFileSync(new URL('./wasm/sqlserverflex_restore_bg.wasm', import.meta.url)) });

export const { RestoreClient, validateImport, buildRequest, buildImportRequest, toCurl, version } = createApi(glue);
