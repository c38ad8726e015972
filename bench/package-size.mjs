// Size of each entry of the built package: the JavaScript an entry loads (its module graph inside the
// package, raw and gzip, and as one minified bundle, gzip) plus the wasm it loads (raw and gzip), and
// the tarball; then the whole browser package against its budget and against the browser app a user
// would write instead with @aws-sdk/client-s3 + @aws-sdk/lib-storage, measured in the same run; then
// what a browser app ships for the same S3 reads with the libraries users would pick instead
// (@aws-sdk/client-s3, aws4fetch), each bundled by esbuild, minified. Builds pkg/ first (cached steps
// make that quick), then writes bench/results/package-size.md.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { build as bundle } from 'esbuild';
import { build } from '../tools/build.mjs';
import { browserPackageSize, entrySize, gzipSize as gzip, wasmSizes } from '../tools/package-size.mjs';
import { BUDGET_BYTES, GOAL_BYTES } from '../tools/size-budget.mjs';

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

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;

async function measure(pkg, entry) {
  if (entry.types) {
    const bytes = readFileSync(join(pkg, entry.file));
    return { files: 1, raw: bytes.length, gzip: gzip(bytes), minifiedGzip: null };
  }
  return entrySize(pkg, entry.file, entry.platform);
}

const pkg = await build();
const wasmSize = wasmSizes(pkg).find((w) => w.file === WASM);
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

/** A small browser app doing one HEAD and one ranged GET of a backup, bundled and minified. */
async function appBundle(source) {
  const result = await bundle({
    stdin: { contents: source, resolveDir: fileURLToPath(new URL('..', import.meta.url)), loader: 'js' },
    bundle: true, write: false, minify: true, format: 'esm', platform: 'browser', external: ['*.wasm'], logLevel: 'silent',
  });
  const js = result.outputFiles[0].contents;
  return { raw: js.length, gzip: gzip(js) };
}
const APPS = [
  { name: 'this package: `preflight()` of one file (a ranged GET, then the header judged)', wasm: true, source: `
    import { preflight } from 'sqlserverflex-restore';
    export const probe = (key) => preflight({ s3: { bucket: 's3://object.storage.eu01.onstackit.cloud/b/', accessKey: 'AK', secretKey: 'SK', files: [{ path: key }] } });` },
  { name: '@aws-sdk/client-s3: `HeadObjectCommand` + ranged `GetObjectCommand`', source: `
    import { S3Client, HeadObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
    const s3 = new S3Client({ region: 'eu01', endpoint: 'https://object.storage.eu01.onstackit.cloud', forcePathStyle: true, credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' } });
    export async function probe(Key) {
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'b', Key }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'b', Key, Range: 'bytes=0-65535' }));
      return [head.ContentLength, await got.Body.transformToByteArray()];
    }` },
  { name: 'aws4fetch: `AwsClient.fetch` HEAD + ranged GET', source: `
    import { AwsClient } from 'aws4fetch';
    const aws = new AwsClient({ accessKeyId: 'AK', secretAccessKey: 'SK', service: 's3', region: 'eu01' });
    export async function probe(key) {
      const url = 'https://object.storage.eu01.onstackit.cloud/b/' + key;
      const head = await aws.fetch(url, { method: 'HEAD' });
      const got = await aws.fetch(url, { headers: { range: 'bytes=0-65535' } });
      return [head.headers.get('content-length'), new Uint8Array(await got.arrayBuffer())];
    }` },
];
/**
 * The reference of issue #18: what a browser app that does the package's S3 work with the AWS SDK ships —
 * `@aws-sdk/client-s3` (HEAD, ranged GET, listing, multipart parts and abort) plus `@aws-sdk/lib-storage`'s `Upload`.
 */
