// Deno (the `deno` npm package, a root devDependency) running a fixture that imports the packed
// tarball from the node_modules `npm install` made: the `deno` entry loads the wasm with a
// source-phase import, so the fixture runs with `--allow-net=127.0.0.1` and no read permission.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertImportFlow, assertKeyFlow } from '../runtimes/expect.mjs';
import { installPackedPackage, runJson, runtimeBinary, referenceExports, startPackedEmulator } from '../runtimes/harness.mjs';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../support/s3-server.mjs';
import { writeBackupFixtures } from './support/fixtures-bak.mjs';
import { largeBackup } from './support/upload-cases.mjs';

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

test('Deno: a backup uploads from a Blob, in one PUT and in parts; stored bytes identical', async () => {
  const s3 = await startS3Server();
  try {
    s3.bucket('backups');
    const file = join(install.dir, 'deno-upload.bak');
    const bytes = largeBackup(writeBackupFixtures().files.get('single/full.bak'), 11 * 1024 * 1024 + 5, 31);
    writeFileSync(file, bytes);
    const result = await runJson(deno, ['run', '--allow-net=127.0.0.1', `--allow-read=${file}`, '--allow-env=S3_SECRET', '--no-prompt', 'deno/upload.mjs', s3.endpoint, ACCESS_KEY, file], {
      cwd: install.dir,
      env: { DENO_DIR: join(install.dir, '.deno'), DENO_NO_UPDATE_CHECK: '1', S3_SECRET: SECRET_KEY },
    });
    assert.deepEqual(result, {
      single: [{ key: 'deno-single/small.bak', parts: 1, size: 100_000 }],
      multi: [{ key: 'deno-multi/big.bak', parts: 3, size: bytes.length }],
      lastPercent: 100,
    });
    const sha = (b) => createHash('sha256').update(b).digest('hex');
    assert.equal(sha(readFileSync(join(s3.root, 'backups', 'deno-multi', 'big.bak'))), sha(bytes));
    assert.equal(sha(readFileSync(join(s3.root, 'backups', 'deno-single', 'small.bak'))), sha(bytes.subarray(0, 100_000)));
  } finally {
    await s3.stop();
  }
});
