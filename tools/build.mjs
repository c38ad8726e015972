// Builds the npm package into pkg/: release wasm → wasm-bindgen (web target, shared by every entry)
// → wasm-opt -Oz (npm binaryen; Debian's breaks externref tables) → pkg-template/ copied as it is (entries,
// types, CLI, emulator), the wasm, node.cjs, index.d.cts and package.json with the crate's version added.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuildTools, isMain, root, run } from './toolchain.mjs';

const crate = 'sqlserverflex_restore';
const pkg = join(root, 'pkg');
const template = join(root, 'pkg-template');

export async function build() {
  ensureBuildTools();
  run('cargo', ['build', '--lib', '--release', '--target', 'wasm32-unknown-unknown']);
  const bindgenDir = join(root, 'target', 'bindgen');
  run('wasm-bindgen', ['--target', 'web', '--out-dir', bindgenDir, '--out-name', crate,
    join(root, 'target', 'wasm32-unknown-unknown', 'release', `${crate}.wasm`)]);

  // pkg-template/ is laid out as the package is: copied as a whole, then the built parts added.
  rmSync(pkg, { recursive: true, force: true });
  cpSync(template, pkg, { recursive: true });
  mkdirSync(join(pkg, 'wasm'), { recursive: true });
  optimizeWasm(join(bindgenDir, `${crate}_bg.wasm`), join(pkg, 'wasm', `${crate}_bg.wasm`));
  cpSync(join(bindgenDir, `${crate}.js`), join(pkg, 'wasm', `${crate}.js`));
  // One small entry per runtime, each loading the wasm its runtime's way (exports map: package.json);
  // Node's CommonJS one is bundled from node-cjs.mjs.
  await bundleCommonJs();
  // TypeScript reads `.d.ts` in this `"type": "module"` package as ESM, which a CommonJS consumer may not
  // `require` (TS1479): the `require` condition gets the same declarations as `.d.cts`.
  cpSync(join(pkg, 'index.d.ts'), join(pkg, 'index.d.cts'));
  writePackageJson();
  return pkg;
}

/** wasm-opt takes seconds: reuse the last result while its input and flags are unchanged. */
function optimizeWasm(input, output) {
  // --converge repeats -Oz while it still shrinks; the producers and target-features sections are
  // metadata no runtime reads.
  const flags = ['-Oz', '--converge', '--strip-producers', '--strip-target-features'];
  const digest = createHash('sha256').update(flags.join(' ')).update(readFileSync(input)).digest('hex');
  const cached = join(root, 'target', 'wasm-opt', `${digest}.wasm`);
  if (!existsSync(cached)) {
    mkdirSync(join(root, 'target', 'wasm-opt'), { recursive: true });
    run(join(root, 'node_modules', '.bin', 'wasm-opt'), [...flags, input, '-o', cached]);
  }
  cpSync(cached, output);
}

/** Node's `require` needs CommonJS: bundle the CJS entry source with the glue and the façade. */
async function bundleCommonJs() {
  const { build: esbuild } = await import('esbuild');
  await esbuild({
    entryPoints: [join(pkg, 'node-cjs.mjs')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    outfile: join(pkg, 'node.cjs'),
    // `import.meta.url` is this file's URL, as in ESM: node-credentials.js makes its `require` from it
    // (the glue's default loader refers to it too, unused here: the entry passes the bytes).
    banner: { js: 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': '__import_meta_url' },
    logLevel: 'warning',
  });
  rmSync(join(pkg, 'node-cjs.mjs'));
}

function writePackageJson() {
  const manifest = JSON.parse(readFileSync(join(template, 'package.json'), 'utf8'));
  manifest.version = cargoVersion();
  writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

export function cargoVersion() {
  const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
  const match = cargo.match(/^version = "([^"]+)"/m);
  if (!match) throw new Error('Cargo.toml has no package version');
  return match[1];
}

/** Makes `import 'sqlserverflex-restore'` resolve to pkg/ through its exports map, as for a user. */
export function linkPackage(target) {
  const link = join(root, 'node_modules', 'sqlserverflex-restore');
  if (existsSync(link) || isBrokenLink(link)) rmSync(link, { recursive: true, force: true });
  mkdirSync(join(root, 'node_modules'), { recursive: true });
  symlinkSync(target, link, 'dir');
}

function isBrokenLink(path) {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

if (isMain(import.meta.url)) {
  linkPackage(await build()); // so that tests run one by one import the package as `npm test` does
  console.log(`built ${pkg}`);
}
