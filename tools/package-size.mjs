// What the package weighs where weight matters: the JavaScript an entry loads, as one esbuild bundle
// (minified, wasm left external) and as its files, plus the wasm, each gzip -9. One measurement shared
// by bench/package-size.mjs and the size test of `npm test`; it measures a built pkg/, builds nothing.
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build as bundle } from 'esbuild';

export const gzipSize = (bytes) => gzipSync(bytes, { level: 9 }).length;

/**
 * An entry's module graph inside `pkg` (Node built-ins and `*.wasm` external): `files`, `raw` and
 * `gzip` summed over its files, and `minified` / `minifiedGzip` of the whole graph as one bundle.
 * @param {string} pkg  the built package folder
 * @param {string} file  the entry, relative to `pkg`
 * @param {'browser' | 'node' | 'neutral'} platform
 */
export async function entrySize(pkgDir, file, platform) {
  const pkg = resolve(pkgDir);
  const result = await bundle({
    entryPoints: [join(pkg, file)], bundle: true, write: false, metafile: true, minify: true, format: 'esm',
    platform, external: ['*.wasm', 'node:*'], logLevel: 'silent', absWorkingDir: pkg, outdir: join(pkg, 'size-out'),
  });
  const files = Object.keys(result.metafile.inputs).map((input) => readFileSync(join(pkg, input)));
  const minified = result.outputFiles.find((f) => f.path.endsWith('.js')).contents;
  return {
    files: files.length,
    raw: files.reduce((sum, bytes) => sum + bytes.length, 0),
    gzip: files.reduce((sum, bytes) => sum + gzipSize(bytes), 0),
    minified: minified.length,
    minifiedGzip: gzipSize(minified),
  };
}

/** Every `.wasm` of the package (`wasm/`): `[{ file, raw, gzip }]`. */
export function wasmSizes(pkg) {
  return readdirSync(join(pkg, 'wasm')).filter((name) => name.endsWith('.wasm')).sort().map((name) => {
    const bytes = readFileSync(join(pkg, 'wasm', name));
    return { file: `wasm/${name}`, raw: bytes.length, gzip: gzipSize(bytes) };
  });
}

/**
 * The whole browser package as a page ships it: `browser.mjs` bundled and minified (gzip) plus every
 * wasm (gzip). `total` is what the budget (tools/size-budget.mjs) limits.
 */
export async function browserPackageSize(pkg) {
  const js = await entrySize(pkg, 'browser.mjs', 'browser');
  const wasm = wasmSizes(pkg);
  const wasmGzip = wasm.reduce((sum, w) => sum + w.gzip, 0);
  return { js, wasm, wasmGzip, total: js.minifiedGzip + wasmGzip };
}
