// Which file each export condition selects in the packed tarball, asked of the real resolvers: Node
// (with --conditions), Deno, Bun, esbuild (as browsers bundlers and wrangler configure it) and
// TypeScript (node16 ESM and CommonJS, bundler). Also the exports map's order and its targets.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import ts from 'typescript';
import { installPackedPackage, runJson, runtimeBinary } from '../runtimes/harness.mjs';

let install;
let manifest;

before(() => {
  install = installPackedPackage();
  manifest = JSON.parse(readFileSync(join(install.packageDir, 'package.json'), 'utf8'));
});
after(() => install?.cleanup());

const resolveIn = (cmd, args, env) => runJson(cmd, [...args, 'resolve.mjs'], { cwd: install.dir, env });
const subpaths = {
  'sqlserverflex-restore/slim': 'slim.mjs',
  'sqlserverflex-restore/sqlserverflex_restore_bg.wasm': 'wasm/sqlserverflex_restore_bg.wasm',
  'sqlserverflex-restore/package.json': 'package.json',
};

describe('the exports map', () => {
  test('conditions are ordered types → workerd/worker → deno → node (import, require) → browser → default', () => {
    const main = manifest.exports['.'];
    assert.deepEqual(Object.keys(main), ['types', 'workerd', 'worker', 'deno', 'node', 'browser', 'default']);
    assert.deepEqual(Object.keys(main.node), ['import', 'require']);
    assert.deepEqual(Object.keys(manifest.exports), ['.', './slim', './emulator', './sqlserverflex_restore_bg.wasm', './package.json']);
    assert.deepEqual(Object.keys(manifest.exports['./emulator']), ['types', 'node'], 'the emulator is Node only');
    assert.equal(manifest.engines.node, '>=18');
  });

  test('every target is in the tarball', () => {
    const targets = [];
    const collect = (value) => (typeof value === 'string' ? targets.push(value) : Object.values(value).forEach(collect));
    collect(manifest.exports);
    for (const target of new Set(targets)) assert.ok(existsSync(join(install.packageDir, target)), `${target} is packed`);
  });
});

describe('Node', () => {
  test('import → node.mjs, require → node.cjs; the subpaths', async () => {
    const resolved = await resolveIn(process.execPath, []);
    assert.deepEqual(resolved['sqlserverflex-restore'], { import: 'node.mjs', require: 'node.cjs' });
    assert.deepEqual(resolved['sqlserverflex-restore/emulator'], { import: 'emulator/index.mjs', require: 'emulator/index.mjs' });
    for (const [specifier, file] of Object.entries(subpaths)) assert.deepEqual(resolved[specifier], { import: file, require: file });
  });

  for (const [condition, file] of [['workerd', 'workerd.mjs'], ['worker', 'workerd.mjs'], ['deno', 'deno.mjs']]) {
    test(`--conditions=${condition} → ${file} (it precedes node)`, async () => {
      const resolved = await resolveIn(process.execPath, [`--conditions=${condition}`]);
      assert.deepEqual(resolved['sqlserverflex-restore'], { import: file, require: file });
    });
  }
});

test('Deno resolves the deno entry', async () => {
  const resolved = await resolveIn(runtimeBinary('deno'), ['run', '--no-prompt'], { DENO_DIR: join(install.dir, '.deno'), DENO_NO_UPDATE_CHECK: '1' });
  assert.deepEqual(resolved['sqlserverflex-restore'], { import: 'deno.mjs' });
  for (const [specifier, file] of Object.entries(subpaths)) assert.deepEqual(resolved[specifier], { import: file });
});

test('Bun resolves the node entries', async () => {
  const resolved = await resolveIn(runtimeBinary('bun'), [], { DO_NOT_TRACK: '1' });
  assert.deepEqual(resolved['sqlserverflex-restore'], { import: 'node.mjs', require: 'node.cjs' });
  for (const [specifier, file] of Object.entries(subpaths)) assert.deepEqual(resolved[specifier], { import: file, require: file });
});

