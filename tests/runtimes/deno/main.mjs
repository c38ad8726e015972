// Deno consumer of the installed tarball (node_modules next to package.json, as `npm install` left it):
// resolves the `deno` condition; run with `--allow-net=127.0.0.1` only.
import * as api from 'sqlserverflex-restore';
import { fullFlow } from '../flow.mjs';

const result = await fullFlow(api, Deno.args[0], 'deno');
console.log(JSON.stringify({ resolved: import.meta.resolve('sqlserverflex-restore'), runtime: Deno.version.deno, ...result }));
