// TypeScript consumers of the packed tarball, compiled by `tsc` in strict mode without skipLibCheck:
// ESM and CommonJS with `moduleResolution: node16` (then the emitted JavaScript runs against the
// emulator), and ESM with `moduleResolution: bundler`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { installPackedPackage, referenceExports, root, runCommand, runJson } from '../runtimes/harness.mjs';

const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let install;

before(async () => {
  install = installPackedPackage();
  writeExportsCheck(join(install.dir, 'typescript', 'exports-check.mts'), await referenceExports(install));
});
after(() => install?.cleanup());

/** A module that compiles only if the declarations list exactly the runtime exports (values, not types). */
function writeExportsCheck(file, names) {
  const entries = names.map((name) => `  ${name}: true,`).join('\n');
  writeFileSync(file, `// Written by tests/js/runtimes-typescript.test.mjs from the package's runtime exports.
import type * as pkg from 'sqlserverflex-restore';
import type * as slim from 'sqlserverflex-restore/slim';

export const declared: Record<keyof typeof pkg, true> = {
${entries}
};
export const slimOnly: Record<Exclude<keyof typeof slim, keyof typeof pkg>, true> = { init: true };
`);
}

test('tsc --strict, moduleResolution node16: index.d.ts declares exactly the runtime exports; the ESM and CommonJS consumers compile and run against the emulator', async () => {
  await runCommand(process.execPath, [tsc, '-p', 'typescript/tsconfig.node16.json'], { cwd: install.dir });

  const esm = await runJson(process.execPath, ['typescript/out/consumer.mjs'], { cwd: install.dir });
  assert.match(esm.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(
    { checked: esm.checked, curl: esm.curl, accepted: esm.accepted, status: esm.status, notFound: esm.notFound, invalid: esm.invalid },
    { checked: true, curl: true, accepted: true, status: 202, notFound: { name: 'NotFoundError', status: 404, base: true }, invalid: ['reserved_name'] },
  );

  const cjs = await runJson(process.execPath, ['typescript/out/consumer.cjs'], { cwd: install.dir });
  assert.deepEqual(cjs, { version: esm.version, checked: true, accepted: true, status: 202, notFound: 404 });
});

test('tsc --strict, moduleResolution bundler: the export check and the ESM consumer type-check', async () => {
  await runCommand(process.execPath, [tsc, '-p', 'typescript/tsconfig.bundler.json'], { cwd: install.dir });
});
