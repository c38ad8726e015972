// One upload in a fresh process, so its peak RSS is its own: `node bench/upload-worker.mjs <tool>
// <file> <endpoint> <key> <partSize> <concurrency> [payload]`, tool = package | lib-storage.
// Prints `{ ms, rssBeforeMiB, maxRssMiB, rssOverTimeMiB }`: the peak is VmHWM of /proc/self/status,
// which starts afresh at exec (getrusage's maxRSS carries the parent's high-water mark over on Linux);
// `rssOverTimeMiB` is VmRSS above the start at a quarter, half and three quarters of the upload and at
// its end (sampled every 100 ms), to show whether memory levels off or keeps growing. With
// UPLOAD_TRACE=1 it also prints to stderr, every 50 ms: ms, RSS, wasm memory, JS heap and
// ArrayBuffers (MiB), to see where the memory goes over time, not only its peak.
import { createReadStream, readFileSync } from 'node:fs';
import { ACCESS_KEY, SECRET_KEY } from '../tests/support/s3-server.mjs';

const [tool, file, endpoint, key, partSize, concurrency, payload = 'sha256'] = process.argv.slice(2);
const HOST = 'object.storage.eu01.onstackit.cloud';
const MIB = 2 ** 20;
const status = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;

let send;
let wasmMemory = () => 0;
if (tool === 'package') {
  const { upload } = await import('sqlserverflex-restore');
  // Already initialised by the entry (pkg/, which node_modules links to): initSync hands back the
  // same instance's exports.
  const { initSync } = await import(new URL('../pkg/wasm/sqlserverflex_restore.js', import.meta.url).href).catch(() => ({}));
  const exports = initSync?.({ module: new Uint8Array(0) });
  if (exports?.memory) wasmMemory = () => exports.memory.buffer.byteLength / MIB;
  send = () => upload(
    { s3: { bucket: `s3://${HOST}/bench/`, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint }, files: [{ name: key, source: file }] },
    { partSize: Number(partSize), concurrency: Number(concurrency), payload },
  );
} else {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY } });
  send = () => new Upload({ client, params: { Bucket: 'bench', Key: key, Body: createReadStream(file) }, partSize: Number(partSize), queueSize: Number(concurrency) }).done();
}
const rssBeforeMiB = process.memoryUsage().rss / MIB;
const start = performance.now();
const trace = process.env.UPLOAD_TRACE
  ? setInterval(() => {
    const m = process.memoryUsage();
    const row = [performance.now() - start, status('VmRSS'), wasmMemory(), m.heapUsed / MIB, m.arrayBuffers / MIB];
    process.stderr.write(`${row.map((n) => n.toFixed(0)).join('\t')}\n`);
  }, 50)
  : undefined;
const samples = [];
const sampler = setInterval(() => samples.push([performance.now() - start, status('VmRSS')]), 100);
await send();
const ms = performance.now() - start;
clearInterval(trace);
clearInterval(sampler);
samples.push([ms, status('VmRSS')]);
const rssAt = (fraction) => samples.find(([at]) => at >= fraction * ms)[1] - rssBeforeMiB;
const rssOverTimeMiB = [0.25, 0.5, 0.75, 1].map(rssAt);
console.log(JSON.stringify({ ms, rssBeforeMiB, maxRssMiB: status('VmHWM') || process.resourceUsage().maxRSS / 1024, rssOverTimeMiB, wasmMiB: wasmMemory() }));
