// Size of each entry of the built package: the JavaScript an entry loads (its module graph inside the
// package, raw and gzip, and as one minified bundle, gzip) plus the wasm it loads (raw and gzip), and
// the tarball. Builds pkg/ first (cached steps make that quick), then writes bench/results/package-size.md.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build as bundle } from 'esbuild';
import { build } from '../pkg-template/build.mjs';

const WASM = 'wasm/sqlserverflex_restore_bg.wasm';

/** Rows in exports-map order: what a user gets for each condition or subpath. */
const ENTRIES = [
  { specifier: '`.` types', file: 'index.d.ts', platform: 'neutral', wasm: 'none', types: true },
  { specifier: '`.` workerd / worker', file: 'workerd.mjs', platform: 'neutral', wasm: 'imported as a module' },
  { specifier: '`.` deno', file: 'deno.mjs', platform: 'neutral', wasm: 'source-phase import' },
  { specifier: '`.` node import', file: 'node.mjs', platform: 'node', wasm: 'read from disk' },
  { specifier: '`.` node require', file: 'node.cjs', platform: 'node', wasm: 'read from disk' },
  { specifier: '`.` browser / default', file: 'browser.mjs', platform: 'browser', wasm: 'fetched' },
  { specifier: '`./slim`', file: 'slim.mjs', platform: 'browser', wasm: 'supplied by the caller' },
  { specifier: '`./emulator` (Node)', file: 'emulator/index.mjs', platform: 'node', wasm: 'none' },
];

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

async function measure(pkg, entry) {
  if (entry.types) {
    const bytes = readFileSync(join(pkg, entry.file));
    return { files: 1, raw: bytes.length, gzip: gzip(bytes), minifiedGzip: null };
  }
  const result = await bundle({
    entryPoints: [join(pkg, entry.file)], bundle: true, write: false, metafile: true, minify: true, format: 'esm',
    platform: entry.platform, external: ['*.wasm', 'node:*'], logLevel: 'silent', absWorkingDir: pkg, outdir: join(pkg, 'size-out'),
  });
  const files = Object.keys(result.metafile.inputs).map((input) => readFileSync(join(pkg, input)));
  return {
    files: files.length,
    raw: files.reduce((sum, bytes) => sum + bytes.length, 0),
    gzip: files.reduce((sum, bytes) => sum + gzip(bytes), 0),
    minifiedGzip: gzip(result.outputFiles.find((f) => f.path.endsWith('.js')).contents),
  };
}

const pkg = await build();
const wasm = readFileSync(join(pkg, WASM));
const wasmSize = { raw: wasm.length, gzip: gzip(wasm) };
const [tarball] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json'], { cwd: pkg, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version;

const rows = [];
for (const entry of ENTRIES) {
  const js = await measure(pkg, entry);
  const loadsWasm = entry.wasm !== 'none';
  rows.push([
    entry.specifier, `\`${entry.file}\``, String(js.files), kb(js.raw), kb(js.gzip), js.minifiedGzip === null ? '–' : kb(js.minifiedGzip),
    entry.wasm, loadsWasm ? kb(wasmSize.raw) : '–', loadsWasm ? kb(wasmSize.gzip) : '–',
    kb(js.gzip + (loadsWasm ? wasmSize.gzip : 0)),
  ]);
}

const header = ['entry (condition)', 'file', 'JS files', 'JS raw', 'JS gzip', 'JS bundled, minified, gzip', 'wasm', 'wasm raw', 'wasm gzip', 'JS gzip + wasm gzip'];
const table = [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
const markdown = `# Package size per entry

sqlserverflex-restore ${version}, measured ${new Date().toISOString().slice(0, 10)} by \`node bench/package-size.mjs\` on the built \`pkg/\`.

"JS" is the entry's module graph inside the package (what the runtime loads; Node built-ins excluded),
each file gzipped on its own (level 9); "bundled, minified" is that graph as one esbuild bundle, what a
bundler would ship. Every wasm-loading entry loads the same \`${WASM}\`.

${table}

Tarball (\`npm pack\`): ${kb(tarball.size)} packed, ${kb(tarball.unpackedSize)} unpacked, ${tarball.entryCount} files
(the emulator, its OpenAPI specs and the CLI included).
`;
const out = fileURLToPath(new URL('./results/package-size.md', import.meta.url));
writeFileSync(out, markdown);
console.log(markdown);
console.log(`wrote ${relative(process.cwd(), out)}`);
