// Bun consumer of the installed tarball (`import`): Bun resolves the `node` condition.
import * as api from 'sqlserverflex-restore';
import { fullFlow } from '../flow.mjs';

const result = await fullFlow(api, process.argv[2], 'bun_esm');
console.log(JSON.stringify({ resolved: import.meta.resolve('sqlserverflex-restore'), runtime: Bun.version, ...result }));
