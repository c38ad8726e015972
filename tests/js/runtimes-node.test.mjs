// The packed tarball, installed into a fixture project with `npm install <tarball>`, used from Node:
// ESM `import`, CJS `require` and the slim entry (wasm supplied as bytes and as a compiled module),
// each running the import and key flows against the emulator on loopback.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertImportFlow, assertKeyFlow } from '../runtimes/expect.mjs';
import { installPackedPackage, referenceExports, runJson, startPackedEmulator } from '../runtimes/harness.mjs';

const nodeUserAgent = new RegExp(`^sqlserverflex-restore/\\d+\\.\\d+\\.\\d+\\S* node/${process.versions.node.replaceAll('.', '\\.')}$`);
let install;
let emulator;
let exports;

before(async () => {
  install = installPackedPackage();
  emulator = await startPackedEmulator(install);
  exports = await referenceExports(install);
});

after(async () => {
  await emulator?.stop();
  install?.cleanup();
});

test(`Node ${process.versions.node} ESM: import loads node.mjs; import and key flow against the emulator`, async () => {
  const result = await runJson(process.execPath, ['node/main.mjs', emulator.url], { cwd: install.dir });
  assert.equal(fileURLToPath(result.resolved), join(install.packageDir, 'node.mjs'));
  assertImportFlow(result, { userAgent: nodeUserAgent, exports });
  assertKeyFlow(result.keyFlow);
});

test(`Node ${process.versions.node} CJS: require loads node.cjs (no top-level await); same flows`, async () => {
  const result = await runJson(process.execPath, ['node/main.cjs', emulator.url], { cwd: install.dir });
  assert.equal(result.resolved, join(install.packageDir, 'node.cjs'));
  assertImportFlow(result, { userAgent: nodeUserAgent, exports });
  assertKeyFlow(result.keyFlow);
});

for (const form of ['bytes', 'module']) {
  test(`slim entry: init(${form === 'bytes' ? 'bytes' : 'WebAssembly.Module'}) from the ./sqlserverflex_restore_bg.wasm export`, async () => {
    const result = await runJson(process.execPath, ['node/slim.mjs', emulator.url, form], { cwd: install.dir });
    assert.equal(fileURLToPath(result.resolved), join(install.packageDir, 'slim.mjs'));
    assert.equal(result.before.clientError, 'sqlserverflex-restore/slim: call `await init(wasm)` before using RestoreClient');
    assert.equal(result.before.version, undefined, 'no version before init');
    assert.equal(result.before.errorClassWorks, true, 'error classes work before init');
    assert.match(result.before.initWithoutWasm, /^TypeError: .*init\(wasm\) needs the wasm/);
    assert.equal(result.sameApi, true, 'a second init resolves with the same API');
    assert.equal(result.liveBindings, true, 'the named exports are filled in by init');
    assert.deepEqual(result.namespace, [...exports, 'init'].sort());
    assertImportFlow(result, { userAgent: /^(?!sqlserverflex-restore)/, exports }); // slim knows no runtime: the runtime's own User-Agent
  });
}
