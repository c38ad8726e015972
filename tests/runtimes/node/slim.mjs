// The slim entry in Node: the caller supplies the wasm, as bytes or as a compiled WebAssembly.Module
// (argv[3]), read through the package's `./sqlserverflex_restore_bg.wasm` export.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as slim from 'sqlserverflex-restore/slim';
import { importFlow } from '../flow.mjs';

const [url, form] = process.argv.slice(2);
const before = {};
try {
  new slim.RestoreClient({});
} catch (error) {
  before.clientError = error.message;
}
before.version = slim.version;
before.errorClassWorks = new slim.ValidationError('x', { code: 'C' }).code === 'C';
before.initWithoutWasm = await slim.init().then(() => 'resolved', (error) => `${error.name}: ${error.message}`);

const bytes = readFileSync(fileURLToPath(import.meta.resolve('sqlserverflex-restore/sqlserverflex_restore_bg.wasm')));
const api = await slim.init(form === 'module' ? new WebAssembly.Module(bytes) : bytes);
const again = await slim.init(bytes);
const result = await importFlow(api, url, `node_slim_${form}`);
console.log(JSON.stringify({
  resolved: import.meta.resolve('sqlserverflex-restore/slim'),
  before,
  sameApi: again === api,
  liveBindings: slim.RestoreClient === api.RestoreClient && slim.version === api.version,
  namespace: Object.keys(slim).sort(),
  ...result,
}));
