// Source of the Node CommonJS entry (node.cjs), bundled by build.mjs; `__dirname` is the package root there.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from './wasm/sqlserverflex_restore.js';
import * as glue from './wasm/sqlserverflex_restore.js';
import { createApi } from './api.js';

initSync({ module: readFileSync(join(__dirname, 'wasm', 'sqlserverflex_restore_bg.wasm')) });

export const { RestoreClient, validateImport, buildRequest, buildImportRequest, toCurl, version } = createApi(glue);
