// Cloudflare workerd (Miniflare from the root devDependencies) running Workers that use the packed
// tarball, bundled the way wrangler bundles: esbuild with the conditions workerd, worker, browser, and
// every `.wasm` import kept as a separate `CompiledWasm` module (wrangler's default rule). Compiling
// wasm from bytes is made to fail everywhere (refuse-wasm-from-bytes.mjs), as on Cloudflare.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { assertImportFlow, assertKeyFlow } from '../runtimes/expect.mjs';
import { installPackedPackage, root, referenceExports, startPackedEmulator } from '../runtimes/harness.mjs';
import { wranglerOptions } from '../support/wrangler-bundle.mjs';

const workerdVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'workerd', 'package.json'), 'utf8')).version;
let install;
let emulator;
let exports;
let miniflare;
let bundles;

/** The Worker `entry` bundled as wrangler does, into `outdir`; the files it was built from. */
async function bundleWorker(entry, outdir) {
  const outfile = join(outdir, basename(entry).replace(/\.mjs$/, '.js'));
  const result = await build({
    ...wranglerOptions(outdir), entryPoints: [entry], outfile, metafile: true,
    absWorkingDir: outdir, // the metafile's paths are relative to it (by default the process's working directory)
  });
  return { outfile, inputs: Object.keys(result.metafile.inputs).map((input) => resolve(outdir, input)) };
}

before(async () => {
  install = installPackedPackage();
  emulator = await startPackedEmulator(install);
  exports = await referenceExports(install);
  const outdir = join(install.dir, 'workerd', 'dist');
  mkdirSync(outdir, { recursive: true });
  bundles = {
    import: await bundleWorker(join(install.dir, 'workerd', 'import-worker.mjs'), outdir),
    keyflow: await bundleWorker(join(install.dir, 'workerd', 'keyflow-worker.mjs'), outdir),
  };
  const worker = (name) => ({
    name, modules: true, scriptPath: bundles[name].outfile, modulesRoot: outdir, compatibilityDate: '2026-07-01',
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
  });
  miniflare = new Miniflare({ workers: [worker('import'), worker('keyflow')] });
  await miniflare.ready;
});

after(async () => {
  // After a failed start, dispose() rejects with the same error the before hook already reported.
  await miniflare?.dispose().catch(() => {});
  await emulator?.stop();
  install?.cleanup();
});

async function callWorker(name) {
  const worker = await miniflare.getWorker(name);
  const response = await worker.fetch(`http://fixture/?emulator=${encodeURIComponent(emulator.url)}`);
  const body = await response.json();
  assert.equal(response.status, 200, body.error);
  return body;
}

test('the Worker bundle takes the workerd entry, which imports the .wasm as a module', () => {
  const packageFiles = bundles.import.inputs.map((input) => relative(install.packageDir, input))
    .filter((file) => !file.startsWith('..') && !isAbsolute(file)).sort();
  assert.deepEqual(packageFiles, ['api.js', 'batch.js', 'errors.js', 'record-target.js', 'upload-sources.js', 'wasm/sqlserverflex_restore.js', 'workerd.mjs']);
  assert.match(readFileSync(bundles.import.outfile, 'utf8'), /from "\.\/sqlserverflex_restore_bg\.wasm"/);
});

test(`workerd ${workerdVersion}: a Worker validates and performs an import against the emulator`, async () => {
  assertImportFlow(await callWorker('import'), { userAgent: /^sqlserverflex-restore\/\d+\.\d+\.\d+\S* workerd$/, exports });
});

test(`workerd ${workerdVersion}: a Worker signs a key-flow JWT with WebCrypto and gets a token`, async () => {
  assertKeyFlow(await callWorker('keyflow'));
});
