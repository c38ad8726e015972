// One upload in a fresh process, so its peak RSS is its own: `node bench/upload-worker.mjs <tool>
// <file> <endpoint> <key> <partSize> <concurrency> [payload]`, tool = package | lib-storage.
// Prints `{ ms, rssBeforeMiB, maxRssMiB }`: the peak is VmHWM of /proc/self/status, which starts
// afresh at exec (getrusage's maxRSS carries the parent's high-water mark over on Linux).
import { createReadStream, readFileSync } from 'node:fs';
import { ACCESS_KEY, SECRET_KEY } from '../tests/support/s3-server.mjs';

const [tool, file, endpoint, key, partSize, concurrency, payload = 'sha256'] = process.argv.slice(2);
const HOST = 'object.storage.eu01.onstackit.cloud';

let send;
if (tool === 'package') {
  const { upload } = await import('sqlserverflex-restore');
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
const rssBeforeMiB = process.memoryUsage().rss / 2 ** 20;
const start = performance.now();
await send();
const ms = performance.now() - start;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(JSON.stringify({ ms, rssBeforeMiB, maxRssMiB: Number(hwm?.[1] ?? process.resourceUsage().maxRSS) / 1024 }));