const SDK_APP = `
  import { S3Client, HeadObjectCommand, GetObjectCommand, ListObjectsV2Command, ListPartsCommand, AbortMultipartUploadCommand } from '@aws-sdk/client-s3';
  import { Upload } from '@aws-sdk/lib-storage';
  const s3 = new S3Client({ region: 'eu01', endpoint: 'https://object.storage.eu01.onstackit.cloud', forcePathStyle: true, credentials: { accessKeyId: 'AK', secretAccessKey: 'SK' } });
  const Bucket = 'b';
  export const head = (Key) => s3.send(new HeadObjectCommand({ Bucket, Key }));
  export async function readHeader(Key) {
    const got = await s3.send(new GetObjectCommand({ Bucket, Key, Range: 'bytes=0-65535' }));
    return got.Body.transformToByteArray();
  }
  export const list = (Prefix, ContinuationToken) => s3.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
  export const listParts = (Key, UploadId) => s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
  export const abort = (Key, UploadId) => s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
  export function upload(Key, Body, onProgress) {
    const task = new Upload({ client: s3, params: { Bucket, Key, Body }, partSize: 8 * 2 ** 20, queueSize: 4 });
    task.on('httpUploadProgress', onProgress);
    return task.done();
  }`;
const whole = await browserPackageSize(pkg);
const sdkApp = await appBundle(SDK_APP);
const wholeRows = [
  ['this package, whole: `browser.mjs` bundled + every wasm', kb(whole.js.minifiedGzip), kb(whole.wasmGzip), kb(whole.total), '1.00×'],
  ['@aws-sdk/client-s3 (HeadObject, ranged GetObject, ListObjectsV2, ListParts, AbortMultipartUpload) + @aws-sdk/lib-storage `Upload`',
    kb(sdkApp.gzip), '–', kb(sdkApp.gzip), `${(sdkApp.gzip / whole.total).toFixed(2)}×`],
];
const wasmFiles = whole.wasm.map((w) => `\`${w.file}\` ${kb(w.gzip)}`).join(', ');
// What a host serving it brotli-compressed (quality 11) sends instead: not the measure of the goal.
const brotli = (file) => brotliCompressSync(readFileSync(join(pkg, file)), { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
const brotliLine = whole.wasm.map((w) => `\`${w.file}\` is ${kb(brotli(w.file))} brotli (quality 11) against ${kb(w.gzip)} gzip -9`).join('; ');
const budgetLine = `Budget (\`tools/size-budget.mjs\`, enforced by \`npm test\`): ${whole.total.toLocaleString('en-US')} B measured, `
  + `${BUDGET_BYTES.toLocaleString('en-US')} B enforced (a ratchet), goal ${GOAL_BYTES.toLocaleString('en-US')} B (85 KiB): `
  + (whole.total <= GOAL_BYTES ? 'met.' : `not met, ${(whole.total / GOAL_BYTES).toFixed(2)}× the goal, ${(whole.total / sdkApp.gzip).toFixed(2)}× the AWS SDK app.`);

const apps = [];
for (const app of APPS) {
  const js = await appBundle(app.source);
  apps.push({ ...app, js, total: js.gzip + (app.wasm ? wasmSize.gzip : 0) });
}
const appRows = apps.map((app) => [
  app.name, kb(app.js.raw), kb(app.js.gzip), app.wasm ? kb(wasmSize.gzip) : '–', kb(app.total), `${(app.total / apps[0].total).toFixed(2)}×`,
]);
const appHeader = ['browser app', 'JS minified', 'JS minified, gzip', 'wasm gzip', 'shipped, gzip', 'vs this package'];
const appTable = [appHeader, appHeader.map(() => '---'), ...appRows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

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

### The whole browser package against the AWS SDK

Everything a page loads for the whole API (every operation, upload, preflight, waiter) against the
browser app that does the package's S3 work with the AWS SDK, both bundled by esbuild (minified, ESM,
browser platform), gzip -9, measured in this run. The wasm the package loads: ${wasmFiles}.

${[['shipped', 'JS minified, gzip', 'wasm gzip', 'total, gzip', 'vs this package'], ['---', '---', '---', '---', '---'], ...wholeRows].map((cells) => `| ${cells.join(' | ')} |`).join('\n')}

${budgetLine}

Served brotli-compressed, where the host can: ${brotliLine}.

### Against the alternatives

A small browser app reading a backup's first 64 KiB from S3, bundled by esbuild (minified, ESM, browser
platform). The package's app also validates the input, parses the backup header and judges the set;
the others only fetch the bytes.

${appTable}
`;
const out = fileURLToPath(new URL('./results/package-size.md', import.meta.url));
writeFileSync(out, markdown);
console.log(markdown);
console.log(`wrote ${relative(process.cwd(), out)}`);
