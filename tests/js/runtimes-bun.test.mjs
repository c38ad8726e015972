// Bun (the `bun` npm package, a root devDependency) running fixtures that use the packed tarball:
// Bun resolves the `node` condition, so `import` gets node.mjs and `require` gets node.cjs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertImportFlow, assertKeyFlow } from '../runtimes/expect.mjs';
import { installPackedPackage, runJson, runtimeBinary, referenceExports, startPackedEmulator } from '../runtimes/harness.mjs';

const bun = runtimeBinary('bun');
const bunEnv = { BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0', DO_NOT_TRACK: '1' };
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

const userAgent = /^sqlserverflex-restore\/\d+\.\d+\.\d+\S* node\/\d+\.\d+\.\d+$/;

test('Bun: import resolves node.mjs; import and key flow against the emulator', async () => {
  const result = await runJson(bun, ['bun/main.mjs', emulator.url], { cwd: install.dir, env: bunEnv });
  assert.equal(fileURLToPath(result.resolved), join(install.packageDir, 'node.mjs'));
  assertImportFlow(result, { userAgent, exports });
  assertKeyFlow(result.keyFlow);
});

test('Bun: require resolves node.cjs; import flow against the emulator', async () => {
  const result = await runJson(bun, ['bun/main.cjs', emulator.url], { cwd: install.dir, env: bunEnv });
  assert.equal(result.resolved, join(install.packageDir, 'node.cjs'));
  assertImportFlow(result, { userAgent, exports });
});
