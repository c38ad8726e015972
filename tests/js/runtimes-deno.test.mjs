// Deno (the `deno` npm package, a root devDependency) running a fixture that imports the packed
// tarball from the node_modules `npm install` made: the `deno` entry loads the wasm with a
// source-phase import, so the fixture runs with `--allow-net=127.0.0.1` and no read permission.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertImportFlow, assertKeyFlow } from '../runtimes/expect.mjs';
import { installPackedPackage, runJson, runtimeBinary, referenceExports, startPackedEmulator } from '../runtimes/harness.mjs';

const deno = runtimeBinary('deno');
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

test('Deno: import resolves deno.mjs; import and key flow against the emulator with --allow-net only', async () => {
  const result = await runJson(deno, ['run', '--allow-net=127.0.0.1', '--no-prompt', 'deno/main.mjs', emulator.url], {
    cwd: install.dir,
    env: { DENO_DIR: join(install.dir, '.deno'), DENO_NO_UPDATE_CHECK: '1' },
  });
  assert.equal(fileURLToPath(result.resolved), join(install.packageDir, 'deno.mjs'));
  assertImportFlow(result, { userAgent: new RegExp(`^sqlserverflex-restore/\\d+\\.\\d+\\.\\d+\\S* deno/${result.runtime.replaceAll('.', '\\.')}$`), exports });
  assertKeyFlow(result.keyFlow);
});