describe('esbuild', () => {
  /** The package file esbuild bundles for `specifier` with these options, or the resolve error. */
  async function bundled(specifier, options, kind = 'import') {
    const contents = kind === 'import' ? `import * as x from '${specifier}'; console.log(x);` : `console.log(require('${specifier}'));`;
    try {
      const result = await build({
        stdin: { contents, resolveDir: install.dir, loader: 'js' }, bundle: true, write: false, metafile: true,
        logLevel: 'silent', format: 'esm', absWorkingDir: install.dir, loader: { '.wasm': 'file' }, outdir: join(install.dir, 'esbuild-out'), ...options,
      });
      const prefix = 'node_modules/sqlserverflex-restore/';
      const direct = result.metafile.inputs['<stdin>'].imports.find((i) => i.path.startsWith(prefix));
      return direct.path.slice(prefix.length);
    } catch (error) {
      return `error: ${error.errors?.[0]?.text ?? error.message}`;
    }
  }

  test('platform browser → browser.mjs; ./slim → slim.mjs; ./emulator is not for browsers', async () => {
    assert.equal(await bundled('sqlserverflex-restore', { platform: 'browser' }), 'browser.mjs');
    assert.equal(await bundled('sqlserverflex-restore/slim', { platform: 'browser' }), 'slim.mjs');
    assert.match(await bundled('sqlserverflex-restore/emulator', { platform: 'browser' }), /^error: .*emulator/);
  });

  test('wrangler\'s conditions (workerd, worker, browser) → workerd.mjs', async () => {
    assert.equal(await bundled('sqlserverflex-restore', { platform: 'neutral', conditions: ['workerd', 'worker', 'browser'] }), 'workerd.mjs');
  });

  test('no known condition → default (browser.mjs)', async () => {
    assert.equal(await bundled('sqlserverflex-restore', { platform: 'neutral' }), 'browser.mjs');
  });

  test('platform node: import → node.mjs, require → node.cjs', async () => {
    assert.equal(await bundled('sqlserverflex-restore', { platform: 'node' }), 'node.mjs');
    assert.equal(await bundled('sqlserverflex-restore', { platform: 'node', format: 'cjs' }, 'require'), 'node.cjs');
  });
});

describe('TypeScript', () => {
  /** `containing`'s extension sets the importing file's module kind: .cts CommonJS, else ESM. */
  const resolve = (specifier, options, containing) => {
    const mode = containing.endsWith('.cts') ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext;
    const { resolvedModule } = ts.resolveModuleName(specifier, join(install.dir, containing), options, ts.sys, undefined, undefined, mode);
    return resolvedModule && resolvedModule.resolvedFileName.slice(install.packageDir.length + 1);
  };
  const node16 = { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 };
  const bundler = { module: ts.ModuleKind.Preserve, moduleResolution: ts.ModuleResolutionKind.Bundler };

  test('node16: ESM → index.d.ts, CommonJS → index.d.cts; slim and emulator types', () => {
    assert.equal(resolve('sqlserverflex-restore', node16, 'consumer.mts'), 'index.d.ts');
    assert.equal(resolve('sqlserverflex-restore', node16, 'consumer.cts'), 'index.d.cts');
    assert.equal(resolve('sqlserverflex-restore/slim', node16, 'consumer.mts'), 'slim.d.ts');
    assert.equal(resolve('sqlserverflex-restore/emulator', node16, 'consumer.mts'), 'emulator/index.d.ts');
  });

  test('bundler → index.d.ts; slim and emulator types', () => {
    assert.equal(resolve('sqlserverflex-restore', bundler, 'consumer.ts'), 'index.d.ts');
    assert.equal(resolve('sqlserverflex-restore/slim', bundler, 'consumer.ts'), 'slim.d.ts');
    assert.equal(resolve('sqlserverflex-restore/emulator', bundler, 'consumer.ts'), 'emulator/index.d.ts');
  });

  test('index.d.cts is index.d.ts, for CommonJS', () => {
    assert.equal(readFileSync(join(install.packageDir, 'index.d.cts'), 'utf8'), readFileSync(join(install.packageDir, 'index.d.ts'), 'utf8'));
  });
});
