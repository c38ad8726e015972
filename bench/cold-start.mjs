// Cold start: a fresh process that imports the package, initialises it and builds + validates one
// import request, against the runtime doing nothing, in the same run.
// - Node: `node -e 0`; and the same script that also imports @aws-sdk/client-s3 (and creates its
//   client), which is what a user of the AWS SDK pays on top.
// - Deno: `deno eval` of the same script against `deno eval 0`.
// - workerd: from starting Miniflare (which starts workerd) to the first response of a Worker that
//   does the same work in its fetch handler, against an empty Worker; both bundled as wrangler does.
// The runs of each runtime's variants are interleaved so machine noise hits all alike. Writes
// bench/results/cold-start.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { wranglerOptions } from '../tests/support/wrangler-bundle.mjs';
import { markdownTable, msSpread, summarize, today } from './measure.mjs';

const RUNS = 21;
const WARMUPS = 2;
const WORKERD_RUNS = 11;
const root = fileURLToPath(new URL('..', import.meta.url));
const scratch = join(root, 'target', 'bench-cold-start');
mkdirSync(scratch, { recursive: true });

const work = `
const options = { projectId: '11111111-1111-4111-8111-111111111111', region: 'eu01', token: 't' };
const bucket = 's3://object.storage.eu01.onstackit.cloud/b/';
const input = { instanceId: '22222222-2222-4222-8222-222222222222', databaseName: 'db', databaseOwner: 'o',
  s3: { bucket, accessKey: 'AK', secretKey: 'SK', files: [{ path: bucket + 'db.bak' }] } };
const works = validateImport(input, options).ok && Boolean(buildImportRequest(options, input).url);`;
const importApi = `import { validateImport, buildImportRequest } from 'sqlserverflex-restore';`;
const script = `${importApi}${work}\nif (!works) throw new Error('the import request did not validate');`;

/** Runs each variant `WARMUPS + runs` times, interleaved; `[name, summary]` of the timed runs. */
async function interleaved(variants, runs = RUNS) {
  const samples = variants.map(() => []);
  for (let run = 0; run < WARMUPS + runs; run += 1) {
    for (const [i, [, measure]] of variants.entries()) {
      const ms = await measure();
      if (run >= WARMUPS) samples[i].push(ms);
    }
  }
  return variants.map(([name], i) => [name, summarize(samples[i])]);
}

const spawnMs = (command, args, env = process.env) => {
  const start = performance.now();
  execFileSync(command, args, { cwd: root, stdio: 'ignore', env });
  return performance.now() - start;
};

/** Rows against the first variant (the runtime doing nothing) and, from the third on, the second. */
function rows(stats) {
  const [[, bare], [, ours]] = stats;
  return stats.map(([name, s], i) => [
    name, msSpread(s), `${(s.median / bare.median).toFixed(2)}×`,
    i === 0 ? '–' : `+${(s.median - bare.median).toFixed(1)} ms`, i === 0 ? '–' : `${(s.median / ours.median).toFixed(2)}×`,
  ]);
}
const header = ['process', 'wall time', 'vs doing nothing', 'over doing nothing', 'vs this package'];

// Node
const node = (code) => () => spawnMs(process.execPath, code === '0' ? ['-e', '0'] : ['--input-type=module', '-e', code]);
const nodeStats = await interleaved([
  ['`node -e 0`', node('0')],
  ['import + init + validate + build one import request', node(script)],
  ['the same, plus `import { S3Client }` from @aws-sdk/client-s3 and `new S3Client()`', node(`${script}
     import { S3Client } from '@aws-sdk/client-s3';
     new S3Client({ region: 'eu01', endpoint: 'https://object.storage.eu01.onstackit.cloud', credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' } });`)],
]);

