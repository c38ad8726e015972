// Browser apps that use the packed tarball, bundled by esbuild and run in headless Chromium against
// the emulator: one with the default (`browser`) entry, whose wasm the build copies next to the
// bundle, and one with the slim entry, whose wasm esbuild's `file` loader emits and the app passes to `init`.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { startStaticServer } from '../../www/serve.mjs';
import { assertImportFlow, assertKeyFlow } from '../runtimes/expect.mjs';
import { installPackedPackage, referenceExports, startPackedEmulator } from '../runtimes/harness.mjs';
import { chromiumArgs } from './support/chromium.mjs';

let install;
let emulator;
let exports;
let site;
let browser;
let bundled;

before(async () => {
  install = installPackedPackage();
  emulator = await startPackedEmulator(install);
  exports = await referenceExports(install);
  const app = join(install.dir, 'browser');
  const dist = join(app, 'dist');
  const result = await build({
    entryPoints: [join(app, 'app-default.mjs'), join(app, 'app-slim.mjs')],
    outdir: dist, bundle: true, format: 'esm', platform: 'browser', target: 'es2022',
    loader: { '.wasm': 'file' }, assetNames: '[name]-[hash]', metafile: true, logLevel: 'warning',
    // The metafile's paths are relative to this folder (by default the process's working directory).
    absWorkingDir: install.dir,
  });
  bundled = Object.fromEntries(Object.entries(result.metafile.outputs).map(([file, output]) => [
    relative(dist, resolve(install.dir, file)), packageFiles(Object.keys(output.inputs))]));
  // The default entry fetches new URL('./wasm/…', import.meta.url), which esbuild leaves as it is.
  mkdirSync(join(dist, 'wasm'));
  copyFileSync(join(install.packageDir, 'wasm', 'sqlserverflex_restore_bg.wasm'), join(dist, 'wasm', 'sqlserverflex_restore_bg.wasm'));
  for (const page of ['default.html', 'slim.html']) copyFileSync(join(app, page), join(dist, page));
  site = await startStaticServer({ mounts: { '/': dist } });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await emulator?.stop();
  install?.cleanup();
});

/** The metafile inputs that are files of the installed package, relative to it, sorted. */
function packageFiles(inputs) {
  return inputs.map((input) => relative(install.packageDir, resolve(install.dir, input)))
    .filter((file) => !file.startsWith('..') && !isAbsolute(file)).sort();
}

async function runPage(page) {
  const tab = await browser.newPage();
  const problems = [];
  tab.on('pageerror', (error) => problems.push(error.message));
  tab.on('console', (message) => {
    // The flow's deliberate 404 (an unknown instance) is logged by Chromium; anything else is a problem.
    const expected404 = message.location().url.startsWith(emulator.url) && /status of 404/.test(message.text());
    if (message.type() === 'error' && !expected404) problems.push(`${message.text()} (${message.location().url})`);
  });
  await tab.goto(`${site.url}/${page}?emulator=${encodeURIComponent(emulator.url)}`);
  await tab.waitForFunction(() => window.result !== undefined, null, { timeout: 30_000 });
  const result = await tab.evaluate(() => window.result);
  await tab.close();
  assert.equal(result.error, undefined, result.error);
  assert.deepEqual(problems, []);
  return result.value;
}

test('esbuild picks the browser entry for the app and the slim entry plus the .wasm asset for the slim app', () => {
  assert.deepEqual(bundled['app-default.js'], ['api.js', 'batch.js', 'browser.mjs', 'errors.js', 'record-target.js', 'upload-sources.js', 'wasm/sqlserverflex_restore.js']);
  assert.deepEqual(bundled['app-slim.js'], ['api.js', 'batch.js', 'errors.js', 'record-target.js', 'slim.mjs', 'upload-sources.js', 'wasm/sqlserverflex_restore.js', 'wasm/sqlserverflex_restore_bg.wasm']);
  const dist = readdirSync(join(install.dir, 'browser', 'dist'));
  assert.ok(dist.some((file) => /^sqlserverflex_restore_bg-\w+\.wasm$/.test(file)), `the file loader emitted the wasm: ${dist}`);
});

test('Chromium: the esbuild bundle of the default entry imports and runs the key flow', async () => {
  const result = await runPage('default.html');
  assertImportFlow(result, { userAgent: /Chrome\//, exports });
  assertKeyFlow(result.keyFlow);
});

test('Chromium: the esbuild bundle of the slim entry, init(fetch(wasm asset)), imports and runs the key flow', async () => {
  const result = await runPage('slim.html');
  assert.equal(result.liveBindings, true);
  assertImportFlow(result, { userAgent: /Chrome\//, exports });
  assertKeyFlow(result.keyFlow);
});
