// Node ESM consumer of the installed tarball: `import` through the exports map (`node` + `import`).
import * as api from 'sqlserverflex-restore';
import { fullFlow } from '../flow.mjs';

const result = await fullFlow(api, process.argv[2], 'node_esm');
console.log(JSON.stringify({ resolved: import.meta.resolve('sqlserverflex-restore'), ...result }));
