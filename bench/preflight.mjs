// Preflight cost against a real S3 server (s3s-fs, SigV4 verified) on loopback: requests, bytes read
// and wall time for 1, 8 and 64 stripes, as ratios to a lone ranged GET (a 1-file preflight), next to
// the same ranged GETs signed by aws4fetch and sent with plain fetch (8 at a time, bodies read) in the
// same run, and to the package's own share: the same preflight over an in-memory fetch (signing,
// copying each body into wasm, parsing the headers, judging the set — no network).
// Runs of all variants are interleaved so machine noise hits them alike. Writes bench/results/preflight.md.
import { writeFileSync } from 'node:fs';
import { AwsClient } from 'aws4fetch';
import { preflight } from 'sqlserverflex-restore';
import { ACCESS_KEY, SECRET_KEY, startS3Server } from '../tests/support/s3-server.mjs';
import { writeBackupFixtures } from '../tests/js/fixtures-bak.mjs';
import { markdownTable, msSpread, summarize, today } from './measure.mjs';

const RUNS = 21;
const WARMUPS = 2;
const CONCURRENCY = 8;
const HEADER_BYTES = 65_536;

const fixtures = new Map(writeBackupFixtures().files);
const s3 = await startS3Server();
for (const [path, bytes] of fixtures) s3.put('backups', path, bytes);
const bucket = 's3://object.storage.eu01.onstackit.cloud/backups/wide/';
const keys = (n) => Array.from({ length: n }, (_, i) => `wide/wide-${String(i + 1).padStart(2, '0')}of64.bak`);
const files = (n) => keys(n).map((key) => ({ path: `s3://object.storage.eu01.onstackit.cloud/backups/${key}` }));
const ours = (n, fetch) => preflight({ fetch, concurrency: CONCURRENCY, s3: { bucket, accessKey: ACCESS_KEY, secretKey: SECRET_KEY, endpoint: s3.endpoint, files: files(n) } });

// A Response-shaped answer from memory: what S3 would send for the ranged GET, without the network.
const inMemory = async (url) => {
  const bytes = fixtures.get(decodeURIComponent(new URL(url).pathname.replace(/^\/backups\//, '')));
  const body = bytes.subarray(0, HEADER_BYTES);
  return {
    status: 206,
    headers: { get: (name) => (name === 'content-range' ? `bytes 0-${body.length - 1}/${bytes.length}` : null) },
    arrayBuffer: async () => body.slice().buffer,
  };
};

const aws = new AwsClient({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, service: 's3', region: 'eu01' });
async function aws4fetchReads(n) {
  const queue = keys(n);
  let bytes = 0;
  const worker = async () => {
    for (let key = queue.shift(); key; key = queue.shift()) {
      const response = await aws.fetch(`${s3.endpoint}/backups/${key}`, { headers: { range: `bytes=0-${HEADER_BYTES - 1}` } });
      if (response.status !== 206) throw new Error(`aws4fetch GET ${key}: HTTP ${response.status}`);
      bytes += (await response.arrayBuffer()).byteLength;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, n) }, worker));
  return bytes;
}

const variants = {
  ours: (n) => ours(n),
  aws4fetch: (n) => aws4fetchReads(n),
  cpu: (n) => ours(n, inMemory),
};
const rows = [];
for (const n of [1, 8, 64]) {
  const samples = { ours: [], aws4fetch: [], cpu: [] };
  let last;
  for (let run = 0; run < WARMUPS + RUNS; run += 1) {
    for (const [name, fn] of Object.entries(variants)) {
      const start = performance.now();
      const result = await fn(n);
      const ms = performance.now() - start;
      if (name === 'ours') last = result;
      if (run >= WARMUPS) samples[name].push(ms);
    }
  }
  if (last.report.files.some((f) => f.status !== 'read')) throw new Error('every file must be read');
  rows.push({ n, requests: last.requests, bytes: last.bytesRead, ...Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)])) });
}
await s3.stop();

const [lone] = rows;
const ratio = (a, b) => `${(a / b).toFixed(1)}×`;
const table = markdownTable(
  ['files', 'requests', 'bytes read', 'preflight wall time', 'vs one lone ranged GET', 'aws4fetch + fetch, same GETs', 'its vs its lone GET', 'preflight vs aws4fetch', 'package CPU share (in-memory fetch)'],
  rows.map((r) => [
    r.n, r.requests, r.bytes, msSpread(r.ours), ratio(r.ours.median, lone.ours.median),
    msSpread(r.aws4fetch), ratio(r.aws4fetch.median, lone.aws4fetch.median), ratio(r.ours.median, r.aws4fetch.median), msSpread(r.cpu),
  ]),
);
const markdown = `## Preflight: cost per stripe set (s3s-fs on loopback, ${today()})

Each file costs one signed ranged GET of 64 KiB (the fixtures are smaller, so S3 sends the whole
object); ${CONCURRENCY} run at a time. Median of ${RUNS} runs after ${WARMUPS} warm-ups (spread: half the min–max
range); the three variants are interleaved run by run. "aws4fetch + fetch" sends the same GETs, signed
by aws4fetch, ${CONCURRENCY} at a time, and reads the bodies. "Package CPU share" is the same preflight over an
in-memory fetch: signing, copying the bodies into wasm, parsing the headers and judging the set.

${table}

Where the time goes. An earlier version of this table (2026-11-25) showed 8 files taking ~7× and 64
files ~42× one lone GET (6.5 / 47 / 276 ms) and asked whether that was the package. It is not:
- the package's own work — signing, copying each body into wasm, parsing the header, judging the set —
  is the last column: well under a millisecond per file;
- the same GETs signed by aws4fetch and sent with plain fetch take the same wall time (the "preflight vs
  aws4fetch" column is around 1×, within the spreads);
- one GET after another to s3s-fs shows sporadic ~40 ms stalls (the Linux delayed-ACK timeout) on
  bodies of tens of KiB and none on 100-byte bodies, for aws4fetch as much as for the package: a lone
  GET's median is 1–2 ms when no stall hits and ~40 ms when one does, so the lone-GET ratios swing
  from run to run (and the medians with them, by whether stalls hit a run).
So nothing was changed in the bindings; the fair measure is the "preflight vs aws4fetch" column.
`;
writeFileSync(new URL('./results/preflight.md', import.meta.url), markdown);
console.log(markdown);
