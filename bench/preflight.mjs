// Preflight cost against a real S3 server (s3s-fs, SigV4 verified) on loopback: bytes read, requests
// and wall time for 1, 8 and 64 stripes, as ratios to a lone ranged GET (a 1-file preflight).
// Median of 7 runs after a warm-up. Writes bench/results/preflight.md.
import { writeFileSync } from 'node:fs';
import { preflight } from 'sqlserverflex-restore';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../tests/support/s3-server.mjs';
import { writeBackupFixtures } from '../tests/js/fixtures-bak.mjs';

const s3 = await startS3Server();
for (const [path, bytes] of writeBackupFixtures().files) s3.put('backups', path, bytes);
const bucket = 's3://object.storage.eu01.onstackit.cloud/backups/wide/';
const files = (n) => Array.from({ length: n }, (_, i) => ({ path: `${bucket}wide-${String(i + 1).padStart(2, '0')}of64.bak` }));
const run = (n) => preflight({ s3: { bucket, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint, files: files(n) } });

async function measure(n) {
  await run(n);
  const times = [];
  let last;
  for (let i = 0; i < 7; i += 1) {
    const start = performance.now();
    last = await run(n);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { n, median: times[3], spread: times[6] - times[0], requests: last.requests, bytes: last.bytesRead };
}

const rows = [];
for (const n of [1, 8, 64]) rows.push(await measure(n));
await s3.stop();
const [lone] = rows;
const table = `## Preflight: cost per stripe set (s3s-fs on loopback, ${new Date().toISOString().slice(0, 10)})

Each file costs one signed ranged GET of 64 KiB; 8 run at a time. Median of 7 runs after a warm-up.

| files | requests | bytes read | wall time median (spread) | time vs one lone ranged GET |
|---|---|---|---|---|
${rows.map((r) => `| ${r.n} | ${r.requests} | ${r.bytes} | ${r.median.toFixed(1)} ms (±${(r.spread / 2).toFixed(1)}) | ${(r.median / lone.median).toFixed(1)}× |`).join('\n')}
`;
writeFileSync(new URL('./results/preflight.md', import.meta.url), table);
console.log(table);