// Where the Node time goes: node.mjs's steps one by one in a fresh process (the same steps as the
// entry; keep them in step with pkg-template/node.mjs), each timed after the previous one.
const pkgUrl = new URL('../pkg/', import.meta.url).href;
const steps = `
const times = {}; let last = performance.now(); const mark = (step) => { const now = performance.now(); times[step] = now - last; last = now; };
const { createRequire } = await import('node:module');
const require = createRequire(import.meta.url); const { readFileSync } = require('node:fs'); mark('node:module, node:fs (require)');
const glue = await import('${pkgUrl}wasm/sqlserverflex_restore.js'); mark('wasm-bindgen glue module (first ESM file of the package)');
const { default: api, validateImport, buildImportRequest } = await import('${pkgUrl}api.js'); mark('api.js + errors.js');
await import('${pkgUrl}node-credentials.js'); mark('node-credentials.js');
const bytes = readFileSync(new URL('${pkgUrl}wasm/sqlserverflex_restore_bg.wasm')); mark('read the wasm');
const module = new WebAssembly.Module(bytes); mark('compile it (new WebAssembly.Module)');
glue.initSync({ module }); mark('instantiate + wasm-bindgen start');
api.start({ userAgent: 'bench' }); mark('api.start (first calls into the wasm)');
globalThis.crypto.getRandomValues(new Uint8Array(16)); mark('load WebCrypto (the first getRandomValues; validate draws a logging GUID)');
${work.replace('const works = ', 'const valid = ')}
mark('first validateImport + buildImportRequest');
console.log(JSON.stringify(times));`;
const stepSamples = {};
for (let run = 0; run < WARMUPS + RUNS; run += 1) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', steps], { cwd: root, encoding: 'utf8' });
  if (run < WARMUPS) continue;
  for (const [step, ms] of Object.entries(JSON.parse(out))) (stepSamples[step] ??= []).push(ms);
}
const stepRows = Object.entries(stepSamples).map(([step, samples]) => [step, msSpread(summarize(samples))]);

// Deno (the root devDependency; it resolves the package through node_modules, `deno` condition)
const denoBinary = join(root, 'node_modules', '.bin', 'deno');
const denoEnv = { ...process.env, DENO_DIR: join(scratch, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1' };
const deno = (code) => () => spawnMs(denoBinary, ['eval', code], denoEnv);
const denoStats = await interleaved([['`deno eval 0`', deno('0')], ['import + init + validate + build one import request', deno(script)]]);

// workerd through Miniflare; bundled as wrangler does (tests/support/wrangler-bundle.mjs).
async function bundleWorker(name, source) {
  const outfile = join(scratch, `${name}.js`);
  await build({
    ...wranglerOptions(scratch), stdin: { contents: source, resolveDir: root, loader: 'js' }, outfile, minify: true,
  });
  return outfile;
}
const emptyWorker = await bundleWorker('empty-worker', `export default { fetch: () => new Response('ok') };`);
const packageWorker = await bundleWorker('package-worker', `${importApi}
  export default { fetch() {${work}
    return new Response(works ? 'ok' : 'invalid', { status: works ? 200 : 500 });
  } };`);
const firstResponse = (scriptPath) => async () => {
  const start = performance.now();
  const miniflare = new Miniflare({
    modules: true, scriptPath, modulesRoot: scratch, compatibilityDate: '2026-07-01',
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  });
  try {
    const response = await miniflare.dispatchFetch('http://localhost/');
    if ((await response.text()) !== 'ok') throw new Error('the Worker did not answer ok');
    return performance.now() - start;
  } finally {
    await miniflare.dispose();
  }
};
const workerdStats = await interleaved([
  ['empty Worker: Miniflare start → first response', firstResponse(emptyWorker)],
  ['Worker that imports + inits + validates + builds one import request', firstResponse(packageWorker)],
], WORKERD_RUNS);

const markdown = `## Cold start (${today()})

Wall time, median after ${WARMUPS} warm-ups, each runtime's variants interleaved (spread: half the min–max
range). The script imports \`validateImport\` and \`buildImportRequest\`, which loads and initialises the
wasm, then validates one import input and builds its request.

Node: a new \`node\` process until it exits, ${RUNS} runs. The Node entry compiles and instantiates its wasm
synchronously at import.

${markdownTable(header, rows(nodeStats))}

Where the Node time goes: the entry's steps one by one in a new process (${RUNS} runs, median), each
timed after the previous one; Node's ESM loader is already running (the script is a module).

${markdownTable(['step', 'time'], stepRows)}

Deno: a new \`deno eval\` process until it exits, ${RUNS} runs (the \`deno\` entry: the wasm comes through a
source-phase import).

${markdownTable(header, rows(denoStats))}

workerd: from \`new Miniflare()\` (which starts workerd with the Worker) to the body of the first response,
${WORKERD_RUNS} runs, Miniflare's own start included in both rows.

${markdownTable(header, rows(workerdStats))}
`;
writeFileSync(new URL('./results/cold-start.md', import.meta.url), markdown);
console.log(markdown);
